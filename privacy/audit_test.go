package privacy_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/privacy"
)

func TestAudit(t *testing.T) {
	ctx := t.Context()
	st := override.NewMemory()
	t.Cleanup(func() { _ = st.Close() })
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	acc := func(id string) override.RecordRef {
		return override.RecordRef{Org: "00DA", Object: override.Account, ID: id}
	}
	ms := []override.Mapping{
		{Record: acc("001A"), Entity: override.EntityRef{Kind: override.Company, ID: "c1"}, Source: override.Sync, UpdatedAt: t0},
		{Record: acc("001A"), Entity: override.EntityRef{Kind: override.Company, ID: "c2"}, Source: override.Manual, UpdatedBy: "005U1", UpdatedAt: t0.Add(time.Hour)},
		{Record: acc("001B"), Entity: override.EntityRef{Kind: override.Company, ID: "c3"}, Source: override.Manual, Rejected: true, UpdatedBy: "005U2", UpdatedAt: t0.Add(2 * time.Hour)},
		{Record: override.RecordRef{Org: "00DA", Object: override.Contact, ID: "003A"}, Entity: override.EntityRef{Kind: override.Member, ID: "m1"}, Source: override.Sync, UpdatedAt: t0.Add(-time.Hour)},
		// another org, never counted
		{Record: override.RecordRef{Org: "00DB", Object: override.Account, ID: "001A"}, Entity: override.EntityRef{Kind: override.Company, ID: "c1"}, Source: override.Manual, UpdatedBy: "005X"},
	}
	require.NoError(t, st.PutBatch(ctx, ms))
	a, err := privacy.NewAudit(ctx, st, "00DA")
	require.NoError(t, err)
	assert.Equal(t, 4, a.Total)
	assert.Equal(t, map[override.Object]int{override.Account: 2, override.Contact: 1}, a.Records)
	assert.Equal(t, 1, a.Counts[privacy.AuditKey{Object: override.Account, Kind: override.Company, Source: override.Sync}])
	assert.Equal(t, 1, a.Counts[privacy.AuditKey{Object: override.Account, Kind: override.Company, Source: override.Manual, Rejected: true}])
	assert.Equal(t, map[string]int{"005U1": 1, "005U2": 1}, a.ManualBy)
	assert.Equal(t, t0.Add(-time.Hour), a.Oldest)
	assert.Equal(t, t0.Add(2*time.Hour), a.Newest)
	var buf bytes.Buffer
	_, err = a.WriteTo(&buf)
	require.NoError(t, err)
	assert.Contains(t, buf.String(), "org 00DA (enabled): 4 stored")
	assert.Contains(t, buf.String(), "account -> company (rejected)")
	assert.Contains(t, buf.String(), "manual by 005U1")
	assert.NotContains(t, buf.String(), "005X")

	require.NoError(t, st.Disable(ctx, "00DA"))
	a, err = privacy.NewAudit(ctx, st, "00DA")
	require.NoError(t, err)
	assert.True(t, a.Disabled)
	_, err = privacy.NewAudit(ctx, st, "")
	assert.ErrorIs(t, err, override.ErrInvalid)
}
