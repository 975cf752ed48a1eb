package dirtest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/internal/synth"
	"github.com/crmlink/crmlink/matcher"
)

// Mutable is implemented by directories that change while serving queries.
// The suite checks that a change is visible to the next query.
type Mutable interface {
	UpsertCompany(c matcher.Company) error
	UpsertMember(m matcher.Member) error
	Remove(ref matcher.EntityRef) (bool, error)
}

// NewDir builds a directory holding exactly the given companies and members.
// It registers any cleanup with t.Cleanup.
type NewDir func(t *testing.T, companies []matcher.Company, members []matcher.Member) matcher.Directory

// Fixture sizes and the recall the suite requires of candidate generation
// (the truth among [matcher.DefaultCandidateLimit] candidates).
const (
	fixtureCompanies = 3000
	fixtureMembers   = 3000
	recallQueries    = 400
	minRecall        = 0.95
)

// Fixture returns the suite's directory content: deterministic synthetic
// companies and members (member emails hashed with [matcher.HashEmail]).
func Fixture() ([]matcher.Company, []matcher.Member, *synth.World) {
	w := synth.New(synth.Options{Seed: 42, Companies: fixtureCompanies, Members: fixtureMembers})
	cs, ms := Entities(w)
	return cs, ms, w
}

// Entities returns the companies and members of w as a directory holds them
// (member emails hashed with [matcher.HashEmail]).
func Entities(w *synth.World) ([]matcher.Company, []matcher.Member) {
	cs := make([]matcher.Company, 0, len(w.Companies()))
	for _, c := range w.Companies() {
		cs = append(cs, matcher.Company(c))
	}
	ms := make([]matcher.Member, 0, len(w.Members()))
	for _, m := range w.Members() {
		ms = append(ms, MemberFromSynth(m))
	}
	return cs, ms
}

// MemberFromSynth converts a synthetic member, hashing its email.
func MemberFromSynth(m synth.Member) matcher.Member {
	h, _ := matcher.HashEmail(m.Email)
	return matcher.Member{ID: m.ID, FirstName: m.FirstName, LastName: m.LastName, Company: m.Company,
		Title: m.Title, Location: m.Location, EmailHash: h}
}

// Run runs the conformance suite against directories made by newDir.
func Run(t *testing.T, newDir NewDir) {
	cs, ms, w := Fixture()
	var once sync.Once
	var shared matcher.Directory
	dir := func(t *testing.T) matcher.Directory {
		once.Do(func() { shared = newDir(t, cs, ms) })
		return shared
	}
	t.Run("Lookup", func(t *testing.T) { testLookup(t, dir(t), cs, ms) })
	t.Run("UnknownID", func(t *testing.T) { testUnknown(t, dir(t)) })
	t.Run("CompanyRecall", func(t *testing.T) { testCompanyRecall(t, dir(t), w) })
	t.Run("MemberRecall", func(t *testing.T) { testMemberRecall(t, dir(t), w) })
	t.Run("Limit", func(t *testing.T) { testLimit(t, dir(t)) })
	t.Run("DstReuse", func(t *testing.T) { testDst(t, dir(t)) })
	t.Run("Canceled", func(t *testing.T) { testCanceled(t, dir(t)) })
	t.Run("Deterministic", func(t *testing.T) { testDeterministic(t, dir(t), w) })
	t.Run("Concurrent", func(t *testing.T) { testConcurrent(t, dir(t), w) })
	t.Run("Empty", func(t *testing.T) { testEmpty(t, newDir(t, nil, nil)) })
	t.Run("Mutable", func(t *testing.T) {
		// A fresh directory: the shared one must stay as built.
		testMutable(t, newDir(t, cs[:100], ms[:100]))
	})
}

// candidates calls dir.Candidates with the query the engine prepares from q
// (a CompanyQuery or MemberQuery, prepared by [matcher.NewCompanyQuery] or
// [matcher.NewMemberQuery]), limit and dst.
func candidates(t *testing.T, dir matcher.Directory, q any, limit int, dst []matcher.Entity) ([]matcher.Entity, error) {
	t.Helper()
	var p *matcher.Query
	var err error
	switch q := q.(type) {
	case matcher.CompanyQuery:
		p, err = matcher.NewCompanyQuery(q)
	case matcher.MemberQuery:
		p, err = matcher.NewMemberQuery(q)
	default:
		t.Fatalf("candidates: a query of type %T", q)
	}
	if err != nil {
		return nil, err
	}
	return dir.Candidates(t.Context(), p, limit, dst)
}

