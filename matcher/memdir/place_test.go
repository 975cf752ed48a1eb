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

// TestMemberNamesakeInCity checks that among many namesakes of a member,
// the one in the query's city is a candidate: the name alone ties them all,
// and without the key of the last name in its city the limit would cut it
// off as readily as any other.
func TestMemberNamesakeInCity(t *testing.T) {
	d := memdir.New()
	for i := range 60 {
		require.NoError(t, d.AddMember(matcher.Member{ID: fmt.Sprintf("a%03d", i), FirstName: "Line", LastName: "Nielsen", Location: "Aarhus, Denmark"}))
	}
	require.NoError(t, d.AddMember(matcher.Member{ID: "z-kbh", FirstName: "Line", LastName: "Nielsen", Location: "København, Denmark"}))
	for _, loc := range []string{"København, Denmark", "Kobenhavn"} {
		q, err := matcher.NewMemberQuery(matcher.MemberQuery{FirstName: "Line", LastName: "Nielsen", Location: loc})
		require.NoError(t, err)
		got, err := d.Candidates(context.Background(), q, 10, nil)
		require.NoError(t, err)
		assert.True(t, containsID(got, "z-kbh"), "location %q: the namesake in the city is not among %d candidates", loc, len(got))
	}
}

func containsID(es []matcher.Entity, id string) bool {
	for _, e := range es {
		if e.Ref.ID == id {
			return true
		}
	}
	return false
}
