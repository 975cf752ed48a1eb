package matcher_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

// shortName returns the i-th three-letter name of nearNamesWorld.
func shortName(i int) string {
	const cons = "BDFGKLMNPRSTVZ"
	return string([]byte{cons[i%14], cons[(i*5+3)%14], cons[(i*3+7)%14]})
}

// typo swaps the two letters of s after its first.
func typo(s string) string {
	b := []byte(s)
	b[1], b[2] = b[2], b[1]
	return string(b)
}

// nearNamesWorld is a directory of 300 long made-up names, none near
// another, and 40 short ones in near pairs ("BGN" and "BGNX"), with a
// batch of name queries: one-letter typos of 60 long names, 20 long names
// the directory does not hold and 10 of the short names.
func nearNamesWorld(t *testing.T) (*memdir.Dir, []matcher.CompanyQuery) {
	t.Helper()
	dir := memdir.New()
	for i := range 300 {
		require.NoError(t, dir.AddCompany(matcher.Company{ID: fmt.Sprintf("l%03d", i), Name: madeUpName(i)}))
	}
	for i := range 20 {
		short := shortName(i)
		require.NoError(t, dir.AddCompany(matcher.Company{ID: fmt.Sprintf("s%02da", i), Name: short}))
		require.NoError(t, dir.AddCompany(matcher.Company{ID: fmt.Sprintf("s%02db", i), Name: short + "X"}))
	}
	var qs []matcher.CompanyQuery
	for i := range 60 {
		qs = append(qs, matcher.CompanyQuery{Name: typo(madeUpName(i))})
	}
	for i := range 20 {
		qs = append(qs, matcher.CompanyQuery{Name: madeUpName(3000 + i)})
	}
	for i := range 10 {
		qs = append(qs, matcher.CompanyQuery{Name: shortName(i)})
	}
	return dir, qs
}

// TestFitNearNames checks that fitting measures on the directory's own
// names how often a name of each length has a near neighbour: the short
// names' class above one, the long names' below, and the report carries
// the factors to another engine.
func TestFitNearNames(t *testing.T) {
	ctx := context.Background()
	dir, qs := nearNamesWorld(t)
	eng, err := matcher.New(dir)
	require.NoError(t, err)
	rep, err := eng.FitCompanies(ctx, qs, nil)
	require.NoError(t, err)

	require.Len(t, rep.NearNames, matcher.NearNameClasses)
	short, long := rep.NearNames[0], rep.NearNames[3]
	assert.Equal(t, 40, short.Names, "the names of three and four letters")
	assert.GreaterOrEqual(t, short.Neighbors, 40, "each finds its twin at least")
	assert.Equal(t, 300, long.Names)
	assert.Zero(t, long.Neighbors)
	assert.Greater(t, rep.Weights.NearNameScale[0], 1.0)
	assert.Less(t, rep.Weights.NearNameScale[3], 1.0)
	for i, n := range rep.NearNames {
		assert.Equal(t, i, n.Class)
		assert.Equal(t, rep.Weights.NearNameScale[i], n.Scale)
	}

	back := roundTrip(t, rep)
	assert.Equal(t, rep.Weights.NearNameScale, back.Weights.NearNameScale)
}

// TestNearNameScale checks that the factor of the query name's length
// class scales the U of a near spelling, and only that: a long name's typo
// gains log2 of the inverse factor, a short one loses log2 of its factor,
// and an exact name stays above either.
func TestNearNameScale(t *testing.T) {
	ctx := context.Background()
	dir, _ := nearNamesWorld(t)
	plain, err := matcher.New(dir)
	require.NoError(t, err)
	w := matcher.DefaultWeights()
	w.NearNameScale = [matcher.NearNameClasses]float64{4, 1, 1, 0.25}
	scaled, err := matcher.New(dir, matcher.WithWeights(w))
	require.NoError(t, err)

	first := func(e *matcher.Engine, name string) matcher.FieldScore {
		t.Helper()
		res, err := e.MatchCompany(ctx, matcher.CompanyQuery{Name: name})
		require.NoError(t, err)
		require.NotEmpty(t, res.Candidates, name)
		return res.Candidates[0].Fields[0]
	}
	long := typo(madeUpName(5))
	require.GreaterOrEqual(t, len(long), 12)
	was, got := first(plain, long), first(scaled, long)
	require.Equal(t, matcher.LevelHigh, was.Level)
	require.Equal(t, matcher.LevelHigh, got.Level)
	assert.InDelta(t, was.Contribution+2, got.Contribution, 1e-9)
	assert.InDelta(t, math.Log2(w.CompanyName.High.M/(w.CompanyName.High.U*0.25)), got.Contribution, 1e-9)

	exact := first(scaled, madeUpName(5))
	require.Equal(t, matcher.LevelExact, exact.Level)
	assert.GreaterOrEqual(t, exact.Contribution, got.Contribution)

	// "BGNK" is near "BGN" and "BGNX", and four letters long: its U is
	// four times the level's.
	was, got = first(plain, shortName(0)+"K"), first(scaled, shortName(0)+"K")
	require.Equal(t, matcher.LevelHigh, was.Level)
	assert.InDelta(t, was.Contribution-2, got.Contribution, 1e-9)
}
