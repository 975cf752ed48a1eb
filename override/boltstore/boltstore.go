package boltstore

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"os"
	"slices"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	bberrors "go.etcd.io/bbolt/errors"

	"github.com/crmlink/crmlink/override"
)

// SchemaVersion is the version of the file layout this package writes and reads.
const SchemaVersion = 1

// pageSize is how many mappings Mappings reads per read transaction.
const pageSize = 256

// Store is an [override.Store] in one bbolt file. It is safe for concurrent
// use by multiple goroutines; one process at a time may open a file.
type Store struct {
	db     *bolt.DB
	closed atomic.Bool
	now    func() time.Time
}

var _ override.Store = (*Store)(nil)

type options struct {
	lockTimeout time.Duration
	mode        fs.FileMode
	noSync      bool
}

// Option configures [Open].
type Option func(*options)

// WithLockTimeout sets how long Open waits for another process to release the
// file before it returns an error matching [override.ErrLocked]. Default 1s;
// zero or less means do not wait.
func WithLockTimeout(d time.Duration) Option {
	return func(o *options) {
		if d <= 0 {
			d = time.Nanosecond // bbolt waits forever on 0
		}
		o.lockTimeout = d
	}
}

// WithFileMode sets the permissions of a file Open creates. Default 0600.
func WithFileMode(mode fs.FileMode) Option { return func(o *options) { o.mode = mode } }

// WithNoSync skips fsync on commit: faster, but a crash of the machine (not
// only of the process) may lose or corrupt recent writes. For tests and bulk
// loads that can be redone.
func WithNoSync() Option { return func(o *options) { o.noSync = true } }

// Open opens or creates the store at path. Errors match [override.ErrLocked]
// when another process holds the file, [override.ErrCorrupt] when it is not a
// valid store file, and [override.ErrSchemaVersion] when it was written by a
// newer version of this package. Call Close when done.
func Open(path string, opts ...Option) (*Store, error) {
	o := options{lockTimeout: time.Second, mode: 0o600}
	for _, opt := range opts {
		opt(&o)
	}
	existed := false
	if fi, err := os.Stat(path); err == nil && fi.Size() > 0 {
		existed = true
	}
	db, err := bolt.Open(path, o.mode, &bolt.Options{Timeout: o.lockTimeout, NoSync: o.noSync, FreelistType: bolt.FreelistMapType})
	if err != nil {
		switch {
		case errors.Is(err, bberrors.ErrTimeout):
			return nil, fmt.Errorf("boltstore: open %s: %w", path, override.ErrLocked)
		case existed && !isPathError(err):
			return nil, fmt.Errorf("boltstore: open %s: %w: %w", path, override.ErrCorrupt, err)
		}
		return nil, fmt.Errorf("boltstore: open %s: %w", path, err)
	}
	if err := guard(func() error { return db.Update(initSchema) }); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("boltstore: open %s: %w", path, err)
	}
	return &Store{db: db, now: time.Now}, nil
}

func isPathError(err error) bool {
	var pe *fs.PathError
	return errors.As(err, &pe)
}

func initSchema(tx *bolt.Tx) error {
	meta := tx.Bucket(metaBucket)
	if meta == nil {
		empty := true
		_ = tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return nil })
		if !empty {
			return fmt.Errorf("%w: not an override store", override.ErrCorrupt)
		}
		meta, err := tx.CreateBucket(metaBucket)
		if err != nil {
			return err
		}
		if err := meta.Put(schemaKey, binary.BigEndian.AppendUint32(nil, SchemaVersion)); err != nil {
			return err
		}
		_, err = tx.CreateBucket(orgsBucket)
		return err
	}
	v := meta.Get(schemaKey)
	if len(v) != 4 {
		return fmt.Errorf("%w: no schema version", override.ErrCorrupt)
	}
	switch ver := binary.BigEndian.Uint32(v); {
	case ver > SchemaVersion:
		return fmt.Errorf("%w: file has schema %d, this package reads up to %d", override.ErrSchemaVersion, ver, SchemaVersion)
	case ver < 1:
		return fmt.Errorf("%w: schema version %d", override.ErrCorrupt, ver)
	}
	if tx.Bucket(orgsBucket) == nil {
		return fmt.Errorf("%w: no orgs bucket", override.ErrCorrupt)
	}
	return nil
}

// guard runs fn and turns a panic of bbolt on a damaged file into ErrCorrupt.
func guard(fn func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %v", override.ErrCorrupt, p)
		}
	}()
	return fn()
}

