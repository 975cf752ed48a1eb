package pgdir_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/internal/synth"
	"github.com/crmlink/crmlink/internal/testenv"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/dirtest"
	"github.com/crmlink/crmlink/matcher/memdir"
	"github.com/crmlink/crmlink/matcher/pgdir"
)

func TestConformance(t *testing.T) {
	testenv.PostgresDSN(t) // skip (or fail under CI) here, not in a subtest
	outer := t
	dirtest.Run(t, func(_ *testing.T, cs []matcher.Company, ms []matcher.Member) matcher.Directory {
		// The suite shares one directory across its subtests: it lives
		// as long as the whole test, not the subtest that made it.
		d, _, _ := open(outer)
		load(t, d, cs, ms)
		return mutable{Dir: d, ctx: context.Background()}
	})
}

func ids(es []matcher.Entity) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Ref.ID
	}
	return out
}

// equivalence loads w into a memdir and a pgdir the same way and checks
// that candidates, key counts and samples are the same.
func TestSameCandidatesAsMemdir(t *testing.T) {
	w := synth.New(synth.Options{Seed: 3, Companies: 4000, Members: 4000})
	cs, ms := dirtest.Entities(w)
	ctx := t.Context()
	// A small budget as well as the default, so that truncation of long
	// posting lists is exercised on a small world.
	for _, budget := range []int{pgdir.DefaultPostingBudget, 300} {
		t.Run(fmt.Sprint("budget=", budget), func(t *testing.T) {
			md := memdir.New(memdir.WithPostingBudget(budget))
			require.NoError(t, md.AddCompanies(ctx, slices.Values(cs)))
			require.NoError(t, md.AddMembers(ctx, slices.Values(ms)))
			pd, _, _ := open(t, pgdir.WithPostingBudget(budget))
			load(t, pd, cs, ms)

			var qs []*matcher.Query
			for _, q := range w.CompanyQueries(300, synth.QueryOptions{Seed: 11, AbsentRate: 0.1}) {
				p, err := matcher.NewCompanyQuery(matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website})
				if err == nil {
					qs = append(qs, p)
				}
			}
			for _, q := range w.MemberQueries(300, synth.QueryOptions{Seed: 12, AbsentRate: 0.1}) {
				p, err := matcher.NewMemberQuery(matcher.MemberQuery{FirstName: q.FirstName, LastName: q.LastName,
					Company: q.Company, Title: q.Title, Email: q.Email, Location: q.Location})
				if err == nil {
					qs = append(qs, p)
				}
			}
			require.Greater(t, len(qs), 500)
			nonEmpty := 0
			for i, q := range qs {
				for _, limit := range []int{matcher.DefaultCandidateLimit, 3} {
					want, err := md.Candidates(ctx, q, limit, nil)
					require.NoError(t, err)
					got, err := pd.Candidates(ctx, q, limit, nil)
					require.NoError(t, err)
					require.Equal(t, ids(want), ids(got), "query %d (kind %v), limit %d", i, q.Kind(), limit)
					if len(want) > 0 {
						nonEmpty++
					}
				}
				keys := q.Keys()
				wc, gc := make([]int, len(keys)), make([]int, len(keys))
				wn, err := md.KeyCounts(ctx, q.Kind(), keys, wc)
				require.NoError(t, err)
				gn, err := pd.KeyCounts(ctx, q.Kind(), keys, gc)
				require.NoError(t, err)
				require.Equal(t, wn, gn, "query %d: entity count", i)
				require.Equal(t, wc, gc, "query %d: key counts", i)
			}
			assert.Greater(t, nonEmpty, len(qs), "most queries have candidates")

			// The engine's results are the same too (scores included).
			me, err := matcher.New(md)
			require.NoError(t, err)
			pe, err := matcher.New(pd)
			require.NoError(t, err)
			for _, q := range w.CompanyQueries(50, synth.QueryOptions{Seed: 13}) {
				cq := matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website}
				want, werr := me.MatchCompany(ctx, cq)
				got, gerr := pe.MatchCompany(ctx, cq)
				require.Equal(t, werr, gerr)
				require.Equal(t, want, got)
			}

			for _, k := range []matcher.Kind{matcher.KindCompany, matcher.KindMember} {
				want, err := md.Sample(ctx, k, 200, 7)
				require.NoError(t, err)
				got, err := pd.Sample(ctx, k, 200, 7)
				require.NoError(t, err)
				require.Equal(t, ids(want), ids(got), "sample of %v", k)
			}
		})
	}
}

