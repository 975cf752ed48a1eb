package override

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"sync/atomic"
	"time"
)

// ScanPage is how many mappings [Store.Mappings] asks its driver for at a
// time.
const ScanPage = 256

// Store is the portable override store that programs hold: it owns
// validation, the context and closed checks, the one precedence rule (manual
// beats sync, see [Effective]), rejections and error classification, and
// leaves storage to a [Driver]. Make one with [New] over a driver, or with a
// driver package's Open (boltstore, pgstore), or [NewMemory].
//
// Every method validates its input first (errors match [ErrInvalid], nothing
// is read or written), then returns an error matching [ErrClosed] after
// Close, then one matching [context.Canceled] or [context.DeadlineExceeded]
// when ctx is done; errors of the driver are wrapped with the operation and
// stay reachable with [errors.Is] and [errors.As].
//
// A Store is safe for concurrent use by multiple goroutines.
type Store struct {
	d      Driver
	closed atomic.Bool
	now    func() time.Time
}

// New returns a Store over d. The Store owns d: [Store.Close] closes it.
func New(d Driver) *Store {
	return &Store{d: d, now: time.Now}
}

// Driver returns the store's driver, the escape hatch to what the portable
// type does not cover; driver packages offer typed accessors on top of it
// (boltstore.DB, pgstore.Pool). Writing through the driver skips every rule
// of the Store.
func (s *Store) Driver() Driver { return s.d }

// begin checks the closed state and ctx before an operation.
func (s *Store) begin(ctx context.Context, op string) error {
	if s.closed.Load() {
		return fmt.Errorf("override: %s: %w", op, ErrClosed)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("override: %s: %w", op, err)
	}
	return nil
}

// wrap classifies an error of the driver: it keeps it reachable, and adds
// ErrClosed when the store was closed while the call ran and the context's
// error when ctx ended, so that errors.Is sees the cause whatever the driver
// made of it.
func (s *Store) wrap(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("override: %s: %w: %w", op, cerr, err)
	}
	if s.closed.Load() && !errors.Is(err, ErrClosed) {
		return fmt.Errorf("override: %s: %w: %w", op, ErrClosed, err)
	}
	return fmt.Errorf("override: %s: %w", op, err)
}

// load reads the records of refs, already validated, in one driver call. When
// out is set the records leave the Store: each record's mappings are copied
// (a driver may hand out its own memory) and put in the order of Compare.
func (s *Store) load(ctx context.Context, op string, refs []RecordRef, dst []Record, out bool) ([]Record, error) {
	if err := s.begin(ctx, op); err != nil {
		return dst, err
	}
	n := len(dst)
	got, err := s.d.Load(ctx, refs, dst)
	if err != nil {
		return dst, s.wrap(ctx, op, err)
	}
	if len(got)-n != len(refs) {
		return dst, fmt.Errorf("override: %s: driver returned %d records for %d refs", op, len(got)-n, len(refs))
	}
	for i := n; i < len(got); i++ {
		got[i].Ref = refs[i-n]
		if out && len(got[i].Mappings) > 0 {
			got[i].Mappings = slices.Clone(got[i].Mappings)
			slices.SortFunc(got[i].Mappings, Compare)
		}
	}
	return got, nil
}

// record reads r, already validated, for use inside the Store: its mappings
// may be the driver's own and must not be changed or handed out.
func (s *Store) record(ctx context.Context, op string, r RecordRef) (Record, error) {
	var buf [1]Record
	got, err := s.load(ctx, op, []RecordRef{r}, buf[:0], false)
	if err != nil {
		return Record{}, err
	}
	return got[0], nil
}

// Lookup returns everything stored for r in one read: its mappings and
// rejections, in the order of [Compare]. Use [Record.Resolve] or
// [Record.Effective] on it rather than picking mappings by hand.
func (s *Store) Lookup(ctx context.Context, r RecordRef) (Record, error) {
	if err := r.Validate(); err != nil {
		return Record{}, err
	}
	var buf [1]Record
	got, err := s.load(ctx, "lookup", []RecordRef{r}, buf[:0], true)
	if err != nil {
		return Record{}, err
	}
	return got[0], nil
}

// Load appends to dst the [Record] of each of refs, in order, read in one
// driver call, and returns dst. An invalid ref gives an error whose Field
// names its index.
func (s *Store) Load(ctx context.Context, refs []RecordRef, dst []Record) ([]Record, error) {
	for i, r := range refs {
		if err := r.Validate(); err != nil {
			return dst, prefixField(err, i)
		}
	}
	if len(refs) == 0 {
		return dst, s.begin(ctx, "load")
	}
	return s.load(ctx, "load", refs, dst, true)
}

