package memdir

import (
	"context"
	"math/bits"
	"slices"
	"strings"

	"github.com/crmlink/crmlink/matcher"
)

// vocab is the vocabulary of one class of terms ([matcher.Term]): the
// words the directory's entities hold, in a byte trie (each word ending at a
// node that names its key) and in a trie of the reversed words. It finds
// the words within a small edit distance of a query word: a Levenshtein
// automaton is walked over the tries (one row of the dynamic programme per
// node, held as bit vectors, a subtree cut as soon as no word below can be
// close enough). Two edits cost the most near the root, where every short
// prefix is within two edits; of two edits, one half of the word holds at
// most one, so the forward trie is walked allowing one edit in the first
// half of the query word and the reversed trie allowing one in the last
// half. A word with two typos then costs a few hundred nodes rather than
// thousands.
//
// A vocabulary only grows: a word whose last entity is removed stays, and
// its key has no postings. Not safe for concurrent use; the directory's lock
// guards it.
type vocab struct {
	fwd, rev trie
	keys     []matcher.Key
	buf      []byte
	laid     int // nodes of fwd when the tries were last laid out (compact)
}

// trie is a byte trie; nodes[0] is the root. A node with many children
// (the root and the nodes near it) also has a table of its children by
// byte, so that finding a child does not scan them all.
type trie struct {
	nodes  []trieNode
	tables [][256]int32
}

// trieNode is one byte of a word. Children form a list through next.
type trieNode struct {
	child, next int32 // first child and next sibling, 0 when none
	word        int32 // 1 + index in keys of the word ending here, 0 when none
	table       int32 // 1 + index in tables of the node's child table, 0 when none
	kids        uint8 // number of children, up to denseKids
	b           byte
}

// denseKids is the number of children from which a node has a table.
const denseKids = 6

func newTrie() trie { return trie{nodes: make([]trieNode, 1, 1024)} }

func newVocab() *vocab { return &vocab{fwd: newTrie(), rev: newTrie()} }

// walkTo returns the node below n along s, 0 when there is none (n is
// the root, 0, only for an empty s).
func walkTo[S ~string | ~[]byte](t *trie, n int32, s S) int32 {
	for i := 0; i < len(s); i++ {
		if n = t.childOf(n, s[i]); n == 0 {
			return 0
		}
	}
	return n
}

// childOf returns the child of node n labelled b, 0 when none.
func (t *trie) childOf(n int32, b byte) int32 {
	nd := &t.nodes[n]
	if nd.table != 0 {
		return t.tables[nd.table-1][b]
	}
	for c := nd.child; c != 0; c = t.nodes[c].next {
		if t.nodes[c].b == b {
			return c
		}
	}
	return 0
}

// insert adds the path s and returns its last node.
func (t *trie) insert(s []byte) int32 {
	n := int32(0)
	for _, b := range s {
		c := t.childOf(n, b)
		if c == 0 {
			c = int32(len(t.nodes))
			t.nodes = append(t.nodes, trieNode{b: b, next: t.nodes[n].child})
			nd := &t.nodes[n]
			nd.child = c
			switch {
			case nd.table != 0:
				t.tables[nd.table-1][b] = c
			case nd.kids+1 >= denseKids:
				var tab [256]int32
				for k := nd.child; k != 0; k = t.nodes[k].next {
					tab[t.nodes[k].b] = k
				}
				t.tables = append(t.tables, tab)
				nd.table = int32(len(t.tables))
			default:
				nd.kids++
			}
		}
		n = c
	}
	return n
}

