// Package pgmigrate applies a package's embedded, numbered SQL migrations to a PostgreSQL
// schema.
//
// Each package that keeps tables in PostgreSQL (matcher/pgdir, override/pgstore) embeds its
// own migration files and describes them in a [Config]: the name its errors start with, the
// table recording its applied versions, the namespace of its advisory lock, the version it
// knows and the error for a schema written by newer code. [Migrator.Migrate] then brings a
// schema up to that version in one transaction under a transaction-scoped advisory lock, so
// that replicas starting at once apply each step exactly once.
package pgmigrate

import (
	"context"
	"fmt"
	"hash/fnv"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Dir is the folder of [Config.FS] that holds the migration files, as
// //go:embed migrations/*.sql embeds them.
const Dir = "migrations"

// Config describes one package's migrations.
type Config struct {
	// Name starts every error message, as "pgdir: migrate: ...".
	Name string
	// FS holds the migrations in the folder [Dir], one file a version, named NNNN_what.sql,
	// versions from 1 without gaps. {{schema}} in a file stands for the quoted schema name.
	FS fs.FS
	// Table is the table of the schema that records each applied version. Packages that
	// may share a schema need tables of their own.
	Table string
	// LockNamespace is hashed with the schema name into the advisory lock key, so that the
	// migrations of different packages do not wait for each other.
	LockNamespace string
	// Version is the schema version the package creates and understands; FS must hold
	// exactly that many migrations.
	Version int
	// ErrNewer is wrapped by the error for a schema recorded with a newer version.
	ErrNewer error
}

// Migrator applies the migrations of one [Config]. It is safe for concurrent use; the
// files are read and checked once, on first use.
type Migrator struct {
	c          Config
	migrations func() ([]migration, error)
}

// New returns a Migrator for c.
func New(c Config) *Migrator {
	return &Migrator{c: c, migrations: sync.OnceValues(c.load)}
}

// migration is one versioned step of the schema.
type migration struct {
	version int
	name    string
	sql     string // with {{schema}} placeholders
}

// load reads the migrations ordered by version and checks their names and numbering.
func (c Config) load() ([]migration, error) {
	entries, err := fs.ReadDir(c.FS, Dir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("%s: bad migration file name %q", c.Name, e.Name())
		}
		b, err := fs.ReadFile(c.FS, path.Join(Dir, e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	slices.SortFunc(ms, func(a, b migration) int { return a.version - b.version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("%s: migration %s: version %d, want %d", c.Name, m.name, m.version, i+1)
		}
	}
	return ms, nil
}

// lockKey is the pg_advisory_xact_lock key that serialises the migrations of schema across
// processes.
func (m *Migrator) lockKey(schema string) int64 {
	h := fnv.New64a()
	h.Write([]byte(m.c.LockNamespace + "\x00"))
	h.Write([]byte(schema))
	return int64(h.Sum64())
}

// Migrate brings schema up to [Config.Version], creating the schema and the version table
// where they are missing. It runs in one transaction holding an advisory lock keyed by
// [Config.LockNamespace] and the schema name, so that replicas starting at once apply each step exactly once, and is idempotent. A
// schema recorded with a newer version is left alone and refused with an error wrapping
// [Config.ErrNewer].
func (m *Migrator) Migrate(ctx context.Context, pool *pgxpool.Pool, schema string) error {
	c := &m.c
	ms, err := m.migrations()
	if err != nil {
		return err
	}
	if len(ms) != c.Version {
		return fmt.Errorf("%s: %d embedded migrations, want %d", c.Name, len(ms), c.Version)
	}
	q := pgx.Identifier{schema}.Sanitize()
	table := q + "." + pgx.Identifier{c.Table}.Sanitize()

	tx, err := pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("%s: migrate: %w", c.Name, err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // no-op after Commit

	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", m.lockKey(schema)); err != nil {
		return fmt.Errorf("%s: migrate: lock: %w", c.Name, err)
	}
	// CREATE SCHEMA checks the CREATE privilege even with IF NOT EXISTS, so
	// look first: a role that may only use an existing schema can still open it.
	var exists bool
	if err := tx.QueryRow(ctx,
		"SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1)", schema,
	).Scan(&exists); err != nil {
		return fmt.Errorf("%s: migrate: %w", c.Name, err)
	}
	if !exists {
		if _, err := tx.Exec(ctx, "CREATE SCHEMA "+q); err != nil {
			return fmt.Errorf("%s: migrate: create schema: %w", c.Name, err)
		}
	}
	// Likewise CREATE TABLE IF NOT EXISTS needs CREATE on the schema.
	var found *string
	if err := tx.QueryRow(ctx, "SELECT to_regclass($1)::text", table).Scan(&found); err != nil {
		return fmt.Errorf("%s: migrate: %w", c.Name, err)
	}
	if found == nil {
		if _, err := tx.Exec(ctx, "CREATE TABLE "+table+` (
	version    integer PRIMARY KEY,
	applied_at timestamptz NOT NULL DEFAULT now()
)`); err != nil {
			return fmt.Errorf("%s: migrate: %s: %w", c.Name, c.Table, err)
		}
	}
	var current int
	if err := tx.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM "+table).Scan(&current); err != nil {
		return fmt.Errorf("%s: migrate: read version: %w", c.Name, err)
	}
	if current > c.Version {
		return fmt.Errorf("%s: schema %s has version %d, this package knows %d: %w",
			c.Name, q, current, c.Version, c.ErrNewer)
	}
	for _, s := range ms[current:] {
		if _, err := tx.Exec(ctx, strings.ReplaceAll(s.sql, "{{schema}}", q)); err != nil {
			return fmt.Errorf("%s: migrate: %s: %w", c.Name, s.name, err)
		}
		if _, err := tx.Exec(ctx, "INSERT INTO "+table+" (version) VALUES ($1)", s.version); err != nil {
			return fmt.Errorf("%s: migrate: %s: record version: %w", c.Name, s.name, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("%s: migrate: commit: %w", c.Name, err)
	}
	return nil
}
