package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/internal/testenv"
	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/override/pgstore"
)

func openStore(t *testing.T, opts ...pgstore.Option) (*override.Store, string) {
	t.Helper()
	dsn, schema := freshSchema(t)
	s, err := pgstore.Open(t.Context(), dsn, append([]pgstore.Option{pgstore.WithSchema(schema)}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s, dsn
}

func rec(org string, obj override.Object, id string) override.RecordRef {
	return override.RecordRef{Org: org, Object: obj, ID: id}
}

func mapping(r override.RecordRef, src override.Source, kind override.EntityKind, id string) override.Mapping {
	return override.Mapping{
		Record: r, Entity: override.EntityRef{Kind: kind, ID: id}, Source: src,
		UpdatedAt: time.Date(2026, 11, 21, 10, 0, 0, 123456789, time.UTC), UpdatedBy: "005xx000001",
	}
}

func rejection(r override.RecordRef, kind override.EntityKind, id string) override.Mapping {
	m := mapping(r, override.Manual, kind, id)
	m.Rejected = true
	return m
}

func collect(t *testing.T, seq func(func(override.Mapping, error) bool)) []override.Mapping {
	t.Helper()
	var ms []override.Mapping
	for m, err := range seq {
		require.NoError(t, err)
		ms = append(ms, m)
	}
	return ms
}

func TestMigrationIdempotent(t *testing.T) {
	dsn, schema := freshSchema(t)
	ctx := t.Context()
	for range 3 {
		s, err := pgstore.Open(ctx, dsn, pgstore.WithSchema(schema))
		require.NoError(t, err)
		require.NoError(t, s.Put(ctx, mapping(rec("org1", override.Lead, "00Q1"), override.Sync, override.Member, "m1")))
		require.NoError(t, s.Close())
	}
	conn := connect(t, dsn)
	var versions []int32
	rows, _ := conn.Query(ctx, "SELECT version FROM "+pgx.Identifier{schema}.Sanitize()+".schema_version ORDER BY version")
	versions, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	require.NoError(t, err)
	want := make([]int32, pgstore.SchemaVersion)
	for i := range want {
		want[i] = int32(i + 1)
	}
	assert.Equal(t, want, versions, "each migration recorded once")
}

// TestConcurrentOpen starts several stores at once on a fresh schema, as
// replicas of a service do: the advisory lock must let exactly one migrate and
// the others see the result.
func TestConcurrentOpen(t *testing.T) {
	const replicas = 8
	for round := range 5 {
		t.Run(fmt.Sprintf("round%d", round), func(t *testing.T) {
			dsn, schema := freshSchema(t)
			ctx := t.Context()
			start := make(chan struct{})
			stores := make([]*override.Store, replicas)
			errs := make([]error, replicas)
			var wg sync.WaitGroup
			for i := range replicas {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					stores[i], errs[i] = pgstore.Open(ctx, dsn, pgstore.WithSchema(schema))
				}()
			}
			close(start)
			wg.Wait()
			for i, err := range errs {
				require.NoError(t, err, "replica %d", i)
				t.Cleanup(func() { _ = stores[i].Close() })
			}
			r := rec("org1", override.Contact, "0031")
			require.NoError(t, stores[0].Put(ctx, mapping(r, override.Manual, override.Member, "m1")))
			for i, s := range stores {
				m, ok, err := s.Get(ctx, r)
				require.NoError(t, err)
				assert.True(t, ok, "replica %d sees the write of replica 0", i)
				assert.Equal(t, "m1", m.Entity.ID)
			}
			var n int
			require.NoError(t, connect(t, dsn).QueryRow(ctx,
				"SELECT count(*) FROM "+pgx.Identifier{schema}.Sanitize()+".schema_version").Scan(&n))
			assert.Equal(t, pgstore.SchemaVersion, n)
		})
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	dsn, schema := freshSchema(t)
	ctx := t.Context()
	s, err := pgstore.Open(ctx, dsn, pgstore.WithSchema(schema))
	require.NoError(t, err)
	require.NoError(t, s.Close())
	_, err = connect(t, dsn).Exec(ctx, "INSERT INTO "+pgx.Identifier{schema}.Sanitize()+".schema_version (version) VALUES ($1)",
		pgstore.SchemaVersion+1)
	require.NoError(t, err)

	_, err = pgstore.Open(ctx, dsn, pgstore.WithSchema(schema))
	require.Error(t, err)
	assert.ErrorIs(t, err, override.ErrSchemaVersion)
}

func TestBadOptions(t *testing.T) {
	tests := []struct {
		name string
		opt  pgstore.Option
	}{
		{"empty schema", pgstore.WithSchema("")},
		{"long schema", pgstore.WithSchema(string(make([]byte, 64)))},
		{"NUL in schema", pgstore.WithSchema("a\x00b")},
		{"zero page size", pgstore.WithPageSize(0)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// The options are checked before any connection is made.
			_, err := pgstore.Open(t.Context(), "postgres://nobody@127.0.0.1:1/none", tc.opt)
			assert.ErrorIs(t, err, override.ErrInvalid)
		})
	}
	_, err := pgstore.OpenPool(t.Context(), nil)
	assert.ErrorIs(t, err, override.ErrInvalid)
}

func TestSchemaIsolation(t *testing.T) {
	dsn, a := freshSchema(t)
	_, b := freshSchema(t)
	ctx := t.Context()
	sa, err := pgstore.Open(ctx, dsn, pgstore.WithSchema(a))
	require.NoError(t, err)
	defer sa.Close()
	sb, err := pgstore.Open(ctx, dsn, pgstore.WithSchema(b))
	require.NoError(t, err)
	defer sb.Close()

	r := rec("org1", override.Account, "0011")
	require.NoError(t, sa.Put(ctx, mapping(r, override.Sync, override.Company, "c1")))
	_, ok, err := sb.Get(ctx, r)
	require.NoError(t, err)
	assert.False(t, ok, "a store in another schema sees nothing")
	assert.Equal(t, b, drv(sb).Schema())
}

// TestMappingsPaging walks an org larger than several pages, with mappings and
// rejections interleaved, and checks the merge order against override.Compare.
func TestMappingsPaging(t *testing.T) {
	s, _ := openStore(t, pgstore.WithPageSize(3))
	ctx := t.Context()
	var want []override.Mapping
	for i := range 20 {
		r := rec("org1", override.Objects()[i%4], fmt.Sprintf("r%02d", i))
		want = append(want, mapping(r, override.Sync, override.Member, "m"+fmt.Sprint(i)))
		if i%2 == 0 {
			want = append(want, mapping(r, override.Manual, override.Member, "m"))
		}
		if i%3 == 0 {
			want = append(want, rejection(r, override.Member, "bad1"), rejection(r, override.Company, "bad0"))
		}
	}
	require.NoError(t, s.PutBatch(ctx, want))
	require.NoError(t, s.Put(ctx, mapping(rec("org2", override.Lead, "x"), override.Sync, override.Member, "m")))
	for i := range want {
		want[i].UpdatedAt = want[i].UpdatedAt.Truncate(time.Microsecond)
	}
	slices.SortFunc(want, override.Compare)

	got := collect(t, s.Mappings(ctx, "org1"))
	assert.Equal(t, want, got)

	t.Run("break", func(t *testing.T) {
		n := 0
		for _, err := range s.Mappings(ctx, "org1") {
			require.NoError(t, err)
			n++
			if n == 5 {
				break
			}
		}
		assert.Equal(t, 5, n)
	})
	t.Run("cancel mid-walk", func(t *testing.T) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		n := 0
		var last error
		for _, err := range s.Mappings(ctx, "org1") {
			if err != nil {
				last = err
				continue
			}
			n++
			if n == 4 {
				cancel()
			}
		}
		assert.Equal(t, 4, n)
		assert.ErrorIs(t, last, context.Canceled)
	})
}

