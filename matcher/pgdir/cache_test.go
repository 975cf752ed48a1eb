package pgdir_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/internal/synth"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/pgdir"
)

// A replica's cached entities follow changes made through another replica:
// an upserted profile comes back as it now is, a removed entity not at all,
// and the engine's results equal those of a replica without caches.
func TestCacheFollowsOtherReplicas(t *testing.T) {
	dsn, schema := freshSchema(t)
	ctx := t.Context()
	w := synth.New(synth.Options{Seed: 9, Companies: 1500})
	cs := make([]matcher.Company, 0, len(w.Companies()))
	for _, c := range w.Companies() {
		cs = append(cs, matcher.Company(c))
	}
	cached, err := pgdir.Open(ctx, dsn, pgdir.WithSchema(schema), pgdir.WithEntityCache(50), pgdir.WithPostingCache(20000))
	require.NoError(t, err)
	t.Cleanup(cached.Close)
	plain, err := pgdir.Open(ctx, dsn, pgdir.WithSchema(schema), pgdir.WithEntityCache(0), pgdir.WithPostingCache(0), pgdir.WithCountReuse(false))
	require.NoError(t, err)
	t.Cleanup(plain.Close)
	require.NoError(t, plain.AddCompanies(ctx, slices.Values(cs)))

	ce, err := matcher.New(cached)
	require.NoError(t, err)
	pe, err := matcher.New(plain)
	require.NoError(t, err)
	queries := w.CompanyQueries(60, synth.QueryOptions{Seed: 4})
	same := func(stage string) {
		t.Helper()
		// Twice: the second pass is served from the cache.
		for pass := range 2 {
			for i, q := range queries {
				cq := matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website}
				want, werr := pe.MatchCompany(ctx, cq)
				got, gerr := ce.MatchCompany(ctx, cq)
				require.Equal(t, werr, gerr, "%s, pass %d, query %d", stage, pass, i)
				require.Equal(t, want, got, "%s, pass %d, query %d", stage, pass, i)
			}
		}
	}
	same("loaded")

	// Change the first query's best candidates through the other handle.
	q := queries[0]
	mq, err := matcher.NewCompanyQuery(matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website})
	require.NoError(t, err)
	before, err := cached.Candidates(ctx, mq, 10, nil)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(before), 2)
	changed := matcher.Company{ID: before[0].Ref.ID, Name: q.Name, Industry: "Quantum Basket Weaving", Location: "Reykjavik, Iceland"}
	require.NoError(t, plain.UpsertCompany(ctx, changed))
	gone := before[1].Ref
	ok, err := plain.Remove(ctx, gone)
	require.NoError(t, err)
	require.True(t, ok)

	after, err := cached.Candidates(ctx, mq, 10, nil)
	require.NoError(t, err)
	i := slices.IndexFunc(after, func(e matcher.Entity) bool { return e.Ref == before[0].Ref })
	require.GreaterOrEqual(t, i, 0, "the upserted company is still a candidate")
	require.Equal(t, matcher.NewCompanyEntity(changed), after[i], "the upserted profile, not the cached one")
	require.False(t, slices.ContainsFunc(after, func(e matcher.Entity) bool { return e.Ref == gone }), "a removed company")
	same("changed elsewhere")

	// Through the cached handle too.
	changed.Location = "Hobart, Australia"
	require.NoError(t, cached.UpsertCompany(ctx, changed))
	after, err = cached.Candidates(ctx, mq, 10, nil)
	require.NoError(t, err)
	i = slices.IndexFunc(after, func(e matcher.Entity) bool { return e.Ref == before[0].Ref })
	require.GreaterOrEqual(t, i, 0)
	require.Equal(t, matcher.NewCompanyEntity(changed), after[i])
	same("changed here")
}

// KeyCounts answered from the counts read by Candidates equals the counts
// read on their own, and a write through the same handle is seen at once.
func TestCountReuse(t *testing.T) {
	d, _, _ := open(t)
	ctx := t.Context()
	w := synth.New(synth.Options{Seed: 10, Companies: 800})
	cs := make([]matcher.Company, 0, len(w.Companies()))
	for _, c := range w.Companies() {
		cs = append(cs, matcher.Company(c))
	}
	load(t, d, cs, nil)
	plain, err := pgdir.OpenPool(ctx, d.Pool(), pgdir.WithSchema(d.Schema()), pgdir.WithCountReuse(false))
	require.NoError(t, err)
	for i, q := range w.CompanyQueries(50, synth.QueryOptions{Seed: 6}) {
		mq, err := matcher.NewCompanyQuery(matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website})
		require.NoError(t, err)
		keys := mq.CountKeys(nil)
		want := make([]int, len(keys))
		wn, err := plain.KeyCounts(ctx, mq.Kind(), keys, want)
		require.NoError(t, err)
		_, err = d.Candidates(ctx, mq, 10, nil)
		require.NoError(t, err)
		if i%2 == 1 {
			// A new company carrying the query's industry and name words.
			c := matcher.Company{ID: "new-" + q.ID, Name: q.Name, Industry: q.Industry, Location: q.Location}
			require.NoError(t, d.UpsertCompany(ctx, c))
			wn, err = plain.KeyCounts(ctx, mq.Kind(), keys, want)
			require.NoError(t, err)
		}
		got := make([]int, len(keys))
		gn, err := d.KeyCounts(ctx, mq.Kind(), keys, got)
		require.NoError(t, err)
		require.Equal(t, wn, gn, "query %d: entity count", i)
		require.Equal(t, want, got, "query %d: key counts", i)
	}
}
