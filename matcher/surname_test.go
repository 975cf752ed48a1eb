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
// and that a particle ("der" of "van der Berg") is no surname of its own.
func TestSurnameParts(t *testing.T) {
	ms := []matcher.Member{
		{ID: "garcia", FirstName: "María", LastName: "García López", Location: "Madrid, Spain"},
		{ID: "smith", FirstName: "Sarah", LastName: "Smith-Jones", Location: "Leeds, UK"},
		{ID: "vandenberg", FirstName: "Jan", LastName: "van der Berg", Location: "Utrecht, Netherlands"},
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
		assert.Contains(t, []string{matcher.LevelMedium, matcher.LevelHigh}, fieldLevel(t, top, matcher.FieldLastName), "%+v", tc.q)
	}
	res, err := e.MatchMember(t.Context(), matcher.MemberQuery{FirstName: "Jan", LastName: "Der"})
	require.NoError(t, err)
	require.NotEmpty(t, res.Candidates)
	require.Equal(t, "vandenberg", res.Candidates[0].Entity.ID)
	assert.Equal(t, matcher.LevelDisagree, fieldLevel(t, res.Candidates[0], matcher.FieldLastName), "a particle is no surname")
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
		assert.Contains(t, []string{matcher.LevelHigh, matcher.LevelExact}, fieldLevel(t, res.Candidates[0], matcher.FieldLastName), last)
	}
}

// TestSaintSurnames checks that a surname's "Saint" meets its abbreviation
// exactly ("St. John", "Ste-Marie"), and the abbreviation joined to the
// name at the High level, where they disagreed.
func TestSaintSurnames(t *testing.T) {
	e := newEngine(t, newDir(t, nil, []matcher.Member{
		{ID: "stjohn", FirstName: "Oliver", LastName: "St. John"},
		{ID: "stemarie", FirstName: "Claire", LastName: "Sainte-Marie"},
		{ID: "johnson", FirstName: "Oliver", LastName: "Johnson"},
	}))
	for _, tc := range []struct {
		q           matcher.MemberQuery
		want, level string
	}{
		{matcher.MemberQuery{FirstName: "Oliver", LastName: "Saint John"}, "stjohn", matcher.LevelExact},
		{matcher.MemberQuery{FirstName: "Oliver", LastName: "StJohn"}, "stjohn", matcher.LevelHigh},
		{matcher.MemberQuery{FirstName: "Claire", LastName: "Ste Marie"}, "stemarie", matcher.LevelExact},
	} {
		top := topMember(t, e, tc.q)
		assert.Equal(t, tc.want, top.Entity.ID, "%+v", tc.q)
		assert.Equal(t, tc.level, fieldLevel(t, top, matcher.FieldLastName), "%+v", tc.q)
	}
}

// TestSurnameAnnotations checks that a surname field carrying a credential
// with full stops ("M.D."), a department or a status in brackets meets the
// member's last name exactly, where the letters and words joined it.
func TestSurnameAnnotations(t *testing.T) {
	e := newEngine(t, newDir(t, nil, []matcher.Member{
		{ID: "smith", FirstName: "Joan", LastName: "Smith"},
		{ID: "smithe", FirstName: "Joan", LastName: "Smithe"},
	}))
	for _, last := range []string{"Smith, M.D.", "Smith, Jr., Ph.D.", "Smith (Sales)", "SMITH [DO NOT USE]"} {
		top := topMember(t, e, matcher.MemberQuery{FirstName: "Joan", LastName: last})
		assert.Equal(t, "smith", top.Entity.ID, last)
		assert.Equal(t, matcher.LevelExact, fieldLevel(t, top, matcher.FieldLastName), last)
	}
}

// TestNoEmployerField checks that an employer field naming no company
// ("N/A", "Self-employed") is no evidence, where it disagreed with the
// member's employer or agreed with another member's placeholder.
func TestNoEmployerField(t *testing.T) {
	e := newEngine(t, newDir(t, nil, []matcher.Member{
		{ID: "acme", FirstName: "Ann", LastName: "Lee", Company: "Acme Inc"},
		{ID: "self", FirstName: "Bo", LastName: "Chan", Company: "Self-employed"},
	}))
	for _, q := range []matcher.MemberQuery{
		{FirstName: "Ann", LastName: "Lee", Company: "N/A"},
		{FirstName: "Bo", LastName: "Chan", Company: "Self employed"},
	} {
		_, compared := field(topMember(t, e, q), matcher.FieldCompany)
		assert.False(t, compared, "%s: the employer compared", q.Company)
	}
}