// After upserts and removes both directories still agree on the counts, and
// on the candidates of queries whose posting lists are not cut by the budget
// (memdir reuses freed slots; pgdir numbers new entities after the others).
func TestChangesKeepCounts(t *testing.T) {
	w := synth.New(synth.Options{Seed: 4, Companies: 500, Members: 500})
	cs := make([]matcher.Company, 0, len(w.Companies()))
	for _, c := range w.Companies() {
		cs = append(cs, matcher.Company(c))
	}
	ctx := t.Context()
	md := memdir.New()
	require.NoError(t, md.AddCompanies(ctx, slices.Values(cs)))
	pd, _, _ := open(t)
	require.NoError(t, pd.AddCompanies(ctx, slices.Values(cs)))
	for i := 0; i < 60; i++ {
		c := cs[i*7%len(cs)]
		switch i % 3 {
		case 0:
			c.Name += " Holdings"
			require.NoError(t, md.UpsertCompany(c))
			require.NoError(t, pd.UpsertCompany(ctx, c))
		case 1:
			ref := matcher.EntityRef{Kind: matcher.KindCompany, ID: c.ID}
			a, err := md.Remove(ref)
			require.NoError(t, err)
			b, err := pd.Remove(ctx, ref)
			require.NoError(t, err)
			require.Equal(t, a, b, "remove %s", c.ID)
		case 2:
			c.ID = fmt.Sprintf("new-%d", i)
			require.NoError(t, md.UpsertCompany(c))
			require.NoError(t, pd.UpsertCompany(ctx, c))
		}
	}
	for i, q := range w.CompanyQueries(200, synth.QueryOptions{Seed: 5}) {
		p, err := matcher.NewCompanyQuery(matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website})
		if err != nil {
			continue
		}
		keys := p.Keys()
		wc, gc := make([]int, len(keys)), make([]int, len(keys))
		wn, err := md.KeyCounts(ctx, matcher.KindCompany, keys, wc)
		require.NoError(t, err)
		gn, err := pd.KeyCounts(ctx, matcher.KindCompany, keys, gc)
		require.NoError(t, err)
		require.Equal(t, wn, gn, "query %d", i)
		require.Equal(t, wc, gc, "query %d", i)
		want, err := md.Candidates(ctx, p, matcher.DefaultCandidateLimit, nil)
		require.NoError(t, err)
		got, err := pd.Candidates(ctx, p, matcher.DefaultCandidateLimit, nil)
		require.NoError(t, err)
		// Same set when fewer than the limit are touched (no tie cut).
		if len(want) < matcher.DefaultCandidateLimit {
			assert.Equal(t, ids(want), ids(got), "query %d", i)
		}
	}
}

// hasIndex reports whether the postings table has its primary key index.
func hasIndex(t *testing.T, d *pgdir.Dir) bool {
	t.Helper()
	var name *string
	require.NoError(t, d.Pool().QueryRow(t.Context(), "SELECT to_regclass($1)::text",
		pgx.Identifier{d.Schema()}.Sanitize()+".postings_pkey").Scan(&name))
	return name != nil
}

func TestBulkErrors(t *testing.T) {
	d, _, _ := open(t)
	ctx := t.Context()
	// A load into the empty directory drops and rebuilds the index: an
	// empty load and a failed one leave it in place.
	require.NoError(t, d.AddCompanies(ctx, slices.Values([]matcher.Company(nil))))
	assert.True(t, hasIndex(t, d), "index after an empty load")
	err := d.AddCompanies(ctx, slices.Values([]matcher.Company{{ID: "c1", Name: "Acme"}, {ID: "c1", Name: "Acme"}}))
	require.ErrorIs(t, err, pgdir.ErrDuplicate)
	assert.True(t, hasIndex(t, d), "index after a failed load")
	require.NoError(t, d.AddCompanies(ctx, slices.Values([]matcher.Company{{ID: "c1", Name: "Acme"}})))
	assert.True(t, hasIndex(t, d), "index after a first load")
	err = d.AddCompanies(ctx, slices.Values([]matcher.Company{{ID: "c2", Name: "Beta"}, {ID: "c1", Name: "Acme Two"}}))
	require.ErrorIs(t, err, pgdir.ErrDuplicate)
	err = d.AddMembers(ctx, slices.Values([]matcher.Member{{ID: "m1", LastName: "Doe"}, {ID: "m1", LastName: "Roe"}}))
	require.ErrorIs(t, err, pgdir.ErrDuplicate)
	noID := d.AddMembers(ctx, slices.Values([]matcher.Member{{LastName: "Doe"}}))
	require.ErrorIs(t, noID, pgdir.ErrNoID)
	require.ErrorIs(t, d.UpsertCompany(ctx, matcher.Company{Name: "Acme"}), pgdir.ErrNoID)
	// A failed load adds nothing.
	n, err := d.Len(ctx, matcher.KindCompany)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	_, ok, err := d.Entity(ctx, matcher.EntityRef{Kind: matcher.KindCompany, ID: "c2"})
	require.NoError(t, err)
	assert.False(t, ok, "c2 of the failed load")
	n, err = d.Len(ctx, matcher.KindMember)
	require.NoError(t, err)
	assert.Equal(t, 0, n)
	// The error names no profile data.
	assert.NotContains(t, noID.Error(), "Doe")
}

