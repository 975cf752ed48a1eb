package memdir_test

import (
	"context"
	"os"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/internal/synth"
	"github.com/crmlink/crmlink/matcher"
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
	cs := make([]matcher.Company, 0, n)
	for _, c := range w.Companies() {
		cs = append(cs, matcher.Company(c))
	}
	require.NoError(b, d.AddCompanies(context.Background(), slices.Values(cs)))
	var qs []*matcher.Query
	for _, q := range w.CompanyQueries(2000, synth.QueryOptions{Seed: 2}) {
		p, err := matcher.NewCompanyQuery(matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website})
		if err == nil {
			qs = append(qs, p)
		}
	}
	ctx := context.Background()
	var dst []matcher.Entity
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		dst, _ = d.Candidates(ctx, qs[i%len(qs)], matcher.DefaultCandidateLimit, dst[:0])
		i++
	}
}
