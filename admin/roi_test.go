package admin_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/admin"
	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/csvsource"
	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/report"
)

func date(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }

// TestConsoleROIFromSource serves the ROI of the org from a CSV CRM source and the console's
// stored mappings (001A, 001B and 003C linked); the other org has no source.
func TestConsoleROIFromSource(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, csvsource.Write(dir, &csvsource.Data{
		Stages: []crm.OpportunityStage{{Name: "Qualify", SortOrder: 1}, {Name: "Develop", SortOrder: 2},
			{Name: "Won", SortOrder: 3, IsClosed: true, IsWon: true}, {Name: "Lost", SortOrder: 4, IsClosed: true}},
		Opportunities: []crm.Opportunity{
			// 001A's activity (01-10) precedes the move past Qualify (02-01): influenced, won in 31 days.
			{ID: "o1", AccountID: "001A", Stage: "Won", IsClosed: true, IsWon: true, Amount: 12500, Currency: "EUR",
				CreatedAt: date(1, 1), CloseDate: date(2, 1), History: []crm.StageChange{{Stage: "Qualify", At: date(1, 1)}, {Stage: "Won", At: date(2, 1)}}},
			// 001B's activity (01-20) follows the move to Develop (01-05): not influenced, lost.
			{ID: "o2", AccountID: "001B", Stage: "Lost", IsClosed: true, Amount: 3000, Currency: "EUR",
				CreatedAt: date(1, 1), CloseDate: date(3, 1), History: []crm.StageChange{{Stage: "Develop", At: date(1, 5)}, {Stage: "Lost", At: date(3, 1)}}},
			// 001Z is not linked: not influenced, open.
			{ID: "o3", AccountID: "001Z", Stage: "Develop", Amount: 4000, Currency: "EUR", CreatedAt: date(1, 1), CloseDate: date(5, 1)},
		},
	}))
	src, err := csvsource.Open(dir)
	require.NoError(t, err)
	act := func(id string, at time.Time) crm.Activity {
		return crm.Activity{Kind: crm.InMail, Record: crm.RecordRef{Org: org, Object: crm.ObjectAccount, ID: id},
			Subject: "InMail", OccurredAt: at, ExternalKey: "k-" + id}
	}
	res, err := src.WriteActivities(t.Context(), []crm.Activity{act("001A", date(1, 10)), act("001B", date(1, 20)), act("001Z", date(1, 2))})
	require.NoError(t, err)
	for _, r := range res {
		require.NoError(t, r.Err)
	}

	store := override.NewMemory()
	t.Cleanup(func() { store.Close() })
	var b override.Batch
	for _, id := range []string{"001A", "001B"} {
		b.Put(override.Mapping{Record: override.RecordRef{Org: org, Object: override.Account, ID: id},
			Entity: override.EntityRef{Kind: override.Company, ID: "e-" + id}, Source: override.Sync})
	}
	require.NoError(t, store.Write(t.Context(), &b))
	tokens := admin.NewTokens()
	h, err := admin.New(admin.Config{Store: store, Auth: tokens, Reports: report.NewHistory(0),
		ROI: admin.SourceROI(admin.ROISource{
			Source:   func(o string) (crm.Source, bool) { return src, o == org },
			Mappings: store, Stage: "Qualify", Now: func() time.Time { return date(6, 1) },
		})})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c := &console{srv: srv, store: store, tokens: tokens}
	c.token, err = tokens.Issue(org)
	require.NoError(t, err)

	code, page := c.do(t, http.MethodGet, "/", c.token, nil)
	require.Equal(t, http.StatusOK, code)
	assert.Contains(t, page, `<tr><td>with a written-back activity</td><td>1</td><td>0</td><td>12,500</td><td>100.0%</td><td>31.0</td></tr>`)
	assert.Contains(t, page, `<tr><td>without</td><td>2</td><td>4,000</td><td>0</td><td>0.0%</td><td>0.0</td></tr>`)
	assert.Contains(t, page, "amounts in EUR")
	code, svg := c.do(t, http.MethodGet, "/charts/roi.svg", c.token, nil)
	assert.Equal(t, http.StatusOK, code)
	assert.Contains(t, svg, "<svg")

	otherTok, err := tokens.Issue(other)
	require.NoError(t, err)
	code, page = c.do(t, http.MethodGet, "/", otherTok, nil)
	require.Equal(t, http.StatusOK, code)
	assert.Contains(t, page, "No CRM source is configured for this org")
	code, _ = c.do(t, http.MethodGet, "/charts/roi.svg", otherTok, nil)
	assert.Equal(t, http.StatusNotFound, code)
}
