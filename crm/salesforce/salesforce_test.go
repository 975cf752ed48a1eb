package salesforce_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/salesforce"
	"github.com/crmlink/crmlink/crm/sourcetest"
)

// fastRetry retries quickly and deterministically.
func fastRetry(n int) salesforce.Option {
	return salesforce.WithBackoff(crm.Backoff{Retries: n, Base: time.Millisecond, Max: 5 * time.Millisecond, Jitter: -1})
}

func TestPaging(t *testing.T) {
	f := newFakeOrg(t, sourcetest.Fixture())
	src := f.source(t)
	got, err := crm.Collect(src.Contacts(t.Context(), crm.Filter{}))
	require.NoError(t, err)
	assert.Len(t, got, sourcetest.NumContacts)
	// 24 contacts at 7 per page: the query and three queryMore calls.
	assert.Equal(t, 4, f.count("query"), "REST calls for %d contacts", sourcetest.NumContacts)
	ids := map[string]bool{}
	for _, c := range got {
		ids[c.ID] = true
	}
	assert.Len(t, ids, sourcetest.NumContacts, "distinct contacts")
}

func TestFilterSOQL(t *testing.T) {
	f := newFakeOrg(t, sourcetest.Fixture())
	src := f.source(t)
	since := time.Date(2024, 3, 1, 10, 30, 15, 999, time.FixedZone("CET", 3600))
	_, err := crm.Collect(src.Accounts(t.Context(), crm.Filter{ModifiedSince: since, IDs: []string{sourcetest.AccountID(2), sourcetest.AccountID(1)}}))
	require.NoError(t, err)
	f.mu.Lock()
	q := f.lastSOQL[len(f.lastSOQL)-1]
	f.mu.Unlock()
	assert.Equal(t, "SELECT Id, Name, Industry, Website, BillingCity, BillingCountry, OwnerId, LastModifiedDate FROM Account"+
		" WHERE LastModifiedDate >= 2024-03-01T09:30:15Z AND Id IN ('001000000000001AAA','001000000000002AAA') ORDER BY Id", q)

	_, err = crm.Collect(src.Contacts(t.Context(), crm.Filter{IDs: []string{"003' OR Name != '"}}))
	assert.ErrorIs(t, err, crm.ErrInvalid, "an ID that is not a Salesforce ID")
}

func TestExpiredSession(t *testing.T) {
	f := newFakeOrg(t, sourcetest.Fixture())
	src := f.source(t)
	require.Equal(t, 1, f.count("token"))
	f.expire()
	got, err := crm.Collect(src.Accounts(t.Context(), crm.Filter{}))
	require.NoError(t, err)
	assert.Len(t, got, sourcetest.NumAccounts)
	assert.Equal(t, 2, f.count("token"), "one re-authentication")

	t.Run("TwiceRefused", func(t *testing.T) {
		f.inject(&fault{route: "query", times: 2, status: 401,
			body: `[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]`})
		before := f.count("token")
		_, err := crm.Collect(src.Accounts(t.Context(), crm.Filter{}))
		require.Error(t, err)
		assert.ErrorIs(t, err, crm.ErrUnauthorized)
		var ae *crm.APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, "INVALID_SESSION_ID", ae.Code)
		assert.Equal(t, 401, ae.Status)
		assert.Equal(t, before+1, f.count("token"), "re-authenticated once, not in a loop")
	})
}

func TestThrottle(t *testing.T) {
	limit := `[{"message":"ConcurrentRequests (Concurrent API Requests) Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]`
	tests := []struct {
		name   string
		fault  fault
		retry  int
		wantOK bool
		class  error
		status int
		code   string
		calls  int
	}{
		{name: "LimitThenSuccess", fault: fault{times: 1, status: 403, body: limit}, retry: 3, wantOK: true, calls: 4},
		{name: "UnavailableThenSuccess", fault: fault{times: 2, status: 503, body: `[{"message":"down","errorCode":"SERVER_UNAVAILABLE"}]`}, retry: 3, wantOK: true, calls: 5},
		{name: "TooManyRequestsRetryAfter", fault: fault{times: 1, status: 429, body: limit, header: http.Header{"Retry-After": {"0"}}}, retry: 3, wantOK: true, calls: 4},
		{name: "BudgetExhausted", fault: fault{times: 100, status: 403, body: limit}, retry: 2,
			class: crm.ErrRateLimited, status: 403, code: "REQUEST_LIMIT_EXCEEDED", calls: 3},
		{name: "UnavailableExhausted", fault: fault{times: 100, status: 503, body: `<html>Service Unavailable</html>`}, retry: 1,
			class: crm.ErrUnavailable, status: 503, calls: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeOrg(t, sourcetest.Fixture())
			src := f.source(t, fastRetry(tc.retry))
			fl := tc.fault
			fl.route = "query"
			f.inject(&fl)
			got, err := crm.Collect(src.Accounts(t.Context(), crm.Filter{}))
			assert.Equal(t, tc.calls, f.count("query"), "query calls")
			if tc.wantOK {
				require.NoError(t, err)
				assert.Len(t, got, sourcetest.NumAccounts)
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.class)
			var ae *crm.APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tc.status, ae.Status)
			assert.Equal(t, tc.code, ae.Code)
			assert.Equal(t, "query Account", ae.Op)
			d, retryable := crm.RetryAfter(err)
			assert.True(t, retryable, "the caller may retry later")
			assert.Zero(t, d)
		})
	}
}

