package pgstore

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"iter"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/crmlink/crmlink/override"
)

var _ override.Store = (*Store)(nil)

// Store is an [override.Store] on PostgreSQL. It is safe for concurrent use by
// multiple goroutines, and any number of Stores (in any number of processes)
// may share one schema.
type Store struct {
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
// pool: [Store.Close] closes it. Errors never contain the password.
func Open(ctx context.Context, dsn string, opts ...Option) (*Store, error) {
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
		return nil, redactErr(fmt.Errorf("pgstore: open: %w", err), secrets)
	}
	s, err := newStore(ctx, pool, true, o)
	if err != nil {
		pool.Close()
		return nil, redactErr(err, secrets)
	}
	return s, nil
}

// OpenPool is [Open] over a pool the caller configured and owns: the store
// creates or migrates its schema through pool, and [Store.Close] leaves pool
// open. Use it to share one pool with other code or to set pool options that a
// DSN cannot express.
func OpenPool(ctx context.Context, pool *pgxpool.Pool, opts ...Option) (*Store, error) {
	if pool == nil {
		return nil, fmt.Errorf("pgstore: open: nil pool: %w", override.ErrInvalid)
	}
	o, err := buildOptions(opts)
	if err != nil {
		return nil, err
	}
	return newStore(ctx, pool, false, o)
}

func buildOptions(opts []Option) (options, error) {
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	return o, o.validate()
}

func newStore(ctx context.Context, pool *pgxpool.Pool, own bool, o options) (*Store, error) {
	if err := migrate(ctx, pool, o.schema); err != nil {
		return nil, err
	}
	return &Store{
		pool:     pool,
		ownPool:  own,
		schema:   o.schema,
		pageSize: o.pageSize,
		q:        buildQueries(pgx.Identifier{o.schema}.Sanitize()),
	}, nil
}

// Pool returns the store's connection pool, an escape hatch for what the
// [override.Store] interface does not cover (health checks, statistics, ad-hoc
// queries on the store's tables). Do not close it if the store owns it.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Schema returns the PostgreSQL schema holding the store's tables.
func (s *Store) Schema() string { return s.schema }

