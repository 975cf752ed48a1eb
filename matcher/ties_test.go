package matcher_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
)

// TestTiesOrderedBySimilarity checks that candidates of equal score are
// ordered by their fields' similarity before their IDs: both members below
// agree on the last name and are a High first-name level away, but "c2"
// is closer to the query than "c1".
func TestTiesOrderedBySimilarity(t *testing.T) {
	d := newDir(t, nil, []matcher.Member{
		{ID: "c1", FirstName: "Katharina", LastName: "Oberholzer"},
		{ID: "c2", FirstName: "Kathrine", LastName: "Oberholzer"},
	})
	e := newEngine(t, d)
	res, err := e.MatchMember(t.Context(), matcher.MemberQuery{FirstName: "Katharine", LastName: "Oberholzer"})
	require.NoError(t, err)
	require.Len(t, res.Candidates, 2)
	a, b := res.Candidates[0], res.Candidates[1]
	fa, _ := field(a, matcher.FieldFirstName)
	fb, _ := field(b, matcher.FieldFirstName)
	require.Equal(t, fa.Level, fb.Level, "the test needs both first names at one level")
	require.Equal(t, a.Score, b.Score, "the test needs a tie")
	assert.Equal(t, "c2", a.Entity.ID, "tie: the closer first name ranks first (similarities %v, %v)", fa.Similarity, fb.Similarity)
	assert.Greater(t, fa.Similarity, fb.Similarity)
}

// TestNearTiesOrderedByEdits checks that company names near the query's at
// the same level and score are ordered by the share of letters an edit
// changes: "Gecota" is one letter from "Gevota", "Geva" two, though
// Jaro-Winkler, favouring the shorter name with the same start, finds
// "Geva" more alike; similarity and IDs alone would put "Geva" first.
func TestNearTiesOrderedByEdits(t *testing.T) {
	d := newDir(t, []matcher.Company{
		{ID: "a1", Name: "Geva Logistics LLC"},
		{ID: "b2", Name: "Gecota Logistics LLC"},
	}, nil)
	e := newEngine(t, d)
	res, err := e.MatchCompany(t.Context(), matcher.CompanyQuery{Name: "GEVOTA LOGISTICS, L.L.C."})
	require.NoError(t, err)
	require.Len(t, res.Candidates, 2)
	a, b := res.Candidates[0], res.Candidates[1]
	fa, _ := field(a, matcher.FieldName)
	fb, _ := field(b, matcher.FieldName)
	require.Equal(t, matcher.LevelHigh, fa.Level, "the test needs both names near")
	require.Equal(t, fa.Level, fb.Level)
	require.Equal(t, a.Score, b.Score, "the test needs a tie")
	if a.Entity.ID == "b2" {
		fa, fb = fb, fa
	}
	require.Greater(t, fa.Similarity, fb.Similarity, "the test needs the farther name more similar")
	assert.Equal(t, "b2", a.Entity.ID)
}