func TestPutBatchLaterWins(t *testing.T) {
	s, _ := openStore(t)
	ctx := t.Context()
	r := rec("org1", override.Lead, "00Q1")
	batch := []override.Mapping{
		mapping(r, override.Sync, override.Member, "first"),
		rejection(r, override.Member, "bad"),
		mapping(r, override.Sync, override.Member, "second"),
		rejection(r, override.Member, "bad"),
	}
	batch[3].UpdatedBy = "005later"
	require.NoError(t, s.PutBatch(ctx, batch))
	m, ok, err := s.GetSource(ctx, r, override.Sync)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, "second", m.Entity.ID)
	n, err := s.Count(ctx, "org1")
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	ms := collect(t, s.Mappings(ctx, "org1"))
	require.Len(t, ms, 2)
	assert.Equal(t, "005later", ms[1].UpdatedBy)
}

// TestPutBatchRollsBack makes the second statement of a batch fail inside the
// database (a trigger) and checks the first statement's rows are gone too.
func TestPutBatchRollsBack(t *testing.T) {
	dsn, schema := freshSchema(t)
	ctx := t.Context()
	s, err := pgstore.Open(ctx, dsn, pgstore.WithSchema(schema))
	require.NoError(t, err)
	defer s.Close()
	q := pgx.Identifier{schema}.Sanitize()
	_, err = connect(t, dsn).Exec(ctx, `
CREATE FUNCTION `+q+`.boom() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.entity_id = 'boom' THEN RAISE EXCEPTION 'boom'; END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER boom BEFORE INSERT ON `+q+`.rejections FOR EACH ROW EXECUTE FUNCTION `+q+`.boom();`)
	require.NoError(t, err)

	var batch []override.Mapping
	for i := range 1000 {
		batch = append(batch, mapping(rec("org1", override.Contact, fmt.Sprint(i)), override.Sync, override.Member, "m"))
	}
	batch = append(batch, rejection(rec("org1", override.Contact, "1"), override.Member, "boom"))
	err = s.PutBatch(ctx, batch)
	require.Error(t, err)
	n, err := s.Count(ctx, "org1")
	require.NoError(t, err)
	assert.Zero(t, n, "no partial batch")
}