func testLookup(t *testing.T, dir matcher.Directory, cs []matcher.Company, ms []matcher.Member) {
	ctx := t.Context()
	for _, ref := range []matcher.EntityRef{
		{Kind: matcher.KindCompany, ID: cs[0].ID},
		{Kind: matcher.KindCompany, ID: cs[len(cs)-1].ID},
		{Kind: matcher.KindMember, ID: ms[0].ID},
		{Kind: matcher.KindMember, ID: ms[len(ms)-1].ID},
	} {
		e, ok, err := dir.Entity(ctx, ref)
		require.NoError(t, err)
		assert.True(t, ok, "Entity(%v) ok", ref)
		assert.Equal(t, ref, e.Ref, "Entity(%v).Ref", ref)
		assert.True(t, e.Valid(), "Entity(%v).Valid()", ref)
	}
}

func testUnknown(t *testing.T, dir matcher.Directory) {
	for _, ref := range []matcher.EntityRef{
		{Kind: matcher.KindCompany, ID: "no-such-id"},
		{Kind: matcher.KindMember, ID: ""},
		{Kind: matcher.Kind(99), ID: "c1"},
	} {
		_, ok, err := dir.Entity(t.Context(), ref)
		assert.NoError(t, err, "Entity(%v)", ref)
		assert.False(t, ok, "Entity(%v) ok", ref)
	}
}

func contains(es []matcher.Entity, id string) bool {
	for _, e := range es {
		if e.Ref.ID == id {
			return true
		}
	}
	return false
}

func testCompanyRecall(t *testing.T, dir matcher.Directory, w *synth.World) {
	found, total := 0, 0
	for _, q := range w.CompanyQueries(recallQueries, synth.QueryOptions{Seed: 9}) {
		cq := matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website}
		if q.Name == "" && q.Website == "" {
			continue // nothing to look up: an empty query
		}
		es, err := candidates(t, dir, cq, matcher.DefaultCandidateLimit, nil)
		require.NoError(t, err)
		total++
		if contains(es, q.TruthID) {
			found++
		}
	}
	recall := float64(found) / float64(total)
	t.Logf("company candidate recall@%d = %.3f (%d queries)", matcher.DefaultCandidateLimit, recall, total)
	assert.GreaterOrEqual(t, recall, minRecall, "company candidate recall")
}

func testMemberRecall(t *testing.T, dir matcher.Directory, w *synth.World) {
	found, total := 0, 0
	for _, q := range w.MemberQueries(recallQueries, synth.QueryOptions{Seed: 9}) {
		mq := matcher.MemberQuery{FirstName: q.FirstName, LastName: q.LastName, Company: q.Company,
			Title: q.Title, Email: q.Email, Location: q.Location}
		if q.LastName == "" && q.Email == "" {
			continue
		}
		es, err := candidates(t, dir, mq, matcher.DefaultCandidateLimit, nil)
		require.NoError(t, err)
		total++
		if contains(es, q.TruthID) {
			found++
		}
	}
	recall := float64(found) / float64(total)
	t.Logf("member candidate recall@%d = %.3f (%d queries)", matcher.DefaultCandidateLimit, recall, total)
	assert.GreaterOrEqual(t, recall, minRecall-0.03, "member candidate recall")
}

func testLimit(t *testing.T, dir matcher.Directory) {
	// "Solutions" and "John" are common: many candidates exist.
	for _, tc := range []struct {
		name  string
		q     any
		limit int
	}{
		{"company1", matcher.CompanyQuery{Name: "Global Solutions"}, 1},
		{"company3", matcher.CompanyQuery{Name: "Global Solutions"}, 3},
		{"member2", matcher.MemberQuery{FirstName: "John", LastName: "Smith"}, 2},
		{"member7", matcher.MemberQuery{FirstName: "Maria", LastName: "Garcia"}, 7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			es, err := candidates(t, dir, tc.q, tc.limit, nil)
			require.NoError(t, err)
			assert.LessOrEqual(t, len(es), tc.limit, "len(Candidates(limit=%d))", tc.limit)
			seen := map[matcher.EntityRef]bool{}
			for _, e := range es {
				assert.False(t, seen[e.Ref], "duplicate candidate %v", e.Ref)
				seen[e.Ref] = true
			}
		})
	}
}

