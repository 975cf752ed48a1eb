package report_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/csvsource"
	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/report"
)

const benchOrg = "00D000000000001AAA"

// benchData is an org of 10,000 opportunities over 2,000 accounts (3 stage changes each), 5,000
// written-back activities and 1,000 linked accounts.
func benchData() (stages []crm.OpportunityStage, opps []crm.Opportunity, acts []crm.Activity, links []override.Mapping) {
	stages = salesforceStages
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	names := []string{"Prospecting", "Qualification", "Needs Analysis", "Proposal/Price Quote", "Closed Won", "Closed Lost"}
	for i := range 10000 {
		created := t0.Add(time.Duration(i%300) * 24 * time.Hour)
		final := names[i%len(names)]
		o := crm.Opportunity{ID: fmt.Sprintf("006%015d", i), AccountID: fmt.Sprintf("001%015d", i%2000), Stage: final,
			Amount: float64(1000 + i%97*100), Currency: "EUR", CreatedAt: created, CloseDate: created.Add(60 * 24 * time.Hour),
			IsClosed: i%6 >= 4, IsWon: i%6 == 4,
			History: []crm.StageChange{{Stage: "Prospecting", At: created}, {Stage: "Needs Analysis", At: created.Add(10 * 24 * time.Hour)},
				{Stage: final, At: created.Add(40 * 24 * time.Hour)}}}
		opps = append(opps, o)
	}
	for i := range 5000 {
		acts = append(acts, crm.Activity{Kind: crm.InMail, Record: crm.RecordRef{Org: benchOrg, Object: crm.ObjectAccount, ID: fmt.Sprintf("001%015d", i%2000)},
			Subject: "InMail", OccurredAt: t0.Add(time.Duration(i%330) * 24 * time.Hour), ExternalKey: fmt.Sprintf("k%d", i)})
	}
	for i := range 1000 {
		links = append(links, override.Mapping{Record: override.RecordRef{Org: benchOrg, Object: override.Account, ID: fmt.Sprintf("001%015d", i*2)},
			Entity: override.EntityRef{Kind: override.Company, ID: fmt.Sprintf("c%d", i)}, Source: override.Sync})
	}
	return
}

// BenchmarkROIFromSource reads the org from CSV files and the links from a memory store, then
// computes the report; BenchmarkROIComputeOnly is its baseline: the same computation on data
// already in memory.
func BenchmarkROIFromSource(b *testing.B) {
	stages, opps, acts, links := benchData()
	dir := b.TempDir()
	if err := csvsource.Write(dir, &csvsource.Data{Stages: stages, Opportunities: opps}); err != nil {
		b.Fatal(err)
	}
	src, err := csvsource.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := src.WriteActivities(ctx, acts); err != nil {
		b.Fatal(err)
	}
	store := override.NewMemory()
	defer store.Close()
	if err := store.PutBatch(ctx, links); err != nil {
		b.Fatal(err)
	}
	in := report.SourceInput{Org: benchOrg, Source: src, Mappings: store, Stage: "Qualification", AsOf: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := report.ROIFromSource(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkROIComputeOnly(b *testing.B) {
	stages, opps, acts, links := benchData()
	linked := map[string]bool{}
	for _, m := range links {
		linked[m.Record.ID] = true
	}
	in := report.ROIInput{Stages: stages, Stage: "Qualification", AsOf: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
		Matched: func(o report.Object, id string) bool { return o == report.Account && linked[id] }}
	for _, o := range opps {
		h := make([]report.StageChange, len(o.History))
		for i, c := range o.History {
			h[i] = report.StageChange{Stage: c.Stage, At: c.At}
		}
		in.Opportunities = append(in.Opportunities, report.Opportunity{ID: o.ID, AccountID: o.AccountID, Amount: o.Amount,
			Stage: o.Stage, CreatedAt: o.CreatedAt, CloseDate: o.CloseDate, History: h})
	}
	for _, a := range acts {
		in.Activities = append(in.Activities, report.Activity{Object: report.Account, ID: a.Record.ID, At: a.OccurredAt})
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := report.ComputeROI(in); err != nil {
			b.Fatal(err)
		}
	}
}