// DB returns the underlying bbolt database, for backups (Tx.WriteTo) and
// statistics. Writing to it directly voids every guarantee of this package.
func (s *Store) DB() *bolt.DB { return s.db }

func (s *Store) begin(ctx context.Context, op string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("boltstore: %s: %w", op, err)
	}
	if s.closed.Load() {
		return fmt.Errorf("boltstore: %s: %w", op, override.ErrClosed)
	}
	return nil
}

func (s *Store) wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, bberrors.ErrDatabaseNotOpen) {
		err = override.ErrClosed
	} else if errors.Is(err, errDecode) {
		err = fmt.Errorf("%w: %w", override.ErrCorrupt, err)
	}
	return fmt.Errorf("boltstore: %s: %w", op, err)
}

func (s *Store) view(ctx context.Context, op string, fn func(*bolt.Tx) error) error {
	if err := s.begin(ctx, op); err != nil {
		return err
	}
	return s.wrap(op, guard(func() error { return s.db.View(fn) }))
}

func (s *Store) update(ctx context.Context, op string, fn func(*bolt.Tx) error) error {
	if err := s.begin(ctx, op); err != nil {
		return err
	}
	return s.wrap(op, guard(func() error { return s.db.Update(fn) }))
}

func orgBucket(tx *bolt.Tx, org string) *bolt.Bucket {
	orgs := tx.Bucket(orgsBucket)
	if orgs == nil {
		return nil
	}
	return orgs.Bucket([]byte(org))
}

func sub(b *bolt.Bucket, name []byte) (*bolt.Bucket, error) {
	if c := b.Bucket(name); c != nil {
		return c, nil
	}
	return nil, fmt.Errorf("%w: org bucket without %q", override.ErrCorrupt, name)
}

// Get implements [override.Store.Get].
func (s *Store) Get(ctx context.Context, r override.RecordRef) (m override.Mapping, ok bool, err error) {
	if err := r.Validate(); err != nil {
		return m, false, err
	}
	var kb [2*override.MaxIDLen + 8]byte
	err = s.view(ctx, "get", func(tx *bolt.Tx) error {
		ob := orgBucket(tx, r.Org)
		if ob == nil {
			return nil
		}
		mb, err := sub(ob, mapBucket)
		if err != nil {
			return err
		}
		for _, src := range override.Sources() {
			if v := mb.Get(sourceKey(kb[:0], r, src)); v != nil {
				m, err = decodeSourceValue(r, src, v)
				ok = err == nil
				return err
			}
		}
		return nil
	})
	return m, ok, err
}

// GetSource implements [override.Store.GetSource].
func (s *Store) GetSource(ctx context.Context, r override.RecordRef, src override.Source) (m override.Mapping, ok bool, err error) {
	if err := r.Validate(); err != nil {
		return m, false, err
	}
	if err := src.Validate(); err != nil {
		return m, false, err
	}
	err = s.view(ctx, "get", func(tx *bolt.Tx) error {
		ob := orgBucket(tx, r.Org)
		if ob == nil {
			return nil
		}
		mb, err := sub(ob, mapBucket)
		if err != nil {
			return err
		}
		var kb [2*override.MaxIDLen + 8]byte
		if v := mb.Get(sourceKey(kb[:0], r, src)); v != nil {
			m, err = decodeSourceValue(r, src, v)
			ok = err == nil
			return err
		}
		return nil
	})
	return m, ok, err
}

// Put implements [override.Store.Put].
func (s *Store) Put(ctx context.Context, m override.Mapping) error {
	m, err := override.Prepare(m, s.now())
	if err != nil {
		return err
	}
	return s.update(ctx, "put", func(tx *bolt.Tx) error {
		w := writer{tx: tx}
		if err := w.put(m); err != nil {
			return err
		}
		return w.flush()
	})
}

