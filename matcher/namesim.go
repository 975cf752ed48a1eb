package matcher

// NameSimilarity returns the similarity in [0,1] of the company names of q
// and e as the engine compares them (the level of the name field is chosen
// from it), with the words of q's name weighed alike: the soft Dice of their
// words and the edit similarity of the names without spaces, or of the names
// without their words of scope ("USA", "Group") when that is higher. Names
// that both give a legal form are nudged by legalNudge, up when the forms
// agree and down when they do not, as the engine's legal-form field would
// order them among names equally alike. ok is false when q or e is not a
// company or either name is empty. A directory may use it to choose among
// more candidates than it returns.
func NameSimilarity(q *Query, e Entity) (sim float64, ok bool) {
	if q.kind != KindCompany || e.Ref.Kind != KindCompany || e.c == nil || q.company.empty() || e.c.company.empty() {
		return 0, false
	}
	if q.company.core == e.c.company.core {
		return 1, true
	}
	qc, ec := &q.company, &e.c.company
	sim = companySimW(qc, ec, nil)
	if (qc.scope | ec.scope) != 0 {
		sim = max(sim, scopeFreeSim(qc, ec, nil))
	}
	if qc.legal != 0 && ec.legal != 0 {
		if sameLegalForm(qc, ec) {
			sim = min(1, sim+legalNudge)
		} else {
			sim = max(0, sim-legalNudge)
		}
	}
	return sim, true
}

// legalNudge is how much a legal form that agrees (or not) moves
// NameSimilarity: less than a letter of most names, enough to order names
// equally alike.
const legalNudge = 0.02

// NameSimilarities sets sims[i] to the similarity NameSimilarity returns
// for q and ents[i] (0 where it is not ok); sims must be at least as long
// as ents.
// It reads the start of every entity's name before comparing any, so that
// a large directory's entities, far apart in memory, are fetched together
// rather than one comparison at a time: a directory choosing among many
// candidates by name spends most of that choice waiting for memory.
func NameSimilarities(q *Query, ents []Entity, sims []float64) {
	sims = sims[:len(ents)]
	touched := touchFeatures(ents)
	for i, e := range ents {
		sims[i], _ = NameSimilarity(q, e)
	}
	if touched == -1 {
		// Never: it keeps the reads of touchFeatures from being left out.
		sims[0] = 0
	}
}
