package matcher_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

// TestTwoTypoName checks that a name with a typo in each of two words of
// four letters or more compares at the High level with the name it spells,
// while two words of three letters, a word with two edits or a third word
// that differs keep the level of their similarity.
func TestTwoTypoName(t *testing.T) {
	names := []string{
		"Swift Stream Bank", "Alpine Peak Data", "Voia Pharmaceutical",
		"Red Oak Partners", "Marsalham Industries",
	}
	cs := make([]matcher.Company, len(names))
	for i, n := range names {
		cs[i] = matcher.Company{ID: n, Name: n}
	}
	e := newEngine(t, newDir(t, cs, nil))
	for _, c := range []struct {
		query, entity string
		high          bool
	}{
		{"Swift Stteam Bamk", "Swift Stream Bank", true},        // a substitution and a doubled letter
		{"Alppine Oeak Data", "Alpine Peak Data", true},         // an insertion and a substitution
		{"Coia Pharaceutical", "Voia Pharmaceutical", true},     // every word with one typo
		{"Ree Oaj Partners", "Red Oak Partners", false},         // words of three letters
		{"Mqrsslham Industries", "Marsalham Industries", false}, // two edits in one word
		{"Alppine Oeak Dqta", "Alpine Peak Data", false},        // three words with typos
	} {
		got := candidateName(t, e, c.query, c.entity)
		if c.high {
			assert.Equal(t, matcher.LevelHigh, got.Level, "%q for %q", c.query, c.entity)
			assert.GreaterOrEqual(t, got.Similarity, matcher.DefaultWeights().HighSimilarity)
		} else {
			assert.NotEqual(t, matcher.LevelHigh, got.Level, "%q for %q", c.query, c.entity)
		}
	}
}

// TestMisspeltScopeWord checks that a word of scope with a typo, added to
// a name ("Intrnational"), leaves the name within the query's, as the word
// spelt right does, where other names of the directory hold the word (a
// query's word one edit from a word others hold is otherwise read as
// naming more than the name within it).
func TestMisspeltScopeWord(t *testing.T) {
	names := []string{"Stenorson & Sons", "Nuexica Technologies", "Capital Partners", "Stenorson Capital",
		"Acme International", "Globex Americas", "Cobalt Group"}
	// The directory's vocabulary tells which of a query's unknown words are
	// typos of the words its names hold.
	d := memdir.New(memdir.WithVocabulary(matcher.KindCompany))
	for _, n := range names {
		require.NoError(t, d.AddCompany(matcher.Company{ID: n, Name: n}))
	}
	e := newEngine(t, d)
	assertTopName(t, e, "Stenorson & Sons International", "Stenorson & Sons", matcher.LevelPrefix)
	assertTopName(t, e, "Stenorson & Sons Intrnational", "Stenorson & Sons", matcher.LevelPrefix)
	assertTopName(t, e, "Nuexica Technologies Ameriicas", "Nuexica Technologies", matcher.LevelPrefix)
	assertTopName(t, e, "Nuexica Technologies Gruop", "Nuexica Technologies", matcher.LevelPrefix)
	assertTopName(t, e, "Stenorson Capitl", "Stenorson Capital", matcher.LevelHigh)
}

// TestSpacedTypoName checks that a name typed with a space added or
// dropped besides a typo ("Sorffi eld" for Sorfield) compares at the High
// level, as a typo of the name spaced alike does, where a short name holds
// one of its fragments ("ELD"), and that names spaced alike whose short
// word has a typo, or names two edits apart, keep the level of their
// similarity.
func TestSpacedTypoName(t *testing.T) {
	d := memdir.New(memdir.WithVocabulary())
	for _, n := range []string{"Sorfield", "ELD, LLC", "VDGO Software", "VDG", "Elpeera Inc.", "ERA Corporation", "Red Oak"} {
		require.NoError(t, d.AddCompany(matcher.Company{ID: n, Name: n}))
	}
	e := newEngine(t, d)
	for _, c := range []struct {
		query, entity string
		high          bool
	}{
		{"Sorffi eld", "Sorfield", true},                 // a space added and a letter doubled
		{"VDGOsotware", "VDGO Software", true},           // a space dropped and a letter dropped
		{"Ellpe Era Incorporated", "Elpeera Inc.", true}, // the legal form apart
		{"Ree Oak", "Red Oak", false},                    // spaced alike, a short word: typoName judges
		{"VDGOsotwar", "VDGO Software", false},           // two edits
	} {
		got := candidateName(t, e, c.query, c.entity)
		if c.high {
			assert.Equal(t, matcher.LevelHigh, got.Level, "%q for %q", c.query, c.entity)
		} else {
			assert.NotEqual(t, matcher.LevelHigh, got.Level, "%q for %q", c.query, c.entity)
		}
	}
}

// candidateName returns how the company query's name compared with the
// candidate entity's, failing t when the entity is not a candidate.
func candidateName(t *testing.T, e *matcher.Engine, query, entity string) matcher.FieldScore {
	t.Helper()
	res, err := e.MatchCompany(t.Context(), matcher.CompanyQuery{Name: query})
	require.NoError(t, err)
	for _, c := range res.Candidates {
		if c.Entity.ID == entity {
			f, ok := field(c, matcher.FieldName)
			require.True(t, ok, "%q: %q has no name compared", query, entity)
			return f
		}
	}
	require.Failf(t, "not a candidate", "%q: %q is not a candidate", query, entity)
	return matcher.FieldScore{}
}
