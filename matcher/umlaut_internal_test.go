package matcher

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestSameUmlautSpelling checks the names that are one name with umlauts
// written as the plain vowel on one side and as the vowel and "e" on the
// other, both ways, and the names that are not.
func TestSameUmlautSpelling(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"muller", "mueller", true},
		{"mueller", "muller", true},
		{"jurgen", "juergen", true},
		{"schrodinger", "schroedinger", true},
		{"baecker", "backer", true},
		{"gruen mueller", "grun muller", true},
		{"muller", "muller", false},   // the same spelling: nothing to say
		{"mueller", "mueller", false}, // likewise
		{"muller", "moeller", false},  // another vowel
		{"muller", "muellers", false}, // another name
		{"michal", "michael", true},   // an "e" after "a" on one side only (Jaro-Winkler puts these at High too)
		{"lee", "le", false},          // not after a, o or u
		{"", "", false},
		{"ue", "u", true},
	} {
		assert.Equal(t, tc.want, sameUmlautSpelling(tc.a, tc.b), "sameUmlautSpelling(%q, %q)", tc.a, tc.b)
	}
}
