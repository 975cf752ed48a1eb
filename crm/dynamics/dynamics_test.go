package dynamics_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/dynamics"
	"github.com/crmlink/crmlink/crm/sourcetest"
)

func fixture() *sourcetest.Dataset { return sourcetest.Fixture().WithBusinessUnits() }

// failFirst answers the first n API requests whose path contains match with answer.
func failFirst(n int64, match string, answer func(w http.ResponseWriter)) func(http.ResponseWriter, *http.Request) bool {
	var seen atomic.Int64
	return func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.Contains(r.URL.Path, match) || seen.Add(1) > n {
			return false
		}
		answer(w)
		return true
	}
}

func throttled(retryAfter string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		dvError(w, http.StatusTooManyRequests, "0x80072322", "Number of requests exceeded the limit of 6000 over time window of 300 seconds.")
	}
}

func apiError(t *testing.T, err error) *crm.APIError {
	t.Helper()
	var ae *crm.APIError
	require.ErrorAs(t, err, &ae)
	return ae
}

func TestPaging(t *testing.T) {
	ds := fixture()
	f := newFakeOrg(t, ds)
	src := f.source(t)
	got, err := crm.Collect(src.Contacts(t.Context(), crm.Filter{}))
	require.NoError(t, err)
	assert.Len(t, got, len(ds.Contacts))

	var pages int
	for _, r := range f.requestLog() {
		if r == "GET /api/data/v9.2/contacts" {
			pages++
		}
	}
	assert.Equal(t, 4, pages, "24 contacts at 7 per page")
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, p := range f.prefers {
		assert.Equal(t, `odata.maxpagesize=7,odata.include-annotations="*"`, p)
	}
}

func TestFormattedValues(t *testing.T) {
	ds := fixture()
	src := newFakeOrg(t, ds).source(t)
	accounts, err := crm.Collect(src.Accounts(t.Context(), crm.Filter{IDs: []string{ds.Accounts[0].ID, ds.Accounts[1].ID}}))
	require.NoError(t, err)
	require.Len(t, accounts, 2)
	assert.Equal(t, ds.Accounts[0].Industry, accounts[0].Industry, "industrycode read through its formatted value")
	assert.Equal(t, ds.Accounts[1].Industry, accounts[1].Industry)

	stages, err := crm.Collect(src.Stages(t.Context()))
	require.NoError(t, err)
	var names []string
	for _, s := range stages {
		names = append(names, s.Name)
	}
	assert.Equal(t, []string{"Prospecting", "Qualification", "Needs Analysis", "Proposal/Price Quote", "Negotiation/Review", "Closed Won", "Closed Lost"}, names)
	assert.Equal(t, crm.OpportunityStage{Name: "Closed Won", SortOrder: 6, IsClosed: true, IsWon: true}, stages[5])
}

