package matcher

// NameSimilarity returns the similarity in [0,1] of the company names of q
// and e as the engine compares them (the level of the name field is chosen
// from it), with the words of q's name weighed alike: the soft Dice of their
// words and the edit similarity of the names without spaces. ok is false
// when q or e is not a company or either name is empty. A directory may use
// it to choose among more candidates than it returns.
func NameSimilarity(q *Query, e Entity) (sim float64, ok bool) {
	if q.kind != KindCompany || e.Ref.Kind != KindCompany || e.c == nil || q.company.empty() || e.c.company.empty() {
		return 0, false
	}
	if q.company.core == e.c.company.core {
		return 1, true
	}
	return companySimW(&q.company, &e.c.company, nil), true
}
