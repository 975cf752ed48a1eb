package dynamics_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/dynamics"
	"github.com/crmlink/crmlink/crm/sourcetest"
)

func activities() []crm.Activity {
	at := time.Date(2024, 5, 1, 14, 30, 0, 0, time.UTC)
	return []crm.Activity{
		{Kind: crm.InMail, Record: crm.RecordRef{Object: crm.ObjectContact, ID: sourcetest.ContactID(1)},
			Subject: "InMail: Intro to Acme", Body: "Hi Ada, ...", OccurredAt: at, Author: sourcetest.UserID(3), ExternalKey: "inmail-1"},
		{Kind: crm.Note, Record: crm.RecordRef{Object: crm.ObjectAccount, ID: sourcetest.AccountID(2)},
			Subject: "crmlink note", Body: "Matched to company profile", OccurredAt: at, ExternalKey: "note-1"},
		{Kind: crm.Message, Record: crm.RecordRef{Object: crm.ObjectLead, ID: sourcetest.LeadID(4)},
			Body: "Follow-up message", OccurredAt: at, ExternalKey: "msg-1"},
		{Kind: crm.Note, Record: crm.RecordRef{Object: crm.ObjectOpportunity, ID: sourcetest.OpportunityID(5)},
			Body: "Opportunity note", ExternalKey: "note-opp-5"},
	}
}

func TestWriteActivities(t *testing.T) {
	f := newFakeOrg(t, fixture())
	src := f.source(t)
	acts := activities()
	res, err := src.WriteActivities(t.Context(), acts)
	require.NoError(t, err)
	require.Len(t, res, len(acts))
	for i, r := range res {
		require.NoError(t, r.Err, "activity %d", i)
		assert.True(t, r.Created, "activity %d", i)
		assert.NotEmpty(t, r.ID, "activity %d", i)
		assert.Equal(t, acts[i].ExternalKey, r.ExternalKey)
	}

	f.mu.Lock()
	created := f.created
	completed := f.completed
	f.mu.Unlock()
	require.Len(t, created, 4)

	// Checked on the server side: entity sets, @odata.bind names and targets, columns.
	task := created[0]
	assert.Equal(t, "tasks", task.set)
	assert.Equal(t, res[0].ID, task.id)
	assert.Equal(t, "/contacts("+sourcetest.ContactID(1)+")", task.body["regardingobjectid_contact_task@odata.bind"])
	assert.Equal(t, "/systemusers("+sourcetest.UserID(3)+")", task.body["ownerid@odata.bind"])
	assert.Equal(t, "InMail: Intro to Acme", task.body["subject"])
	assert.Equal(t, "Hi Ada, ...", task.body["description"])
	assert.Equal(t, "2024-05-01T14:30:00Z", task.body["actualend"])
	assert.Equal(t, dynamics.Marker("inmail-1"), task.body["category"])
	assert.NotContains(t, task.body, "ownerid", "owner only through @odata.bind")

	note := created[1]
	assert.Equal(t, "annotations", note.set)
	assert.Equal(t, "/accounts("+sourcetest.AccountID(2)+")", note.body["objectid_account@odata.bind"])
	assert.Equal(t, "Matched to company profile\n\n["+dynamics.Marker("note-1")+"]", note.body["notetext"])
	assert.NotContains(t, note.body, "ownerid@odata.bind", "no author: default owner")

	msg := created[2]
	assert.Equal(t, "tasks", msg.set)
	assert.Equal(t, "/leads("+sourcetest.LeadID(4)+")", msg.body["regardingobjectid_lead_task@odata.bind"])
	assert.Equal(t, "Message", msg.body["subject"], "empty subject defaults to the kind")

	assert.Equal(t, "/opportunities("+sourcetest.OpportunityID(5)+")", created[3].body["objectid_opportunity@odata.bind"])
	assert.Equal(t, []string{res[0].ID, res[2].ID}, completed, "tasks are completed after creation")
}

