package pgdir_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/internal/synth"
	"github.com/crmlink/crmlink/internal/testenv"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
	"github.com/crmlink/crmlink/matcher/pgdir"
)

// scaleEnv gates the scale benchmark: "1" for 1,000,000 companies, or a
// number of companies.
const scaleEnv = "CRMLINK_SCALE"

// scaleQueries is how many corrupted company queries the benchmark draws.
const scaleQueries = 1000

type scaleFixture struct {
	n       int
	queries []synth.CompanyQuery
	dirs    []namedDir
	builds  map[string]time.Duration
}

type namedDir struct {
	name string
	dir  matcher.Directory
}

// trgmDir is the baseline: candidates are the companies whose name is
// similar to the query's by pg_trgm's % operator, the most similar first.
// It reads the same entities table as pgdir and lends pgdir's key counts to
// the engine, so that only candidate generation differs.
type trgmDir struct {
	pool   *pgxpool.Pool
	schema string
	counts *pgdir.Dir
}

func (t *trgmDir) Candidates(ctx context.Context, q *matcher.Query, limit int, dst []matcher.Entity) ([]matcher.Entity, error) {
	name, ok := queryName(ctx)
	if !ok || name == "" {
		return dst, nil
	}
	rows, err := t.pool.Query(ctx, `SELECT id, name, industry, location, website FROM `+t.schema+`.trgm
WHERE name % $1 ORDER BY similarity(name, $1) DESC, id LIMIT $2`, name, limit)
	if err != nil {
		return dst, err
	}
	var c matcher.Company
	_, err = pgx.ForEachRow(rows, []any{&c.ID, &c.Name, &c.Industry, &c.Location, &c.Website}, func() error {
		dst = append(dst, matcher.NewCompanyEntity(c))
		return nil
	})
	return dst, err
}

func (t *trgmDir) Entity(ctx context.Context, ref matcher.EntityRef) (matcher.Entity, bool, error) {
	return t.counts.Entity(ctx, ref)
}

func (t *trgmDir) KeyCounts(ctx context.Context, k matcher.Kind, keys []matcher.Key, counts []int) (int, error) {
	return t.counts.KeyCounts(ctx, k, keys, counts)
}

// The prepared query does not expose its raw name; the benchmark passes it
// in the context.
type nameKey struct{}

func withName(ctx context.Context, name string) context.Context {
	return context.WithValue(ctx, nameKey{}, name)
}

func queryName(ctx context.Context) (string, bool) {
	s, ok := ctx.Value(nameKey{}).(string)
	return s, ok
}

func scaleN(tb testing.TB) int {
	v := os.Getenv(scaleEnv)
	if v == "" {
		tb.Skipf("set %s=1 (1,000,000 companies) or %s=N to run the scale benchmark", scaleEnv, scaleEnv)
	}
	if v == "1" {
		return 1_000_000
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1000 {
		tb.Fatalf("%s=%q: want 1 or a number of companies >= 1000", scaleEnv, v)
	}
	return n
}

// buildScale builds the three directories on the same companies, timing
// each build. The schema is dropped when the benchmark ends.
func buildScale(b *testing.B, n int) (*scaleFixture, error) {
	dsn, schema := freshSchema(b)
	ctx := context.Background()
	w := synth.New(synth.Options{Seed: 5, Companies: n})
	cs := make([]matcher.Company, 0, n)
	for _, c := range w.Companies() {
		cs = append(cs, matcher.Company(c))
	}
	f := &scaleFixture{n: n, queries: w.CompanyQueries(scaleQueries, synth.QueryOptions{Seed: 2}), builds: map[string]time.Duration{}}

	start := time.Now()
	md := memdir.New(memdir.WithCapacity(n))
	if err := md.AddCompanies(ctx, slices.Values(cs)); err != nil {
		return nil, err
	}
	f.builds["memdir"] = time.Since(start)

	pd, err := pgdir.Open(ctx, dsn, pgdir.WithSchema(schema))
	if err != nil {
		return nil, err
	}
	b.Cleanup(pd.Close)
	start = time.Now()
	if err := pd.AddCompanies(ctx, slices.Values(cs)); err != nil {
		return nil, err
	}
	q := pgx.Identifier{schema}.Sanitize()
	if _, err := pd.Pool().Exec(ctx, "VACUUM ANALYZE "+q+".postings"); err != nil {
		return nil, err
	}
	if _, err := pd.Pool().Exec(ctx, "ANALYZE "+q+".entities; ANALYZE "+q+".key_counts"); err != nil {
		return nil, err
	}
	f.builds["pgdir"] = time.Since(start)

	// The same tables without the entity cache and the reuse of counts.
	plain, err := pgdir.OpenPool(ctx, pd.Pool(), pgdir.WithSchema(schema), pgdir.WithEntityCache(0), pgdir.WithPostingCache(0), pgdir.WithCountReuse(false))
	if err != nil {
		return nil, err
	}
	f.builds["pgdir-nocache"] = f.builds["pgdir"]
	f.dirs = []namedDir{{"memdir", md}, {"pgdir", pd}, {"pgdir-nocache", plain}}
	if os.Getenv(scaleEnv+"_TRGM") == "0" {
		return f, nil // the trigram baseline is slow at 1M: CRMLINK_SCALE_TRGM=0 leaves it out
	}
	if _, err := pd.Pool().Exec(ctx, "CREATE EXTENSION IF NOT EXISTS pg_trgm"); err != nil {
		var exists bool
		if qerr := pd.Pool().QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')").Scan(&exists); qerr != nil || !exists {
			return nil, fmt.Errorf("pg_trgm: %w", err)
		}
	}
	start = time.Now()
	if _, err := pd.Pool().Exec(ctx, "CREATE TABLE "+q+".trgm AS SELECT id, name, industry, location, website FROM "+q+".entities WHERE kind = 1"); err != nil {
		return nil, err
	}
	if _, err := pd.Pool().Exec(ctx, "SET maintenance_work_mem = '512MB'; CREATE INDEX ON "+q+".trgm USING gin (name gin_trgm_ops); ANALYZE "+q+".trgm"); err != nil {
		return nil, err
	}
	f.builds["trgm"] = time.Since(start) // after pgdir's load: the table is copied, not loaded

	f.dirs = append(f.dirs, namedDir{"trgm", &trgmDir{pool: pd.Pool(), schema: q, counts: pd}})
	return f, nil
}

