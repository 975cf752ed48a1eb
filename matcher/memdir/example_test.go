package memdir_test

import (
	"context"
	"fmt"
	"log"

	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

func ExampleDir() {
	d := memdir.New()
	for _, c := range []matcher.Company{
		{ID: "c1", Name: "Initech LLC", Website: "initech.example", Location: "Austin, TX"},
		{ID: "c2", Name: "Initrode Inc."},
	} {
		if err := d.AddCompany(c); err != nil {
			log.Fatal(err)
		}
	}
	eng, err := matcher.New(d)
	if err != nil {
		log.Fatal(err)
	}
	res, err := eng.MatchCompany(context.Background(), matcher.CompanyQuery{Name: "Initech", Website: "https://initech.example"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Decision, res.Best.Entity.ID)

	// Changes are visible to the next query.
	if _, err := d.Remove(matcher.EntityRef{Kind: matcher.KindCompany, ID: "c1"}); err != nil {
		log.Fatal(err)
	}
	res, err = eng.MatchCompany(context.Background(), matcher.CompanyQuery{Name: "Initech", Website: "https://initech.example"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Decision, d.Len())
	// Output:
	// match c1
	// none 1
}

func ExampleDir_AddCompany_duplicate() {
	d := memdir.New()
	_ = d.AddCompany(matcher.Company{ID: "c1", Name: "Initech"})
	err := d.AddCompany(matcher.Company{ID: "c1", Name: "Initech Two"})
	fmt.Println(err)
	// Output: memdir: duplicate id: company "c1"
}
