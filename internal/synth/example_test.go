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
	// q1,van den Reningma Solutions,IT Services and IT Consulting,,https://www.vdrs.com,c782,name:punct;location:missing
	// q2,LakeValley Digital Corporation,IT Services and IT Consulting,,,,location:missing;website:missing
	// q3,LADZ Llc,,United States,,c773,name:legal_change;industry:missing;location:country;website:missing
}
