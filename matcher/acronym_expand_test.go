package matcher_test

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/internal/normalize"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

// TestShortAcronymInDirectory checks that a company the directory holds by
// a short acronym ("DT", "CDT") is found for its full name, as registers
// and CRMs write it: the query's acronym of two or three letters is looked
// up as a word of the directory's names, and the pair compared at the
// SpelledOut level.
func TestShortAcronymInDirectory(t *testing.T) {
	cs := []matcher.Company{
		{ID: "dt", Name: "DT"},
		{ID: "cdt", Name: "CDT"},
		{ID: "db", Name: "Deutsche Bank"},
		{ID: "ct", Name: "China Telecom"},
	}
	cs = append(cs, fillerCompanies(40)...)
	e := newEngine(t, newDir(t, cs, nil))
	for _, tc := range []struct{ query, want string }{
		{"Deutsche Telekom", "dt"},
		{"Deutsche Telecom", "dt"},
		{"Center for Democracy and Technology", "cdt"},
	} {
		assertTopName(t, e, tc.query, tc.want, matcher.LevelSpelledOut)
	}
}

// fillerCompanies returns n companies of names no test query is near
// ("Filler ab Partners"), so that a directory's words have frequencies.
func fillerCompanies(n int) []matcher.Company {
	cs := make([]matcher.Company, n)
	for i := range cs {
		cs[i] = matcher.Company{ID: fmt.Sprintf("f%02d", i), Name: fmt.Sprintf("Filler %c%c Partners", 'a'+i%26, 'a'+i/26)}
	}
	return cs
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
	cs = append(cs, fillerCompanies(40)...)
	e := newEngine(t, newDir(t, cs, nil))
	w := matcher.DefaultWeights()

	res, err := e.MatchCompany(t.Context(), matcher.CompanyQuery{Name: "Garashb Xylotekh"})
	require.NoError(t, err)
	require.NotEmpty(t, res.Candidates)
	assert.Equal(t, "gar", res.Candidates[0].Entity.ID, "the name misspelt, not one of eight GX")
	var seen bool
	for _, c := range res.Candidates {
		if f, ok := field(c, matcher.FieldName); ok && f.Level == matcher.LevelSpelledOut {
			seen = true
			// Eight names are "GX", and the query's own name has the
			// acronym too: nine.
			assert.InDelta(t, w.CompanyName.SpelledOut.Weight()-math.Log2(9), f.Contribution, 1e-9, c.Entity.ID)
		}
	}
	assert.True(t, seen, "the GX companies are candidates at the SpelledOut level")

	res, err = e.MatchCompany(t.Context(), matcher.CompanyQuery{Name: "Asia Pacific Network Xchange"})
	require.NoError(t, err)
	require.NotEmpty(t, res.Candidates)
	assert.Equal(t, "apn", res.Candidates[0].Entity.ID)
	f, ok := field(res.Candidates[0], matcher.FieldName)
	require.True(t, ok)
	assert.Equal(t, matcher.LevelSpelledOut, f.Level)
	assert.InDelta(t, w.CompanyName.SpelledOut.Weight(), f.Contribution, 1e-9, "an acronym one name holds keeps the level's weight")
}

// TestFitSpelledOut checks that fitting finds how often a batch spells out
// names the directory holds as acronyms: the synthetic calibration never
// sees a query do so and gives the SpelledOut level a small M, which a
// register of names written in full, against a directory that holds many
// organisations by their acronym, raises. After the fit those records are
// matched, and records of organisations the directory does not hold are
// not.
func TestFitSpelledOut(t *testing.T) {
	ctx := t.Context()
	dir := memdir.New()
	// Three made-up words a name, the first two starting with letters
	// that no other name's do in the same order: distinct acronyms. An
	// acronym that is a word's abbreviation ("MFR" for manufacturing) is
	// left out.
	const letters = "bdfgklmnprstvz"
	var full []string
	for i := 0; len(full) < 60; i++ {
		w := strings.Fields(madeUpName(i) + " " + madeUpName(i+1000))
		name := string(letters[i%14]) + w[0][1:] + " " + string(letters[i/14]) + w[1][1:] + " " + w[2]
		acr := strings.ToUpper(string([]byte{name[0], letters[i/14], w[2][0]}))
		if normalize.Company(acr).Core != strings.ToLower(acr) {
			continue
		}
		require.NoError(t, dir.AddCompany(matcher.Company{ID: fmt.Sprintf("a%02d", len(full)), Name: acr}))
		full = append(full, name)
	}
	for i := range 140 {
		require.NoError(t, dir.AddCompany(matcher.Company{ID: fmt.Sprintf("o%03d", i), Name: strings.Fields(madeUpName(2000 + i))[0]}))
	}
	var qs []matcher.CompanyQuery
	for _, n := range full {
		qs = append(qs, matcher.CompanyQuery{Name: n})
	}
	for i := range 60 {
		qs = append(qs, matcher.CompanyQuery{Name: strings.Fields(madeUpName(2000 + i))[0]})
	}
	for i := range 30 {
		// Spelt backwards: no name of the directory is near.
		r := []byte(strings.Fields(madeUpName(5000 + i))[0])
		slices.Reverse(r)
		qs = append(qs, matcher.CompanyQuery{Name: string(r)})
	}

	eng, err := matcher.New(dir)
	require.NoError(t, err)
	matched := func() int {
		n := 0
		for i, q := range qs[:len(full)] {
			res, err := eng.MatchCompany(ctx, q)
			require.NoError(t, err)
			require.NotEmpty(t, res.Candidates, q.Name)
			require.Equal(t, fmt.Sprintf("a%02d", i), res.Candidates[0].Entity.ID, q.Name)
			require.Equal(t, matcher.LevelSpelledOut, res.Candidates[0].Fields[0].Level, q.Name)
			if res.Decision == matcher.Match {
				n++
			}
		}
		return n
	}
	before := matched()
	rep, err := eng.FitCompanies(ctx, qs, nil)
	require.NoError(t, err)
	var lv *matcher.FittedLevel
	for i, l := range rep.Levels {
		if l.Field == matcher.FieldName && l.Level == matcher.LevelSpelledOut {
			lv = &rep.Levels[i]
		}
	}
	require.NotNil(t, lv, "the fit reports the SpelledOut level")
	assert.Greater(t, lv.After.M, 10*lv.Before.M, "a batch that spells out a third of its names")
	after := matched()
	assert.Less(t, before, 10, "the default model's SpelledOut is weak")
	assert.GreaterOrEqual(t, after, 50, "after the fit")
	for _, q := range qs[len(full)+60:] {
		res, err := eng.MatchCompany(ctx, q)
		require.NoError(t, err)
		assert.NotEqual(t, matcher.Match, res.Decision, q.Name)
	}
}
