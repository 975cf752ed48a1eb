package normalize_test

import (
	"fmt"

	"github.com/crmlink/crmlink/internal/normalize"
)

func ExampleFold() {
	fmt.Println(normalize.Fold("Crème Brûlée, Inc."))
	fmt.Println(normalize.Fold("Иван Петров"))
	fmt.Println(normalize.Fold("ＡＣＭＥ　Ｓｔｒａßｅ"))
	// Output:
	// creme brulee inc
	// ivan petrov
	// acme strasse
}

func ExamplePerson() {
	fmt.Printf("%+v\n", normalize.Person("Smith, Dr. John", ""))
	fmt.Printf("%+v\n", normalize.Person("J. Robert", "van der Berg Jr."))
	// Output:
	// {First:john Middle: Last:smith Suffix:}
	// {First:j Middle:robert Last:van der berg Suffix:jr}
}

func ExampleNicknameRoots() {
	fmt.Println(normalize.NicknameRoots("Robert"))
	fmt.Println(normalize.IsNickname("Bob", "Robert"))
	// Output:
	// [robert]
	// true
}

func ExampleIsNickname() {
	fmt.Println(normalize.IsNickname("Paco", "Francisco"))
	fmt.Println(normalize.IsNickname("Sasha", "Alexander"))
	fmt.Println(normalize.IsNickname("Alejandro", "Aleksandr"))
	fmt.Println(normalize.IsNickname("Maria", "Mario"))
	// Output:
	// true
	// true
	// true
	// false
}

func ExampleCompany() {
	c := normalize.Company("International Business Machines Corp.")
	fmt.Printf("%q %q %q\n", c.Core, c.LegalForm, c.Acronym)
	fmt.Println(normalize.IsAcronymOf("I.B.M.", c))
	fmt.Println(normalize.Company("ООО «Ромашка»").Core)
	// Output:
	// "international business machines" "corp" "ibm"
	// true
	// romashka
}

func ExampleTitle() {
	fmt.Println(normalize.Title("Sr. VP of Sales & Marketing"))
	fmt.Println(normalize.Title("Co-Founder & CEO"))
	// Output:
	// senior vice president sales marketing
	// cofounder chief executive officer
}

func ExampleParseEmail() {
	e, ok := normalize.ParseEmail("mailto:Jane.Doe+crm@Mail.Acme.co.uk")
	fmt.Println(e.Address, e.Domain, e.Free, ok)
	// Output: jane.doe@mail.acme.co.uk acme.co.uk false true
}

func ExampleDomain() {
	for _, s := range []string{"https://www.shop.acme.co.uk:8080/x", "bücher.de", "192.168.0.1"} {
		d, ok := normalize.Domain(s)
		fmt.Printf("%q %v %q\n", d, ok, normalize.DomainLabel(d))
	}
	// Output:
	// "acme.co.uk" true "acme"
	// "xn--bcher-kva.de" true "bucher"
	// "" false ""
}

func ExampleParseLocation() {
	fmt.Printf("%+v\n", normalize.ParseLocation("San Francisco, CA, USA"))
	fmt.Printf("%+v\n", normalize.ParseLocation("München, Deutschland"))
	fmt.Printf("%+v\n", normalize.ParseLocation("Paris"))
	fmt.Println(normalize.CountryName("DE"))
	// Output:
	// {City:san francisco Region:US-CA Country:US}
	// {City:munich Region: Country:DE}
	// {City:paris Region: Country:FR}
	// Germany
}

func ExampleEmailKey() {
	a, _ := normalize.EmailKey("Jane.Doe+crm@ACME.com")
	b, _ := normalize.EmailKey("mailto:jane.doe@acme.com")
	fmt.Println(a, a == b)
	// Output: jane.doe@acme.com true
}

func ExampleTokens() {
	fmt.Printf("%q\n", normalize.Tokens("Jean-Pierre O'Brien, Jr."))
	// Output: ["jean" "pierre" "obrien" "jr"]
}
