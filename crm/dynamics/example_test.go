package dynamics_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"golang.org/x/oauth2/clientcredentials"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/dynamics"
)

// Example reads a Dynamics 365 org with a service account (an application user) and writes an
// InMail back to a contact. It needs a real org, so it is compiled but not run.
func Example() {
	ctx := context.Background()
	src, err := dynamics.New(ctx, dynamics.Config{
		OrgURL: "https://contoso.crm.dynamics.com",
		Credentials: &clientcredentials.Config{
			ClientID:     os.Getenv("DYNAMICS_CLIENT_ID"),
			ClientSecret: os.Getenv("DYNAMICS_CLIENT_SECRET"),
			TokenURL:     "https://login.microsoftonline.com/" + os.Getenv("DYNAMICS_TENANT") + "/oauth2/v2.0/token",
		},
	}, dynamics.WithBackoff(crm.Backoff{Budget: time.Minute}))
	if err != nil {
		log.Fatal(err)
	}

	// Only the accounts and contacts tied to open opportunities at or past "Propose".
	accounts, contacts, err := crm.TiedToOpenOpportunities(ctx, src, "Propose")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(accounts), "accounts,", len(contacts), "contacts")

	// Contacts changed in the last day, streamed page by page.
	for c, err := range src.Contacts(ctx, crm.Filter{ModifiedSince: time.Now().Add(-24 * time.Hour)}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(c.ID)
	}

	// Log an InMail on a contact; writing it again with the same key creates nothing.
	res, err := src.WriteActivities(ctx, []crm.Activity{{
		Kind:        crm.InMail,
		Record:      crm.RecordRef{Object: crm.ObjectContact, ID: "49b0be2e-d01c-ed11-b83e-000d3a572421"},
		Subject:     "InMail: introduction",
		Body:        "Sent via crmlink",
		OccurredAt:  time.Now(),
		ExternalKey: "inmail-2024-0001",
	}})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range res {
		if r.Err != nil {
			log.Print(r.Err)
			continue
		}
		fmt.Println(r.ID, r.Created)
	}
}
