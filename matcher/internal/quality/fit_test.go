package quality

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/internal/synth"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

// fitWorld is a synthetic directory and its queries, with 10% of queries
// for absent entities.
func fitWorld(t *testing.T) (*memdir.Dir, []matcher.CompanyQuery, []synth.CompanyQuery, []matcher.MemberQuery, []synth.MemberQuery) {
	t.Helper()
	entities, queries := 8000, 1500
	if raceEnabled || testing.Short() {
		entities, queries = 3000, 500
	}
	w := synth.New(synth.Options{Seed: 20261204, Companies: entities, Members: entities})
	dir := worldDir(t, w, entities)
	qo := synth.QueryOptions{Seed: 5, AbsentRate: 0.1}
	sc := w.CompanyQueries(queries, qo)
	sm := w.MemberQueries(queries, qo)
	var cq []matcher.CompanyQuery
	for _, q := range sc {
		cq = append(cq, matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website})
	}
	var mq []matcher.MemberQuery
	for _, q := range sm {
		mq = append(mq, matcher.MemberQuery{FirstName: q.FirstName, LastName: q.LastName, Company: q.Company,
			Title: q.Title, Email: q.Email, Location: q.Location})
	}
	return dir, cq, sc, mq, sm
}

func matchAll[Q any](t *testing.T, n int, match func(context.Context, Q) (matcher.Result, error), qs []Q,
	truth func(int) (string, []string)) *accuracy {
	t.Helper()
	a := &accuracy{}
	for i, q := range qs[:n] {
		res, err := match(t.Context(), q)
		if err != nil {
			require.ErrorIs(t, err, matcher.ErrEmptyQuery)
		}
		id, noise := truth(i)
		a.add(id, noise, res)
	}
	return a
}

// TestFit fits the engine's model ([matcher.Engine.FitCompanies],
// [matcher.Engine.FitMembers]) on a batch without labels and checks what it
// learns: the share of queries whose entity is in the directory, and
// decisions that match at least as many present queries as the model it
// started from, at a precision that does not fall.
func TestFit(t *testing.T) {
	dir, cq, sc, mq, sm := fitWorld(t)
	ctx := t.Context()

	t.Run("companies", func(t *testing.T) {
		eng, err := matcher.New(dir)
		require.NoError(t, err)
		truth := func(i int) (string, []string) { return sc[i].TruthID, sc[i].Noise }
		before := matchAll(t, len(cq), eng.MatchCompany, cq, truth)
		rep, err := eng.FitCompanies(ctx, cq, nil)
		require.NoError(t, err)
		require.Same(t, rep, eng.Fitted(matcher.KindCompany))
		after := matchAll(t, len(cq), eng.MatchCompany, cq, truth)
		t.Logf("fit: %d queries, %d pairs, %d iterations, in directory %.3f (was %.3f)", rep.Queries, rep.Pairs,
			rep.Iterations, rep.InDirectory, rep.InDirectoryBefore)
		t.Log("before:", before.summary("companies"))
		t.Log("after: ", after.summary("companies"))
		assert.True(t, rep.Converged)
		// 10% of the queries are absent and a few present ones are not
		// retrieved: the fitted share is near 0.9, far from the 0.5 it
		// started from.
		assert.InDelta(t, 0.88, rep.InDirectory, 0.06)
		assert.GreaterOrEqual(t, after.matchCoverage(), before.matchCoverage())
		assert.GreaterOrEqual(t, after.precision(), 0.99)
		assert.LessOrEqual(t, after.falseMatchRate(), falseMatchCeiling(0.03), "%d absent queries", after.absent)
		assert.Nil(t, eng.Fitted(matcher.KindMember), "fitting companies leaves the member model")
	})
	t.Run("members", func(t *testing.T) {
		eng, err := matcher.New(dir)
		require.NoError(t, err)
		truth := func(i int) (string, []string) { return sm[i].TruthID, sm[i].Noise }
		before := matchAll(t, len(mq), eng.MatchMember, mq, truth)
		rep, err := eng.FitMembers(ctx, mq, nil)
		require.NoError(t, err)
		after := matchAll(t, len(mq), eng.MatchMember, mq, truth)
		t.Logf("fit: %d queries, %d pairs, %d iterations, in directory %.3f", rep.Queries, rep.Pairs, rep.Iterations, rep.InDirectory)
		t.Log("before:", before.summary("members"))
		t.Log("after: ", after.summary("members"))
		assert.InDelta(t, 0.88, rep.InDirectory, 0.06)
		assert.GreaterOrEqual(t, after.matchCoverage(), before.matchCoverage())
		assert.GreaterOrEqual(t, after.precision(), 0.98)
		assert.LessOrEqual(t, after.falseMatchRate(), falseMatchCeiling(0.05), "%d absent queries", after.absent)
		for _, l := range rep.Levels {
			assert.True(t, l.After.M > 0 && l.After.M <= 1, "%s/%s M %g", l.Field, l.Level, l.After.M)
			assert.True(t, l.After.U > 0 && l.After.U <= 1, "%s/%s U %g", l.Field, l.Level, l.After.U)
		}
	})
}

// falseMatchCeiling is the ceiling of the false-match rate on absent
// queries: c on the full world, with room for sampling noise in the small
// one (under -race or -short about 50 absent queries, each 2 points).
func falseMatchCeiling(c float64) float64 {
	if raceEnabled || testing.Short() {
		return c + 0.06
	}
	return c
}
