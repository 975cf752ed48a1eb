package crmlink_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	bolt "go.etcd.io/bbolt"

	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/csvsource"
	"github.com/crmlink/crmlink/internal/synth"
	"github.com/crmlink/crmlink/internal/testenv"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/override/boltstore"
	"github.com/crmlink/crmlink/override/pgstore"
)

// The benchmarks below measure the Resolver and the Syncer over the durable stores, where a
// store read costs a transaction (bolt) or a round trip (PostgreSQL). Apart from boltDB they
// use only the API the stores have always had (Open, OpenPool, Put, Purge, Close), so the same
// file measured the store layer before and after it became a portable type over drivers.

// benchStores opens each durable store for one benchmark; PostgreSQL only when
// CRMLINK_TEST_POSTGRES is set. count returns the store's round trips so far: read
// transactions for bolt, queries (reads and writes, BEGIN and COMMIT included) for PostgreSQL.
// Wall-clock times on a loaded machine are noisy; these counts are not.
func benchStores(b *testing.B, run func(b *testing.B, st *override.Store, count func() int64)) {
	b.Run("store=bolt", func(b *testing.B) {
		st, err := boltstore.Open(filepath.Join(b.TempDir(), "overrides.db"), boltstore.WithNoSync())
		require.NoError(b, err)
		b.Cleanup(func() { _ = st.Close() })
		db := boltDB(st)
		run(b, st, func() int64 { return int64(db.Stats().TxN) })
	})
	b.Run("store=postgres", func(b *testing.B) {
		dsn := testenv.PostgresDSN(b)
		cfg, err := pgxpool.ParseConfig(dsn)
		require.NoError(b, err)
		tr := &queryCounter{}
		cfg.ConnConfig.Tracer = tr
		pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
		require.NoError(b, err)
		b.Cleanup(pool.Close)
		st, err := pgstore.OpenPool(context.Background(), pool, pgstore.WithSchema("crmlink_bench"))
		require.NoError(b, err)
		b.Cleanup(func() { _ = st.Close() })
		run(b, st, tr.n.Load)
	})
}

// queryCounter counts the queries a pool sends.
type queryCounter struct{ n atomic.Int64 }

func (c *queryCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}

func (c *queryCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// BenchmarkResolveStore resolves account records over a durable store: "manual" answers from
// a stored manual mapping, "sync" from a sync mapping, "fuzzy" finds none and matches.
func BenchmarkResolveStore(b *testing.B) {
	w, eng := scaleWorld(b)
	cqs := companyQueries(w.CompanyQueries(256, synth.QueryOptions{Seed: 1, AbsentRate: 0.1}))
	ctx := context.Background()
	const org = "00Dbench"
	benchStores(b, func(b *testing.B, st *override.Store, count func() int64) {
		_, err := st.Purge(ctx, org)
		require.NoError(b, err)
		b.Cleanup(func() { _, _ = st.Purge(ctx, org) })
		for i := range cqs {
			for _, src := range []override.Source{override.Manual, override.Sync} {
				m := benchMapping(org, fmt.Sprintf("%s%05d", src, i), src)
				require.NoError(b, st.Put(ctx, m))
			}
		}
		r, err := crmlink.NewResolver(st, eng, crmlink.WithoutVisibility())
		require.NoError(b, err)
		for _, path := range []override.Source{override.Manual, override.Sync, "fuzzy"} {
			b.Run("path="+string(path), func(b *testing.B) {
				i := 0
				start := count()
				for b.Loop() {
					rec := benchRecord(org, fmt.Sprintf("%s%05d", path, i%len(cqs)))
					res, err := r.ResolveCompany(ctx, viewerOf(rec), rec, cqs[i%len(cqs)])
					if err != nil && !errors.Is(err, matcher.ErrEmptyQuery) {
						b.Fatal(err)
					}
					if path != "fuzzy" && !res.Found {
						b.Fatalf("ResolveCompany(%s) found nothing", rec)
					}
					i++
				}
				b.ReportMetric(float64(count()-start)/float64(b.N), "roundtrips/op")
			})
		}
	})
}

// BenchmarkSyncStore syncs an org of 1,000 accounts and 1,000 leads into a durable store,
// purged before each run.
func BenchmarkSyncStore(b *testing.B) {
	w, eng := scaleWorld(b)
	const n = 1000
	var data csvsource.Data
	for i, q := range w.CompanyQueries(n, synth.QueryOptions{Seed: 2, AbsentRate: 0.1}) {
		data.Accounts = append(data.Accounts, crm.Account{ID: fmt.Sprintf("001%05d", i), Name: q.Name, Industry: q.Industry, Website: q.Website, Country: q.Location})
	}
	for i, q := range w.MemberQueries(n, synth.QueryOptions{Seed: 3, AbsentRate: 0.1}) {
		data.Leads = append(data.Leads, crm.Lead{ID: fmt.Sprintf("00Q%05d", i), FirstName: q.FirstName, LastName: q.LastName, Company: q.Company, Title: q.Title, Email: q.Email, Country: q.Location})
	}
	crmDir := b.TempDir()
	require.NoError(b, csvsource.Write(crmDir, &data))
	src, err := csvsource.Open(crmDir)
	require.NoError(b, err)
	ctx := context.Background()
	const org = "00Dbench"
	benchStores(b, func(b *testing.B, st *override.Store, count func() int64) {
		for _, mode := range []string{"first", "again"} {
			b.Run("run="+mode, func(b *testing.B) {
				s, err := crmlink.NewSyncer(src, eng, st, org)
				require.NoError(b, err)
				_, err = st.Purge(ctx, org)
				require.NoError(b, err)
				var written int
				var trips int64
				for b.Loop() {
					if mode == "first" {
						b.StopTimer()
						if _, err := st.Purge(ctx, org); err != nil {
							b.Fatal(err)
						}
						b.StartTimer()
					}
					start := count()
					stats, err := s.Run(ctx)
					trips += count() - start
					if err != nil {
						b.Fatal(err)
					}
					written = stats.Total().Written
				}
				b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*2*n), "µs/record")
				b.ReportMetric(float64(written), "written")
				b.ReportMetric(float64(trips)/float64(b.N), "roundtrips/run")
			})
		}
	})
}

func benchRecord(org, id string) override.RecordRef {
	return override.RecordRef{Org: org, Object: override.Account, ID: id}
}

func benchMapping(org, id string, src override.Source) override.Mapping {
	return override.Mapping{Record: benchRecord(org, id), Entity: override.EntityRef{Kind: override.Company, ID: "c1"}, Source: src}
}

// boltDB returns the bbolt database under a store opened by boltstore.Open.
func boltDB(st *override.Store) *bolt.DB {
	db, ok := boltstore.DB(st)
	if !ok {
		panic("not a bolt store")
	}
	return db
}
