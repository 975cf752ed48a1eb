package matcher

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	edlib "github.com/hbollon/go-edlib"
	"github.com/stretchr/testify/assert"
)

func FuzzJaroWinkler(f *testing.F) {
	for _, p := range [][2]string{{"martha", "marhta"}, {"dixon", "dicksonx"}, {"jones", "johnson"}, {"a", "b"}, {"", "x"}, {"abc", "abc"}} {
		f.Add(p[0], p[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		got, ok := jaroWinklerASCII(a, b)
		if !ok {
			return
		}
		want := float64(edlib.JaroWinklerSimilarity(a, b))
		if a == b {
			want = 1
		}
		if got != want {
			t.Fatalf("jaroWinklerASCII(%q, %q) = %v, edlib says %v", a, b, got, want)
		}
		if loose, tight := jaroWinklerBounds(a, b); a != "" && b != "" && (got > tight || tight > loose) {
			t.Fatalf("jaroWinklerBounds(%q, %q) = %v, %v; similarity %v", a, b, loose, tight, got)
		}
	})
}

func TestSoftDice(t *testing.T) {
	tests := []struct {
		a, b []string
		min  float64
		max  float64
	}{
		{[]string{"acme"}, []string{"acme"}, 1, 1},
		{[]string{"global", "solutions"}, []string{"global", "systems"}, 0.5, 0.5},
		{[]string{"zyxelqor", "networks"}, []string{"zyxelqor", "netwroks"}, 0.95, 1},
		{[]string{"a"}, nil, 0, 0},
	}
	for _, tc := range tests {
		got := softDice(tc.a, tc.b)
		assert.True(t, got >= tc.min && got <= tc.max, "softDice(%q, %q) = %v, want [%v,%v]", tc.a, tc.b, got, tc.min, tc.max)
	}
}

func TestEmailLocalMatches(t *testing.T) {
	for _, tc := range []struct {
		local, first, last string
		want               bool
	}{
		{"john.smith", "john", "smith", true},
		{"jsmith", "john", "smith", true},
		{"johns", "john", "smith", true},
		{"smith.john", "john", "smith", true},
		{"j.smith", "john", "smith", true},
		{"john_smith", "john", "smith", true},
		{"smith", "john", "smith", true},
		{"jane.doe", "john", "smith", false},
		{"info", "john", "smith", false},
		{"vandenberg", "anna", "van den berg", true},
	} {
		assert.Equal(t, tc.want, emailLocalMatches(tc.local, tc.first, tc.last), "emailLocalMatches(%q, %q, %q)", tc.local, tc.first, tc.last)
	}
}

func TestKeysDeterministic(t *testing.T) {
	e := NewCompanyEntity(Company{ID: "c1", Name: "Acme Widgets GmbH", Website: "acme.de"})
	k1 := e.Keys(nil)
	k2 := NewCompanyEntity(Company{ID: "c2", Name: "ACME WIDGETS", Website: "https://www.acme.de/"}).Keys(nil)
	assert.Equal(t, k1, k2, "same normalised company, same keys")
	seen := map[Key]bool{}
	for _, k := range k1 {
		assert.False(t, seen[k], "duplicate key")
		seen[k] = true
	}
	var q Query
	q.prepareCompany(CompanyQuery{Name: "Acme Widgets", Website: "acme.de"})
	found := 0
	for _, k := range q.Keys() {
		if seen[k] {
			found++
		}
		if k.Exact() {
			assert.True(t, seen[k], "exact key of the query not indexed")
		}
	}
	assert.Greater(t, found, 10)
}

func TestSkeletonKey(t *testing.T) {
	for _, s := range []string{"mhmd", "khn", "ab"} {
		if got, want := skeletonKey([]byte(s)), makeKey(tagPersonGram, skeletonPrefix+s); got != want {
			t.Errorf("skeletonKey(%q) = %x, want %x", s, got, want)
		}
	}
}

// FuzzEditSim checks that the stack-only edit distance for ASCII strings is
// go-edlib's optimal string alignment distance.
func FuzzEditSim(f *testing.F) {
	for _, p := range [][2]string{{"swiftstteambamk", "swiftstreambank"}, {"ca", "abc"}, {"", "abc"}, {"acno", "acon"}, {"microsoft", "micro soft"}} {
		f.Add(p[0], p[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		d, ok := osaASCII(a, b)
		if !ok {
			return
		}
		if want := edlib.OSADamerauLevenshteinDistance(a, b); d != want {
			t.Fatalf("osaASCII(%q, %q) = %d, go-edlib says %d", a, b, d, want)
		}
	})
}

// TestFormSim checks that a short form with a typo agrees with the word the
// normaliser expands the form to, and that other words do not.
func TestFormSim(t *testing.T) {
	for _, p := range [][2]string{{"hldsg", "holdings"}, {"techh", "technology"}, {"pnarma", "pharmaceuticals"}, {"sonls", "solutions"}, {"lasb", "laboratories"}} {
		assert.GreaterOrEqual(t, formSim(p[0], p[1]), tokenMatchMin, p[0])
		assert.GreaterOrEqual(t, formSim(p[1], p[0]), tokenMatchMin, p[0])
		assert.Zero(t, tokenSim(p[0], p[1]), "%s: the test needs a pair tokenSim misses", p[0])
	}
	for _, p := range [][2]string{{"hldsg", "systems"}, {"acme", "holdings"}, {"labs", "lasb"}} {
		assert.Zero(t, formSim(p[0], p[1]), p[0])
	}
	a, b := newCompanyFeat("Zokaio Sonls"), newCompanyFeat("Zokaio Solutions SE")
	c := newCompanyFeat("Zokaio Sp. z o.o.")
	assert.Greater(t, companySimW(&a, &b, nil), companySimW(&a, &c, nil))
}

// TestTruncatedWords checks that a word cut short after four letters or
// more agrees with the word it starts, both ways, and that words that only
// share a start with it do not.
func TestTruncatedWords(t *testing.T) {
	for _, p := range [][2]string{{"deli", "delicatessen"}, {"tech", "technologies"}, {"intern", "international"}} {
		assert.GreaterOrEqual(t, tokenSim(p[0], p[1]), tokenMatchMin, p[0])
		assert.GreaterOrEqual(t, tokenSim(p[1], p[0]), tokenMatchMin, p[0])
	}
	for _, p := range [][2]string{{"dela", "delicatessen"}, {"tecs", "technologies"}, {"intel", "international"}} {
		assert.Less(t, tokenSim(p[0], p[1]), tokenMatchMin, p[0])
	}
	a, b := newCompanyFeat("Arts Deli"), newCompanyFeat("Arts Delicatessen")
	c := newCompanyFeat("Arts Design")
	assert.Greater(t, companySimW(&a, &b, nil), companySimW(&a, &c, nil))
}

// TestPrefixSimWeighted checks that a candidate name that is the start of
// the query's counts by the weight of the query words it covers: a common
// first word does not make a one-word name near.
func TestPrefixSimWeighted(t *testing.T) {
	q := newCompanyFeat("Global Fiara Shipping")
	global, fiara := newCompanyFeat("The Global Company"), newCompanyFeat("Fiara Shipping KG")
	w := []float64{2, 16, 9} // global is common, fiara rare
	assert.Greater(t, companySimW(&q, &fiara, w), companySimW(&q, &global, w))
	assert.Less(t, companySimW(&q, &global, w), 0.8)
	// Unweighed (an employer), and a query that is the start of the
	// candidate's name, keep Jaro-Winkler.
	assert.Equal(t, jw(q.joined, global.joined), prefixSim(&q, &global, nil))
	short := newCompanyFeat("Siemens")
	long := newCompanyFeat("Siemens Mobility")
	assert.Equal(t, jw(short.joined, long.joined), prefixSim(&short, &long, []float64{10}))
	// A leading word that weighs most keeps a high similarity.
	q2 := newCompanyFeat("Cotraara Solutions")
	c2 := newCompanyFeat("Cotraara LLP")
	assert.Greater(t, prefixSim(&q2, &c2, []float64{16, 3}), 0.85)
}

// osaDP is the optimal-string-alignment distance of ASCII strings of at
// most maxCompareRunes bytes by the dynamic programme on three rows: the
// reference osaASCII must equal.
func osaDP(a, b string) int {
	la, lb := len(a), len(b)
	var r0, r1, r2 [maxCompareRunes + 1]int // rows i-2, i-1, i
	for j := 0; j <= lb; j++ {
		r1[j] = j
	}
	for i := 1; i <= la; i++ {
		r2[0] = i
		for j := 1; j <= lb; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(r1[j]+1, r2[j-1]+1, r1[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, r0[j-2]+1)
			}
			r2[j] = v
		}
		r0, r1, r2 = r1, r2, r0
	}
	return r1[lb]
}

// nearPrefixDP is nearPrefix computed start by start with the dynamic
// programme: the reference nearPrefix must equal.
func nearPrefixDP(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	limit := max(1, len(a)/6)
	for k := max(1, len(a)-2); k <= min(len(b), len(a)+2); k++ {
		if len(a) > maxCompareRunes || k > maxCompareRunes || !isASCII(a) || !isASCII(b[:k]) {
			return true
		}
		if osaDP(a, b[:k]) <= limit {
			return true
		}
	}
	return false
}

// checkOSA fails t unless osaASCII and nearPrefix agree with their
// dynamic-programme references on a and b.
func checkOSA(t *testing.T, a, b string) {
	t.Helper()
	if d, ok := osaASCII(a, b); ok {
		if want := osaDP(a, b); d != want {
			t.Fatalf("osaASCII(%q, %q) = %d, the dynamic programme says %d", a, b, d, want)
		}
	} else if len(a) <= maxCompareRunes && len(b) <= maxCompareRunes && isASCII(a) && isASCII(b) {
		t.Fatalf("osaASCII(%q, %q) refused ASCII strings", a, b)
	}
	if got, want := nearPrefix(a, b), nearPrefixDP(a, b); got != want {
		t.Fatalf("nearPrefix(%q, %q) = %v, the dynamic programme says %v", a, b, got, want)
	}
}

func TestOSABits(t *testing.T) {
	// Every pair of strings of up to 5 letters over a three-letter
	// alphabet: all shapes of substitution, insertion, deletion and
	// transposition overlap.
	var words []string
	var gen func(prefix string)
	gen = func(prefix string) {
		words = append(words, prefix)
		if len(prefix) < 5 {
			for _, c := range "abc" {
				gen(prefix + string(c))
			}
		}
	}
	gen("")
	for _, a := range words {
		for _, b := range words {
			checkOSA(t, a, b)
		}
	}
	// Adversarial pairs: the 64-byte limit, repeats, alternations that
	// chain transpositions, the ends of the ASCII range, non-ASCII and
	// over-long strings.
	long := strings.Repeat("ab", 32)
	adv := []string{
		"", "a", long, strings.Repeat("ba", 32), strings.Repeat("a", 64), strings.Repeat("a", 63) + "b",
		"b" + strings.Repeat("a", 63), strings.Repeat("abc", 21) + "x", strings.Repeat("z", 65), long[:63],
		"\x00\x7f\x00\x7f", "\x7f\x00\x7f\x00", "swiftstteambamk", "swiftstreambank", "micro soft", "microsoft",
		"café", "cafe", "ca\xffe", strings.Repeat("ab", 31) + "é", "acno", "acon", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ!@",
	}
	for _, a := range adv {
		for _, b := range adv {
			checkOSA(t, a, b)
		}
	}
	// Random pairs, a string and a corruption of it by a few random
	// edits, over alphabets small (many repeats) and large.
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 200_000 {
		alpha := []string{"ab", "abc", "abcdefgh", "abcdefghijklmnopqrstuvwxyz .-&"}[i%4]
		a := randomString(rng, alpha, rng.IntN(66))
		b := randomString(rng, alpha, rng.IntN(66))
		if i%2 == 0 {
			b = corrupt(rng, a, alpha, rng.IntN(5))
		}
		checkOSA(t, a, b)
	}
}

func randomString(rng *rand.Rand, alpha string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alpha[rng.IntN(len(alpha))]
	}
	return string(b)
}

