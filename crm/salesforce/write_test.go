package salesforce_test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/salesforce"
	"github.com/crmlink/crmlink/crm/sourcetest"
)

func activity(kind crm.ActivityKind, obj crm.Object, id, key string) crm.Activity {
	return crm.Activity{
		Kind: kind, Record: crm.RecordRef{Org: "00D000000000001AAA", Object: obj, ID: id},
		Subject: "InMail: Intro to Acme", Body: "Hi Zoë, <b>great</b> to meet you",
		OccurredAt: time.Date(2024, 5, 1, 22, 30, 0, 0, time.FixedZone("PDT", -7*3600)),
		Author:     sourcetest.UserID(3), ExternalKey: key,
	}
}

func TestWriteActivities(t *testing.T) {
	f := newFakeOrg(t, sourcetest.Fixture())
	src := f.source(t)
	bad := "003000000000099BAD"
	f.badIDs[bad] = true
	acts := []crm.Activity{
		activity(crm.InMail, crm.ObjectContact, sourcetest.ContactID(1), "inmail-1"),
		activity(crm.Message, crm.ObjectLead, sourcetest.LeadID(2), "msg-2"),
		activity(crm.InMail, crm.ObjectContact, bad, "inmail-bad"),
		activity(crm.Note, crm.ObjectAccount, sourcetest.AccountID(3), "note-3"),
		activity(crm.InMail, crm.ObjectOpportunity, sourcetest.OpportunityID(4), "inmail-4"),
		activity(crm.InMail, crm.ObjectUser, sourcetest.UserID(4), "inmail-user"),    // not attachable
		activity(crm.InMail, crm.ObjectContact, "not-an-id", "inmail-badid"),         // invalid ID
		activity(crm.InMail, crm.ObjectContact, sourcetest.ContactID(1), "inmail-1"), // same key twice
	}
	res, err := src.WriteActivities(t.Context(), acts)
	require.NoError(t, err)
	require.Len(t, res, len(acts))
	for i, r := range res {
		assert.Equal(t, acts[i].ExternalKey, r.ExternalKey, "result %d key", i)
	}
	for _, i := range []int{0, 1, 3, 4} {
		assert.NoError(t, res[i].Err, "activity %d", i)
		assert.True(t, res[i].Created, "activity %d created", i)
		assert.NotEmpty(t, res[i].ID, "activity %d ID", i)
	}
	assert.True(t, strings.HasPrefix(res[3].ID, "069"), "a note is a ContentNote: %s", res[3].ID)

	var ae *crm.APIError
	require.ErrorAs(t, res[2].Err, &ae, "per-record error")
	assert.Equal(t, "FIELD_INTEGRITY_EXCEPTION", ae.Code)
	assert.Equal(t, "create Task", ae.Op)
	assert.Empty(t, res[2].ID)
	assert.ErrorIs(t, res[5].Err, crm.ErrInvalid)
	assert.ErrorIs(t, res[6].Err, crm.ErrInvalid)
	assert.Equal(t, res[0].ID, res[7].ID, "a repeated key maps to the first write")
	assert.False(t, res[7].Created)

	f.mu.Lock()
	tasks, notes, links := f.created["Task"], f.created["ContentNote"], f.created["ContentDocumentLink"]
	f.mu.Unlock()
	require.Len(t, tasks, 3)
	require.Len(t, notes, 1)
	require.Len(t, links, 1)
	assert.Equal(t, sourcetest.ContactID(1), tasks[0]["WhoId"])
	assert.Nil(t, tasks[0]["WhatId"])
	assert.Equal(t, sourcetest.LeadID(2), tasks[1]["WhoId"], "a lead is a WhoId")
	assert.Equal(t, sourcetest.OpportunityID(4), tasks[2]["WhatId"], "an opportunity is a WhatId")
	assert.Equal(t, "2024-05-02", tasks[0]["ActivityDate"], "the date in UTC")
	assert.Equal(t, "Completed", tasks[0]["Status"])
	assert.Equal(t, sourcetest.UserID(3), tasks[0]["OwnerId"])
	assert.Regexp(t, `^InMail: Intro to Acme \[crmlink:[0-9a-f]{24}\]$`, tasks[0]["Subject"])
	assert.Equal(t, "Hi Zoë, <b>great</b> to meet you", tasks[0]["Description"])
	content, err := base64.StdEncoding.DecodeString(notes[0]["Content"].(string))
	require.NoError(t, err)
	assert.Equal(t, "Hi Zoë, &lt;b&gt;great&lt;/b&gt; to meet you", string(content), "note content is escaped text")
	assert.Equal(t, res[3].ID, links[0]["ContentDocumentId"])
	assert.Equal(t, sourcetest.AccountID(3), links[0]["LinkedEntityId"])

	t.Run("Idempotent", func(t *testing.T) {
		before := f.count("composite")
		again, err := src.WriteActivities(t.Context(), acts[:5])
		require.NoError(t, err)
		for _, i := range []int{0, 1, 3, 4} {
			assert.NoError(t, again[i].Err)
			assert.False(t, again[i].Created, "activity %d already written", i)
			assert.Equal(t, res[i].ID, again[i].ID, "activity %d keeps its ID", i)
		}
		require.Error(t, again[2].Err, "the failed one is tried again")
		assert.Equal(t, before+1, f.count("composite"), "only the failed task is sent again")
		f.mu.Lock()
		assert.Len(t, f.created["Task"], 3)
		assert.Len(t, f.created["ContentNote"], 1)
		f.mu.Unlock()
	})
}

