package matcher_test

import (
	"cmp"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

func fuzzEngine(t testing.TB) *matcher.Engine {
	// With the company names' vocabulary, as examples/match and the
	// commands keep it: every query's words are looked up with typos,
	// joined and split.
	d := memdir.New(memdir.WithVocabulary(matcher.KindCompany))
	for _, c := range []matcher.Company{
		{ID: "c1", Name: "Acme Corporation", Website: "acme.com", Industry: "Software", Location: "Paris, France"},
		{ID: "c2", Name: "International Business Machines", Website: "ibm.com", Location: "Armonk, NY"},
		{ID: "c3", Name: "ООО «Ромашка»", Location: "Москва, Россия"},
		{ID: "c4", Name: "Global Solutions Ltd"},
		{ID: "c5", Name: "Global Solutions GmbH"},
		{ID: "c6", Name: "Norvale Systems", Industry: "Software Development; IT Services", Location: "Suite 900, 1450 N City Rd, Arlington, VA 23208"},
	} {
		require.NoError(t, d.AddCompany(c))
	}
	h, _ := matcher.HashEmail("bob@acme.com")
	h2, _ := matcher.HashEmail("dana@acme.com")
	for _, m := range []matcher.Member{
		{ID: "m1", FirstName: "Robert", LastName: "Smith", Company: "Acme", Title: "VP Sales", EmailHash: h},
		{ID: "m2", FirstName: "Γιώργος", LastName: "Παπαδόπουλος", Company: "Acme"},
		{ID: "m3", FirstName: "Anna", LastName: "van der Berg"},
		{ID: "m4", FirstName: "Dana", LastName: "Whitcombe", Company: "Acme", Title: "Engineer", EmailHash: h2,
			Location: "12 N Main St, Springfield, IL 62701"},
	} {
		require.NoError(t, d.AddMember(m))
	}
	e, err := matcher.New(d)
	require.NoError(t, err)
	return e
}

func checkResult(t *testing.T, res matcher.Result) {
	for i, c := range res.Candidates {
		if !(c.Score >= 0 && c.Score <= 1) {
			t.Fatalf("score %v out of [0,1]", c.Score)
		}
		if i > 0 {
			p := res.Candidates[i-1]
			if p.Score < c.Score || p.Score == c.Score && cmp.Compare(p.Entity.ID, c.Entity.ID) > 0 {
				t.Fatalf("candidates not sorted at %d", i)
			}
		}
	}
	if (res.Best == nil) != (len(res.Candidates) == 0) {
		t.Fatalf("Best inconsistent with Candidates")
	}
}

func FuzzMatchCompany(f *testing.F) {
	eng := fuzzEngine(f)
	f.Add("ACME Corp.", "software", "Paris", "www.acme.com")
	f.Add("IBM", "", "", "")
	f.Add("Acme Holdings (", "", "", "")
	f.Add("China Academy of Telecommunication Research (CATR", "", "", "")
	f.Add("\xff\x00", "\x00", "\xfe", "http://[::1]:80/")
	f.Add("Ромашка ООО", "", "Moscow, RU", "xn--80ak6aa92e.com")
	f.Add("深圳市大疆创新科技有限公司", "", "深圳", "")
	f.Add("ปูนซิเมนต์ไทย", "", "", "")
	f.Add("Meta", "5112 | Software Development", "1450 North City Road Ste 900, Arlington VA", "")
	f.Add("AlcatelLucent BellLabs ÉcoleNormale ПриватБанк", "", "", "")
	f.Add("Petróleo Brasileiro S.A. - Petrobras", "", "", "")
	f.Fuzz(func(t *testing.T, name, industry, location, website string) {
		res, err := eng.MatchCompany(t.Context(), matcher.CompanyQuery{Name: name, Industry: industry, Location: location, Website: website})
		if err != nil {
			if !errors.Is(err, matcher.ErrEmptyQuery) {
				t.Fatal(err)
			}
			return
		}
		checkResult(t, res)
	})
}

func FuzzMatchMember(f *testing.F) {
	eng := fuzzEngine(f)
	f.Add("Bob", "Smith", "Acme Inc", "Vice President of Sales", "Bob+x@Acme.com", "Paris")
	f.Add("", "", "", "", "", "")
	f.Add("Smith, Bob", "", "", "", "bob@", "\xff")
	f.Add("Георгий", "Papadopoulos", "ACME", "CEO", "g.papadopoulos@gmail.com", "Athens, GR")
	f.Add("Alexopoulos,", "Nastassia", "", "", "", "")
	f.Add("", "王秀英", "华为", "", "", "")
	f.Add("محمد", "عباس", "", "", "", "")
	f.Add("JR", "Smith Sr.", "", "", "", "")
	// Every field compared at once: names, employer, title, three email
	// fields, street, postcode and locality.
	f.Add("Dana", "Whitcombe", "Acme", "Engineer", "d.whitcombe@acme.com", "12 North Main Street, Springfeld IL 62702")
	f.Add("", "", "", "", "", "12 N Main St, 62701")
	f.Fuzz(func(t *testing.T, first, last, company, title, email, location string) {
		res, err := eng.MatchMember(t.Context(), matcher.MemberQuery{FirstName: first, LastName: last, Company: company,
			Title: title, Email: email, Location: location})
		if err != nil {
			if !errors.Is(err, matcher.ErrEmptyQuery) {
				t.Fatal(err)
			}
			return
		}
		checkResult(t, res)
	})
}