// PutBatch implements [override.Store.PutBatch] in one transaction. It sorts
// the batch by key first, so that bbolt writes each page once.
func (s *Store) PutBatch(ctx context.Context, ms []override.Mapping) error {
	ms, err := override.PrepareBatch(ms, s.now())
	if err != nil {
		return err
	}
	if len(ms) == 0 {
		return s.begin(ctx, "put batch")
	}
	// One arena for every key and value of the batch: bbolt keeps them until
	// the commit, and one allocation beats three per mapping.
	size := 0
	for _, m := range ms {
		size += 2*(len(m.Record.ID)+len(m.Entity.ID)) + len(m.UpdatedBy) + 32
	}
	a := arena(make([]byte, 0, size))
	ops := make([]batchOp, len(ms))
	for i, m := range ms {
		start := len(a)
		a = mappingKey(a, m)
		ops[i] = batchOp{key: a.since(start), m: &ms[i], i: i}
	}
	slices.SortFunc(ops, func(a, b batchOp) int {
		if c := cmp.Compare(a.m.Record.Org, b.m.Record.Org); c != 0 {
			return c
		}
		if c := bytes.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	// Of equal keys the later in the batch wins: keep the last of each run.
	kept := ops[:0]
	for i, op := range ops {
		if i+1 < len(ops) && ops[i+1].m.Record.Org == op.m.Record.Org && bytes.Equal(ops[i+1].key, op.key) {
			continue
		}
		kept = append(kept, op)
	}
	ops = kept
	return s.update(ctx, "put batch", func(tx *bolt.Tx) error {
		w := writer{tx: tx}
		for start := 0; start < len(ops); {
			end := start + 1
			for end < len(ops) && ops[end].m.Record.Org == ops[start].m.Record.Org {
				end++
			}
			if err := w.putSorted(ctx, ops[start:end], &a); err != nil {
				return err
			}
			start = end
		}
		return w.flush()
	})
}

type batchOp struct {
	key []byte
	m   *override.Mapping // small ops sort faster
	i   int               // position in the batch: of equal keys, the later wins
}

// arena hands out byte slices carved from one buffer.
type arena []byte

// since returns what was appended to the arena after its length was start,
// capacity-limited so that later appends never overwrite it. (An append that
// outgrows the buffer moves on to a new one; earlier slices stay valid.)
func (a arena) since(start int) []byte { return a[start:len(a):len(a)] }

// putSorted writes ops, all of one org and sorted by key, then moves the
// reverse index entries in key order too.
func (w *writer) putSorted(ctx context.Context, ops []batchOp, a *arena) error {
	if _, err := w.open(ops[0].m.Record.Org, true); err != nil {
		return err
	}
	w.mb.FillPercent = batchFill
	w.eb.FillPercent = batchFill
	var del, add [][]byte
	for i, op := range ops {
		if i%1024 == 1023 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if old := w.mb.Get(op.key); old != nil {
			if !op.m.Rejected {
				ik, err := indexKeyOf(op.key, old)
				if err != nil {
					return err
				}
				del = append(del, ik)
			}
		} else {
			w.n++
		}
		start := len(*a)
		*a = mappingValue(*a, *op.m)
		if err := w.mb.Put(op.key, a.since(start)); err != nil {
			return err
		}
		if !op.m.Rejected {
			start = len(*a)
			*a = indexKey(*a, *op.m)
			add = append(add, a.since(start))
		}
	}
	slices.SortFunc(del, bytes.Compare)
	for _, k := range del {
		if err := w.eb.Delete(k); err != nil {
			return err
		}
	}
	slices.SortFunc(add, bytes.Compare)
	for _, k := range add {
		if err := w.eb.Put(k, nil); err != nil {
			return err
		}
	}
	return nil
}

// batchFill is the bbolt FillPercent of buckets written by a batch: sorted
// inserts fill pages, as bbolt advises for mostly-appending writes.
const batchFill = 0.9

// writer applies writes in one transaction, keeping the org's buckets and
// count at hand between consecutive writes to the same org.
type writer struct {
	tx     *bolt.Tx
	org    string
	ob     *bolt.Bucket
	mb, eb *bolt.Bucket
	n      int64
}

func (w *writer) open(org string, create bool) (bool, error) {
	if w.ob != nil && w.org == org {
		return true, nil
	}
	if err := w.flush(); err != nil {
		return false, err
	}
	orgs := w.tx.Bucket(orgsBucket)
	if orgs == nil {
		return false, fmt.Errorf("%w: no orgs bucket", override.ErrCorrupt)
	}
	ob := orgs.Bucket([]byte(org))
	if ob == nil {
		if !create {
			return false, nil
		}
		var err error
		if ob, err = orgs.CreateBucket([]byte(org)); err != nil {
			return false, err
		}
		if _, err = ob.CreateBucket(mapBucket); err != nil {
			return false, err
		}
		if _, err = ob.CreateBucket(indexBucket); err != nil {
			return false, err
		}
	}
	mb, err := sub(ob, mapBucket)
	if err != nil {
		return false, err
	}
	eb, err := sub(ob, indexBucket)
	if err != nil {
		return false, err
	}
	n := int64(0)
	if v := ob.Get(countKey); v != nil {
		if len(v) != 8 {
			return false, fmt.Errorf("%w: bad count", override.ErrCorrupt)
		}
		n = int64(binary.BigEndian.Uint64(v))
	}
	w.org, w.ob, w.mb, w.eb, w.n = org, ob, mb, eb, n
	return true, nil
}

// flush writes the count of the current org, deleting the org's buckets when
// it holds nothing.
func (w *writer) flush() error {
	if w.ob == nil {
		return nil
	}
	ob := w.ob
	w.ob = nil
	if w.n <= 0 {
		return w.tx.Bucket(orgsBucket).DeleteBucket([]byte(w.org))
	}
	return ob.Put(countKey, binary.BigEndian.AppendUint64(nil, uint64(w.n)))
}

func (w *writer) put(m override.Mapping) error {
	if _, err := w.open(m.Record.Org, true); err != nil {
		return err
	}
	// bbolt keeps keys and values until the commit: no buffer reuse.
	k := mappingKey(nil, m)
	if old := w.mb.Get(k); old != nil {
		if !m.Rejected {
			prev, err := decodeMapping(m.Record.Org, k, old)
			if err != nil {
				return err
			}
			if err := w.eb.Delete(indexKey(nil, prev)); err != nil {
				return err
			}
		}
	} else {
		w.n++
	}
	if err := w.mb.Put(k, mappingValue(nil, m)); err != nil {
		return err
	}
	if !m.Rejected {
		if err := w.eb.Put(indexKey(nil, m), nil); err != nil {
			return err
		}
	}
	return nil
}

// remove deletes the "m" key k of org, if present, with its index entry.
func (w *writer) remove(org string, k []byte) error {
	ok, err := w.open(org, false)
	if err != nil || !ok {
		return err
	}
	old := w.mb.Get(k)
	if old == nil {
		return nil
	}
	prev, err := decodeMapping(org, k, old)
	if err != nil {
		return err
	}
	if !prev.Rejected {
		if err := w.eb.Delete(indexKey(nil, prev)); err != nil {
			return err
		}
	}
	if err := w.mb.Delete(k); err != nil {
		return err
	}
	w.n--
	return nil
}

// Delete implements [override.Store.Delete].
func (s *Store) Delete(ctx context.Context, r override.RecordRef, src override.Source) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if err := src.Validate(); err != nil {
		return err
	}
	return s.update(ctx, "delete", func(tx *bolt.Tx) error {
		w := writer{tx: tx}
		if err := w.remove(r.Org, sourceKey(nil, r, src)); err != nil {
			return err
		}
		return w.flush()
	})
}

// Unreject implements [override.Store.Unreject].
func (s *Store) Unreject(ctx context.Context, r override.RecordRef, e override.EntityRef) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if err := e.Validate(); err != nil {
		return err
	}
	return s.update(ctx, "unreject", func(tx *bolt.Tx) error {
		w := writer{tx: tx}
		if err := w.remove(r.Org, rejectionKey(nil, r, e)); err != nil {
			return err
		}
		return w.flush()
	})
}

