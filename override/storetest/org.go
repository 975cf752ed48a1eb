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