// TestNameShapes checks name shapes CRMs hold against a directory that
// holds the plain form, with namesakes that must rank lower.
func TestNameShapes(t *testing.T) {
	d := newDir(t, nil, []matcher.Member{
		{ID: "m1", FirstName: "Nastassia", LastName: "Alexopoulos"},
		{ID: "m2", FirstName: "Nastassia", LastName: "Alexander"},
		{ID: "m3", FirstName: "Susan", LastName: "Meyer"},
		{ID: "m4", FirstName: "Susan", LastName: "Thompson"},
		{ID: "m5", FirstName: "Robert", LastName: "Smith", Title: "Retired"},
		{ID: "m6", FirstName: "Robert", LastName: "Smith Jr."},
		{ID: "m7", FirstName: "John Ronald", LastName: "Tolkien"},
		{ID: "m8", FirstName: "Christopher", LastName: "Tolkien"},
		{ID: "m9", FirstName: "Jean-Pierre", LastName: "Dupont"},
		{ID: "m10", FirstName: "Jean", LastName: "Dupont"},
		{ID: "m11", FirstName: "Robert", LastName: "Whitfield"},
		{ID: "m12", FirstName: "Roberta", LastName: "Whitfield"},
		{ID: "m13", FirstName: "Morris I", LastName: "Klein"},
		{ID: "m14", FirstName: "Morris", LastName: "Kleinberg"},
	})
	e := newEngine(t, d)
	tests := []struct {
		name, first, last string
		top               string
	}{
		{"last comma first across fields", "Alexopoulos,", "Nastassia", "m1"},
		{"last comma first in one field", "", "Alexopoulos, Nastassia", "m1"},
		{"swapped fields", "Alexopoulos", "Nastassia", "m1"},
		{"honorific and whole name", "", "Mrs. Nastassia Alexopoulos", "m1"},
		{"whole name in first, other name in last", "Susan Meyer", "Thomas", "m3"},
		{"generation differs from the son", "Robert", "Smith Sr.", "m5"},
		{"initials without dots", "JR", "Tolkien", "m7"},
		{"initials with dots", "J. R. R.", "Tolkien", "m7"},
		{"given names joined", "Jeanpierre", "Dupont", "m9"},
		{"swapped fields and a nickname", "Whitfield", "Bob", "m11"},
		{"the second of a line is not the first", "Morris II", "Klein", "m14"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := e.MatchMember(t.Context(), matcher.MemberQuery{FirstName: tc.first, LastName: tc.last})
			require.NoError(t, err)
			ids := candidateIDs(res)
			require.NotEmpty(t, ids)
			assert.Equal(t, tc.top, ids[0], "MatchMember(%q, %q) = %v", tc.first, tc.last, ids)
			if len(res.Candidates) > 1 {
				assert.Greater(t, res.Candidates[0].Score, res.Candidates[1].Score, "MatchMember(%q, %q): the right one must lead, not tie", tc.first, tc.last)
			}
		})
	}
}

// TestLegalFormEvidence checks that the legal forms of two names that agree
// on their core are evidence: the query's form first, a name without a form
// next (nothing to compare), another form last. Without a form in the query
// the three tie: the name without a form comes first, as the query writes
// it, then the others by ID. With the LegalForm level zeroed, legal forms
// only order ties, the query's first.
func TestLegalFormEvidence(t *testing.T) {
	d := newDir(t, []matcher.Company{
		{ID: "a1", Name: "Quorvant Inc."},
		{ID: "b2", Name: "Quorvant GmbH"},
		{ID: "c3", Name: "Quorvant"},
	}, nil)
	e := newEngine(t, d)
	for _, tc := range []struct {
		query string
		order []string
	}{
		{"QUORVANT G.M.B.H.", []string{"b2", "c3", "a1"}},
		{"Quorvant, Incorporated", []string{"a1", "c3", "b2"}},
	} {
		res, err := e.MatchCompany(t.Context(), matcher.CompanyQuery{Name: tc.query})
		require.NoError(t, err)
		assert.Equal(t, tc.order, candidateIDs(res), "MatchCompany(%q)", tc.query)
		require.Len(t, res.Candidates, 3)
		assert.Greater(t, res.Candidates[0].Score, res.Candidates[1].Score, tc.query)
		assert.Greater(t, res.Candidates[1].Score, res.Candidates[2].Score, tc.query)
		f, ok := field(res.Candidates[0], matcher.FieldLegalForm)
		require.True(t, ok, tc.query)
		assert.Equal(t, matcher.LevelExact, f.Level)
		assert.Positive(t, f.Contribution)
		_, ok = field(res.Candidates[1], matcher.FieldLegalForm)
		assert.False(t, ok, "%s: no legal form to compare", tc.query)
		f, ok = field(res.Candidates[2], matcher.FieldLegalForm)
		require.True(t, ok, tc.query)
		assert.Equal(t, matcher.LevelDisagree, f.Level)
		assert.Negative(t, f.Contribution)
	}
	res, err := e.MatchCompany(t.Context(), matcher.CompanyQuery{Name: "Quorvant"})
	require.NoError(t, err)
	require.Len(t, res.Candidates, 3)
	assert.Equal(t, []string{"c3", "a1", "b2"}, candidateIDs(res), "no legal form: the name without one, then by ID")
	assert.Equal(t, res.Candidates[0].Score, res.Candidates[2].Score)

	w := matcher.DefaultWeights()
	w.LegalForm = matcher.FieldWeights{}
	e = newEngine(t, d, matcher.WithWeights(w))
	for _, tc := range []struct{ query, top string }{
		{"QUORVANT G.M.B.H.", "b2"},
		{"Quorvant, Incorporated", "a1"},
	} {
		res, err := e.MatchCompany(t.Context(), matcher.CompanyQuery{Name: tc.query})
		require.NoError(t, err)
		require.Len(t, res.Candidates, 3)
		require.Equal(t, res.Candidates[0].Score, res.Candidates[1].Score, "the test needs a tie")
		assert.Equal(t, tc.top, res.Candidates[0].Entity.ID, "MatchCompany(%q) = %v", tc.query, candidateIDs(res))
		_, ok := field(res.Candidates[0], matcher.FieldLegalForm)
		assert.False(t, ok)
	}
}

