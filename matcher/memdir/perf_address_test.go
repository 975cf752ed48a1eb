package memdir_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/internal/synth"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

// BenchmarkEngineMemberAddresses is one member query through the engine
// over 100,000 members whose locations are places (the baseline) or street
// addresses (synth.Options.Addresses: postal parts parsed, compared and
// indexed).
func BenchmarkEngineMemberAddresses(b *testing.B) {
	for _, bc := range []struct {
		name      string
		addresses bool
	}{{"places", false}, {"addresses", true}} {
		b.Run(bc.name, func(b *testing.B) {
			const n = 100_000
			w := synth.New(synth.Options{Seed: 5, Companies: 1000, Members: n, Addresses: bc.addresses})
			d := memdir.New(memdir.WithCapacity(n))
			for _, m := range w.Members() {
				h, _ := matcher.HashEmail(m.Email)
				require.NoError(b, d.AddMember(matcher.Member{ID: m.ID, FirstName: m.FirstName, LastName: m.LastName,
					Company: m.Company, Title: m.Title, Location: m.Location, EmailHash: h}))
			}
			eng, err := matcher.New(d)
			require.NoError(b, err)
			qs := w.MemberQueries(2000, synth.QueryOptions{Seed: 2, AbsentRate: 0.1})
			ctx := context.Background()
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				q := qs[i%len(qs)]
				i++
				_, err := eng.MatchMember(ctx, matcher.MemberQuery{FirstName: q.FirstName, LastName: q.LastName,
					Company: q.Company, Title: q.Title, Email: q.Email, Location: q.Location})
				if err != nil && !errors.Is(err, matcher.ErrEmptyQuery) {
					b.Fatal(err)
				}
			}
		})
	}
}