func TestWriteIdempotent(t *testing.T) {
	f := newFakeOrg(t, fixture())
	src := f.source(t)
	first, err := src.WriteActivities(t.Context(), activities())
	require.NoError(t, err)

	// Written again, plus a repeat of a key within the same batch and a new one.
	again := append(activities(), activities()[0], crm.Activity{Kind: crm.Note,
		Record: crm.RecordRef{Object: crm.ObjectContact, ID: sourcetest.ContactID(2)}, Body: "new", ExternalKey: "note-2"})
	second, err := src.WriteActivities(t.Context(), again)
	require.NoError(t, err)
	require.Len(t, second, len(again))
	for i := range 3 {
		require.NoError(t, second[i].Err)
		assert.False(t, second[i].Created, "activity %d already written", i)
		assert.Equal(t, first[i].ID, second[i].ID, "activity %d reports the existing ID", i)
	}
	require.NoError(t, second[3].Err)
	assert.False(t, second[3].Created, "activity 3 already written")
	assert.Equal(t, first[3].ID, second[3].ID)
	assert.False(t, second[4].Created, "repeat within the batch")
	assert.Equal(t, first[0].ID, second[4].ID)
	assert.True(t, second[5].Created)

	f.mu.Lock()
	defer f.mu.Unlock()
	assert.Len(t, f.created, 4+1)
}

// TestWriteMissingExternalKey: the ExternalKey is the idempotency key, so an activity without
// one is refused, alone, before any request, and the rest of the batch is written.
func TestWriteMissingExternalKey(t *testing.T) {
	for _, tc := range []struct {
		name string
		kind crm.ActivityKind
		key  string
	}{
		{"empty task", crm.InMail, ""},
		{"empty note", crm.Note, ""},
		{"blank message", crm.Message, "   "},
		{"white space note", crm.Note, "\t\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeOrg(t, fixture())
			src := f.source(t)
			keyless := crm.Activity{Kind: tc.kind, Record: crm.RecordRef{Object: crm.ObjectContact, ID: sourcetest.ContactID(3)},
				Subject: "Keyless subject", Body: "Keyless body for Ada", ExternalKey: tc.key}
			acts := []crm.Activity{activities()[0], keyless, activities()[1]}
			res, err := src.WriteActivities(t.Context(), acts)
			require.NoError(t, err)
			require.Len(t, res, 3)

			require.ErrorIs(t, res[1].Err, crm.ErrInvalid)
			ae := apiError(t, res[1].Err)
			assert.Equal(t, "missing_external_key", ae.Code)
			assert.Zero(t, ae.Status, "refused before any request")
			assert.Equal(t, tc.key, res[1].ExternalKey)
			assert.Empty(t, res[1].ID)
			assert.False(t, res[1].Created)
			assert.NotContains(t, res[1].Err.Error(), "Keyless")

			for _, i := range []int{0, 2} {
				require.NoError(t, res[i].Err, "activity %d", i)
				assert.True(t, res[i].Created, "activity %d", i)
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			require.Len(t, f.created, 2, "only the keyed activities are written")
			for _, c := range f.created {
				assert.NotEqual(t, "Keyless subject", c.body["subject"])
			}
		})
	}
}

