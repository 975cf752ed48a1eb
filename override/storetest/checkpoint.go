package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/override"
)

// testDriverCheckpoints checks the sync checkpoints of a driver with
// [override.Checkpointer]: none at first, a put replaces the one of its
// (org, object) and leaves the others, times and flags round-trip, delete is
// idempotent, Purge removes the org's checkpoints and only them, and a
// durable driver keeps them across Close and Open.
func testDriverCheckpoints(t *testing.T, h DriverHarness) {
	ctx := t.Context()
	d := openDriver(t, h)
	cp, ok := d.(override.Checkpointer)
	require.True(t, ok, "driver %T has no Checkpointer", d)
	a, b := newOrg("a"), newOrg("b")
	t.Cleanup(func() { _, _ = d.Purge(context.Background(), b) })
	get := func(d override.Driver, org string, obj override.Object) (override.Checkpoint, bool) {
		t.Helper()
		c, ok, err := d.(override.Checkpointer).Checkpoint(ctx, org, obj)
		require.NoError(t, err, "Checkpoint(%s, %s)", org, obj)
		return c, ok
	}
	_, found := get(d, a, override.Account)
	assert.False(t, found, "no checkpoint at first")

	full := override.Checkpoint{Org: a, Object: override.Account, Run: t0, After: "001A\u00e9x"}
	incr := override.Checkpoint{Org: a, Object: override.Contact, Run: t0.Add(time.Hour), Since: t0.Add(-24 * time.Hour), After: "", Done: true}
	other := override.Checkpoint{Org: b, Object: override.Account, Run: t0.Add(time.Minute), After: "001B", Done: true}
	for _, c := range []override.Checkpoint{full, incr, other} {
		require.NoError(t, cp.PutCheckpoint(ctx, c))
	}
	check := func(d override.Driver, want override.Checkpoint, what string) {
		t.Helper()
		got, ok := get(d, want.Org, want.Object)
		require.True(t, ok, "%s: checkpoint of %s %s", what, want.Org, want.Object)
		assert.Equal(t, want, got, what)
	}
	check(d, full, "a full run's checkpoint, zero Since")
	check(d, incr, "an incremental run's checkpoint")
	check(d, other, "another org's checkpoint")
	_, found = get(d, a, override.Lead)
	assert.False(t, found, "an object never checkpointed")

	// A put replaces the checkpoint of its (org, object) only.
	full.After, full.Done = "001Z", true
	require.NoError(t, cp.PutCheckpoint(ctx, full))
	check(d, full, "after a second put")
	check(d, incr, "another object after a put")

	if h.Durable() {
		require.NoError(t, d.Close())
		d = openDriver(t, h)
		cp = d.(override.Checkpointer)
		check(d, full, "after reopen")
		check(d, incr, "after reopen")
	}

	require.NoError(t, cp.DeleteCheckpoint(ctx, a, override.Contact))
	require.NoError(t, cp.DeleteCheckpoint(ctx, a, override.Contact), "deleting twice")
	require.NoError(t, cp.DeleteCheckpoint(ctx, newOrg(""), override.Lead), "deleting in an org with none")
	_, found = get(d, a, override.Contact)
	assert.False(t, found, "deleted")
	check(d, full, "another object after a delete")

	// Purge takes the org's checkpoints with its mappings, even when the org
	// holds no mapping, and leaves other orgs'.
	require.NoError(t, cp.PutCheckpoint(ctx, incr))
	n, err := d.Purge(ctx, a)
	require.NoError(t, err)
	assert.Zero(t, n, "Purge counts mappings only")
	_, found = get(d, a, override.Account)
	assert.False(t, found, "Purge removed the account checkpoint")
	_, found = get(d, a, override.Contact)
	assert.False(t, found, "Purge removed the contact checkpoint")
	check(d, other, "another org after Purge")
	require.NoError(t, d.Apply(ctx, puts(mapping(rec(b, override.Account, "001B"), override.Company, "c1", override.Sync))))
	require.NoError(t, cp.PutCheckpoint(ctx, full))
	n, err = d.Purge(ctx, b)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	_, found = get(d, b, override.Account)
	assert.False(t, found, "Purge with mappings removed the checkpoint")
	check(d, full, "org a after purging b")
}
