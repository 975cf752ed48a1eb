package matcher

import "testing"

// TestExactNotBelowPartial checks that a term-frequency-adjusted exact
// agreement never weighs less than any partial agreement of its field,
// whatever order fitted weights give the partial levels.
func TestExactNotBelowPartial(t *testing.T) {
	w := DefaultWeights()
	// As a fit on a small directory can leave them: the brand prefix and
	// the acronym above the near match.
	w.CompanyName.Prefix = Level{M: 0.05, U: 1e-6}
	w.CompanyName.Equivalent = Level{M: 0.05, U: 2e-6}
	s := scorer{w: &w}
	for _, u := range []float64{1e-6, 1e-3, 0.05, 0.5} {
		got := s.exact(&w.CompanyName, u)
		for name, l := range map[string]Level{"high": w.CompanyName.High, "prefix": w.CompanyName.Prefix, "acronym": w.CompanyName.Equivalent} {
			if got < l.Weight() {
				t.Errorf("u %g: exact %+.2f bits below %s %+.2f", u, got, name, l.Weight())
			}
		}
	}
}