func testDst(t *testing.T, dir matcher.Directory) {
	sentinel := matcher.NewCompanyEntity(matcher.Company{ID: "sentinel", Name: "Sentinel"})
	dst := make([]matcher.Entity, 1, 64)
	dst[0] = sentinel
	es, err := candidates(t, dir, matcher.CompanyQuery{Name: "Global Solutions"}, 10, dst)
	require.NoError(t, err)
	require.NotEmpty(t, es)
	assert.Equal(t, "sentinel", es[0].Ref.ID, "Candidates must append to dst")
	assert.Greater(t, len(es), 1, "Candidates appended nothing")
	assert.Same(t, &dst[:1][0], &es[0], "Candidates should reuse dst's array when it has room")
}

func testCanceled(t *testing.T, dir matcher.Directory) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, _, err := dir.Entity(ctx, matcher.EntityRef{Kind: matcher.KindCompany, ID: "c1"})
	assert.ErrorIs(t, err, context.Canceled, "Entity with a cancelled context")
	// The engine checks ctx itself; hand the directory a cancelled context
	// with a query prepared under a live one.
	cdir := &cancelDir{Directory: dir, ctx: ctx}
	eng2, err := matcher.New(cdir)
	require.NoError(t, err)
	_, err = eng2.MatchCompany(t.Context(), matcher.CompanyQuery{Name: "Global Solutions"})
	assert.ErrorIs(t, err, context.Canceled, "Candidates with a cancelled context")
}

// cancelDir hands the directory a cancelled context.
type cancelDir struct {
	matcher.Directory
	ctx context.Context
}

func (c *cancelDir) Candidates(_ context.Context, q *matcher.Query, limit int, dst []matcher.Entity) ([]matcher.Entity, error) {
	return c.Directory.Candidates(c.ctx, q, limit, dst)
}

func testDeterministic(t *testing.T, dir matcher.Directory, w *synth.World) {
	eng, err := matcher.New(dir)
	require.NoError(t, err)
	matched := 0
	for _, q := range w.CompanyQueries(50, synth.QueryOptions{Seed: 5}) {
		cq := matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website}
		a, errA := eng.MatchCompany(t.Context(), cq)
		if !errors.Is(errA, matcher.ErrEmptyQuery) {
			require.NoError(t, errA, "MatchCompany(%s)", q.ID)
			matched++
		}
		b, errB := eng.MatchCompany(t.Context(), cq)
		assert.Equal(t, errA, errB)
		assert.Equal(t, a, b, "MatchCompany(%s) twice", q.ID)
	}
	require.Positive(t, matched, "every query was empty")
}

