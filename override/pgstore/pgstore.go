package pgstore

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/privacy"
)

var (
	_ override.Driver      = (*Driver)(nil)
	_ override.EntityIndex = (*Driver)(nil)
)

// Driver is the [override.Driver] on PostgreSQL. It is safe for concurrent use
// by multiple goroutines, and any number of Drivers (in any number of
// processes) may share one schema. Programs hold the [*override.Store] that
// [Open] returns and reach the Driver, when they need it, with [Pool] or a
// type assertion on [override.Store.Driver].
type Driver struct {
	pool     *pgxpool.Pool
	ownPool  bool // Close closes pool
	schema   string
	pageSize int
	q        queries
	closed   atomic.Bool
}

// Open connects to the PostgreSQL server named by dsn (a URL such as
// "postgres://user:password@host:5432/db?sslmode=verify-full" or key=value
// pairs, see [pgxpool.ParseConfig] for the pool settings it accepts), creates
// or migrates the store's schema and returns the store. The Store owns the
// pool: [override.Store.Close] closes it. Errors never contain the password.
func Open(ctx context.Context, dsn string, opts ...Option) (*override.Store, error) {
	d, err := OpenDriver(ctx, dsn, opts...)
	if err != nil {
		return nil, err
	}
	return override.New(d), nil
}

// OpenDriver is [Open] returning the bare driver, for tests of the driver
// itself and for wrapping it in another driver. Hand it to [override.New].
func OpenDriver(ctx context.Context, dsn string, opts ...Option) (*Driver, error) {
	o, err := buildOptions(opts)
	if err != nil {
		return nil, err
	}
	cfg, secrets, err := parseDSN(dsn)
	if err != nil {
		return nil, err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, privacy.Error(fmt.Errorf("pgstore: open: %w", err), secrets...)
	}
	s, err := newStore(ctx, pool, true, o)
	if err != nil {
		pool.Close()
		return nil, privacy.Error(err, secrets...)
	}
	return s, nil
}

// OpenPool is [Open] over a pool the caller configured and owns: the store
// creates or migrates its schema through pool, and [override.Store.Close]
// leaves pool open. Use it to share one pool with other code or to set pool
// options that a DSN cannot express.
func OpenPool(ctx context.Context, pool *pgxpool.Pool, opts ...Option) (*override.Store, error) {
	if pool == nil {
		return nil, fmt.Errorf("pgstore: open: nil pool: %w", override.ErrInvalid)
	}
	o, err := buildOptions(opts)
	if err != nil {
		return nil, err
	}
	d, err := newStore(ctx, pool, false, o)
	if err != nil {
		return nil, err
	}
	return override.New(d), nil
}

func buildOptions(opts []Option) (options, error) {
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	return o, o.validate()
}

func newStore(ctx context.Context, pool *pgxpool.Pool, own bool, o options) (*Driver, error) {
	if err := migrator.Migrate(ctx, pool, o.schema); err != nil {
		return nil, err
	}
	return &Driver{
		pool:     pool,
		ownPool:  own,
		schema:   o.schema,
		pageSize: o.pageSize,
		q:        buildQueries(pgx.Identifier{o.schema}.Sanitize()),
	}, nil
}

// Pool returns the driver's connection pool, an escape hatch for what
// [override.Store] does not cover (health checks, statistics, ad-hoc queries
// on the store's tables). Do not close it if the store owns it.
func (s *Driver) Pool() *pgxpool.Pool { return s.pool }

// Pool returns the connection pool under st, the escape hatch of a store made
// by [Open] or [OpenPool]; ok is false if st has another driver.
func Pool(st *override.Store) (pool *pgxpool.Pool, ok bool) {
	d, ok := st.Driver().(*Driver)
	if !ok {
		return nil, false
	}
	return d.pool, true
}

// Schema returns the PostgreSQL schema holding the store's tables.
func (s *Driver) Schema() string { return s.schema }

// Close implements [override.Driver.Close]. If the driver was made by [Open]
// it closes the pool, waiting for queries in flight to finish; one made by
// [OpenPool] leaves the pool to its owner. Later calls of other methods return
// [override.ErrClosed]; closing twice returns [override.ErrClosed].
func (s *Driver) Close() error {
	if s.closed.Swap(true) {
		return fmt.Errorf("pgstore: close: %w", override.ErrClosed)
	}
	if s.ownPool {
		s.pool.Close()
	}
	return nil
}

