package crmlink_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/sourcetest"
	"github.com/crmlink/crmlink/override"
)

// checkpointOf returns the stored checkpoint of obj in e's org.
func (e *syncEnv) checkpointOf(t *testing.T, obj override.Object) override.Checkpoint {
	t.Helper()
	c, ok, err := e.store.Checkpoint(t.Context(), e.ds.Org, obj)
	require.NoError(t, err)
	require.True(t, ok, "no checkpoint of %s", obj)
	return c
}

// TestSyncCheckpointsResume interrupts a run with checkpoints in its second batch of contacts,
// then runs again: the second run resumes the first (same start), skips the accounts it
// finished and the contacts it wrote, and leaves the same mappings as a run never interrupted.
// A third run with WithIncremental reads only what changed since the complete run.
func TestSyncCheckpointsResume(t *testing.T) {
	ref := newSyncEnv(t)
	_, err := ref.run(t)
	require.NoError(t, err)
	want := ref.mappings(t)

	e := newSyncEnv(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	s, err := crmlink.NewSyncer(e.src, e.eng, e.store, e.ds.Org, crmlink.WithCheckpoints(), crmlink.WithBatchSize(3),
		crmlink.WithProgress(func(p crmlink.Progress) {
			if p.Object == override.Contact && p.Batches == 2 {
				cancel() // the process stops here, after the second batch of contacts
			}
		}))
	require.NoError(t, err)
	first, err := s.Run(ctx)
	require.ErrorIs(t, err, context.Canceled)
	assert.False(t, first.Resumed)
	assert.Equal(t, sourcetest.NumAccounts, first.Accounts.Read)
	assert.Equal(t, 6, first.Contacts.Read-first.Contacts.Invalid, "two batches of three contacts")

	acc := e.checkpointOf(t, override.Account)
	assert.True(t, acc.Done, "the accounts were finished")
	assert.True(t, acc.Run.Equal(first.Started), "checkpoint of the run: %v, run started %v", acc.Run, first.Started)
	con := e.checkpointOf(t, override.Contact)
	assert.False(t, con.Done)
	assert.Equal(t, e.ds.Contacts[5].ID, con.After, "the contacts' checkpoint is the last record of the second batch")
	lead := e.checkpointOf(t, override.Lead)
	assert.False(t, lead.Done)
	assert.Empty(t, lead.After, "leads not started")

	var resumed []bool
	second, err := e.run(t, crmlink.WithCheckpoints(), crmlink.WithBatchSize(3),
		crmlink.WithProgress(func(p crmlink.Progress) { resumed = append(resumed, p.Resumed) }))
	require.NoError(t, err)
	assert.True(t, second.Resumed)
	assert.True(t, second.Started.Equal(first.Started), "a resumed run keeps the start of the interrupted one")
	assert.Zero(t, second.Accounts.Read, "the accounts were not read again")
	assert.Equal(t, sourcetest.NumContacts-6, second.Contacts.Read, "the contacts read after the checkpoint")
	assert.Equal(t, sourcetest.NumLeads, second.Leads.Read)
	assert.Contains(t, resumed, true, "progress says the contacts resumed")
	assert.Equal(t, want, e.mappings(t), "mappings of the interrupted and resumed run")
	for _, obj := range []override.Object{override.Account, override.Contact, override.Lead} {
		c := e.checkpointOf(t, obj)
		assert.True(t, c.Done && c.Run.Equal(first.Started), "%s done by the run: %+v", obj, c)
	}

	// Nothing changed since: an incremental run reads nothing and keeps every mapping.
	third, err := e.run(t, crmlink.WithIncremental(0))
	require.NoError(t, err)
	assert.False(t, third.Resumed)
	assert.True(t, third.Since.Equal(first.Started), "bound %v, last complete run %v", third.Since, first.Started)
	assert.Zero(t, third.Total().Read)
	assert.Equal(t, want, e.mappings(t))

	// One lead changes: the next incremental run reads it alone.
	ds := e.ds.Clone()
	ds.Leads[2].ModifiedAt = time.Now().Add(time.Minute).UTC().Truncate(time.Second)
	e.src, _ = fixtureSource(t, ds)
	fourth, err := e.run(t, crmlink.WithIncremental(time.Second))
	require.NoError(t, err)
	assert.True(t, fourth.Since.Equal(third.Started.Add(-time.Second)))
	assert.Equal(t, 1, fourth.Total().Read)
	assert.Equal(t, 1, fourth.Leads.Read)

	// Purge takes the checkpoints: the next incremental run reads everything.
	_, err = crmlink.PurgeOrg(t.Context(), e.store, e.ds.Org)
	require.NoError(t, err)
	fifth, err := e.run(t, crmlink.WithIncremental(0))
	require.NoError(t, err)
	assert.True(t, fifth.Since.IsZero())
	assert.Equal(t, sourcetest.NumAccounts+sourcetest.NumContacts+sourcetest.NumLeads, fifth.Total().Read)
	assert.Equal(t, want, e.mappings(t))
}

// flakyCheckpoints is the memory driver whose n-th checkpoint write fails: a crash after a
// batch's mappings were written and before its checkpoint moved.
type flakyCheckpoints struct {
	override.Driver
	failAt, n int
}

func (d *flakyCheckpoints) Checkpoint(ctx context.Context, org string, obj override.Object) (override.Checkpoint, bool, error) {
	return d.Driver.(override.Checkpointer).Checkpoint(ctx, org, obj)
}

func (d *flakyCheckpoints) PutCheckpoint(ctx context.Context, c override.Checkpoint) error {
	d.n++
	if d.n == d.failAt {
		return errors.New("disk full")
	}
	return d.Driver.(override.Checkpointer).PutCheckpoint(ctx, c)
}

func (d *flakyCheckpoints) DeleteCheckpoint(ctx context.Context, org string, obj override.Object) error {
	return d.Driver.(override.Checkpointer).DeleteCheckpoint(ctx, org, obj)
}

// TestSyncCheckpointsBatchWrittenTwice stops a run between the write of a batch and its
// checkpoint: the resumed run writes that batch again, and every record still has one sync
// mapping, the one an uninterrupted run stores.
func TestSyncCheckpointsBatchWrittenTwice(t *testing.T) {
	ref := newSyncEnv(t)
	_, err := ref.run(t)
	require.NoError(t, err)
	want := ref.mappings(t)

	e := newSyncEnv(t)
	// Three marks at the start, then one per batch: the 8th write is the checkpoint of the
	// fifth batch of accounts.
	d := &flakyCheckpoints{Driver: override.NewMemory().Driver(), failAt: 8}
	e.store = override.New(d)
	first, err := e.run(t, crmlink.WithCheckpoints(), crmlink.WithBatchSize(2))
	require.Error(t, err)
	assert.ErrorContains(t, err, "checkpoint")
	assert.Equal(t, 10, first.Accounts.Read, "five batches of two accounts read")
	c := e.checkpointOf(t, override.Account)
	assert.Equal(t, e.ds.Accounts[7].ID, c.After, "checkpoint of the fourth batch")
	n, err := e.store.Count(t.Context(), e.ds.Org)
	require.NoError(t, err)

	second, err := e.run(t, crmlink.WithCheckpoints(), crmlink.WithBatchSize(2))
	require.NoError(t, err)
	assert.True(t, second.Resumed)
	assert.Equal(t, sourcetest.NumAccounts-8, second.Accounts.Read, "the fifth batch is read again")
	got := e.mappings(t)
	assert.Equal(t, want, got)
	total, err := e.store.Count(t.Context(), e.ds.Org)
	require.NoError(t, err)
	assert.Equal(t, len(got["sync"]), total, "one mapping per record")
	assert.Greater(t, n, 0, "the interrupted run wrote mappings")
}

// noCheckpoints hides the memory driver's optional abilities.
type noCheckpoints struct{ override.Driver }

func TestSyncCheckpointsUnsupported(t *testing.T) {
	e := newSyncEnv(t)
	e.store = override.New(noCheckpoints{override.NewMemory().Driver()})
	stats, err := e.run(t, crmlink.WithCheckpoints())
	require.ErrorIs(t, err, override.ErrUnsupported)
	assert.Contains(t, err.Error(), e.ds.Org)
	assert.Zero(t, stats.Total().Read, "nothing read")
}

// TestSyncCheckpointsStage checks that a staged run, which reads no leads, still completes
// (every object's checkpoint is done), and that an incremental staged run reads without a bound.
func TestSyncCheckpointsStage(t *testing.T) {
	e := newSyncEnv(t)
	stage := e.ds.Expected.Stages[0].Stage
	stats, err := e.run(t, crmlink.WithCheckpoints(), crmlink.WithStage(stage))
	require.NoError(t, err)
	assert.Zero(t, stats.Leads.Read)
	for _, obj := range []override.Object{override.Account, override.Contact, override.Lead} {
		c := e.checkpointOf(t, obj)
		assert.True(t, c.Done && c.Run.Equal(stats.Started), "%s: %+v", obj, c)
	}
	// Incremental with a stage: no bound, every tied record is read again.
	again, err := e.run(t, crmlink.WithIncremental(0), crmlink.WithStage(stage))
	require.NoError(t, err)
	assert.True(t, again.Since.IsZero())
	assert.Equal(t, stats.Accounts.Read, again.Accounts.Read)
	assert.Equal(t, stats.Contacts.Read, again.Contacts.Read)
	assert.Positive(t, again.Accounts.Read+again.Contacts.Read)
}

// TestSyncCheckpointsResumeAccess resumes a run in a process whose access index is new (empty):
// the records written before the interruption are not matched again, but the index still learns
// the owner of every record.
func TestSyncCheckpointsResumeAccess(t *testing.T) {
	e := newSyncEnv(t)
	owned := 0
	for _, o := range slices.Concat(ownersOf(e.ds.Accounts, func(a crm.Account) string { return a.OwnerID }),
		ownersOf(e.ds.Contacts, func(c crm.Contact) string { return c.OwnerID }),
		ownersOf(e.ds.Leads, func(l crm.Lead) string { return l.OwnerID })) {
		if o != "" {
			owned++
		}
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	first := crmlink.NewAccess()
	s, err := crmlink.NewSyncer(e.src, e.eng, e.store, e.ds.Org, crmlink.WithCheckpoints(), crmlink.WithBatchSize(3),
		crmlink.WithAccess(first, nil, nil),
		crmlink.WithProgress(func(p crmlink.Progress) {
			if p.Object == override.Contact && p.Batches == 2 {
				cancel()
			}
		}))
	require.NoError(t, err)
	_, err = s.Run(ctx)
	require.ErrorIs(t, err, context.Canceled)
	require.Less(t, first.Len(e.ds.Org), owned, "the interrupted run indexed part of the owners")

	second := crmlink.NewAccess()
	stats, err := e.run(t, crmlink.WithCheckpoints(), crmlink.WithBatchSize(3), crmlink.WithAccess(second, nil, nil))
	require.NoError(t, err)
	assert.True(t, stats.Resumed)
	assert.Equal(t, sourcetest.NumContacts-6, stats.Contacts.Read, "contacts matched after the checkpoint only")
	assert.Equal(t, owned, second.Len(e.ds.Org), "owners of every record indexed, before the checkpoint too")
}