func TestTokenRefresh(t *testing.T) {
	t.Run("expired then refreshed", func(t *testing.T) {
		f := newFakeOrg(t, fixture())
		src := f.source(t)
		require.EqualValues(t, 1, f.tokenCalls.Load(), "New fetches the first token")
		f.expireTokens()
		got, err := crm.Collect(src.Leads(t.Context(), crm.Filter{}))
		require.NoError(t, err)
		assert.Len(t, got, sourcetest.NumLeads)
		assert.EqualValues(t, 2, f.tokenCalls.Load(), "one refresh after the 401")
	})
	t.Run("still rejected after one refresh", func(t *testing.T) {
		f := newFakeOrg(t, fixture())
		src := f.source(t)
		f.hook = failFirst(100, "/leads", func(w http.ResponseWriter) {
			dvError(w, http.StatusUnauthorized, "InvalidAuthTicket", "The user authentication failed!")
		})
		_, err := crm.Collect(src.Leads(t.Context(), crm.Filter{}))
		require.ErrorIs(t, err, crm.ErrUnauthorized)
		ae := apiError(t, err)
		assert.Equal(t, http.StatusUnauthorized, ae.Status)
		assert.Equal(t, "InvalidAuthTicket", ae.Code)
		assert.EqualValues(t, 2, f.tokenCalls.Load(), "refreshes once only")
	})
	t.Run("concurrent readers refresh once", func(t *testing.T) {
		f := newFakeOrg(t, fixture())
		src := f.source(t)
		f.expireTokens()
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				got, err := crm.Collect(src.Accounts(t.Context(), crm.Filter{}))
				assert.NoError(t, err)
				assert.Len(t, got, sourcetest.NumAccounts)
			})
		}
		wg.Wait()
		assert.EqualValues(t, 2, f.tokenCalls.Load(), "one shared refresh")
	})
	t.Run("bad client secret", func(t *testing.T) {
		f := newFakeOrg(t, fixture())
		cfg := f.config()
		cfg.Credentials.ClientSecret = "wrong-secret-value"
		_, err := dynamics.New(t.Context(), cfg)
		require.ErrorIs(t, err, crm.ErrUnauthorized)
		assert.Equal(t, "invalid_client", apiError(t, err).Code)
		assert.NotContains(t, err.Error(), "wrong-secret-value")
		assert.NotContains(t, err.Error(), "AADSTS", "no response body in the error")
	})
}

func TestThrottling(t *testing.T) {
	t.Run("429 then success", func(t *testing.T) {
		f := newFakeOrg(t, fixture())
		src := f.source(t)
		f.hook = failFirst(1, "/accounts", throttled("1"))
		start := time.Now()
		got, err := crm.Collect(src.Accounts(t.Context(), crm.Filter{}))
		require.NoError(t, err)
		assert.Len(t, got, sourcetest.NumAccounts)
		assert.GreaterOrEqual(t, time.Since(start), time.Second, "Retry-After honoured")
	})
	t.Run("503 without Retry-After then success", func(t *testing.T) {
		f := newFakeOrg(t, fixture())
		src := f.source(t, dynamics.WithBackoff(crm.Backoff{Base: 10 * time.Millisecond}))
		f.hook = failFirst(2, "/systemusers", func(w http.ResponseWriter) {
			dvError(w, http.StatusServiceUnavailable, "", "Service Unavailable")
		})
		got, err := crm.Collect(src.Users(t.Context()))
		require.NoError(t, err)
		assert.Len(t, got, sourcetest.NumUsers)
	})
	t.Run("budget exhausted", func(t *testing.T) {
		f := newFakeOrg(t, fixture())
		src := f.source(t, dynamics.WithBackoff(crm.Backoff{Retries: 4, Budget: 10 * time.Second}))
		f.hook = failFirst(100, "/contacts", throttled("34"))
		start := time.Now()
		_, err := crm.Collect(src.Contacts(t.Context(), crm.Filter{}))
		require.ErrorIs(t, err, crm.ErrRateLimited)
		ae := apiError(t, err)
		assert.Equal(t, http.StatusTooManyRequests, ae.Status)
		assert.Equal(t, "0x80072322", ae.Code)
		assert.Equal(t, 34*time.Second, ae.RetryAfter)
		d, ok := crm.RetryAfter(err)
		assert.True(t, ok)
		assert.Equal(t, 34*time.Second, d)
		assert.Less(t, time.Since(start), 5*time.Second, "does not wait beyond the budget")
	})
	t.Run("waits recorded through Backoff.Sleep", func(t *testing.T) {
		f := newFakeOrg(t, fixture())
		var waits []time.Duration
		src := f.source(t, dynamics.WithBackoff(crm.Backoff{Retries: 3, Jitter: -1, Seed: 1,
			Sleep: func(ctx context.Context, d time.Duration) error { waits = append(waits, d); return nil }}))
		f.hook = failFirst(2, "/businessunits", throttled("7"))
		got, err := crm.Collect(src.Roles(t.Context()))
		require.NoError(t, err)
		assert.Len(t, got, 6)
		assert.Equal(t, []time.Duration{7 * time.Second, 7 * time.Second}, waits, "Retry-After honoured")
	})
	t.Run("attempts exhausted", func(t *testing.T) {
		f := newFakeOrg(t, fixture())
		src := f.source(t, dynamics.WithBackoff(crm.Backoff{Retries: 2, Base: time.Millisecond}))
		var calls atomic.Int64
		f.hook = func(w http.ResponseWriter, r *http.Request) bool {
			calls.Add(1)
			throttled("0")(w)
			return true
		}
		_, err := crm.Collect(src.Roles(t.Context()))
		require.ErrorIs(t, err, crm.ErrRateLimited)
		assert.EqualValues(t, 3, calls.Load())
	})
}