func TestErrorBodies(t *testing.T) {
	tests := []struct {
		name   string
		fault  fault
		class  error
		status int
		code   string
	}{
		{"MalformedQuery", fault{status: 400, body: `[{"message":"\nSELECT Id FORM Contact\n ^\nERROR at Row:1:Column:11","errorCode":"MALFORMED_QUERY"}]`}, crm.ErrMalformedQuery, 400, "MALFORMED_QUERY"},
		{"InvalidField", fault{status: 400, body: `[{"message":"No such column 'Foo'","errorCode":"INVALID_FIELD"}]`}, crm.ErrMalformedQuery, 400, "INVALID_FIELD"},
		{"NotFound", fault{status: 404, body: `[{"message":"The requested resource does not exist","errorCode":"NOT_FOUND"}]`}, crm.ErrNotFound, 404, "NOT_FOUND"},
		{"Forbidden", fault{status: 403, body: `[{"message":"no access","errorCode":"INSUFFICIENT_ACCESS"}]`}, crm.ErrUnauthorized, 403, "INSUFFICIENT_ACCESS"},
		{"Server", fault{status: 500, body: `[{"message":"An unexpected error occurred","errorCode":"UNKNOWN_EXCEPTION"}]`}, crm.ErrServer, 500, "UNKNOWN_EXCEPTION"},
		{"NotJSON", fault{status: 500, body: `<html>oops</html>`}, crm.ErrServer, 500, ""},
		{"EmptyArray", fault{status: 400, body: `[]`}, crm.ErrMalformedQuery, 400, ""},
		{"MalformedJSON", fault{status: 200, body: `{"totalSize": 3, "done": tru`}, crm.ErrMalformed, 0, ""},
		{"WrongShape", fault{status: 200, body: `{"records": "nope"}`}, crm.ErrMalformed, 0, ""},
		{"NotAResult", fault{status: 200, body: `[1,2,3]`}, crm.ErrMalformed, 0, ""},
		{"UnfinishedWithoutNext", fault{status: 200, body: `{"totalSize":9,"done":false,"records":[]}`}, crm.ErrMalformed, 0, ""},
	}
	for _, tc := range tests {
		for _, page := range []int{0, 1} {
			t.Run(tc.name+map[int]string{0: "/FirstPage", 1: "/QueryMore"}[page], func(t *testing.T) {
				f := newFakeOrg(t, sourcetest.Fixture())
				src := f.source(t, fastRetry(-1))
				fl := tc.fault
				fl.route, fl.times, fl.skip = "query", 1, page
				f.inject(&fl)
				n, errs := 0, 0
				var last error
				for _, err := range src.Contacts(t.Context(), crm.Filter{}) {
					if err != nil {
						errs++
						last = err
						continue
					}
					n++
				}
				require.Error(t, last)
				assert.Equal(t, 1, errs, "one error ends the stream")
				assert.Equal(t, page*7, n, "records before the failing page")
				assert.ErrorIs(t, last, tc.class)
				var ae *crm.APIError
				require.ErrorAs(t, last, &ae)
				assert.Equal(t, tc.status, ae.Status)
				assert.Equal(t, tc.code, ae.Code)
			})
		}
	}
}

