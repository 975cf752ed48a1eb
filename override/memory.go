package override

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"sync"
)

// NewMemory returns a [Store] over a new, empty in-memory driver, for tests
// and small programs. Nothing survives Close.
func NewMemory() *Store { return New(newMemory()) }

// OpenMemory is an [Opener] for [Registry.Register]: it opens "mem:" as a new,
// empty in-memory store, and refuses a URL with a host, path or query.
func OpenMemory(ctx context.Context, u *url.URL) (*Store, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("override: open memory: %w", err)
	}
	if u.Host != "" || (u.Path != "" && u.Path != "/") || u.Opaque != "" || u.RawQuery != "" || u.User != nil {
		return nil, &URLError{Scheme: u.Scheme, Reason: `takes no host, path or options (write "mem:")`}
	}
	return NewMemory(), nil
}

// memory is the in-memory driver. Each org keeps each record's mappings in a
// slice that is replaced, never changed, on a write (Load hands it out
// without a copy), and a sorted copy of all of them for Scan that the first
// Scan after a write rebuilds.
type memory struct {
	mu       sync.RWMutex
	orgs     map[string]*memOrg
	disabled map[string]bool      // org -> disabled; kept apart from orgs, so that Purge leaves it
	cps      map[cpKey]Checkpoint // sync checkpoints; Purge removes an org's
	closed   bool
}

// recKey is a record of one org.
type recKey struct {
	object Object
	id     string
}

type memOrg struct {
	byRecord map[recKey][]Mapping // one record's mappings and rejections
	n        int
	sorted   []Mapping // every mapping in Compare order; nil after a write
}

func newMemory() *memory { return &memory{orgs: make(map[string]*memOrg)} }

func (d *memory) check() error {
	if d.closed {
		return fmt.Errorf("memory: %w", ErrClosed)
	}
	return nil
}

// Load implements [Driver.Load].
func (d *memory) Load(_ context.Context, refs []RecordRef, dst []Record) ([]Record, error) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if err := d.check(); err != nil {
		return dst, err
	}
	return d.loadLocked(refs, dst), nil
}

// loadLocked is Load with d.mu held.
func (d *memory) loadLocked(refs []RecordRef, dst []Record) []Record {
	for _, r := range refs {
		rec := Record{Ref: r}
		if o := d.orgs[r.Org]; o != nil {
			rec.Mappings = o.byRecord[recKey{r.Object, r.ID}] // never changed: Apply replaces it
		}
		dst = append(dst, rec)
	}
	return dst
}

// Apply implements [Driver.Apply]. It cannot fail half way: it checks first.
func (d *memory) Apply(_ context.Context, ops []Op) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.check(); err != nil {
		return err
	}
	for _, op := range ops {
		r := op.Mapping.Record
		o := d.orgs[r.Org]
		if o == nil {
			if op.Delete {
				continue
			}
			o = &memOrg{byRecord: make(map[recKey][]Mapping)}
			d.orgs[r.Org] = o
		}
		o.sorted = nil
		k := op.Key()
		// A record's slice is never changed once stored, since Load hands it
		// out: each write makes a new one.
		rk := recKey{r.Object, r.ID}
		old := o.byRecord[rk]
		i := slices.IndexFunc(old, func(m Mapping) bool { return KeyOf(m) == k })
		var ms []Mapping
		switch {
		case op.Delete && i >= 0:
			ms = slices.Delete(slices.Clone(old), i, i+1)
			o.n--
		case op.Delete:
			ms = old
		case i >= 0:
			ms = slices.Clone(old)
			ms[i] = op.Mapping
		default:
			ms = append(slices.Clip(old), op.Mapping)
			o.n++
		}
		if len(ms) == 0 {
			delete(o.byRecord, rk)
		} else {
			o.byRecord[rk] = ms
		}
		if o.n == 0 {
			delete(d.orgs, r.Org)
		}
	}
	return nil
}

// Scan implements [Driver.Scan].
func (d *memory) Scan(_ context.Context, org string, after *Mapping, limit int, dst []Mapping) ([]Mapping, error) {
	sorted, err := d.sortedOf(org)
	if err != nil || sorted == nil {
		return dst, err
	}
	i := 0
	if after != nil {
		i = sort.Search(len(sorted), func(i int) bool { return Compare(sorted[i], *after) > 0 })
	}
	end := min(len(sorted), i+limit)
	return append(dst, sorted[i:end]...), nil
}

// sortedOf returns the org's mappings in Compare order, building them when a
// write has dropped them. The slice is never changed once built.
func (d *memory) sortedOf(org string) ([]Mapping, error) {
	d.mu.RLock()
	if err := d.check(); err != nil {
		d.mu.RUnlock()
		return nil, err
	}
	o := d.orgs[org]
	if o == nil {
		d.mu.RUnlock()
		return nil, nil
	}
	if s := o.sorted; s != nil {
		d.mu.RUnlock()
		return s, nil
	}
	d.mu.RUnlock()
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.check(); err != nil {
		return nil, err
	}
	if o = d.orgs[org]; o == nil {
		return nil, nil
	}
	if o.sorted == nil {
		s := make([]Mapping, 0, o.n)
		for _, ms := range o.byRecord {
			s = append(s, ms...)
		}
		slices.SortFunc(s, Compare)
		o.sorted = s
	}
	return o.sorted, nil
}

// Count implements [Driver.Count].
func (d *memory) Count(_ context.Context, org string) (int, error) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if err := d.check(); err != nil {
		return 0, err
	}
	if o := d.orgs[org]; o != nil {
		return o.n, nil
	}
	return 0, nil
}

// Purge implements [Driver.Purge].
func (d *memory) Purge(_ context.Context, org string) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.check(); err != nil {
		return 0, err
	}
	for k := range d.cps {
		if k.org == org {
			delete(d.cps, k)
		}
	}
	o := d.orgs[org]
	if o == nil {
		return 0, nil
	}
	delete(d.orgs, org)
	return o.n, nil
}

// Close implements [Driver.Close]: it drops every mapping.
func (d *memory) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.closed = true
	d.orgs, d.cps = nil, nil
	return nil
}