// compact lays the nodes out again: the children of each node side by
// side, in their list order, in blocks laid in the order a depth-first
// walk meets their parents, so that the block of a node's children comes
// right after the subtrees of its earlier siblings, and a chain of single
// children (the end of a word) lies in one run. The trie holds the same
// words and its lists of children the same order, so a search walks it in
// the same order and finds the same words. A trie filled word by word
// leaves a node's children where the words that first held them were
// inserted, far apart in a large vocabulary, and a search waited for
// memory at most nodes it walked. A search reads the byte of every child
// of a node it walks, to walk it or to pass it by: side by side, siblings
// cost one read of memory rather than one each. The directory lays out
// its vocabularies at the end of a bulk load ([Dir.AddCompanies]). The
// children stay a list (through next), so that words added later are
// inserted as before.
func (t *trie) compact() {
	old := t.nodes
	nodes := make([]trieNode, 1, len(old))
	nodes[0] = old[0]
	nodes[0].next = 0
	remap := make([]int32, len(old))
	// lay places the children of the node at o (old index), placed at n.
	var lay func(o, n int32)
	lay = func(o, n int32) {
		first := int32(len(nodes))
		for c := old[o].child; c != 0; c = old[c].next {
			remap[c] = int32(len(nodes))
			nodes = append(nodes, old[c])
			nodes[len(nodes)-1].next = int32(len(nodes))
		}
		last := int32(len(nodes)) - 1
		if last < first {
			nodes[n].child = 0
			return
		}
		nodes[last].next = 0
		nodes[n].child = first
		i := first
		for c := old[o].child; c != 0; c = old[c].next {
			lay(c, i)
			i++
		}
	}
	lay(0, 0)
	for i := range t.tables {
		for b, c := range t.tables[i] {
			if c != 0 {
				t.tables[i][b] = remap[c]
			}
		}
	}
	t.nodes = nodes
}

// compact lays out both tries again (see trie.compact) when they have
// grown by a quarter or more since they were last laid out: a directory
// fed in small bulk loads pays for each layout with as many new nodes as
// a quarter of the trie, not with the whole trie each time.
func (v *vocab) compact() {
	if n := len(v.fwd.nodes); 4*(n-v.laid) < n {
		return
	}
	v.fwd.compact()
	v.rev.compact()
	v.laid = len(v.fwd.nodes)
}

// add inserts the word s with key k (the first key of a word stays).
func (v *vocab) add(s string, k matcher.Key) {
	v.buf = append(v.buf[:0], s...)
	n := v.fwd.insert(v.buf)
	if v.fwd.nodes[n].word != 0 {
		return
	}
	v.keys = append(v.keys, k)
	w := int32(len(v.keys))
	v.fwd.nodes[n].word = w
	slices.Reverse(v.buf)
	v.rev.nodes[v.rev.insert(v.buf)].word = w
}

// lookup returns the key of the word s.
func (v *vocab) lookup(s string) (matcher.Key, bool) {
	return v.lookup2(s, "")
}

// maxFuzzyLen is the longest word looked up with typos (longer ones are
// rare and cost more rows).
const maxFuzzyLen = 32

// fuzzyHit is a vocabulary word near a query word.
type fuzzyHit struct {
	key  matcher.Key
	dist uint8
	// off and n locate the word in fuzzyState.words.
	off int32
	n   uint8
}

// fuzzyState is the reusable state of one search.
type fuzzyState struct {
	q    []byte
	k    uint8
	half int // depths below it allow k-1 edits
	// peq[b] has bit j set when the query's j-th byte (from 1) is b.
	peq [256]uint64
	// rows[i][d] has bit j set when the walk's first i bytes are within
	// d edits of the query's first j (a row of the dynamic programme,
	// as one bit vector per distance up to k).
	rows [maxFuzzyLen + 3][3]uint64
	mask uint64 // bits 0 to len(q)
	path [maxFuzzyLen + 3]byte
	hits []fuzzyHit
	// words holds the hits' words; rev is set while the reversed trie is
	// walked (its paths are the words reversed).
	words []byte
	rev   bool
	max   int
	// visited counts the trie nodes walked; a search stops at budget.
	visited, budget int
}

// search appends to st.hits (at most st.max, a word found twice once) the
// words within optimal-string-alignment distance k <= 2 of q (insertions,
// deletions, substitutions and adjacent transpositions), other than q.
func (v *vocab) search(st *fuzzyState, q string, k uint8) {
	if len(q) > maxFuzzyLen {
		return
	}
	st.q = append(st.q[:0], q...)
	v.searchQ(st, k)
}

// searchBytes is search for a query word held in bytes.
func (v *vocab) searchBytes(st *fuzzyState, q []byte, k uint8) {
	if len(q) > maxFuzzyLen {
		return
	}
	st.q = append(st.q[:0], q...)
	v.searchQ(st, k)
}