// Rejected implements [override.Store.Rejected].
func (s *Store) Rejected(ctx context.Context, r override.RecordRef, e override.EntityRef) (found bool, err error) {
	if err := r.Validate(); err != nil {
		return false, err
	}
	if err := e.Validate(); err != nil {
		return false, err
	}
	err = s.view(ctx, "rejected", func(tx *bolt.Tx) error {
		ob := orgBucket(tx, r.Org)
		if ob == nil {
			return nil
		}
		mb, err := sub(ob, mapBucket)
		if err != nil {
			return err
		}
		found = mb.Get(rejectionKey(nil, r, e)) != nil
		return nil
	})
	return found, err
}

// Rejections implements [override.Store.Rejections].
func (s *Store) Rejections(ctx context.Context, r override.RecordRef) (es []override.EntityRef, err error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	err = s.view(ctx, "rejections", func(tx *bolt.Tx) error {
		ob := orgBucket(tx, r.Org)
		if ob == nil {
			return nil
		}
		mb, err := sub(ob, mapBucket)
		if err != nil {
			return err
		}
		prefix := append(recordPrefix(nil, r), tagRejection)
		c := mb.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			m, err := decodeMapping(r.Org, k, v)
			if err != nil {
				return err
			}
			es = append(es, m.Entity)
		}
		return nil
	})
	return es, err
}

