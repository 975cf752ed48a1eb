package memdir

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/dirtest"
)

// TestCommonListsOrderMembersMet checks that a member query's lists of
// commonList postings or more (first name, city) only add to the members
// its rarer lists found, in the array and in the hash table: every
// candidate for "Maria Nowak" in Warsaw is a Nowak, the Warsaw Maria Nowak
// among them, though the Marias of Warsaw share two common lists with the
// query, which outweigh the last name; the hash table finds the array's.
// The posting budget is lifted so that it does not cut those lists first,
// and members who share no key with the query make the directory large
// enough for the hash table.
func TestCommonListsOrderMembersMet(t *testing.T) {
	ms, mq, id := dirtest.CommonNames()
	d := New(WithPostingBudget(1 << 20))
	require.NoError(t, d.AddMembers(t.Context(), slices.Values(ms)))
	others := make([]matcher.Member, 200_000)
	for i := range others {
		others[i] = matcher.Member{ID: fmt.Sprintf("x%06d", i), FirstName: fmt.Sprintf("Q%06d", i), LastName: "Xu"}
	}
	require.NoError(t, d.AddMembers(t.Context(), slices.Values(others)))
	q, err := matcher.NewMemberQuery(mq)
	require.NoError(t, err)
	dense := map[int][]matcher.Entity{}
	for _, hashMin := range []int{1 << 30, 0} { // the array, then the hash table
		d.hashMin = hashMin
		for _, limit := range []int{5, matcher.DefaultCandidateLimit} {
			es, err := d.Candidates(t.Context(), q, limit, nil)
			require.NoError(t, err)
			require.Len(t, es, limit)
			if hashMin != 0 {
				dense[limit] = es
			} else {
				require.Equal(t, dense[limit], es, "limit %d: the hash table's candidates are the array's", limit)
			}
			dirtest.CheckCommonNames(t, es, id, fmt.Sprintf("hashMin %d, limit %d", hashMin, limit))
		}
	}
}
