package override

import (
	"cmp"
	"time"
)

// Object is the kind of CRM object a mapping is keyed by.
type Object string

// The CRM objects that can be mapped.
const (
	Lead        Object = "lead"
	Contact     Object = "contact"
	Account     Object = "account"
	Opportunity Object = "opportunity"
)

// Objects lists every valid [Object] in byte order, the order [Store.Mappings] walks them.
func Objects() []Object { return []Object{Account, Contact, Lead, Opportunity} }

// Valid reports whether o is one of the known objects.
func (o Object) Valid() bool {
	switch o {
	case Lead, Contact, Account, Opportunity:
		return true
	}
	return false
}

// EntityKind is the kind of network entity a record maps to.
type EntityKind string

// The entity kinds.
const (
	Member  EntityKind = "member"
	Company EntityKind = "company"
)

// Valid reports whether k is one of the known entity kinds.
func (k EntityKind) Valid() bool { return k == Member || k == Company }

// Source says who made a mapping.
type Source string

// The mapping sources. Manual beats Sync.
const (
	Manual Source = "manual"
	Sync   Source = "sync"
)

// Valid reports whether s is one of the known sources.
func (s Source) Valid() bool { return s == Manual || s == Sync }

// Precedence ranks s for resolution: the higher wins. Manual is 2, Sync 1 and
// an unknown source 0.
func (s Source) Precedence() int {
	switch s {
	case Manual:
		return 2
	case Sync:
		return 1
	}
	return 0
}

// Sources lists the valid sources, highest precedence first.
func Sources() []Source { return []Source{Manual, Sync} }

// RecordRef names one CRM record of one org (tenant).
type RecordRef struct {
	Org    string // the CRM org (tenant) ID
	Object Object
	ID     string // the CRM record ID
}

// String returns "org/object/id". It holds IDs only.
func (r RecordRef) String() string { return r.Org + "/" + string(r.Object) + "/" + r.ID }

// EntityRef names one network entity.
type EntityRef struct {
	Kind EntityKind
	ID   string
}

// String returns "kind/id".
func (e EntityRef) String() string { return string(e.Kind) + "/" + e.ID }

// Mapping links a CRM record to a network entity. It holds IDs and times only:
// there is no field where a name, an email or any other record data could go.
//
// A mapping with Rejected == false is keyed by (Record, Source): a record has at
// most one manual and one sync mapping. A rejection (Rejected == true) records
// "this entity is wrong for this record"; it is keyed by (Record, Entity), never
// replaces a mapping and is never returned by [Store.Get] or [Store.GetSource].
type Mapping struct {
	Record    RecordRef
	Entity    EntityRef
	Source    Source
	Rejected  bool
	UpdatedAt time.Time // set to the time of the Put when zero; stored with microsecond precision, in UTC
	UpdatedBy string    // CRM user ID, optional
}

// Compare orders mappings the way [Store.Mappings] walks them: by org, object
// and record ID (byte order); for one record, the mappings (by source, manual
// before sync) before the rejections (by entity kind, then entity ID). It
// returns -1, 0 or +1. Two mappings comparing equal have the same store key.
func Compare(a, b Mapping) int {
	if c := cmp.Compare(a.Record.Org, b.Record.Org); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Record.Object, b.Record.Object); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Record.ID, b.Record.ID); c != 0 {
		return c
	}
	if a.Rejected != b.Rejected {
		if a.Rejected {
			return 1
		}
		return -1
	}
	if !a.Rejected {
		return cmp.Compare(a.Source, b.Source)
	}
	if c := cmp.Compare(a.Entity.Kind, b.Entity.Kind); c != 0 {
		return c
	}
	return cmp.Compare(a.Entity.ID, b.Entity.ID)
}

// CompareRecords orders record references by org, object and ID, in byte order,
// the order of [Store.RecordsOf].
func CompareRecords(a, b RecordRef) int {
	if c := cmp.Compare(a.Org, b.Org); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Object, b.Object); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// CompareEntities orders entity references by kind, then ID, in byte order, the
// order of [Store.Rejections].
func CompareEntities(a, b EntityRef) int {
	if c := cmp.Compare(a.Kind, b.Kind); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// Effective returns the mapping that wins among ms for resolution: rejections
// are skipped, a manual mapping beats a sync one, and between two of the same
// source the later UpdatedAt wins. ok is false if ms holds no mapping.
// It does not check that ms concern the same record.
func Effective(ms ...Mapping) (m Mapping, ok bool) {
	for _, c := range ms {
		if c.Rejected || !c.Source.Valid() {
			continue
		}
		if !ok || beats(c, m) {
			m, ok = c, true
		}
	}
	return m, ok
}

func beats(a, b Mapping) bool {
	if pa, pb := a.Source.Precedence(), b.Source.Precedence(); pa != pb {
		return pa > pb
	}
	return a.UpdatedAt.After(b.UpdatedAt)
}

// Prepare validates m and returns it as stores keep it: UpdatedAt set to now
// when zero, truncated to the microsecond and in UTC. [Store] calls it on every
// mapping it writes, so that every driver stores the same thing.
func Prepare(m Mapping, now time.Time) (Mapping, error) {
	if m.UpdatedAt.IsZero() {
		m.UpdatedAt = now
	}
	m.UpdatedAt = m.UpdatedAt.UTC().Truncate(time.Microsecond)
	if err := m.Validate(); err != nil {
		return Mapping{}, err
	}
	return m, nil
}

// PrepareBatch is [Prepare] over a batch, with one now for all of it. It
// returns a new slice; on the first invalid mapping it returns an error whose
// Field names the index (e.g. "[3].Record.ID").
func PrepareBatch(ms []Mapping, now time.Time) ([]Mapping, error) {
	out := make([]Mapping, len(ms))
	for i, m := range ms {
		p, err := Prepare(m, now)
		if err != nil {
			return nil, prefixField(err, i)
		}
		out[i] = p
	}
	return out, nil
}
