package pgdir_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/internal/synth"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/dirtest"
	"github.com/crmlink/crmlink/matcher/memdir"
)

// TestFitLikeMemdir fits engines over pgdir and memdir holding the same
// directory to the same batches: the directory's measurements (the sample,
// the counts of names held once and twice) must agree, and so must what the
// fit learns, up to the random pairs each draws in its own order.
func TestFitLikeMemdir(t *testing.T) {
	w := synth.New(synth.Options{Seed: 8, Companies: 1500, Members: 1500})
	cs, ms := dirtest.Entities(w)
	ctx := t.Context()
	md := memdir.New()
	require.NoError(t, md.AddCompanies(ctx, slices.Values(cs)))
	require.NoError(t, md.AddMembers(ctx, slices.Values(ms)))
	pd, _, _ := open(t)
	load(t, pd, cs, ms)

	var cq []matcher.CompanyQuery
	for _, q := range w.CompanyQueries(300, synth.QueryOptions{Seed: 4, AbsentRate: 0.1}) {
		cq = append(cq, matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website})
	}
	var mq []matcher.MemberQuery
	for _, q := range w.MemberQueries(300, synth.QueryOptions{Seed: 5, AbsentRate: 0.1}) {
		mq = append(mq, matcher.MemberQuery{FirstName: q.FirstName, LastName: q.LastName, Company: q.Company,
			Title: q.Title, Email: q.Email, Location: q.Location})
	}
	fit := func(d matcher.Directory) (co, mem *matcher.FitReport) {
		eng, err := matcher.New(d)
		require.NoError(t, err)
		co, err = eng.FitCompanies(ctx, cq, nil)
		require.NoError(t, err)
		mem, err = eng.FitMembers(ctx, mq, nil)
		require.NoError(t, err)
		return co, mem
	}
	mc, mm := fit(md)
	pc, pm := fit(pd)
	for _, r := range [][2]*matcher.FitReport{{mc, pc}, {mm, pm}} {
		m, p := r[0], r[1]
		assert.Equal(t, m.SampledEntities, p.SampledEntities, "%v: the whole directory is the sample", m.Kind)
		assert.Equal(t, m.Singletons, p.Singletons, "%v", m.Kind)
		assert.NotEmpty(t, p.Singletons, "%v", m.Kind)
		assert.Equal(t, m.Queries, p.Queries, "%v", m.Kind)
		assert.InDelta(t, m.InDirectory, p.InDirectory, 0.02, "%v", m.Kind)
	}
}