// Get returns the effective (non-rejected) mapping of r: manual beats sync.
// ok is false if there is none; that is not an error. Rejections are not
// consulted: a sync mapping is returned even if its entity was rejected (see
// [Record.Resolve] for what a resolver follows).
func (s *Store) Get(ctx context.Context, r RecordRef) (m Mapping, ok bool, err error) {
	if err := r.Validate(); err != nil {
		return Mapping{}, false, err
	}
	rec, err := s.record(ctx, "get", r)
	if err != nil {
		return Mapping{}, false, err
	}
	m, ok = rec.Effective()
	return m, ok, nil
}

// GetSource returns the non-rejected mapping of r made by source src.
func (s *Store) GetSource(ctx context.Context, r RecordRef, src Source) (m Mapping, ok bool, err error) {
	if err := r.Validate(); err != nil {
		return Mapping{}, false, err
	}
	if err := src.Validate(); err != nil {
		return Mapping{}, false, err
	}
	rec, err := s.record(ctx, "get source", r)
	if err != nil {
		return Mapping{}, false, err
	}
	m, ok = rec.Source(src)
	return m, ok, nil
}

// Rejected reports whether e was rejected for r.
func (s *Store) Rejected(ctx context.Context, r RecordRef, e EntityRef) (bool, error) {
	if err := r.Validate(); err != nil {
		return false, err
	}
	if err := e.Validate(); err != nil {
		return false, err
	}
	rec, err := s.record(ctx, "rejected", r)
	if err != nil {
		return false, err
	}
	return rec.Rejected(e), nil
}

// Rejections lists the entities rejected for r, ordered by kind then ID.
func (s *Store) Rejections(ctx context.Context, r RecordRef) ([]EntityRef, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	rec, err := s.record(ctx, "rejections", r)
	if err != nil {
		return nil, err
	}
	return rec.Rejections(), nil
}

// Put validates and stores m, replacing the mapping of (m.Record, m.Source);
// a rejection is stored under (m.Record, m.Entity) and never replaces a
// mapping. A zero UpdatedAt is set to now (see [Prepare]).
func (s *Store) Put(ctx context.Context, m Mapping) error {
	var b Batch
	b.Put(m)
	return s.write(ctx, "put", &b)
}

// PutBatch stores all of ms atomically: all or nothing. If the batch holds
// the same key twice, the later one wins. An empty batch succeeds.
func (s *Store) PutBatch(ctx context.Context, ms []Mapping) error {
	b := Batch{ops: make([]Op, len(ms))}
	for i, m := range ms {
		b.ops[i] = Op{Mapping: m}
	}
	return s.write(ctx, "put batch", &b)
}

// Delete removes the mapping of (r, src); deleting nothing succeeds.
func (s *Store) Delete(ctx context.Context, r RecordRef, src Source) error {
	var b Batch
	b.Delete(r, src)
	return s.write(ctx, "delete", &b)
}

// Unreject removes the rejection of e for r; removing nothing succeeds.
func (s *Store) Unreject(ctx context.Context, r RecordRef, e EntityRef) error {
	var b Batch
	b.Unreject(r, e)
	return s.write(ctx, "unreject", &b)
}

// Write performs the puts, deletes and unrejections of b atomically, in one
// driver call: all of them or none. Of two writes of the same key, the later
// in b wins. An empty batch succeeds. b is not changed and may be reused
// after [Batch.Reset].
func (s *Store) Write(ctx context.Context, b *Batch) error {
	return s.write(ctx, "write", b)
}

func (s *Store) write(ctx context.Context, op string, b *Batch) error {
	ops, err := s.prepare(b.ops)
	if err != nil {
		return err
	}
	if err := s.begin(ctx, op); err != nil {
		return err
	}
	if len(ops) == 0 {
		return nil
	}
	return s.wrap(ctx, op, s.d.Apply(ctx, ops))
}

// prepare validates ops, prepares their mappings with one now, and keeps the
// last op of each key, in the order of the batch.
func (s *Store) prepare(in []Op) ([]Op, error) {
	if len(in) == 0 {
		return nil, nil
	}
	now := s.now()
	ops := make([]Op, len(in))
	for i, o := range in {
		if o.Delete {
			if err := validateKey(o.Mapping); err != nil {
				return nil, prefixField(err, i)
			}
			k := KeyOf(o.Mapping)
			ops[i] = Op{Delete: true, Mapping: Mapping{Record: k.Record, Rejected: k.Rejected, Source: k.Source, Entity: k.Entity}}
			continue
		}
		m, err := Prepare(o.Mapping, now)
		if err != nil {
			if len(in) == 1 {
				return nil, err
			}
			return nil, prefixField(err, i)
		}
		ops[i] = Op{Mapping: m}
	}
	if len(ops) == 1 {
		return ops, nil
	}
	last := make(map[Key]int, len(ops))
	for i, o := range ops {
		last[o.Key()] = i
	}
	if len(last) == len(ops) {
		return ops, nil
	}
	kept := ops[:0]
	for i, o := range ops {
		if last[o.Key()] == i {
			kept = append(kept, o)
		}
	}
	return kept, nil
}

// validateKey checks the key fields of a delete.
func validateKey(m Mapping) error {
	if err := m.Record.Validate(); err != nil {
		return err
	}
	if m.Rejected {
		return m.Entity.Validate()
	}
	return m.Source.Validate()
}

