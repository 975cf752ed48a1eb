package pgstore_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/override/pgstore"
)

// Run with, e.g.:
//
//	CRMLINK_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test?sslmode=disable \
//	go test ./override/pgstore -run '^$' -bench . -benchmem -benchtime 20x
//
// The in-memory store is the baseline in the same run.

const benchRecords = 10_000

func benchBatch(org string, n int) []override.Mapping {
	ms := make([]override.Mapping, n)
	at := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	for i := range ms {
		ms[i] = override.Mapping{
			Record:    override.RecordRef{Org: org, Object: override.Contact, ID: fmt.Sprintf("003U%011d", i)},
			Entity:    override.EntityRef{Kind: override.Member, ID: fmt.Sprintf("member-%08d", i)},
			Source:    override.Sync,
			UpdatedAt: at,
			UpdatedBy: "005U00000000001",
		}
	}
	return ms
}

func benchStores(b *testing.B) map[string]*override.Store {
	b.Helper()
	dsn, schema := freshSchema(b)
	pg, err := pgstore.Open(b.Context(), dsn, pgstore.WithSchema(schema))
	require.NoError(b, err)
	b.Cleanup(func() { _ = pg.Close() })
	mem := override.NewMemory()
	b.Cleanup(func() { _ = mem.Close() })
	return map[string]*override.Store{"memory": mem, "pgstore": pg}
}

func BenchmarkGet(b *testing.B) {
	stores := benchStores(b)
	for _, name := range []string{"memory", "pgstore"} {
		s := stores[name]
		b.Run(name, func(b *testing.B) {
			ctx := b.Context()
			ms := benchBatch("bench-get", benchRecords)
			require.NoError(b, s.PutBatch(ctx, ms))
			rng := rand.New(rand.NewPCG(1, 2))
			lat := make([]time.Duration, 0, 1<<16)
			for b.Loop() {
				r := ms[rng.IntN(len(ms))].Record
				t0 := time.Now()
				_, ok, err := s.Get(ctx, r)
				if len(lat) < cap(lat) {
					lat = append(lat, time.Since(t0))
				}
				if err != nil || !ok {
					b.Fatalf("Get(%v) = %v, %v", r, ok, err)
				}
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
			b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
		})
	}
}

// BenchmarkPutBatch10k writes batches of 10,000 new mappings (a new org per
// batch) and, with "upsert", batches that replace 10,000 existing ones.
// "pgstore-copy" is the alternative design measured against PutBatch's
// unnest() upsert: COPY into a temporary table, then INSERT ... SELECT ... ON
// CONFLICT, in one transaction.
func BenchmarkPutBatch10k(b *testing.B) {
	stores := benchStores(b)
	pg := stores["pgstore"].Driver().(*pgstore.Driver)
	for _, name := range []string{"memory", "pgstore"} {
		s := stores[name]
		b.Run(name+"/insert", func(b *testing.B) {
			ctx := b.Context()
			i := 0
			for b.Loop() {
				b.StopTimer()
				ms := benchBatch(fmt.Sprintf("bench-insert-%d", i), benchRecords)
				i++
				b.StartTimer()
				if err := s.PutBatch(ctx, ms); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/upsert", func(b *testing.B) {
			ctx := b.Context()
			ms := benchBatch("bench-upsert", benchRecords)
			require.NoError(b, s.PutBatch(ctx, ms))
			for b.Loop() {
				if err := s.PutBatch(ctx, ms); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("pgstore-copy/insert", func(b *testing.B) {
		ctx := b.Context()
		i := 0
		for b.Loop() {
			b.StopTimer()
			ms := benchBatch(fmt.Sprintf("bench-copy-%d", i), benchRecords)
			i++
			b.StartTimer()
			if err := copyUpsert(ctx, pg, ms); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("pgstore-copy/upsert", func(b *testing.B) {
		ctx := b.Context()
		ms := benchBatch("bench-copy-upsert", benchRecords)
		require.NoError(b, copyUpsert(ctx, pg, ms))
		for b.Loop() {
			if err := copyUpsert(ctx, pg, ms); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// copyUpsert is the COPY-based batch write, for comparison only (it skips
// validation and assumes ms holds no mapping twice and no rejection).
func copyUpsert(ctx context.Context, s *pgstore.Driver, ms []override.Mapping) error {
	q := pgx.Identifier{s.Schema()}.Sanitize()
	tx, err := s.Pool().Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE batch (LIKE `+q+`.mappings) ON COMMIT DROP`); err != nil {
		return err
	}
	cols := []string{"org", "object", "record_id", "source", "entity_kind", "entity_id", "updated_at", "updated_by"}
	_, err = tx.CopyFrom(ctx, pgx.Identifier{"batch"}, cols, pgx.CopyFromSlice(len(ms), func(i int) ([]any, error) {
		m := ms[i]
		return []any{m.Record.Org, string(m.Record.Object), m.Record.ID, string(m.Source),
			string(m.Entity.Kind), m.Entity.ID, m.UpdatedAt, m.UpdatedBy}, nil
	}))
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO `+q+`.mappings SELECT * FROM batch
ON CONFLICT (org, object, record_id, source) DO UPDATE SET
	entity_kind = EXCLUDED.entity_kind, entity_id = EXCLUDED.entity_id,
	updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`); err != nil {
		return err
	}
	return tx.Commit(ctx)
}
