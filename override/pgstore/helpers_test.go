package pgstore_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/internal/testenv"
	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/override/pgstore"
)

// freshSchema returns the test DSN and the name of a schema no other test uses;
// the schema is dropped when the test ends. Tests of other packages share the
// database, so everything a test writes lives in its own schema.
func freshSchema(tb testing.TB) (dsn, schema string) {
	tb.Helper()
	return testenv.PostgresSchema(tb, "pgstore_test_")
}

// connect opens a plain connection for inspecting the database behind a store.
func connect(tb testing.TB, dsn string) *pgx.Conn {
	tb.Helper()
	conn, err := pgx.Connect(tb.Context(), dsn)
	require.NoError(tb, err)
	tb.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// drv returns the PostgreSQL driver under s.
func drv(s *override.Store) *pgstore.Driver { return s.Driver().(*pgstore.Driver) }
