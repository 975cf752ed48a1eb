package matcher_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
)

// TestCamelCaseNames checks that words a name joins in camel case read as
// the spaced name's words: a brand glued to the next word is within it, an
// acronym is read from the parted words, a name in capitals or small
// letters agrees exactly with its camel-case spelling, and of two names
// alike but for their spacing the one spaced as the query ranks first.
func TestCamelCaseNames(t *testing.T) {
	e := newEngine(t, newDir(t, []matcher.Company{
		{ID: "al", Name: "Alcatel-Lucent"},
		{ID: "ap", Name: "APNIC"},
		{ID: "pp", Name: "PayPal"},
		{ID: "cg", Name: "CobaltGate Media"},
		{ID: "cs", Name: "Cobalt Gate Media"},
		{ID: "ce", Name: "Centec"},
		{ID: "x1", Name: "Asia Pacific Trading"},
		{ID: "x2", Name: "Bell Labs Research"},
	}, nil))
	assertTopName(t, e, "AsiaPacific Network Information Centre", "ap", matcher.LevelSpelledOut)
	assertTopName(t, e, "PAYPAL", "pp", matcher.LevelExact)
	assertTopName(t, e, "Pay Pal Inc", "pp", matcher.LevelExact)
	assertTopName(t, e, "CobaltGate Media", "cg", matcher.LevelExact)
	assertTopName(t, e, "Cobalt Gate Media", "cs", matcher.LevelExact)
	assertTopName(t, e, "Cobaltgate Media", "cg", matcher.LevelExact)

	for q, want := range map[string]string{"AlcatelLucent Bell Labs": "al", "CentecNetworks": "ce"} {
		res, err := e.MatchCompany(t.Context(), matcher.CompanyQuery{Name: q})
		require.NoError(t, err)
		require.NotEmpty(t, res.Candidates, q)
		assert.Equal(t, want, res.Candidates[0].Entity.ID, q)
		assert.Equal(t, matcher.LevelPrefix, fieldLevel(t, res.Candidates[0], matcher.FieldName), q)
	}
}

// TestJoinedNumbers checks that a number joined to the word before it
// reads as the spaced name's number, both ways, and that a number starting
// a word keeps it joined.
func TestJoinedNumbers(t *testing.T) {
	e := newEngine(t, newDir(t, []matcher.Company{
		{ID: "a19", Name: "Article19"},
		{ID: "f10", Name: "Force10 Networks"},
		{ID: "fo", Name: "Forever 21 Inc."},
		{ID: "3c", Name: "3Com"},
		{ID: "x1", Name: "Article Media"},
		{ID: "x2", Name: "Force Networks"},
	}, nil))
	assertTopName(t, e, "ARTICLE 19", "a19", matcher.LevelExact)
	assertTopName(t, e, "Force 10 Networks", "f10", matcher.LevelExact)
	assertTopName(t, e, "FOREVER21", "fo", matcher.LevelExact)
	assertTopName(t, e, "3com", "3c", matcher.LevelExact)
}
