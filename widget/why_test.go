package widget

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/crmlink/crmlink/matcher"
)

// TestWhy checks the phrases that explain a candidate: every field and
// level the engine reports has words, the strongest evidence comes first,
// and fields that did not count are left out.
func TestWhy(t *testing.T) {
	got := why([]matcher.FieldScore{
		{Field: matcher.FieldLegalForm, Level: matcher.LevelDisagree, Contribution: -4.2},
		{Field: matcher.FieldName, Level: matcher.LevelPrefix, Contribution: 9},
		{Field: matcher.FieldWebsite, Level: matcher.LevelDomain, Contribution: 11},
		{Field: matcher.FieldLocality, Level: matcher.LevelPartial, Contribution: 2},
		{Field: matcher.FieldStreet, Level: matcher.LevelMissing, Contribution: 0},
		{Field: matcher.FieldIndustry, Level: "novel", Contribution: -1},
	})
	assert.Equal(t, []string{
		"Website matches under another domain suffix",
		"Name matches as a shorter form",
		"Town partly matches",
		"Industry differs (novel)",
		"Legal form differs",
	}, got)
}
