package salesforce_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/salesforce"
	"github.com/crmlink/crmlink/crm/sourcetest"
)

// answer reads a response body of testdata/answers (see its README for status and source).
func answer(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "answers", name))
	require.NoError(t, err)
	return string(b)
}

func bulkSource(t *testing.T, f *fakeOrg, retries int) *salesforce.Source {
	return f.source(t, salesforce.WithBulk(true), salesforce.WithBulkPolling(time.Millisecond, 2*time.Millisecond),
		salesforce.WithBulkPageSize(5), fastRetry(retries))
}

func apiErr(t *testing.T, err error) *crm.APIError {
	t.Helper()
	var ae *crm.APIError
	require.ErrorAs(t, err, &ae)
	return ae
}

// A results request answered 204 No Content must never pass for an empty last page.
func TestBulkResultsNoContent(t *testing.T) {
	t.Run("FirstPage", func(t *testing.T) {
		f := newFakeOrg(t, sourcetest.Fixture())
		src := bulkSource(t, f, 3)
		f.inject(&fault{route: "results", times: 1, status: http.StatusNoContent})
		got, err := crm.Collect(src.Accounts(t.Context(), crm.Filter{}))
		require.Error(t, err)
		assert.Empty(t, got)
		assert.ErrorIs(t, err, crm.ErrServer)
		assert.Equal(t, http.StatusNoContent, apiErr(t, err).Status)
		assert.Contains(t, err.Error(), "16 records", "names the job's count")
		_, retryable := crm.RetryAfter(err)
		assert.False(t, retryable)
		assert.Equal(t, 1, f.count("results"), "not retried")
	})
	t.Run("LaterPage", func(t *testing.T) {
		f := newFakeOrg(t, sourcetest.Fixture())
		src := bulkSource(t, f, 3)
		f.inject(&fault{route: "results", skip: 1, times: 1, status: http.StatusNoContent})
		got, err := crm.Collect(src.Accounts(t.Context(), crm.Filter{}))
		require.ErrorIs(t, err, crm.ErrServer)
		assert.Len(t, got, 5, "the first page only")
	})
	t.Run("JobProcessedNothing", func(t *testing.T) {
		f := newFakeOrg(t, sourcetest.Fixture())
		src := bulkSource(t, f, 3)
		f.inject(&fault{route: "results", times: 1, status: http.StatusNoContent})
		got, err := crm.Collect(src.Accounts(t.Context(), crm.Filter{IDs: []string{"001R0000000UyrWIAS"}}))
		require.NoError(t, err, "no record to serve: 204 is an empty result")
		assert.Empty(t, got)
	})
}

// A results read that ends short of the job's numberRecordsProcessed is an error.
func TestBulkResultsShortOfJobCount(t *testing.T) {
	f := newFakeOrg(t, sourcetest.Fixture())
	src := bulkSource(t, f, 3)
	f.inject(&fault{route: "results", times: 1, status: http.StatusOK,
		body:   "\"Id\",\"Name\",\"Industry\",\"Website\",\"BillingCity\",\"BillingCountry\",\"OwnerId\",\"LastModifiedDate\"\n\"001R0000000UyrWIAS\",\"Acme Corp\",\"\",\"\",\"\",\"\",\"005R0000000GiwjIAC\",\"\"\n",
		header: http.Header{"Content-Type": {"text/csv"}, "Sforce-Locator": {"null"}, "Sforce-Numberofrecords": {"1"}}})
	got, err := crm.Collect(src.Accounts(t.Context(), crm.Filter{}))
	require.ErrorIs(t, err, crm.ErrServer)
	assert.Len(t, got, 1)
	assert.Contains(t, err.Error(), "results hold 1 records, the job processed 16")
}

