// Package testenv gives tests the real services they need, or a clear skip.
//
// Tests that need PostgreSQL call [PostgresDSN]. It reads the DSN from the
// CRMLINK_TEST_POSTGRES environment variable. When the variable is unset the
// test is skipped with a message saying how to enable it; under CI=true an
// unset variable or an unreachable server fails the test instead, so that a
// green CI run really exercised PostgreSQL. Tests of many packages share that
// database, so a test that writes to it takes a schema of its own from
// [PostgresSchema].
package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// PostgresEnv is the environment variable that holds the test PostgreSQL DSN.
const PostgresEnv = "CRMLINK_TEST_POSTGRES"

// InCI reports whether the tests run under continuous integration (CI=true).
func InCI() bool {
	v := strings.ToLower(os.Getenv("CI"))
	return v == "true" || v == "1"
}

// PostgresDSN returns the DSN of the test PostgreSQL server. It skips the test
// when CRMLINK_TEST_POSTGRES is unset (and fails it under CI), and fails the test
// when the variable is set but the server does not accept TCP connections.
func PostgresDSN(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv(PostgresEnv)
	if dsn == "" {
		if InCI() {
			tb.Fatalf("%s is not set but CI=true: PostgreSQL tests must run in CI", PostgresEnv)
		}
		tb.Skipf("PostgreSQL tests skipped: set %s, e.g. %s=postgres://postgres@127.0.0.1:5432/test?sslmode=disable",
			PostgresEnv, PostgresEnv)
	}
	if err := dial(tb.Context(), dsn); err != nil {
		tb.Fatalf("%s is set but PostgreSQL is unreachable: %v", PostgresEnv, err)
	}
	return dsn
}

// PostgresSchema returns the DSN of [PostgresDSN] and the name of a schema no
// other test uses: prefix followed by 16 random hex digits. The schema is
// dropped, with everything in it, when the test ends.
func PostgresSchema(tb testing.TB, prefix string) (dsn, schema string) {
	tb.Helper()
	dsn = PostgresDSN(tb)
	var b [8]byte
	_, _ = rand.Read(b[:])
	schema = prefix + hex.EncodeToString(b[:])
	DropSchemaAtCleanup(tb, dsn, schema)
	return dsn, schema
}

// DropSchemaAtCleanup drops schema, if it exists, with everything in it when
// the test ends, and reports a failure to drop it as a test error. Cleanups
// run last registered first: register it before opening what uses the schema,
// so that what was opened is closed before the drop.
func DropSchemaAtCleanup(tb testing.TB, dsn, schema string) {
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
}

// dial checks that the host of a URL-form DSN accepts TCP connections. Key/value
// DSNs are left to the driver, which reports its own error.
func dial(ctx context.Context, dsn string) error {
	u, err := url.Parse(dsn)
	if err != nil || u.Host == "" {
		return nil
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "5432")
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		return err
	}
	return c.Close()
}
