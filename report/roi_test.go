package report_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/report"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// salesforceStages is the default Salesforce Opportunity StageName picklist
// (OpportunityStage: SortOrder, IsClosed, IsWon).
var salesforceStages = []crm.OpportunityStage{
	{Name: "Prospecting", SortOrder: 1},
	{Name: "Qualification", SortOrder: 2},
	{Name: "Needs Analysis", SortOrder: 3},
	{Name: "Proposal/Price Quote", SortOrder: 4},
	{Name: "Negotiation/Review", SortOrder: 5},
	{Name: "Closed Won", SortOrder: 6, IsClosed: true, IsWon: true},
	{Name: "Closed Lost", SortOrder: 7, IsClosed: true},
}

// dynamicsStages is the picklist the dynamics adapter builds: the salesstage options, then the
// statuscode reasons of won and of lost opportunities.
var dynamicsStages = []crm.OpportunityStage{
	{Name: "Qualify", SortOrder: 1},
	{Name: "Develop", SortOrder: 2},
	{Name: "Propose", SortOrder: 3},
	{Name: "Close", SortOrder: 4},
	{Name: "Won", SortOrder: 5, IsClosed: true, IsWon: true},
	{Name: "Canceled", SortOrder: 6, IsClosed: true},
	{Name: "Out-Sold", SortOrder: 7, IsClosed: true},
}

