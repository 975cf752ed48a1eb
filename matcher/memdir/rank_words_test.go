package memdir_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

// TestRankNearNameOverItsWord checks that a company whose name holds the
// query's rare word and a near spelling of another of its words ranks
// above the companies whose names hold the rare word alone, under two
// shapes of query that once put it below them: a word of the name
// repeated with a typo ("Luyx Soluions Aolutions" for "Luyx Solutions"),
// which read as the query naming more than the name, and words added with
// typos ("Enix Servzi Trdaing Group" for "Enix Servizi"), where the near
// spelling of the whole name weighed the flat Medium level while a name
// holding "Enix" alone weighed by how few names hold it.
func TestRankNearNameOverItsWord(t *testing.T) {
	d := memdir.New(memdir.WithVocabulary())
	for _, n := range []string{"Luyx Solutions", "Luyx SE", "Luyx Corporation", "Luyx", "Enix Servizi", "Enix LLC", "Enix", "Enix S.r.l."} {
		require.NoError(t, d.AddCompany(matcher.Company{ID: n, Name: n}))
	}
	words := []string{"Solutions", "Services", "Europe", "Group", "Holdings", "Trading"}
	for i := range 60000 {
		require.NoError(t, d.AddCompany(matcher.Company{ID: fmt.Sprintf("f%05d", i),
			Name: fmt.Sprintf("Q%c%c%c%cx %s", 'a'+i%26, 'a'+i/26%26, 'a'+i/676%26, 'a'+i/17576%26, words[i%len(words)])}))
	}
	eng, err := matcher.New(d)
	require.NoError(t, err)
	for _, c := range []struct{ q, want string }{
		{"Luyx Soluions Aolutions", "Luyx Solutions"},
		{"Enix Servzi Trdaing Group", "Enix Servizi"},
		{"Enix Srvizi Europe Holdngs", "Enix Servizi"},
	} {
		res, err := eng.MatchCompany(context.Background(), matcher.CompanyQuery{Name: c.q})
		require.NoError(t, err)
		require.NotEmpty(t, res.Candidates)
		assert.Equal(t, c.want, res.Candidates[0].Entity.ID, "%q: first of %v", c.q, res.Candidates)
	}
}
