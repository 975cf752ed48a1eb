package sourcetest

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/override/boltstore"
	"github.com/crmlink/crmlink/report"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// ROIFixture returns [Fixture] with its opportunities replaced by the ROI scenario that
// [RunROI] checks: seven opportunities of accounts 1 to 4 and contact 5, five in EUR, one in
// USD and one without a currency, moving through the stages at known times. The expected numbers
// in RunROI are computed by hand from it.
func ROIFixture() *Dataset {
	ds := Fixture()
	mk := func(i, account int, contacts []int, stage string, amount float64, currency string, created, closeDate time.Time, h ...crm.StageChange) crm.Opportunity {
		o := crm.Opportunity{ID: OpportunityID(i), Name: fmt.Sprintf("ROI deal %d", i), AccountID: AccountID(account), Stage: stage,
			Amount: amount, Currency: currency, CreatedAt: created, CloseDate: closeDate, History: h,
			OwnerID: UserID(4), ModifiedAt: closeDate.Add(time.Hour)}
		for _, c := range contacts {
			o.ContactIDs = append(o.ContactIDs, ContactID(c))
		}
		for _, s := range ds.Stages {
			if s.Name == stage {
				o.IsClosed, o.IsWon = s.IsClosed, s.IsWon
			}
		}
		return o
	}
	ch := func(stage string, at time.Time) crm.StageChange { return crm.StageChange{Stage: stage, At: at} }
	ds.Opportunities = []crm.Opportunity{
		mk(1, 1, nil, "Closed Won", 10000, "EUR", day(2026, 1, 1), day(2026, 2, 15),
			ch("Prospecting", day(2026, 1, 1)), ch("Needs Analysis", day(2026, 1, 20)), ch("Closed Won", day(2026, 2, 15))),
		mk(2, 2, []int{5}, "Closed Lost", 5000, "EUR", day(2026, 1, 15), day(2026, 3, 10),
			ch("Qualification", day(2026, 1, 15)), ch("Proposal/Price Quote", day(2026, 2, 1)), ch("Closed Lost", day(2026, 3, 10))),
		mk(3, 2, []int{5}, "Needs Analysis", 8000, "EUR", day(2026, 1, 20), day(2026, 4, 30),
			ch("Prospecting", day(2026, 1, 20)), ch("Needs Analysis", day(2026, 2, 20))),
		mk(4, 3, nil, "Closed Won", 20000, "EUR", day(2026, 1, 1), day(2026, 3, 1),
			ch("Proposal/Price Quote", day(2026, 1, 5)), ch("Closed Won", day(2026, 3, 1))),
		mk(5, 4, nil, "Qualification", 3000, "EUR", day(2026, 3, 1), day(2026, 4, 15)),
		mk(6, 1, nil, "Closed Won", 7000, "USD", day(2026, 2, 1), day(2026, 3, 1),
			ch("Prospecting", day(2026, 2, 1)), ch("Closed Won", day(2026, 3, 1))),
		mk(7, 1, nil, "Prospecting", 1000, "", day(2026, 3, 10), day(2026, 6, 30),
			ch("Prospecting", day(2026, 3, 10))),
	}
	return ds
}

// ROIHarness makes a Source for [RunROI]: it must also be a [crm.Writer] and a
// [crm.ActivityReader]. Harnesses whose CRM keeps only the closing as stage history say so with
// [CloseOnlyHistoryHarness].
type ROIHarness = Harness