// check runs first in every method: a closed store or a done ctx fail fast,
// before a connection is taken from the pool.
func (s *Driver) check(ctx context.Context, op string) error {
	if s.closed.Load() {
		return fmt.Errorf("pgstore: %s: %w", op, override.ErrClosed)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("pgstore: %s: %w", op, err)
	}
	return nil
}

// wrap adds the operation to an error from pgx. If the store was closed while
// the call ran (the pool refuses connections, or cancels one it was making),
// the error also matches [override.ErrClosed], unless the caller's ctx ended.
func (s *Driver) wrap(ctx context.Context, op string, err error) error {
	if s.closed.Load() && ctx.Err() == nil {
		return fmt.Errorf("pgstore: %s: %w: %w", op, override.ErrClosed, err)
	}
	return fmt.Errorf("pgstore: %s: %w", op, err)
}

// Load implements [override.Driver.Load] in one query over both tables,
// served by their primary keys; a single ref, the Resolver's read, gets a
// plain lookup by key.
func (s *Driver) Load(ctx context.Context, refs []override.RecordRef, dst []override.Record) ([]override.Record, error) {
	const op = "load"
	if err := s.check(ctx, op); err != nil {
		return dst, err
	}
	base := len(dst)
	for _, r := range refs {
		dst = append(dst, override.Record{Ref: r})
	}
	var rows pgx.Rows
	var err error
	if len(refs) == 1 {
		r := refs[0]
		rows, err = s.pool.Query(ctx, s.q.loadOne, r.Org, string(r.Object), r.ID)
	} else {
		orgs, objects, ids := make([]string, len(refs)), make([]string, len(refs)), make([]string, len(refs))
		for i, r := range refs {
			orgs[i], objects[i], ids[i] = r.Org, string(r.Object), r.ID
		}
		rows, err = s.pool.Query(ctx, s.q.load, orgs, objects, ids)
	}
	if err != nil {
		return dst[:base], s.wrap(ctx, op, err)
	}
	var (
		i         int64
		m         override.Mapping
		src, kind string
	)
	_, err = pgx.ForEachRow(rows, []any{&i, &m.Rejected, &src, &kind, &m.Entity.ID, &m.UpdatedAt, &m.UpdatedBy}, func() error {
		if i < 1 || int(i) > len(refs) {
			return fmt.Errorf("row for ref %d of %d", i, len(refs))
		}
		rec := &dst[base+int(i)-1]
		m.Record = rec.Ref
		m.Source, m.Entity.Kind, m.UpdatedAt = override.Source(src), override.EntityKind(kind), m.UpdatedAt.UTC()
		rec.Mappings = append(rec.Mappings, m)
		return nil
	})
	if err != nil {
		return dst[:base], s.wrap(ctx, op, err)
	}
	return dst, nil
}

// Apply implements [override.Driver.Apply] in one transaction of at most four
// statements, whatever the size of the batch: deletes and upserts of each
// table.
func (s *Driver) Apply(ctx context.Context, ops []override.Op) error {
	const op = "apply"
	if err := s.check(ctx, op); err != nil {
		return err
	}
	maps, rejs, delMaps, delRejs := splitOps(ops)
	locks := s.orgLocks(ops)
	err := s.inTx(ctx, pgx.TxOptions{}, func(tx pgx.Tx) error {
		// Shared per-org locks: batches run side by side, a Purge of one of
		// their orgs waits for them to commit (and they for it).
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock_shared(k) FROM unnest($1::bigint[]) AS k", locks); err != nil {
			return err
		}
		for _, st := range []struct {
			n    int
			sql  string
			args []any
		}{
			{delMaps.n, s.q.deleteMappings, []any{delMaps.org, delMaps.object, delMaps.recordID, delMaps.source}},
			{delRejs.n, s.q.deleteRejections, []any{delRejs.org, delRejs.object, delRejs.recordID, delRejs.kind, delRejs.entityID}},
			{maps.n, s.q.putMappings, maps.args()},
			{rejs.n, s.q.putRejections, rejs.args()},
		} {
			if st.n == 0 {
				continue
			}
			if _, err := tx.Exec(ctx, st.sql, st.args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return s.wrap(ctx, op, err)
	}
	return nil
}

// maxAttempts bounds how often inTx runs a transaction that failed with a
// deadlock or serialization failure.
const maxAttempts = 4

// inTx runs fn in a transaction and commits it. A transaction the server
// aborted for a deadlock or a serialization failure (nothing of it was
// written) is run again, up to maxAttempts times, after a short random pause.
// PutBatch writes rows in key order, so batches never deadlock each other;
// batches and purges of one org are serialised by the org's advisory lock;
// the retry is a safety net for what neither foresees.
func (s *Driver) inTx(ctx context.Context, opts pgx.TxOptions, fn func(pgx.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := pgx.BeginTxFunc(ctx, s.pool, opts, fn)
		var pgErr *pgconn.PgError
		if err == nil || attempt == maxAttempts || !errors.As(err, &pgErr) ||
			(pgErr.Code != "40P01" && pgErr.Code != "40001") {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt) * time.Duration(5+rand.IntN(20)) * time.Millisecond):
		}
	}
}

