package matcher_test

import (
	"context"
	"encoding/json"
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
	entities, queries := 3000, 400
	w := synth.New(synth.Options{Seed: 20261204, Companies: entities, Members: entities})
	dir := memdir.New(memdir.WithCapacity(2 * entities))
	for _, c := range w.Companies() {
		require.NoError(t, dir.AddCompany(matcher.Company{ID: c.ID, Name: c.Name, Industry: c.Industry,
			Location: c.Location, Website: c.Website}))
	}
	for _, m := range w.Members() {
		h, _ := matcher.HashEmail(m.Email)
		require.NoError(t, dir.AddMember(matcher.Member{ID: m.ID, FirstName: m.FirstName, LastName: m.LastName,
			Company: m.Company, Title: m.Title, Location: m.Location, EmailHash: h}))
	}
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

// TestFitModel checks the fitting API: determinism, a batch with nothing
// to learn from, cancellation. What fitting learns is measured in
// matcher/internal/quality (TestFit).
func TestFitModel(t *testing.T) {
	dir, _, _, mq, _ := fitWorld(t)
	ctx := t.Context()
	t.Run("deterministic", func(t *testing.T) {
		var reps [2]*matcher.FitReport
		for i := range reps {
			eng, err := matcher.New(dir, matcher.WithConcurrency(1+i))
			require.NoError(t, err)
			reps[i], err = eng.FitMembers(ctx, mq[:200], nil)
			require.NoError(t, err)
		}
		assert.Equal(t, reps[0], reps[1], "the same batch fits the same model at any concurrency")
	})
	t.Run("empty", func(t *testing.T) {
		eng, err := matcher.New(dir)
		require.NoError(t, err)
		rep, err := eng.FitCompanies(ctx, []matcher.CompanyQuery{{}, {}}, nil)
		require.NoError(t, err)
		assert.Zero(t, rep.Queries)
		assert.Nil(t, eng.Fitted(matcher.KindCompany), "nothing to learn from: the model stays")
	})
	t.Run("cancelled", func(t *testing.T) {
		eng, err := matcher.New(dir)
		require.NoError(t, err)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err = eng.FitMembers(cctx, mq, nil)
		require.ErrorIs(t, err, context.Canceled)
		assert.Nil(t, eng.Fitted(matcher.KindMember))
	})
}

// TestWithFit moves a fitted model to a new engine through JSON: it scores
// as the engine it was fitted on.
func TestWithFit(t *testing.T) {
	dir, cq, _, _, _ := fitWorld(t)
	ctx := t.Context()
	eng, err := matcher.New(dir)
	require.NoError(t, err)
	rep, err := eng.FitCompanies(ctx, cq[:300], nil)
	require.NoError(t, err)
	back := roundTrip(t, rep)
	eng2, err := matcher.New(dir, matcher.WithFit(&back))
	require.NoError(t, err)
	plain, err := matcher.New(dir)
	require.NoError(t, err)
	differ := 0
	for _, q := range cq[300:600] {
		a, errA := eng.MatchCompany(ctx, q)
		b, errB := eng2.MatchCompany(ctx, q)
		c, _ := plain.MatchCompany(ctx, q)
		require.Equal(t, errA, errB)
		require.Equal(t, a, b)
		if a.Best != nil && c.Best != nil && a.Best.Score != c.Best.Score {
			differ++
		}
	}
	assert.Positive(t, differ, "the fitted model scores differently from the default one")

	_, err = matcher.New(dir, matcher.WithFit(&matcher.FitReport{Kind: matcher.KindMember, InDirectory: 1.5}))
	require.Error(t, err)
}

// roundTrip returns rep written to JSON and read back, as another process
// would load it.
func roundTrip(t *testing.T, rep *matcher.FitReport) matcher.FitReport {
	t.Helper()
	b, err := json.Marshal(rep)
	require.NoError(t, err)
	var back matcher.FitReport
	require.NoError(t, json.Unmarshal(b, &back))
	return back
}
