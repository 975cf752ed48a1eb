package matcher_test

import (
	"context"
	"fmt"

	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

// ExampleEngine_FitCompanies fits the model to a batch of CRM accounts
// given by name only. With the default model a distinctive name alone is
// not enough for a match; the batch shows that every account is in the
// directory (14 queries move the prior from 0.5 toward 1 against its 20
// pseudo-queries at 0.5), and the fitted model decides it.
func ExampleEngine_FitCompanies() {
	ctx := context.Background()
	dir := memdir.New()
	names := []string{"Zyxel Communications", "Quobyte Storage", "Veritone Analytics", "Kaleyra Messaging",
		"Pexip Video", "Tessian Mail Security", "Yext Search", "Wrike Projects", "Xometry Manufacturing",
		"Nutanix Cloud", "Okta Identity", "Elastic Search Labs", "Fivetran Pipelines", "Gitlab Devops"}
	var batch []matcher.CompanyQuery
	for i, n := range names {
		_ = dir.AddCompany(matcher.Company{ID: fmt.Sprint("c", i), Name: n})
		batch = append(batch, matcher.CompanyQuery{Name: n + " Inc."})
	}
	eng, _ := matcher.New(dir)
	q := matcher.CompanyQuery{Name: "Zyxel Communications Corp"}
	before, _ := eng.MatchCompany(ctx, q)
	rep, _ := eng.FitCompanies(ctx, batch, nil)
	after, _ := eng.MatchCompany(ctx, q)
	fmt.Printf("before: %v %s\n", before.Decision, before.Best.Entity.ID)
	fmt.Printf("in directory: %.2f\n", rep.InDirectory)
	fmt.Printf("after: %v %s\n", after.Decision, after.Best.Entity.ID)
	// Output:
	// before: ambiguous c0
	// in directory: 0.71
	// after: match c0
}
