package memdir

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
)

// TestManyOfOneName loads 20,000 people of one name ("Wang Wei" is held by
// hundreds of thousands in a national register), in bulk and one by one,
// and checks that the posting arena is compacted a few times, not every
// few postings: a compaction that cut every list to its length made each
// list move at its next posting, so that lists all growing together left
// half the arena free again at once and the load took quadratic time (61 s
// for 40,000 such people). Every posting is kept.
func TestManyOfOneName(t *testing.T) {
	const n = 20_000
	ms := make([]matcher.Member, n)
	for i := range ms {
		ms[i] = matcher.Member{ID: fmt.Sprintf("m%05d", i), FirstName: "Wei", LastName: "Wang", Location: "Beijing, China"}
	}
	q, err := matcher.NewMemberQuery(matcher.MemberQuery{FirstName: "Wei", LastName: "Wang"})
	require.NoError(t, err)
	for _, bulk := range []bool{true, false} {
		d := New()
		if bulk {
			require.NoError(t, d.AddMembers(t.Context(), slices.Values(ms)))
		} else {
			for _, m := range ms {
				require.NoError(t, d.AddMember(m))
			}
		}
		assert.LessOrEqual(t, d.lists.compactions, 40, "bulk %v: compactions", bulk)
		keys := q.Keys()
		counts := make([]int, len(keys))
		total, err := d.KeyCounts(t.Context(), matcher.KindMember, keys, counts)
		require.NoError(t, err)
		require.Equal(t, n, total)
		for i, k := range keys {
			if c := counts[i]; c != 0 {
				var one [1]int32
				assert.Len(t, d.postings(k, &one), c, "bulk %v: key %d", bulk, i)
			}
		}
		assert.Contains(t, counts, n, "bulk %v: a key of the name held by all", bulk)
		t.Logf("bulk %v: %d compactions", bulk, d.lists.compactions)
	}
}
