package memdir_test

import (
	"context"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/crmlink/crmlink/internal/synth"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
	"github.com/stretchr/testify/require"
)

// BenchmarkEngineCompany100k measures one company query over 100,000
// companies in memdir. The official 100k/1M benchmarks with the naive
// baseline live in matcher/bench_test.go.
func BenchmarkEngineCompany(b *testing.B) {
	for _, n := range []int{100_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			w := synth.New(synth.Options{Seed: 5, Companies: n})
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			d := memdir.New(memdir.WithCapacity(n))
			for _, c := range w.Companies() {
				require.NoError(b, d.AddCompany(matcher.Company(c)))
			}
			build := time.Since(start)
			runtime.GC()
			runtime.ReadMemStats(&after)
			b.Logf("build %d companies: %v, heap %d MiB", n, build, (after.HeapAlloc-before.HeapAlloc)>>20)
			eng, err := matcher.New(d)
			require.NoError(b, err)
			qs := w.CompanyQueries(2000, synth.QueryOptions{Seed: 2, AbsentRate: 0.1})
			ctx := context.Background()
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				q := qs[i%len(qs)]
				i++
				_, _ = eng.MatchCompany(ctx, matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website})
			}
		})
	}
}
