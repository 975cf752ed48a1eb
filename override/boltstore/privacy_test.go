package boltstore

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"

	"github.com/crmlink/crmlink/override"
)

// TestPrivacyFileHoldsOnlyIDs writes mappings whose IDs are known, then shows
// from the file that nothing but IDs, kinds, sources and times is stored:
// every key and value decodes to a mapping and re-encodes to the same bytes
// (no room for anything else), and every printable run in the raw file bytes
// (free pages included) is part of a known ID or of the layout's names.
func TestPrivacyFileHoldsOnlyIDs(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "overrides.db")
	s, err := Open(path)
	require.NoError(t, err)
	at := time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)
	known := []string{string(metaBucket), string(schemaKey), string(orgsBucket), string(checkpointBucket)}
	var written []override.Mapping
	for o := range 3 {
		org := fmt.Sprintf("00D5e00000ORG%03dEAA", o)
		known = append(known, org)
		var batch []override.Mapping
		for i := range 400 {
			obj := override.Objects()[i%4]
			kind := override.Member
			if obj == override.Account || obj == override.Opportunity {
				kind = override.Company
			}
			m := override.Mapping{
				Record:    override.RecordRef{Org: org, Object: obj, ID: fmt.Sprintf("0035e00000REC%05dQAA", i)},
				Entity:    override.EntityRef{Kind: kind, ID: fmt.Sprintf("urn:li:%s:ENT%06d", kind, i*7)},
				Source:    override.Sources()[i%2],
				Rejected:  i%9 == 0,
				UpdatedAt: at.Add(time.Duration(i) * time.Second),
				UpdatedBy: fmt.Sprintf("0055e00000USR%03dIAA", i%5),
			}
			known = append(known, m.Record.ID, m.Entity.ID, m.UpdatedBy)
			batch = append(batch, m)
		}
		require.NoError(t, s.PutBatch(ctx, batch))
		written = append(written, batch...)
		// A sync checkpoint of each object: IDs and times.
		for i, obj := range []override.Object{override.Account, override.Contact, override.Lead} {
			cp := override.Checkpoint{Org: org, Object: obj, Run: at, Since: at.Add(-time.Hour), After: batch[i].Record.ID, Done: i == 0}
			require.NoError(t, s.PutCheckpoint(ctx, cp))
		}
	}
	// Deletes and a purge leave freed pages behind; they are scanned too.
	_, err = s.Purge(ctx, "00D5e00000ORG001EAA")
	require.NoError(t, err)
	require.NoError(t, s.Delete(ctx, written[1].Record, written[1].Source))
	require.NoError(t, s.Close())

	stored := 0
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	require.NoError(t, err)
	require.NoError(t, db.View(func(tx *bolt.Tx) error {
		var roots []string
		require.NoError(t, tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
			roots = append(roots, string(name))
			return nil
		}))
		assert.ElementsMatch(t, []string{string(metaBucket), string(orgsBucket), string(checkpointBucket)}, roots, "root buckets")
		checkpoints := 0
		require.NoError(t, tx.Bucket(checkpointBucket).ForEachBucket(func(orgKey []byte) error {
			return tx.Bucket(checkpointBucket).Bucket(orgKey).ForEach(func(k, v []byte) error {
				require.Len(t, k, 1, "checkpoint key: an object code")
				obj, ok := objOf(k[0])
				require.True(t, ok, "checkpoint key: an object code")
				c, err := decodeCheckpoint(string(orgKey), obj, v)
				require.NoError(t, err, "every checkpoint decodes")
				assert.Equal(t, v, encodeCheckpoint(c), "checkpoint re-encodes to the same bytes")
				assert.Contains(t, known, c.After, "a checkpoint holds a known record ID")
				checkpoints++
				return nil
			})
		}))
		assert.Equal(t, 2*3, checkpoints, "checkpoints of the orgs not purged")
		require.NoError(t, tx.Bucket(metaBucket).ForEach(func(k, v []byte) error {
			assert.Equal(t, schemaKey, k, "meta key")
			assert.Len(t, v, 4, "schema value")
			return nil
		}))
		return tx.Bucket(orgsBucket).ForEachBucket(func(orgKey []byte) error {
			org := string(orgKey)
			ob := tx.Bucket(orgsBucket).Bucket(orgKey)
			return ob.ForEach(func(k, v []byte) error {
				switch string(k) {
				case string(countKey):
					assert.Len(t, v, 8, "count value")
				case string(mapBucket):
					require.Nil(t, v)
					return ob.Bucket(k).ForEach(func(k, v []byte) error {
						m, err := decodeMapping(org, k, v)
						require.NoError(t, err, "every mapping key and value decodes")
						assert.Equal(t, k, mappingKey(nil, m), "key re-encodes to the same bytes")
						assert.Equal(t, v, mappingValue(nil, m), "value re-encodes to the same bytes")
						assert.True(t, slices.ContainsFunc(written, func(w override.Mapping) bool {
							return w.Record == m.Record && w.Entity == m.Entity && w.Source == m.Source &&
								w.Rejected == m.Rejected && w.UpdatedBy == m.UpdatedBy && w.UpdatedAt.Equal(m.UpdatedAt)
						}), "stored mapping %v was written", m.Record)
						stored++
						return nil
					})
				case string(indexBucket):
					require.Nil(t, v)
					return ob.Bucket(k).ForEach(func(k, v []byte) error {
						e, r, src, err := decodeIndexKey(org, k)
						require.NoError(t, err, "every index key decodes")
						assert.Empty(t, v, "index values are empty")
						assert.Equal(t, k, indexKey(nil, override.Mapping{Record: r, Entity: e, Source: src}), "index key re-encodes")
						return nil
					})
				default:
					t.Errorf("unexpected key of %d bytes in an org bucket", len(k))
				}
				return nil
			})
		})
	}))
	require.NoError(t, db.Close())
	assert.Equal(t, 2*400-1, stored, "mappings in the file")

	// Blank out every known ID, longest first; no text of 10 or more
	// characters may remain anywhere in the file. (Binary fields next to an ID,
	// such as a time, are bounded by zero bytes and shorter than that.)
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	slices.SortFunc(known, func(a, b string) int { return len(b) - len(a) })
	for _, id := range known {
		raw = bytes.ReplaceAll(raw, []byte(id), make([]byte, len(id)))
	}
	assert.Empty(t, printableRuns(raw, 10), "text in the file that is no known ID")
}

