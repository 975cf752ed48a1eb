package crmlink_test

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/override"
)

// countingDriver is the in-memory driver counting the reads (Load, Scan, the org's state,
// LoadEnabled) and writes (Apply) the flows make of the store. Like the memory, bolt and
// PostgreSQL drivers it has the OrgStater and StateLoader abilities.
type countingDriver struct {
	override.Driver
	loads, scans, states, applies atomic.Int64
}

func (d *countingDriver) OrgDisabled(ctx context.Context, org string) (bool, error) {
	d.states.Add(1)
	return d.Driver.(override.OrgStater).OrgDisabled(ctx, org)
}

func (d *countingDriver) SetOrgDisabled(ctx context.Context, org string, disabled bool) error {
	return d.Driver.(override.OrgStater).SetOrgDisabled(ctx, org, disabled)
}

func (d *countingDriver) LoadEnabled(ctx context.Context, org string, refs []override.RecordRef, dst []override.Record) ([]override.Record, bool, error) {
	d.loads.Add(1)
	return d.Driver.(override.StateLoader).LoadEnabled(ctx, org, refs, dst)
}

func newCountingStore() (*override.Store, *countingDriver) {
	d := &countingDriver{Driver: override.NewMemory().Driver()}
	return override.New(d), d
}

func (d *countingDriver) Load(ctx context.Context, refs []override.RecordRef, dst []override.Record) ([]override.Record, error) {
	d.loads.Add(1)
	return d.Driver.Load(ctx, refs, dst)
}

func (d *countingDriver) Scan(ctx context.Context, org string, after *override.Mapping, limit int, dst []override.Mapping) ([]override.Mapping, error) {
	d.scans.Add(1)
	return d.Driver.Scan(ctx, org, after, limit, dst)
}

func (d *countingDriver) Apply(ctx context.Context, ops []override.Op) error {
	d.applies.Add(1)
	return d.Driver.Apply(ctx, ops)
}

func (d *countingDriver) reads() int64 { return d.loads.Load() + d.scans.Load() + d.states.Load() }

// TestResolveReadsOnce counts the store reads of one resolution on every path of the
// resolution order: one, whatever the store holds for the record.
func TestResolveReadsOnce(t *testing.T) {
	eng := newEngine(t)
	q := matcher.CompanyQuery{Name: "Acme Corp", Website: "acme.com"}
	tests := []struct {
		name  string
		setup []override.Mapping
		via   crmlink.Via
	}{
		{"nothing stored", nil, crmlink.ViaMatch},
		{"manual", []override.Mapping{{Record: account, Entity: globex, Source: override.Manual}}, crmlink.ViaManual},
		{"sync", []override.Mapping{{Record: account, Entity: globex, Source: override.Sync}}, crmlink.ViaSync},
		{"manual rejected, sync", []override.Mapping{
			{Record: account, Entity: acme, Source: override.Manual},
			{Record: account, Entity: acme, Source: override.Manual, Rejected: true},
			{Record: account, Entity: globex, Source: override.Sync},
		}, crmlink.ViaSync},
		{"rejections only", []override.Mapping{{Record: account, Entity: acme, Source: override.Manual, Rejected: true}}, crmlink.ViaMatch},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, d := newCountingStore()
			require.NoError(t, st.PutBatch(t.Context(), tc.setup))
			r, err := crmlink.NewResolver(st, eng, crmlink.WithoutVisibility())
			require.NoError(t, err)
			before := d.reads()
			res, err := r.ResolveCompany(t.Context(), viewerOf(account), account, q)
			require.NoError(t, err)
			assert.Equal(t, tc.via, res.Via)
			assert.Equal(t, int64(1), d.reads()-before, "store reads per resolved record")
		})
	}
}

// TestSyncReadsOncePerBatch counts the store reads and writes of sync runs: one read per
// batch, and at most one write, puts and stale deletes together.
func TestSyncReadsOncePerBatch(t *testing.T) {
	for _, size := range []int{1, 4, 1000} {
		t.Run("batch="+strconv.Itoa(size), func(t *testing.T) {
			e := newSyncEnv(t)
			st, d := newCountingStore()
			e.store = st
			s, err := crmlink.NewSyncer(e.src, e.eng, st, e.ds.Org, crmlink.WithBatchSize(size))
			require.NoError(t, err)
			stats, err := s.Run(t.Context())
			require.NoError(t, err)
			batches := int64(0)
			for _, n := range []int{stats.Accounts.Read, stats.Contacts.Read, stats.Leads.Read} {
				batches += int64((n + size - 1) / size)
			}
			// One read per batch (its records and the org's state together), and the org's
			// state once when the run starts.
			assert.Equal(t, batches+1, d.reads(), "store reads of a run of %d batches", batches)
			assert.LessOrEqual(t, d.applies.Load(), batches, "store writes")
			assert.NotZero(t, stats.Total().Written)

			// A second run after the store gained a sync mapping for an account that matches
			// nothing: still one read per batch, and the stale mapping goes in the batch's one
			// write.
			var stale override.RecordRef
			for _, a := range e.ds.Accounts {
				r := override.RecordRef{Org: e.ds.Org, Object: override.Account, ID: a.ID}
				if _, ok := e.truth[r]; !ok {
					stale = r
					break
				}
			}
			require.NotEmpty(t, stale.ID, "the fixture has an account that matches nothing")
			require.NoError(t, st.Put(t.Context(), override.Mapping{Record: stale, Entity: override.EntityRef{Kind: override.Company, ID: "co-stale"}, Source: override.Sync}))
			d.loads.Store(0)
			d.scans.Store(0)
			d.states.Store(0)
			d.applies.Store(0)
			again, err := s.Run(t.Context())
			require.NoError(t, err)
			assert.Equal(t, batches+1, d.reads(), "store reads of the second run")
			assert.LessOrEqual(t, d.applies.Load(), batches, "store writes of the second run")
			assert.Equal(t, stats.Total().Written, again.Total().Written)
			assert.Equal(t, 1, again.Accounts.Removed, "the stale mapping was removed")
			_, ok, err := st.Get(t.Context(), stale)
			require.NoError(t, err)
			assert.False(t, ok, "the stale mapping is gone")
		})
	}
}