func TestAfterClose(t *testing.T) {
	dsn, schema := freshSchema(t)
	ctx := t.Context()
	pool, err := pgxpool.New(ctx, dsn)
	require.NoError(t, err)
	defer pool.Close()

	s, err := pgstore.OpenPool(ctx, pool, pgstore.WithSchema(schema))
	require.NoError(t, err)
	assert.Same(t, pool, drv(s).Pool())
	require.NoError(t, s.Close())
	assert.NoError(t, s.Close(), "second Close")
	require.NoError(t, pool.Ping(ctx), "a caller-owned pool stays open")

	r := rec("org1", override.Lead, "1")
	e := override.EntityRef{Kind: override.Member, ID: "m"}
	calls := map[string]func() error{
		"Get":       func() error { _, _, err := s.Get(ctx, r); return err },
		"GetSource": func() error { _, _, err := s.GetSource(ctx, r, override.Manual); return err },
		"Put":       func() error { return s.Put(ctx, mapping(r, override.Manual, override.Member, "m")) },
		"PutBatch": func() error {
			return s.PutBatch(ctx, []override.Mapping{mapping(r, override.Manual, override.Member, "m")})
		},
		"Delete":     func() error { return s.Delete(ctx, r, override.Manual) },
		"Rejected":   func() error { _, err := s.Rejected(ctx, r, e); return err },
		"Rejections": func() error { _, err := s.Rejections(ctx, r); return err },
		"Unreject":   func() error { return s.Unreject(ctx, r, e) },
		"RecordsOf":  func() error { _, err := s.RecordsOf(ctx, "org1", e); return err },
		"Count":      func() error { _, err := s.Count(ctx, "org1"); return err },
		"Purge":      func() error { _, err := s.Purge(ctx, "org1"); return err },
		"Mappings": func() error {
			for _, err := range s.Mappings(ctx, "org1") {
				return err
			}
			return errors.New("Mappings yielded nothing")
		},
	}
	for name, call := range calls {
		assert.ErrorIs(t, call(), override.ErrClosed, name)
	}

	// A store that owns its pool closes it.
	s2, err := pgstore.Open(ctx, dsn, pgstore.WithSchema(schema))
	require.NoError(t, err)
	require.NoError(t, s2.Close())
	assert.Error(t, drv(s2).Pool().Ping(ctx), "the owned pool is closed")
}

