package matcher

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestContainedUConnective checks that a connective among the words a name
// within the other shares with the query ("de" of "Universidad de Uruguay",
// read "of") does not make the chance of sharing them smaller than the other
// words' alone: it is held with them, not apart.
func TestContainedUConnective(t *testing.T) {
	q := newCompanyFeat("Universidad de Uruguay")
	p := prefixCounts{universe: 1000, singleton: 0.5, nTok: len(q.tokens)}
	assert.Equal(t, []string{"university", "of", "uruguay"}, q.tokens)
	p.tokN[0], p.tokN[1], p.tokN[2] = 12, 300, 0
	p.stop = 1 << 1
	assert.InDelta(t, 11.0/1000, p.containedU(0b011), 1e-12, "twelve names hold \"university\", the candidate one of them")
	assert.Equal(t, p.containedU(0b001), p.containedU(0b011))
	p.stop = 0
	assert.Less(t, p.containedU(0b011), 11.0/1000, "counted apart, the connective makes the phrase rarer")
}