func TestWriteBatches(t *testing.T) {
	f := newFakeOrg(t, sourcetest.Fixture())
	src := f.source(t)
	var acts []crm.Activity
	for i := range 450 {
		a := activity(crm.Message, crm.ObjectContact, sourcetest.ContactID(i%sourcetest.NumContacts+1), fmt.Sprintf("k%d", i))
		a.Subject = strings.Repeat("é", 200) // 400 bytes: shortened to fit 255 with the marker
		acts = append(acts, a)
	}
	res, err := src.WriteActivities(t.Context(), acts)
	require.NoError(t, err)
	for i, r := range res {
		require.NoError(t, r.Err, "activity %d", i)
		require.True(t, r.Created)
	}
	assert.Equal(t, 3, f.count("composite"), "450 records in collections of at most 200")
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, task := range f.created["Task"] {
		s := task["Subject"].(string)
		assert.LessOrEqual(t, len(s), 255)
		assert.Regexp(t, `^é+ \[crmlink:[0-9a-f]{24}\]$`, s)
	}
}

func TestWriteKeyField(t *testing.T) {
	f := newFakeOrg(t, sourcetest.Fixture())
	src := f.source(t, salesforce.WithExternalKeyField("Crmlink_Key__c"), salesforce.WithTaskFields("LinkedIn", "Completed"))
	a := activity(crm.InMail, crm.ObjectContact, sourcetest.ContactID(2), "k1")
	res, err := src.WriteActivities(t.Context(), []crm.Activity{a})
	require.NoError(t, err)
	require.NoError(t, res[0].Err)
	f.mu.Lock()
	task := f.created["Task"][0]
	q := f.lastSOQL[len(f.lastSOQL)-1]
	f.mu.Unlock()
	assert.Equal(t, "InMail: Intro to Acme", task["Subject"], "no marker in the subject")
	assert.Regexp(t, `^crmlink:[0-9a-f]{24}$`, task["Crmlink_Key__c"])
	assert.Equal(t, "LinkedIn", task["TaskSubtype"])
	assert.Contains(t, q, "Crmlink_Key__c IN ('crmlink:")
}

func TestWriteFailures(t *testing.T) {
	t.Run("ThrottledBatch", func(t *testing.T) {
		f := newFakeOrg(t, sourcetest.Fixture())
		src := f.source(t, fastRetry(1))
		f.inject(&fault{route: "composite", times: 5, status: 403,
			body: `[{"message":"ConcurrentRequests (Concurrent API Requests) Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]`})
		res, err := src.WriteActivities(t.Context(), []crm.Activity{activity(crm.InMail, crm.ObjectContact, sourcetest.ContactID(1), "a")})
		require.NoError(t, err, "a throttled batch fails its activities, not the call")
		assert.ErrorIs(t, res[0].Err, crm.ErrRateLimited)
	})
	t.Run("ResultCountMismatch", func(t *testing.T) {
		f := newFakeOrg(t, sourcetest.Fixture())
		src := f.source(t)
		f.inject(&fault{route: "composite", times: 1, status: 200, body: `[]`})
		res, err := src.WriteActivities(t.Context(), []crm.Activity{activity(crm.InMail, crm.ObjectContact, sourcetest.ContactID(1), "a")})
		require.NoError(t, err)
		assert.ErrorIs(t, res[0].Err, crm.ErrMalformed)
	})
	t.Run("Unauthorized", func(t *testing.T) {
		f := newFakeOrg(t, sourcetest.Fixture())
		src := f.source(t)
		f.inject(&fault{route: "query", times: 2, status: 401, body: `[{"message":"x","errorCode":"INVALID_SESSION_ID"}]`})
		_, err := src.WriteActivities(t.Context(), []crm.Activity{activity(crm.InMail, crm.ObjectContact, sourcetest.ContactID(1), "a")})
		assert.ErrorIs(t, err, crm.ErrUnauthorized, "authentication fails the whole call")
	})
}

func TestWriteNoteRelink(t *testing.T) {
	f := newFakeOrg(t, sourcetest.Fixture())
	src := f.source(t)
	target := sourcetest.ContactID(5)
	f.badIDs[target] = true // the link fails, the note is created
	note := activity(crm.Note, crm.ObjectContact, target, "note-5")
	res, err := src.WriteActivities(t.Context(), []crm.Activity{note})
	require.NoError(t, err)
	require.Error(t, res[0].Err, "the link failed")
	assert.True(t, res[0].Created, "the note itself was created")
	noteID := res[0].ID

	delete(f.badIDs, target)
	res, err = src.WriteActivities(t.Context(), []crm.Activity{note})
	require.NoError(t, err)
	require.NoError(t, res[0].Err)
	assert.False(t, res[0].Created)
	assert.Equal(t, noteID, res[0].ID)
	f.mu.Lock()
	notes, links := len(f.created["ContentNote"]), f.created["ContentDocumentLink"]
	f.mu.Unlock()
	assert.Equal(t, 1, notes, "no second note")
	require.Len(t, links, 1, "the missing link is created")
	assert.Equal(t, noteID, links[0]["ContentDocumentId"])

	before := f.count("composite")
	res, err = src.WriteActivities(t.Context(), []crm.Activity{note})
	require.NoError(t, err)
	require.NoError(t, res[0].Err)
	assert.Equal(t, before, f.count("composite"), "a linked note is left alone")
}
