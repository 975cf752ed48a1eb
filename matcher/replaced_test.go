package matcher

import (
	"testing"

	edlib "github.com/hbollon/go-edlib"
	"github.com/stretchr/testify/assert"
)

// TestWordReplaced checks that names of several words that differ in one
// word beyond a typo's reach are not at the High level through their
// spellings without spaces, while typos, words run together or split, and a name
// that starts the other still are.
func TestWordReplaced(t *testing.T) {
	high := DefaultWeights().HighSimilarity
	for _, p := range [][2]string{
		{"Munich University of Applied Sciences", "Zurich University of Applied Sciences"},
		{"Technical University of Munich", "Technical University Braunschweig"},
		{"Technical University of Munich", "Technical University Delft"},
		{"Universidad Politecnica de Madrid", "Universitat Politecnica de Valencia"},
	} {
		a, b := newCompanyFeat(p[0]), newCompanyFeat(p[1])
		assert.Less(t, companySimW(&a, &b, nil), high, "%s / %s", p[0], p[1])
		assert.Less(t, companySimW(&b, &a, nil), high, "%s / %s", p[1], p[0])
	}
	for _, p := range [][2]string{
		{"Globalcrossing", "Global Crossing"},
		{"Micro Soft Research", "Microsoft Research"},
		{"Kyungpook National Univ", "Kyungbook National University"},
		{"Price Waterhouse Coopers", "PricewaterhouseCoopers International"},
		{"Seoul Natinoal University", "Seoul National University"},
	} {
		a, b := newCompanyFeat(p[0]), newCompanyFeat(p[1])
		assert.GreaterOrEqual(t, companySimW(&a, &b, nil), high, "%s / %s", p[0], p[1])
	}
}

// FuzzWithinSubstring checks withinSubstring against the least go-edlib
// optimal-string-alignment distance of t to the substrings of s.
func FuzzWithinSubstring(f *testing.F) {
	for _, p := range [][2]string{{"munich", "zurichuniversity"}, {"sioina", "sioniacompany"}, {"ab", ""}, {"abc", "xbcax"}, {"natioanl", "seoulnationaluniversity"}} {
		f.Add(p[0], p[1], uint8(2))
	}
	f.Fuzz(func(t *testing.T, x, s string, limit uint8) {
		if x == "" || len(x) > maxCompareRunes || len(s) > maxCompareRunes || !isASCII(x) || !isASCII(s) {
			return
		}
		lim := int(limit % 8)
		best := len(x)
		for i := 0; i <= len(s); i++ {
			for j := i; j <= len(s); j++ {
				best = min(best, edlib.OSADamerauLevenshteinDistance(x, s[i:j]))
			}
		}
		if got := withinSubstring(x, s, lim); got != (best <= lim) {
			t.Fatalf("withinSubstring(%q, %q, %d) = %v, least distance %d", x, s, lim, got, best)
		}
	})
}
