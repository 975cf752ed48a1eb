package memdir

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/crmlink/crmlink/matcher"
)

// osa is the optimal-string-alignment distance of a and b, by the book.
func osa(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+c)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// TestVocabSearch checks the trie search against the distance computed
// pair by pair over the whole vocabulary, on words with one or two random
// edits anywhere (the first and last letters included).
func TestVocabSearch(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const letters = "abcdeilmnorst"
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = letters[rng.IntN(len(letters))]
		}
		return string(b)
	}
	v := newVocab()
	var words []string
	for i := range 1500 {
		w := word(3 + rng.IntN(8))
		words = append(words, w)
		v.add(w, matcher.Key(i+1)<<8)
	}
	keyOf := func(w string) matcher.Key { k, _ := v.lookup(w); return k }
	edit := func(s string) string {
		b := []byte(s)
		i := rng.IntN(len(b))
		switch rng.IntN(4) {
		case 0:
			b[i] = letters[rng.IntN(len(letters))]
		case 1:
			b = slices.Delete(b, i, i+1)
		case 2:
			b = slices.Insert(b, i, letters[rng.IntN(len(letters))])
		default:
			if i+1 < len(b) {
				b[i], b[i+1] = b[i+1], b[i]
			}
		}
		return string(b)
	}
	var st fuzzyState
	for range 800 {
		q := edit(words[rng.IntN(len(words))])
		if rng.IntN(2) == 0 && len(q) > 1 {
			q = edit(q)
		}
		if len(q) == 0 {
			continue
		}
		k := uint8(1 + rng.IntN(2))
		st.hits, st.max, st.visited, st.budget = st.hits[:0], 1<<30, 0, 1<<30
		v.search(&st, q, k)
		got := map[matcher.Key]uint8{}
		for _, h := range st.hits {
			got[h.key] = h.dist
		}
		for _, w := range words {
			d := osa(q, w)
			if d == 0 || d > int(k) {
				if _, ok := got[keyOf(w)]; ok && d != 0 {
					t.Fatalf("search(%q, %d) found %q at distance %d", q, k, w, d)
				}
				continue
			}
			if g, ok := got[keyOf(w)]; !ok || int(g) != d {
				t.Fatalf("search(%q, %d): %q at distance %d: got %d, found %v", q, k, w, d, g, ok)
			}
		}
	}
}

// FuzzVocabSearch checks the vocabulary search against the distance by
// the book for any query word: every word within k edits of it (other
// than itself) is found once, at its distance, and no other, in both the
// tries as a bulk load leaves them and with words added after.
func FuzzVocabSearch(f *testing.F) {
	words := []string{"acme", "acne", "came", "mace", "amce", "acmes", "bacme", "acmeacme",
		"siemens", "siemans", "seimens", "siemen", "zeteium", "seteium", "setaium", "garhalson",
		"garholson", "a", "ab", "ba", "abc", "cab", "xyzxyzxyzxyzxyzxyzxyzxyzxyzxyzxy"}
	v := newVocab()
	for i, w := range words[:len(words)-4] {
		v.add(w, matcher.Key(i+1)<<8)
	}
	v.compact()
	for i, w := range words[len(words)-4:] {
		v.add(w, matcher.Key(len(words)-4+i+1)<<8)
	}
	for _, s := range []string{"acme", "cmae", "garhoson", "seteium", "siemns", "", "x", "ba", "acmeacm"} {
		f.Add(s, uint8(1))
		f.Add(s, uint8(2))
	}
	var st fuzzyState
	f.Fuzz(func(t *testing.T, q string, k uint8) {
		k = 1 + k%2
		if q == "" || len(q) > maxFuzzyLen {
			return
		}
		st.hits, st.words, st.max, st.visited, st.budget = st.hits[:0], st.words[:0], 1<<30, 0, 1<<30
		v.search(&st, q, k)
		got := map[matcher.Key]uint8{}
		for _, h := range st.hits {
			if _, ok := got[h.key]; ok {
				t.Fatalf("search(%q, %d) found %q twice", q, k, st.word(h))
			}
			got[h.key] = h.dist
		}
		for i, w := range words {
			key := matcher.Key(i+1) << 8
			d := osa(q, w)
			g, ok := got[key]
			switch {
			case d == 0 || d > int(k):
				if ok {
					t.Fatalf("search(%q, %d) found %q at %d, its distance is %d", q, k, w, g, d)
				}
			case !ok || int(g) != d:
				t.Fatalf("search(%q, %d): %q at distance %d: got %d, found %v", q, k, w, d, g, ok)
			}
		}
	})
}