func TestCancelMidStream(t *testing.T) {
	f := newFakeOrg(t, sourcetest.Fixture())
	src := f.source(t)
	base := runtime.NumGoroutine()

	t.Run("BetweenRecords", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		n, errs := 0, 0
		var last error
		for _, err := range src.Contacts(ctx, crm.Filter{}) {
			if err != nil {
				errs++
				last = err
				continue
			}
			if n++; n == 3 {
				cancel() // mid-page: the first page holds 7
			}
		}
		assert.ErrorIs(t, last, context.Canceled)
		assert.Equal(t, 1, errs)
		assert.Equal(t, 3, n, "no record after the cancellation")
	})
	t.Run("DuringRequest", func(t *testing.T) {
		f.inject(&fault{route: "query", skip: 1, times: 1, hang: true}) // the second page never comes
		ctx, cancel := context.WithCancel(t.Context())
		n := 0
		var last error
		start := time.Now()
		for _, err := range src.Contacts(ctx, crm.Filter{}) {
			if err != nil {
				last = err
				break
			}
			if n++; n == 7 {
				time.AfterFunc(50*time.Millisecond, cancel)
			}
		}
		cancel()
		assert.ErrorIs(t, last, context.Canceled)
		assert.Less(t, time.Since(start), 5*time.Second, "cancellation is prompt")
	})
	t.Run("Bulk", func(t *testing.T) {
		bsrc := f.source(t, salesforce.WithBulk(true), salesforce.WithBulkPolling(time.Millisecond, time.Millisecond), salesforce.WithBulkPageSize(5))
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		n := 0
		var last error
		for _, err := range bsrc.Contacts(ctx, crm.Filter{}) {
			if err != nil {
				last = err
				continue
			}
			if n++; n == 2 {
				cancel()
			}
		}
		assert.ErrorIs(t, last, context.Canceled)
		assert.Equal(t, 2, n)
	})
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > base+2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), base+2, "goroutines left behind")
}

func TestBulk(t *testing.T) {
	f := newFakeOrg(t, sourcetest.Fixture())
	rest := f.source(t)
	bulk := f.source(t, salesforce.WithBulk(true), salesforce.WithBulkPolling(time.Millisecond, 2*time.Millisecond), salesforce.WithBulkPageSize(5))
	want, err := crm.Collect(rest.Accounts(t.Context(), crm.Filter{}))
	require.NoError(t, err)
	got, err := crm.Collect(bulk.Accounts(t.Context(), crm.Filter{}))
	require.NoError(t, err)
	assert.Equal(t, want, got, "Bulk and REST read the same accounts")
	// 16 accounts at 5 per page: 4 result chunks, the last with Sforce-Locator: null.
	assert.Equal(t, 4, f.count("results"), "result pages")
	assert.GreaterOrEqual(t, f.count("jobs"), 3, "create and at least two polls")

	t.Run("JobFailed", func(t *testing.T) {
		f.inject(&fault{route: "jobs", skip: 1, times: 1, status: 200,
			body: `{"id":"750R0000000zlh9IAA","state":"Failed","errorMessage":"secret@acme.example is invalid"}`})
		_, err := crm.Collect(bulk.Accounts(t.Context(), crm.Filter{}))
		require.Error(t, err)
		assert.ErrorIs(t, err, crm.ErrServer)
		assert.NotContains(t, err.Error(), "secret@acme.example")
	})
	t.Run("BadCSV", func(t *testing.T) {
		f.inject(&fault{route: "results", times: 1, status: 200, body: "\"Id\",\"Name\"\n\"001\",\"unterminated\n",
			header: http.Header{"Sforce-Locator": {"null"}}})
		_, err := crm.Collect(bulk.Accounts(t.Context(), crm.Filter{}))
		require.Error(t, err)
		assert.ErrorIs(t, err, crm.ErrMalformed)
	})
	t.Run("ThrottledResultPage", func(t *testing.T) {
		b := f.source(t, salesforce.WithBulk(true), salesforce.WithBulkPolling(time.Millisecond, time.Millisecond),
			salesforce.WithBulkPageSize(5), fastRetry(2))
		f.inject(&fault{route: "results", skip: 1, times: 1, status: 403,
			body: `[{"message":"ConcurrentRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]`})
		got, err := crm.Collect(b.Accounts(t.Context(), crm.Filter{}))
		require.NoError(t, err)
		assert.Equal(t, want, got, "the page is re-fetched by its locator")
	})
}

func TestInsecure(t *testing.T) {
	tok := (&oauth2.Token{AccessToken: "00Dfake!token"}).WithExtra(map[string]any{"instance_url": "http://acme.my.salesforce.com"})
	_, err := salesforce.New(t.Context(), salesforce.Config{TokenSource: staticToken{tok}})
	assert.ErrorIs(t, err, crm.ErrInsecure, "http instance_url from the token")

	_, err = salesforce.New(t.Context(), salesforce.Config{InstanceURL: "http://acme.my.salesforce.com",
		TokenSource: staticToken{&oauth2.Token{AccessToken: "x"}}, AllowInsecureLoopback: true})
	assert.ErrorIs(t, err, crm.ErrInsecure, "AllowInsecureLoopback does not cover a remote host")

	// A plain-HTTP loopback server is accepted only when allowed.
	f := newFakeOrg(t, sourcetest.Fixture())
	plain := httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(plain.Close)
	cfg := f.config()
	f.mu.Lock()
	f.valid["00Dplain!token"] = true
	f.mu.Unlock()
	cfg.TokenSource = staticToken{&oauth2.Token{AccessToken: "00Dplain!token"}}
	cfg.InstanceURL, cfg.HTTPClient = plain.URL, plain.Client()
	_, err = salesforce.New(t.Context(), cfg)
	assert.ErrorIs(t, err, crm.ErrInsecure)
	cfg.AllowInsecureLoopback = true
	src, err := salesforce.New(t.Context(), cfg)
	require.NoError(t, err)
	got, err := crm.Collect(src.Roles(t.Context()))
	require.NoError(t, err)
	assert.Len(t, got, len(sourcetest.Fixture().Roles))

	jc := &salesforce.JWTConfig{ClientID: "c", Username: "u", PrivateKey: f.key, TokenURL: "http://login.salesforce.com/services/oauth2/token"}
	_, err = jc.TokenSource(t.Context()).Token()
	assert.ErrorIs(t, err, crm.ErrInsecure, "JWT token URL over HTTP")
}

