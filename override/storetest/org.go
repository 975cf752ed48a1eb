package storetest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/override"
)

// testDriverOrgState checks the on/off state of orgs: an org starts enabled,
// Disable and Enable are idempotent and per org, Purge leaves the state, and
// a durable driver keeps it across Close and Open.
func testDriverOrgState(t *testing.T, h DriverHarness) {
	ctx := t.Context()
	d := openDriver(t, h)
	st, ok := d.(override.OrgStater)
	require.True(t, ok, "driver %T has no OrgStater", d)
	a, b := newOrg("a"), newOrg("b")
	state := func(d override.Driver, org string) bool {
		t.Helper()
		v, err := d.(override.OrgStater).OrgDisabled(ctx, org)
		require.NoError(t, err)
		return v
	}
	assert.False(t, state(d, a), "a new org is enabled")
	require.NoError(t, st.SetOrgDisabled(ctx, a, true))
	require.NoError(t, st.SetOrgDisabled(ctx, a, true), "disabling twice")
	assert.True(t, state(d, a))
	assert.False(t, state(d, b), "disabling a leaves b enabled")
	if sl, ok := d.(override.StateLoader); ok {
		// One read of records and state agrees with the two reads.
		rb := rec(b, override.Contact, "003")
		require.NoError(t, d.Apply(ctx, puts(mapping(rb, override.Member, "m1", override.Manual))))
		got, disabled, err := sl.LoadEnabled(ctx, b, []override.RecordRef{rb}, nil)
		require.NoError(t, err)
		assert.False(t, disabled)
		require.Len(t, got, 1)
		require.Len(t, got[0].Mappings, 1, "the record's mapping")
		assert.Equal(t, "m1", got[0].Mappings[0].Entity.ID)
		// Several records in one read, one of them with nothing stored.
		empty := rec(b, override.Lead, "00Q")
		got, disabled, err = sl.LoadEnabled(ctx, b, []override.RecordRef{empty, rb}, nil)
		require.NoError(t, err)
		assert.False(t, disabled)
		require.Len(t, got, 2)
		assert.Empty(t, got[0].Mappings)
		require.Len(t, got[1].Mappings, 1)
		assert.Equal(t, "m1", got[1].Mappings[0].Entity.ID)
		ra := rec(a, override.Contact, "003")
		got, disabled, err = sl.LoadEnabled(ctx, a, []override.RecordRef{ra}, nil)
		require.NoError(t, err)
		assert.True(t, disabled, "LoadEnabled reports a disabled org")
		assert.Empty(t, got)
		got, disabled, err = sl.LoadEnabled(ctx, a, []override.RecordRef{ra, rec(a, override.Lead, "00Q")}, nil)
		require.NoError(t, err)
		assert.True(t, disabled, "LoadEnabled of several records reports a disabled org")
		assert.Empty(t, got)
		_, err = d.Purge(ctx, b)
		require.NoError(t, err)
	}

	require.NoError(t, d.Apply(ctx, puts(mapping(rec(a, override.Account, "001"), override.Company, "c1", override.Sync))))
	n, err := d.Purge(ctx, a)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.True(t, state(d, a), "Purge leaves the org disabled")

	if h.Durable() {
		require.NoError(t, d.Close())
		d = openDriver(t, h)
		assert.True(t, state(d, a), "disabled after reopen")
		assert.False(t, state(d, b), "b enabled after reopen")
	}
	st = d.(override.OrgStater)
	require.NoError(t, st.SetOrgDisabled(ctx, a, false))
	require.NoError(t, st.SetOrgDisabled(ctx, a, false), "enabling twice")
	assert.False(t, state(d, a), "enabled again")
	require.NoError(t, st.SetOrgDisabled(ctx, b, false), "enabling a never-disabled org")
}
