package matcher_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hbollon/go-edlib"

	"github.com/crmlink/crmlink/internal/normalize"
	"github.com/crmlink/crmlink/internal/synth"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

// benchQueries is how many distinct queries the benchmarks cycle through.
const benchQueries = 2000

// benchSizes are the directory sizes: 100k, and 1M unless -short.
func benchSizes() []int {
	if testing.Short() {
		return []int{100_000}
	}
	return []int{100_000, 1_000_000}
}

// benchFixture is one directory size and kind: its entities, the directory
// built from them, corrupted queries and the folded names the naive baseline
// scans.
type benchFixture struct {
	kind    matcher.Kind
	build   func() *memdir.Dir
	dir     *memdir.Dir
	names   []string // folded entity names, for the baseline
	ids     []string
	qnames  []string // folded query names, for the baseline
	company []matcher.CompanyQuery
	member  []matcher.MemberQuery
}

func companyFixture(n int) *benchFixture {
	w := synth.New(synth.Options{Seed: 1, Companies: n})
	qs := w.CompanyQueries(benchQueries, synth.QueryOptions{Seed: 2, AbsentRate: 0.1})
	cs := make([]matcher.Company, n)
	fx := &benchFixture{kind: matcher.KindCompany, names: make([]string, n), ids: make([]string, n)}
	for i, c := range w.Companies() {
		cs[i] = matcher.Company{ID: c.ID, Name: c.Name, Industry: c.Industry, Location: c.Location, Website: c.Website}
		fx.names[i], fx.ids[i] = normalize.Fold(c.Name), c.ID
	}
	for _, q := range qs {
		fx.company = append(fx.company, matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website})
		fx.qnames = append(fx.qnames, normalize.Fold(q.Name))
	}
	fx.build = func() *memdir.Dir {
		d := memdir.New(memdir.WithCapacity(n))
		if err := d.AddCompanies(context.Background(), slices.Values(cs)); err != nil {
			panic(err)
		}
		return d
	}
	return fx
}

func memberFixture(n int) *benchFixture {
	w := synth.New(synth.Options{Seed: 1, Companies: n / 4, Members: n})
	qs := w.MemberQueries(benchQueries, synth.QueryOptions{Seed: 2, AbsentRate: 0.1})
	ms := make([]matcher.Member, n)
	fx := &benchFixture{kind: matcher.KindMember, names: make([]string, n), ids: make([]string, n)}
	for i, m := range w.Members() {
		h, _ := matcher.HashEmail(m.Email)
		ms[i] = matcher.Member{ID: m.ID, FirstName: m.FirstName, LastName: m.LastName, Company: m.Company,
			Title: m.Title, Location: m.Location, EmailHash: h}
		fx.names[i], fx.ids[i] = normalize.Fold(m.FirstName+" "+m.LastName), m.ID
	}
	for _, q := range qs {
		fx.member = append(fx.member, matcher.MemberQuery{FirstName: q.FirstName, LastName: q.LastName,
			Company: q.Company, Title: q.Title, Email: q.Email, Location: q.Location})
		fx.qnames = append(fx.qnames, normalize.Fold(q.FirstName+" "+q.LastName))
	}
	fx.build = func() *memdir.Dir {
		d := memdir.New(memdir.WithCapacity(n))
		if err := d.AddMembers(context.Background(), slices.Values(ms)); err != nil {
			panic(err)
		}
		return d
	}
	return fx
}

// heapAlloc returns the live heap after a full collection.
func heapAlloc() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// match runs query i of the fixture. It returns any error other than
// [matcher.ErrEmptyQuery] (the fixture has absent fields by design).
func (fx *benchFixture) match(ctx context.Context, eng *matcher.Engine, i int) error {
	var err error
	if fx.kind == matcher.KindCompany {
		_, err = eng.MatchCompany(ctx, fx.company[i%len(fx.company)])
	} else {
		_, err = eng.MatchMember(ctx, fx.member[i%len(fx.member)])
	}
	if errors.Is(err, matcher.ErrEmptyQuery) {
		return nil
	}
	return err
}

