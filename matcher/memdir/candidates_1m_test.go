package memdir_test

import (
	"context"
	"os"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/internal/synth"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/dirtest"
	"github.com/crmlink/crmlink/matcher/memdir"
)

// BenchmarkCandidates1M is candidate generation alone over 1,000,000
// companies (set CRMLINK_BENCH_1M=1: the build takes seconds and about
// 1 GiB): the regime where the accumulator's memory traffic matters.
func BenchmarkCandidates1M(b *testing.B) {
	if os.Getenv("CRMLINK_BENCH_1M") == "" {
		b.Skip("set CRMLINK_BENCH_1M=1")
	}
	const n = 1_000_000
	w := synth.New(synth.Options{Seed: 5, Companies: n})
	d := memdir.New(memdir.WithCapacity(n))
	cs, _ := dirtest.Entities(w)
	require.NoError(b, d.AddCompanies(context.Background(), slices.Values(cs)))
	var qs []*matcher.Query
	for _, q := range w.CompanyQueries(2000, synth.QueryOptions{Seed: 2}) {
		p, err := matcher.NewCompanyQuery(matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website})
		if err == nil {
			qs = append(qs, p)
		}
	}
	benchCandidates(b, d, qs)
}

// BenchmarkMemberCandidates1M is candidate generation alone over 1,000,000
// members (set CRMLINK_BENCH_1M=1), the part of a member query that
// dominates its time at that size.
func BenchmarkMemberCandidates1M(b *testing.B) {
	if os.Getenv("CRMLINK_BENCH_1M") == "" {
		b.Skip("set CRMLINK_BENCH_1M=1")
	}
	const n = 1_000_000
	w := synth.New(synth.Options{Seed: 5, Companies: 20_000, Members: n})
	d := memdir.New(memdir.WithCapacity(n))
	_, ms := dirtest.Entities(w)
	require.NoError(b, d.AddMembers(context.Background(), slices.Values(ms)))
	var qs []*matcher.Query
	for _, q := range w.MemberQueries(2000, synth.QueryOptions{Seed: 2}) {
		p, err := matcher.NewMemberQuery(matcher.MemberQuery{FirstName: q.FirstName, LastName: q.LastName,
			Company: q.Company, Title: q.Title, Email: q.Email, Location: q.Location})
		if err == nil {
			qs = append(qs, p)
		}
	}
	benchCandidates(b, d, qs)
}

// benchCandidates times d's candidates for the queries qs in turn, into one
// reused slice.
func benchCandidates(b *testing.B, d *memdir.Dir, qs []*matcher.Query) {
	ctx := context.Background()
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
}
