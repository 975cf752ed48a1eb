package matcher_test

import (
	"testing"

	"github.com/crmlink/crmlink/matcher"
)

// TestScopeWordsAndTypoAtMedium checks that a name with a word of scope
// added and a typo in its own word ("Wlsiara Holdings" for Elsiara)
// compares at Medium, as its words without the scope are alike, rather
// than disagreeing as the whole names' similarity would say.
func TestScopeWordsAndTypoAtMedium(t *testing.T) {
	cs := append([]matcher.Company{{ID: "els", Name: "Elsiara"}}, fillerCompanies(40)...)
	e := newEngine(t, newDir(t, cs, nil))
	assertTopName(t, e, "Wlsiara Holdings", "els", matcher.LevelMedium)
}
