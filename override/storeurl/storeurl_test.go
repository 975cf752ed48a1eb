package storeurl_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/internal/testenv"
	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/override/boltstore"
	"github.com/crmlink/crmlink/override/pgstore"
	"github.com/crmlink/crmlink/override/storeurl"
)

var m1 = override.Mapping{
	Record: override.RecordRef{Org: "00D1", Object: override.Lead, ID: "00Q1"},
	Entity: override.EntityRef{Kind: override.Member, ID: "m1"},
	Source: override.Manual,
}

// roundTrip checks s works: a Put is read back.
func roundTrip(t *testing.T, s override.Store) {
	t.Helper()
	require.NoError(t, s.Put(t.Context(), m1))
	got, ok, err := s.Get(t.Context(), m1.Record)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, m1.Entity, got.Entity)
}

func TestOpenMem(t *testing.T) {
	for _, u := range []string{"mem:", "mem://", "MEM:"} {
		t.Run(u, func(t *testing.T) {
			s, err := storeurl.Open(t.Context(), u)
			require.NoError(t, err)
			defer s.Close()
			assert.IsType(t, &override.Memory{}, s)
			roundTrip(t, s)
		})
	}
}

func TestOpenBolt(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "over rides.db")
	u := "bolt://" + strings.ReplaceAll(path, " ", "%20")
	s, err := storeurl.Open(t.Context(), u)
	require.NoError(t, err)
	assert.IsType(t, &boltstore.Store{}, s)
	roundTrip(t, s)

	_, err = storeurl.Open(t.Context(), u+"?lock_timeout=10ms")
	require.ErrorIs(t, err, override.ErrLocked, "second open of a held file")
	require.NoError(t, s.Close())

	s, err = storeurl.Open(t.Context(), u+"?lock_timeout=10ms")
	require.NoError(t, err)
	defer s.Close()
	n, err := s.Count(t.Context(), m1.Record.Org)
	require.NoError(t, err)
	assert.Equal(t, 1, n, "bolt store reopened by URL keeps its data")
}

func TestOpenBadURL(t *testing.T) {
	const pw = "s3cr3t-Pa55"
	tests := []struct {
		name, url string
	}{
		{"empty", ""},
		{"no scheme", "/tmp/x.db"},
		{"unknown scheme", "redis://u:" + pw + "@h/0"},
		{"mem with path", "mem:/tmp/x"},
		{"bolt relative", "bolt:relative.db"},
		{"bolt two slashes", "bolt://tmp/x.db"},
		{"bolt no path", "bolt://"},
		{"bolt directory", "bolt:///tmp/"},
		{"bolt user", "bolt://u:" + pw + "@/tmp/x.db"},
		{"bolt unknown param", "bolt:///tmp/x.db?nosync=1"},
		{"bolt bad timeout", "bolt:///tmp/x.db?lock_timeout=soon"},
		{"postgres malformed", "postgres://u:" + pw + "@h:port/db"},
		{"postgres bad escape", "postgres://u:" + pw + "%zz@h/db"},
		{"postgres empty schema", "postgres://u:" + pw + "@h/db?crmlink_schema="},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := storeurl.Open(t.Context(), tc.url)
			if s != nil {
				_ = s.Close()
			}
			require.ErrorIs(t, err, override.ErrInvalid)
			var ue *storeurl.URLError
			require.ErrorAs(t, err, &ue)
			assert.NotContains(t, err.Error(), pw, "error echoes the password")
			if tc.url != "" {
				assert.NotContains(t, err.Error(), tc.url, "error echoes the URL")
			}
		})
	}
}

func TestOpenCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := storeurl.Open(ctx, "mem:")
	require.ErrorIs(t, err, context.Canceled)
}

func TestOpenPostgresUnreachableRedacts(t *testing.T) {
	const pw = "Sup3r:s3cr3t/pw"
	ctx, cancel := context.WithTimeout(t.Context(), 5e9)
	defer cancel()
	// Port 1 on loopback refuses connections at once.
	u := "postgres://crm:" + strings.ReplaceAll(strings.ReplaceAll(pw, ":", "%3A"), "/", "%2F") + "@127.0.0.1:1/db?connect_timeout=2"
	s, err := storeurl.Open(ctx, u)
	if s != nil {
		_ = s.Close()
	}
	require.Error(t, err)
	assert.NotContains(t, err.Error(), pw)
	assert.NotContains(t, err.Error(), "Sup3r")
}

func TestOpenPostgres(t *testing.T) {
	dsn := testenv.PostgresDSN(t)
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		if testenv.InCI() {
			t.Fatalf("%s is not a postgres:// URL but CI=true: this test must run in CI", testenv.PostgresEnv)
		}
		t.Skipf("%s is not a postgres:// URL", testenv.PostgresEnv)
	}
	schema := fmt.Sprintf("storeurl_test_%016x", rand.Uint64())
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	for _, scheme := range []string{"postgres", "postgresql"} {
		t.Run(scheme, func(t *testing.T) {
			u := scheme + strings.TrimPrefix(strings.TrimPrefix(dsn, "postgresql"), "postgres") + sep + storeurl.SchemaParam + "=" + schema
			s, err := storeurl.Open(t.Context(), u)
			require.NoError(t, err)
			defer s.Close()
			ps, ok := s.(*pgstore.Store)
			require.True(t, ok, "Open(postgres URL) = %T, want *pgstore.Store", s)
			assert.Equal(t, schema, ps.Schema())
			defer func() { // runs before Close
				_, err := ps.Pool().Exec(context.Background(), `DROP SCHEMA IF EXISTS "`+schema+`" CASCADE`)
				assert.NoError(t, err)
			}()
			roundTrip(t, s)
		})
	}
}