// 412 JOB_NOT_COMPLETE is waited for; 409 is a conflict, not retried.
func TestBulkResultsNotReadyAndConflict(t *testing.T) {
	want, err := crm.Collect(newFakeOrg(t, sourcetest.Fixture()).source(t).Accounts(t.Context(), crm.Filter{}))
	require.NoError(t, err)

	t.Run("NotCompleteIsWaitedFor", func(t *testing.T) {
		f := newFakeOrg(t, sourcetest.Fixture())
		src := bulkSource(t, f, -1) // no retries: the adapter goes back to polling the job
		f.inject(&fault{route: "results", times: 1, status: http.StatusPreconditionFailed, body: answer(t, "job_not_complete.json")})
		got, err := crm.Collect(src.Accounts(t.Context(), crm.Filter{}))
		require.NoError(t, err)
		assert.Equal(t, want, got)
		assert.GreaterOrEqual(t, f.count("jobs"), 4, "create, two polls, and a poll after the 412")
	})
	t.Run("NotCompleteRetriedByPolicy", func(t *testing.T) {
		f := newFakeOrg(t, sourcetest.Fixture())
		src := bulkSource(t, f, 3)
		f.inject(&fault{route: "results", times: 2, status: http.StatusPreconditionFailed, body: answer(t, "job_not_complete.json")})
		got, err := crm.Collect(src.Accounts(t.Context(), crm.Filter{}))
		require.NoError(t, err)
		assert.Equal(t, want, got)
	})
	t.Run("NeverComplete", func(t *testing.T) {
		f := newFakeOrg(t, sourcetest.Fixture())
		src := bulkSource(t, f, 1)
		f.inject(&fault{route: "results", times: 1000, status: http.StatusPreconditionFailed, body: answer(t, "job_not_complete.json")})
		_, err := crm.Collect(src.Accounts(t.Context(), crm.Filter{}))
		require.ErrorIs(t, err, crm.ErrNotReady)
		ae := apiErr(t, err)
		assert.Equal(t, http.StatusPreconditionFailed, ae.Status)
		assert.Equal(t, "JOB_NOT_COMPLETE", ae.Code)
		_, retryable := crm.RetryAfter(err)
		assert.True(t, retryable, "the caller may wait and read again")
		assert.Equal(t, 8, f.count("results"), "4 rounds of a try and a retry")
		assert.NotContains(t, err.Error(), "IN_PROGRESS", "no vendor message")
	})
	t.Run("ConflictOnAnotherVersion", func(t *testing.T) {
		f := newFakeOrg(t, sourcetest.Fixture())
		src := bulkSource(t, f, 3)
		f.inject(&fault{route: "results", times: 1, status: http.StatusConflict, body: answer(t, "results_version_conflict.json")})
		_, err := crm.Collect(src.Accounts(t.Context(), crm.Filter{}))
		require.ErrorIs(t, err, crm.ErrConflict)
		assert.Equal(t, http.StatusConflict, apiErr(t, err).Status)
		_, retryable := crm.RetryAfter(err)
		assert.False(t, retryable)
		assert.Equal(t, 1, f.count("results"), "not retried")
	})
}