func testConcurrent(t *testing.T, dir matcher.Directory, w *synth.World) {
	eng, err := matcher.New(dir)
	require.NoError(t, err)
	qs := w.MemberQueries(64, synth.QueryOptions{Seed: 6})
	want := make([]matcher.Result, len(qs))
	wantErr := make([]error, len(qs))
	matched := 0
	for i, q := range qs {
		want[i], wantErr[i] = eng.MatchMember(t.Context(), memberQuery(q))
		if !errors.Is(wantErr[i], matcher.ErrEmptyQuery) {
			require.NoError(t, wantErr[i], "MatchMember(%s)", q.ID)
			matched++
		}
	}
	require.Positive(t, matched, "every query was empty")
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range qs {
				j := (i + g*16) % len(qs)
				got, err := eng.MatchMember(t.Context(), memberQuery(qs[j]))
				if !errors.Is(err, wantErr[j]) {
					t.Errorf("query %s: concurrent error %v, want %v", qs[j].ID, err, wantErr[j])
					return
				}
				if fmt.Sprint(got.Decision, got.Candidates) != fmt.Sprint(want[j].Decision, want[j].Candidates) {
					t.Errorf("query %s: concurrent result differs", qs[j].ID)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func memberQuery(q synth.MemberQuery) matcher.MemberQuery {
	return matcher.MemberQuery{FirstName: q.FirstName, LastName: q.LastName, Company: q.Company,
		Title: q.Title, Email: q.Email, Location: q.Location}
}

func testEmpty(t *testing.T, dir matcher.Directory) {
	es, err := candidates(t, dir, matcher.CompanyQuery{Name: "Acme"}, 10, nil)
	require.NoError(t, err)
	assert.Empty(t, es)
	_, ok, err := dir.Entity(t.Context(), matcher.EntityRef{Kind: matcher.KindCompany, ID: "c1"})
	require.NoError(t, err)
	assert.False(t, ok)
}

func testMutable(t *testing.T, dir matcher.Directory) {
	m, ok := dir.(Mutable)
	if !ok {
		t.Skip("directory is not Mutable")
	}
	ctx := t.Context()
	eng, err := matcher.New(dir)
	require.NoError(t, err)
	q := matcher.CompanyQuery{Name: "Zyxelqor Dynamics", Website: "zyxelqor.example"}
	res, err := eng.MatchCompany(ctx, q)
	require.NoError(t, err)
	for _, c := range res.Candidates {
		require.NotEqual(t, "new-1", c.Entity.ID)
	}

	require.NoError(t, m.UpsertCompany(matcher.Company{ID: "new-1", Name: "Zyxelqor Dynamics GmbH", Website: "https://zyxelqor.example"}))
	res, err = eng.MatchCompany(ctx, q)
	require.NoError(t, err)
	require.NotNil(t, res.Best, "upserted company not found")
	assert.Equal(t, "new-1", res.Best.Entity.ID)
	assert.Equal(t, matcher.Match, res.Decision)

	// Upsert again under another name: the old name no longer finds it.
	require.NoError(t, m.UpsertCompany(matcher.Company{ID: "new-1", Name: "Quorbalt Systems"}))
	res, err = eng.MatchCompany(ctx, q)
	require.NoError(t, err)
	for _, c := range res.Candidates {
		assert.False(t, c.Entity.ID == "new-1" && c.Score > 0.5, "stale index entry after upsert")
	}
	res, err = eng.MatchCompany(ctx, matcher.CompanyQuery{Name: "Quorbalt Systems"})
	require.NoError(t, err)
	require.NotNil(t, res.Best)
	assert.Equal(t, "new-1", res.Best.Entity.ID)

	ref := matcher.EntityRef{Kind: matcher.KindCompany, ID: "new-1"}
	removed, err := m.Remove(ref)
	require.NoError(t, err)
	assert.True(t, removed)
	removed, err = m.Remove(ref)
	require.NoError(t, err)
	assert.False(t, removed, "second Remove")
	_, ok, err = dir.Entity(ctx, ref)
	require.NoError(t, err)
	assert.False(t, ok, "removed entity still found by Entity")
	res, err = eng.MatchCompany(ctx, matcher.CompanyQuery{Name: "Quorbalt Systems"})
	require.NoError(t, err)
	for _, c := range res.Candidates {
		assert.NotEqual(t, "new-1", c.Entity.ID, "removed entity still a candidate")
	}

	// Members too.
	h, _ := matcher.HashEmail("q.zyxelqor@example.org")
	require.NoError(t, m.UpsertMember(matcher.Member{ID: "new-m", FirstName: "Quentin", LastName: "Zyxelqor", EmailHash: h}))
	mres, err := eng.MatchMember(ctx, matcher.MemberQuery{Email: "Q.Zyxelqor@example.org"})
	require.NoError(t, err)
	require.NotNil(t, mres.Best)
	assert.Equal(t, "new-m", mres.Best.Entity.ID)

	// Concurrent changes and queries (meaningful under -race).
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range 50 {
			id := fmt.Sprintf("churn-%d", i%5)
			_ = m.UpsertCompany(matcher.Company{ID: id, Name: fmt.Sprintf("Churn Works %d", i)})
			if i%3 == 0 {
				_, _ = m.Remove(matcher.EntityRef{Kind: matcher.KindCompany, ID: id})
			}
		}
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 50 {
			if _, err := eng.MatchCompany(ctx, matcher.CompanyQuery{Name: "Churn Works"}); err != nil && !errors.Is(err, matcher.ErrEmptyQuery) {
				t.Error(err)
				return
			}
		}
	}()
	wg.Wait()
}