func (v *vocab) searchQ(st *fuzzyState, k uint8) {
	q := st.q
	st.k = k
	st.half = len(q) / 2
	st.rev = false
	v.fwd.search(st, v.keys)
	slices.Reverse(st.q)
	st.rev = true
	v.rev.search(st, v.keys)
	st.rev = false
}

func (t *trie) search(st *fuzzyState, keys []matcher.Key) {
	m := len(st.q)
	for j, b := range st.q {
		st.peq[b] |= 1 << (j + 1)
	}
	st.mask = 1<<(m+1) - 1
	for d := range st.rows[0] {
		st.rows[0][d] = (1<<(d+1) - 1) & st.mask
	}
	for c := t.nodes[0].child; c != 0 && len(st.hits) < st.max; c = t.nodes[c].next {
		t.walk(st, keys, c, 1)
	}
	for _, b := range st.q {
		st.peq[b] = 0
	}
}

// walk visits node n at depth (its byte the depth-th of the path) and the
// subtree below it. The rows of the dynamic programme of the
// optimal-string-alignment distance are bit vectors, one per distance up
// to k (Wu and Manber's, with Hyyrö's adjacent transposition): a node
// costs a few operations on machine words rather than a pass over the
// query's bytes.
func (t *trie) walk(st *fuzzyState, keys []matcher.Key, n int32, depth int) {
	q := st.q
	m := len(q)
	if depth > m+int(st.k) {
		return
	}
	st.visited++
	if st.visited > st.budget {
		return
	}
	nd := &t.nodes[n]
	b := nd.b
	st.path[depth] = b
	k := int(st.k)
	prev := &st.rows[depth-1]
	row := &st.rows[depth]
	eq := st.peq[b]
	// Bit j of tr: the path's last two bytes are the query's bytes j-1
	// and j swapped.
	var tr uint64
	if depth > 1 {
		tr = eq << 1 & st.peq[st.path[depth-1]]
	}
	r := prev[0] << 1 & eq
	row[0] = r
	for d := 1; d <= k; d++ {
		x := prev[d]<<1&eq | prev[d-1] | prev[d-1]<<1 | r<<1
		if tr != 0 {
			x |= st.rows[depth-2][d-1] << 2 & tr
		}
		r = x & st.mask
		row[d] = r
	}
	lim := k
	if depth < st.half {
		lim--
	}
	if lim >= 0 && row[lim] == 0 {
		return // every cell is above the limit
	}
	if nd.word != 0 && row[k]>>m&1 != 0 && row[0]>>m&1 == 0 {
		dist := uint8(1)
		for row[dist]>>m&1 == 0 {
			dist++
		}
		st.addHit(fuzzyHit{key: keys[nd.word-1], dist: dist}, st.path[1:depth+1])
	}
	nextLim := k
	if depth+1 < st.half {
		nextLim--
	}
	if nextLim < 0 || nextLim >= 1 && row[nextLim-1] != 0 || depth+1 <= nextLim {
		for c := nd.child; c != 0 && len(st.hits) < st.max; c = t.nodes[c].next {
			t.walk(st, keys, c, depth+1)
		}
		return
	}
	// Every cell is at the limit: a child stays within it only by
	// matching the query byte after a cell at the limit (or by an
	// adjacent transposition), so only the children with those labels
	// are walked, not every child.
	var want [4]uint64
	found := false
	for x := row[nextLim] & (st.mask >> 1); x != 0; x &= x - 1 {
		c := q[bits.TrailingZeros64(x)]
		want[c>>6] |= 1 << (c & 63)
		found = true
	}
	if nextLim >= 1 {
		// Cells below the limit a row up, two query bytes before the
		// query byte that is this node's: the child's byte may be the
		// one between, swapped with this one.
		for x := prev[nextLim-1] & (st.peq[b] >> 2); x != 0; x &= x - 1 {
			c := q[bits.TrailingZeros64(x)]
			want[c>>6] |= 1 << (c & 63)
			found = true
		}
	}
	if !found {
		return
	}
	if nd.table != 0 {
		tab := &t.tables[nd.table-1]
		for w := range want {
			for x := want[w]; x != 0 && len(st.hits) < st.max; x &= x - 1 {
				if c := tab[w<<6|bits.TrailingZeros64(x)]; c != 0 {
					t.walk(st, keys, c, depth+1)
				}
			}
		}
		return
	}
	for c := nd.child; c != 0 && len(st.hits) < st.max; c = t.nodes[c].next {
		if cb := t.nodes[c].b; want[cb>>6]&(1<<(cb&63)) != 0 {
			t.walk(st, keys, c, depth+1)
		}
	}
}

