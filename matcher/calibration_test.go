package matcher

import (
	"maps"
	"os"
	"slices"
	"testing"

	"github.com/crmlink/crmlink/internal/synth"
)

// TestFirstNameDisagreeCauses lists the true synthetic pairs whose first
// names compare at the disagree level. Run with CRMLINK_CALIBRATE=1.
func TestFirstNameDisagreeCauses(t *testing.T) {
	if os.Getenv("CRMLINK_CALIBRATE") == "" {
		t.Skip("set CRMLINK_CALIBRATE=1")
	}
	w := synth.New(synth.Options{Seed: 11, Companies: 20000, Members: 20000})
	byID := map[string]synth.Member{}
	for _, m := range w.Members() {
		byID[m.ID] = m
	}
	wt := DefaultWeights()
	n, dis := 0, 0
	levels := map[string]int{}
	for _, sq := range w.MemberQueries(3000, synth.QueryOptions{Seed: 3}) {
		m, ok := byID[sq.TruthID]
		if !ok {
			continue
		}
		var q Query
		if !q.prepareMember(MemberQuery{FirstName: sq.FirstName, LastName: sq.LastName, Company: sq.Company, Title: sq.Title, Location: sq.Location}) {
			continue
		}
		e := NewMemberEntity(Member{ID: m.ID, FirstName: m.FirstName, LastName: m.LastName, Company: m.Company, Title: m.Title, Location: m.Location})
		sc := scorer{w: &wt, q: &q}
		for _, f := range sc.member(nil, e.m) {
			if f.Field != FieldFirstName {
				continue
			}
			n++
			levels[f.Level]++
			if f.Level == LevelDisagree {
				dis++
				t.Logf("%q/%q -> %q/%q (%q/%q) %v", sq.FirstName, sq.LastName, m.FirstName, m.LastName, q.person.first, e.m.person.first, sq.Noise)
			}
		}
	}
	t.Logf("first-name disagree %d of %d; levels %v", dis, n, levels)
}

// TestEstimateMLevelCounts re-runs EstimateM on synth labelled pairs (the source of
// DefaultWeights' M) and logs the member and company M next to the
// defaults, then the raw level counts behind them. Run with
// CRMLINK_CALIBRATE=1.
func TestEstimateMLevelCounts(t *testing.T) {
	if os.Getenv("CRMLINK_CALIBRATE") == "" {
		t.Skip("set CRMLINK_CALIBRATE=1")
	}
	w := synth.New(synth.Options{Seed: 11, Companies: 20000, Members: 20000})
	mems := map[string]synth.Member{}
	for _, m := range w.Members() {
		mems[m.ID] = m
	}
	cos := map[string]synth.Company{}
	for _, c := range w.Companies() {
		cos[c.ID] = c
	}
	var pairs []LabeledPair
	brands := 0
	for _, q := range w.MemberQueries(3000, synth.QueryOptions{Seed: 3}) {
		m, ok := mems[q.TruthID]
		if !ok {
			continue
		}
		h, _ := HashEmail(m.Email)
		pairs = append(pairs, LabeledPair{
			Member: MemberQuery{FirstName: q.FirstName, LastName: q.LastName, Company: q.Company, Title: q.Title, Email: q.Email, Location: q.Location},
			Entity: NewMemberEntity(Member{ID: m.ID, FirstName: m.FirstName, LastName: m.LastName, Company: m.Company, Title: m.Title, Location: m.Location, EmailHash: h})})
	}
	for _, q := range w.CompanyQueries(3000, synth.QueryOptions{Seed: 3}) {
		c, ok := cos[q.TruthID]
		if !ok {
			continue
		}
		if slices.Contains(q.Noise, "name:brand") {
			brands++
		}
		pairs = append(pairs, LabeledPair{
			Company: CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website},
			Entity:  NewCompanyEntity(Company(c))})
	}
	d := DefaultWeights()
	e, err := EstimateM(t.Context(), d, pairs)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("pairs %d (company pairs with a brand-only name %d)", len(pairs), brands)
	show := func(name string, a, b FieldWeights) {
		t.Logf("%-15s default %+v", name, a)
		t.Logf("%-15s measured %+v", name, b)
	}
	show("company name", d.CompanyName, e.CompanyName)
	show("industry", d.Industry, e.Industry)
	show("co location", d.CompanyLocation, e.CompanyLocation)
	show("first name", d.FirstName, e.FirstName)
	show("last name", d.LastName, e.LastName)
	show("employer", d.Employer, e.Employer)
	show("title", d.Title, e.Title)
	show("mem location", d.MemberLocation, e.MemberLocation)
	show("website", d.Website, e.Website)
	show("email", d.Email, e.Email)
	// Raw level counts, as EstimateM tallies them, for the comments of
	// DefaultWeights.
	counts := map[string]map[string]int{}
	var q Query
	for _, p := range pairs {
		sc := scorer{w: &d, q: &q}
		var out []FieldScore
		switch p.Entity.Ref.Kind {
		case KindCompany:
			if !q.prepareCompany(p.Company) {
				continue
			}
			out = sc.company(nil, p.Entity.c)
		case KindMember:
			if !q.prepareMember(p.Member) {
				continue
			}
			out = sc.member(nil, p.Entity.m)
		}
		for _, f := range out {
			k := p.Entity.Ref.Kind.String() + ":" + f.Field
			if counts[k] == nil {
				counts[k] = map[string]int{}
			}
			counts[k][f.Level]++
		}
	}
	keys := slices.Sorted(maps.Keys(counts))
	for _, k := range keys {
		n := 0
		for _, c := range counts[k] {
			n += c
		}
		t.Logf("counts %-18s n=%d %v", k, n, counts[k])
	}
}

// TestEstimateUColleagueLocationSynth measures Weights.ColleagueLocation with EstimateU
// on the synth world DefaultWeights is measured on. Run with
// CRMLINK_CALIBRATE=1.
func TestEstimateUColleagueLocationSynth(t *testing.T) {
	if os.Getenv("CRMLINK_CALIBRATE") == "" {
		t.Skip("set CRMLINK_CALIBRATE=1")
	}
	w := synth.New(synth.Options{Seed: 11, Companies: 20000, Members: 20000})
	var ents []Entity
	for _, m := range w.Members() {
		ents = append(ents, NewMemberEntity(Member{ID: m.ID, FirstName: m.FirstName, LastName: m.LastName, Company: m.Company, Title: m.Title, Location: m.Location}))
	}
	e, err := EstimateU(t.Context(), DefaultWeights(), ents, 200000, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("member location %+v", e.MemberLocation)
	t.Logf("colleague location %+v", e.ColleagueLocation)
}
