package override_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/internal/testenv"
	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/override/boltstore"
	"github.com/crmlink/crmlink/override/pgstore"
)

var m1 = override.Mapping{
	Record: override.RecordRef{Org: "00D1", Object: override.Lead, ID: "00Q1"},
	Entity: override.EntityRef{Kind: override.Member, ID: "m1"},
	Source: override.Manual,
}

// registry returns a registry of every driver, as a program linking all of them fills it.
func registry() *override.Registry {
	var reg override.Registry
	reg.Register("mem", override.OpenMemory)
	reg.Register("bolt", boltstore.OpenURL)
	reg.Register("postgres", pgstore.OpenURL)
	reg.Register("PostgreSQL", pgstore.OpenURL)
	return &reg
}

// roundTrip checks s works: a Put is read back.
func roundTrip(t *testing.T, s *override.Store) {
	t.Helper()
	require.NoError(t, s.Put(t.Context(), m1))
	got, ok, err := s.Get(t.Context(), m1.Record)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, m1.Entity, got.Entity)
}

func TestRegistryRegister(t *testing.T) {
	reg := registry()
	assert.Equal(t, []string{"bolt", "mem", "postgres", "postgresql"}, reg.Schemes())
	assert.Panics(t, func() { reg.Register("MEM", override.OpenMemory) }, "a scheme registered twice")
	assert.Panics(t, func() { reg.Register("", override.OpenMemory) }, "an empty scheme")
	assert.Panics(t, func() { reg.Register("x", nil) }, "a nil opener")

	var empty override.Registry
	_, err := empty.Open(t.Context(), "mem:")
	require.ErrorIs(t, err, override.ErrInvalid)
	assert.Contains(t, err.Error(), "no driver registered", "the zero Registry knows no scheme")
}

// TestRegistryOpener shows that the registry hands the opener the parsed URL with its
// scheme in lower case, and returns what the opener returns.
func TestRegistryOpener(t *testing.T) {
	var reg override.Registry
	var got *url.URL
	want := override.NewMemory()
	reg.Register("Custom", func(_ context.Context, u *url.URL) (*override.Store, error) {
		got = u
		return want, nil
	})
	s, err := reg.Open(t.Context(), "CUSTOM://host/path?x=1")
	require.NoError(t, err)
	assert.Same(t, want, s)
	require.NotNil(t, got)
	assert.Equal(t, "custom", got.Scheme)
	assert.Equal(t, "host", got.Host)
	assert.Equal(t, "/path", got.Path)
	assert.Equal(t, "1", got.Query().Get("x"))
}

func TestOpenMem(t *testing.T) {
	for _, u := range []string{"mem:", "mem://", "MEM:"} {
		t.Run(u, func(t *testing.T) {
			s, err := registry().Open(t.Context(), u)
			require.NoError(t, err)
			defer s.Close()
			roundTrip(t, s)
		})
	}
}

func TestOpenBolt(t *testing.T) {
	reg := registry()
	path := filepath.Join(t.TempDir(), "over rides.db")
	u := "bolt://" + strings.ReplaceAll(path, " ", "%20")
	s, err := reg.Open(t.Context(), u)
	require.NoError(t, err)
	_, ok := boltstore.DB(s)
	assert.True(t, ok, "a bolt URL opens a boltstore")
	roundTrip(t, s)

	_, err = reg.Open(t.Context(), u+"?lock_timeout=10ms")
	require.ErrorIs(t, err, override.ErrLocked, "second open of a held file")
	require.NoError(t, s.Close())

	s, err = reg.Open(t.Context(), u+"?lock_timeout=10ms")
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
		{"mem with host", "mem://h"},
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
		{"postgres opaque", "postgres:u:" + pw + "@h/db"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := registry().Open(t.Context(), tc.url)
			if s != nil {
				_ = s.Close()
			}
			require.ErrorIs(t, err, override.ErrInvalid)
			var ue *override.URLError
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
	for _, u := range []string{"mem:", "bolt://" + filepath.Join(t.TempDir(), "x.db")} {
		_, err := registry().Open(ctx, u)
		require.ErrorIs(t, err, context.Canceled, "Open(%s) with a canceled ctx", u)
	}
}

func TestOpenPostgresUnreachableRedacts(t *testing.T) {
	const pw = "Sup3r:s3cr3t/pw"
	ctx, cancel := context.WithTimeout(t.Context(), 5e9)
	defer cancel()
	// Port 1 on loopback refuses connections at once.
	u := "postgres://crm:" + strings.ReplaceAll(strings.ReplaceAll(pw, ":", "%3A"), "/", "%2F") + "@127.0.0.1:1/db?connect_timeout=2"
	s, err := registry().Open(ctx, u)
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
	schema := fmt.Sprintf("registry_test_%016x", rand.Uint64())
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	for _, scheme := range []string{"postgres", "postgresql"} {
		t.Run(scheme, func(t *testing.T) {
			u := scheme + strings.TrimPrefix(strings.TrimPrefix(dsn, "postgresql"), "postgres") + sep + pgstore.SchemaParam + "=" + schema
			s, err := registry().Open(t.Context(), u)
			require.NoError(t, err)
			defer s.Close()
			d, ok := s.Driver().(*pgstore.Driver)
			require.True(t, ok, "Open(postgres URL) has driver %T, want *pgstore.Driver", s.Driver())
			assert.Equal(t, schema, d.Schema())
			defer func() { // runs before Close
				_, err := d.Pool().Exec(context.Background(), `DROP SCHEMA IF EXISTS "`+schema+`" CASCADE`)
				assert.NoError(t, err)
			}()
			roundTrip(t, s)
		})
	}
}

// FuzzRegistryOpen checks that opening any URL never panics and that no error repeats the
// password of the URL it was given. postgres and bolt URLs are left out of the fuzzing (they
// would dial or create files); TestOpenBadURL covers their refusals.
func FuzzRegistryOpen(f *testing.F) {
	for _, s := range []string{"mem:", "bolt:///nonexistent-dir/x.db?lock_timeout=1s", "postgres://u:pw@h:port/db",
		"postgresql://u:p%40ss@h:x/db", "bolt://h/x", "postgres://u:secret@h:port/db", "", "x://u:pw@h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if l := strings.ToLower(raw); strings.HasPrefix(l, "postgres") || strings.HasPrefix(l, "bolt") {
			return
		}
		s, err := registry().Open(t.Context(), raw)
		if err == nil {
			_ = s.Close()
			return
		}
		_, rest, ok := strings.Cut(raw, "://")
		if !ok {
			return
		}
		userinfo, _, ok := strings.Cut(rest, "@")
		if !ok {
			return
		}
		_, pw, ok := strings.Cut(userinfo, ":")
		if ok && len(pw) >= 4 && strings.Contains(err.Error(), pw) {
			t.Fatalf("Open error %q echoes the password %q", err, pw)
		}
		if dec, e := url.PathUnescape(pw); e == nil && len(dec) >= 4 && strings.Contains(err.Error(), dec) {
			t.Fatalf("Open error %q echoes the password %q", err, dec)
		}
	})
}
