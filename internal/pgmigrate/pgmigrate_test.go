package pgmigrate

import (
	"errors"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/internal/testenv"
)

var errNewer = errors.New("test: newer schema")

// files returns an FS holding the named migrations in Dir.
func files(nameSQL ...string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for i := 0; i < len(nameSQL); i += 2 {
		fsys[Dir+"/"+nameSQL[i]] = &fstest.MapFile{Data: []byte(nameSQL[i+1])}
	}
	return fsys
}

func config(fsys fstest.MapFS, version int) Config {
	return Config{Name: "test", FS: fsys, Table: "test_schema_version", LockNamespace: "crmlink/internal/pgmigrate/test",
		Version: version, ErrNewer: errNewer}
}

// twoSteps creates a table, then adds a column: neither statement can run twice.
var twoSteps = files(
	"0002_more.sql", "ALTER TABLE {{schema}}.t ADD COLUMN b text",
	"0001_init.sql", "CREATE TABLE {{schema}}.t (a int PRIMARY KEY)",
)

// TestBadFiles checks the checks made before any connection is used.
func TestBadFiles(t *testing.T) {
	tests := []struct {
		name    string
		fsys    fstest.MapFS
		version int
		want    string
	}{
		{"no number", files("init.sql", ""), 1, `test: bad migration file name "init.sql"`},
		{"zero", files("0000_init.sql", ""), 1, `test: bad migration file name "0000_init.sql"`},
		{"gap", files("0001_a.sql", "", "0003_c.sql", ""), 2, "test: migration 0003_c.sql: version 3, want 2"},
		{"fewer than the version", twoSteps, 3, "test: 2 embedded migrations, want 3"},
		{"more than the version", twoSteps, 1, "test: 2 embedded migrations, want 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := New(config(tc.fsys, tc.version)).Migrate(t.Context(), nil, "unused")
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

// TestLockKeys pins the advisory lock keys of the packages' namespaces: a replica running a
// release from before this package must wait for the same lock as one running this one.
func TestLockKeys(t *testing.T) {
	for _, tc := range []struct {
		namespace, schema string
		want              int64
	}{
		{"crmlink/matcher/pgdir", "crmlink", -5459485537254344243},
		{"crmlink/matcher/pgdir", "Other Schema", 7287873943039887990},
		{"crmlink/override/pgstore", "crmlink", -496162522403595655},
		{"crmlink/override/pgstore", "Other Schema", 4416501236885763178},
	} {
		m := New(Config{LockNamespace: tc.namespace})
		assert.Equal(t, tc.want, m.lockKey(tc.schema), "%s %s", tc.namespace, tc.schema)
	}
}

// freshSchema returns a pool and a schema name no other test uses, dropped when the test ends.
func freshSchema(t *testing.T) (*pgxpool.Pool, string) {
	t.Helper()
	dsn, schema := testenv.PostgresSchema(t, "pgmigrate_test_")
	pool, err := pgxpool.New(t.Context(), dsn)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	return pool, schema
}

// versions returns the versions recorded in table.
func versions(t *testing.T, pool *pgxpool.Pool, schema, table string) []int {
	t.Helper()
	rows, err := pool.Query(t.Context(), "SELECT version FROM "+pgx.Identifier{schema, table}.Sanitize()+" ORDER BY version")
	require.NoError(t, err)
	vs, err := pgx.CollectRows(rows, pgx.RowTo[int])
	require.NoError(t, err)
	return vs
}

func TestMigrate(t *testing.T) {
	pool, schema := freshSchema(t)
	ctx := t.Context()
	one := New(config(files("0001_init.sql", "CREATE TABLE {{schema}}.t (a int PRIMARY KEY)"), 1))
	require.NoError(t, one.Migrate(ctx, pool, schema), "creates the schema")
	assert.Equal(t, []int{1}, versions(t, pool, schema, "test_schema_version"))
	require.NoError(t, one.Migrate(ctx, pool, schema), "again: nothing to do")

	two := New(config(twoSteps, 2))
	require.NoError(t, two.Migrate(ctx, pool, schema), "applies step 2 only")
	assert.Equal(t, []int{1, 2}, versions(t, pool, schema, "test_schema_version"))
	_, err := pool.Exec(ctx, "INSERT INTO "+pgx.Identifier{schema}.Sanitize()+".t (a, b) VALUES (1, 'x')")
	require.NoError(t, err, "both steps applied")

	err = one.Migrate(ctx, pool, schema)
	require.ErrorIs(t, err, errNewer)
	assert.Equal(t, `test: schema "`+schema+`" has version 2, this package knows 1: test: newer schema`, err.Error())
}

// TestMigrateSharedSchema checks that two packages' migrations in one schema keep their
// version histories apart.
func TestMigrateSharedSchema(t *testing.T) {
	pool, schema := freshSchema(t)
	ctx := t.Context()
	a := New(config(twoSteps, 2))
	c := config(files("0001_other.sql", "CREATE TABLE {{schema}}.u (a int)"), 1)
	c.Table, c.LockNamespace = "other_schema_version", "crmlink/internal/pgmigrate/other"
	require.NoError(t, a.Migrate(ctx, pool, schema))
	require.NoError(t, New(c).Migrate(ctx, pool, schema))
	assert.Equal(t, []int{1, 2}, versions(t, pool, schema, "test_schema_version"))
	assert.Equal(t, []int{1}, versions(t, pool, schema, "other_schema_version"))
}

// TestMigrateAllOrNothing checks that a failing step leaves nothing behind: not the schema,
// nor the steps before it.
func TestMigrateAllOrNothing(t *testing.T) {
	pool, schema := freshSchema(t)
	bad := files("0001_init.sql", "CREATE TABLE {{schema}}.t (a int)", "0002_bad.sql", "ALTER TABLE {{schema}}.missing ADD COLUMN b text")
	err := New(config(bad, 2)).Migrate(t.Context(), pool, schema)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "test: migrate: 0002_bad.sql: ")
	var exists bool
	require.NoError(t, pool.QueryRow(t.Context(),
		"SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1)", schema).Scan(&exists))
	assert.False(t, exists, "the schema was rolled back")
}

// TestMigrateConcurrent checks that replicas migrating at once apply each step once: the
// steps cannot run twice, and the version table's primary key refuses a version twice.
func TestMigrateConcurrent(t *testing.T) {
	pool, schema := freshSchema(t)
	const n = 6
	var wg sync.WaitGroup
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = New(config(twoSteps, 2)).Migrate(t.Context(), pool, schema)
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err, "replica %d", i)
	}
	assert.Equal(t, []int{1, 2}, versions(t, pool, schema, "test_schema_version"))
}