// orgLock is the advisory lock key of org in schema, taken shared by
// PutBatch and exclusive by Purge. A collision of two orgs' keys only
// serialises them needlessly.
func orgLock(schema, org string) int64 {
	h := fnv.New64a()
	h.Write([]byte("crmlink/override/pgstore/org\x00"))
	h.Write([]byte(schema))
	h.Write([]byte{0})
	h.Write([]byte(org))
	return int64(h.Sum64())
}

// orgLocks returns the lock keys of the orgs of ops, sorted, each once.
func (s *Driver) orgLocks(ops []override.Op) []int64 {
	var keys []int64
	last := ""
	for i, op := range ops {
		if org := op.Mapping.Record.Org; i == 0 || org != last {
			keys = append(keys, orgLock(s.schema, org))
			last = org
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// columns holds a batch column by column, the shape unnest() takes.
type columns struct {
	n                                                 int
	org, object, recordID, source, kind, entityID, by []string
	at                                                []time.Time
}

func (c *columns) add(m override.Mapping) {
	c.n++
	c.org = append(c.org, m.Record.Org)
	c.object = append(c.object, string(m.Record.Object))
	c.recordID = append(c.recordID, m.Record.ID)
	c.source = append(c.source, string(m.Source))
	c.kind = append(c.kind, string(m.Entity.Kind))
	c.entityID = append(c.entityID, m.Entity.ID)
	c.at = append(c.at, m.UpdatedAt)
	c.by = append(c.by, m.UpdatedBy)
}

func (c *columns) args() []any {
	return []any{c.org, c.object, c.recordID, c.source, c.kind, c.entityID, c.at, c.by}
}

// splitOps splits ops into the four statements of Apply: puts and deletes of
// mappings and of rejections. The Store gives at most one op per key, as one
// INSERT ... ON CONFLICT may not touch a row twice.
func splitOps(ops []override.Op) (maps, rejs, delMaps, delRejs columns) {
	for _, op := range ops {
		m := op.Mapping
		switch {
		case op.Delete && m.Rejected:
			delRejs.add(m)
		case op.Delete:
			delMaps.add(m)
		case m.Rejected:
			rejs.add(m)
		default:
			maps.add(m)
		}
	}
	return maps, rejs, delMaps, delRejs
}

// RecordsOf implements [override.EntityIndex] with the (org, entity_kind,
// entity_id) index.
func (s *Driver) RecordsOf(ctx context.Context, org string, e override.EntityRef) ([]override.RecordRef, error) {
	const op = "records of"
	if err := s.check(ctx, op); err != nil {
		return nil, err
	}
	rows, _ := s.pool.Query(ctx, s.q.recordsOf, org, string(e.Kind), e.ID)
	rs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (override.RecordRef, error) {
		r := override.RecordRef{Org: org}
		var obj string
		err := row.Scan(&obj, &r.ID)
		r.Object = override.Object(obj)
		return r, err
	})
	if err != nil {
		return nil, s.wrap(ctx, op, err)
	}
	return rs, nil
}

// Count implements [override.Driver.Count].
func (s *Driver) Count(ctx context.Context, org string) (int, error) {
	const op = "count"
	if err := s.check(ctx, op); err != nil {
		return 0, err
	}
	var n int64
	if err := s.pool.QueryRow(ctx, s.q.count, org).Scan(&n); err != nil {
		return 0, s.wrap(ctx, op, err)
	}
	return int(n), nil
}

// Purge implements [override.Driver.Purge]: it removes every mapping and
// rejection of org in one transaction.
func (s *Driver) Purge(ctx context.Context, org string) (int, error) {
	const op = "purge"
	if err := s.check(ctx, op); err != nil {
		return 0, err
	}
	// The org's lock, exclusive: batches of the org in flight commit first,
	// new ones wait, so each batch is purged whole or kept whole.
	var n int64
	err := s.inTx(ctx, pgx.TxOptions{}, func(tx pgx.Tx) error {
		n = 0
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", orgLock(s.schema, org)); err != nil {
			return err
		}
		for _, sql := range []string{s.q.purgeMappings, s.q.purgeRejections} {
			tag, err := tx.Exec(ctx, sql, org)
			if err != nil {
				return err
			}
			n += tag.RowsAffected()
		}
		_, err := tx.Exec(ctx, s.q.purgeCheckpoints, org)
		return err
	})
	if err != nil {
		return 0, s.wrap(ctx, op, err)
	}
	return int(n), nil
}

// Scan implements [override.Driver.Scan]: one keyset page of each table, at
// most min(limit, page size) rows each (see [WithPageSize]), merged in the
// order of [override.Compare].
func (s *Driver) Scan(ctx context.Context, org string, after *override.Mapping, limit int, dst []override.Mapping) ([]override.Mapping, error) {
	const op = "scan"
	if err := s.check(ctx, op); err != nil {
		return dst, err
	}
	limit = min(limit, s.pageSize)
	// The key of after in each table's terms. Of one record, the mappings come
	// before the rejections: after a rejection, no mapping of its record is
	// left ("~" sorts after every source), and after a mapping, every
	// rejection of its record is ("" sorts before every kind).
	var mk [3]string
	var rk [4]string
	if a := after; a != nil {
		obj := string(a.Record.Object)
		if a.Rejected {
			mk = [3]string{obj, a.Record.ID, "~"}
			rk = [4]string{obj, a.Record.ID, string(a.Entity.Kind), a.Entity.ID}
		} else {
			mk = [3]string{obj, a.Record.ID, string(a.Source)}
			rk = [4]string{obj, a.Record.ID, "", ""}
		}
	}
	maps, err := s.page(ctx, s.q.pageMappings, org, false, limit, org, mk[0], mk[1], mk[2], limit)
	if err != nil {
		return dst, s.wrap(ctx, op, err)
	}
	rejs, err := s.page(ctx, s.q.pageRejections, org, true, limit, org, rk[0], rk[1], rk[2], rk[3], limit)
	if err != nil {
		return dst, s.wrap(ctx, op, err)
	}
	// Each page is the start of its table after after; their merge up to
	// limit is the start of the org's mappings after after.
	for n := 0; n < limit && (len(maps) > 0 || len(rejs) > 0); n++ {
		if len(rejs) == 0 || (len(maps) > 0 && override.Compare(maps[0], rejs[0]) <= 0) {
			dst, maps = append(dst, maps[0]), maps[1:]
		} else {
			dst, rejs = append(dst, rejs[0]), rejs[1:]
		}
	}
	return dst, nil
}

// page reads one keyset page of one table.
func (s *Driver) page(ctx context.Context, sql, org string, rejected bool, limit int, args ...any) ([]override.Mapping, error) {
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	out := make([]override.Mapping, 0, limit)
	var obj, src, kind string
	m := override.Mapping{Record: override.RecordRef{Org: org}, Rejected: rejected}
	_, err = pgx.ForEachRow(rows, []any{&obj, &m.Record.ID, &src, &kind, &m.Entity.ID, &m.UpdatedAt, &m.UpdatedBy}, func() error {
		m.Record.Object, m.Source, m.Entity.Kind = override.Object(obj), override.Source(src), override.EntityKind(kind)
		m.UpdatedAt = m.UpdatedAt.UTC()
		out = append(out, m)
		return nil
	})
	return out, err
}
