package matcher

import (
	"slices"
	"testing"

	edlib "github.com/hbollon/go-edlib"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOneEdit(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"clnsulting", "consulting", true}, // substitution Jaro-Winkler rejects (0.87)
		{"vrest", "crest", true},           // substitution of the first letter
		{"consulting", "consultign", true}, // adjacent transposition
		{"consulting", "consultings", true},
		{"onsulting", "consulting", true}, // deletion at the start
		{"consulting", "consulting", true},
		{"red", "ree", false}, // too short to trust one edit
		{"crest", "trust", false},
		{"kivous", "kvuos", false},
		{"abcdefgh", "abcdxfgy", false},
		{"consulting", "consul", false},
		{"čonsulting", "consulting", false}, // non-ASCII: Jaro-Winkler only
	}
	for _, tt := range tests {
		t.Run(tt.a+"/"+tt.b, func(t *testing.T) {
			assert.Equal(t, tt.want, oneEdit(tt.a, tt.b))
			assert.Equal(t, tt.want, oneEdit(tt.b, tt.a), "symmetric")
		})
	}
}

// FuzzOneEdit checks oneEdit against go-edlib's optimal string alignment
// distance.
func FuzzOneEdit(f *testing.F) {
	for _, p := range [][2]string{{"clnsulting", "consulting"}, {"vrest", "crest"}, {"abcde", "abced"}, {"abcde", "xabcde"}} {
		f.Add(p[0], p[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if len(a) > 64 || len(b) > 64 {
			return
		}
		want := len(a) >= minOneEditLen && len(b) >= minOneEditLen && isASCII(a) && isASCII(b) &&
			edlib.OSADamerauLevenshteinDistance(a, b) <= 1
		assert.Equal(t, want, oneEdit(a, b), "%q %q", a, b)
	})
}

func TestAppendDeletes2(t *testing.T) {
	// Each key is the token without two of its runes.
	tok := "überalles" // 9 runes, one of two bytes
	keys := appendDeletes2(nil, tagCoDel, tok)
	rs := []rune(tok)
	var want []Key
	for i := range rs {
		for j := i + 1; j < len(rs); j++ {
			s := string(rs[:i]) + string(rs[i+1:j]) + string(rs[j+1:])
			want = append(want, makeKey(tagCoDel, s))
		}
	}
	assert.Equal(t, want, keys)
	assert.Len(t, keys, 9*8/2)

	assert.Empty(t, appendDeletes2(nil, tagCoDel, "abcdef"), "shorter than minDel2Runes")
	assert.Empty(t, appendDeletes2(nil, tagCoDel, "abcdefghijklm"), "longer than maxDel2Runes")
	assert.Len(t, appendDeletes2(nil, tagCoDel, "abcdefghijkl"), 12*11/2)

	// Two typos in the query's first word still meet the entity's
	// one-deletion keys; one-deletions alone do not.
	for _, p := range [][2]string{{"axmauccs", "axmaics"}, {"kokavktta", "kokavita"}} {
		ent := appendDeletes(nil, tagCoDel, p[1])
		q1 := appendDeletes(nil, tagCoDel, p[0])
		q2 := appendDeletes2(nil, tagCoDel, p[0])
		assert.False(t, slices.ContainsFunc(q1, func(k Key) bool { return slices.Contains(ent, k) }), p[0])
		assert.True(t, slices.ContainsFunc(q2, func(k Key) bool { return slices.Contains(ent, k) }), p[0])
	}
}

func TestCompanyAbbreviationsAndTheAcronym(t *testing.T) {
	tests := []struct{ short, long string }{
		{"Kelby Cnslt", "Kelby Consulting Co."},
		{"Northwind Comms Ltd", "Northwind Communications Limited"},
		{"Arden Eng", "Arden Engineering"},
	}
	for _, tt := range tests {
		a, b := newCompanyFeat(tt.short), newCompanyFeat(tt.long)
		assert.Equal(t, b.core, a.core, tt.short)
		assert.Equal(t, b.joined, a.joined, tt.short)
	}

	the := newCompanyFeat("The Leus Holdings SE")
	assert.Equal(t, "lh", the.acronym)
	assert.Equal(t, "tlh", the.theAcronym)
	assert.Empty(t, newCompanyFeat("Leus Holdings SE").theAcronym)
	for _, short := range []string{"TLH", "LH"} {
		q := newCompanyFeat(short)
		assert.True(t, isAcronym(&q, &the), short)
		assert.True(t, isAcronym(&the, &q), short)
	}
	q := newCompanyFeat("TLX")
	assert.False(t, isAcronym(&q, &the))

	keys := NewCompanyEntity(Company{ID: "c1", Name: "The Leus Holdings SE"}).Keys(nil)
	require.NotEmpty(t, keys)
	assert.Contains(t, keys, makeKey(tagCoAcronym, "tlh"))
	assert.Contains(t, keys, makeKey(tagCoAcronym, "lh"))
}

func TestAppendPairKeys(t *testing.T) {
	shared := func(a, b []Key) bool {
		return slices.ContainsFunc(a, func(k Key) bool { return slices.Contains(b, k) })
	}
	ent := appendPairKeys(nil, "golden", "consulting")
	assert.Len(t, ent, 3)
	tests := []struct {
		a, b string
		want bool
	}{
		{"golden", "clnsulting", true}, // typo inside the second word: suffix
		{"golden", "consultign", true}, // typo at its end: prefix
		{"goldne", "consulting", true}, // typo in the first word
		{"golden", "capital", false},   // another company of the same first word
		{"silver", "consulting", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, shared(ent, appendPairKeys(nil, tt.a, tt.b)), "%s %s", tt.a, tt.b)
	}
	assert.Equal(t, "žl", runePrefix("žluť", 2))
	assert.Equal(t, "luť", runeSuffix("žluť", 3))
	assert.Equal(t, "ab", runeSuffix("ab", 3))
	assert.Len(t, appendPairKeys(nil, "ab", "cd"), 1, "short words give one key")
}

// TestJoinedFirstWordsKey checks that a name with its first two words
// joined meets the name with them apart on a token key, both ways, and that
// the entity's terms give the joining under that key.
func TestJoinedFirstWordsKey(t *testing.T) {
	// shared reports whether entity a and query b share the token key of w.
	shared := func(a, b, w string) bool {
		ek := NewCompanyEntity(Company{ID: "c1", Name: a}).Keys(nil)
		q, err := NewCompanyQuery(CompanyQuery{Name: b})
		require.NoError(t, err)
		k := makeKey(tagCoToken, w)
		return slices.Contains(ek, k) && slices.Contains(q.Keys(), k)
	}
	assert.True(t, shared("Maple Line Capital, Inc.", "MapleLine Capital", "mapleline"))
	assert.True(t, shared("PineSquare Systems SE", "Pine Square Systems", "pinesquare"))
	assert.True(t, shared("Maple Line Capital, Inc.", "Maple Line Capital", "mapleline"))
	assert.False(t, shared("Maple Line Capital, Inc.", "Maple Capital", "mapleline"))

	terms := NewCompanyEntity(Company{ID: "c1", Name: "Crystal Grove Cloud"}).Terms(nil)
	assert.Contains(t, terms, Term{Text: "crystalgrove", Key: makeKey(tagCoToken, "crystalgrove")})
}

// TestShortFormTerms checks that a company word expanded from a short form
// comes with its short forms as terms, under the word's key.
func TestShortFormTerms(t *testing.T) {
	terms := NewCompanyEntity(Company{ID: "c1", Name: "Caslanby Brothers Holdings"}).Terms(nil)
	assert.Contains(t, terms, Term{Text: "bros", Key: makeKey(tagCoToken, "brothers")})
	assert.Contains(t, terms, Term{Text: "hldgs", Key: makeKey(tagCoToken, "holdings")})
	for _, tm := range NewCompanyEntity(Company{ID: "c2", Name: "Caslanby Bakery"}).Terms(nil) {
		assert.Contains(t, []string{"caslanby", "bakery", "caslanbybakery"}, tm.Text)
	}
}
