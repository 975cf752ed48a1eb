package matcher

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestAcronymAndWords checks that an acronym with some of the name's own
// words reads as the name (at the acronym level), and that other words or
// initials in another order do not.
func TestAcronymAndWords(t *testing.T) {
	for _, p := range [][2]string{
		{"UT Austin", "University of Texas at Austin"},
		{"GE Healthcare", "General Electric Healthcare"},
		{"LMU Munich", "Ludwig Maximilian University Munich"},
		{"Austin UT", "University of Texas at Austin"},
	} {
		a, b := newCompanyFeat(p[0]), newCompanyFeat(p[1])
		assert.True(t, acronymAndWords(&a, &b), "%s / %s", p[0], p[1])
		assert.True(t, isAcronym(&b, &a), "%s / %s", p[1], p[0])
	}
	for _, p := range [][2]string{
		{"GE Aviation", "General Electric Healthcare"},
		{"TU Austin", "University of Texas at Austin"},
		{"UT Dallas", "University of Texas at Austin"},
		{"Texas Austin", "University of Texas at Austin"},
		{"U Austin", "University of Austin Texas"},
	} {
		a, b := newCompanyFeat(p[0]), newCompanyFeat(p[1])
		assert.False(t, acronymAndWords(&a, &b), "%s / %s", p[0], p[1])
	}
}