func TestComputeROISalesforceShapes(t *testing.T) {
	in := report.ROIInput{
		Stages: salesforceStages,
		Stage:  "Qualification",
		AsOf:   day("2026-04-30"),
		Activities: []report.Activity{
			{Object: report.Account, ID: "001A", At: day("2026-01-10")},
			{Object: report.Contact, ID: "003C", At: day("2026-02-05")},
			{Object: report.Account, ID: "001U", At: day("2026-01-01")}, // not matched
			{Object: report.Account, ID: "001L", At: day("2026-03-20")},
			{Object: report.Contact, ID: "003F", At: day("2026-05-01")}, // after AsOf
			{Object: report.Lead, ID: "00QX", At: day("2026-01-01")},    // leads have no opportunities
		},
		Matched: func(o report.Object, id string) bool { return id != "001U" },
		Opportunities: []report.Opportunity{
			{ // activity before it moved past Qualification (01-20): influenced, won in 45 days
				ID: "O1", AccountID: "001A", Stage: "Closed Won", Amount: 10000,
				CreatedAt: day("2026-01-01"), CloseDate: day("2026-02-15"),
				History: []report.StageChange{{"Prospecting", day("2026-01-01")}, {"Needs Analysis", day("2026-01-20")}, {"Closed Won", day("2026-02-15")}},
			},
			{ // the contact's activity (02-05) came after the move to Proposal (02-01): not influenced, lost
				ID: "O2", AccountID: "001B", ContactIDs: []string{"003C"}, Stage: "Closed Lost", Amount: 5000,
				CreatedAt: day("2026-01-15"), CloseDate: day("2026-03-10"),
				History: []report.StageChange{{"Closed Lost", day("2026-03-10")}, {"Qualification", day("2026-01-15")}, {"Proposal/Price Quote", day("2026-02-01")}},
			},
			{ // contact activity before the move to Needs Analysis (02-20): influenced, open
				ID: "O3", AccountID: "001B", ContactIDs: []string{"003C"}, Stage: "Needs Analysis", Amount: 8000,
				CreatedAt: day("2026-01-20"), CloseDate: day("2026-04-30"),
				History: []report.StageChange{{"Prospecting", day("2026-01-20")}, {"Needs Analysis", day("2026-02-20")}},
			},
			{ // activity on an unmatched account: not influenced, won in 59 days
				ID: "O4", AccountID: "001U", Stage: "Closed Won", Amount: 20000,
				CreatedAt: day("2026-01-01"), CloseDate: day("2026-03-01"),
				History: []report.StageChange{{"Proposal/Price Quote", day("2026-01-05")}, {"Closed Won", day("2026-03-01")}},
			},
			{ // never moved past Qualification: every activity up to AsOf counts
				ID: "O5", AccountID: "001L", Stage: "Qualification", Amount: 3000,
				CreatedAt: day("2026-03-01"), CloseDate: day("2026-04-15"),
			},
			{ // past the stage with no history: the moment is CreatedAt (02-01), the 01-10 activity precedes it
				ID: "O6", AccountID: "001A", Stage: "Closed Lost", Amount: 4000,
				CreatedAt: day("2026-02-01"), CloseDate: day("2026-03-05"),
			},
			{ // its only activity is after AsOf: not influenced, open
				ID: "O7", AccountID: "001X", ContactIDs: []string{"003F"}, Stage: "Prospecting", Amount: 6000,
				CreatedAt: day("2026-04-01"), CloseDate: day("2026-06-30"),
			},
			{ // influenced, won in 30 days
				ID: "O9", AccountID: "001A", Stage: "Closed Won", Amount: 2000,
				CreatedAt: day("2026-03-01"), CloseDate: day("2026-03-31"),
				History: []report.StageChange{{"Needs Analysis", day("2026-03-02")}, {"Closed Won", day("2026-03-31")}},
			},
			{ID: "O8", AccountID: "001A", Stage: "Renamed Stage", Amount: 999, CreatedAt: day("2026-01-01"), CloseDate: day("2026-01-31")},
		},
	}
	got, err := report.ComputeROI(in)
	require.NoError(t, err)

	assert.Equal(t, 1, got.Skipped, "Skipped")
	assertSplit(t, "influenced", got.Influenced, report.Split{
		Opportunities: 5, Open: 2, Won: 2, Lost: 1, Pipeline: 11000, WonRevenue: 12000, WinRate: 2.0 / 3, DaysToClose: 37.5,
	})
	assertSplit(t, "not influenced", got.NotInfluenced, report.Split{
		Opportunities: 3, Open: 1, Won: 1, Lost: 1, Pipeline: 6000, WonRevenue: 20000, WinRate: 0.5, DaysToClose: 59,
	})
	assert.InDelta(t, 11000.0, got.InfluencedPipeline(), 1e-9)
	assert.InDelta(t, 12000.0, got.InfluencedWonRevenue(), 1e-9)

	months := map[string]report.Month{}
	var order []string
	for _, m := range got.Months {
		months[m.Month] = m
		order = append(order, m.Month)
	}
	assert.Equal(t, []string{"2026-02", "2026-03", "2026-04", "2026-06"}, order)
	assertSplit(t, "2026-02 influenced", months["2026-02"].Influenced, report.Split{Opportunities: 1, Won: 1, WonRevenue: 10000, WinRate: 1, DaysToClose: 45})
	assertSplit(t, "2026-03 influenced", months["2026-03"].Influenced, report.Split{Opportunities: 2, Won: 1, Lost: 1, WonRevenue: 2000, WinRate: 0.5, DaysToClose: 30})
	assertSplit(t, "2026-03 not influenced", months["2026-03"].NotInfluenced, report.Split{Opportunities: 2, Won: 1, Lost: 1, WonRevenue: 20000, WinRate: 0.5, DaysToClose: 59})
	assertSplit(t, "2026-04 influenced", months["2026-04"].Influenced, report.Split{Opportunities: 2, Open: 2, Pipeline: 11000})
	assertSplit(t, "2026-06 not influenced", months["2026-06"].NotInfluenced, report.Split{Opportunities: 1, Open: 1, Pipeline: 6000})
}