// addHit records h, whose word is path (reversed when st.rev), unless its
// word was found already.
func (st *fuzzyState) addHit(h fuzzyHit, path []byte) {
	for i := range st.hits {
		if st.hits[i].key == h.key {
			st.hits[i].dist = min(st.hits[i].dist, h.dist)
			return
		}
	}
	h.off, h.n = int32(len(st.words)), uint8(len(path))
	st.words = append(st.words, path...)
	if st.rev {
		slices.Reverse(st.words[h.off:])
	}
	st.hits = append(st.hits, h)
}

// word returns the word of h.
func (st *fuzzyState) word(h fuzzyHit) []byte { return st.words[h.off : h.off+int32(h.n)] }

// lookupPair returns the key of the word a+b (each a string or bytes),
// without building it.
func lookupPair[A, B ~string | ~[]byte](v *vocab, a A, b B) (matcher.Key, bool) {
	n := walkTo(&v.fwd, 0, a)
	if n != 0 {
		n = walkTo(&v.fwd, n, b)
	}
	if n != 0 {
		if w := v.fwd.nodes[n].word; w != 0 {
			return v.keys[w-1], true
		}
	}
	return 0, false
}

// knownHead returns the shortest start of w, minSplitPart letters or
// more, that is a known word and leaves one of minSplitPart letters or
// more, "" when none: the first of two known words w joins. One walk down
// the trie along w finds the starts that are words.
func (v *vocab) knownHead(w string) string {
	n := int32(0)
	for p := 1; p <= len(w)-minSplitPart; p++ {
		if n = v.fwd.childOf(n, w[p-1]); n == 0 {
			return ""
		}
		if p >= minSplitPart && v.fwd.nodes[n].word != 0 {
			if _, ok := v.lookup(w[p:]); ok {
				return w[:p]
			}
		}
	}
	return ""
}

// lookup2 returns the key of the word a+b, without building it.
func (v *vocab) lookup2(a, b string) (matcher.Key, bool) {
	n := int32(0)
	for _, s := range [2]string{a, b} {
		for i := 0; i < len(s); i++ {
			if n = v.fwd.childOf(n, s[i]); n == 0 {
				return 0, false
			}
		}
	}
	if w := v.fwd.nodes[n].word; w != 0 {
		return v.keys[w-1], true
	}
	return 0, false
}

// Fuzzy look-up limits.
const (
	minFuzzyLen  = 4 // shorter words are not looked up with typos
	minFuzzy2Len = 6 // from this length, two edits
	maxFuzzy2    = 2 // two-edit searches per query
	// maxVisited caps the trie nodes one query walks, as the posting
	// budget caps its postings: a long query of unknown words costs no
	// more than a few typos.
	maxVisited   = 6000
	minSplitLen  = 6  // shortest word tried as two joined words
	minSplitPart = 3  // shortest part of a split word
	maxFuzzyHits = 12 // vocabulary words kept per query word
	// A one-word name with at most maxRareNear rare words one edit
	// away, of minRareFuzzy2Len letters or more, is looked up two edits
	// away as well.
	maxRareNear      = 2
	minRareFuzzy2Len = 7
	maxJoinLen       = 24 // longest pair of words tried as one
	// A query word that is two joined words with a typo in one is tried
	// at up to maxFuzzySplits places where one part, at least
	// minFuzzyPart long, is a known word.
	maxFuzzySplits = 2
	minFuzzyPart   = 4
)

// article is the leading word a company name's core leaves out
// (normalize.Company), looked for joined to the first word.
const article = "the"

// Weights of the postings of a word found in the vocabulary rather than in
// the query, relative to the query's own words: a word one edit away, two
// edits away, and the parts of a word found joined or split.
var fuzzyMult = [3]float32{1, 0.8, 0.6}

// vocabOf returns the vocabulary of class c, creating it.
func (d *Dir) vocabOf(c uint8) *vocab {
	v := d.vocabs[c]
	if v == nil {
		v = newVocab()
		d.vocabs[c] = v
	}
	return v
}