func TestErrorBodies(t *testing.T) {
	tests := []struct {
		name   string
		status int
		code   string
		class  error
	}{
		{"bad query", http.StatusBadRequest, "0x80060888", crm.ErrMalformedQuery},
		{"privilege", http.StatusForbidden, "PrivilegeDenied", crm.ErrUnauthorized},
		{"not found", http.StatusNotFound, "0x80040217", crm.ErrNotFound},
		{"server", http.StatusInternalServerError, "0x80040216", crm.ErrServer},
		{"free text code dropped", http.StatusBadRequest, "Ada O'Brien <ada@example.com>", crm.ErrMalformedQuery},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeOrg(t, fixture())
			src := f.source(t)
			f.hook = failFirst(1, "/leads", func(w http.ResponseWriter) {
				dvError(w, tc.status, tc.code, "lead With Id = 00Q000000000001AAA Does Not Exist; Ada O'Brien ada@example.com")
			})
			_, err := crm.Collect(src.Leads(t.Context(), crm.Filter{}))
			require.ErrorIs(t, err, tc.class)
			ae := apiError(t, err)
			assert.Equal(t, tc.status, ae.Status)
			assert.Equal(t, "query leads", ae.Op)
			if strings.ContainsAny(tc.code, " <@") {
				assert.Empty(t, ae.Code)
			} else {
				assert.Equal(t, tc.code, ae.Code)
			}
			assert.NotContains(t, err.Error(), "Brien")
			assert.NotContains(t, err.Error(), "Does Not Exist")
		})
	}
}

