package matcher_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
)

// TestShortAcronymInDirectory checks that a company the directory holds by
// a short acronym ("DT", "CDT") is found for its full name, as registers
// and CRMs write it: the query's acronym of two or three letters is looked
// up as a word of the directory's names, and the pair compared at the
// acronym level.
func TestShortAcronymInDirectory(t *testing.T) {
	cs := []matcher.Company{
		{ID: "dt", Name: "DT"},
		{ID: "cdt", Name: "CDT"},
		{ID: "db", Name: "Deutsche Bank"},
		{ID: "ct", Name: "China Telecom"},
	}
	for i := range 40 {
		cs = append(cs, matcher.Company{ID: fmt.Sprintf("f%02d", i), Name: fmt.Sprintf("Filler %c%c Partners", 'a'+i%26, 'a'+i/26)})
	}
	e := newEngine(t, newDir(t, cs, nil))
	for _, tc := range []struct{ query, want string }{
		{"Deutsche Telekom", "dt"},
		{"Deutsche Telecom", "dt"},
		{"Center for Democracy and Technology", "cdt"},
	} {
		res, err := e.MatchCompany(t.Context(), matcher.CompanyQuery{Name: tc.query})
		require.NoError(t, err)
		require.NotEmpty(t, res.Candidates, tc.query)
		assert.Equal(t, tc.want, res.Candidates[0].Entity.ID, tc.query)
		f, ok := field(res.Candidates[0], matcher.FieldName)
		require.True(t, ok)
		assert.Equal(t, matcher.LevelAcronym, f.Level, tc.query)
	}
}

// TestCommonAcronymWeighsLess checks that an acronym many of the
// directory's names share weighs less than one that names a single
// company, by the log of their number: eight companies called "GX" (and
// the query's own name, whose acronym it is too) are each nine times as
// likely to meet a query's acronym by chance as "APNX" is.
func TestCommonAcronymWeighsLess(t *testing.T) {
	cs := []matcher.Company{
		{ID: "gar", Name: "Garashby Xylotech"},
		{ID: "apn", Name: "APNX"},
	}
	for i := range 8 {
		cs = append(cs, matcher.Company{ID: fmt.Sprintf("gx%d", i), Name: "GX"})
	}
	for i := range 40 {
		cs = append(cs, matcher.Company{ID: fmt.Sprintf("f%02d", i), Name: fmt.Sprintf("Filler %c%c Partners", 'a'+i%26, 'a'+i/26)})
	}
	e := newEngine(t, newDir(t, cs, nil))
	w := matcher.DefaultWeights()

	res, err := e.MatchCompany(t.Context(), matcher.CompanyQuery{Name: "Garashb Xylotekh"})
	require.NoError(t, err)
	require.NotEmpty(t, res.Candidates)
	assert.Equal(t, "gar", res.Candidates[0].Entity.ID, "the name misspelt, not one of eight GX")
	var seen bool
	for _, c := range res.Candidates {
		if f, ok := field(c, matcher.FieldName); ok && f.Level == matcher.LevelAcronym {
			seen = true
			// Eight names are "GX", and the query's own name has the
			// acronym too: nine.
			assert.InDelta(t, w.CompanyName.Equivalent.Weight()-3.1699, f.Contribution, 1e-3, c.Entity.ID)
		}
	}
	assert.True(t, seen, "the GX companies are candidates at the acronym level")

	res, err = e.MatchCompany(t.Context(), matcher.CompanyQuery{Name: "Asia Pacific Network Xchange"})
	require.NoError(t, err)
	require.NotEmpty(t, res.Candidates)
	assert.Equal(t, "apn", res.Candidates[0].Entity.ID)
	f, ok := field(res.Candidates[0], matcher.FieldName)
	require.True(t, ok)
	assert.Equal(t, matcher.LevelAcronym, f.Level)
	assert.InDelta(t, w.CompanyName.Equivalent.Weight(), f.Contribution, 1e-9, "an acronym one name holds keeps the level's weight")
}
