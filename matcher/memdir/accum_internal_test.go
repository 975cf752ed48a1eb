package memdir

import (
	"context"
	"testing"

	"github.com/crmlink/crmlink/internal/synth"
	"github.com/crmlink/crmlink/matcher"
)

// TestHashedAccumulator checks that candidates accumulated in the hash
// table (topHashed) are those of the array (topDense), in the same order:
// companies and members, with and without the vocabulary, posting budgets
// that cut lists short, small limits that make the heap choose among ties,
// slots freed and reused, and queries whose last lists only add to the
// entities that can still enter (closeEntry).
func TestHashedAccumulator(t *testing.T) {
	ctx := context.Background()
	w := synth.New(synth.Options{Seed: 3, Companies: 12_000, Members: 30_000})
	var qs []*matcher.Query
	for _, q := range w.CompanyQueries(400, synth.QueryOptions{Seed: 4, AbsentRate: 0.1}) {
		if p, err := matcher.NewCompanyQuery(matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website}); err == nil {
			qs = append(qs, p)
		}
	}
	for _, q := range w.MemberQueries(400, synth.QueryOptions{Seed: 4, AbsentRate: 0.1}) {
		if p, err := matcher.NewMemberQuery(matcher.MemberQuery{FirstName: q.FirstName, LastName: q.LastName,
			Company: q.Company, Title: q.Title, Email: q.Email, Location: q.Location}); err == nil {
			qs = append(qs, p)
		}
	}
	for _, vocab := range []bool{false, true} {
		var opts []Option
		if vocab {
			opts = append(opts, WithVocabulary())
		}
		d := New(opts...)
		for _, c := range w.Companies() {
			if err := d.AddCompany(matcher.Company(c)); err != nil {
				t.Fatal(err)
			}
		}
		for i, m := range w.Members() {
			h, _ := matcher.HashEmail(m.Email)
			if err := d.AddMember(matcher.Member{ID: m.ID, FirstName: m.FirstName, LastName: m.LastName,
				Company: m.Company, Title: m.Title, Location: m.Location, EmailHash: h}); err != nil {
				t.Fatal(err)
			}
			if i%7 == 0 {
				// Free a company's slot, for a later member to take.
				if _, err := d.Remove(matcher.EntityRef{Kind: matcher.KindCompany, ID: w.Companies()[i/7].ID}); err != nil {
					t.Fatal(err)
				}
			}
		}
		hashed, closed := 0, 0
		d.closeHook = func() { closed++ }
		for _, budget := range []int{300, 2000, len(d.ents) / 8} {
			d.budget = budget
			for _, limit := range []int{1, 5, matcher.DefaultCandidateLimit} {
				for i, q := range qs {
					d.hashMin = len(d.ents) + 1
					want, err := d.Candidates(ctx, q, limit, nil)
					if err != nil {
						t.Fatal(err)
					}
					d.hashMin = 0
					got, err := d.Candidates(ctx, q, limit, nil)
					if err != nil {
						t.Fatal(err)
					}
					if len(got) != len(want) {
						t.Fatalf("vocab %v budget %d limit %d query %d: %d candidates hashed, %d dense", vocab, budget, limit, i, len(got), len(want))
					}
					for j := range got {
						if got[j].Ref != want[j].Ref {
							t.Fatalf("vocab %v budget %d limit %d query %d: candidate %d is %v hashed, %v dense", vocab, budget, limit, i, j, got[j].Ref, want[j].Ref)
						}
					}
					if len(got) > 0 {
						hashed++
					}
				}
			}
		}
		if hashed == 0 {
			t.Fatal("no query had candidates")
		}
		if closed == 0 {
			t.Fatal("no query closed entry")
		}
		t.Logf("vocab %v: %d queries with candidates, %d closed entry", vocab, hashed, closed)
	}
}
