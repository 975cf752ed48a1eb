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

// TestSameWithoutArticle checks the last names that differ only by the
// Arabic article, and the ones that do not.
func TestSameWithoutArticle(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"al sayed", "el sayed", true},
		{"alsayed", "el sayed", true},
		{"sayed", "al sayed", true},
		{"elsayed", "sayed", true},
		{"al sayed", "al sayed", true},
		{"sayed", "sayed", false}, // no article on either side
		{"al sayed", "al said", false},
		{"alvarez", "varez", true}, // a joined article before four letters or more
		{"alan", "an", false},      // not before fewer
		{"el", "", false},
		{"al sayed hassan", "sayed hassan", false}, // one word after the article only
	} {
		assert.Equal(t, tc.want, sameWithoutArticle(tc.a, tc.b), "sameWithoutArticle(%q, %q)", tc.a, tc.b)
	}
}
