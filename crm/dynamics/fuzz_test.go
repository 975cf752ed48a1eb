package dynamics

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/crm"
)

func TestDecodePageReferenceSample(t *testing.T) {
	data, err := os.ReadFile("testdata/accounts_page.json")
	require.NoError(t, err)
	rows, next, err := decodePage(context.Background(), bytes.NewReader(data), []accountRow(nil))
	require.NoError(t, err)
	require.Len(t, rows, 2)
	assert.Equal(t, accountRow{ID: "78914942-34cb-ed11-b596-0022481d68cd", Name: "Litware, Inc. (sample)",
		Industry: "Consulting", Website: "http://www.litwareinc.com", City: "Redmond", Country: "United States"}, rows[0])
	assert.Equal(t, accountRow{ID: "1adef0b8-54d3-ed11-a7c7-000d3a993550", Name: "Adventure Works (sample)"}, rows[1])
	assert.True(t, strings.HasPrefix(next, "https://contoso.crm.dynamics.com/api/data/v9.2/accounts?$select="))
	assert.Contains(t, next, "$skiptoken=%3Ccookie", "nextLink kept unchanged")
}

func TestDecodePageReusesRowsWithoutLeaking(t *testing.T) {
	// A reused slice must not carry a previous page's values into null or absent columns.
	first := `{"value":[{"contactid":"a","firstname":"Ada","jobtitle":"CEO"}]}`
	second := `{"value":[{"contactid":"b","firstname":null}]}`
	rows, _, err := decodePage(context.Background(), strings.NewReader(first), []contactRow(nil))
	require.NoError(t, err)
	rows, _, err = decodePage(context.Background(), strings.NewReader(second), rows[:0])
	require.NoError(t, err)
	assert.Equal(t, []contactRow{{ID: "b"}}, rows)
}

func FuzzDecodePage(f *testing.F) {
	data, err := os.ReadFile("testdata/accounts_page.json")
	require.NoError(f, err)
	f.Add(data)
	f.Add([]byte(`{"value":[]}`))
	f.Add([]byte(`{"value":[{"contactid":"a","_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname":"account"}],"@odata.nextLink":"x"}`))
	f.Add([]byte(`{"value":[{"modifiedon":"2024-13-01T00:00:00Z"}]}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, _, err := decodePage(context.Background(), bytes.NewReader(data), []contactRow(nil))
		if err != nil {
			var me *malformedJSONError
			require.True(t, errors.As(err, &me), "error %v is not a malformedJSONError", err)
			assert.NotContains(t, err.Error(), "\"", "the error quotes no input")
			return
		}
		for _, r := range rows {
			_ = r.ID
		}
	})
}

func FuzzEntityID(f *testing.F) {
	f.Add("https://contoso.crm.dynamics.com/api/data/v9.2/tasks(d31ba648-c592-ed11-aad1-000d3a993550)")
	f.Add("tasks()")
	f.Add("(a)(b)")
	f.Fuzz(func(t *testing.T, h string) {
		id, ok := entityID(h)
		if !ok {
			return
		}
		assert.True(t, validID(id))
		assert.True(t, strings.HasSuffix(h, "("+id+")"))
	})
}

func FuzzFilterClauses(f *testing.F) {
	f.Add("003000000000001AAA", "d31ba648-c592-ed11-aad1-000d3a993550")
	f.Add("x' or 1 eq 1", "")
	f.Add("a b", "(c)")
	f.Fuzz(func(t *testing.T, a, b string) {
		clauses, err := filterClauses("query contacts", "contactid", "", crm.Filter{IDs: []string{a, b}})
		if err != nil {
			assert.ErrorIs(t, err, crm.ErrMalformedQuery)
			assert.False(t, validID(a) && validID(b))
			return
		}
		require.Len(t, clauses, 1)
		assert.NotContains(t, clauses[0], "'")
		assert.Equal(t, 1, strings.Count(clauses[0], "("))
	})
}

func TestOpenAtStages(t *testing.T) {
	tests := []struct {
		name   string
		stages []stage
		want   string
	}{
		{"option values", []stage{{salesStage: 2}, {salesStage: 100000000}},
			"o/statecode eq 0 and (o/salesstage eq 2 or o/salesstage eq 100000000)"},
		{"phases quoted", []stage{{OpportunityStage: crm.OpportunityStage{Name: "3-Propose"}, phase: true},
			{OpportunityStage: crm.OpportunityStage{Name: "Won't close"}, phase: true}},
			"o/statecode eq 0 and (o/stepname eq '3-Propose' or o/stepname eq 'Won''t close')"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, openAtStages("o/", tc.stages))
		})
	}
}

func TestDecodeOpportunityReportFields(t *testing.T) {
	data, err := os.ReadFile("testdata/opportunities_page.json")
	require.NoError(t, err)
	rows, _, err := decodePage(context.Background(), bytes.NewReader(data), []opportunityRow(nil))
	require.NoError(t, err)
	require.Len(t, rows, 2)
	var got []crm.Opportunity
	for i := range rows {
		o := crm.Opportunity{IsClosed: rows[i].StateCode != stateOpen, Stage: rows[i].SalesStage}
		if o.IsClosed {
			o.Stage = rows[i].StatusReason
		}
		readReportFields(&o, &rows[i])
		got = append(got, o)
	}
	won := got[0]
	assert.True(t, won.IsWon)
	assert.Equal(t, 23500.0, won.Amount, "a won opportunity counts its actual value")
	assert.Equal(t, "USD", won.Currency)
	assert.Equal(t, time.Date(2024, 1, 15, 9, 30, 0, 0, time.UTC), won.CreatedAt)
	assert.Equal(t, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), won.CloseDate, "actual close date, as its UTC day")
	assert.Equal(t, []crm.StageChange{{Stage: "Won", At: won.CloseDate}}, won.History)
	open := got[1]
	assert.False(t, open.IsWon)
	assert.Zero(t, open.Amount)
	assert.Empty(t, open.Currency)
	assert.Equal(t, time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC), open.CloseDate)
	assert.Nil(t, open.History, "no stage history for an open opportunity")
}

func FuzzDecodeOpportunityPage(f *testing.F) {
	data, err := os.ReadFile("testdata/opportunities_page.json")
	require.NoError(f, err)
	f.Add(data)
	f.Add([]byte(`{"value":[{"estimatedclosedate":"2024-02-30","statecode":1}]}`))
	f.Add([]byte(`{"value":[{"actualclosedate":7,"estimatedvalue":"12"}]}`))
	f.Add([]byte(`{"value":[{"transactioncurrencyid":{"isocurrencycode":null},"actualvalue":1e308}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, _, err := decodePage(context.Background(), bytes.NewReader(data), []opportunityRow(nil))
		if err != nil {
			var me *malformedJSONError
			require.True(t, errors.As(err, &me), "error %v is not a malformedJSONError", err)
			assert.NotContains(t, err.Error(), "\"", "the error quotes no input")
			return
		}
		for i := range rows {
			o := crm.Opportunity{IsClosed: rows[i].StateCode != stateOpen, Stage: "Won"}
			readReportFields(&o, &rows[i])
			if !o.CloseDate.IsZero() {
				assert.Equal(t, o.CloseDate, o.CloseDate.Truncate(24*time.Hour), "a close date is a day")
			}
			assert.LessOrEqual(t, len(o.History), 1)
			assert.True(t, !o.IsWon || o.IsClosed || rows[i].StateCode == stateWon)
		}
	})
}
