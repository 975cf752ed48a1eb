package crmlink_test

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/override"
)

// TestSyncFitting runs the sync with WithFitting: the engine is fitted to
// the CRM's records (and keeps the model for later queries), and the
// mappings are the true ones, at any batch size.
func TestSyncFitting(t *testing.T) {
	for _, batch := range []int{7, 1000} {
		t.Run("batch="+strconv.Itoa(batch), func(t *testing.T) {
			e := newSyncEnv(t)
			require.Nil(t, e.eng.Fitted(matcher.KindCompany))
			stats, err := e.run(t, crmlink.WithBatchSize(batch), crmlink.WithFitting())
			require.NoError(t, err)
			checkCounts(t, "accounts", stats.Accounts)
			checkCounts(t, "contacts", stats.Contacts)
			checkCounts(t, "leads", stats.Leads)
			co, mem := e.eng.Fitted(matcher.KindCompany), e.eng.Fitted(matcher.KindMember)
			require.NotNil(t, co, "the company model was fitted")
			require.NotNil(t, mem, "the member model was fitted")
			assert.Positive(t, co.Queries)
			assert.Positive(t, mem.Queries)
			got := e.mappings(t)
			assert.Equal(t, map[override.RecordRef]override.EntityRef(e.truth), got["sync"])
		})
	}
}

// TestSyncProgress checks that WithProgress reports every batch written, in order, with the
// object's counts so far.
func TestSyncProgress(t *testing.T) {
	e := newSyncEnv(t)
	var got []crmlink.Progress
	stats, err := e.run(t, crmlink.WithBatchSize(5), crmlink.WithProgress(func(p crmlink.Progress) { got = append(got, p) }))
	require.NoError(t, err)
	require.NotEmpty(t, got)
	last := map[override.Object]crmlink.Progress{}
	for _, p := range got {
		if prev, ok := last[p.Object]; ok {
			assert.Equal(t, prev.Batches+1, p.Batches, "%s: one report per batch", p.Object)
			assert.GreaterOrEqual(t, p.Stats.Read, prev.Stats.Read)
		}
		last[p.Object] = p
	}
	assert.Equal(t, stats.Accounts, last[override.Account].Stats)
	assert.Equal(t, stats.Contacts, last[override.Contact].Stats)
	assert.Equal(t, stats.Leads, last[override.Lead].Stats)
}
