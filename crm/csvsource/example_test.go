package csvsource_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/csvsource"
)

// Read an org exported as CSV files and keep the accounts and contacts tied to open
// opportunities at or past a stage.
func Example() {
	dir, err := os.MkdirTemp("", "crm")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	files := map[string]string{
		"stages.csv":        "name,sort_order,is_closed,is_won\nProspecting,1,false,false\nProposal,2,false,false\nClosed Won,3,true,true\n",
		"opportunities.csv": "id,account_id,stage,contact_ids,is_closed\n006A,001A,Proposal,003A;003B,false\n006B,001B,Prospecting,003C,false\n",
		"contacts.csv":      "id,account_id,first_name,last_name\n003A,001A,Ada,Lovelace\n003B,001A,Grace,Hopper\n003C,001B,Alan,Turing\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			log.Fatal(err)
		}
	}

	src, err := csvsource.Open(dir)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	accounts, contacts, err := crm.FilterByStage(ctx, src, "Proposal")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("accounts:", accounts, "contacts:", contacts)
	for c, err := range src.Contacts(ctx, crm.Filter{IDs: contacts}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(c.ID, c.FirstName, c.LastName)
	}
	// Output:
	// accounts: [001A] contacts: [003A 003B]
	// 003A Ada Lovelace
	// 003B Grace Hopper
}

func ExampleReadContacts() {
	in := "email,id,first_name\n\"ada@example.com\",003A,Ada\n,003B,\"O'Brien, Jr\"\n"
	for c, err := range csvsource.ReadContacts(context.Background(), strings.NewReader(in), crm.Filter{}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s %q %q\n", c.ID, c.FirstName, c.Email)
	}
	// Output:
	// 003A "Ada" "ada@example.com"
	// 003B "O'Brien, Jr" ""
}

func ExampleReadContacts_parseError() {
	in := "id,modified_at\n003A,2024-05-01T12:00:00Z\n003B,yesterday\n"
	_, err := crm.Collect(csvsource.ReadContacts(context.Background(), strings.NewReader(in), crm.Filter{}))
	fmt.Println(err)
	// Output: contacts.csv:3:6: column "modified_at": invalid time, want RFC 3339
}

func ExampleSource_WriteActivities() {
	dir, err := os.MkdirTemp("", "crm")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	src, err := csvsource.Create(dir) // Open would refuse a directory without export files
	if err != nil {
		log.Fatal(err)
	}
	act := crm.Activity{
		Kind:        crm.InMail,
		Record:      crm.RecordRef{Org: "00D1", Object: crm.ObjectContact, ID: "003A"},
		Subject:     "Intro",
		Body:        "Hello!",
		OccurredAt:  time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC),
		Author:      "005A",
		ExternalKey: "inmail-42",
	}
	for range 2 { // the second write finds the activity already there
		res, err := src.WriteActivities(context.Background(), []crm.Activity{act})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(res[0].ExternalKey, res[0].Created, res[0].Err)
	}
	// Output:
	// inmail-42 true <nil>
	// inmail-42 false <nil>
}