func TestMalformed(t *testing.T) {
	tests := []struct{ name, body string }{
		{"truncated", `{"@odata.context":"x","value":[{"contactid":"003000000000001AAA","firstname":"Ada"`},
		{"not json", `<html>Ada O'Brien</html>`},
		{"value not array", `{"value":{"contactid":"a"}}`},
		{"wrong type", `{"value":[{"contactid":42,"firstname":"Ada"}]}`},
		{"no value", `{"@odata.context":"x"}`},
		{"trailing garbage in object", `{"value":[] "x"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeOrg(t, fixture())
			src := f.source(t)
			f.hook = failFirst(1, "/contacts", func(w http.ResponseWriter) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(tc.body))
			})
			_, err := crm.Collect(src.Contacts(t.Context(), crm.Filter{}))
			require.ErrorIs(t, err, crm.ErrMalformed)
			assert.NotContains(t, err.Error(), "Ada")
		})
	}
	t.Run("metadata", func(t *testing.T) {
		f := newFakeOrg(t, fixture())
		src := f.source(t)
		f.hook = failFirst(1, "/EntityDefinitions", func(w http.ResponseWriter) {
			_, _ = w.Write([]byte(`{"OptionSet":{"Options":[{"Value":"x"}]}}`))
		})
		_, err := crm.Collect(src.Stages(t.Context()))
		require.ErrorIs(t, err, crm.ErrMalformed)
	})
}

func TestNextLinkStaysInOrg(t *testing.T) {
	var leaked atomic.Bool
	evil := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked.Store(r.Header.Get("Authorization") != "")
	}))
	defer evil.Close()
	f := newFakeOrg(t, fixture())
	src := f.source(t)
	f.hook = failFirst(1, "/accounts", func(w http.ResponseWriter) {
		writeJSON(w, http.StatusOK, map[string]any{"value": []any{}, "@odata.nextLink": evil.URL + "/api/data/v9.2/accounts?$skiptoken=x"})
	})
	_, err := crm.Collect(src.Accounts(t.Context(), crm.Filter{}))
	require.ErrorIs(t, err, crm.ErrMalformed)
	assert.False(t, leaked.Load(), "token sent to a foreign host")
}

func TestCancelMidStream(t *testing.T) {
	t.Run("between records", func(t *testing.T) {
		f := newFakeOrg(t, fixture())
		src := f.source(t)
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		var n int
		var last error
		for _, err := range src.Contacts(ctx, crm.Filter{}) {
			if err != nil {
				last = err
				break
			}
			n++
			if n == 3 {
				cancel()
			}
		}
		require.ErrorIs(t, last, context.Canceled)
		assert.Less(t, n, 7, "stopped within the first page")
	})
	t.Run("while the server stalls", func(t *testing.T) {
		f := newFakeOrg(t, fixture())
		src := f.source(t)
		before := runtime.NumGoroutine()
		release := make(chan struct{})
		defer close(release)
		f.hook = func(w http.ResponseWriter, r *http.Request) bool {
			if !strings.Contains(r.URL.RawQuery, "skiptoken") {
				return false
			}
			// Second page: send half a body, then stall.
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"value":[{"contactid":"003000000000001AAA"},`))
			w.(http.Flusher).Flush()
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return true
		}
		ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
		defer cancel()
		start := time.Now()
		got, err := crm.Collect(src.Contacts(ctx, crm.Filter{}))
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Len(t, got, 7, "first page delivered")
		assert.Less(t, time.Since(start), 3*time.Second, "stopped promptly")
		f.srv.CloseClientConnections()
		assert.Eventually(t, func() bool { return runtime.NumGoroutine() <= before+2 }, 2*time.Second, 20*time.Millisecond, "goroutines left behind")
	})
}

func TestHTTPSOnly(t *testing.T) {
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer plain.Close()
	ts := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: secretToken})
	tests := []struct {
		name     string
		url      string
		loopback bool
		wantErr  error
	}{
		{"https", "https://contoso.crm.dynamics.com", false, nil},
		{"http remote", "http://contoso.crm.dynamics.com", false, crm.ErrInsecure},
		{"http remote even if allowed", "http://contoso.crm.dynamics.com", true, crm.ErrInsecure},
		{"http loopback not allowed", plain.URL, false, crm.ErrInsecure},
		{"http loopback allowed", plain.URL, true, nil},
		{"http localhost allowed", "http://localhost:1", true, nil},
		{"other scheme", "ftp://contoso.crm.dynamics.com", true, crm.ErrInsecure},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := dynamics.New(t.Context(), dynamics.Config{OrgURL: tc.url, TokenSource: ts, AllowInsecureLoopback: tc.loopback})
			if tc.wantErr == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tc.wantErr)
			}
		})
	}
	t.Run("token URL", func(t *testing.T) {
		f := newFakeOrg(t, fixture())
		cfg := f.config()
		cfg.Credentials.TokenURL = "http://login.microsoftonline.com/t/oauth2/v2.0/token"
		_, err := dynamics.New(t.Context(), cfg)
		assert.ErrorIs(t, err, crm.ErrInsecure)
	})
}

func TestOrgURLForms(t *testing.T) {
	for _, suffix := range []string{"", "/", "/api/data/v9.2", "/api/data/v9.2/"} {
		t.Run(suffix, func(t *testing.T) {
			f := newFakeOrg(t, fixture())
			cfg := f.config()
			cfg.OrgURL += suffix
			src, err := dynamics.New(t.Context(), cfg)
			require.NoError(t, err)
			got, err := crm.Collect(src.Roles(t.Context()))
			require.NoError(t, err)
			assert.Len(t, got, 6)
		})
	}
}