func TestCanceledContext(t *testing.T) {
	s, dsn := openStore(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, _, err := s.Get(ctx, rec("org1", override.Lead, "1"))
	assert.ErrorIs(t, err, context.Canceled)
	_, err = pgstore.Open(ctx, dsn, pgstore.WithSchema(drv(s).Schema()))
	assert.ErrorIs(t, err, context.Canceled)
}

// TestCloseWhileBusy closes a store while goroutines use it: calls in flight
// finish or fail, and every call after Close fails with ErrClosed.
func TestCloseWhileBusy(t *testing.T) {
	dsn, schema := freshSchema(t)
	ctx := t.Context()
	s, err := pgstore.Open(ctx, dsn, pgstore.WithSchema(schema), pgstore.WithPageSize(5))
	require.NoError(t, err)
	var seed []override.Mapping
	for i := range 100 {
		seed = append(seed, mapping(rec("org1", override.Lead, fmt.Sprint(i)), override.Sync, override.Member, "m"))
	}
	require.NoError(t, s.PutBatch(ctx, seed))

	const workers = 6
	var wg sync.WaitGroup
	last := make([]error, workers)
	started := make(chan struct{}, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			started <- struct{}{}
			for i := 0; ; i++ {
				var err error
				switch w % 3 {
				case 0:
					_, _, err = s.Get(ctx, seed[i%len(seed)].Record)
				case 1:
					err = s.Put(ctx, mapping(rec("org1", override.Contact, fmt.Sprint(i)), override.Manual, override.Member, "m"))
				case 2:
					for _, e := range s.Mappings(ctx, "org1") {
						if e != nil {
							err = e
							break
						}
					}
				}
				if err != nil {
					last[w] = err
					return
				}
			}
		}()
	}
	for range workers {
		<-started
	}
	time.Sleep(50 * time.Millisecond)
	require.NoError(t, s.Close())
	wg.Wait()
	for w, err := range last {
		assert.ErrorIs(t, err, override.ErrClosed, "worker %d", w)
	}
}

// TestSchemaNameQuoted uses a schema name that needs quoting (upper case,
// spaces, a double quote, SQL): it is an identifier, never spliced unquoted.
func TestSchemaNameQuoted(t *testing.T) {
	dsn, base := freshSchema(t)
	schema := `Pg "Store"; DROP TABLE x; ` + base[len(base)-8:]
	testenv.DropSchemaAtCleanup(t, dsn, schema)
	ctx := t.Context()
	s, err := pgstore.Open(ctx, dsn, pgstore.WithSchema(schema))
	require.NoError(t, err)
	defer s.Close()
	r := rec("org1", override.Opportunity, "006x")
	require.NoError(t, s.Put(ctx, mapping(r, override.Manual, override.Company, "c1")))
	m, ok, err := s.Get(ctx, r)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, "c1", m.Entity.ID)
	var n int
	require.NoError(t, connect(t, dsn).QueryRow(ctx,
		"SELECT count(*) FROM pg_namespace WHERE nspname = $1", schema).Scan(&n))
	assert.Equal(t, 1, n, "the schema exists under its exact name")
}

