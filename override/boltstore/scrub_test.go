package boltstore

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/override"
)

// TestPurgeScrubsFile purges a large org next to a kept one and counts the
// purged record IDs left in the raw bytes of the file: after the delete alone
// (what Purge did before it scrubbed) and after the scrub. The kept org must
// stay whole and readable.
func TestPurgeScrubsFile(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "overrides.db")
	d, err := OpenDriver(path)
	require.NoError(t, err)
	s := override.New(d)
	t.Cleanup(func() { _ = s.Close() })
	const purgedTag, keptTag = "PURGEDREC", "KEPTREC"
	n := 20000
	if testing.Short() {
		n = 2000
	}
	var ms []override.Mapping
	for i := range n {
		r := override.RecordRef{Org: "00DPURGE", Object: override.Objects()[i%4], ID: fmt.Sprintf("%s%08d", purgedTag, i)}
		kind := override.Company
		if r.Object == override.Contact || r.Object == override.Lead {
			kind = override.Member
		}
		ms = append(ms, override.Mapping{Record: r, Entity: override.EntityRef{Kind: kind, ID: fmt.Sprintf("E%08d", i)}, Source: override.Sync})
		if i%3 == 0 {
			ms = append(ms, override.Mapping{Record: r, Entity: override.EntityRef{Kind: kind, ID: fmt.Sprintf("E%08d", i+1)}, Source: override.Manual, UpdatedBy: "005U"})
		}
		if i%7 == 0 {
			ms = append(ms, override.Mapping{Record: r, Entity: override.EntityRef{Kind: kind, ID: fmt.Sprintf("R%08d", i)}, Source: override.Manual, Rejected: true})
		}
		if i%10 == 0 {
			kr := override.RecordRef{Org: "00DKEEP", Object: override.Account, ID: fmt.Sprintf("%s%08d", keptTag, i)}
			ms = append(ms, override.Mapping{Record: kr, Entity: override.EntityRef{Kind: override.Company, ID: "C"}, Source: override.Sync})
		}
	}
	for b := 0; b < len(ms); b += 5000 {
		require.NoError(t, s.PutBatch(ctx, ms[b:min(b+5000, len(ms))]))
	}
	count := func(tag string) int {
		raw, err := os.ReadFile(path)
		require.NoError(t, err)
		return bytes.Count(raw, []byte(tag))
	}
	before := count(purgedTag)
	start := time.Now()
	removed, err := d.purge(ctx, "00DPURGE")
	require.NoError(t, err)
	purgeTook := time.Since(start)
	require.Equal(t, len(ms)-n/10, removed)
	afterDelete := count(purgedTag)
	start = time.Now()
	require.NoError(t, d.Scrub(ctx))
	scrubTook := time.Since(start)
	afterScrub := count(purgedTag)
	fi, err := os.Stat(path)
	require.NoError(t, err)
	t.Logf("%d mappings purged: purged IDs in the file %d before, %d after the delete (%v), %d after the scrub (%v); file %d KiB, %d free pages",
		removed, before, afterDelete, purgeTook, afterScrub, scrubTook, fi.Size()>>10, d.db.Stats().FreePageN)
	assert.Zero(t, afterScrub, "purged record IDs left in the file")
	assert.GreaterOrEqual(t, count(keptTag), n/10, "kept record IDs in the file")
	kc, err := s.Count(ctx, "00DKEEP")
	require.NoError(t, err)
	assert.Equal(t, n/10, kc)
	_, ok, err := s.Get(ctx, override.RecordRef{Org: "00DKEEP", Object: override.Account, ID: keptTag + "00000010"})
	require.NoError(t, err)
	assert.True(t, ok)

	// Purge again: nothing left, nothing removed, the scrub finds nothing.
	removed, err = s.Purge(ctx, "00DPURGE")
	require.NoError(t, err)
	assert.Zero(t, removed)
	require.NoError(t, s.Close())
	db, err := Open(path)
	require.NoError(t, err)
	defer db.Close()
	kc, err = db.Count(ctx, "00DKEEP")
	require.NoError(t, err)
	assert.Equal(t, n/10, kc, "kept org after reopen")
}
