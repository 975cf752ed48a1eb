package memdir_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/internal/synth"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

// BenchmarkCandidatesHard is candidate generation for the hard name-only
// company queries of internal/synth over 100,000 companies: the cost of
// the vocabulary look-ups (words with typos, joined and split words).
func BenchmarkCandidatesHard(b *testing.B) {
	const n = 100_000
	w := synth.New(synth.Options{Seed: 5, Companies: n})
	d := memdir.New(memdir.WithCapacity(n), memdir.WithVocabulary())
	for _, c := range w.Companies() {
		require.NoError(b, d.AddCompany(matcher.Company(c)))
	}
	var qs []*matcher.Query
	for _, q := range w.HardCompanyQueries(1000, synth.QueryOptions{Seed: 2}) {
		p, err := matcher.NewCompanyQuery(matcher.CompanyQuery{Name: q.Name, Website: q.Website})
		if err == nil {
			qs = append(qs, p)
		}
	}
	benchCandidates(b, d, qs)
}
