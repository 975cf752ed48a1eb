package matcher_test

import (
	"fmt"
	"testing"

	"github.com/crmlink/crmlink/internal/synth"
	"github.com/crmlink/crmlink/matcher"
)

// fitQueries is the batch BenchmarkFit fits on.
const fitQueries = 10_000

// BenchmarkFit measures fitting the model ([matcher.Engine.FitCompanies],
// [matcher.Engine.FitMembers]) on a batch of 10,000 corrupted queries over
// 100k and 1M entities (1M only without -short): the directory sample for
// U, scoring the batch's candidates and the EM iterations. The baseline is
// matching the same batch once (MatchCompanies / MatchMembers): fitting
// should cost about one such pass plus the sample.
func BenchmarkFit(b *testing.B) {
	for _, n := range benchSizes() {
		for _, mk := range []func(int) *benchFixture{companyFixture, memberFixture} {
			fx := mk(n)
			fx.dir = fx.build()
			// The fixtures' worlds (companyFixture, memberFixture), so that
			// 90% of the queries are for entities of the directory.
			w := synth.New(synth.Options{Seed: 1, Companies: n})
			if fx.kind == matcher.KindMember {
				w = synth.New(synth.Options{Seed: 1, Companies: n / 4, Members: n})
			}
			var cq []matcher.CompanyQuery
			var mq []matcher.MemberQuery
			if fx.kind == matcher.KindCompany {
				for _, q := range w.CompanyQueries(fitQueries, synth.QueryOptions{Seed: 9, AbsentRate: 0.1}) {
					cq = append(cq, matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website})
				}
			} else {
				for _, q := range w.MemberQueries(fitQueries, synth.QueryOptions{Seed: 9, AbsentRate: 0.1}) {
					mq = append(mq, matcher.MemberQuery{FirstName: q.FirstName, LastName: q.LastName, Company: q.Company,
						Title: q.Title, Email: q.Email, Location: q.Location})
				}
			}
			name := fmt.Sprintf("%s/%dk", fx.kind, n/1000)
			b.Run(name+"/fit", func(b *testing.B) {
				for b.Loop() {
					eng, err := matcher.New(fx.dir)
					if err != nil {
						b.Fatal(err)
					}
					var rep *matcher.FitReport
					if cq != nil {
						rep, err = eng.FitCompanies(b.Context(), cq, nil)
					} else {
						rep, err = eng.FitMembers(b.Context(), mq, nil)
					}
					if err != nil {
						b.Fatal(err)
					}
					b.ReportMetric(float64(rep.Iterations), "iterations")
					b.ReportMetric(rep.InDirectory, "in_directory")
				}
			})
			b.Run(name+"/baseline_match_batch", func(b *testing.B) {
				eng, err := matcher.New(fx.dir)
				if err != nil {
					b.Fatal(err)
				}
				for b.Loop() {
					if cq != nil {
						for _, err := range eng.MatchCompanies(b.Context(), func(yield func(matcher.CompanyQuery) bool) {
							for _, q := range cq {
								if !yield(q) {
									return
								}
							}
						}) {
							if err != nil && err != matcher.ErrEmptyQuery {
								b.Fatal(err)
							}
						}
					} else {
						for _, err := range eng.MatchMembers(b.Context(), func(yield func(matcher.MemberQuery) bool) {
							for _, q := range mq {
								if !yield(q) {
									return
								}
							}
						}) {
							if err != nil && err != matcher.ErrEmptyQuery {
								b.Fatal(err)
							}
						}
					}
				}
			})
		}
	}
}
