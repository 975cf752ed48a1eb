package matcher_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

// TestTypoOfCommonWordWeighsLikeIt checks that a query word no company
// holds, one edit from a common word ("Holdinsg"), weighs like that word
// rather than as the rarest: the company with the query's rare word and
// without the common one ranks above the company with the common word and
// a word two edits from the rare one.
func TestTypoOfCommonWordWeighsLikeIt(t *testing.T) {
	d := memdir.New(memdir.WithVocabulary())
	for i := range 300 {
		require.NoError(t, d.AddCompany(matcher.Company{ID: fmt.Sprintf("f%03d", i), Name: fmt.Sprintf("%c%c%c Holdings", 'a'+i%26, 'a'+i/26%26, 'k'+i%7)}))
	}
	require.NoError(t, d.AddCompany(matcher.Company{ID: "truth", Name: "Zentrix S.r.l."}))
	require.NoError(t, d.AddCompany(matcher.Company{ID: "decoy", Name: "Zantrax Holdings"}))
	e, err := matcher.New(d)
	require.NoError(t, err)
	for _, q := range []string{"Zentrix Holdinsg", "Zentrix Hlodings"} {
		res, err := e.MatchCompany(context.Background(), matcher.CompanyQuery{Name: q})
		require.NoError(t, err)
		require.NotNil(t, res.Best, q)
		require.Equal(t, "truth", res.Best.Entity.ID, "%s: %+v", q, res.Candidates)
	}
}