// BenchmarkEngine measures the engine over memdir at 100k and 1M entities of
// each kind (1M only without -short):
//
//   - build: building the directory with the bulk loader (AddCompanies,
//     AddMembers); build_s and heap_MiB (live heap of the directory,
//     measured after a full GC);
//   - query: one query at a time; ns/op and allocs/op are per query, p50_µs
//     and p99_µs its latency percentiles;
//   - parallel: queries from GOMAXPROCS goroutines (queries/s);
//   - batch: MatchCompanies / MatchMembers over 2,000 queries (queries/s);
//   - baseline: the naive scan, Jaro-Winkler (go-edlib) between the folded
//     query name and every folded entity name, keeping the best 10.
func BenchmarkEngine(b *testing.B) {
	for _, n := range benchSizes() {
		for _, mk := range []struct {
			name string
			fx   func(int) *benchFixture
		}{{"companies", companyFixture}, {"members", memberFixture}} {
			b.Run(fmt.Sprintf("%s=%d", mk.name, n), func(b *testing.B) {
				fx := mk.fx(n)
				runtime.GC()
				b.Run("build", func(b *testing.B) {
					fx.dir = nil
					before := heapAlloc()
					start := time.Now()
					iters := 0
					for b.Loop() {
						fx.dir = nil
						fx.dir = fx.build()
						iters++
					}
					elapsed := time.Since(start)
					b.ReportMetric(elapsed.Seconds()/float64(iters), "build_s")
					b.ReportMetric(float64(heapAlloc()-before)/(1<<20), "heap_MiB")
				})
				if fx.dir == nil {
					fx.dir = fx.build()
				}
				eng, err := matcher.New(fx.dir)
				if err != nil {
					b.Fatal(err)
				}
				b.Run("query", func(b *testing.B) {
					lat := make([]time.Duration, 0, 1<<16)
					i := 0
					b.ReportAllocs()
					for b.Loop() {
						t := time.Now()
						if err := fx.match(b.Context(), eng, i); err != nil {
							b.Fatal(err)
						}
						if len(lat) < cap(lat) {
							lat = append(lat, time.Since(t))
						}
						i++
					}
					slices.Sort(lat)
					b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds())/1e3, "p50_µs")
					b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds())/1e3, "p99_µs")
				})
				b.Run("parallel", func(b *testing.B) {
					var next atomic.Int64
					b.ReportAllocs()
					b.RunParallel(func(pb *testing.PB) {
						for pb.Next() {
							// b.Fatal must not be called from RunParallel's goroutines.
							if err := fx.match(b.Context(), eng, int(next.Add(1))); err != nil {
								b.Error(err)
								return
							}
						}
					})
					b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "queries/s")
				})
				b.Run("batch", func(b *testing.B) {
					nq := 0
					for b.Loop() {
						if fx.kind == matcher.KindCompany {
							for _, err := range eng.MatchCompanies(b.Context(), slices.Values(fx.company)) {
								if err != nil && !errors.Is(err, matcher.ErrEmptyQuery) {
									b.Fatal(err)
								}
								nq++
							}
						} else {
							for _, err := range eng.MatchMembers(b.Context(), slices.Values(fx.member)) {
								if err != nil && !errors.Is(err, matcher.ErrEmptyQuery) {
									b.Fatal(err)
								}
								nq++
							}
						}
					}
					b.ReportMetric(float64(nq)/b.Elapsed().Seconds(), "queries/s")
				})
				b.Run("baseline", func(b *testing.B) {
					i := 0
					b.ReportAllocs()
					for b.Loop() {
						naiveTop10(fx.qnames[i%len(fx.qnames)], fx.names, fx.ids)
						i++
					}
				})
			})
		}
	}
}

// naiveTop10 scores every name against q with Jaro-Winkler and returns the
// IDs of the best 10, ties by ID: the baseline the index must beat.
func naiveTop10(q string, names, ids []string) []string {
	type hit struct {
		id  string
		sim float32
	}
	top := make([]hit, 0, 11)
	for i, name := range names {
		s := edlib.JaroWinklerSimilarity(q, name)
		if len(top) == 10 && s <= top[9].sim {
			continue
		}
		top = append(top, hit{ids[i], s})
		slices.SortFunc(top, func(a, b hit) int { return cmp.Or(cmp.Compare(b.sim, a.sim), cmp.Compare(a.id, b.id)) })
		top = top[:min(len(top), 10)]
	}
	out := make([]string, len(top))
	for i, h := range top {
		out[i] = h.id
	}
	return out
}
