package salesforce_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/sourcetest"
)

// TestWriteBlankExternalKey: an activity whose ExternalKey is empty or white space is refused on
// its own with crm.ErrInvalid, and nothing about it reaches Salesforce.
func TestWriteBlankExternalKey(t *testing.T) {
	for _, tc := range []struct{ name, key string }{
		{"empty", ""},
		{"space", " "},
		{"tabs and newlines", "\t\r\n \t"},
		{"no-break space", "\u00a0"},
		{"ideographic space", "\u3000 "},
	} {
		for _, kind := range []crm.ActivityKind{crm.InMail, crm.Message, crm.Note} {
			t.Run(tc.name+"/"+string(kind), func(t *testing.T) {
				f := newFakeOrg(t, sourcetest.Fixture())
				src := f.source(t)
				blank := activity(kind, crm.ObjectContact, sourcetest.ContactID(2), tc.key)
				blank.Subject = "BLANK-KEY-SUBJECT"

				res, err := src.WriteActivities(t.Context(), []crm.Activity{blank, blank})
				require.NoError(t, err, "a refused activity does not fail the call")
				require.Len(t, res, 2)
				for i, r := range res {
					if assert.ErrorIs(t, r.Err, crm.ErrInvalid, "result %d", i) {
						assert.Contains(t, r.Err.Error(), "ExternalKey", "result %d names the field", i)
					}
					assert.False(t, r.Created, "result %d", i)
					assert.Empty(t, r.ID, "result %d", i)
					assert.Equal(t, tc.key, r.ExternalKey, "result %d", i)
				}
				assert.Zero(t, f.count("query")+f.count("composite"), "no request for refused activities")

				ok := activity(kind, crm.ObjectContact, sourcetest.ContactID(3), "blank-neighbour")
				res, err = src.WriteActivities(t.Context(), []crm.Activity{blank, ok, blank})
				require.NoError(t, err)
				require.Len(t, res, 3)
				assert.ErrorIs(t, res[0].Err, crm.ErrInvalid)
				assert.ErrorIs(t, res[2].Err, crm.ErrInvalid)
				assert.NoError(t, res[1].Err, "the valid neighbour is written")
				assert.True(t, res[1].Created)
				stored := f.storedActivities()
				require.Len(t, stored, 1, "only the valid neighbour is stored")
				assert.Equal(t, res[1].ID, stored[0].ID)
				f.mu.Lock()
				defer f.mu.Unlock()
				for _, recs := range f.created {
					for _, rec := range recs {
						for _, fld := range []string{"Subject", "Title"} {
							s, _ := rec[fld].(string)
							assert.NotContains(t, s, blank.Subject, "the refused activity was sent")
						}
					}
				}
			})
		}
	}
}