// Mappings walks every mapping (rejections included) of org in the order of
// [Compare]: by object, record ID (byte order), then manual, sync, then the
// rejections by entity kind and ID. On failure it yields one (Mapping{}, err)
// and stops. Breaking out is safe. It reads [ScanPage] mappings at a time and
// holds nothing of the driver while the loop body runs, so it is not a
// snapshot: the loop body may write to the store; a mapping neither written
// nor deleted during the walk is yielded exactly once. Each range over it runs
// a fresh walk.
func (s *Store) Mappings(ctx context.Context, org string) iter.Seq2[Mapping, error] {
	return func(yield func(Mapping, error) bool) {
		const op = "mappings"
		if err := ValidateOrg(org); err != nil {
			yield(Mapping{}, err)
			return
		}
		var after *Mapping
		var last Mapping
		page := make([]Mapping, 0, ScanPage)
		for {
			if err := s.begin(ctx, op); err != nil {
				yield(Mapping{}, err)
				return
			}
			var err error
			page, err = s.d.Scan(ctx, org, after, ScanPage, page[:0])
			if err != nil {
				yield(Mapping{}, s.wrap(ctx, op, err))
				return
			}
			if len(page) == 0 {
				return
			}
			for _, m := range page {
				if err := ctx.Err(); err != nil {
					yield(Mapping{}, fmt.Errorf("override: %s: %w", op, err))
					return
				}
				if !yield(m, nil) {
					return
				}
			}
			last = page[len(page)-1]
			after = &last
		}
	}
}

// RecordsOf returns the records of org whose non-rejected mappings point at
// e, each once, in the order of [CompareRecords]. It uses the driver's
// [EntityIndex] when it has one, and walks the org otherwise.
func (s *Store) RecordsOf(ctx context.Context, org string, e EntityRef) ([]RecordRef, error) {
	const op = "records of"
	if err := ValidateOrg(org); err != nil {
		return nil, err
	}
	if err := e.Validate(); err != nil {
		return nil, err
	}
	if err := s.begin(ctx, op); err != nil {
		return nil, err
	}
	var rs []RecordRef
	if ix, ok := s.d.(EntityIndex); ok {
		var err error
		if rs, err = ix.RecordsOf(ctx, org, e); err != nil {
			return nil, s.wrap(ctx, op, err)
		}
	} else {
		for m, err := range s.Mappings(ctx, org) {
			if err != nil {
				return nil, err
			}
			if !m.Rejected && m.Entity == e {
				rs = append(rs, m.Record)
			}
		}
	}
	slices.SortFunc(rs, CompareRecords)
	return slices.Compact(rs), nil
}

// Count returns how many mappings (rejections included) org holds.
func (s *Store) Count(ctx context.Context, org string) (int, error) {
	const op = "count"
	if err := ValidateOrg(org); err != nil {
		return 0, err
	}
	if err := s.begin(ctx, op); err != nil {
		return 0, err
	}
	n, err := s.d.Count(ctx, org)
	return n, s.wrap(ctx, op, err)
}

// Purge removes everything of org and returns how many mappings it removed
// (rejections included).
func (s *Store) Purge(ctx context.Context, org string) (removed int, err error) {
	const op = "purge"
	if err := ValidateOrg(org); err != nil {
		return 0, err
	}
	if err := s.begin(ctx, op); err != nil {
		return 0, err
	}
	n, err := s.d.Purge(ctx, org)
	if err != nil {
		return 0, s.wrap(ctx, op, err)
	}
	return n, nil
}

// Close closes the driver; later calls of other methods return an error
// matching [ErrClosed]. Closing twice returns nil.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	if err := s.d.Close(); err != nil {
		return fmt.Errorf("override: close: %w", err)
	}
	return nil
}

// Batch collects writes for one atomic [Store.Write]. The zero value is an
// empty batch. A Batch is not safe for concurrent use.
type Batch struct {
	ops []Op
}

// Put adds a put of m (a mapping or a rejection), as [Store.Put].
func (b *Batch) Put(m Mapping) { b.ops = append(b.ops, Op{Mapping: m}) }

// Delete adds the removal of the mapping of (r, src), as [Store.Delete].
func (b *Batch) Delete(r RecordRef, src Source) {
	b.ops = append(b.ops, Op{Delete: true, Mapping: Mapping{Record: r, Source: src}})
}

// Unreject adds the removal of the rejection of e for r, as [Store.Unreject].
func (b *Batch) Unreject(r RecordRef, e EntityRef) {
	b.ops = append(b.ops, Op{Delete: true, Mapping: Mapping{Record: r, Entity: e, Rejected: true}})
}

// Len returns how many writes b holds.
func (b *Batch) Len() int { return len(b.ops) }

// Reset empties b, keeping its capacity.
func (b *Batch) Reset() {
	clear(b.ops)
	b.ops = b.ops[:0]
}
