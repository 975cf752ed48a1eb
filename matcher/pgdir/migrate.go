package pgdir

import (
	"context"
	"embed"
	"errors"
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

//go:embed migrations/*.sql
var migrationFS embed.FS

// SchemaVersion is the schema version this package creates and understands.
// [Open] refuses a schema recorded with a newer version ([ErrSchemaVersion]).
const SchemaVersion = 1

// ErrSchemaVersion is returned by [Open] for a schema written by a newer
// release of this package.
var ErrSchemaVersion = errors.New("pgdir: schema version newer than this package")

type migration struct {
	version int
	name    string
	sql     string // with {{schema}} placeholders
}

// migrations returns the embedded migrations ordered by version: files named
// NNNN_what.sql, versions from 1 without gaps.
var migrations = sync.OnceValues(func() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("pgdir: bad migration file name %q", e.Name())
		}
		b, err := migrationFS.ReadFile(path.Join("migrations", e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	slices.SortFunc(ms, func(a, b migration) int { return a.version - b.version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("pgdir: migration %s: version %d, want %d", m.name, m.version, i+1)
		}
	}
	return ms, nil
})

// lockKey is the advisory lock key that serialises migrations of one schema
// across processes.
func lockKey(schema string) int64 {
	h := fnv.New64a()
	h.Write([]byte("crmlink/matcher/pgdir\x00"))
	h.Write([]byte(schema))
	return int64(h.Sum64())
}

// migrate brings schema up to SchemaVersion in one transaction under a
// transaction-scoped advisory lock, so that replicas starting at once apply
// each step once. It is idempotent.
func migrate(ctx context.Context, pool *pgxpool.Pool, schema string) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	if len(ms) != SchemaVersion {
		return fmt.Errorf("pgdir: %d embedded migrations, want %d", len(ms), SchemaVersion)
	}
	q := pgx.Identifier{schema}.Sanitize()
	tx, err := pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("pgdir: migrate: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // no-op after Commit

	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", lockKey(schema)); err != nil {
		return fmt.Errorf("pgdir: migrate: lock: %w", err)
	}
	var exists bool
	if err := tx.QueryRow(ctx,
		"SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1)", schema,
	).Scan(&exists); err != nil {
		return fmt.Errorf("pgdir: migrate: %w", err)
	}
	if !exists {
		if _, err := tx.Exec(ctx, "CREATE SCHEMA "+q); err != nil {
			return fmt.Errorf("pgdir: migrate: create schema: %w", err)
		}
	}
	// The table is named for this package: a schema shared with
	// override/pgstore keeps both version histories apart.
	var table *string
	if err := tx.QueryRow(ctx, "SELECT to_regclass($1)::text", q+".pgdir_schema_version").Scan(&table); err != nil {
		return fmt.Errorf("pgdir: migrate: %w", err)
	}
	if table == nil {
		if _, err := tx.Exec(ctx, "CREATE TABLE "+q+`.pgdir_schema_version (
	version    integer PRIMARY KEY,
	applied_at timestamptz NOT NULL DEFAULT now()
)`); err != nil {
			return fmt.Errorf("pgdir: migrate: schema version table: %w", err)
		}
	}
	var current int
	if err := tx.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM "+q+".pgdir_schema_version").Scan(&current); err != nil {
		return fmt.Errorf("pgdir: migrate: read version: %w", err)
	}
	if current > SchemaVersion {
		return fmt.Errorf("pgdir: schema %s has version %d, this package knows %d: %w",
			q, current, SchemaVersion, ErrSchemaVersion)
	}
	for _, m := range ms[current:] {
		if _, err := tx.Exec(ctx, strings.ReplaceAll(m.sql, "{{schema}}", q)); err != nil {
			return fmt.Errorf("pgdir: migrate: %s: %w", m.name, err)
		}
		if _, err := tx.Exec(ctx, "INSERT INTO "+q+".pgdir_schema_version (version) VALUES ($1)", m.version); err != nil {
			return fmt.Errorf("pgdir: migrate: %s: record version: %w", m.name, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("pgdir: migrate: commit: %w", err)
	}
	return nil
}