func TestClientCredentials(t *testing.T) {
	f := newFakeOrg(t, sourcetest.Fixture())
	ctx := context.WithValue(t.Context(), oauth2.HTTPClient, f.srv.Client())
	cc := &clientcredentials.Config{ClientID: "3MVG9fake", ClientSecret: "s3cr3t-client-secret", TokenURL: f.srv.URL + "/services/oauth2/token"}
	src, err := salesforce.New(t.Context(), salesforce.Config{TokenSource: salesforce.ClientCredentials(ctx, cc), HTTPClient: f.srv.Client()})
	require.NoError(t, err)
	assert.Equal(t, f.srv.URL, src.InstanceURL(), "instance_url from the token response")
	f.expire()
	users, err := crm.Collect(src.Users(t.Context()))
	require.NoError(t, err)
	assert.Len(t, users, sourcetest.NumUsers)
	assert.Equal(t, 2, f.count("token"), "a new token after INVALID_SESSION_ID")

	bad := *cc
	bad.ClientSecret = "wrong-s3cr3t"
	_, err = salesforce.New(t.Context(), salesforce.Config{TokenSource: salesforce.ClientCredentials(ctx, &bad), HTTPClient: f.srv.Client()})
	require.Error(t, err)
	assert.ErrorIs(t, err, crm.ErrUnauthorized)
	var ae *crm.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "invalid_client", ae.Code)
	assert.NotContains(t, err.Error(), "wrong-s3cr3t")
	assert.NotContains(t, err.Error(), "invalid client credentials", "the error_description is not kept")
}

func TestJWTRejected(t *testing.T) {
	f := newFakeOrg(t, sourcetest.Fixture())
	cfg := f.config()
	other, err := rsa.GenerateKey(rand.Reader, 2048) // not the connected app's key
	require.NoError(t, err)
	jc := &salesforce.JWTConfig{ClientID: "3MVG9fake", Username: "integration@acme.example", PrivateKey: other,
		TokenURL: f.srv.URL + "/services/oauth2/token", HTTPClient: f.srv.Client()}
	cfg.TokenSource = jc.TokenSource(t.Context())
	_, err = salesforce.New(t.Context(), cfg)
	require.Error(t, err)
	assert.ErrorIs(t, err, crm.ErrUnauthorized)
	var ae *crm.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "invalid_grant", ae.Code)
	assert.Equal(t, 400, ae.Status)
}

func TestStageFilterSOQL(t *testing.T) {
	f := newFakeOrg(t, sourcetest.Fixture())
	src := f.source(t)
	accts, contacts, err := src.TiedToOpenOpportunities(t.Context(), "Needs Analysis")
	require.NoError(t, err)
	wantA, wantC, err := crm.FilterByStage(t.Context(), src, "Needs Analysis")
	require.NoError(t, err)
	assert.Equal(t, wantA, accts)
	assert.Equal(t, wantC, contacts)
	f.mu.Lock()
	joined := strings.Join(f.lastSOQL, "\n")
	f.mu.Unlock()
	assert.Contains(t, joined, "SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Opportunity WHERE IsClosed = false AND StageName IN ('Needs Analysis','Proposal/Price Quote','Negotiation/Review','Closed Won','Closed Lost'))")

	_, _, err = src.TiedToOpenOpportunities(t.Context(), "O'Brien stage")
	assert.ErrorIs(t, err, crm.ErrUnknownStage)
}

func TestNewErrors(t *testing.T) {
	_, err := salesforce.New(t.Context(), salesforce.Config{})
	assert.ErrorIs(t, err, crm.ErrInvalid)
	_, err = salesforce.New(t.Context(), salesforce.Config{TokenSource: staticToken{&oauth2.Token{AccessToken: "x"}}})
	assert.ErrorIs(t, err, crm.ErrInvalid, "no instance URL anywhere")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = salesforce.New(ctx, salesforce.Config{TokenSource: staticToken{&oauth2.Token{AccessToken: "x"}}, InstanceURL: "https://a.example"})
	assert.True(t, errors.Is(err, context.Canceled))
}