// TestWriteCanceledDuringLastWrite: a ctx canceled while the last request of a call is in flight
// makes WriteActivities return the ctx's error; results say what is known.
func TestWriteCanceledDuringLastWrite(t *testing.T) {
	task := func(n int, key string) crm.Activity {
		return activity(crm.InMail, crm.ObjectContact, sourcetest.ContactID(n), key)
	}
	note := func(n int, key string) crm.Activity {
		return activity(crm.Note, crm.ObjectContact, sourcetest.ContactID(n), key)
	}
	for _, tc := range []struct {
		name string
		acts []crm.Activity
		// match picks the request during which the ctx is canceled, given its body.
		match func(body string) bool
		// answer: the server completes the request and answers after the cancel, instead of
		// waiting for the client to give up.
		answer bool
		// done: the results written before the cancel (Tasks are written before notes).
		done []int
		// created: the results cut off that still report Created (a note whose link was cut off).
		created []int
	}{
		{name: "one task", acts: []crm.Activity{task(1, "c1")}, match: isCreate("Task")},
		{name: "last of two tasks", acts: []crm.Activity{task(1, "c1"), task(2, "c2")}, match: isCreate("Task")},
		{name: "note after tasks", acts: []crm.Activity{note(1, "c1"), task(2, "c2")}, match: isCreate("ContentNote"), done: []int{1}},
		{name: "note link", acts: []crm.Activity{task(2, "c2"), note(1, "c1")}, match: isCreate("ContentDocumentLink"), done: []int{0}, created: []int{1}},
		{name: "task answered after cancel", acts: []crm.Activity{task(1, "c1"), task(2, "c2")}, match: isCreate("Task"), answer: true},
		{name: "link answered after cancel", acts: []crm.Activity{note(1, "c1")}, match: isCreate("ContentDocumentLink"), answer: true, created: []int{0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeOrg(t, sourcetest.Fixture())
			src := f.source(t)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			returned := make(chan struct{})
			var hits atomic.Int32
			f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
				if route(r.URL.Path) != "composite" {
					return false
				}
				body, _ := io.ReadAll(r.Body)
				if !tc.match(string(body)) {
					r.Body = io.NopCloser(strings.NewReader(string(body)))
					return false
				}
				hits.Add(1)
				cancel()
				if tc.answer {
					// The org did the work; the answer races with the client noticing the cancel.
					r.Body = io.NopCloser(strings.NewReader(string(body)))
					f.composite(w, r)
					return true
				}
				select { // answer nothing until the client gave up
				case <-r.Context().Done():
				case <-returned:
				}
				return true
			})
			res, err := src.WriteActivities(ctx, tc.acts)
			close(returned)
			require.EqualValues(t, 1, hits.Load(), "the ctx was canceled during the request")
			require.ErrorIs(t, err, context.Canceled)
			var ae *crm.APIError
			assert.ErrorAs(t, err, &ae, "the error is typed")
			for _, a := range tc.acts {
				assert.NotContains(t, err.Error(), a.Body)
			}
			require.Len(t, res, len(tc.acts), "one result per activity, even when the call fails")
			for i, r := range res {
				assert.Equal(t, tc.acts[i].ExternalKey, r.ExternalKey)
				switch {
				case contains(tc.done, i):
					assert.NoError(t, r.Err, "result %d: written before the cancel", i)
					assert.True(t, r.Created, "result %d: written before the cancel", i)
				case tc.answer && r.Err == nil:
					assert.True(t, r.Created, "result %d: written before the cancel was noticed", i)
				case errors.Is(r.Err, context.Canceled):
					assert.Equal(t, contains(tc.created, i), r.Created, "result %d created", i)
				default:
					t.Errorf("result %d: Err = %v, want nil or context.Canceled", i, r.Err)
				}
			}
		})
	}
}

func isCreate(sobject string) func(string) bool {
	return func(body string) bool { return strings.Contains(body, `"type":"`+sobject+`"`) }
}

func contains(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// TestTruncatedAnswer: an answer cut off mid-body (the connection drops after the headers) is a
// transport failure, crm.ErrUnavailable, for reads and writes alike; simpleforce, which logs the
// URL of a failed request (SOQL with record IDs) to the standard logger, never sees it.
func TestTruncatedAnswer(t *testing.T) {
	var logs bytes.Buffer
	log.SetOutput(&logs)
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	for _, rt := range []string{"query", "composite"} {
		t.Run(rt, func(t *testing.T) {
			logs.Reset()
			f := newFakeOrg(t, sourcetest.Fixture())
			src := f.source(t, fastRetry(-1))
			f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
				if route(r.URL.Path) != rt {
					return false
				}
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Content-Length", "4096")
				w.WriteHeader(http.StatusOK)
				io.WriteString(w, `{"totalSize":1,"done":true,"records":[{"Id":"003`)
				w.(http.Flusher).Flush()
				panic(http.ErrAbortHandler) // drop the connection mid-body
			})
			var err error
			if rt == "query" {
				_, err = crm.Collect(src.Contacts(t.Context(), crm.Filter{IDs: []string{sourcetest.ContactID(1)}}))
			} else {
				var res []crm.WriteResult
				res, err = src.WriteActivities(t.Context(), []crm.Activity{activity(crm.InMail, crm.ObjectContact, sourcetest.ContactID(1), "k")})
				require.NoError(t, err, "a failed request fails its activities, not the call")
				require.Len(t, res, 1)
				err = res[0].Err
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, crm.ErrUnavailable)
			assert.Contains(t, err.Error(), "read answer: unexpected EOF")
			assert.NotContains(t, err.Error(), sourcetest.ContactID(1), "the error quotes no URL")
			assert.Empty(t, logs.String(), "nothing logged")
		})
	}
}
