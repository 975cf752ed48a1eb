package matcher_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
)

// TestTiesOrderedBySimilarity checks that candidates of equal score are
// ordered by their fields' similarity before their IDs: both members below
// agree on the last name and are a High first-name level away, but "c2"
// is closer to the query than "c1".
func TestTiesOrderedBySimilarity(t *testing.T) {
	d := newDir(t, nil, []matcher.Member{
		{ID: "c1", FirstName: "Katharina", LastName: "Oberholzer"},
		{ID: "c2", FirstName: "Kathrine", LastName: "Oberholzer"},
	})
	e := newEngine(t, d)
	res, err := e.MatchMember(t.Context(), matcher.MemberQuery{FirstName: "Katharine", LastName: "Oberholzer"})
	require.NoError(t, err)
	require.Len(t, res.Candidates, 2)
	a, b := res.Candidates[0], res.Candidates[1]
	fa, _ := field(a, matcher.FieldFirstName)
	fb, _ := field(b, matcher.FieldFirstName)
	require.Equal(t, fa.Level, fb.Level, "the test needs both first names at one level")
	require.Equal(t, a.Score, b.Score, "the test needs a tie")
	assert.Equal(t, "c2", a.Entity.ID, "tie: the closer first name ranks first (similarities %v, %v)", fa.Similarity, fb.Similarity)
	assert.Greater(t, fa.Similarity, fb.Similarity)
}