// addTerms adds the terms of ent to the vocabularies; d.mu is held.
func (d *Dir) addTerms(ent matcher.Entity) {
	d.termBuf = ent.Terms(d.termBuf[:0])
	for _, t := range d.termBuf {
		d.vocabOf(t.Class()).add(t.Text, t.Key)
	}
}

// expandTerms appends to s.extra the keys of the vocabulary words near the
// query's words that the directory does not hold as they are. For each
// such word: the words one edit away; if there are none, the two known
// words it joins, or a known word and a word one edit away
// ("KalyHealth"), and the words two edits away, which a one-word name
// also looks up when the words one edit away are few and rare. Two
// adjacent query words also find the known word they split ("Micro
// Soft"), the word one edit from their joining when one of them is
// unknown ("Norv Rück"), and the known joinings of words one edit from
// each ("Gaarcía oFods").
func (d *Dir) expandTerms(s *scratch, q *matcher.Query) {
	s.extra = s.extra[:0]
	s.terms = q.Terms(s.terms[:0])
	s.fuzzy.visited, s.fuzzy.budget = 0, maxVisited
	terms := s.terms
	n2 := 0
	s.prev.at, s.split.at = -1, -1
	for i, t := range terms {
		v := d.vocabs[t.Class()]
		if v == nil {
			continue
		}
		tk, known := v.lookup(t.Text)
		if i+1 < len(terms) && terms[i+1].Class() == t.Class() && len(t.Text)+len(terms[i+1].Text) <= maxJoinLen {
			u := terms[i+1].Text
			if k, ok := v.lookup2(t.Text, u); ok {
				s.extra = append(s.extra, extraKey{k, 1})
				// A name's first word split in two ("Red wood Anchor"):
				// the joining is the name's first word, and with the
				// word after it (or a word near it, see nearPairs) the
				// vocabulary's rare joining of the name's first two
				// words ("redwoodanchor").
				s.split.at = i + 2
				s.split.word = append(append(s.split.word[:0], t.Text...), u...)
				if i+2 < len(terms) && terms[i+2].Class() == t.Class() && len(s.split.word)+len(terms[i+2].Text) <= maxJoinLen {
					if k, ok := lookupPair(v, s.split.word, terms[i+2].Text); ok {
						s.extra = append(s.extra, extraKey{k, 1})
					}
				}
				if d.rareWord(k) {
					s.searchNear(v, s.split.word, 1, knownNearMult)
				}
			} else {
				// Either fragment may be the unknown one, and of any
				// length ("Quonwal combe", "Kobay ashhi"): fragments of
				// up to four letters only lost a split with a typo
				// in the longer part. Both may be known words, one of
				// them a typo of another word ("Lix Retail" for "Leix
				// Retail", "lix" a name too): the names whose first two
				// words are one edit from the pair are few, where those
				// holding a word one edit from either are thousands.
				// A word near the joining stands for both query words
				// and weighs as two: a name that meets only one of them
				// meets it twice, through a word near it and through
				// its deletions ("Teora" for "Teor Iomu", Teorioum).
				s.joinBuf = append(append(s.joinBuf[:0], t.Text...), u...)
				s.searchNear(v, s.joinBuf, 1, 2)
			}
		}
		n := len(t.Text)
		if n < minFuzzyLen {
			continue
		}
		if known {
			// A typo may make another word the directory holds
			// ("Sova" for "Dova", "watokawa" for "warokawa"): in a
			// large vocabulary most words have neighbours one edit
			// away. The neighbours of a rare word are looked up too,
			// their lists as short as its own.
			if d.rareWord(tk) {
				s.joinBuf = append(s.joinBuf[:0], t.Text...)
				s.searchNear(v, s.joinBuf, 1, knownNearMult)
			}
			continue
		}
		bare := false // the word is a known word after the article
		if i == 0 && n-len(article) >= minFuzzyLen && strings.HasPrefix(t.Text, article) {
			// The article a name's core leaves out, joined to the first
			// word ("TheHisano", "theacify group"): the rest is the
			// word, as it is or one edit away.
			rest := t.Text[len(article):]
			if k, ok := v.lookup(rest); ok {
				s.extra = append(s.extra, extraKey{k, 1})
				bare = true
			} else {
				s.joinBuf = append(s.joinBuf[:0], rest...)
				s.searchNear(v, s.joinBuf, 1, 1)
			}
		}
		s.joinBuf = append(s.joinBuf[:0], t.Text...)
		found := s.searchNear(v, s.joinBuf, 1, 1)
		if found > 0 {
			d.rareHits(s)
			s.nearPairs(v, terms, i)
			s.crossPairs(v, terms, i)
		}
		if n >= minSplitLen && found == 0 {
			// Only when no word one edit away was found: the
			// vocabulary holds the joining of each name's first two
			// words, so that a joining with a typo ("Crystlgrove")
			// finds it one edit away, and its parts ("crystal",
			// "grove") would only spend the posting budget on common
			// words before the name's other words are visited.
			s.splits(v, t.Text, true)
		}
		if bare || found > 0 && !(len(terms) == 1 && n >= minRareFuzzy2Len && d.fewRare(s)) {
			continue
		}
		// A word with no known word one edit away may be two words
		// joined or a word with two typos, and its splits do not tell
		// which: a word with two typos often holds a known word
		// ("Tosnlbauer" for "Rosnelbauer" holds "bauer"), or two short
		// ones ("zza" and "exe" in "Zzaexe" for "Zazeex"). Both are
		// looked up. Only the article joined to a known word
		// ("TheZeta") is taken as the whole explanation. A one-word
		// name is all in that word: one with two typos is often one
		// edit from another made-up name ("Garhoson" from Garholson,
		// two from Garhalson), so a few rare words one edit away do
		// not stand for it.
		if n >= minFuzzy2Len && n2 < maxFuzzy2 {
			n2++
			s.joinBuf = append(s.joinBuf[:0], t.Text...)
			if s.searchNear(v, s.joinBuf, 2, 1) > 0 {
				d.rareHits(s)
				s.nearPairs(v, terms, i)
			}
		}
	}
}