func TestConfigErrors(t *testing.T) {
	_, err := dynamics.New(t.Context(), dynamics.Config{OrgURL: "https://contoso.crm.dynamics.com"})
	assert.Error(t, err, "no credentials")
	_, err = dynamics.New(t.Context(), dynamics.Config{OrgURL: "::not a url", TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "x"})})
	assert.Error(t, err)
}

func TestInvalidIDs(t *testing.T) {
	src := newFakeOrg(t, fixture()).source(t)
	_, err := crm.Collect(src.Contacts(t.Context(), crm.Filter{IDs: []string{"003' or 1 eq 1 or contactid eq '"}}))
	require.ErrorIs(t, err, crm.ErrMalformedQuery)
	assert.NotContains(t, err.Error(), "1 eq 1")
}

func TestManyIDsAreChunked(t *testing.T) {
	ds := fixture()
	f := newFakeOrg(t, ds)
	src := f.source(t)
	ids := []string{ds.Contacts[0].ID, ds.Contacts[23].ID}
	for i := range 120 {
		ids = append(ids, sourcetest.ContactID(1000+i))
	}
	got, err := crm.Collect(src.Contacts(t.Context(), crm.Filter{IDs: ids}))
	require.NoError(t, err)
	assert.Len(t, got, 2)
	var queries int
	for _, r := range f.requestLog() {
		if r == "GET /api/data/v9.2/contacts" {
			queries++
		}
	}
	assert.Equal(t, 3, queries, "122 IDs in chunks of 50")
}

func TestStageFilterPushdownQueries(t *testing.T) {
	f := newFakeOrg(t, fixture())
	src := f.source(t)
	var filters []string
	f.hook = func(w http.ResponseWriter, r *http.Request) bool {
		if fl := r.URL.Query().Get("$filter"); fl != "" {
			filters = append(filters, fl)
		}
		return false
	}
	_, _, err := src.TiedToOpenOpportunities(t.Context(), "Negotiation/Review")
	require.NoError(t, err)
	require.Len(t, filters, 3)
	assert.Equal(t, "opportunity_parent_account/any(o:o/statecode eq 0 and (o/salesstage eq 100000010)) or opportunity_customer_accounts/any(o:o/statecode eq 0 and (o/salesstage eq 100000010) and o/_parentaccountid_value eq null)", filters[0])
	assert.Contains(t, filters[1], "opportunity_parent_contact/any(o:")
	assert.Contains(t, filters[2], "record1id_opportunity/statecode eq 0")
}

func TestConfigString(t *testing.T) {
	f := newFakeOrg(t, fixture())
	cfg := f.config()
	for _, s := range []string{cfg.String(), fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%v", &cfg)} {
		assert.NotContains(t, s, "s3cr3t-client-value")
		assert.Contains(t, s, "client credentials")
	}
}

func TestString(t *testing.T) {
	f := newFakeOrg(t, fixture())
	src := f.source(t)
	assert.Equal(t, "dynamics.Source("+strings.TrimPrefix(f.srv.URL, "https://")+")", src.String())
}

func TestParentCustomerIsContact(t *testing.T) {
	f := newFakeOrg(t, fixture())
	src := f.source(t)
	f.hook = failFirst(1, "/contacts", func(w http.ResponseWriter) {
		writeJSON(w, http.StatusOK, map[string]any{"value": []any{
			map[string]any{"contactid": "c1", "_parentcustomerid_value": "c2",
				"_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname": "contact", "modifiedon": "2024-04-07T21:59:01Z"},
			map[string]any{"contactid": "c3", "_parentcustomerid_value": "a1",
				"_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname": "account", "modifiedon": nil},
		}})
	})
	got, err := crm.Collect(src.Contacts(t.Context(), crm.Filter{}))
	require.NoError(t, err)
	assert.Equal(t, []crm.Contact{
		{ID: "c1", ModifiedAt: time.Date(2024, 4, 7, 21, 59, 1, 0, time.UTC)},
		{ID: "c3", AccountID: "a1"},
	}, got)
}
