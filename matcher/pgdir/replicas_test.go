package pgdir_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/internal/synth"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/dirtest"
	"github.com/crmlink/crmlink/matcher/pgdir"
	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/override/pgstore"
)

// Two replicas, each with its own pgdir handle and pool and its own override
// store handle (as two processes would have) on one schema, give the same
// answers; a directory change and an override written through one are seen
// by the other.
func TestReplicas(t *testing.T) {
	dsn, schema := freshSchema(t)
	ctx := t.Context()
	w := synth.New(synth.Options{Seed: 8, Companies: 1500, Members: 1500})
	cs, ms := dirtest.Entities(w)

	type replica struct {
		dir *pgdir.Dir
		r   *crmlink.Resolver
	}
	var reps [2]replica
	for i := range reps {
		d, err := pgdir.Open(ctx, dsn, pgdir.WithSchema(schema))
		require.NoError(t, err)
		t.Cleanup(d.Close)
		st, err := pgstore.Open(ctx, dsn, pgstore.WithSchema(schema))
		require.NoError(t, err)
		t.Cleanup(func() { _ = st.Close() })
		eng, err := matcher.New(d)
		require.NoError(t, err)
		r, err := crmlink.NewResolver(st, eng, crmlink.WithoutVisibility())
		require.NoError(t, err)
		reps[i] = replica{d, r}
	}
	// One replica loads the directory.
	require.NoError(t, reps[0].dir.AddCompanies(ctx, slices.Values(cs)))
	require.NoError(t, reps[0].dir.AddMembers(ctx, slices.Values(ms)))

	viewer := crmlink.Viewer{Org: "00D1", User: "005U1"}
	queries := w.CompanyQueries(100, synth.QueryOptions{Seed: 21})
	rec := func(i int) override.RecordRef {
		return override.RecordRef{Org: viewer.Org, Object: override.Account, ID: queries[i].ID}
	}
	same := 0
	for i, q := range queries {
		cq := matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website}
		a, aerr := reps[0].r.ResolveCompany(ctx, viewer, rec(i), cq)
		b, berr := reps[1].r.ResolveCompany(ctx, viewer, rec(i), cq)
		require.Equal(t, aerr, berr, "query %d", i)
		require.Equal(t, a, b, "query %d", i)
		if aerr == nil {
			same++
		}
	}
	require.Greater(t, same, 80)

	// A correction through replica 1 is seen by replica 0.
	q := queries[0]
	cq := matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website}
	target := override.EntityRef{Kind: override.Company, ID: cs[len(cs)-1].ID}
	require.NoError(t, reps[1].r.Correct(ctx, viewer, rec(0), target))
	res, err := reps[0].r.ResolveCompany(ctx, viewer, rec(0), cq)
	require.NoError(t, err)
	assert.Equal(t, crmlink.ViaManual, res.Via)
	assert.Equal(t, target, res.Entity)

	// A rejection through replica 0 is seen by replica 1.
	q = queries[1]
	cq = matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website}
	before, err := reps[1].r.ResolveCompany(ctx, viewer, rec(1), cq)
	require.NoError(t, err)
	require.NotNil(t, before.Result)
	require.NotNil(t, before.Result.Best)
	best := override.EntityRef{Kind: override.Company, ID: before.Result.Best.Entity.ID}
	require.NoError(t, reps[0].r.Reject(ctx, viewer, rec(1), best))
	after, err := reps[1].r.ResolveCompany(ctx, viewer, rec(1), cq)
	require.NoError(t, err)
	require.NotNil(t, after.Result)
	for _, c := range after.Result.Candidates {
		assert.NotEqual(t, best.ID, c.Entity.ID, "rejected entity proposed by the other replica")
	}

	// A company upserted through replica 0 is found by replica 1.
	nc := matcher.Company{ID: "replica-new", Name: "Quillfeather Instruments", Website: "quillfeather.example"}
	require.NoError(t, reps[0].dir.UpsertCompany(ctx, nc))
	res, err = reps[1].r.ResolveCompany(ctx, viewer,
		override.RecordRef{Org: viewer.Org, Object: override.Account, ID: "001NEW"},
		matcher.CompanyQuery{Name: "Quillfeather Instruments Inc", Website: "www.quillfeather.example"})
	require.NoError(t, err)
	assert.True(t, res.Found)
	assert.Equal(t, "replica-new", res.Entity.ID)
}