func TestComputeROIDynamicsShapes(t *testing.T) {
	in := report.ROIInput{
		Stages: dynamicsStages,
		Stage:  "Develop",
		AsOf:   day("2026-08-01"),
		Activities: []report.Activity{
			{Object: report.Account, ID: "a1", At: day("2026-05-10")},
			{Object: report.Contact, ID: "c1", At: day("2026-05-25")},
			{Object: report.Account, ID: "a2", At: day("2026-05-16")},
			{Object: report.Account, ID: "a3", At: day("2026-06-22")},
		},
		Opportunities: []report.Opportunity{
			{ // account activity before the move to Propose (05-20); the contact's after it: influenced, won in 60 days
				ID: "d1", AccountID: "a1", ContactIDs: []string{"c1"}, Stage: "Won", Amount: 50000,
				CreatedAt: day("2026-05-01"), CloseDate: day("2026-06-30"),
				History: []report.StageChange{{"Qualify", day("2026-05-01")}, {"Propose", day("2026-05-20")}, {"Won", day("2026-06-30")}},
			},
			{ // activity (05-16) after the move to Close (05-15): not influenced, lost
				ID: "d2", AccountID: "a2", Stage: "Out-Sold", Amount: 7000,
				CreatedAt: day("2026-05-01"), CloseDate: day("2026-06-10"),
				History: []report.StageChange{{"Develop", day("2026-05-01")}, {"Close", day("2026-05-15")}, {"Out-Sold", day("2026-06-10")}},
			},
			{ // moved past Develop on 06-20, then back and forth: the first move counts, the 06-22 activity is after it
				ID: "d3", AccountID: "a3", Stage: "Propose", Amount: 12000,
				CreatedAt: day("2026-06-01"), CloseDate: day("2026-07-31"),
				History: []report.StageChange{{"Qualify", day("2026-06-01")}, {"Propose", day("2026-06-20")}, {"Develop", day("2026-06-25")}, {"Propose", day("2026-07-01")}},
			},
			{ // still at Develop: influenced, open
				ID: "d4", AccountID: "a3", Stage: "Develop", Amount: 9000,
				CreatedAt: day("2026-06-05"), CloseDate: day("2026-07-15"),
			},
		},
	}
	got, err := report.ComputeROI(in)
	require.NoError(t, err)
	assertSplit(t, "influenced", got.Influenced, report.Split{Opportunities: 2, Open: 1, Won: 1, Pipeline: 9000, WonRevenue: 50000, WinRate: 1, DaysToClose: 60})
	assertSplit(t, "not influenced", got.NotInfluenced, report.Split{Opportunities: 2, Open: 1, Lost: 1, Pipeline: 12000})
	require.Len(t, got.Months, 2)
	assert.Equal(t, "2026-06", got.Months[0].Month)
	assertSplit(t, "2026-06 influenced", got.Months[0].Influenced, report.Split{Opportunities: 1, Won: 1, WonRevenue: 50000, WinRate: 1, DaysToClose: 60})
	assertSplit(t, "2026-06 not influenced", got.Months[0].NotInfluenced, report.Split{Opportunities: 1, Lost: 1})
	assert.Equal(t, "2026-07", got.Months[1].Month)
	assertSplit(t, "2026-07 influenced", got.Months[1].Influenced, report.Split{Opportunities: 1, Open: 1, Pipeline: 9000})
	assertSplit(t, "2026-07 not influenced", got.Months[1].NotInfluenced, report.Split{Opportunities: 1, Open: 1, Pipeline: 12000})

	// A later chosen stage: d3 at Propose never moved past it, so its 06-22 activity counts; d2
	// moved past Propose on 05-15 (Close), before its activity, and stays out.
	in.Stage = "Propose"
	got, err = report.ComputeROI(in)
	require.NoError(t, err)
	assertSplit(t, "influenced at Propose", got.Influenced, report.Split{Opportunities: 3, Open: 2, Won: 1, Pipeline: 21000, WonRevenue: 50000, WinRate: 1, DaysToClose: 60})
}

func TestComputeROIUnknownStage(t *testing.T) {
	_, err := report.ComputeROI(report.ROIInput{Stages: salesforceStages, Stage: "Nope"})
	assert.True(t, errors.Is(err, report.ErrUnknownStage), "ComputeROI(unknown stage) = %v, want ErrUnknownStage", err)
	assert.NotContains(t, err.Error(), "Prospecting")
}

func assertSplit(t *testing.T, name string, got, want report.Split) {
	t.Helper()
	assert.Equal(t, want.Opportunities, got.Opportunities, "%s: Opportunities", name)
	assert.Equal(t, want.Open, got.Open, "%s: Open", name)
	assert.Equal(t, want.Won, got.Won, "%s: Won", name)
	assert.Equal(t, want.Lost, got.Lost, "%s: Lost", name)
	assert.InDelta(t, want.Pipeline, got.Pipeline, 1e-9, "%s: Pipeline", name)
	assert.InDelta(t, want.WonRevenue, got.WonRevenue, 1e-9, "%s: WonRevenue", name)
	assert.InDelta(t, want.WinRate, got.WinRate, 1e-9, "%s: WinRate", name)
	assert.InDelta(t, want.DaysToClose, got.DaysToClose, 1e-9, "%s: DaysToClose", name)
}