// TestConcurrentBatchesNoDeadlock runs batches that overlap, each in its own
// random order, from several goroutines, as sync jobs of several replicas do.
// Rows locked in different orders would deadlock (SQLSTATE 40P01); PutBatch
// writes in key order so that they cannot.
func TestConcurrentBatchesNoDeadlock(t *testing.T) {
	s, _ := openStore(t)
	ctx := t.Context()
	const workers, rounds, size = 4, 5, 2000
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for range rounds {
				var batch []override.Mapping
				for _, i := range rng.Perm(size) {
					r := rec("org1", override.Contact, fmt.Sprintf("c%05d", i))
					batch = append(batch, mapping(r, override.Sync, override.Member, fmt.Sprintf("w%d", w)))
					if i%10 == 0 {
						batch = append(batch, rejection(r, override.Member, "bad"))
					}
				}
				if err := s.PutBatch(ctx, batch); err != nil {
					errs[w] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	for w, err := range errs {
		assert.NoError(t, err, "worker %d", w)
	}
	n, err := s.Count(ctx, "org1")
	require.NoError(t, err)
	assert.Equal(t, size+size/10, n)
}

// TestPurgeWhileBatching purges an org while batches write to it. A purge
// and a batch that lock shared rows in different orders may deadlock; the
// server then aborts one transaction whole, and the store runs it again.
func TestPurgeWhileBatching(t *testing.T) {
	s, _ := openStore(t)
	ctx := t.Context()
	const rounds, size = 15, 3000
	var wg sync.WaitGroup
	var batchErr, purgeErr error
	done := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(done)
		rng := rand.New(rand.NewPCG(1, 2))
		for round := range rounds {
			var batch []override.Mapping
			for _, i := range rng.Perm(size) {
				r := rec("org1", override.Lead, fmt.Sprintf("l%05d", i))
				batch = append(batch, mapping(r, override.Sync, override.Member, fmt.Sprint(round)))
				if i%7 == 0 {
					batch = append(batch, rejection(r, override.Member, "bad"))
				}
			}
			if batchErr = s.PutBatch(ctx, batch); batchErr != nil {
				return
			}
		}
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-done:
				return
			default:
			}
			if _, purgeErr = s.Purge(ctx, "org1"); purgeErr != nil {
				return
			}
		}
	}()
	wg.Wait()
	require.NoError(t, batchErr)
	require.NoError(t, purgeErr)
	// Whatever the interleaving, every batch landed whole or was purged whole.
	n, err := s.Count(ctx, "org1")
	require.NoError(t, err)
	assert.Contains(t, []int{0, size + (size+6)/7}, n, "a batch is partly present")
}

// TestPutBatchRetriesDeadlock injects a deadlock error (SQLSTATE 40P01) into
// the first attempts of a batch: the server rolled them back whole, so the
// store runs the batch again and it lands once, whole. A non-retryable error
// is returned at once.
func TestPutBatchRetriesDeadlock(t *testing.T) {
	dsn, schema := freshSchema(t)
	ctx := t.Context()
	s, err := pgstore.Open(ctx, dsn, pgstore.WithSchema(schema))
	require.NoError(t, err)
	defer s.Close()
	q := pgx.Identifier{schema}.Sanitize()
	_, err = connect(t, dsn).Exec(ctx, `
CREATE SEQUENCE `+q+`.attempts;
CREATE FUNCTION `+q+`.fail_first() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
	IF NEW.entity_id = 'deadlock' THEN
		n := nextval('`+q+`.attempts');
		IF n <= 2 THEN RAISE EXCEPTION 'injected deadlock' USING ERRCODE = 'deadlock_detected'; END IF;
	END IF;
	IF NEW.entity_id = 'fatal' THEN RAISE EXCEPTION 'injected failure' USING ERRCODE = 'raise_exception'; END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER fail_first BEFORE INSERT ON `+q+`.rejections FOR EACH ROW EXECUTE FUNCTION `+q+`.fail_first();`)
	require.NoError(t, err)

	var batch []override.Mapping
	for i := range 500 {
		batch = append(batch, mapping(rec("org1", override.Contact, fmt.Sprint(i)), override.Sync, override.Member, "m"))
	}
	require.NoError(t, s.PutBatch(ctx, append(batch, rejection(batch[0].Record, override.Member, "deadlock"))))
	n, err := s.Count(ctx, "org1")
	require.NoError(t, err)
	assert.Equal(t, 501, n)
	var attempts int
	require.NoError(t, connect(t, dsn).QueryRow(ctx, "SELECT last_value FROM "+q+".attempts").Scan(&attempts))
	assert.Equal(t, 3, attempts, "two aborted attempts, then the one that committed")

	err = s.PutBatch(ctx, []override.Mapping{
		mapping(rec("org2", override.Lead, "1"), override.Sync, override.Member, "m"),
		rejection(rec("org2", override.Lead, "1"), override.Member, "fatal"),
	})
	var pgErr *pgconn.PgError
	require.ErrorAs(t, err, &pgErr, "the server's error stays reachable")
	assert.Equal(t, "P0001", pgErr.Code)
	n, err = s.Count(ctx, "org2")
	require.NoError(t, err)
	assert.Zero(t, n)
}