// rareHits appends to s.extra the keys of the hits of the last search
// that searchNear left out (past the maxFuzzyHits nearest), as long as
// all the hits together hold no more entities than a rare word does (see
// Dir.rareWord). In a large vocabulary a made-up name has dozens of
// neighbours one edit away, and the name a typo was made in is no nearer
// than they are ("Seteium" for Zeteium, among 26 words one edit away that
// hold 77 companies in all): the rescoring by name tells them apart,
// where the walk's order would keep only the first twelve.
func (d *Dir) rareHits(s *scratch) {
	st := &s.fuzzy
	if len(st.hits) <= maxFuzzyHits || !d.rareHeld(st.hits) {
		return
	}
	seen := 0
	for dist := uint8(1); dist <= st.k; dist++ {
		for _, h := range st.hits {
			if h.dist != dist {
				continue
			}
			if seen++; seen > maxFuzzyHits { // the first are searchNear's
				s.extra = append(s.extra, extraKey{h.key, editMult(len(st.q), h.dist)})
			}
		}
	}
}

// fewRare reports whether the last search found at most maxRareNear
// words, together held by no more entities than a rare word is.
func (d *Dir) fewRare(s *scratch) bool {
	return len(s.fuzzy.hits) <= maxRareNear && d.rareHeld(s.fuzzy.hits)
}

// rareHeld reports whether the words of hits together are held by no more
// entities than a rare word is (see Dir.rareWord).
func (d *Dir) rareHeld(hits []fuzzyHit) bool {
	var one [1]int32
	held, rare := 0, d.budget/rareWordShare
	for _, h := range hits {
		if held += len(d.postings(h.key, &one)); held > rare {
			return false
		}
	}
	return true
}

// rareWord reports whether the word whose key is k is held by few enough
// entities that the words one edit from it are worth looking up as well:
// at most a rareWordShare-th of the posting budget.
func (d *Dir) rareWord(k matcher.Key) bool {
	var one [1]int32
	return len(d.postings(k, &one)) <= d.budget/rareWordShare
}

// rareWordShare divides the posting budget into the most entities a known
// query word may have and still count as rare (see Dir.rareWord): 100 at
// the default budget.
const rareWordShare = 100

// knownNearMult is the weight factor of the words near a known query word
// (on top of their distance's): the query most often holds the word it
// means, so that its neighbours only fill the places its own entities
// leave.
const knownNearMult = 0.75