func companyQuery(q synth.CompanyQuery) matcher.CompanyQuery {
	return matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website}
}

// BenchmarkScale compares memdir, pgdir and a pg_trgm baseline on the same
// synthetic companies (CRMLINK_SCALE): build time, latency of a whole match
// (p50, p99), throughput with GOMAXPROCS concurrent queries, and recall@1
// and @10 of the engine's results.
func BenchmarkScale(b *testing.B) {
	n := scaleN(b)
	testenv.PostgresDSN(b)
	f, err := buildScale(b, n)
	require.NoError(b, err)
	for _, nd := range f.dirs {
		eng, err := matcher.New(nd.dir)
		require.NoError(b, err)
		match := func(ctx context.Context, q synth.CompanyQuery) (matcher.Result, error) {
			res, err := eng.MatchCompany(withName(ctx, q.Name), companyQuery(q))
			if errors.Is(err, matcher.ErrEmptyQuery) {
				err = nil
			}
			return res, err
		}
		// Recall and latency over every query once, then b.N more.
		ctx := context.Background()
		var lat []time.Duration
		hit1, hit10, truth := 0, 0, 0
		for _, q := range f.queries {
			t0 := time.Now()
			res, err := match(ctx, q)
			lat = append(lat, time.Since(t0))
			require.NoError(b, err)
			if q.TruthID == "" {
				continue
			}
			truth++
			for i, c := range res.Candidates {
				if c.Entity.ID == q.TruthID {
					if i == 0 {
						hit1++
					}
					if i < 10 {
						hit10++
					}
				}
			}
		}
		// The first pass meets every query once: a cache is cold.
		cold := slices.Sorted(slices.Values(lat))
		b.Run(nd.name+"/match", func(b *testing.B) {
			i := 0
			b.ResetTimer()
			for b.Loop() {
				t0 := time.Now()
				_, err := match(ctx, f.queries[i%len(f.queries)])
				lat = append(lat, time.Since(t0))
				require.NoError(b, err)
				i++
			}
			sorted := slices.Sorted(slices.Values(lat))
			b.ReportMetric(float64(sorted[len(sorted)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(sorted[len(sorted)*99/100].Microseconds()), "p99-µs")
			b.ReportMetric(float64(cold[len(cold)/2].Microseconds()), "cold-p50-µs")
			b.ReportMetric(float64(hit1)/float64(truth), "recall@1")
			b.ReportMetric(float64(hit10)/float64(truth), "recall@10")
			b.ReportMetric(f.builds[nd.name].Seconds(), "build-s")
		})
		b.Run(nd.name+"/parallel", func(b *testing.B) {
			var mu sync.Mutex
			next := 0
			b.RunParallel(func(pb *testing.PB) {
				ctx := context.Background()
				for pb.Next() {
					mu.Lock()
					q := f.queries[next%len(f.queries)]
					next++
					mu.Unlock()
					if _, err := match(ctx, q); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "q/s")
		})
	}
}
