package pgstore

import (
	"fmt"

	"github.com/crmlink/crmlink/override"
)

// DefaultSchema is the PostgreSQL schema the store lives in unless [WithSchema]
// names another.
const DefaultSchema = "crmlink"

// DefaultPageSize is at most how many rows [Driver.Scan] reads per query unless
// [WithPageSize] says otherwise.
const DefaultPageSize = 1000

// maxIdentifier is PostgreSQL's NAMEDATALEN-1: longer names are truncated by
// the server, which would silently merge two schemas.
const maxIdentifier = 63

// Option configures [Open] and [OpenPool].
type Option func(*options)

type options struct {
	schema   string
	pageSize int
}

func defaultOptions() options {
	return options{schema: DefaultSchema, pageSize: DefaultPageSize}
}

// WithSchema puts the store's tables in the PostgreSQL schema name (default
// [DefaultSchema]), creating it if needed. Stores opened with different schemas
// share nothing, which isolates tenants or tests on one database. The name is
// quoted, so it is used exactly as given; it must be 1 to 63 bytes long and
// must not contain NUL.
func WithSchema(name string) Option {
	return func(o *options) { o.schema = name }
}

// WithPageSize sets how many rows [Driver.Scan] fetches per query at most (default
// [DefaultPageSize]); it bounds the memory an iteration holds. n must be >= 1.
func WithPageSize(n int) Option {
	return func(o *options) { o.pageSize = n }
}

func (o *options) validate() error {
	switch {
	case o.schema == "":
		return fmt.Errorf("pgstore: empty schema name: %w", override.ErrInvalid)
	case len(o.schema) > maxIdentifier:
		return fmt.Errorf("pgstore: schema name longer than %d bytes: %w", maxIdentifier, override.ErrInvalid)
	case containsNUL(o.schema):
		return fmt.Errorf("pgstore: schema name contains NUL: %w", override.ErrInvalid)
	case o.pageSize < 1:
		return fmt.Errorf("pgstore: page size %d < 1: %w", o.pageSize, override.ErrInvalid)
	}
	return nil
}

func containsNUL(s string) bool {
	for i := range len(s) {
		if s[i] == 0 {
			return true
		}
	}
	return false
}
