package pgstore

import (
	"embed"

	"github.com/crmlink/crmlink/internal/pgmigrate"
	"github.com/crmlink/crmlink/override"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// SchemaVersion is the schema version this package creates and understands.
// [Open] refuses a schema recorded with a newer version ([override.ErrSchemaVersion]).
const SchemaVersion = 3

// migrator brings a schema up to [SchemaVersion] in one transaction, holding
// a transaction-scoped advisory lock so that replicas starting at once apply
// each step exactly once, and records each step in schema_version.
var migrator = pgmigrate.New(pgmigrate.Config{
	Name:          "pgstore",
	FS:            migrationFS,
	Table:         "schema_version",
	LockNamespace: "crmlink/override/pgstore",
	Version:       SchemaVersion,
	ErrNewer:      override.ErrSchemaVersion,
})
