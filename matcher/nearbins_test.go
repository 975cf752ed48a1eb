package matcher_test

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/internal/synth"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

// TestNearNameBin checks the bins of the High level's similarity: equal
// steps from HighSimilarity to 1, the ends in the first and last.
func TestNearNameBin(t *testing.T) {
	w := matcher.DefaultWeights()
	require.InDelta(t, 0.92, w.HighSimilarity, 1e-9, "the steps below assume 0.92")
	for _, c := range []struct {
		sim float64
		bin int
	}{{0.5, 0}, {0.92, 0}, {0.939, 0}, {0.941, 1}, {0.959, 1}, {0.961, 2}, {0.979, 2}, {0.981, 3}, {1, 3}, {1.5, 3}} {
		assert.Equal(t, c.bin, w.NearNameBin(c.sim), "similarity %v", c.sim)
	}
}

// TestNearNameBinsWeigh checks that a company name at the High level
// weighs the level's weight plus log2(M/U) of its similarity's bin, and
// the level's alone while the bins are unset.
func TestNearNameBinsWeigh(t *testing.T) {
	ctx := context.Background()
	dir, _ := nearNamesWorld(t)
	plain, err := matcher.New(dir)
	require.NoError(t, err)
	w := matcher.DefaultWeights()
	w.NearNameBins = [matcher.NearNameBinCount]matcher.Level{{0.1, 0.4}, {0.2, 0.3}, {0.3, 0.2}, {0.4, 0.1}}
	binned, err := matcher.New(dir, matcher.WithWeights(w))
	require.NoError(t, err)

	q := matcher.CompanyQuery{Name: typo(madeUpName(5))}
	a, err := plain.MatchCompany(ctx, q)
	require.NoError(t, err)
	b, err := binned.MatchCompany(ctx, q)
	require.NoError(t, err)
	require.NotEmpty(t, a.Candidates)
	require.NotEmpty(t, b.Candidates)
	was, got := a.Candidates[0].Fields[0], b.Candidates[0].Fields[0]
	require.Equal(t, matcher.LevelHigh, was.Level)
	require.Equal(t, was.Similarity, got.Similarity)
	bin := w.NearNameBins[w.NearNameBin(got.Similarity)]
	assert.InDelta(t, was.Contribution+math.Log2(bin.M/bin.U), got.Contribution, 1e-9)
	assert.InDelta(t, math.Log2(w.CompanyName.High.M/w.CompanyName.High.U), was.Contribution, 1e-9)
}

// TestFitNearNameBins fits a synthetic directory of 20,000 companies to a
// batch of name-only queries with up to two typos, a tenth of them for
// companies left out. The true pairs at the High level are nearer than the
// chance ones: fitting gives the nearest bin a larger M share than the
// farthest, a smaller U share, and a pair weighs more the nearer its bin.
func TestFitNearNameBins(t *testing.T) {
	if testing.Short() {
		t.Skip("fits 20,000 companies")
	}
	ctx := context.Background()
	world := synth.New(synth.Options{Seed: 5, Companies: 20000})
	qs := world.HardCompanyQueries(2000, synth.QueryOptions{Seed: 9})
	dir := memdir.New(memdir.WithVocabulary())
	left := map[string]bool{}
	for i, c := range world.Companies() {
		if i%10 == 3 {
			left[c.ID] = true
			continue
		}
		require.NoError(t, dir.AddCompany(matcher.Company{ID: c.ID, Name: c.Name, Industry: c.Industry, Location: c.Location, Website: c.Website}))
	}
	mq := make([]matcher.CompanyQuery, len(qs))
	for i, q := range qs {
		mq[i] = matcher.CompanyQuery{Name: q.Name}
	}
	eng, err := matcher.New(dir)
	require.NoError(t, err)
	rep, err := eng.FitCompanies(ctx, mq, nil)
	require.NoError(t, err)

	bins := rep.Weights.NearNameBins
	for _, b := range bins {
		require.Positive(t, b.M)
		require.Positive(t, b.U)
	}
	last := matcher.NearNameBinCount - 1
	assert.Greater(t, bins[last].M, bins[0].M, "true pairs are nearer")
	assert.Less(t, bins[last].U, bins[0].U, "chance pairs are farther")
	var high []matcher.FittedLevel
	for _, l := range rep.Levels {
		if l.Field == matcher.FieldName && strings.HasPrefix(l.Level, matcher.LevelHigh+" ") {
			high = append(high, l)
		}
	}
	require.Len(t, high, matcher.NearNameBinCount, "one fitted level a bin")
	var sumM float64
	for _, l := range high {
		sumM += l.After.M
	}
	assert.InDelta(t, rep.Weights.CompanyName.High.M, sumM, 1e-9)

	absent, n := 0, 0
	for i, q := range qs {
		if !left[q.TruthID] {
			continue
		}
		n++
		res, err := eng.MatchCompany(ctx, mq[i])
		require.NoError(t, err)
		if res.Decision == matcher.Match {
			absent++
		}
	}
	t.Logf("bins %v; absent matched %d of %d", bins, absent, n)
	back := roundTrip(t, rep)
	assert.Equal(t, bins, back.Weights.NearNameBins, "a report carries the bins to another engine")
	assert.True(t, slices.IsSortedFunc(bins[:], func(a, b matcher.Level) int {
		ra, rb := a.M/a.U, b.M/b.U
		switch {
		case ra < rb:
			return -1
		case ra > rb:
			return 1
		}
		return 0
	}), "the nearer the bin, the more a pair in it says")
}