// Close releases the store. If the store was made by [Open] it closes the pool,
// waiting for queries in flight to finish; a store made by [OpenPool] leaves
// the pool to its owner. Later calls of other methods return
// [override.ErrClosed]; closing twice returns [override.ErrClosed].
func (s *Store) Close() error {
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
func (s *Store) check(ctx context.Context, op string) error {
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
func (s *Store) wrap(ctx context.Context, op string, err error) error {
	if s.closed.Load() && ctx.Err() == nil {
		return fmt.Errorf("pgstore: %s: %w: %w", op, override.ErrClosed, err)
	}
	return fmt.Errorf("pgstore: %s: %w", op, err)
}

// Get returns the effective mapping of r: the manual one if any, else the sync
// one. Rejections are not consulted.
func (s *Store) Get(ctx context.Context, r override.RecordRef) (override.Mapping, bool, error) {
	const op = "get"
	if err := s.check(ctx, op); err != nil {
		return override.Mapping{}, false, err
	}
	if err := r.Validate(); err != nil {
		return override.Mapping{}, false, fmt.Errorf("pgstore: %s: %w", op, err)
	}
	return s.getRow(ctx, op, s.q.get, r, r.Org, string(r.Object), r.ID)
}

// GetSource returns the mapping of r made by src.
func (s *Store) GetSource(ctx context.Context, r override.RecordRef, src override.Source) (override.Mapping, bool, error) {
	const op = "get source"
	if err := s.check(ctx, op); err != nil {
		return override.Mapping{}, false, err
	}
	if err := r.Validate(); err != nil {
		return override.Mapping{}, false, fmt.Errorf("pgstore: %s: %w", op, err)
	}
	if err := src.Validate(); err != nil {
		return override.Mapping{}, false, fmt.Errorf("pgstore: %s: %w", op, err)
	}
	return s.getRow(ctx, op, s.q.getSource, r, r.Org, string(r.Object), r.ID, string(src))
}

func (s *Store) getRow(ctx context.Context, op, sql string, r override.RecordRef, args ...any) (override.Mapping, bool, error) {
	m := override.Mapping{Record: r}
	var src, kind string
	err := s.pool.QueryRow(ctx, sql, args...).Scan(&src, &kind, &m.Entity.ID, &m.UpdatedAt, &m.UpdatedBy)
	if errors.Is(err, pgx.ErrNoRows) {
		return override.Mapping{}, false, nil
	}
	if err != nil {
		return override.Mapping{}, false, s.wrap(ctx, op, err)
	}
	m.Source, m.Entity.Kind, m.UpdatedAt = override.Source(src), override.EntityKind(kind), m.UpdatedAt.UTC()
	return m, true, nil
}

// Put stores m (see [override.Store.Put]). A zero UpdatedAt is set to the
// current time.
func (s *Store) Put(ctx context.Context, m override.Mapping) error {
	const op = "put"
	if err := s.check(ctx, op); err != nil {
		return err
	}
	m, err := override.Prepare(m, time.Now())
	if err != nil {
		return fmt.Errorf("pgstore: %s: %w", op, err)
	}
	sql := s.q.putMapping
	if m.Rejected {
		sql = s.q.putRejection
	}
	_, err = s.pool.Exec(ctx, sql, m.Record.Org, string(m.Record.Object), m.Record.ID, string(m.Source),
		string(m.Entity.Kind), m.Entity.ID, m.UpdatedAt, m.UpdatedBy)
	if err != nil {
		return s.wrap(ctx, op, err)
	}
	return nil
}

// PutBatch stores all of ms in one transaction: all or nothing. Invalid input
// writes nothing. When the batch holds the same key twice, the later one wins.
// Each table gets one upsert statement whatever the size of the batch.
func (s *Store) PutBatch(ctx context.Context, ms []override.Mapping) error {
	const op = "put batch"
	if err := s.check(ctx, op); err != nil {
		return err
	}
	ms, err := override.PrepareBatch(ms, time.Now())
	if err != nil {
		return fmt.Errorf("pgstore: %s: %w", op, err)
	}
	if len(ms) == 0 {
		return nil
	}
	maps, rejs := splitBatch(ms)
	locks := s.orgLocks(ms)
	err = s.inTx(ctx, pgx.TxOptions{}, func(tx pgx.Tx) error {
		// Shared per-org locks: batches run side by side, a Purge of one of
		// their orgs waits for them to commit (and they for it).
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock_shared(k) FROM unnest($1::bigint[]) AS k", locks); err != nil {
			return err
		}
		if maps.n > 0 {
			if _, err := tx.Exec(ctx, s.q.putMappings, maps.args()...); err != nil {
				return err
			}
		}
		if rejs.n > 0 {
			if _, err := tx.Exec(ctx, s.q.putRejections, rejs.args()...); err != nil {
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
func (s *Store) inTx(ctx context.Context, opts pgx.TxOptions, fn func(pgx.Tx) error) error {
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

// orgLocks returns the lock keys of the orgs of ms, sorted, each once.
func (s *Store) orgLocks(ms []override.Mapping) []int64 {
	var keys []int64
	last := ""
	for i, m := range ms {
		if i == 0 || m.Record.Org != last {
			keys = append(keys, orgLock(s.schema, m.Record.Org))
			last = m.Record.Org
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

func (c *columns) grow(n int) {
	c.org = make([]string, 0, n)
	c.object = make([]string, 0, n)
	c.recordID = make([]string, 0, n)
	c.source = make([]string, 0, n)
	c.kind = make([]string, 0, n)
	c.entityID = make([]string, 0, n)
	c.by = make([]string, 0, n)
	c.at = make([]time.Time, 0, n)
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

// mappingKey and rejectionKey are the primary keys of the two tables.
type mappingKey struct {
	r   override.RecordRef
	src override.Source
}

type rejectionKey struct {
	r override.RecordRef
	e override.EntityRef
}

// splitBatch splits ms into mappings and rejections, keeping only the last of
// each key: one INSERT ... ON CONFLICT may not touch a row twice.
func splitBatch(ms []override.Mapping) (maps, rejs columns) {
	nrej := 0
	for _, m := range ms {
		if m.Rejected {
			nrej++
		}
	}
	lastM := make(map[mappingKey]int, len(ms)-nrej)
	lastR := make(map[rejectionKey]int, nrej)
	for i, m := range ms {
		if m.Rejected {
			lastR[rejectionKey{m.Record, m.Entity}] = i
		} else {
			lastM[mappingKey{m.Record, m.Source}] = i
		}
	}
	maps.grow(len(lastM))
	rejs.grow(len(lastR))
	for i, m := range ms {
		if m.Rejected {
			if lastR[rejectionKey{m.Record, m.Entity}] == i {
				rejs.add(m)
			}
		} else if lastM[mappingKey{m.Record, m.Source}] == i {
			maps.add(m)
		}
	}
	return maps, rejs
}

// Delete removes the mapping of (r, src); deleting nothing succeeds.
func (s *Store) Delete(ctx context.Context, r override.RecordRef, src override.Source) error {
	const op = "delete"
	if err := s.check(ctx, op); err != nil {
		return err
	}
	if err := r.Validate(); err != nil {
		return fmt.Errorf("pgstore: %s: %w", op, err)
	}
	if err := src.Validate(); err != nil {
		return fmt.Errorf("pgstore: %s: %w", op, err)
	}
	if _, err := s.pool.Exec(ctx, s.q.delete, r.Org, string(r.Object), r.ID, string(src)); err != nil {
		return s.wrap(ctx, op, err)
	}
	return nil
}

// Rejected reports whether e was rejected for r.
func (s *Store) Rejected(ctx context.Context, r override.RecordRef, e override.EntityRef) (bool, error) {
	const op = "rejected"
	if err := s.check(ctx, op); err != nil {
		return false, err
	}
	if err := validateRecordEntity(r, e); err != nil {
		return false, fmt.Errorf("pgstore: %s: %w", op, err)
	}
	var ok bool
	err := s.pool.QueryRow(ctx, s.q.rejected, r.Org, string(r.Object), r.ID, string(e.Kind), e.ID).Scan(&ok)
	if err != nil {
		return false, s.wrap(ctx, op, err)
	}
	return ok, nil
}

// Rejections lists the entities rejected for r, ordered by kind then ID.
func (s *Store) Rejections(ctx context.Context, r override.RecordRef) ([]override.EntityRef, error) {
	const op = "rejections"
	if err := s.check(ctx, op); err != nil {
		return nil, err
	}
	if err := r.Validate(); err != nil {
		return nil, fmt.Errorf("pgstore: %s: %w", op, err)
	}
	rows, _ := s.pool.Query(ctx, s.q.rejections, r.Org, string(r.Object), r.ID)
	es, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (override.EntityRef, error) {
		var e override.EntityRef
		var kind string
		err := row.Scan(&kind, &e.ID)
		e.Kind = override.EntityKind(kind)
		return e, err
	})
	if err != nil {
		return nil, s.wrap(ctx, op, err)
	}
	return es, nil
}

// Unreject removes the rejection of e for r; removing nothing succeeds.
func (s *Store) Unreject(ctx context.Context, r override.RecordRef, e override.EntityRef) error {
	const op = "unreject"
	if err := s.check(ctx, op); err != nil {
		return err
	}
	if err := validateRecordEntity(r, e); err != nil {
		return fmt.Errorf("pgstore: %s: %w", op, err)
	}
	if _, err := s.pool.Exec(ctx, s.q.unreject, r.Org, string(r.Object), r.ID, string(e.Kind), e.ID); err != nil {
		return s.wrap(ctx, op, err)
	}
	return nil
}

func validateRecordEntity(r override.RecordRef, e override.EntityRef) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return e.Validate()
}

// RecordsOf returns the records of org whose mappings (manual or sync, not
// rejections) point at e, each once, in the order of [override.CompareRecords].
// It uses the (org, entity_kind, entity_id) index.
func (s *Store) RecordsOf(ctx context.Context, org string, e override.EntityRef) ([]override.RecordRef, error) {
	const op = "records of"
	if err := s.check(ctx, op); err != nil {
		return nil, err
	}
	if err := override.ValidateOrg(org); err != nil {
		return nil, fmt.Errorf("pgstore: %s: %w", op, err)
	}
	if err := e.Validate(); err != nil {
		return nil, fmt.Errorf("pgstore: %s: %w", op, err)
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

// Count returns how many mappings and rejections org holds.
func (s *Store) Count(ctx context.Context, org string) (int, error) {
	const op = "count"
	if err := s.check(ctx, op); err != nil {
		return 0, err
	}
	if err := override.ValidateOrg(org); err != nil {
		return 0, fmt.Errorf("pgstore: %s: %w", op, err)
	}
	var n int64
	if err := s.pool.QueryRow(ctx, s.q.count, org).Scan(&n); err != nil {
		return 0, s.wrap(ctx, op, err)
	}
	return int(n), nil
}

// Purge removes every mapping and rejection of org in one transaction and
// returns how many it removed.
func (s *Store) Purge(ctx context.Context, org string) (int, error) {
	const op = "purge"
	if err := s.check(ctx, op); err != nil {
		return 0, err
	}
	if err := override.ValidateOrg(org); err != nil {
		return 0, fmt.Errorf("pgstore: %s: %w", op, err)
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
		return nil
	})
	if err != nil {
		return 0, s.wrap(ctx, op, err)
	}
	return int(n), nil
}

// Mappings walks every mapping and rejection of org in the order of
// [override.Compare]. It reads both tables by keyset pagination, at most the
// page size (see [WithPageSize]) rows of each at a time, and merges them, so
// memory stays bounded however large the org; no connection or transaction is
// held while the loop body runs. It is not a snapshot (see
// [override.Store.Mappings]). On failure it yields one (Mapping{}, err) and
// stops; breaking out is safe. Each range runs a fresh walk.
func (s *Store) Mappings(ctx context.Context, org string) iter.Seq2[override.Mapping, error] {
	return func(yield func(override.Mapping, error) bool) {
		const op = "mappings"
		if err := s.check(ctx, op); err != nil {
			yield(override.Mapping{}, err)
			return
		}
		if err := override.ValidateOrg(org); err != nil {
			yield(override.Mapping{}, fmt.Errorf("pgstore: %s: %w", op, err))
			return
		}
		maps := &pager{s: s, org: org, sql: s.q.pageMappings}
		rejs := &pager{s: s, org: org, sql: s.q.pageRejections, rejected: true}
		for {
			a, aok, err := maps.peek(ctx)
			if err != nil {
				yield(override.Mapping{}, s.wrap(ctx, op, err))
				return
			}
			b, bok, err := rejs.peek(ctx)
			if err != nil {
				yield(override.Mapping{}, s.wrap(ctx, op, err))
				return
			}
			var m override.Mapping
			switch {
			case !aok && !bok:
				return
			case aok && (!bok || override.Compare(a, b) <= 0):
				m = a
				maps.pos++
			default:
				m = b
				rejs.pos++
			}
			if err := s.check(ctx, op); err != nil {
				yield(override.Mapping{}, err)
				return
			}
			if !yield(m, nil) {
				return
			}
		}
	}
}

// pager reads one table of one org page by page, in key order, each page
// starting after the last key read.
type pager struct {
	s        *Store
	org      string
	sql      string
	rejected bool
	buf      []override.Mapping
	pos      int
	done     bool
}

// peek returns the next row without consuming it; ok is false at the end.
func (p *pager) peek(ctx context.Context) (m override.Mapping, ok bool, err error) {
	if p.pos < len(p.buf) {
		return p.buf[p.pos], true, nil
	}
	if p.done {
		return override.Mapping{}, false, nil
	}
	// The key columns of the last row read, or empty strings, which sort
	// before every valid key, for the first page.
	var k [4]string
	if n := len(p.buf); n > 0 {
		last := p.buf[n-1]
		k = [4]string{string(last.Record.Object), last.Record.ID, string(last.Source), ""}
		if p.rejected {
			k = [4]string{string(last.Record.Object), last.Record.ID, string(last.Entity.Kind), last.Entity.ID}
		}
	}
	p.buf, p.pos = p.buf[:0], 0
	args := []any{p.org, k[0], k[1], k[2], p.s.pageSize}
	if p.rejected {
		args = []any{p.org, k[0], k[1], k[2], k[3], p.s.pageSize}
	}
	rows, err := p.s.pool.Query(ctx, p.sql, args...)
	if err != nil {
		return override.Mapping{}, false, err
	}
	var obj, src, kind string
	m.Record.Org, m.Rejected = p.org, p.rejected
	_, err = pgx.ForEachRow(rows, []any{&obj, &m.Record.ID, &src, &kind, &m.Entity.ID, &m.UpdatedAt, &m.UpdatedBy}, func() error {
		m.Record.Object, m.Source, m.Entity.Kind = override.Object(obj), override.Source(src), override.EntityKind(kind)
		m.UpdatedAt = m.UpdatedAt.UTC()
		p.buf = append(p.buf, m)
		return nil
	})
	if err != nil {
		return override.Mapping{}, false, err
	}
	if len(p.buf) < p.s.pageSize {
		p.done = true
	}
	if len(p.buf) == 0 {
		return override.Mapping{}, false, nil
	}
	return p.buf[0], true, nil
}