func TestWriteEmptyBatch(t *testing.T) {
	f := newFakeOrg(t, fixture())
	src := f.source(t)
	for _, acts := range [][]crm.Activity{nil, {}} {
		res, err := src.WriteActivities(t.Context(), acts)
		require.NoError(t, err)
		assert.Empty(t, res)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	res, err := src.WriteActivities(ctx, nil)
	assert.NoError(t, err, "nothing to write: nothing canceled")
	assert.Empty(t, res)
	assert.Empty(t, f.requestLog(), "no request for an empty batch")
}

func TestWriteRepeatWithinOneBatch(t *testing.T) {
	f := newFakeOrg(t, fixture())
	src := f.source(t)
	a := activities()[0]
	res, err := src.WriteActivities(t.Context(), []crm.Activity{a, a})
	require.NoError(t, err)
	assert.True(t, res[0].Created)
	assert.False(t, res[1].Created)
	assert.Equal(t, res[0].ID, res[1].ID)
	f.mu.Lock()
	defer f.mu.Unlock()
	assert.Len(t, f.created, 1)
}

func TestWritePerActivityErrors(t *testing.T) {
	f := newFakeOrg(t, fixture())
	src := f.source(t)
	acts := []crm.Activity{
		{Kind: crm.Note, Record: crm.RecordRef{Object: crm.ObjectUser, ID: sourcetest.UserID(1)}, Body: "x", ExternalKey: "a"},
		{Kind: crm.Note, Record: crm.RecordRef{Object: crm.ObjectContact, ID: "bad id'"}, Body: "x", ExternalKey: "b"},
		{Kind: "fax", Record: crm.RecordRef{Object: crm.ObjectContact, ID: sourcetest.ContactID(1)}, ExternalKey: "c"},
		{Kind: crm.InMail, Record: crm.RecordRef{Object: crm.ObjectContact, ID: sourcetest.ContactID(999)}, Subject: "Ada O'Brien", ExternalKey: "d"},
		{Kind: crm.InMail, Record: crm.RecordRef{Object: crm.ObjectContact, ID: sourcetest.ContactID(1)}, Subject: "ok", ExternalKey: "e"},
	}
	res, err := src.WriteActivities(t.Context(), acts)
	require.NoError(t, err)
	for i := range 3 {
		assert.ErrorIs(t, res[i].Err, crm.ErrInvalid, "activity %d", i)
		assert.Empty(t, res[i].ID)
	}
	require.ErrorIs(t, res[3].Err, crm.ErrMalformedQuery, "server rejects a bind to a missing record")
	assert.Equal(t, "0x80048d19", apiError(t, res[3].Err).Code)
	assert.Equal(t, "create task", apiError(t, res[3].Err).Op)
	assert.NotContains(t, res[3].Err.Error(), "Brien")
	assert.NoError(t, res[4].Err, "one failure does not stop the batch")
	assert.True(t, res[4].Created)
}

func TestWriteThrottledThenSuccess(t *testing.T) {
	f := newFakeOrg(t, fixture())
	src := f.source(t)
	f.hook = failFirst(1, "/annotations", throttled("1"))
	res, err := src.WriteActivities(t.Context(), activities()[1:2])
	require.NoError(t, err)
	require.NoError(t, res[0].Err)
	assert.True(t, res[0].Created)
}

func TestWriteUnavailable(t *testing.T) {
	f := newFakeOrg(t, fixture())
	src := f.source(t, dynamics.WithBackoff(crm.Backoff{Retries: 1, Base: time.Millisecond}))
	f.hook = func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/tasks") {
			dvError(w, http.StatusServiceUnavailable, "", "down")
			return true
		}
		return false
	}
	res, err := src.WriteActivities(t.Context(), activities()[:2])
	require.NoError(t, err)
	assert.ErrorIs(t, res[0].Err, crm.ErrUnavailable)
	assert.NoError(t, res[1].Err, "the note is still written")
}

func TestWriteCanceled(t *testing.T) {
	f := newFakeOrg(t, fixture())
	src := f.source(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	res, err := src.WriteActivities(ctx, activities())
	require.ErrorIs(t, err, context.Canceled)
	for i, r := range res {
		assert.ErrorIs(t, r.Err, context.Canceled, "activity %d", i)
		assert.False(t, r.Created)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	assert.Empty(t, f.created)
}

// TestWriteCanceledDuringWrite: a context ended while an activity is being written ends the call
// with the context's error, whether or not activities remain.
func TestWriteCanceledDuringWrite(t *testing.T) {
	for _, n := range []int{1, 2} {
		t.Run(fmt.Sprintf("%d activities", n), func(t *testing.T) {
			f := newFakeOrg(t, fixture())
			src := f.source(t)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			returned := make(chan struct{})
			f.hook = func(w http.ResponseWriter, r *http.Request) bool {
				if r.Method != http.MethodPost {
					return false
				}
				cancel()
				select { // answer nothing until the client gave up
				case <-r.Context().Done():
				case <-returned:
				}
				return true
			}
			acts := []crm.Activity{activities()[1], activities()[3]}[:n]
			res, err := src.WriteActivities(ctx, acts)
			close(returned)
			require.ErrorIs(t, err, context.Canceled)
			require.Len(t, res, n)
			for i, r := range res {
				assert.ErrorIs(t, r.Err, context.Canceled, "activity %d", i)
				assert.False(t, r.Created, "activity %d", i)
			}
		})
	}
}