// nearPairs appends the keys of the known joinings of a word near
// terms[i] (the hits of the last search, all of them, not only the
// nearest kept) with the query word before or after it: the vocabulary
// holds each name's first two words joined, so that a typo in one of two
// words ("Oine Peak Trading") finds the names that have a word near it
// next to the other ("Pine Peak"), a short list, among the dozens of
// words one edit away and the thousands of names holding each.
func (s *scratch) nearPairs(v *vocab, terms []matcher.Term, i int) {
	st := &s.fuzzy
	c := terms[i].Class()
	var prev, next string
	if i > 0 && terms[i-1].Class() == c {
		prev = terms[i-1].Text
	}
	if i+1 < len(terms) && terms[i+1].Class() == c {
		next = terms[i+1].Text
	}
	var split []byte
	if s.split.at == i {
		split = s.split.word
	}
	// The next word may be two words joined ("Rvier Mountainairlines"):
	// the first of them, when it and the rest are known words, stands
	// for it in the pair ("rivermountain"). The joining itself may be a
	// known word, other names' first two words.
	head := v.knownHead(next)
	added := 0
	for _, h := range st.hits {
		w := st.word(h)
		mult := editMult(len(terms[i].Text), h.dist)
		if head != "" && len(head)+len(w) <= maxJoinLen {
			if k, ok := lookupPair(v, w, head); ok {
				s.extra = append(s.extra, extraKey{k, mult})
				added++
			}
		}
		if split != nil && len(split)+len(w) <= maxJoinLen {
			if k, ok := lookupPair(v, split, w); ok {
				s.extra = append(s.extra, extraKey{k, mult})
				added++
			}
		}
		if prev != "" && len(prev)+len(w) <= maxJoinLen {
			if k, ok := lookupPair(v, prev, w); ok {
				s.extra = append(s.extra, extraKey{k, mult})
				added++
			}
		}
		if next != "" && len(next)+len(w) <= maxJoinLen {
			if k, ok := lookupPair(v, w, next); ok {
				s.extra = append(s.extra, extraKey{k, mult})
				added++
			}
		}
		if added >= maxFuzzyHits {
			return
		}
	}
}

// joinedWords is the known joining of two query words, for the query word
// after them.
type joinedWords struct {
	at   int // index of the query word after the two, -1 when none
	word []byte
}

// nearWords holds the first words one edit from one query word.
type nearWords struct {
	at    int // index of the query word, -1 when none
	words []byte
	ends  []int32 // end of each word in words
	mult  float32 // weight factor of a word one edit from it
}

// word returns the j-th word.
func (w *nearWords) word(j int) []byte {
	start := int32(0)
	if j > 0 {
		start = w.ends[j-1]
	}
	return w.words[start:w.ends[j]]
}

// crossPairs appends the keys of the known joinings of a word one edit
// from terms[i-1] and a word one edit from terms[i] (the hits of the last
// search; at most maxFuzzyHits of each), and keeps the latter in s.prev
// for terms[i+1]. When both of a name's first two words have a typo
// ("Gaarcía oFods"), the joining of the two words is two edits from the
// vocabulary's joining of the name's ("garciafoods"), out of reach of the
// search one edit from it, and the names holding a word near either are
// thousands; those whose first two words are near both are few.
func (s *scratch) crossPairs(v *vocab, terms []matcher.Term, i int) {
	st := &s.fuzzy
	hits := st.hits[:min(len(st.hits), maxFuzzyHits)]
	mult := editMult(len(terms[i].Text), 1)
	if i > 0 && s.prev.at == i-1 && terms[i-1].Class() == terms[i].Class() {
		added := 0
	pairs:
		for j := range s.prev.ends {
			p := s.prev.word(j)
			for _, h := range hits {
				w := st.word(h)
				if len(p)+len(w) > maxJoinLen {
					continue
				}
				if k, ok := lookupPair(v, p, w); ok {
					s.extra = append(s.extra, extraKey{k, s.prev.mult * mult})
					if added++; added >= maxFuzzyHits {
						break pairs
					}
				}
			}
		}
	}
	s.prev.at, s.prev.mult = i, mult
	s.prev.words, s.prev.ends = s.prev.words[:0], s.prev.ends[:0]
	for _, h := range hits {
		s.prev.words = append(s.prev.words, st.word(h)...)
		s.prev.ends = append(s.prev.ends, int32(len(s.prev.words)))
	}
}

