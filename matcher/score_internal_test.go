package matcher

import (
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
		if bound := jaroWinklerBound(a, b); a != "" && b != "" && got > bound+1e-6 {
			t.Fatalf("jaroWinklerBound(%q, %q) = %v < %v", a, b, bound, got)
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
