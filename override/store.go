package override

import (
	"context"
	"iter"
)

// Store is implemented by the override drivers: the in-memory [Memory],
// boltstore and pgstore. Implementations are safe for concurrent use by
// multiple goroutines. Every method validates its input first (errors match
// [ErrInvalid], nothing is written), honours ctx (a canceled ctx gives an error
// matching [context.Canceled]) and returns [ErrClosed] after Close.
type Store interface {
	// Get returns the effective (non-rejected) mapping of r: manual beats sync.
	// ok is false if there is none; that is not an error. Rejections are not
	// consulted: a sync mapping is returned even if its entity was rejected.
	Get(ctx context.Context, r RecordRef) (m Mapping, ok bool, err error)
	// GetSource returns the non-rejected mapping of r made by source s.
	GetSource(ctx context.Context, r RecordRef, s Source) (m Mapping, ok bool, err error)
	// Put validates and stores m, replacing the mapping of (m.Record, m.Source); a rejection is
	// stored under (m.Record, m.Entity) and never replaces a mapping.
	Put(ctx context.Context, m Mapping) error
	// PutBatch stores all of ms atomically: all or nothing. If the batch holds
	// the same key twice, the later one wins. An empty batch succeeds.
	PutBatch(ctx context.Context, ms []Mapping) error
	// Delete removes the mapping of (r, s); deleting nothing succeeds.
	Delete(ctx context.Context, r RecordRef, s Source) error
	// Rejected reports whether e was rejected for r.
	Rejected(ctx context.Context, r RecordRef, e EntityRef) (bool, error)
	// Rejections lists the entities rejected for r, ordered by kind then ID.
	Rejections(ctx context.Context, r RecordRef) ([]EntityRef, error)
	// Unreject removes a rejection; removing nothing succeeds.
	Unreject(ctx context.Context, r RecordRef, e EntityRef) error
	// Mappings walks every mapping (rejections included) of org in the order of
	// [Compare]: by object, record ID (byte order), then manual, sync, then the
	// rejections by entity kind and ID. On failure it yields one (Mapping{}, err)
	// and stops. Breaking out is safe. It is not a snapshot: the loop body may
	// write to the store; a mapping neither written nor deleted during the walk
	// is yielded exactly once. Each range over it runs a fresh walk.
	Mappings(ctx context.Context, org string) iter.Seq2[Mapping, error]
	// RecordsOf returns the records of org whose non-rejected mappings point at
	// e, each once, in the order of [CompareRecords].
	RecordsOf(ctx context.Context, org string, e EntityRef) ([]RecordRef, error)
	// Count returns how many mappings (rejections included) org holds.
	Count(ctx context.Context, org string) (int, error)
	// Purge removes everything of org and returns how many mappings it removed
	// (rejections included).
	Purge(ctx context.Context, org string) (removed int, err error)
	// Close releases the store; later calls of other methods return ErrClosed.
	// Closing twice returns nil or ErrClosed.
	Close() error
}
