package override

// CONTRACT written by the lead so that the pgstore and boltstore helpers can start at once.
// The override helper owns this file: it may move these declarations into better-named files,
// add doc, fields of validation and helpers, but must not change these signatures.

import (
	"context"
	"errors"
	"iter"
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

// EntityKind is the kind of network entity a record maps to.
type EntityKind string

// The entity kinds.
const (
	Member  EntityKind = "member"
	Company EntityKind = "company"
)

// Source says who made a mapping.
type Source string

// The mapping sources. Manual beats Sync.
const (
	Manual Source = "manual"
	Sync   Source = "sync"
)

// RecordRef names one CRM record of one org.
type RecordRef struct {
	Org    string
	Object Object
	ID     string
}

// EntityRef names one network entity.
type EntityRef struct {
	Kind EntityKind
	ID   string
}

// Mapping links a CRM record to a network entity. IDs and times only.
// A Rejection (Rejected == true) records "this entity is wrong for this record".
type Mapping struct {
	Record    RecordRef
	Entity    EntityRef
	Source    Source
	Rejected  bool
	UpdatedAt time.Time
	UpdatedBy string // CRM user ID, optional
}

// Sentinel errors.
var (
	ErrClosed        = errors.New("override: store is closed")
	ErrInvalid       = errors.New("override: invalid input")
	ErrSchemaVersion = errors.New("override: unsupported schema version")
	ErrLocked        = errors.New("override: store is locked by another process")
	ErrCorrupt       = errors.New("override: store is corrupt")
)

// Store is implemented by the override drivers. Safe for concurrent use.
type Store interface {
	// Get returns the effective (non-rejected) mapping of r: manual beats sync. ok is false if none.
	Get(ctx context.Context, r RecordRef) (m Mapping, ok bool, err error)
	// GetSource returns the non-rejected mapping of r made by source s.
	GetSource(ctx context.Context, r RecordRef, s Source) (m Mapping, ok bool, err error)
	// Put validates and stores m, replacing the mapping of (m.Record, m.Source); a rejection is
	// stored under (m.Record, m.Entity) and never replaces a mapping.
	Put(ctx context.Context, m Mapping) error
	// PutBatch stores all of ms atomically: all or nothing.
	PutBatch(ctx context.Context, ms []Mapping) error
	// Delete removes the mapping of (r, s); deleting nothing succeeds.
	Delete(ctx context.Context, r RecordRef, s Source) error
	// Rejected reports whether e was rejected for r.
	Rejected(ctx context.Context, r RecordRef, e EntityRef) (bool, error)
	// Rejections lists the entities rejected for r.
	Rejections(ctx context.Context, r RecordRef) ([]EntityRef, error)
	// Unreject removes a rejection; removing nothing succeeds.
	Unreject(ctx context.Context, r RecordRef, e EntityRef) error
	// Mappings walks every mapping (rejections included) of org, ordered by object, record ID, source.
	Mappings(ctx context.Context, org string) iter.Seq2[Mapping, error]
	// RecordsOf returns the records of org whose non-rejected mappings point at e.
	RecordsOf(ctx context.Context, org string, e EntityRef) ([]RecordRef, error)
	// Count returns how many mappings (rejections included) org holds.
	Count(ctx context.Context, org string) (int, error)
	// Purge removes everything of org and returns how many mappings it removed.
	Purge(ctx context.Context, org string) (removed int, err error)
	// Close releases the store; later calls return ErrClosed.
	Close() error
}