func TestReopenAndVersion(t *testing.T) {
	d, dsn, schema := open(t)
	ctx := t.Context()
	require.NoError(t, d.UpsertCompany(ctx, matcher.Company{ID: "c1", Name: "Acme Widgets"}))
	d2, err := pgdir.Open(ctx, dsn, pgdir.WithSchema(schema))
	require.NoError(t, err)
	defer d2.Close()
	e, ok, err := d2.Entity(ctx, matcher.EntityRef{Kind: matcher.KindCompany, ID: "c1"})
	require.NoError(t, err)
	require.True(t, ok)
	assert.True(t, e.Valid())

	_, err = d.Pool().Exec(ctx, `INSERT INTO "`+schema+`".pgdir_schema_version (version) VALUES (99)`)
	require.NoError(t, err)
	_, err = pgdir.Open(ctx, dsn, pgdir.WithSchema(schema))
	require.ErrorIs(t, err, pgdir.ErrSchemaVersion)

	for _, name := range []string{"", string(make([]byte, 64)), "a\x00b"} {
		_, err = pgdir.Open(ctx, dsn, pgdir.WithSchema(name))
		require.ErrorIs(t, err, pgdir.ErrInvalid, "schema %q", name)
	}
}

// Concurrent upserts and removes of overlapping entities (sharing keys)
// while readers query: no deadlock, no error, and the counts end consistent
// with the entities left.
func TestConcurrentWriters(t *testing.T) {
	d, _, _ := open(t)
	ctx := t.Context()
	eng, err := matcher.New(d)
	require.NoError(t, err)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 40 {
				id := fmt.Sprintf("c%d", (i+g)%10)
				if err := d.UpsertCompany(ctx, matcher.Company{ID: id, Name: fmt.Sprintf("Shared Name Works %d", i%4), Website: "shared.example"}); err != nil {
					errs <- err
					return
				}
				if i%5 == g {
					if _, err := d.Remove(ctx, matcher.EntityRef{Kind: matcher.KindCompany, ID: id}); err != nil {
						errs <- err
						return
					}
				}
			}
		}()
	}
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 40 {
				if _, err := eng.MatchCompany(ctx, matcher.CompanyQuery{Name: "Shared Name Works"}); err != nil && !errors.Is(err, matcher.ErrEmptyQuery) {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	n := 0
	for i := range 10 {
		_, ok, err := d.Entity(ctx, matcher.EntityRef{Kind: matcher.KindCompany, ID: fmt.Sprintf("c%d", i)})
		require.NoError(t, err)
		if ok {
			n++
		}
	}
	got, err := d.Len(ctx, matcher.KindCompany)
	require.NoError(t, err)
	assert.Equal(t, n, got)
	var bad int
	require.NoError(t, d.Pool().QueryRow(ctx, `SELECT count(*) FROM (
		SELECT c.key FROM `+pgx.Identifier{d.Schema()}.Sanitize()+`.key_counts c
		LEFT JOIN (SELECT key, count(*) AS n FROM `+pgx.Identifier{d.Schema()}.Sanitize()+`.postings GROUP BY key) p ON p.key = c.key
		WHERE c.n <> coalesce(p.n, 0)) x`).Scan(&bad))
	assert.Zero(t, bad, "key counts differing from the postings")
}
