package matcher_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
)

// TestDistinctWordReplaced checks that two institutions that share the
// common words of their kind but differ in the word that names them
// ("Georgia Institute of Technology" and "California Institute of
// Technology") are no more alike than the Medium level says, while a name
// that adds words to another's ("Acme Germany" and the name of the brand)
// keeps the weight of the words it holds.
func TestDistinctWordReplaced(t *testing.T) {
	cs := []matcher.Company{
		{ID: "cal", Name: "California Institute of Technology"},
		{ID: "gre", Name: "Grenoble Institute of Technology"},
		{ID: "har", Name: "Harbin Institute of Technology"},
		{ID: "mas", Name: "Massachusetts Institute of Technology"},
		{ID: "kar", Name: "Karlsruhe Institute of Technology"},
		{ID: "gat", Name: "Georgia Tech University"},
		{ID: "zen", Name: "Zenuyx Holdings"},
	}
	for i := range 40 {
		cs = append(cs, matcher.Company{ID: "f" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Name: "Technology Partners " + string(rune('a'+i%26)) + string(rune('a'+i/26))})
	}
	e := newEngine(t, newDir(t, cs, nil))
	w := matcher.DefaultWeights()

	res, err := e.MatchCompany(t.Context(), matcher.CompanyQuery{Name: "Georgia Institute of Technology"})
	require.NoError(t, err)
	require.NotEmpty(t, res.Candidates)
	for _, c := range res.Candidates {
		if f, ok := field(c, matcher.FieldName); ok && f.Level == matcher.LevelMedium {
			assert.InDelta(t, w.CompanyName.Medium.Weight(), f.Contribution, 1e-9, "%s: the Medium level's own weight", c.Entity.ID)
		}
	}
	assert.NotEqual(t, matcher.Match, res.Decision)

	res, err = e.MatchCompany(t.Context(), matcher.CompanyQuery{Name: "Zenuyx Holdngs Germany"})
	require.NoError(t, err)
	require.NotEmpty(t, res.Candidates)
	assert.Equal(t, "zen", res.Candidates[0].Entity.ID)
	f, ok := field(res.Candidates[0], matcher.FieldName)
	require.True(t, ok)
	assert.Greater(t, f.Contribution, w.CompanyName.Medium.Weight(), "a name with words added keeps the weight of the rare word it holds")
}
