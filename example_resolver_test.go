package crmlink_test

import (
	"context"
	"fmt"
	"log"

	"github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
	"github.com/crmlink/crmlink/override"
)

// show prints where a resolution came from and what it found.
func show(res crmlink.Resolution) {
	if res.Found {
		fmt.Printf("%s: %s\n", res.Via, res.Entity)
		return
	}
	fmt.Printf("%s: %s, %d candidate(s)\n", res.Via, res.Result.Decision, len(res.Result.Candidates))
}

// A Resolver answers "which company is this account?" in a fixed order: a user's manual
// mapping, then the CRM sync's mapping, then a fuzzy match that never proposes an entity a
// user rejected for the record.
func ExampleResolver() {
	ctx := context.Background()
	dir := memdir.New()
	for _, c := range []matcher.Company{
		{ID: "c1", Name: "Acme Corporation", Website: "acme.com"},
		{ID: "c2", Name: "Acme Logistics", Website: "acme-logistics.com"},
	} {
		if err := dir.AddCompany(c); err != nil {
			log.Fatal(err)
		}
	}
	eng, err := matcher.New(dir)
	if err != nil {
		log.Fatal(err)
	}
	store := override.NewMemory()
	defer store.Close()
	r, err := crmlink.NewResolver(store, eng, crmlink.WithoutVisibility()) // a single-user tool; a service passes WithVisibility(access)
	if err != nil {
		log.Fatal(err)
	}

	account := override.RecordRef{Org: "00D1", Object: override.Account, ID: "001A"}
	q := matcher.CompanyQuery{Name: "ACME Corp.", Website: "www.acme.com"}
	resolve := func() {
		res, err := r.ResolveCompany(ctx, crmlink.Viewer{Org: account.Org, User: "005U1"}, account, q)
		if err != nil {
			log.Fatal(err)
		}
		show(res)
	}

	resolve() // nothing stored: the fuzzy match

	// A sales rep says it is not that one: it is never proposed for this account again.
	acme := override.EntityRef{Kind: override.Company, ID: "c1"}
	if err := r.Reject(ctx, crmlink.Viewer{Org: account.Org, User: "005U1"}, account, acme); err != nil {
		log.Fatal(err)
	}
	resolve()

	// They pick the right one from the list: a manual mapping, which wins from now on.
	logistics := override.EntityRef{Kind: override.Company, ID: "c2"}
	if err := r.Correct(ctx, crmlink.Viewer{Org: account.Org, User: "005U1"}, account, logistics); err != nil {
		log.Fatal(err)
	}
	resolve()
	// Output:
	// match: company/c1
	// match: none, 1 candidate(s)
	// manual: company/c2
}
