package pgdir_test

import (
	"context"
	"fmt"
	"log"
	"slices"

	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/pgdir"
)

// A directory on PostgreSQL: bulk-load the profiles once, then any number of
// processes open the same schema and match; upserts are seen by all of them
// at commit. (No Output: it needs a server.)
func Example() {
	ctx := context.Background()
	dir, err := pgdir.Open(ctx, "postgres://app@db.internal:5432/crmlink", pgdir.WithSchema("directory"))
	if err != nil {
		log.Fatal(err)
	}
	defer dir.Close()
	err = dir.AddCompanies(ctx, slices.Values([]matcher.Company{
		{ID: "c1", Name: "Acme Corporation", Website: "acme.com"},
		{ID: "c2", Name: "Acme Logistics", Website: "acme-logistics.com"},
	}))
	if err != nil {
		log.Fatal(err)
	}
	eng, err := matcher.New(dir)
	if err != nil {
		log.Fatal(err)
	}
	res, err := eng.MatchCompany(ctx, matcher.CompanyQuery{Name: "ACME Corp.", Website: "www.acme.com"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Decision, res.Best.Entity)
}
