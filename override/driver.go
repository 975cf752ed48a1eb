package override

import (
	"context"
	"slices"
)

// Driver is what a storage backend implements: storage only, no rules. The
// portable [Store] validates every input, checks the context and the closed
// state, applies the precedence rule and classifies errors before and after
// it calls a Driver, so a Driver trusts what it is given: valid records and
// mappings (UpdatedAt set, in UTC, to the microsecond), at most one [Op] per
// key in a batch, a valid org.
//
// Implementations must be safe for concurrent use by multiple goroutines.
// Errors should wrap [ErrCorrupt], [ErrLocked] or [ErrSchemaVersion] where they
// apply and keep the underlying error reachable; a Driver that learns it was
// closed should return an error matching [ErrClosed].
type Driver interface {
	// Load appends to dst one Record per ref, in the order of refs, and returns
	// dst. The i-th Record has Ref set to refs[i] and Mappings holding
	// everything stored under it (its manual and sync mappings and its
	// rejections), in any order; a ref with nothing stored gets a Record with
	// no Mappings. refs may repeat. It is one read: a Store calls it once per
	// batch of records. The Mappings slices may be the driver's own memory:
	// the Store never changes them and copies them before it hands them out.
	Load(ctx context.Context, refs []RecordRef, dst []Record) ([]Record, error)
	// Apply performs ops atomically: all of them or, when it returns an error,
	// none. A put replaces what is stored under its key ([Op.Key]); a delete of
	// a key that holds nothing succeeds. No two ops of one call share a key.
	Apply(ctx context.Context, ops []Op) error
	// Scan appends to dst at most limit mappings of org (rejections included),
	// in the order of [Compare], starting after the mapping whose key is after
	// (at the first one when after is nil), and returns dst. It may return
	// fewer than limit (a driver may bound its pages); none means the org
	// holds no more. A Scan holds no transaction or connection once it
	// returns: the Store pages through an org with it.
	Scan(ctx context.Context, org string, after *Mapping, limit int, dst []Mapping) ([]Mapping, error)
	// Count returns how many mappings (rejections included) org holds.
	Count(ctx context.Context, org string) (int, error)
	// Purge removes everything of org in one transaction and returns how many
	// mappings (rejections included) it removed.
	Purge(ctx context.Context, org string) (removed int, err error)
	// Close releases the driver's resources. The Store calls it once.
	Close() error
}

// EntityIndex is an optional interface of a [Driver] that keeps an index from
// entities to the records mapped to them. [Store.RecordsOf] uses it when the
// driver has it and scans the org otherwise.
type EntityIndex interface {
	// RecordsOf returns the records of org whose non-rejected mappings point
	// at e, in any order; a record may appear more than once.
	RecordsOf(ctx context.Context, org string, e EntityRef) ([]RecordRef, error)
}

// Record is everything a store holds for one CRM record: its manual and sync
// mappings and its rejections. A [Store] hands it out with Mappings in the
// order of [Compare]; the methods below are where the rules of resolution
// live, so that every caller applies the same ones.
type Record struct {
	Ref      RecordRef
	Mappings []Mapping
}

// Source returns the mapping of r made by s; ok is false if there is none.
func (r Record) Source(s Source) (m Mapping, ok bool) {
	for _, m := range r.Mappings {
		if !m.Rejected && m.Source == s {
			return m, true
		}
	}
	return Mapping{}, false
}

// Effective returns the mapping that wins for r by [Effective]: manual beats
// sync. Rejections are not consulted, as in [Store.Get].
func (r Record) Effective() (m Mapping, ok bool) { return Effective(r.Mappings...) }

// Resolve returns the mapping a resolver follows for r: the [Effective] one
// among the mappings accept allows (all when accept is nil) whose entity was
// not rejected for r. ok is false if none is left, and the record falls back
// to matching.
func (r Record) Resolve(accept func(Mapping) bool) (m Mapping, ok bool) {
	var buf [2]Mapping
	cands := buf[:0]
	for _, c := range r.Mappings {
		if c.Rejected || (accept != nil && !accept(c)) || r.Rejected(c.Entity) {
			continue
		}
		cands = append(cands, c)
	}
	return Effective(cands...)
}

// Rejected reports whether e was rejected for r.
func (r Record) Rejected(e EntityRef) bool {
	for _, m := range r.Mappings {
		if m.Rejected && m.Entity == e {
			return true
		}
	}
	return false
}

// Rejections returns the entities rejected for r, in the order of
// [CompareEntities], or nil if there are none.
func (r Record) Rejections() []EntityRef {
	var es []EntityRef
	for _, m := range r.Mappings {
		if m.Rejected {
			es = append(es, m.Entity)
		}
	}
	slices.SortFunc(es, CompareEntities)
	return es
}

// Op is one write of a batch a [Store] hands to [Driver.Apply]: a put of
// Mapping, or when Delete is set the removal of what is stored under
// Mapping's key. For a delete only the key fields are set: Record and Source
// for a mapping, Record, Entity and Rejected for a rejection.
type Op struct {
	Delete  bool
	Mapping Mapping
}

// Key is what an [Op] or a [Mapping] is stored under: (record, source) for a
// mapping, (record, entity) for a rejection. Two mappings with equal keys
// replace each other.
type Key struct {
	Record   RecordRef
	Rejected bool
	Source   Source    // when !Rejected
	Entity   EntityRef // when Rejected
}

// KeyOf returns the key m is stored under.
func KeyOf(m Mapping) Key {
	if m.Rejected {
		return Key{Record: m.Record, Rejected: true, Entity: m.Entity}
	}
	return Key{Record: m.Record, Source: m.Source}
}

// Key returns the key o writes.
func (o Op) Key() Key { return KeyOf(o.Mapping) }
