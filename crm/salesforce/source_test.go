package salesforce_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/salesforce"
	"github.com/crmlink/crmlink/crm/sourcetest"
)

func TestConcurrentReauth(t *testing.T) {
	f := newFakeOrg(t, sourcetest.Fixture())
	src := f.source(t)
	f.expire()
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := crm.Collect(src.Accounts(t.Context(), crm.Filter{}))
			if err == nil && len(got) != sourcetest.NumAccounts {
				err = fmt.Errorf("read %d accounts", len(got))
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		assert.NoError(t, err, "reader %d", i)
	}
	assert.Equal(t, 2, f.count("token"), "concurrent readers share one re-authentication")
}

func TestManyIDs(t *testing.T) {
	f := newFakeOrg(t, sourcetest.Fixture())
	src := f.source(t, salesforce.WithBatchSize(500))
	ids := []string{sourcetest.ContactID(3), sourcetest.ContactID(20)}
	for i := range 448 {
		ids = append(ids, fmt.Sprintf("003X%011dAAA", i)) // unknown
	}
	got, err := crm.Collect(src.Contacts(t.Context(), crm.Filter{IDs: ids}))
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, 3, f.count("query"), "450 IDs in IN lists of at most 200")
	f.mu.Lock()
	defer f.mu.Unlock()
	assert.Equal(t, []string{"batchSize=500", "batchSize=500", "batchSize=500"}, f.options)
}

func TestSourceRedacted(t *testing.T) {
	f := newFakeOrg(t, sourcetest.Fixture())
	src := f.source(t)
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("sync", "source", src)
	jc := salesforce.JWTConfig{ClientID: "3MVG9fake", Username: "u@acme.example", PrivateKey: f.key}
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("auth", "jwt", jc)
	text := buf.String() + fmt.Sprintf("%v %+v %s %v %+v", src, src, src, jc, jc)
	assert.NotContains(t, text, "AR8AQfakeSessionToken")
	assert.NotContains(t, text, f.key.D.String()[:20], "no key material")
	assert.Contains(t, text, f.srv.URL)
}

func TestContactRolesPaged(t *testing.T) {
	ds := sourcetest.Fixture()
	f := newFakeOrg(t, ds)
	f.subPage = 1 // every opportunity with two contact roles gets a nextRecordsUrl in its subquery
	src := f.source(t)
	got, err := crm.Collect(src.Opportunities(t.Context(), crm.Filter{}))
	require.NoError(t, err)
	want := map[string][]string{}
	for _, o := range ds.Opportunities {
		want[o.ID] = o.ContactIDs
	}
	paged := 0
	for _, o := range got {
		assert.ElementsMatch(t, want[o.ID], o.ContactIDs, "opportunity %s", o.ID)
		if len(o.ContactIDs) > 1 {
			paged++
		}
	}
	assert.Equal(t, 4, paged, "opportunities whose roles came in two pages")
	assert.Equal(t, 2+4, f.count("query"), "two pages of opportunities and four subquery continuations")
}

func TestRetryAfterBeyondBudget(t *testing.T) {
	f := newFakeOrg(t, sourcetest.Fixture())
	src := f.source(t, salesforce.WithBackoff(crm.Backoff{Retries: 3, Budget: time.Second}))
	f.inject(&fault{route: "query", times: 1, status: 429, header: http.Header{"Retry-After": {"120"}},
		body: `[{"message":"slow down","errorCode":"REQUEST_LIMIT_EXCEEDED"}]`})
	start := time.Now()
	_, err := crm.Collect(src.Users(t.Context()))
	require.Error(t, err)
	assert.Less(t, time.Since(start), 5*time.Second, "a wait beyond the budget is not attempted")
	assert.ErrorIs(t, err, crm.ErrRateLimited)
	d, ok := crm.RetryAfter(err)
	assert.True(t, ok)
	assert.Equal(t, 120*time.Second, d, "the server's Retry-After is kept for the caller")
}

func TestTokenHonoursContext(t *testing.T) {
	f := newFakeOrg(t, sourcetest.Fixture())
	f.inject(&fault{route: "token", times: 1, hang: true})
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := salesforce.New(ctx, f.config()) // the JWT source was built with context.Background()
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 5*time.Second)
}