// printableRuns returns the runs of at least min printable ASCII bytes in b.
func printableRuns(b []byte, min int) []string {
	var runs []string
	start := -1
	for i := 0; i <= len(b); i++ {
		if i < len(b) && b[i] >= 0x20 && b[i] < 0x7f {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && i-start >= min {
			runs = append(runs, string(bytes.Clone(b[start:i])))
		}
		start = -1
	}
	return runs
}

// TestPrivacyCompactDropsPurged shows what Purge leaves in free pages of the
// file, and that CompactTo writes a copy without it.
func TestPrivacyCompactDropsPurged(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	path := filepath.Join(dir, "overrides.db")
	s, err := Open(path)
	require.NoError(t, err)
	const gone, kept = "0035e00000PURGEDQAA", "0035e00000KEPT0QAA"
	var ms []override.Mapping
	for i := range 300 {
		ms = append(ms, override.Mapping{
			Record: override.RecordRef{Org: "org-purged", Object: override.Contact, ID: fmt.Sprintf("%s%03d", gone, i)},
			Entity: override.EntityRef{Kind: override.Member, ID: "m"}, Source: override.Sync,
		})
	}
	require.NoError(t, s.PutBatch(ctx, ms))
	require.NoError(t, s.Put(ctx, override.Mapping{
		Record: override.RecordRef{Org: "org-kept", Object: override.Contact, ID: kept},
		Entity: override.EntityRef{Kind: override.Member, ID: "m"}, Source: override.Sync,
	}))
	n, err := s.Purge(ctx, "org-purged")
	require.NoError(t, err)
	require.Equal(t, 300, n)

	compacted := filepath.Join(dir, "compacted.db")
	d := s.Driver().(*Driver)
	require.NoError(t, d.CompactTo(ctx, compacted))
	require.Error(t, d.CompactTo(ctx, compacted), "CompactTo over an existing file")
	require.NoError(t, s.Close())

	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.False(t, bytes.Contains(raw, []byte(gone)), "Purge left a purged ID in the file's free pages")
	assert.True(t, bytes.Contains(raw, []byte(kept)), "the original file lost a kept ID")
	raw, err = os.ReadFile(compacted)
	require.NoError(t, err)
	assert.False(t, bytes.Contains(raw, []byte(gone)), "compacted file holds a purged ID")
	assert.True(t, bytes.Contains(raw, []byte(kept)), "compacted file lost a kept ID")

	c, err := Open(compacted)
	require.NoError(t, err)
	defer c.Close()
	got, ok, err := c.Get(ctx, override.RecordRef{Org: "org-kept", Object: override.Contact, ID: kept})
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, "m", got.Entity.ID)
	n, err = c.Count(ctx, "org-purged")
	require.NoError(t, err)
	assert.Zero(t, n)
}
