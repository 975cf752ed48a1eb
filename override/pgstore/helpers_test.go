package pgstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
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
	dsn = testenv.PostgresDSN(tb)
	var b [8]byte
	_, _ = rand.Read(b[:])
	schema = "pgstore_test_" + hex.EncodeToString(b[:])
	tb.Cleanup(func() {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return dsn, schema
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
