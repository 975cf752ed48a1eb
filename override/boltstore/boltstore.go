package boltstore

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
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

// Driver is the [override.Driver] over one bbolt file. It is safe for
// concurrent use by multiple goroutines; one process at a time may open a
// file. Programs hold the [*override.Store] that [Open] returns and reach the
// Driver, when they need it, with [DB] or a type assertion on
// [override.Store.Driver].
type Driver struct {
	db     *bolt.DB
	closed atomic.Bool
}

var (
	_ override.Driver      = (*Driver)(nil)
	_ override.EntityIndex = (*Driver)(nil)
)

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
func Open(path string, opts ...Option) (*override.Store, error) {
	d, err := OpenDriver(path, opts...)
	if err != nil {
		return nil, err
	}
	return override.New(d), nil
}

// OpenDriver is [Open] returning the bare driver, for tests of the driver
// itself and for wrapping it in another driver. Hand it to [override.New].
func OpenDriver(path string, opts ...Option) (*Driver, error) {
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
	return &Driver{db: db}, nil
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
func (d *Driver) DB() *bolt.DB { return d.db }

// DB returns the bbolt database under st, the escape hatch of a store made by
// [Open]; ok is false if st has another driver.
func DB(st *override.Store) (db *bolt.DB, ok bool) {
	d, ok := st.Driver().(*Driver)
	if !ok {
		return nil, false
	}
	return d.db, true
}

func (d *Driver) begin(ctx context.Context, op string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("boltstore: %s: %w", op, err)
	}
	if d.closed.Load() {
		return fmt.Errorf("boltstore: %s: %w", op, override.ErrClosed)
	}
	return nil
}

