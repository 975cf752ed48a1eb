package matcher

// NameSimilarity returns the similarity in [0,1] of the company names of q
// and e as the engine compares them (the level of the name field is chosen
// from it): the soft Dice of their words, each word of q weighed by
// weights[i] when weights has one weight a word of q's name (see
// [Query.NameTokens]), else alike, and the edit similarity of the names
// without spaces. ok is false when q or e is not a company or either name
// is empty. A directory may use it to choose among more candidates than it
// returns.
func NameSimilarity(q *Query, e Entity, weights []float64) (sim float64, ok bool) {
	if q.kind != KindCompany || e.Ref.Kind != KindCompany || e.c == nil || q.company.empty() || e.c.company.empty() {
		return 0, false
	}
	if q.company.core == e.c.company.core {
		return 1, true
	}
	return companySimW(&q.company, &e.c.company, weights), true
}

// NameTokens returns the number of words of a company query's name, the
// length of the weights [NameSimilarity] takes; 0 for a member query.
func (q *Query) NameTokens() int {
	if q.kind != KindCompany {
		return 0
	}
	return len(q.company.tokens)
}
