package synth_test

import (
	"fmt"
	"os"

	"github.com/crmlink/crmlink/internal/synth"
)

func ExampleNew() {
	w := synth.New(synth.Options{Seed: 1, Companies: 1000, Members: 1000})
	a := synth.New(synth.Options{Seed: 1, Companies: 1000, Members: 1000})
	fmt.Println(len(w.Companies()), len(w.Members()))
	fmt.Println(w.Companies()[10] == a.Companies()[10])
	// Output:
	// 1000 1000
	// true
}

func ExampleWorld_CompanyQueries() {
	w := synth.New(synth.Options{Seed: 1, Companies: 1000})
	qs := w.CompanyQueries(3, synth.QueryOptions{Seed: 2, AbsentRate: 0.1})
	if err := synth.WriteCompanyQueriesCSV(os.Stdout, qs); err != nil {
		fmt.Println(err)
	}
	// Output:
	// id,name,industry,location,website,truth_id,noise
	// q1,The Scarlet Holidng,Financial Services,,http://thescarletholding.eu/,c782,name:typo;location:missing
	// q2,Prime Port Inc.,,United States,,c714,industry:missing;location:country;website:missing
	// q3,Orion Peak Service,Business Consulting and Services,Poland,,c8,name:typo;location:country;website:missing
}