// splits appends the keys of the two known words w joins, or (if fuzzy)
// of a known word and the words one edit from the rest, and returns how
// many.
func (s *scratch) splits(v *vocab, w string, fuzzy bool) int {
	n, found, nf := len(w), 0, 0
	if !fuzzy {
		nf = maxFuzzySplits
	}
	for p := minSplitPart; p <= n-minSplitPart; p++ {
		a, aOK := v.lookup(w[:p])
		b, bOK := v.lookup(w[p:])
		switch {
		case aOK && bOK:
			s.extra = append(s.extra, extraKey{a, 1}, extraKey{b, 1})
			found += 2
		case nf < maxFuzzySplits && aOK && p >= minFuzzyPart && n-p >= minFuzzyLen:
			nf++
			s.extra = append(s.extra, extraKey{a, fuzzyMult[1]})
			s.joinBuf = append(s.joinBuf[:0], w[p:]...)
			found += 1 + s.searchNear(v, s.joinBuf, 1, fuzzyMult[1])
		case nf < maxFuzzySplits && bOK && n-p >= minFuzzyPart && p >= minFuzzyLen:
			nf++
			s.extra = append(s.extra, extraKey{b, fuzzyMult[1]})
			s.joinBuf = append(s.joinBuf[:0], w[:p]...)
			found += 1 + s.searchNear(v, s.joinBuf, 1, fuzzyMult[1])
		}
	}
	return found
}

// searchNear appends to s.extra the keys of the words within k edits of w
// (at most maxFuzzyHits, the nearest first), weighted by mult times the
// factor of their distance, and returns how many.
func (s *scratch) searchNear(v *vocab, w []byte, k uint8, mult float32) int {
	if len(w) > maxFuzzyLen {
		return 0
	}
	st := &s.fuzzy
	st.hits, st.words, st.max = st.hits[:0], st.words[:0], 8*maxFuzzyHits
	v.searchBytes(st, w, k)
	added := 0
	for dist := uint8(1); dist <= k; dist++ {
		for _, h := range st.hits {
			if h.dist == dist && added < maxFuzzyHits {
				s.extra = append(s.extra, extraKey{h.key, mult * editMult(len(w), h.dist)})
				added++
			}
		}
	}
	return added
}

// extraKey is a key found through the vocabulary, with its weight factor.
type extraKey struct {
	key  matcher.Key
	mult float32
}

// NearCount implements [matcher.NearCounter] with the vocabulary: the
// number of entities holding the words one edit from t, summed over the
// words (a typo of a common word weighs like the word). Without the
// vocabulary, or for a word shorter than the shortest looked up with
// typos, it knows none.
func (d *Dir) NearCount(ctx context.Context, t matcher.Term) (int, bool) {
	if !d.vocabOn || len(t.Text) < minFuzzyLen || len(t.Text) > maxFuzzyLen || ctx.Err() != nil {
		return 0, false
	}
	s := d.getScratch()
	defer d.putScratch(s)
	d.mu.RLock()
	defer d.mu.RUnlock()
	v := d.vocabs[t.Class()]
	if v == nil {
		return 0, false
	}
	st := &s.fuzzy
	st.hits, st.words, st.max = st.hits[:0], st.words[:0], 8*maxFuzzyHits
	st.visited, st.budget = 0, maxVisited
	v.search(st, t.Text, 1)
	n, ok := 0, false
	var one [1]int32
hits:
	for i, h := range st.hits {
		if h.dist != 1 {
			continue
		}
		for _, g := range st.hits[:i] {
			if g.dist == 1 && g.key == h.key {
				// A short form is held under its long word's key.
				continue hits
			}
		}
		n, ok = n+len(d.postings(h.key, &one)), true
	}
	return n, ok
}

// editMult is the weight factor of a word dist edits from a query word of
// n letters: the share of its letters that agree, as fuzzy queries boost
// a term by its similarity.
func editMult(n int, dist uint8) float32 {
	return max(fuzzyMult[dist], 1-float32(dist)/float32(n))
}
