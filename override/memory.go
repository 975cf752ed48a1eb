package override

import (
	"context"
	"fmt"
	"iter"
	"maps"
	"slices"
	"sync"
	"time"
)

// Memory is the in-memory [Store], for tests and small programs. Nothing
// survives Close. It is safe for concurrent use by multiple goroutines.
// The zero value is not usable; call [NewMemory].
type Memory struct {
	mu     sync.RWMutex
	orgs   map[string]*memOrg
	closed bool
	now    func() time.Time
}

var _ Store = (*Memory)(nil)

type recKey struct {
	object Object
	id     string
}

// memRecord holds what one record has: its manual and sync mappings (held
// inline, so that Get follows one pointer) and its rejections.
type memRecord struct {
	manual, sync       Mapping
	hasManual, hasSync bool
	rejections         map[EntityRef]Mapping
}

func (r *memRecord) empty() bool { return !r.hasManual && !r.hasSync && len(r.rejections) == 0 }

// slot returns the mapping of source s and whether it is set.
func (r *memRecord) slot(s Source) (*Mapping, *bool) {
	if s == Manual {
		return &r.manual, &r.hasManual
	}
	return &r.sync, &r.hasSync
}

type memOrg struct {
	records  map[recKey]*memRecord
	byEntity map[EntityRef][]recKey // records whose mappings point at an entity, once per source
	n        int
}

// NewMemory returns an empty in-memory store.
func NewMemory() *Memory {
	return &Memory{orgs: make(map[string]*memOrg), now: time.Now}
}

// check returns the error to give before an operation: ctx first, then closed.
// The caller holds mu.
func (s *Memory) check(ctx context.Context, op string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("override: memory: %s: %w", op, err)
	}
	if s.closed {
		return fmt.Errorf("override: memory: %s: %w", op, ErrClosed)
	}
	return nil
}

func (s *Memory) lookup(r RecordRef) *memRecord {
	o := s.orgs[r.Org]
	if o == nil {
		return nil
	}
	return o.records[recKey{r.Object, r.ID}]
}

// Get implements [Store.Get].
func (s *Memory) Get(ctx context.Context, r RecordRef) (Mapping, bool, error) {
	if err := r.Validate(); err != nil {
		return Mapping{}, false, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx, "get"); err != nil {
		return Mapping{}, false, err
	}
	rec := s.lookup(r)
	switch {
	case rec == nil:
		return Mapping{}, false, nil
	case rec.hasManual:
		return rec.manual, true, nil
	case rec.hasSync:
		return rec.sync, true, nil
	}
	return Mapping{}, false, nil
}

// GetSource implements [Store.GetSource].
func (s *Memory) GetSource(ctx context.Context, r RecordRef, src Source) (Mapping, bool, error) {
	if err := r.Validate(); err != nil {
		return Mapping{}, false, err
	}
	if err := src.Validate(); err != nil {
		return Mapping{}, false, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx, "get"); err != nil {
		return Mapping{}, false, err
	}
	rec := s.lookup(r)
	if rec == nil {
		return Mapping{}, false, nil
	}
	if m, ok := rec.slot(src); *ok {
		return *m, true, nil
	}
	return Mapping{}, false, nil
}

// Put implements [Store.Put].
func (s *Memory) Put(ctx context.Context, m Mapping) error {
	m, err := Prepare(m, s.now())
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx, "put"); err != nil {
		return err
	}
	s.put(m)
	return nil
}

// PutBatch implements [Store.PutBatch].
func (s *Memory) PutBatch(ctx context.Context, ms []Mapping) error {
	ms, err := PrepareBatch(ms, s.now())
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx, "put batch"); err != nil {
		return err
	}
	for _, m := range ms {
		s.put(m)
	}
	return nil
}

func (s *Memory) put(m Mapping) {
	o := s.orgs[m.Record.Org]
	if o == nil {
		o = &memOrg{records: make(map[recKey]*memRecord), byEntity: make(map[EntityRef][]recKey)}
		s.orgs[m.Record.Org] = o
	}
	k := recKey{m.Record.Object, m.Record.ID}
	rec := o.records[k]
	if rec == nil {
		rec = &memRecord{}
		o.records[k] = rec
	}
	if m.Rejected {
		if rec.rejections == nil {
			rec.rejections = make(map[EntityRef]Mapping)
		}
		if _, ok := rec.rejections[m.Entity]; !ok {
			o.n++
		}
		rec.rejections[m.Entity] = m
		return
	}
	slot, ok := rec.slot(m.Source)
	if *ok {
		o.unindex(slot.Entity, k)
	} else {
		o.n++
	}
	*slot, *ok = m, true
	o.index(m.Entity, k)
}

// index and unindex keep byEntity; an entity is mapped from few records, so
// a slice beats a map there.
func (o *memOrg) index(e EntityRef, k recKey) { o.byEntity[e] = append(o.byEntity[e], k) }

func (o *memOrg) unindex(e EntityRef, k recKey) {
	ks := o.byEntity[e]
	if i := slices.Index(ks, k); i >= 0 {
		ks[i] = ks[len(ks)-1]
		ks = ks[:len(ks)-1]
	}
	if len(ks) == 0 {
		delete(o.byEntity, e)
		return
	}
	o.byEntity[e] = ks
}

