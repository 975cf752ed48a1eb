package sourcetest_test

import (
	"fmt"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/sourcetest"
)

// The fixture is plain data: drivers' fake servers serve it in their CRM's shapes.
func ExampleFixture() {
	ds := sourcetest.Fixture()
	fmt.Println(len(ds.Accounts), len(ds.Contacts), len(ds.Leads), len(ds.Opportunities), len(ds.Stages), len(ds.Users), len(ds.Roles))
	for _, c := range ds.Expected.Stages[:2] {
		fmt.Println(c.Stage, len(c.Accounts), len(c.Contacts))
	}
	accounts, _, err := crm.TiedToStage(ds.Stages, ds.Opportunities, "Negotiation/Review")
	fmt.Println(accounts, err)
	// Output:
	// 16 24 15 12 7 8 6
	// Prospecting 7 10
	// Needs Analysis 3 6
	// [001000000000004AAA 001000000000005AAA] <nil>
}
