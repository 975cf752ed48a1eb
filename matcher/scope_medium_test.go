package matcher_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
)

// TestScopeWordsAndTypoAtMedium checks that a name with a word of scope
// added and a typo in its own word ("Wlsiara Holdings" for Elsiara)
// compares at Medium, as its words without the scope are alike, rather
// than disagreeing as the whole names' similarity would say.
func TestScopeWordsAndTypoAtMedium(t *testing.T) {
	cs := []matcher.Company{{ID: "els", Name: "Elsiara"}}
	for i := range 40 {
		cs = append(cs, matcher.Company{ID: fmt.Sprintf("f%02d", i), Name: fmt.Sprintf("Filler %c%c Partners", 'a'+i%26, 'a'+i/26)})
	}
	e := newEngine(t, newDir(t, cs, nil))
	res, err := e.MatchCompany(t.Context(), matcher.CompanyQuery{Name: "Wlsiara Holdings"})
	require.NoError(t, err)
	require.NotEmpty(t, res.Candidates)
	assert.Equal(t, "els", res.Candidates[0].Entity.ID)
	f, ok := field(res.Candidates[0], matcher.FieldName)
	require.True(t, ok)
	assert.Equal(t, matcher.LevelMedium, f.Level)
}
