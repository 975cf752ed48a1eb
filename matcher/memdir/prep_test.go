package memdir_test

import (
	"context"
	"testing"

	"github.com/crmlink/crmlink/internal/synth"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

func BenchmarkPrepareOnly(b *testing.B) {
	w := synth.New(synth.Options{Seed: 5, Companies: 1000, Members: 1000})
	eng, _ := matcher.New(memdir.New())
	qs := w.CompanyQueries(1000, synth.QueryOptions{Seed: 2})
	ms := w.MemberQueries(1000, synth.QueryOptions{Seed: 2})
	ctx := context.Background()
	b.Run("company", func(b *testing.B) {
		i := 0
		b.ReportAllocs()
		for b.Loop() {
			q := qs[i%len(qs)]
			i++
			_, _ = eng.MatchCompany(ctx, matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website})
		}
	})
	b.Run("member", func(b *testing.B) {
		i := 0
		b.ReportAllocs()
		for b.Loop() {
			q := ms[i%len(ms)]
			i++
			_, _ = eng.MatchMember(ctx, matcher.MemberQuery{FirstName: q.FirstName, LastName: q.LastName,
				Company: q.Company, Title: q.Title, Email: q.Email, Location: q.Location})
		}
	})
}
