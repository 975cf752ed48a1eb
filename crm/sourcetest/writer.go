package sourcetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/crm"
)

// Stored is an activity as the CRM holds it, as far as the writer suite needs to know.
type Stored struct {
	ID       string // the CRM ID of the activity (task, note ...)
	RecordID string // the record it is attached to
}

// WriterHarness makes the Writer under test.
type WriterHarness interface {
	// Writer returns a Writer over a fresh org serving ds, and a function listing the activities
	// that org holds now (in any order). It registers any cleanup with t.Cleanup.
	Writer(t *testing.T, ds *Dataset) (w crm.Writer, stored func() []Stored)
}

// RunWriter runs the write-back conformance suite: one result per activity in input order,
// idempotency by ExternalKey within and across batches, per-activity errors that leave the rest
// of the batch written, batches larger than a CRM request, cancellation, and error texts free of
// activity content. Activities with an empty ExternalKey are not exercised: drivers may refuse or
// create them.
func RunWriter(t *testing.T, h WriterHarness) {
	t.Helper()
	with := func(test func(*testing.T, crm.Writer, func() []Stored, *Dataset)) func(*testing.T) {
		return func(t *testing.T) {
			ds := Fixture()
			w, stored := h.Writer(t, ds.Clone())
			require.NotNil(t, w, "WriterHarness.Writer returned nil")
			test(t, w, stored, ds)
		}
	}
	t.Run("Batch", with(testWriteBatch))
	t.Run("Idempotent", with(testWriteIdempotent))
	t.Run("InvalidActivity", with(testWriteInvalid))
	t.Run("Large", with(testWriteLarge))
	t.Run("Canceled", with(testWriteCanceled))
	t.Run("ReadBack", with(testReadBack))
}

// secretBody marks activity content that must never appear in an error.
const secretBody = "PRIVATE-BODY-7f3a"

func newActivity(kind crm.ActivityKind, obj crm.Object, id, key string) crm.Activity {
	return crm.Activity{
		Kind:        kind,
		Record:      crm.RecordRef{Org: "00D000000000001AAA", Object: obj, ID: id},
		Subject:     "crmlink " + string(kind) + " " + key,
		Body:        secretBody + " sent through crmlink, \"quoted\", multi\nline",
		OccurredAt:  time.Date(2024, 5, 1, 12, 30, 0, 0, time.UTC),
		Author:      UserID(4),
		ExternalKey: key,
	}
}

func write(t *testing.T, w crm.Writer, acts []crm.Activity) []crm.WriteResult {
	t.Helper()
	res, err := w.WriteActivities(t.Context(), acts)
	require.NoError(t, err, "WriteActivities")
	require.Len(t, res, len(acts), "one result per activity")
	for i, r := range res {
		assert.Equal(t, acts[i].ExternalKey, r.ExternalKey, "result %d is for activity %d", i, i)
		if r.Err != nil {
			assert.NotContains(t, r.Err.Error(), secretBody, "result %d error text", i)
		}
	}
	return res
}

func storedIDs(stored func() []Stored) []string {
	var ids []string
	for _, s := range stored() {
		ids = append(ids, s.ID)
	}
	slices.Sort(ids)
	return ids
}