// TestStackedLegalForms checks that a name with two legal forms agrees with
// a record that keeps only the inner one: "The Neioly Company" is "The
// Neioly Company, Inc." with its last form dropped, not a company of
// another form, and "Neioyx Co." must not pass it on a form that agrees.
func TestStackedLegalForms(t *testing.T) {
	d := newDir(t, []matcher.Company{
		{ID: "a1", Name: "The Neioly Company, Inc."},
		{ID: "b2", Name: "Neioyx Co."},
		{ID: "c3", Name: "Samsung Electronics Co., Ltd."},
		{ID: "d4", Name: "Samsung Electronics GmbH"},
	}, nil)
	e := newEngine(t, d)
	for _, tc := range []struct{ query, top string }{
		{"THE NEIOLY COMPANY", "a1"},
		{"Samsung Electronics Co.", "c3"},
		{"Samsung Electronics Ltd", "c3"},
	} {
		res, err := e.MatchCompany(t.Context(), matcher.CompanyQuery{Name: tc.query})
		require.NoError(t, err)
		require.NotEmpty(t, res.Candidates, tc.query)
		assert.Equal(t, tc.top, res.Candidates[0].Entity.ID, "MatchCompany(%q) = %v", tc.query, candidateIDs(res))
		f, ok := field(res.Candidates[0], matcher.FieldLegalForm)
		require.True(t, ok, tc.query)
		assert.Equal(t, matcher.LevelExact, f.Level, tc.query)
	}
	// Two outer forms that differ still disagree, whatever they hold.
	res, err := e.MatchCompany(t.Context(), matcher.CompanyQuery{Name: "Neioly Company GmbH"})
	require.NoError(t, err)
	i := slices.IndexFunc(res.Candidates, func(c matcher.Candidate) bool { return c.Entity.ID == "a1" })
	require.GreaterOrEqual(t, i, 0, "%v", candidateIDs(res))
	f, ok := field(res.Candidates[i], matcher.FieldLegalForm)
	require.True(t, ok)
	assert.Equal(t, matcher.LevelDisagree, f.Level)
}

// TestSpellingOrdersTies checks that company candidates tied on every
// field go by how near their names are spelled to the query's, spaces
// included, before their IDs.
func TestSpellingOrdersTies(t *testing.T) {
	d := newDir(t, []matcher.Company{
		{ID: "a1", Name: "Scarlet Works Ventures"},
		{ID: "b2", Name: "ScarletWorks Ventures"},
	}, nil)
	e := newEngine(t, d)
	for _, tc := range []struct {
		query string
		order []string
	}{
		{"Worldwide ScarletWorks Ventures", []string{"b2", "a1"}},
		{"Scarletworks Ventures", []string{"b2", "a1"}},
		{"Scarlet Works Ventures", []string{"a1", "b2"}},
	} {
		res, err := e.MatchCompany(t.Context(), matcher.CompanyQuery{Name: tc.query})
		require.NoError(t, err)
		require.Len(t, res.Candidates, 2, tc.query)
		assert.Equal(t, tc.order, candidateIDs(res), "MatchCompany(%q)", tc.query)
		assert.Equal(t, res.Candidates[0].Score, res.Candidates[1].Score, "%s: a tie", tc.query)
	}
}
