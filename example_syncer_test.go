package crmlink_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/csvsource"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
	"github.com/crmlink/crmlink/override"
)

// crmExport writes a tiny CRM org as CSV files to a new temporary directory.
func crmExport() string {
	dir, err := os.MkdirTemp("", "crm")
	if err != nil {
		log.Fatal(err)
	}
	err = csvsource.Write(dir, &csvsource.Data{
		Accounts: []crm.Account{
			{ID: "001A", Name: "ACME Corp.", Website: "https://www.acme.com", Country: "France"},
			{ID: "001B", Name: "Umbrella Labs"},
		},
		Contacts: []crm.Contact{
			{ID: "003A", AccountID: "001A", FirstName: "Ada", LastName: "Lovelace", Email: "ada.lovelace@acme.com"},
		},
		Leads: []crm.Lead{
			{ID: "00QA", FirstName: "Grace", LastName: "Hopper", Company: "Globex"},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	return dir
}

// A Syncer reads a CRM org in bulk, matches its accounts, contacts and leads, and stores a sync
// mapping for each match; the Resolver then answers from the store.
func ExampleSyncer() {
	ctx := context.Background()
	crmDir := crmExport()
	defer os.RemoveAll(crmDir)
	src, err := csvsource.Open(crmDir)
	if err != nil {
		log.Fatal(err)
	}

	dir := memdir.New()
	if err := dir.AddCompany(matcher.Company{ID: "c1", Name: "Acme Corporation", Website: "acme.com", Location: "France"}); err != nil {
		log.Fatal(err)
	}
	h, _ := matcher.HashEmail("ada.lovelace@acme.com")
	if err := dir.AddMember(matcher.Member{ID: "m1", FirstName: "Ada", LastName: "Lovelace", Company: "Acme Corporation", EmailHash: h}); err != nil {
		log.Fatal(err)
	}
	eng, err := matcher.New(dir)
	if err != nil {
		log.Fatal(err)
	}
	store := override.NewMemory()
	defer store.Close()

	s, err := crmlink.NewSyncer(src, eng, store, "00D1")
	if err != nil {
		log.Fatal(err)
	}
	stats, err := s.Run(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("accounts:", stats.Accounts)
	fmt.Println("contacts:", stats.Contacts)
	fmt.Println("leads:   ", stats.Leads)

	r, err := crmlink.NewResolver(store, eng, crmlink.WithoutVisibility()) // see WithAccess and WithVisibility for CRM visibility
	if err != nil {
		log.Fatal(err)
	}
	contact := override.RecordRef{Org: "00D1", Object: override.Contact, ID: "003A"}
	res, err := r.ResolveMember(ctx, crmlink.Viewer{Org: contact.Org, User: "005U1"}, contact, matcher.MemberQuery{FirstName: "Ada", LastName: "Lovelace"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Via, res.Entity)
	// Output:
	// accounts: read=2 invalid=0 empty=0 matched=1 ambiguous=0 none=1 written=1 removed=0 skipped_manual=0 skipped_rejected=0
	// contacts: read=1 invalid=0 empty=0 matched=1 ambiguous=0 none=0 written=1 removed=0 skipped_manual=0 skipped_rejected=0
	// leads:    read=1 invalid=0 empty=0 matched=0 ambiguous=0 none=1 written=0 removed=0 skipped_manual=0 skipped_rejected=0
	// sync member/m1
}
