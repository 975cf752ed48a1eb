package crmlink_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	crmlink "github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/crm/sourcetest"
	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/report"
)

// TestSyncMatchReport checks that a run's match report agrees with its counts and with the
// store: manual and rejected records are reported as such, linked records as sync.
func TestSyncMatchReport(t *testing.T) {
	e := newSyncEnv(t)
	ctx := t.Context()
	a1 := override.RecordRef{Org: e.ds.Org, Object: override.Account, ID: sourcetest.AccountID(1)}
	c2 := override.RecordRef{Org: e.ds.Org, Object: override.Contact, ID: sourcetest.ContactID(2)}
	r, err := crmlink.NewResolver(e.store, e.eng, crmlink.WithoutVisibility())
	require.NoError(t, err)
	require.NoError(t, r.Correct(ctx, crmlink.Viewer{Org: a1.Org, User: "005U1"}, a1, override.EntityRef{Kind: override.Company, ID: "other-c1"}))
	require.NoError(t, r.Reject(ctx, crmlink.Viewer{Org: c2.Org, User: "005U1"}, c2, e.truth[c2]))

	stats, err := e.run(t, crmlink.WithBatchSize(7))
	require.NoError(t, err)
	m := stats.Report
	assert.Equal(t, e.ds.Org, m.Org)
	assert.True(t, m.Started.Equal(stats.Started))
	assert.False(t, m.Finished.Before(m.Started))
	got := e.mappings(t)
	for _, tc := range []struct {
		obj   report.Object
		oobj  override.Object
		stats crmlink.ObjectStats
	}{
		{report.Account, override.Account, stats.Accounts},
		{report.Contact, override.Contact, stats.Contacts},
		{report.Lead, override.Lead, stats.Leads},
	} {
		c := m.Object(tc.obj).Counts
		assert.Equal(t, tc.stats.Read, c.Read, "%s: read", tc.obj)
		assert.Equal(t, tc.stats.Written, c.Sync, "%s: sync", tc.obj)
		assert.Equal(t, tc.stats.SkippedRejected, c.Rejected, "%s: rejected", tc.obj)
		assert.Equal(t, tc.stats.Invalid+tc.stats.Empty, c.Invalid, "%s: invalid", tc.obj)
		assert.Equal(t, c.Read, c.Filtered+c.Invalid+c.Manual+c.Sync+c.Rejected+c.Ambiguous+c.None, "%s: outcomes add up", tc.obj)
		assert.LessOrEqual(t, tc.stats.Ambiguous, c.Ambiguous+c.Manual, "%s: ambiguous", tc.obj)
		linked := 0
		for ref := range got["sync"] {
			if ref.Object == tc.oobj {
				linked++
			}
		}
		assert.Equal(t, linked, c.Sync, "%s: sync mappings in the store", tc.obj)
		// Every linked or rejected match has a score; records with no candidate have none.
		scored := m.Object(tc.obj).Scores.Total()
		assert.LessOrEqual(t, scored, c.Read-c.Invalid, "%s: scored records", tc.obj)
		assert.GreaterOrEqual(t, scored, c.Sync+c.Rejected, "%s: scored records", tc.obj)
	}
	assert.Equal(t, 1, m.Object(report.Account).Counts.Manual)
	assert.Equal(t, []string{c2.ID}, m.Object(report.Contact).Review["rejected"])

	// A second run compares with the first: nothing changed.
	again, err := e.run(t)
	require.NoError(t, err)
	for _, ch := range again.Report.Compare(&m) {
		assert.Equal(t, report.Counts{}, ch.Counts, "%s: change since the same run", ch.Object)
	}
}