func (d *Driver) wrap(op string, err error) error {
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

func (d *Driver) view(ctx context.Context, op string, fn func(*bolt.Tx) error) error {
	if err := d.begin(ctx, op); err != nil {
		return err
	}
	return d.wrap(op, guard(func() error { return d.db.View(fn) }))
}

func (d *Driver) update(ctx context.Context, op string, fn func(*bolt.Tx) error) error {
	if err := d.begin(ctx, op); err != nil {
		return err
	}
	return d.wrap(op, guard(func() error { return d.db.Update(fn) }))
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

// Load implements [override.Driver.Load] in one read transaction.
func (d *Driver) Load(ctx context.Context, refs []override.RecordRef, dst []override.Record) ([]override.Record, error) {
	err := d.view(ctx, "load", func(tx *bolt.Tx) error {
		var err error
		dst, err = loadTx(tx, refs, dst)
		return err
	})
	return dst, err
}

// loadTx appends the records of refs read in tx to dst.
func loadTx(tx *bolt.Tx, refs []override.RecordRef, dst []override.Record) ([]override.Record, error) {
	var (
		org string
		mb  *bolt.Bucket
		kb  [override.MaxIDLen + 8]byte
	)
	for i, r := range refs {
		if i == 0 || r.Org != org {
			org, mb = r.Org, nil
			if ob := orgBucket(tx, org); ob != nil {
				var err error
				if mb, err = sub(ob, mapBucket); err != nil {
					return dst, err
				}
			}
		}
		rec := override.Record{Ref: r}
		if mb != nil {
			prefix := recordPrefix(kb[:0], r)
			c := mb.Cursor()
			for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
				m, err := decodeMapping(org, k, v)
				if err != nil {
					return dst, err
				}
				rec.Mappings = append(rec.Mappings, m)
			}
		}
		dst = append(dst, rec)
	}
	return dst, nil
}

// Apply implements [override.Driver.Apply] in one transaction. It sorts the
// ops by key first, so that bbolt writes each page once.
func (d *Driver) Apply(ctx context.Context, ms []override.Op) error {
	// One arena for every key and value of the batch: bbolt keeps them until
	// the commit, and one allocation beats three per mapping.
	size := 0
	for _, op := range ms {
		m := &op.Mapping
		size += 2*(len(m.Record.ID)+len(m.Entity.ID)) + len(m.UpdatedBy) + 32
	}
	a := arena(make([]byte, 0, size))
	ops := make([]batchOp, len(ms))
	for i := range ms {
		start := len(a)
		a = mappingKey(a, ms[i].Mapping)
		ops[i] = batchOp{key: a.since(start), m: &ms[i].Mapping, del: ms[i].Delete}
	}
	slices.SortFunc(ops, func(a, b batchOp) int {
		if c := cmp.Compare(a.m.Record.Org, b.m.Record.Org); c != 0 {
			return c
		}
		return bytes.Compare(a.key, b.key)
	})
	return d.update(ctx, "apply", func(tx *bolt.Tx) error {
		w := writer{tx: tx}
		for start := 0; start < len(ops); {
			end, puts := start+1, !ops[start].del
			for end < len(ops) && ops[end].m.Record.Org == ops[start].m.Record.Org {
				puts = puts || !ops[end].del
				end++
			}
			if err := w.applySorted(ctx, ops[start:end], puts, &a); err != nil {
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
	del bool
}

// arena hands out byte slices carved from one buffer.
type arena []byte

// since returns what was appended to the arena after its length was start,
// capacity-limited so that later appends never overwrite it. (An append that
// outgrows the buffer moves on to a new one; earlier slices stay valid.)
func (a arena) since(start int) []byte { return a[start:len(a):len(a)] }

// applySorted performs ops, all of one org and sorted by key, then moves the
// reverse index entries in key order too. puts says whether any op is a put:
// deletes alone never create the org's buckets.
func (w *writer) applySorted(ctx context.Context, ops []batchOp, puts bool, a *arena) error {
	ok, err := w.open(ops[0].m.Record.Org, puts)
	if err != nil || !ok {
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
		old := w.mb.Get(op.key)
		if old != nil && !op.m.Rejected {
			ik, err := indexKeyOf(op.key, old)
			if err != nil {
				return err
			}
			del = append(del, ik)
		}
		if op.del {
			if old != nil {
				if err := w.mb.Delete(op.key); err != nil {
					return err
				}
				w.n--
			}
			continue
		}
		if old == nil {
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

// Scan implements [override.Driver.Scan] in one read transaction.
func (d *Driver) Scan(ctx context.Context, org string, after *override.Mapping, limit int, dst []override.Mapping) ([]override.Mapping, error) {
	err := d.view(ctx, "scan", func(tx *bolt.Tx) error {
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
			key := mappingKey(nil, *after)
			k, v = c.Seek(key)
			if bytes.Equal(k, key) {
				k, v = c.Next()
			}
		}
		for n := 0; k != nil && n < limit; k, v = c.Next() {
			m, err := decodeMapping(org, k, v)
			if err != nil {
				return err
			}
			dst = append(dst, m)
			n++
		}
		return nil
	})
	return dst, err
}

// RecordsOf implements [override.EntityIndex] with the reverse index bucket.
func (d *Driver) RecordsOf(ctx context.Context, org string, e override.EntityRef) (rs []override.RecordRef, err error) {
	err = d.view(ctx, "records of", func(tx *bolt.Tx) error {
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

// Count implements [override.Driver.Count]: the org keeps its count.
func (d *Driver) Count(ctx context.Context, org string) (n int, err error) {
	err = d.view(ctx, "count", func(tx *bolt.Tx) error {
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

// Purge implements [override.Driver.Purge]: it deletes the org's bucket tree in
// one transaction, then overwrites the pages it freed with zeros (see
// [Driver.Scrub]), so that nothing of the org is left in the file's bytes. A
// crash between the two leaves the org's mappings unreachable but their bytes
// in free pages until Purge (of any org) runs again; running it again is
// always safe.
func (d *Driver) Purge(ctx context.Context, org string) (n int, err error) {
	n, err = d.purge(ctx, org)
	if err != nil {
		return 0, err
	}
	if err := d.scrub(ctx); err != nil {
		return 0, err
	}
	return n, nil
}

func (d *Driver) purge(ctx context.Context, org string) (n int, err error) {
	err = d.update(ctx, "purge", func(tx *bolt.Tx) error {
		if err := purgeCheckpoints(tx, org); err != nil {
			return err
		}
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
func (d *Driver) CompactTo(ctx context.Context, path string) error {
	if err := d.begin(ctx, "compact"); err != nil {
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
	err = guard(func() error { return bolt.Compact(dst, d.db, 64<<20) })
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(path)
		return d.wrap("compact", err)
	}
	return nil
}

// Close implements [override.Driver.Close]: it closes the file, waiting for
// running transactions. Later calls of other methods return
// [override.ErrClosed]; closing twice returns nil.
func (d *Driver) Close() error {
	if d.closed.Swap(true) {
		return nil
	}
	if err := d.db.Close(); err != nil {
		return fmt.Errorf("boltstore: close: %w", err)
	}
	return nil
}