// RunROI checks [report.ROIFromSource] end to end against the Source h makes from
// [ROIFixture]: it writes the scenario's activities through the Source, stores the mappings in
// a bbolt file, computes the ROI and compares it with numbers computed by hand.
//
// Mappings: accounts 1 and 2 and contact 5 are linked (sync, manual, sync); account 3 is not;
// account 4 has only a rejection. Activities (chosen stage Qualification, as of 2026-04-30):
// account 1 on 01-10, contact 5 on 02-05, account 3 and account 4 on 01-01 (not linked), lead 1
// on 01-01 (no opportunities) and account 2 on 05-10 (after the report).
func RunROI(t *testing.T, h ROIHarness) {
	t.Helper()
	closeOnly := false
	if ch, ok := h.(CloseOnlyHistoryHarness); ok {
		closeOnly = ch.CloseOnlyHistory()
	}
	ds := ROIFixture()
	if bu, ok := h.(BusinessUnitHarness); ok && bu.BusinessUnits() {
		ds = ds.WithBusinessUnits()
	}
	src := h.Source(t, ds.Clone())
	w, ok := src.(crm.Writer)
	require.True(t, ok, "the Source is not a crm.Writer")

	act := func(key string, obj crm.Object, id string, at time.Time) crm.Activity {
		return crm.Activity{Kind: crm.InMail, Record: crm.RecordRef{Org: ds.Org, Object: obj, ID: id},
			Subject: "crmlink ROI " + key, Body: "InMail sent through crmlink", OccurredAt: at, Author: UserID(4), ExternalKey: "roi-" + key}
	}
	res, err := w.WriteActivities(t.Context(), []crm.Activity{
		act("a1", crm.ObjectAccount, AccountID(1), day(2026, 1, 10)),
		act("c5", crm.ObjectContact, ContactID(5), day(2026, 2, 5)),
		act("a3", crm.ObjectAccount, AccountID(3), day(2026, 1, 1)),
		act("a4", crm.ObjectAccount, AccountID(4), day(2026, 1, 1)),
		act("l1", crm.ObjectLead, LeadID(1), day(2026, 1, 1)),
		act("a2", crm.ObjectAccount, AccountID(2), day(2026, 5, 10)),
	})
	require.NoError(t, err, "WriteActivities")
	for i, r := range res {
		require.NoError(t, r.Err, "activity %d", i)
	}

	store, err := boltstore.Open(filepath.Join(t.TempDir(), "roi.db"))
	require.NoError(t, err)
	t.Cleanup(func() { store.Close() })
	ref := func(obj override.Object, id string) override.RecordRef {
		return override.RecordRef{Org: ds.Org, Object: obj, ID: id}
	}
	company := override.EntityRef{Kind: override.Company, ID: "company-1"}
	member := override.EntityRef{Kind: override.Member, ID: "member-1"}
	require.NoError(t, store.PutBatch(t.Context(), []override.Mapping{
		{Record: ref(override.Account, AccountID(1)), Entity: company, Source: override.Sync},
		{Record: ref(override.Account, AccountID(2)), Entity: company, Source: override.Manual},
		{Record: ref(override.Contact, ContactID(5)), Entity: member, Source: override.Sync},
		{Record: ref(override.Account, AccountID(4)), Entity: company, Source: override.Sync, Rejected: true},
		{Record: ref(override.Lead, LeadID(1)), Entity: member, Source: override.Sync},
	}))

	in := report.SourceInput{Org: ds.Org, Source: src, Mappings: store, Stage: "Qualification", AsOf: day(2026, 4, 30)}
	got, err := report.ROIFromSource(t.Context(), in)
	require.NoError(t, err, "ROIFromSource")
	assert.Equal(t, "EUR", got.Currency, "the currency of most opportunities")
	assert.Equal(t, 1, got.OtherCurrency, "the USD opportunity is left out")
	assert.Zero(t, got.Skipped)

	// Opportunity 1: account 1's activity (01-10) precedes the move past Qualification (01-20):
	// influenced, won in 45 days. 2: contact 5's activity (02-05) follows the move (02-01), account
	// 2's is after the report: not influenced, lost. 3: contact 5's activity precedes the move
	// (02-20): influenced, open. 4: account 3 is not linked: not influenced, won in 59 days. 5:
	// account 4 is rejected: not influenced, open. 7 (no currency: counted) never moved past:
	// influenced, open.
	wantIn := report.Split{Opportunities: 3, Open: 2, Won: 1, Pipeline: 9000, WonRevenue: 10000, WinRate: 1, DaysToClose: 45}
	wantOut := report.Split{Opportunities: 3, Open: 1, Won: 1, Lost: 1, Pipeline: 3000, WonRevenue: 20000, WinRate: 0.5, DaysToClose: 59}
	if closeOnly {
		// Only the closing is known: 2 moved past the stage on its close date (03-10), after
		// contact 5's activity: influenced, lost. 3 is past the stage with no known moment: its
		// creation (01-20) is taken, before every activity: not influenced.
		wantIn = report.Split{Opportunities: 3, Open: 1, Won: 1, Lost: 1, Pipeline: 1000, WonRevenue: 10000, WinRate: 0.5, DaysToClose: 45}
		wantOut = report.Split{Opportunities: 3, Open: 2, Won: 1, Pipeline: 11000, WonRevenue: 20000, WinRate: 1, DaysToClose: 59}
	}
	checkSplit(t, "influenced", wantIn, got.Influenced)
	checkSplit(t, "not influenced", wantOut, got.NotInfluenced)
	var months []string
	for _, m := range got.Months {
		months = append(months, m.Month)
	}
	assert.Equal(t, []string{"2026-02", "2026-03", "2026-04", "2026-06"}, months)

	// The other currency: opportunity 6 (USD; account 1's activity precedes its move past the
	// stage on 03-01: influenced, won in 28 days) and 7 (no currency).
	in.Currency = "USD"
	got, err = report.ROIFromSource(t.Context(), in)
	require.NoError(t, err, "ROIFromSource(USD)")
	assert.Equal(t, 5, got.OtherCurrency)
	checkSplit(t, "influenced (USD)", report.Split{Opportunities: 2, Open: 1, Won: 1, Pipeline: 1000, WonRevenue: 7000, WinRate: 1, DaysToClose: 28}, got.Influenced)
	checkSplit(t, "not influenced (USD)", report.Split{}, got.NotInfluenced)

	// Without the ability to read activities back there is no report.
	_, err = report.ROIFromSource(t.Context(), report.SourceInput{Org: ds.Org, Source: sourceOnly{src}, Mappings: store, Stage: "Qualification"})
	assert.ErrorIs(t, err, report.ErrNoActivityReader)
}

// sourceOnly hides every ability of a Source but crm.Source.
type sourceOnly struct{ crm.Source }

func checkSplit(t *testing.T, name string, want, got report.Split) {
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
