// Package testenv gives tests the real services they need, or a clear skip.
//
// Tests that need PostgreSQL call [PostgresDSN]. It reads the DSN from the
// CRMLINK_TEST_POSTGRES environment variable. When the variable is unset the
// test is skipped with a message saying how to enable it; under CI=true an
// unset variable or an unreachable server fails the test instead, so that a
// green CI run really exercised PostgreSQL.
package testenv

import (
	"context"
	"net"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
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
