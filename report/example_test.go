package report_test

import (
	"fmt"
	"log"
	"math"
	"os"
	"time"

	"github.com/crmlink/crmlink/report"
)

func ExampleMatchBuilder() {
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	b := report.NewMatchBuilder("00D1", start)
	b.AddCount(report.Account, report.Filtered, 2)
	b.Add(report.Account, "001A", report.Sync, 0.97)
	b.Add(report.Account, "001B", report.Ambiguous, 0.64)
	b.Add(report.Contact, "003A", report.Manual, math.NaN())
	m := b.Finish(start.Add(time.Minute))
	if err := m.WriteCSV(os.Stdout, nil); err != nil {
		log.Fatal(err)
	}
	// Output:
	// object,read,filtered,invalid,manual,sync,rejected,ambiguous,none,linked,linked_share,change_read,change_linked,change_linked_share
	// account,4,2,0,0,1,0,1,0,1,0.5000,4,1,0.5000
	// contact,1,0,0,1,0,0,0,0,1,1.0000,1,1,1.0000
	// lead,0,0,0,0,0,0,0,0,0,0.0000,0,0,0.0000
}

func ExampleComputeROI() {
	day := func(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }
	r, err := report.ComputeROI(report.ROIInput{
		Stages: salesforceStages,
		Stage:  "Qualification",
		AsOf:   day("2026-06-30"),
		Activities: []report.Activity{
			{Object: report.Account, ID: "001A", At: day("2026-01-10")},
		},
		Opportunities: []report.Opportunity{
			{ID: "006A", AccountID: "001A", Stage: "Closed Won", Amount: 10000, CreatedAt: day("2026-01-01"), CloseDate: day("2026-02-15"),
				History: []report.StageChange{{Stage: "Needs Analysis", At: day("2026-01-20")}}},
			{ID: "006B", AccountID: "001B", Stage: "Closed Lost", Amount: 5000, CreatedAt: day("2026-01-01"), CloseDate: day("2026-02-01")},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("influenced won revenue %.0f, win rate %.2f with activity, %.2f without\n",
		r.InfluencedWonRevenue(), r.Influenced.WinRate, r.NotInfluenced.WinRate)
	// Output: influenced won revenue 10000, win rate 1.00 with activity, 0.00 without
}
