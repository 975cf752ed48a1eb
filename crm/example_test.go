package crm_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/csvsource"
)

func ExampleTiedToStage() {
	stages := []crm.OpportunityStage{
		{Name: "Prospecting", SortOrder: 1},
		{Name: "Proposal", SortOrder: 2},
		{Name: "Closed Won", SortOrder: 3, IsClosed: true, IsWon: true},
	}
	opps := []crm.Opportunity{
		{ID: "006A", AccountID: "001A", Stage: "Proposal", ContactIDs: []string{"003A"}},
		{ID: "006B", AccountID: "001B", Stage: "Prospecting", ContactIDs: []string{"003B"}},
		{ID: "006C", AccountID: "001C", Stage: "Closed Won", IsClosed: true},
	}
	accounts, contacts, err := crm.TiedToStage(stages, opps, "Proposal")
	fmt.Println(accounts, contacts, err)

	_, _, err = crm.TiedToStage(stages, opps, "Negotiation")
	fmt.Println(errors.Is(err, crm.ErrUnknownStage))
	// Output:
	// [001A] [003A] <nil>
	// true
}

func ExampleVisibility_CanSee() {
	roles := []crm.Role{
		{ID: "00E1", Name: "VP Sales"},
		{ID: "00E2", Name: "Sales Rep", ParentID: "00E1"},
	}
	users := []crm.User{
		{ID: "005V", RoleID: "00E1", IsActive: true},
		{ID: "005R", RoleID: "00E2", IsActive: true},
	}
	v := crm.NewVisibility(users, roles, crm.OrgDefaults{crm.ObjectAccount: crm.PublicRead})
	fmt.Println(v.CanSee("005V", "005R", crm.ObjectContact)) // the VP sees the rep's contacts
	fmt.Println(v.CanSee("005R", "005V", crm.ObjectContact)) // not the other way round
	fmt.Println(v.CanSee("005R", "005V", crm.ObjectAccount)) // accounts are public read
	// Output:
	// true
	// false
	// true
}

func ExampleMapSeats() {
	users := []crm.User{
		{ID: "005A", Email: "Ada.Lovelace@Example.com", IsActive: true},
		{ID: "005B", Email: "grace@example.com", IsActive: true},
	}
	seats := crm.MapSeats(users, []string{" ada.lovelace@example.com"})
	fmt.Println(len(seats), seats["005A"] != "")
	// Output: 1 true
}

func ExampleBackoff_Do() {
	calls := 0
	policy := crm.Backoff{Base: time.Millisecond, Retries: 3, Seed: 1}
	err := policy.Do(context.Background(), func(ctx context.Context) error {
		calls++
		if calls < 3 {
			return &crm.APIError{Op: "query Contact", Status: 429, Class: crm.ErrRateLimited}
		}
		return nil
	})
	fmt.Println(calls, err)
	// Output: 3 <nil>
}

func ExampleRetryAfter() {
	err := fmt.Errorf("sync: %w", &crm.APIError{
		Op: "query Account", Status: 429, Code: "0x80072322", RetryAfter: 34 * time.Second, Class: crm.ErrRateLimited,
	})
	wait, retry := crm.RetryAfter(err)
	fmt.Println(wait, retry)
	fmt.Println(err)
	// Output:
	// 34s true
	// sync: crm: query Account: HTTP 429 0x80072322
}

func ExampleFilterVisible() {
	in := "id,first_name,owner_id\n003A,Ada,005R\n003B,Grace,005V\n003C,Alan,005X\n"
	contacts := csvsource.ReadContacts(context.Background(), strings.NewReader(in), crm.Filter{})

	users := []crm.User{
		{ID: "005V", RoleID: "00E1", IsActive: true},
		{ID: "005R", RoleID: "00E2", IsActive: true},
		{ID: "005X", RoleID: "00E3", IsActive: true},
	}
	roles := []crm.Role{{ID: "00E1"}, {ID: "00E2", ParentID: "00E1"}, {ID: "00E3"}}
	v := crm.NewVisibility(users, roles, nil) // contacts are private

	owner := func(c crm.Contact) string { return c.OwnerID }
	for c, err := range crm.FilterVisible(contacts, v, "005V", owner, crm.ObjectContact) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(c.ID, c.FirstName)
	}
	// Output:
	// 003A Ada
	// 003B Grace
}
