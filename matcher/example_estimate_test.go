package matcher_test

import (
	"context"
	"fmt"
	"log"

	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

// EstimateU fits the chance-agreement side of the model to a directory's
// own entities; WithWeights hands the fitted model to the engine.
func ExampleEstimateU() {
	ctx := context.Background()
	dir := memdir.New()
	var sample []matcher.Entity
	for _, c := range []matcher.Company{
		{ID: "c1", Name: "Acme Corporation", Industry: "Manufacturing", Location: "Chicago, US", Website: "acme.com"},
		{ID: "c2", Name: "Globex Logistics", Industry: "Transportation", Location: "Hamburg, DE", Website: "globex.de"},
		{ID: "c3", Name: "Initech Software", Industry: "Computer Software", Location: "Austin, US", Website: "initech.io"},
		{ID: "c4", Name: "Umbrella Pharma", Industry: "Pharmaceuticals", Location: "London, GB", Website: "umbrella.co.uk"},
		{ID: "c5", Name: "Acme Logistics", Industry: "Transportation", Location: "Chicago, US", Website: "acmelogistics.com"},
	} {
		if err := dir.AddCompany(c); err != nil {
			log.Fatal(err)
		}
		sample = append(sample, matcher.NewCompanyEntity(c))
	}
	w, err := matcher.EstimateU(ctx, matcher.DefaultWeights(), sample, 10000, 1)
	if err != nil {
		log.Fatal(err)
	}
	eng, err := matcher.New(dir, matcher.WithWeights(w))
	if err != nil {
		log.Fatal(err)
	}
	res, err := eng.MatchCompany(ctx, matcher.CompanyQuery{Name: "ACME Corp.", Location: "Chicago", Website: "www.acme.com"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Decision, res.Candidates[0].Entity.ID)
	// Output: match c1
}