func (s *Memory) forget(org string, o *memOrg, k recKey, rec *memRecord) {
	if rec.empty() {
		delete(o.records, k)
	}
	if len(o.records) == 0 {
		delete(s.orgs, org)
	}
}

// Delete implements [Store.Delete].
func (s *Memory) Delete(ctx context.Context, r RecordRef, src Source) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if err := src.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx, "delete"); err != nil {
		return err
	}
	rec := s.lookup(r)
	if rec == nil {
		return nil
	}
	slot, ok := rec.slot(src)
	if !*ok {
		return nil
	}
	o := s.orgs[r.Org]
	k := recKey{r.Object, r.ID}
	o.unindex(slot.Entity, k)
	*slot, *ok = Mapping{}, false
	o.n--
	s.forget(r.Org, o, k, rec)
	return nil
}

// Rejected implements [Store.Rejected].
func (s *Memory) Rejected(ctx context.Context, r RecordRef, e EntityRef) (bool, error) {
	if err := r.Validate(); err != nil {
		return false, err
	}
	if err := e.Validate(); err != nil {
		return false, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx, "rejected"); err != nil {
		return false, err
	}
	rec := s.lookup(r)
	if rec == nil {
		return false, nil
	}
	_, ok := rec.rejections[e]
	return ok, nil
}

// Rejections implements [Store.Rejections].
func (s *Memory) Rejections(ctx context.Context, r RecordRef) ([]EntityRef, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx, "rejections"); err != nil {
		return nil, err
	}
	rec := s.lookup(r)
	if rec == nil {
		return nil, nil
	}
	return slices.SortedFunc(maps.Keys(rec.rejections), CompareEntities), nil
}

// Unreject implements [Store.Unreject].
func (s *Memory) Unreject(ctx context.Context, r RecordRef, e EntityRef) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if err := e.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx, "unreject"); err != nil {
		return err
	}
	rec := s.lookup(r)
	if rec == nil {
		return nil
	}
	if _, ok := rec.rejections[e]; !ok {
		return nil
	}
	delete(rec.rejections, e)
	o := s.orgs[r.Org]
	o.n--
	s.forget(r.Org, o, recKey{r.Object, r.ID}, rec)
	return nil
}

// Mappings implements [Store.Mappings]. Each walk copies the org's mappings
// under a read lock, then yields them with no lock held.
func (s *Memory) Mappings(ctx context.Context, org string) iter.Seq2[Mapping, error] {
	return func(yield func(Mapping, error) bool) {
		if err := ValidateOrg(org); err != nil {
			yield(Mapping{}, err)
			return
		}
		ms, err := s.snapshot(ctx, org)
		if err != nil {
			yield(Mapping{}, err)
			return
		}
		for i, m := range ms {
			if i%256 == 0 {
				if err := ctx.Err(); err != nil {
					yield(Mapping{}, fmt.Errorf("override: memory: mappings: %w", err))
					return
				}
			}
			if !yield(m, nil) {
				return
			}
		}
	}
}

func (s *Memory) snapshot(ctx context.Context, org string) ([]Mapping, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx, "mappings"); err != nil {
		return nil, err
	}
	o := s.orgs[org]
	if o == nil {
		return nil, nil
	}
	ms := make([]Mapping, 0, o.n)
	for _, rec := range o.records {
		if rec.hasManual {
			ms = append(ms, rec.manual)
		}
		if rec.hasSync {
			ms = append(ms, rec.sync)
		}
		for _, m := range rec.rejections {
			ms = append(ms, m)
		}
	}
	slices.SortFunc(ms, Compare)
	return ms, nil
}

// RecordsOf implements [Store.RecordsOf].
func (s *Memory) RecordsOf(ctx context.Context, org string, e EntityRef) ([]RecordRef, error) {
	if err := ValidateOrg(org); err != nil {
		return nil, err
	}
	if err := e.Validate(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx, "records of"); err != nil {
		return nil, err
	}
	o := s.orgs[org]
	if o == nil {
		return nil, nil
	}
	ks := o.byEntity[e]
	if len(ks) == 0 {
		return nil, nil
	}
	rs := make([]RecordRef, 0, len(ks))
	for _, k := range ks {
		rs = append(rs, RecordRef{Org: org, Object: k.object, ID: k.id})
	}
	slices.SortFunc(rs, CompareRecords)
	return slices.Compact(rs), nil
}

// Count implements [Store.Count].
func (s *Memory) Count(ctx context.Context, org string) (int, error) {
	if err := ValidateOrg(org); err != nil {
		return 0, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(ctx, "count"); err != nil {
		return 0, err
	}
	if o := s.orgs[org]; o != nil {
		return o.n, nil
	}
	return 0, nil
}

// Purge implements [Store.Purge].
func (s *Memory) Purge(ctx context.Context, org string) (int, error) {
	if err := ValidateOrg(org); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx, "purge"); err != nil {
		return 0, err
	}
	o := s.orgs[org]
	if o == nil {
		return 0, nil
	}
	delete(s.orgs, org)
	return o.n, nil
}

// Close implements [Store.Close]: it drops every mapping. Closing twice returns nil.
func (s *Memory) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	s.orgs = nil
	return nil
}
