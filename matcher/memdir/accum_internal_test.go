package memdir

import (
	"cmp"
	"context"
	"slices"
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

// TestAlikeListsVisitedOnce checks that visiting the query's alike posting
// lists once (a person name's deletion keys, mostly held by the name's
// holders alone) chooses the candidates that visiting each would, in the
// array and in the hash table, with budgets that cut lists short, and that
// such lists occur.
func TestAlikeListsVisitedOnce(t *testing.T) {
	ctx := context.Background()
	w := synth.New(synth.Options{Seed: 5, Companies: 6_000, Members: 40_000})
	var qs []*matcher.Query
	for _, q := range w.MemberQueries(300, synth.QueryOptions{Seed: 6, AbsentRate: 0.1}) {
		if p, err := matcher.NewMemberQuery(matcher.MemberQuery{FirstName: q.FirstName, LastName: q.LastName,
			Company: q.Company, Title: q.Title, Email: q.Email, Location: q.Location}); err == nil {
			qs = append(qs, p)
		}
	}
	for _, q := range w.CompanyQueries(300, synth.QueryOptions{Seed: 6, AbsentRate: 0.1}) {
		if p, err := matcher.NewCompanyQuery(matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website}); err == nil {
			qs = append(qs, p)
		}
	}
	d := New()
	for _, c := range w.Companies() {
		if err := d.AddCompany(matcher.Company(c)); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range w.Members() {
		if err := d.AddMember(matcher.Member{ID: m.ID, FirstName: m.FirstName, LastName: m.LastName,
			Company: m.Company, Title: m.Title, Location: m.Location}); err != nil {
			t.Fatal(err)
		}
	}
	merged := 0
	for _, hashMin := range []int{1 << 30, 0} { // the array, then the hash table
		d.hashMin = hashMin
		for _, budget := range []int{500, 3000, DefaultPostingBudget} {
			d.budget = budget
			for _, limit := range []int{3, matcher.DefaultCandidateLimit} {
				for i, q := range qs {
					d.visitAlike = true
					want, err := d.Candidates(ctx, q, limit, nil)
					if err != nil {
						t.Fatal(err)
					}
					d.visitAlike = false
					got, err := d.Candidates(ctx, q, limit, nil)
					if err != nil {
						t.Fatal(err)
					}
					if len(got) != len(want) {
						t.Fatalf("query %d, budget %d, limit %d: %d candidates, want %d", i, budget, limit, len(got), len(want))
					}
					for j := range got {
						if got[j].Ref != want[j].Ref {
							t.Fatalf("query %d, budget %d, limit %d: candidate %d is %v, want %v", i, budget, limit, j, got[j].Ref, want[j].Ref)
						}
					}
					s := d.getScratch()
					s.lists = s.lists[:0]
					var one [1]int32
					for i, k := range q.Keys() {
						if l := d.postings(k, &one); len(l) > 0 {
							s.lists = append(s.lists, keyList{k, l, 1, q.VariantGroups()[i]})
						}
					}
					slices.SortFunc(s.lists, func(a, b keyList) int { return cmp.Compare(len(a.list), len(b.list)) })
					for _, c := range d.cutLists(s, float64(len(d.ents))) {
						if c.n > 1 {
							merged++
						}
					}
					d.putScratch(s)
				}
			}
		}
	}
	if merged == 0 {
		t.Fatal("no query had alike lists: the test checks nothing")
	}
}