// The daily limit stops at once with its own class; the concurrency throttle is retried.
func TestRequestLimits(t *testing.T) {
	t.Run("DailyLimit", func(t *testing.T) {
		f := newFakeOrg(t, sourcetest.Fixture())
		src := f.source(t, fastRetry(4))
		f.inject(&fault{route: "query", times: 100, status: http.StatusForbidden, body: answer(t, "daily_limit.json")})
		_, err := crm.Collect(src.Contacts(t.Context(), crm.Filter{}))
		require.ErrorIs(t, err, crm.ErrQuotaExceeded)
		assert.NotErrorIs(t, err, crm.ErrRateLimited)
		ae := apiErr(t, err)
		assert.Equal(t, http.StatusForbidden, ae.Status)
		assert.Equal(t, "REQUEST_LIMIT_EXCEEDED", ae.Code)
		_, retryable := crm.RetryAfter(err)
		assert.False(t, retryable)
		assert.Equal(t, 1, f.count("query"), "no retry can succeed within the window")
		assert.NotContains(t, err.Error(), "TotalRequests", "the message is read, not kept")
	})
	t.Run("DailyLimitOnBulkJob", func(t *testing.T) {
		f := newFakeOrg(t, sourcetest.Fixture())
		src := bulkSource(t, f, 4)
		f.inject(&fault{route: "jobs", times: 100, status: http.StatusForbidden, body: answer(t, "daily_limit.json")})
		_, err := crm.Collect(src.Accounts(t.Context(), crm.Filter{}))
		require.ErrorIs(t, err, crm.ErrQuotaExceeded)
		assert.Equal(t, 1, f.count("jobs"))
	})
	t.Run("ConcurrentLimit", func(t *testing.T) {
		f := newFakeOrg(t, sourcetest.Fixture())
		src := f.source(t, fastRetry(4))
		f.inject(&fault{route: "query", times: 2, status: http.StatusForbidden, body: answer(t, "concurrent_limit.json")})
		got, err := crm.Collect(src.Contacts(t.Context(), crm.Filter{}))
		require.NoError(t, err)
		assert.Len(t, got, sourcetest.NumContacts)
	})
	t.Run("ConcurrentLimitExhausted", func(t *testing.T) {
		f := newFakeOrg(t, sourcetest.Fixture())
		src := f.source(t, fastRetry(2))
		f.inject(&fault{route: "query", times: 100, status: http.StatusForbidden, body: answer(t, "concurrent_limit.json")})
		_, err := crm.Collect(src.Contacts(t.Context(), crm.Filter{}))
		require.ErrorIs(t, err, crm.ErrRateLimited)
		assert.NotErrorIs(t, err, crm.ErrQuotaExceeded)
		assert.Equal(t, 3, f.count("query"))
	})
}

// A user whose IsActive is missing or null is read as inactive, and so sees nothing.
func TestUserWithoutActiveFlag(t *testing.T) {
	f := newFakeOrg(t, sourcetest.Fixture())
	src := f.source(t)
	page := map[string]any{"totalSize": 3, "done": true, "records": []map[string]any{
		{"attributes": map[string]any{"type": "User", "url": "/services/data/v59.0/sobjects/User/005R0000000GiwjIAC"},
			"Id": "005R0000000GiwjIAC", "Name": "Ops User", "Email": "ops@acme.example", "UserRoleId": "00ER0000000ABCDEFG", "IsActive": true},
		{"attributes": map[string]any{"type": "User", "url": "/services/data/v59.0/sobjects/User/005R0000000GiwkIAC"},
			"Id": "005R0000000GiwkIAC", "Name": "No Flag", "Email": "noflag@acme.example", "UserRoleId": "00ER0000000ABCDEFG"},
		{"attributes": map[string]any{"type": "User", "url": "/services/data/v59.0/sobjects/User/005R0000000GiwlIAC"},
			"Id": "005R0000000GiwlIAC", "Name": "Null Flag", "Email": "null@acme.example", "UserRoleId": "00ER0000000ABCDEFG", "IsActive": nil},
	}}
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if route(r.URL.Path) != "query" || !strings.Contains(r.URL.Query().Get("q"), "FROM User") {
			return false
		}
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		json.NewEncoder(w).Encode(page)
		return true
	})
	users, err := crm.Collect(src.Users(t.Context()))
	require.NoError(t, err)
	require.Len(t, users, 3)
	assert.True(t, users[0].IsActive)
	assert.False(t, users[1].IsActive, "missing IsActive reads as inactive")
	assert.False(t, users[2].IsActive, "null IsActive reads as inactive")
	v := crm.NewVisibility(users, nil, crm.OrgDefaults{crm.ObjectAccount: crm.PublicRead})
	assert.True(t, v.CanSee(users[0].ID, users[1].ID, crm.ObjectAccount))
	assert.False(t, v.CanSee(users[1].ID, users[1].ID, crm.ObjectAccount), "an inactive user sees nothing, not even public records")
}
