package pgdir

import (
	"embed"
	"errors"

	"github.com/crmlink/crmlink/internal/pgmigrate"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// SchemaVersion is the schema version this package creates and understands.
// [Open] refuses a schema recorded with a newer version ([ErrSchemaVersion]).
const SchemaVersion = 1

// ErrSchemaVersion is returned by [Open] for a schema written by a newer
// release of this package.
var ErrSchemaVersion = errors.New("pgdir: schema version newer than this package")

// migrator brings a schema up to SchemaVersion in one transaction under a
// transaction-scoped advisory lock, so that replicas starting at once apply
// each step once. The version table is named for this package: a schema
// shared with override/pgstore keeps both version histories apart.
var migrator = pgmigrate.New(pgmigrate.Config{
	Name:          "pgdir",
	FS:            migrationFS,
	Table:         "pgdir_schema_version",
	LockNamespace: "crmlink/matcher/pgdir",
	Version:       SchemaVersion,
	ErrNewer:      ErrSchemaVersion,
})
