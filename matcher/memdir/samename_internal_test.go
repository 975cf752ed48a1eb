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

// TestUpsertSameKeys checks that an upsert whose entity keeps its keys (a
// profile refreshed with a new title) replaces the entity and keeps its
// postings, among many holders of the same keys, with and without a
// vocabulary, and that an upsert that changes the keys moves them.
func TestUpsertSameKeys(t *testing.T) {
	for _, vocab := range []bool{false, true} {
		var opts []Option
		if vocab {
			opts = append(opts, WithVocabulary())
		}
		d := New(opts...)
		for i := range 3000 {
			require.NoError(t, d.AddMember(matcher.Member{ID: fmt.Sprintf("m%04d", i), FirstName: "Wei", LastName: "Wang", Title: "Engineer", Location: "Beijing, China"}))
		}
		ref := matcher.EntityRef{Kind: matcher.KindMember, ID: "m0007"}
		slot := d.byRef[ref]
		keys := d.ents[slot].Keys(nil)
		require.NoError(t, d.UpsertMember(matcher.Member{ID: "m0007", FirstName: "Wei", LastName: "Wang", Title: "Chief Engineer", Location: "Beijing, China"}))
		require.Equal(t, keys, d.ents[slot].Keys(nil), "vocab %v: the title is no key", vocab)
		// The new title is what the engine compares.
		eng, err := matcher.New(d)
		require.NoError(t, err)
		res, err := eng.MatchMember(t.Context(), matcher.MemberQuery{FirstName: "Wei", LastName: "Wang", Title: "Chief Engineer", Location: "Beijing, China"})
		require.NoError(t, err)
		require.NotNil(t, res.Best)
		assert.Equal(t, ref, res.Best.Entity, "vocab %v: the best candidate", vocab)
		var one [1]int32
		for _, k := range keys {
			assert.Len(t, d.postings(k, &one), 3000, "vocab %v: postings of key %#x", vocab, uint64(k))
			assert.Equal(t, 1, countSlot(d.postings(k, &one), slot), "vocab %v: the slot once under key %#x", vocab, uint64(k))
		}
		// Another city: the keys change, and the place key moves.
		require.NoError(t, d.UpsertMember(matcher.Member{ID: "m0007", FirstName: "Wei", LastName: "Wang", Location: "Shanghai, China"}))
		moved := d.ents[slot].Keys(nil)
		require.NotEqual(t, keys, moved, "vocab %v", vocab)
		for _, k := range moved {
			assert.Equal(t, 1, countSlot(d.postings(k, &one), slot), "vocab %v: the slot once under key %#x", vocab, uint64(k))
		}
		for _, k := range keys {
			if !slices.Contains(moved, k) {
				assert.Zero(t, countSlot(d.postings(k, &one), slot), "vocab %v: the slot left key %#x", vocab, uint64(k))
			}
		}
	}
}

func countSlot(l []int32, slot int32) int {
	n := 0
	for _, s := range l {
		if s == slot {
			n++
		}
	}
	return n
}
