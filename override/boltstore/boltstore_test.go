package boltstore_test

import (
	"crypto/rand"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"

	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/override/boltstore"
)

var testMapping = override.Mapping{
	Record: override.RecordRef{Org: "00D000000000001", Object: override.Contact, ID: "003000000000001"},
	Entity: override.EntityRef{Kind: override.Member, ID: "m-1"},
	Source: override.Manual,
}

func newFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "overrides.db")
	s, err := boltstore.Open(path)
	require.NoError(t, err)
	require.NoError(t, s.Put(t.Context(), testMapping))
	require.NoError(t, s.Close())
	return path
}

func TestOpenLocked(t *testing.T) {
	path := newFile(t)
	s, err := boltstore.Open(path)
	require.NoError(t, err)

	start := time.Now()
	_, err = boltstore.Open(path, boltstore.WithLockTimeout(100*time.Millisecond))
	require.ErrorIs(t, err, override.ErrLocked)
	assert.Less(t, time.Since(start), 5*time.Second, "Open waited far longer than its lock timeout")
	_, err = boltstore.Open(path, boltstore.WithLockTimeout(0))
	require.ErrorIs(t, err, override.ErrLocked, "no wait")

	require.NoError(t, s.Close())
	s, err = boltstore.Open(path, boltstore.WithLockTimeout(100*time.Millisecond))
	require.NoError(t, err, "Open after the holder closed")
	require.NoError(t, s.Close())
}

func TestOpenBadFiles(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, path string)
		want  error
	}{
		{"random bytes", func(t *testing.T, path string) {
			b := make([]byte, 64<<10)
			_, _ = rand.Read(b)
			require.NoError(t, os.WriteFile(path, b, 0o600))
		}, override.ErrCorrupt},
		{"text file", func(t *testing.T, path string) {
			require.NoError(t, os.WriteFile(path, []byte("not a database\n"), 0o600))
		}, override.ErrCorrupt},
		{"truncated store", func(t *testing.T, path string) {
			b, err := os.ReadFile(newFile(t))
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(path, b[:1000], 0o600))
		}, override.ErrCorrupt},
		{"bbolt file of another program", func(t *testing.T, path string) {
			db, err := bolt.Open(path, 0o600, nil)
			require.NoError(t, err)
			require.NoError(t, db.Update(func(tx *bolt.Tx) error {
				_, err := tx.CreateBucket([]byte("sessions"))
				return err
			}))
			require.NoError(t, db.Close())
		}, override.ErrCorrupt},
		{"newer schema", func(t *testing.T, path string) {
			setSchema(t, path, newFile(t), boltstore.SchemaVersion+1)
		}, override.ErrSchemaVersion},
		{"schema zero", func(t *testing.T, path string) {
			setSchema(t, path, newFile(t), 0)
		}, override.ErrCorrupt},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bad.db")
			tc.setup(t, path)
			s, err := boltstore.Open(path, boltstore.WithLockTimeout(time.Second))
			if err == nil {
				_ = s.Close()
			}
			require.ErrorIs(t, err, tc.want)
			// The file is not locked afterwards: a later Open gets the same answer.
			_, err = boltstore.Open(path, boltstore.WithLockTimeout(0))
			require.ErrorIs(t, err, tc.want, "second Open")
		})
	}
}

func TestOpenMissingDir(t *testing.T) {
	_, err := boltstore.Open(filepath.Join(t.TempDir(), "no", "such", "dir", "x.db"))
	require.Error(t, err)
	assert.ErrorIs(t, err, os.ErrNotExist)
	assert.NotErrorIs(t, err, override.ErrCorrupt)
}

// setSchema copies the store at from to path with its schema version set to v.
func setSchema(t *testing.T, path, from string, v uint32) {
	t.Helper()
	b, err := os.ReadFile(from)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, b, 0o600))
	db, err := bolt.Open(path, 0o600, nil)
	require.NoError(t, err)
	require.NoError(t, db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("crmlink.override")).Put([]byte("schema"), binary.BigEndian.AppendUint32(nil, v))
	}))
	require.NoError(t, db.Close())
}

func TestCorruptValue(t *testing.T) {
	path := newFile(t)
	db, err := bolt.Open(path, 0o600, nil)
	require.NoError(t, err)
	require.NoError(t, db.Update(func(tx *bolt.Tx) error {
		mb := tx.Bucket([]byte("orgs")).Bucket([]byte(testMapping.Record.Org)).Bucket([]byte("m"))
		c := mb.Cursor()
		k, _ := c.First()
		return mb.Put(append([]byte(nil), k...), []byte{0xff, 0x01})
	}))
	require.NoError(t, db.Close())

	s, err := boltstore.Open(path)
	require.NoError(t, err)
	defer s.Close()
	_, _, err = s.Get(t.Context(), testMapping.Record)
	require.ErrorIs(t, err, override.ErrCorrupt)
	for _, err := range s.Mappings(t.Context(), testMapping.Record.Org) {
		require.ErrorIs(t, err, override.ErrCorrupt)
	}
	// Other orgs are unaffected and the bad org can still be purged.
	other := testMapping
	other.Record.Org = "other"
	require.NoError(t, s.Put(t.Context(), other))
	n, err := s.Purge(t.Context(), testMapping.Record.Org)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
}

func TestOptions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "o.db")
	s, err := boltstore.Open(path, boltstore.WithFileMode(0o600), boltstore.WithNoSync(), boltstore.WithLockTimeout(time.Second))
	require.NoError(t, err)
	require.NoError(t, s.Put(t.Context(), testMapping))
	db, ok := boltstore.DB(s)
	require.True(t, ok, "boltstore.DB of a bolt store")
	assert.NotNil(t, db)
	_, ok = boltstore.DB(override.NewMemory())
	assert.False(t, ok, "boltstore.DB of a memory store")
	require.NoError(t, s.Close())
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	require.NoError(t, s.Close(), "second Close")
}
