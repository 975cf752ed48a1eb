package matcher_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
)

// TestNameSimilarity checks that NameSimilarity orders names as the
// engine's name comparison does, and knows no similarity for members.
func TestNameSimilarity(t *testing.T) {
	q, err := matcher.NewCompanyQuery(matcher.CompanyQuery{Name: "Swift Stream Bnak"})
	require.NoError(t, err)
	sim := func(name string) float64 {
		s, ok := matcher.NameSimilarity(q, matcher.NewCompanyEntity(matcher.Company{ID: "x", Name: name}))
		require.True(t, ok)
		return s
	}
	require.Greater(t, sim("Swift Stream Bank"), sim("Swift Stream Capital"))
	require.Greater(t, sim("Swift Stream Capital"), sim("Blue River Bank"))
	exact, ok := matcher.NameSimilarity(q, matcher.NewCompanyEntity(matcher.Company{ID: "y", Name: "Swift Stream Bnak Inc."}))
	require.True(t, ok)
	require.Equal(t, 1.0, exact)

	m, err := matcher.NewMemberQuery(matcher.MemberQuery{FirstName: "Ada", LastName: "Lovelace"})
	require.NoError(t, err)
	_, ok = matcher.NameSimilarity(m, matcher.NewCompanyEntity(matcher.Company{ID: "x", Name: "Swift Stream Bank"}))
	require.False(t, ok)
}

// TestNameSimilarities checks that the batch gives each entity the
// similarity NameSimilarity gives it, 0 for a member.
func TestNameSimilarities(t *testing.T) {
	q, err := matcher.NewCompanyQuery(matcher.CompanyQuery{Name: "Swift Stream Bnak"})
	require.NoError(t, err)
	ents := []matcher.Entity{
		matcher.NewCompanyEntity(matcher.Company{ID: "a", Name: "Swift Stream Bank"}),
		matcher.NewMemberEntity(matcher.Member{ID: "m", FirstName: "Ada", LastName: "Lovelace"}),
		matcher.NewCompanyEntity(matcher.Company{ID: "b", Name: "Blue River Bank Ltd"}),
		matcher.NewCompanyEntity(matcher.Company{ID: "c", Name: "Swift Stream Bnak Inc."}),
	}
	sims := make([]float64, len(ents))
	for i := range sims {
		sims[i] = -1
	}
	matcher.NameSimilarities(q, ents, sims)
	for i, e := range ents {
		want, _ := matcher.NameSimilarity(q, e)
		require.Equal(t, want, sims[i], "entity %s", e.Ref.ID)
	}
	require.Equal(t, 0.0, sims[1])
	matcher.NameSimilarities(q, nil, nil)
}
