package matcher_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
)

// TestSurnameParts checks that one of a person's two surnames finds them
// and agrees with their last name at the Medium level, where it disagreed,
// and that a particle ("de" of "de la Fontaine") is no surname of its own.
func TestSurnameParts(t *testing.T) {
	ms := []matcher.Member{
		{ID: "garcia", FirstName: "María", LastName: "García López", Location: "Madrid, Spain"},
		{ID: "smith", FirstName: "Sarah", LastName: "Smith-Jones", Location: "Leeds, UK"},
		{ID: "fontaine", FirstName: "Jean", LastName: "de la Fontaine", Location: "Paris, France"},
	}
	for i := range 50 {
		ms = append(ms, matcher.Member{ID: fmt.Sprintf("f%02d", i), FirstName: "Filler", LastName: fmt.Sprintf("Person%02d", i)})
	}
	e := newEngine(t, newDir(t, nil, ms))
	for _, tc := range []struct {
		q    matcher.MemberQuery
		want string
	}{
		{matcher.MemberQuery{FirstName: "Maria", LastName: "Lopez", Location: "Madrid"}, "garcia"},
		{matcher.MemberQuery{FirstName: "Maria", LastName: "Garcia", Location: "Madrid"}, "garcia"},
		{matcher.MemberQuery{LastName: "López"}, "garcia"}, // found by the second surname alone
		{matcher.MemberQuery{FirstName: "Sarah", LastName: "Jones"}, "smith"},
	} {
		res, err := e.MatchMember(t.Context(), tc.q)
		require.NoError(t, err)
		require.NotEmpty(t, res.Candidates, "%+v", tc.q)
		top := res.Candidates[0]
		assert.Equal(t, tc.want, top.Entity.ID, "%+v", tc.q)
		for _, f := range top.Fields {
			if f.Field == matcher.FieldLastName {
				assert.Contains(t, []string{matcher.LevelMedium, matcher.LevelHigh}, f.Level, "%+v", tc.q)
			}
		}
	}
	res, err := e.MatchMember(t.Context(), matcher.MemberQuery{FirstName: "Jean", LastName: "De"})
	require.NoError(t, err)
	for _, c := range res.Candidates {
		for _, f := range c.Fields {
			if c.Entity.ID == "fontaine" && f.Field == matcher.FieldLastName {
				assert.Equal(t, matcher.LevelDisagree, f.Level, "a particle is no surname")
			}
		}
	}
}

// TestKnownByMiddleName checks that a first name that is the other's middle
// name agrees at the Medium level, where it disagreed: people go by a middle
// name ("Edgar" of "John Edgar Hoover"), and a Vietnamese given name follows
// a middle name ("Mai" of "Thi Mai").
func TestKnownByMiddleName(t *testing.T) {
	e := newEngine(t, newDir(t, nil, []matcher.Member{
		{ID: "nguyen", FirstName: "Thi Mai", LastName: "Nguyen"},
		{ID: "hoover", FirstName: "John Edgar", LastName: "Hoover"},
	}))
	for _, tc := range []struct {
		q    matcher.MemberQuery
		want string
	}{
		{matcher.MemberQuery{FirstName: "Mai", LastName: "Nguyen"}, "nguyen"},
		{matcher.MemberQuery{FirstName: "Edgar", LastName: "Hoover"}, "hoover"},
	} {
		res, err := e.MatchMember(t.Context(), tc.q)
		require.NoError(t, err)
		require.NotEmpty(t, res.Candidates, "%+v", tc.q)
		assert.Equal(t, tc.want, res.Candidates[0].Entity.ID)
		assert.Equal(t, matcher.FieldFirstName, res.Candidates[0].Fields[0].Field)
		assert.Equal(t, matcher.LevelMedium, res.Candidates[0].Fields[0].Level, "%+v", tc.q)
	}
}

// TestArabicArticle checks that last names that differ only by the Arabic
// article, or its spelling, agree at the High level, where they compared
// at Medium or disagreed.
func TestArabicArticle(t *testing.T) {
	e := newEngine(t, newDir(t, nil, []matcher.Member{{ID: "sayed", FirstName: "Mohammed", LastName: "Al-Sayed"}}))
	for _, last := range []string{"El Sayed", "Elsayed", "Sayed", "al-Sayed"} {
		res, err := e.MatchMember(t.Context(), matcher.MemberQuery{FirstName: "Mohammed", LastName: last})
		require.NoError(t, err)
		require.NotEmpty(t, res.Candidates, last)
		for _, f := range res.Candidates[0].Fields {
			if f.Field == matcher.FieldLastName {
				assert.Contains(t, []string{matcher.LevelHigh, matcher.LevelExact}, f.Level, last)
			}
		}
	}
}