func TestBulkThreshold(t *testing.T) {
	tests := []struct {
		name      string
		threshold int
		filter    crm.Filter
		wantBulk  bool
	}{
		{"Above", 10, crm.Filter{}, true},   // 16 accounts
		{"Below", 100, crm.Filter{}, false}, // 16 accounts
		{"SinceBelow", 10, crm.Filter{ModifiedSince: time.Date(2024, 3, 1, 17, 0, 0, 0, time.UTC)}, false},
		{"IDsNeverCount", 1, crm.Filter{IDs: []string{sourcetest.AccountID(1)}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds := sourcetest.Fixture()
			f := newFakeOrg(t, ds)
			src := f.source(t, salesforce.WithBulkThreshold(tc.threshold), salesforce.WithBulkPolling(time.Millisecond, time.Millisecond))
			got, err := crm.Collect(src.Accounts(t.Context(), tc.filter))
			require.NoError(t, err)
			want := 0
			for _, a := range ds.Accounts {
				if tc.filter.Keep(a.ID, a.ModifiedAt) {
					want++
				}
			}
			assert.Len(t, got, want)
			assert.Equal(t, tc.wantBulk, f.count("results") > 0, "read through Bulk")
		})
	}
}

// TestOpportunityReportFields reads what reports need, over REST and Bulk, from an org with and
// without multiple currencies: amounts, currency, dates, won state and the stage history with the
// OpportunityHistory rows that only record an amount change folded away.
func TestOpportunityReportFields(t *testing.T) {
	for _, tc := range []struct {
		name           string
		singleCurrency bool
		bulk           bool
	}{{"rest multi-currency", false, false}, {"bulk multi-currency", false, true}, {"rest single currency", true, false}, {"bulk single currency", true, true}} {
		t.Run(tc.name, func(t *testing.T) {
			ds := sourcetest.Fixture()
			f := newFakeOrg(t, ds)
			f.singleCurrency = tc.singleCurrency
			src := f.source(t, salesforce.WithBulk(tc.bulk), salesforce.WithBulkPolling(time.Millisecond, time.Millisecond))
			got, err := crm.Collect(src.Opportunities(t.Context(), crm.Filter{}))
			require.NoError(t, err)
			require.Len(t, got, len(ds.Opportunities))
			byID := map[string]crm.Opportunity{}
			for _, o := range got {
				byID[o.ID] = o
			}
			// Opportunity 6 is won (Closed Won), 7 lost, 9 has no amount, 3 is in USD.
			won := byID[sourcetest.OpportunityID(6)]
			assert.True(t, won.IsClosed && won.IsWon)
			assert.Equal(t, 6*1500+0.25, won.Amount)
			assert.Equal(t, time.Date(2024, 4, 13, 0, 0, 0, 0, time.UTC), won.CloseDate)
			assert.Equal(t, []string{"Prospecting", "Proposal/Price Quote", "Closed Won"}, stages(won.History))
			assert.Equal(t, won.CloseDate, won.History[2].At)
			lost := byID[sourcetest.OpportunityID(7)]
			assert.True(t, lost.IsClosed && !lost.IsWon)
			assert.Zero(t, byID[sourcetest.OpportunityID(9)].Amount)
			assert.Equal(t, []string{"Prospecting"}, stages(byID[sourcetest.OpportunityID(9)].History))
			if tc.singleCurrency {
				assert.Empty(t, byID[sourcetest.OpportunityID(3)].Currency)
			} else {
				assert.Equal(t, "USD", byID[sourcetest.OpportunityID(3)].Currency)
				assert.Equal(t, "EUR", lost.Currency)
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			for _, q := range f.lastSOQL {
				if strings.Contains(q+" ", "FROM Opportunity ") && !strings.Contains(q, "COUNT()") {
					assert.Equal(t, !tc.singleCurrency, strings.Contains(q, "CurrencyIsoCode"), "query %s", q)
				}
			}
		})
	}
}

func stages(h []crm.StageChange) []string {
	var out []string
	for _, c := range h {
		out = append(out, c.Stage)
	}
	return out
}
