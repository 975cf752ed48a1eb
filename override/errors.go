package override

import (
	"errors"
	"fmt"
	"strconv"
)

// Sentinel errors, matched with [errors.Is]. Drivers wrap them with the
// operation and keep the underlying error reachable.
var (
	// ErrClosed is returned by every method of a store after Close.
	ErrClosed = errors.New("override: store is closed")
	// ErrInvalid is returned for input that fails validation; see [ValidationError].
	ErrInvalid = errors.New("override: invalid input")
	// ErrSchemaVersion is returned by a durable store whose schema is newer than the code.
	ErrSchemaVersion = errors.New("override: unsupported schema version")
	// ErrLocked is returned when another process holds the store's file.
	ErrLocked = errors.New("override: store is locked by another process")
	// ErrCorrupt is returned when a store's data cannot be read back.
	ErrCorrupt = errors.New("override: store is corrupt")
)

// ValidationError says which field of an input is invalid and why. It never
// holds the field's value. It matches [ErrInvalid] with errors.Is.
type ValidationError struct {
	Field  string // e.g. "Record.ID", "Entity.Kind", "[3].Source", "org"
	Reason string // e.g. "empty", "longer than 255 bytes", "contains a control character"
}

// Error returns "override: invalid <Field>: <Reason>".
func (e *ValidationError) Error() string {
	return "override: invalid " + e.Field + ": " + e.Reason
}

// Unwrap returns [ErrInvalid].
func (e *ValidationError) Unwrap() error { return ErrInvalid }

func prefixField(err error, i int) error {
	var ve *ValidationError
	if errors.As(err, &ve) {
		return &ValidationError{Field: "[" + strconv.Itoa(i) + "]." + ve.Field, Reason: ve.Reason}
	}
	return fmt.Errorf("[%d]: %w", i, err)
}
