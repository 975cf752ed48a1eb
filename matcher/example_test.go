package matcher_test

import (
	"context"
	"fmt"
	"log"
	"slices"

	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

func ExampleEngine_MatchCompany() {
	dir := memdir.New()
	dir.AddCompany(matcher.Company{ID: "c42", Name: "Acme Corporation", Website: "acme.com"})
	eng, err := matcher.New(dir)
	if err != nil {
		log.Fatal(err)
	}
	q := matcher.CompanyQuery{Name: "ACME Corp.", Website: "www.acme.com"}
	res, err := eng.MatchCompany(context.Background(), q)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Decision, res.Candidates[0].Entity.ID)
	// Output: match c42
}

func ExampleEngine_MatchMember() {
	dir := memdir.New()
	h, _ := matcher.HashEmail("robert.jones@initech.example")
	dir.AddMember(matcher.Member{ID: "m1", FirstName: "Robert", LastName: "Jones",
		Company: "Initech LLC", Title: "Vice President, Sales", EmailHash: h})
	dir.AddMember(matcher.Member{ID: "m2", FirstName: "Roberta", LastName: "Jonas", Company: "Globex"})
	eng, err := matcher.New(dir)
	if err != nil {
		log.Fatal(err)
	}
	res, err := eng.MatchMember(context.Background(), matcher.MemberQuery{
		FirstName: "Bob", LastName: "Jones", Company: "Initech", Title: "VP Sales",
		Email: "Robert.Jones+crm@initech.example",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Decision, res.Best.Entity.ID)
	for _, f := range res.Best.Fields {
		fmt.Printf("%s: %s\n", f.Field, f.Level)
	}
	// Output:
	// match m1
	// first_name: nickname
	// last_name: exact
	// company: exact
	// title: exact
	// email: exact
}

func ExampleEngine_MatchCompanies() {
	dir := memdir.New()
	dir.AddCompany(matcher.Company{ID: "c1", Name: "Initech LLC", Website: "initech.example"})
	dir.AddCompany(matcher.Company{ID: "c2", Name: "Globex Corporation", Website: "globex.example"})
	eng, err := matcher.New(dir)
	if err != nil {
		log.Fatal(err)
	}
	qs := slices.Values([]matcher.CompanyQuery{
		{Name: "Globex Corp", Website: "https://www.globex.example/about"},
		{}, // empty: yields ErrEmptyQuery and goes on
		{Name: "Initech", Website: "initech.example"},
	})
	for res, err := range eng.MatchCompanies(context.Background(), qs) {
		if err != nil {
			fmt.Println("error:", err)
			continue
		}
		fmt.Println(res.Decision, res.Best.Entity.ID)
	}
	// Output:
	// match c2
	// error: matcher: empty query
	// match c1
}