func resultIDs(res []crm.WriteResult) []string {
	var ids []string
	for _, r := range res {
		if r.Err == nil && r.Created {
			ids = append(ids, r.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

func testWriteBatch(t *testing.T, w crm.Writer, stored func() []Stored, ds *Dataset) {
	acts := []crm.Activity{
		newActivity(crm.InMail, crm.ObjectContact, ContactID(1), "batch-1"),
		newActivity(crm.Message, crm.ObjectLead, LeadID(2), "batch-2"),
		newActivity(crm.Note, crm.ObjectAccount, AccountID(3), "batch-3"),
		newActivity(crm.Note, crm.ObjectOpportunity, OpportunityID(4), "batch-4"),
		newActivity(crm.InMail, crm.ObjectContact, ContactID(5), "batch-5"),
	}
	res := write(t, w, acts)
	for i, r := range res {
		assert.NoError(t, r.Err, "result %d", i)
		assert.True(t, r.Created, "result %d created", i)
		assert.NotEmpty(t, r.ID, "result %d ID", i)
	}
	ids := resultIDs(res)
	assert.Len(t, slices.Compact(slices.Clone(ids)), len(acts), "distinct IDs")
	assert.Equal(t, ids, storedIDs(stored), "the CRM holds exactly the created activities")
	byID := map[string]string{}
	for _, s := range stored() {
		byID[s.ID] = s.RecordID
	}
	for i, r := range res {
		assert.Equal(t, acts[i].Record.ID, byID[r.ID], "activity %d is attached to its record", i)
	}
}

func testWriteIdempotent(t *testing.T, w crm.Writer, stored func() []Stored, ds *Dataset) {
	acts := []crm.Activity{
		newActivity(crm.InMail, crm.ObjectContact, ContactID(1), "idem-1"),
		newActivity(crm.Note, crm.ObjectContact, ContactID(2), "idem-2"),
	}
	first := write(t, w, acts)
	before := storedIDs(stored)
	require.Len(t, before, 2)

	again := write(t, w, acts)
	for i, r := range again {
		assert.NoError(t, r.Err, "rewrite %d", i)
		assert.False(t, r.Created, "rewrite %d must not create", i)
		assert.Equal(t, first[i].ID, r.ID, "rewrite %d reports the existing ID", i)
	}
	assert.Equal(t, before, storedIDs(stored), "nothing written twice")

	// Within one batch: a repeated key is written once, and reported with the same ID.
	mixed := []crm.Activity{
		newActivity(crm.Message, crm.ObjectLead, LeadID(3), "idem-3"),
		newActivity(crm.Message, crm.ObjectLead, LeadID(3), "idem-3"),
		newActivity(crm.Note, crm.ObjectContact, ContactID(2), "idem-2"),
	}
	res := write(t, w, mixed)
	assert.True(t, res[0].Created)
	assert.False(t, res[1].Created, "repeated key in a batch")
	assert.Equal(t, res[0].ID, res[1].ID)
	assert.False(t, res[2].Created, "key written by an earlier batch")
	assert.Equal(t, first[1].ID, res[2].ID)
	assert.Len(t, storedIDs(stored), 3)
}

func testWriteInvalid(t *testing.T, w crm.Writer, stored func() []Stored, ds *Dataset) {
	bad := newActivity("fax", crm.ObjectContact, ContactID(1), "invalid-2")
	acts := []crm.Activity{
		newActivity(crm.InMail, crm.ObjectContact, ContactID(1), "invalid-1"),
		bad,
		newActivity(crm.Note, crm.ObjectAccount, AccountID(1), "invalid-3"),
	}
	res := write(t, w, acts)
	assert.NoError(t, res[0].Err)
	assert.True(t, res[0].Created)
	assert.ErrorIs(t, res[1].Err, crm.ErrInvalid, "an unknown kind is invalid")
	assert.False(t, res[1].Created)
	assert.NoError(t, res[2].Err)
	assert.True(t, res[2].Created)
	assert.Len(t, storedIDs(stored), 2, "the valid activities are written")
}

func testWriteLarge(t *testing.T, w crm.Writer, stored func() []Stored, ds *Dataset) {
	const n = 450 // more than two Salesforce sObject Collections requests of 200
	acts := make([]crm.Activity, n)
	kinds := []crm.ActivityKind{crm.InMail, crm.Message, crm.Note}
	for i := range acts {
		acts[i] = newActivity(kinds[i%len(kinds)], crm.ObjectContact, ContactID(1+i%NumContacts), fmt.Sprintf("large-%03d", i))
	}
	res := write(t, w, acts)
	created := 0
	for i, r := range res {
		if assert.NoError(t, r.Err, "result %d", i) && r.Created {
			created++
		}
	}
	assert.Equal(t, n, created)
	assert.Len(t, storedIDs(stored), n)
}

func testWriteCanceled(t *testing.T, w crm.Writer, stored func() []Stored, ds *Dataset) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	res, err := w.WriteActivities(ctx, []crm.Activity{newActivity(crm.Note, crm.ObjectContact, ContactID(1), "canceled-1")})
	assert.ErrorIs(t, err, context.Canceled)
	if err != nil {
		assert.False(t, strings.Contains(err.Error(), secretBody), "error text")
	}
	for _, r := range res {
		assert.False(t, r.Created, "nothing reported created after cancellation")
	}
	assert.Empty(t, stored(), "nothing written with a canceled context")
}

// testReadBack checks [crm.ActivityReader] where the Writer has it: every written activity is read
// back once, with its ID, kind and record, and a repeated write adds nothing.
func testReadBack(t *testing.T, w crm.Writer, stored func() []Stored, ds *Dataset) {
	rd, ok := w.(crm.ActivityReader)
	if !ok {
		t.Skip("the Writer is no crm.ActivityReader")
	}
	acts := []crm.Activity{
		newActivity(crm.InMail, crm.ObjectContact, ContactID(1), "back-1"),
		newActivity(crm.Message, crm.ObjectLead, LeadID(2), "back-2"),
		newActivity(crm.Note, crm.ObjectAccount, AccountID(3), "back-3"),
		newActivity(crm.Note, crm.ObjectContact, ContactID(4), "back-4"),
		newActivity(crm.Message, crm.ObjectAccount, AccountID(5), "back-5"),
	}
	res := write(t, w, acts)
	write(t, w, acts[:2])
	got, err := crm.Collect(rd.WrittenActivities(t.Context(), crm.Filter{}))
	require.NoError(t, err, "WrittenActivities")
	byID := map[string]crm.WrittenActivity{}
	for _, a := range got {
		_, dup := byID[a.ID]
		assert.False(t, dup, "activity %s read back twice", a.ID)
		byID[a.ID] = a
	}
	assert.Len(t, got, len(acts), "activities read back")
	for i, r := range res {
		require.NoError(t, r.Err, "result %d", i)
		a, ok := byID[r.ID]
		if !assert.True(t, ok, "activity %d (%s) not read back", i, r.ID) {
			continue
		}
		assert.Equal(t, acts[i].Record.ID, a.Record.ID, "activity %d record", i)
		assert.Equal(t, acts[i].Record.Object, a.Record.Object, "activity %d object", i)
		if acts[i].Kind == crm.Note {
			assert.Equal(t, crm.Note, a.Kind, "activity %d kind", i)
		} else {
			assert.Contains(t, []crm.ActivityKind{crm.InMail, crm.Message}, a.Kind, "activity %d kind", i)
		}
		assert.False(t, a.OccurredAt.IsZero(), "activity %d OccurredAt", i)
	}
	one, err := crm.Collect(rd.WrittenActivities(t.Context(), crm.Filter{IDs: []string{res[2].ID}}))
	require.NoError(t, err, "WrittenActivities(IDs)")
	if assert.Len(t, one, 1, "WrittenActivities(IDs: one)") {
		assert.Equal(t, res[2].ID, one[0].ID)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = crm.Collect(rd.WrittenActivities(ctx, crm.Filter{}))
	assert.ErrorIs(t, err, context.Canceled, "WrittenActivities(canceled)")
}
