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
