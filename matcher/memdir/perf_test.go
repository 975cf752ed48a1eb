package memdir_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/internal/synth"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

// BenchmarkCandidates compares candidate generation into a reused dst
// buffer with a fresh slice per query, over 100,000 companies. The official
// 100k/1M engine benchmarks with the naive baseline are in matcher.
func BenchmarkCandidates(b *testing.B) {
	const n = 100_000
	w := synth.New(synth.Options{Seed: 5, Companies: n})
	d := memdir.New(memdir.WithCapacity(n))
	for _, c := range w.Companies() {
		require.NoError(b, d.AddCompany(matcher.Company(c)))
	}
	var qs []*matcher.Query
	for _, q := range w.CompanyQueries(1000, synth.QueryOptions{Seed: 2}) {
		p, err := matcher.NewCompanyQuery(matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website})
		if err == nil {
			qs = append(qs, p)
		}
	}
	ctx := context.Background()
	b.Run("reuse", func(b *testing.B) {
		var dst []matcher.Entity
		i := 0
		b.ReportAllocs()
		for b.Loop() {
			var err error
			dst, err = d.Candidates(ctx, qs[i%len(qs)], matcher.DefaultCandidateLimit, dst[:0])
			if err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("fresh", func(b *testing.B) {
		i := 0
		b.ReportAllocs()
		for b.Loop() {
			if _, err := d.Candidates(ctx, qs[i%len(qs)], matcher.DefaultCandidateLimit, nil); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// BenchmarkEngineCompany is one company query through the engine over
// 100,000 companies.
func BenchmarkEngineCompany(b *testing.B) {
	const n = 100_000
	w := synth.New(synth.Options{Seed: 5, Companies: n})
	d := memdir.New(memdir.WithCapacity(n))
	for _, c := range w.Companies() {
		require.NoError(b, d.AddCompany(matcher.Company(c)))
	}
	eng, err := matcher.New(d)
	require.NoError(b, err)
	qs := w.CompanyQueries(2000, synth.QueryOptions{Seed: 2, AbsentRate: 0.1})
	ctx := context.Background()
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		q := qs[i%len(qs)]
		i++
		_, err := eng.MatchCompany(ctx, matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website})
		if err != nil && !errors.Is(err, matcher.ErrEmptyQuery) {
			b.Fatal(err)
		}
	}
}

// BenchmarkEngineMember is one member query through the engine over
// 100,000 members.
func BenchmarkEngineMember(b *testing.B) {
	const n = 100_000
	w := synth.New(synth.Options{Seed: 5, Companies: 1000, Members: n})
	d := memdir.New(memdir.WithCapacity(n))
	for _, m := range w.Members() {
		h, _ := matcher.HashEmail(m.Email)
		require.NoError(b, d.AddMember(matcher.Member{ID: m.ID, FirstName: m.FirstName, LastName: m.LastName,
			Company: m.Company, Title: m.Title, Location: m.Location, EmailHash: h}))
	}
	eng, err := matcher.New(d)
	require.NoError(b, err)
	qs := w.MemberQueries(2000, synth.QueryOptions{Seed: 2, AbsentRate: 0.1})
	ctx := context.Background()
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		q := qs[i%len(qs)]
		i++
		_, err := eng.MatchMember(ctx, matcher.MemberQuery{FirstName: q.FirstName, LastName: q.LastName,
			Company: q.Company, Title: q.Title, Email: q.Email, Location: q.Location})
		if err != nil && !errors.Is(err, matcher.ErrEmptyQuery) {
			b.Fatal(err)
		}
	}
}
