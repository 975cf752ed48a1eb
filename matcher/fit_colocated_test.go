package matcher_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

// TestFitColocated fits a guide of 300 businesses at street addresses, a
// few of them sharing a building, to a batch like a second guide's: 100
// records of listed businesses (the name as listed, the street type
// spelt out or abbreviated) and 100 of businesses the directory does not
// list, 20 of them in a building where a listed one is. Random pairs of
// the directory never meet a near street with the same number, so the
// near street's U comes out far below the same address's; the fit must
// not let it (or an exact address held up to it) outweigh the address
// itself, nor give a field's levels an M above 1. Then a business that
// only shares a building with a listed one is not matched to it, and the
// listed ones still are.
func TestFitColocated(t *testing.T) {
	ctx := context.Background()
	dir := memdir.New()
	streets := []string{"Main", "Oak", "Pine", "Maple", "Cedar", "Elm", "Lake", "Hill", "Park", "River"}
	addr := func(i int, typ string) string {
		return fmt.Sprintf("%d %s %s, Springfield", 100+i*7, streets[i%len(streets)], typ)
	}
	for i := range 300 {
		a := i
		if i >= 280 && i%2 == 1 {
			a = i - 1 // ten buildings hold two businesses
		}
		require.NoError(t, dir.AddCompany(matcher.Company{ID: fmt.Sprintf("b%03d", i), Name: madeUpName(i),
			Location: addr(a, "Street")}))
	}
	var qs []matcher.CompanyQuery
	for i := range 100 {
		typ := "St."
		if i%2 == 0 {
			typ = "Street"
		}
		qs = append(qs, matcher.CompanyQuery{Name: madeUpName(i), Location: addr(i, typ)})
	}
	for i := range 100 {
		loc := fmt.Sprintf("%d Harbor Blvd, Shelbyville", 5+i*3)
		if i < 20 {
			loc = addr(200+i*4, "St") // a listed business's building
		}
		qs = append(qs, matcher.CompanyQuery{Name: madeUpName(7000 + i), Location: loc})
	}

	eng, err := matcher.New(dir)
	require.NoError(t, err)
	rep, err := eng.FitCompanies(ctx, qs, nil)
	require.NoError(t, err)

	aw := rep.Weights.Address
	for name, fw := range map[string]matcher.FieldWeights{"street": aw.Street, "postcode": aw.Postcode, "locality": aw.Locality} {
		sum := fw.Exact.M + fw.High.M + fw.Medium.M + fw.Equivalent.M + fw.Prefix.M + fw.Partial.M + fw.Disagree.M
		assert.LessOrEqual(t, sum, 1+1e-9, "%s: the M of a field's levels sum to at most 1", name)
		for lv, l := range map[string]matcher.Level{"high": fw.High, "medium": fw.Medium, "equivalent": fw.Equivalent} {
			if l.M > 0 && fw.Exact.M > 0 {
				assert.LessOrEqual(t, l.Weight(), fw.Exact.Weight()+1e-9, "%s/%s weighs more than the same value", name, lv)
			}
		}
	}

	matched := 0
	for _, q := range qs[:100] {
		res, err := eng.MatchCompany(ctx, q)
		require.NoError(t, err)
		if res.Decision == matcher.Match {
			matched++
		}
	}
	assert.GreaterOrEqual(t, matched, 95, "listed businesses, name and address as listed")
	for _, q := range qs[100:] {
		res, err := eng.MatchCompany(ctx, q)
		require.NoError(t, err)
		assert.NotEqual(t, matcher.Match, res.Decision, "%s at %s", q.Name, q.Location)
	}
}