// corrupt applies n random edits (substitution, insertion, deletion,
// transposition of adjacent bytes) to s.
func corrupt(rng *rand.Rand, s, alpha string, n int) string {
	b := []byte(s)
	for range n {
		c := alpha[rng.IntN(len(alpha))]
		switch i := rng.IntN(len(b) + 1); rng.IntN(4) {
		case 0:
			if i < len(b) {
				b[i] = c
			}
		case 1:
			b = slices.Insert(b, i, c)
		case 2:
			if i < len(b) {
				b = slices.Delete(b, i, i+1)
			}
		default:
			if i+1 < len(b) {
				b[i], b[i+1] = b[i+1], b[i]
			}
		}
	}
	return string(b)
}

// FuzzOSABits checks the bit-parallel distance and the one-pass nearPrefix
// against the dynamic programme.
func FuzzOSABits(f *testing.F) {
	for _, p := range [][2]string{{"swiftstteambamk", "swiftstreambank"}, {"ca", "abc"}, {"", "abc"}, {"acno", "acon"},
		{"abab", "baba"}, {strings.Repeat("ab", 32), strings.Repeat("ba", 32)}, {"siemens", "siemensmobility"}, {"café", "cafe"}} {
		f.Add(p[0], p[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		checkOSA(t, a, b)
	})
}

// TestJaroWinklerBoundUnicode checks that the bound, which counts runes
// only for strings with a byte of 0x80 or more, stays at or above the
// Jaro-Winkler similarity of names in any script, which FuzzJaroWinkler
// (ASCII only) does not reach: counting bytes for them would lower it below.
// Names are folded first, which drops invalid UTF-8.
func TestJaroWinklerBoundUnicode(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	alphabet := []string{"a", "b", "e", "n", "s", " ", "é", "è", "ß", "王", "国", "д"}
	word := func() string {
		var sb strings.Builder
		for range 1 + r.IntN(12) {
			if r.IntN(4) == 0 {
				sb.WriteString(alphabet[r.IntN(len(alphabet))])
			} else {
				sb.WriteByte(byte('a' + r.IntN(26)))
			}
		}
		return sb.String()
	}
	for range 100_000 {
		a, b := word(), word()
		if _, tight := jaroWinklerBounds(a, b); float64(edlib.JaroWinklerSimilarity(a, b)) > tight {
			t.Fatalf("jaroWinklerBounds(%q, %q): tight %v < %v", a, b, tight, edlib.JaroWinklerSimilarity(a, b))
		}
	}
}

// TestShortFormTypo checks that a word one letter from a short form the
// normaliser expands agrees as a typo of it: "Lans" is "Labs" (written
// "laboratories") with a typo, and the names compare near rather than
// disagree; a word that is not one substitution from a short form, and a
// first letter that differs, stay apart.
func TestShortFormTypo(t *testing.T) {
	for _, tc := range []struct {
		q, c string
		near bool
	}{
		{"Zeant Lans GmbH", "Zeant Labs GmbH", true},
		{"Zeant Labs GmbH", "Zeant Lans GmbH", true},
		{"Zeant Lbs GmbH", "Zeant Labs GmbH", true},
		{"Zeant Kabs GmbH", "Zeant Labs GmbH", false},
		{"Zeant Lion GmbH", "Zeant Labs GmbH", false},
	} {
		q, c := newCompanyFeat(tc.q), newCompanyFeat(tc.c)
		got := companySimW(&q, &c, nil)
		if tc.near {
			assert.GreaterOrEqual(t, got, 0.92, "%q and %q", tc.q, tc.c)
		} else {
			assert.Less(t, got, 0.8, "%q and %q", tc.q, tc.c)
		}
	}
}

// TestUmlautSpellingNearestBin checks that a name in its two umlaut
// spellings is a near spelling in the nearest bin of the High level, not
// the farthest one its similarity cut-off would put it in.
func TestUmlautSpellingNearestBin(t *testing.T) {
	w := DefaultWeights()
	q, c := newCompanyFeat("Mueller Logistik"), newCompanyFeat("Müller Logistik")
	s := scorer{w: &w}
	fs := s.companyName(FieldName, &w.CompanyName, &q, &c, 0, nil, nil)
	if fs.Level != LevelHigh || w.NearNameBin(fs.Similarity) != NearNameBinCount-1 {
		t.Fatalf("companyName = %s at %v (bin %d), want high in bin %d", fs.Level, fs.Similarity, w.NearNameBin(fs.Similarity), NearNameBinCount-1)
	}
}

// TestLevelCache checks that remembered level weights are the weights:
// levels that share a place in the table, levels met again after another
// took their place, an unset level and an invalid one.
func TestLevelCache(t *testing.T) {
	var c levelCache
	s := scorer{levels: &c}
	rng := rand.New(rand.NewPCG(1, 2))
	levels := []Level{{}, {M: 0.9}, {M: math.NaN(), U: 0.1}, {M: 0.9, U: 0.9}, {M: 1, U: 1e-9}}
	for range 500 {
		levels = append(levels, Level{M: rng.Float64(), U: rng.Float64() * 1e-3})
	}
	for round := range 3 {
		for i, l := range levels {
			want := l.Weight()
			if got := s.weight(l); got != want {
				t.Fatalf("round %d, level %d %+v: weight %v, want %v", round, i, l, got, want)
			}
		}
		rng.Shuffle(len(levels), func(i, j int) { levels[i], levels[j] = levels[j], levels[i] })
	}
	if got := (&scorer{}).weight(Level{M: 0.5, U: 0.25}); got != 1 {
		t.Fatalf("without a cache: weight %v, want 1", got)
	}
}

// TestJaroWinklerBoundNear checks the bounds on pairs of names a few edits
// apart, where the similarity is near the thresholds the bounds are
// compared with and the common prefix decides the Winkler bonus; that
// jwWith reports the similarity or 0 below minSimilarity; and that
// tokenSim, which skips the similarity when the bound with the prefix
// rules it out, gives what it gave with the looser bound alone.
func TestJaroWinklerBoundNear(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	letter := func() byte { return "aeinorstlmdkh"[r.IntN(13)] }
	for range 200_000 {
		a := make([]byte, 2+r.IntN(10))
		for i := range a {
			a[i] = letter()
		}
		b := slices.Clone(a)
		for range 1 + r.IntN(3) {
			i := r.IntN(len(b))
			switch r.IntN(4) {
			case 0:
				b[i] = letter()
			case 1:
				b = slices.Insert(b, i, letter())
			case 2:
				if len(b) > 1 {
					b = slices.Delete(b, i, i+1)
				}
			default:
				if i+1 < len(b) {
					b[i], b[i+1] = b[i+1], b[i]
				}
			}
		}
		x, y := string(a), string(b)
		// Both bounds hold, and jwWith reports the similarity or 0 below
		// minSimilarity with either.
		want := float64(edlib.JaroWinklerSimilarity(x, y))
		loose, tight := jaroWinklerBounds(x, y)
		if want > tight || tight > loose {
			t.Fatalf("jaroWinklerBounds(%q, %q) = %v, %v; similarity %v", x, y, loose, tight, want)
		}
		for _, across := range []bool{false, true} {
			if got := jwWith(x, y, across); got != want && (want >= minSimilarity || got != 0) {
				t.Fatalf("jwWith(%q, %q, %v) = %v, go-edlib %v", x, y, across, got, want)
			}
		}
		// tokenSim as written before it used the bound with the prefix.
		ref := 0.0
		switch {
		case x == y:
			ref = 1
		case len(x) <= 2 || len(y) <= 2:
		case truncated(x, y) || truncated(y, x):
			ref = max(tokenMatchMin, jw(x, y))
		case loose < tokenMatchMin:
		case want >= tokenMatchMin:
			ref = want
		case oneEdit(x, y):
			ref = tokenMatchMin
		}
		if got := tokenSim(x, y); got != ref {
			t.Fatalf("tokenSim(%q, %q) = %v, want %v", x, y, got, ref)
		}
	}
}

// TestNameComparisonsDoNotAllocate checks that comparing two company names
// with words of scope that lead or close them allocates nothing (one within
// a name is joined anew): a query compares hundreds, and a
// string passed where the compiler cannot follow it (a function value)
// once moved the words of every name compared to the heap.
func TestNameComparisonsDoNotAllocate(t *testing.T) {
	q, err := NewCompanyQuery(CompanyQuery{Name: "Acme Steel International"})
	if err != nil {
		t.Fatal(err)
	}
	e := NewCompanyEntity(Company{ID: "c1", Name: "Global Acme Steal Holdings"})
	qc, ec := &q.company, &e.c.company
	for name, f := range map[string]func(){
		"scopeFreeSim":   func() { scopeFreeSim(qc, ec, nil) },
		"companySimW":    func() { companySimW(qc, ec, nil) },
		"NameSimilarity": func() { NameSimilarity(q, e) },
		"jw":             func() { jwWith("steel", "steal", false) },
		"jw across":      func() { jwWith("steel", "steal", true) },
	} {
		if n := testing.AllocsPerRun(20, f); n != 0 {
			t.Errorf("%s: %v allocations", name, n)
		}
	}
}
