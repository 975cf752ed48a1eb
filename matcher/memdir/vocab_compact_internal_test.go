package memdir

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
)

// TestTrieCompact checks that a vocabulary laid out again finds the same
// words, one and two edits away, in the same order, and takes new words
// after it as before: a node with enough children to have a table, words
// that are prefixes of others, and words added after the layout.
func TestTrieCompact(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	word := func() string {
		n := 3 + rng.IntN(8)
		b := make([]byte, n)
		for i := range b {
			b[i] = "abcdeilmnorstu"[rng.IntN(14)]
		}
		return string(b)
	}
	v := newVocab()
	var words []string
	for i := range 5000 {
		w := word()
		words = append(words, w)
		v.add(w, matcher.Key(uint64(i+1)))
	}
	v.add("ab", 100001)
	v.add("abc", 100002) // a word within a word
	queries := make([]string, 300)
	for i := range queries {
		queries[i] = word()
	}
	queries = append(queries, words[:50]...)

	search := func(q string, k uint8) []fuzzyHit {
		var st fuzzyState
		st.max, st.budget = 8*maxFuzzyHits, maxVisited
		v.search(&st, q, k)
		return st.hits
	}
	type found struct {
		hits [2][]fuzzyHit
		key  matcher.Key
		ok   bool
	}
	before := make([]found, len(queries))
	for i, q := range queries {
		before[i].hits = [2][]fuzzyHit{search(q, 1), search(q, 2)}
		before[i].key, before[i].ok = v.lookup(q)
	}
	nodes := len(v.fwd.nodes)
	v.compact()
	require.Len(t, v.fwd.nodes, nodes)
	// The children of each node lie side by side.
	for _, tr := range []*trie{&v.fwd, &v.rev} {
		for n, nd := range tr.nodes {
			for c := nd.child; c != 0; c = tr.nodes[c].next {
				if next := tr.nodes[c].next; next != 0 && next != c+1 {
					t.Fatalf("children of node %d apart: %d then %d", n, c, next)
				}
			}
		}
	}
	require.NotEmpty(t, v.fwd.tables, "no node has a table of children")
	moved := 0
	for i, q := range queries {
		after := [2][]fuzzyHit{search(q, 1), search(q, 2)}
		require.Equal(t, before[i].hits, after, "query %q", q)
		key, ok := v.lookup(q)
		require.Equal(t, before[i].ok, ok, "query %q", q)
		require.Equal(t, before[i].key, key, "query %q", q)
		if len(after[1]) > 0 {
			moved++
		}
	}
	require.Greater(t, moved, 100, "too few queries found words to compare")

	// Words added after the layout are found as they would be without it,
	// and a few do not make the next bulk load lay the tries out again.
	for i, w := range []string{"zzyzx", "abcx", "abd", "ab"} {
		v.add(w, matcher.Key(uint64(200001+i)))
	}
	laidOut := &v.fwd.nodes[0]
	v.compact()
	require.Same(t, laidOut, &v.fwd.nodes[0], "laid out again for four words")
	for _, w := range []string{"zzyzx", "abcx", "abd", "abc"} {
		_, ok := v.lookup(w)
		require.True(t, ok, "word %q lost", w)
	}
	k, _ := v.lookup("ab")
	require.Equal(t, matcher.Key(100001), k, "a word's first key stays")
	hits := search("zzyzz", 1)
	require.Len(t, hits, 1)
	require.Equal(t, matcher.Key(200001), hits[0].key)
}