// Mappings implements [override.Store.Mappings]. It reads 256 mappings per
// read transaction and holds none while the loop body runs, so the body may
// write to the store.
func (s *Store) Mappings(ctx context.Context, org string) iter.Seq2[override.Mapping, error] {
	return func(yield func(override.Mapping, error) bool) {
		if err := override.ValidateOrg(org); err != nil {
			yield(override.Mapping{}, err)
			return
		}
		var after []byte // last key yielded; nil before the first page
		page := make([]override.Mapping, 0, pageSize)
		for {
			page = page[:0]
			err := s.view(ctx, "mappings", func(tx *bolt.Tx) error {
				ob := orgBucket(tx, org)
				if ob == nil {
					return nil
				}
				mb, err := sub(ob, mapBucket)
				if err != nil {
					return err
				}
				c := mb.Cursor()
				k, v := c.First()
				if after != nil {
					k, v = c.Seek(after)
					if bytes.Equal(k, after) {
						k, v = c.Next()
					}
				}
				for ; k != nil && len(page) < pageSize; k, v = c.Next() {
					m, err := decodeMapping(org, k, v)
					if err != nil {
						return err
					}
					page = append(page, m)
					if len(page) == pageSize {
						after = append(after[:0], k...)
					}
				}
				return nil
			})
			if err != nil {
				yield(override.Mapping{}, err)
				return
			}
			for _, m := range page {
				if !yield(m, nil) {
					return
				}
			}
			if len(page) < pageSize {
				return
			}
		}
	}
}

// RecordsOf implements [override.Store.RecordsOf].
func (s *Store) RecordsOf(ctx context.Context, org string, e override.EntityRef) (rs []override.RecordRef, err error) {
	if err := override.ValidateOrg(org); err != nil {
		return nil, err
	}
	if err := e.Validate(); err != nil {
		return nil, err
	}
	err = s.view(ctx, "records of", func(tx *bolt.Tx) error {
		ob := orgBucket(tx, org)
		if ob == nil {
			return nil
		}
		eb, err := sub(ob, indexBucket)
		if err != nil {
			return err
		}
		prefix := entityPrefix(nil, e)
		c := eb.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			_, r, _, err := decodeIndexKey(org, k)
			if err != nil {
				return err
			}
			if n := len(rs); n == 0 || rs[n-1] != r {
				rs = append(rs, r)
			}
		}
		return nil
	})
	return rs, err
}

// Count implements [override.Store.Count].
func (s *Store) Count(ctx context.Context, org string) (n int, err error) {
	if err := override.ValidateOrg(org); err != nil {
		return 0, err
	}
	err = s.view(ctx, "count", func(tx *bolt.Tx) error {
		n, err = count(orgBucket(tx, org))
		return err
	})
	return n, err
}

func count(ob *bolt.Bucket) (int, error) {
	if ob == nil {
		return 0, nil
	}
	v := ob.Get(countKey)
	if len(v) != 8 {
		return 0, fmt.Errorf("%w: bad count", override.ErrCorrupt)
	}
	return int(binary.BigEndian.Uint64(v)), nil
}

// Purge implements [override.Store.Purge]: it deletes the org's bucket tree in
// one transaction.
func (s *Store) Purge(ctx context.Context, org string) (n int, err error) {
	if err := override.ValidateOrg(org); err != nil {
		return 0, err
	}
	err = s.update(ctx, "purge", func(tx *bolt.Tx) error {
		ob := orgBucket(tx, org)
		if ob == nil {
			return nil
		}
		if n, err = count(ob); err != nil {
			return err
		}
		return tx.Bucket(orgsBucket).DeleteBucket([]byte(org))
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// CompactTo writes a compacted copy of the store to a new file at path (which
// must not exist) while the store stays open; writes made during the copy may
// be missing from it. The copy holds no free pages, so no trace of purged orgs
// or deleted mappings: after a Purge that must leave nothing behind, compact,
// close the store, and replace its file with the copy.
func (s *Store) CompactTo(ctx context.Context, path string) error {
	if err := s.begin(ctx, "compact"); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("boltstore: compact: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("boltstore: compact: %w", err)
	}
	dst, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return fmt.Errorf("boltstore: compact: %w", err)
	}
	err = guard(func() error { return bolt.Compact(dst, s.db, 64<<20) })
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(path)
		return s.wrap("compact", err)
	}
	return nil
}

// Close closes the file, waiting for running transactions. Later calls of
// other methods return [override.ErrClosed]; closing twice returns nil.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("boltstore: close: %w", err)
	}
	return nil
}
