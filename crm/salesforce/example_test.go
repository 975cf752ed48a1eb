package salesforce_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/salesforce"
)

// Read an org with the JWT bearer flow (a connected app with a certificate and a pre-approved
// integration user), keep the accounts tied to open opportunities at or past "Needs Analysis",
// and write an InMail back to a contact as a Task.
func Example() {
	ctx := context.Background()
	pemKey, err := os.ReadFile("connected-app.key")
	if err != nil {
		log.Fatal(err)
	}
	key, err := salesforce.ParseRSAPrivateKey(pemKey)
	if err != nil {
		log.Fatal(err)
	}
	jc := &salesforce.JWTConfig{
		ClientID:   os.Getenv("SF_CONSUMER_KEY"),
		Username:   "crmlink-integration@acme.example",
		PrivateKey: key,
	}
	src, err := salesforce.New(ctx, salesforce.Config{TokenSource: jc.TokenSource(ctx)},
		salesforce.WithBulk(true)) // full import: Bulk API 2.0 query jobs
	if err != nil {
		log.Fatal(err)
	}

	accounts, contacts, err := crm.TiedToOpenOpportunities(ctx, src, "Needs Analysis")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(accounts), "accounts and", len(contacts), "contacts in the pipeline")

	for a, err := range src.Accounts(ctx, crm.Filter{IDs: accounts}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(a.ID, a.Website)
	}

	res, err := src.WriteActivities(ctx, []crm.Activity{{
		Kind:        crm.InMail,
		Record:      crm.RecordRef{Object: crm.ObjectContact, ID: "003R000000A1BCDFXX"},
		Subject:     "InMail: Intro",
		Body:        "Hi, ...",
		OccurredAt:  time.Now(),
		ExternalKey: "inmail-7f3a", // written once, however often this runs
	}})
	if err != nil {
		log.Fatal(err)
	}
	if res[0].Err != nil {
		log.Print(res[0].Err) // a *crm.APIError with Salesforce's statusCode, no record data
	} else {
		fmt.Println("task", res[0].ID, "created:", res[0].Created)
	}
}
