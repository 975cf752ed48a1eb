package override

import (
	"context"
	"fmt"
	"time"
)

// Checkpoint is where a sync run stands with one object of one org, so that
// a run that stopped (a crash, a kill, a canceled context) can be resumed
// where it stopped, and a later run can read only what changed since the
// last complete one. It holds IDs and times only.
//
// A Checkpoint is stored under (Org, Object): a put replaces the object's
// previous one. [Store.Purge] removes an org's checkpoints with its
// mappings, so that the next sync of a purged org reads every record again.
type Checkpoint struct {
	Org    string
	Object Object
	// Run is when the run that wrote the checkpoint started (its
	// SyncStats.Started); runs are told apart by it. Required.
	Run time.Time
	// Since is the lower bound of modification times the run reads (an
	// incremental run); zero for a run that reads every record. A resumed
	// run reads with the same bound.
	Since time.Time
	// After is the ID of the last record whose batch the run fully wrote,
	// in the order its source reads; empty when the run wrote none yet.
	After string
	// Done says the run synced every record of the object.
	Done bool
}

// Validate checks c: a valid org, a known object, a Run and a Since (when
// set) in years 1 to 9999, and an After that is empty or a valid record ID.
func (c Checkpoint) Validate() error {
	if err := ValidateID("Checkpoint.Org", c.Org); err != nil {
		return err
	}
	if !c.Object.Valid() {
		return &ValidationError{Field: "Checkpoint.Object", Reason: "unknown object"}
	}
	if c.Run.IsZero() || c.Run.Before(minTime) || c.Run.After(maxTime) {
		return &ValidationError{Field: "Checkpoint.Run", Reason: "zero or outside years 1 to 9999"}
	}
	if !c.Since.IsZero() && (c.Since.Before(minTime) || c.Since.After(maxTime)) {
		return &ValidationError{Field: "Checkpoint.Since", Reason: "outside years 1 to 9999"}
	}
	if c.After != "" {
		return ValidateID("Checkpoint.After", c.After)
	}
	return nil
}

// Checkpointer is an optional ability of a [Driver]: durable sync
// checkpoints, one per (org, object), written apart from the mappings. The
// memory, bolt and PostgreSQL drivers have it; the driver suite checks it.
// [Driver.Purge] of an org must remove its checkpoints too, in the same
// transaction where the driver has one.
type Checkpointer interface {
	// Checkpoint returns the checkpoint of (org, obj); ok is false when
	// there is none.
	Checkpoint(ctx context.Context, org string, obj Object) (c Checkpoint, ok bool, err error)
	// PutCheckpoint stores c, replacing the checkpoint of (c.Org,
	// c.Object), durably before it returns. Its times are in UTC, to the
	// microsecond.
	PutCheckpoint(ctx context.Context, c Checkpoint) error
	// DeleteCheckpoint removes the checkpoint of (org, obj); removing
	// nothing succeeds.
	DeleteCheckpoint(ctx context.Context, org string, obj Object) error
}

// checkpointer returns the driver's Checkpointer or an error matching
// [ErrUnsupported].
func (s *Store) checkpointer(op string) (Checkpointer, error) {
	cp, ok := s.d.(Checkpointer)
	if !ok {
		return nil, fmt.Errorf("override: %s: %w", op, ErrUnsupported)
	}
	return cp, nil
}

// Checkpoints reports whether the store's driver keeps sync checkpoints
// ([Checkpointer]).
func (s *Store) Checkpoints() bool {
	_, ok := s.d.(Checkpointer)
	return ok
}

// Checkpoint returns the sync checkpoint of (org, obj); ok is false when
// there is none. Over a driver without [Checkpointer] the error matches
// [ErrUnsupported].
func (s *Store) Checkpoint(ctx context.Context, org string, obj Object) (c Checkpoint, ok bool, err error) {
	const op = "checkpoint"
	if err := ValidateOrg(org); err != nil {
		return Checkpoint{}, false, err
	}
	if !obj.Valid() {
		return Checkpoint{}, false, &ValidationError{Field: "Object", Reason: "unknown object"}
	}
	if err := s.begin(ctx, op); err != nil {
		return Checkpoint{}, false, err
	}
	cp, err := s.checkpointer(op)
	if err != nil {
		return Checkpoint{}, false, err
	}
	c, ok, err = cp.Checkpoint(ctx, org, obj)
	if err != nil {
		return Checkpoint{}, false, s.wrap(ctx, op, err)
	}
	return c, ok, nil
}

// PutCheckpoint validates c and stores it, replacing the checkpoint of
// (c.Org, c.Object). Its times are stored in UTC to the microsecond.
func (s *Store) PutCheckpoint(ctx context.Context, c Checkpoint) error {
	const op = "put checkpoint"
	if err := c.Validate(); err != nil {
		return err
	}
	if err := s.begin(ctx, op); err != nil {
		return err
	}
	cp, err := s.checkpointer(op)
	if err != nil {
		return err
	}
	c.Run = c.Run.UTC().Truncate(time.Microsecond)
	if !c.Since.IsZero() {
		c.Since = c.Since.UTC().Truncate(time.Microsecond)
	}
	return s.wrap(ctx, op, cp.PutCheckpoint(ctx, c))
}

// DeleteCheckpoint removes the sync checkpoint of (org, obj); removing
// nothing succeeds.
func (s *Store) DeleteCheckpoint(ctx context.Context, org string, obj Object) error {
	const op = "delete checkpoint"
	if err := ValidateOrg(org); err != nil {
		return err
	}
	if !obj.Valid() {
		return &ValidationError{Field: "Object", Reason: "unknown object"}
	}
	if err := s.begin(ctx, op); err != nil {
		return err
	}
	cp, err := s.checkpointer(op)
	if err != nil {
		return err
	}
	return s.wrap(ctx, op, cp.DeleteCheckpoint(ctx, org, obj))
}
