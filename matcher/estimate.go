package matcher

import (
	"context"
	"maps"
	"math/rand/v2"
	"slices"
)

// EstimateU re-estimates the U probabilities (chance agreement) of w from
// random pairs of the given entities, and returns the new weights. Each pair
// is two distinct entities of the same kind drawn with a PCG generator seeded
// by seed; the first is compared to the second as a query would be, and each
// field's level frequencies become its U, with add-one smoothing. The Exact U
// of names is estimated too, but at query time term-frequency adjustment
// replaces it when the directory implements [KeyCounter]. An email hash
// agreement never happens by chance between distinct entities, so the Exact U
// of emails is kept; email pattern and domain levels need clear addresses
// that a directory does not hold and are kept too. The U of
// [Weights.ColleagueLocation] comes from as many pairs of members with the
// same employer.
//
// ents should be a uniform sample of the directory (a few thousand entities
// are enough; pairs around 100,000). It returns ctx.Err() if ctx is
// cancelled.
func EstimateU(ctx context.Context, w Weights, ents []Entity, pairs int, seed uint64) (Weights, error) {
	byKind := map[Kind][]Entity{}
	for _, e := range ents {
		if e.ok() {
			byKind[e.Ref.Kind] = append(byKind[e.Ref.Kind], e)
		}
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	tab := map[string]map[string]int{}
	var fs [maxFields]FieldScore
	for _, kind := range []Kind{KindCompany, KindMember} { // a fixed order: the kinds share rng
		es := byKind[kind]
		if len(es) < 2 {
			continue
		}
		for i := range pairs {
			if i%1024 == 0 && ctx.Err() != nil {
				return w, ctx.Err()
			}
			a := es[rng.IntN(len(es))]
			b := es[rng.IntN(len(es))]
			if a.Ref == b.Ref {
				continue
			}
			q := queryFromEntity(a)
			sc := scorer{w: &w, q: &q}
			var out []FieldScore
			if kind == KindCompany {
				out = sc.company(fs[:0], b.c)
			} else {
				out = sc.member(fs[:0], b.m)
			}
			for _, f := range out {
				k := kind.String() + ":" + f.Field
				if tab[k] == nil {
					tab[k] = map[string]int{}
				}
				tab[k][f.Level]++
			}
		}
	}
	set := func(fw *FieldWeights, kind Kind, field string) {
		t := tab[kind.String()+":"+field]
		n := 0
		for _, c := range t {
			n += c
		}
		if n == 0 {
			return
		}
		u := func(level string) float64 { return float64(t[level]+1) / float64(n+2) }
		if field != FieldEmail {
			fw.Exact.U = u(LevelExact)
		}
		fw.Disagree.U = u(LevelDisagree)
		if fw.High.M > 0 {
			fw.High.U = u(LevelHigh)
		}
		if fw.Medium.M > 0 {
			fw.Medium.U = u(LevelMedium)
		}
		if fw.Prefix.M > 0 {
			fw.Prefix.U = u(LevelPrefix)
		}
		if fw.Partial.M > 0 {
			fw.Partial.U = u(LevelPartial)
		}
		if fw.SpelledOut.M > 0 {
			fw.SpelledOut.U = u(LevelSpelledOut)
		}
		if fw.Equivalent.M > 0 {
			switch field {
			case FieldFirstName:
				fw.Equivalent.U = u(LevelNickname)
			case FieldName, FieldCompany:
				fw.Equivalent.U = u(LevelAcronym)
			case FieldWebsite:
				fw.Equivalent.U = u(LevelDomain)
			case FieldLocation:
				fw.Equivalent.U = u(LevelCountry)
			}
		}
	}
	set(&w.CompanyName, KindCompany, FieldName)
	set(&w.LegalForm, KindCompany, FieldLegalForm)
	set(&w.Website, KindCompany, FieldWebsite)
	set(&w.Industry, KindCompany, FieldIndustry)
	set(&w.CompanyLocation, KindCompany, FieldLocation)
	set(&w.FirstName, KindMember, FieldFirstName)
	set(&w.LastName, KindMember, FieldLastName)
	set(&w.Employer, KindMember, FieldCompany)
	set(&w.Title, KindMember, FieldTitle)
	set(&w.Email, KindMember, FieldEmail)
	set(&w.MemberLocation, KindMember, FieldLocation)
	estimateAddressU(&w, tab)
	if err := estimateColleagueU(ctx, &w, byKind[KindMember], pairs, rng); err != nil {
		return w, err
	}
	return w, nil
}

// estimateColleagueU estimates the U of w.ColleagueLocation from pairs of
// distinct members with the same employer (exact core), drawn with rng, and
// sets its M to those of w.MemberLocation. It leaves w.ColleagueLocation
// as it is when no two members share an employer.
func estimateColleagueU(ctx context.Context, w *Weights, mems []Entity, pairs int, rng *rand.Rand) error {
	groups := map[string][]int{}
	for i, e := range mems {
		if e.m.employer != nil && e.m.employer.core != "" {
			core := e.m.employer.core
			groups[core] = append(groups[core], i)
		}
	}
	var flat []int    // members with at least one colleague
	var group [][]int // flat[i]'s colleagues and itself
	// In a fixed order: the draws below index flat.
	for _, core := range slices.Sorted(maps.Keys(groups)) {
		g := groups[core]
		if len(g) < 2 {
			continue
		}
		for _, i := range g {
			flat = append(flat, i)
			group = append(group, g)
		}
	}
	if len(flat) == 0 {
		return nil
	}
	count := map[string]int{}
	n := 0
	for i := range pairs {
		if i%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		k := rng.IntN(len(flat))
		a, g := flat[k], group[k]
		b := g[rng.IntN(len(g))]
		if a == b {
			continue
		}
		q := queryFromEntity(mems[a])
		sc := scorer{w: w, q: &q}
		if fs, ok := sc.location(&w.MemberLocation, &q.loc, &mems[b].m.loc); ok {
			count[fs.Level]++
			n++
		}
	}
	if n == 0 {
		return nil
	}
	u := func(level string) float64 { return float64(count[level]+1) / float64(n+2) }
	ml := &w.MemberLocation
	w.ColleagueLocation = FieldWeights{
		Exact:      Level{ml.Exact.M, u(LevelExact)},
		Equivalent: Level{ml.Equivalent.M, u(LevelCountry)},
		Disagree:   Level{ml.Disagree.M, u(LevelDisagree)},
	}
	return nil
}

// queryFromEntity builds the query an entity would make of itself.
func queryFromEntity(e Entity) Query {
	q := Query{kind: e.Ref.Kind}
	if f := e.c; f != nil {
		q.company, q.domain, q.label, q.industry, q.loc = f.company, f.domain, f.label, f.industry, f.loc
		q.industries = f.industries
	}
	if f := e.m; f != nil {
		q.person, q.title, q.loc, q.email, q.hasEmail = f.person, f.title, f.loc, f.email, f.hasEmail
		if f.employer != nil {
			q.employer = *f.employer
		}
	}
	return q
}

// LabeledPair is a query known to be about an entity, for [EstimateM].
// Exactly one of Company and Member is used, by Entity's kind.
type LabeledPair struct {
	Company CompanyQuery
	Member  MemberQuery
	Entity  Entity
}

// EstimateM re-estimates the M probabilities of w from true pairs (a CRM
// record and the entity a person matched it to, or synthetic corrupted
// queries with their truth) and returns the new weights: each field's level
// frequencies among the pairs where both sides have the field, with add-one
// smoothing. Levels never seen keep a small non-zero M. Pairs with an empty
// query or an invalid entity are skipped. It returns ctx.Err() if ctx is
// cancelled.
func EstimateM(ctx context.Context, w Weights, pairs []LabeledPair) (Weights, error) {
	tab := map[string]map[string]int{}
	var fs [maxFields]FieldScore
	var q Query
	for i, p := range pairs {
		if i%1024 == 0 && ctx.Err() != nil {
			return w, ctx.Err()
		}
		if !p.Entity.ok() {
			continue
		}
		sc := scorer{w: &w, q: &q}
		var out []FieldScore
		switch p.Entity.Ref.Kind {
		case KindCompany:
			if !q.prepareCompany(p.Company) {
				continue
			}
			out = sc.company(fs[:0], p.Entity.c)
		case KindMember:
			if !q.prepareMember(p.Member) {
				continue
			}
			out = sc.member(fs[:0], p.Entity.m)
		}
		for _, f := range out {
			k := p.Entity.Ref.Kind.String() + ":" + f.Field
			if tab[k] == nil {
				tab[k] = map[string]int{}
			}
			tab[k][f.Level]++
		}
	}
	set := func(fw *FieldWeights, kind Kind, field, equivalent string) {
		t := tab[kind.String()+":"+field]
		n := 0
		for _, c := range t {
			n += c
		}
		if n == 0 {
			return
		}
		levels := 5
		if fw.Prefix.M > 0 {
			levels++ // add-one smoothing over every level in use
		}
		if fw.Partial.M > 0 {
			levels++
		}
		if fw.SpelledOut.M > 0 {
			levels++
		}
		m := func(level string) float64 { return float64(t[level]+1) / float64(n+levels) }
		fw.Exact.M = m(LevelExact)
		fw.Disagree.M = m(LevelDisagree)
		if fw.High.M > 0 {
			fw.High.M = m(LevelHigh)
		}
		if fw.Medium.M > 0 {
			fw.Medium.M = m(LevelMedium)
		}
		if fw.Equivalent.M > 0 && equivalent != "" {
			fw.Equivalent.M = m(equivalent)
		}
		if fw.Prefix.M > 0 {
			fw.Prefix.M = m(LevelPrefix)
		}
		if fw.Partial.M > 0 {
			fw.Partial.M = m(LevelPartial)
		}
		if fw.SpelledOut.M > 0 {
			fw.SpelledOut.M = m(LevelSpelledOut)
		}
	}
	set(&w.CompanyName, KindCompany, FieldName, LevelAcronym)
	set(&w.LegalForm, KindCompany, FieldLegalForm, "")
	set(&w.Website, KindCompany, FieldWebsite, LevelDomain)
	set(&w.Industry, KindCompany, FieldIndustry, "")
	set(&w.CompanyLocation, KindCompany, FieldLocation, LevelCountry)
	set(&w.FirstName, KindMember, FieldFirstName, LevelNickname)
	set(&w.LastName, KindMember, FieldLastName, "")
	set(&w.Employer, KindMember, FieldCompany, LevelAcronym)
	set(&w.Title, KindMember, FieldTitle, "")
	set(&w.Email, KindMember, FieldEmail, "")
	set(&w.MemberLocation, KindMember, FieldLocation, LevelCountry)
	if cl := &w.ColleagueLocation; cl.Exact.U > 0 {
		// Colleagues' locations differ from other pairs' by U only.
		cl.Exact.M, cl.Equivalent.M, cl.Disagree.M = w.MemberLocation.Exact.M, w.MemberLocation.Equivalent.M, w.MemberLocation.Disagree.M
	}
	if t := tab[KindMember.String()+":"+FieldEmailPattern]; len(t) > 0 {
		n := t[LevelPattern] + t[LevelDisagree]
		w.EmailPattern.Exact.M = float64(t[LevelPattern]+1) / float64(n+2)
		w.EmailPattern.Disagree.M = float64(t[LevelDisagree]+1) / float64(n+2)
	}
	if t := tab[KindMember.String()+":"+FieldEmailDomain]; len(t) > 0 {
		n := t[LevelExact] + t[LevelDisagree]
		w.EmailDomain.Exact.M = float64(t[LevelExact]+1) / float64(n+2)
		w.EmailDomain.Disagree.M = float64(t[LevelDisagree]+1) / float64(n+2)
	}
	return w, nil
}
