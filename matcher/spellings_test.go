package matcher_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
)

// TestUmlautSpellings checks that a name written with its umlauts as "ae",
// "oe" and "ue" agrees with the name written with them at the High level,
// for people's first and last names and for company names.
func TestUmlautSpellings(t *testing.T) {
	d := newDir(t, []matcher.Company{{ID: "c1", Name: "Müller Gärtnerei GmbH"}},
		[]matcher.Member{{ID: "m1", FirstName: "Jürgen", LastName: "Müller", Location: "Köln, Germany"}})
	e := newEngine(t, d)
	res, err := e.MatchMember(t.Context(), matcher.MemberQuery{FirstName: "Juergen", LastName: "Mueller"})
	require.NoError(t, err)
	require.NotEmpty(t, res.Candidates)
	assert.Equal(t, matcher.LevelHigh, fieldLevel(t, res.Candidates[0], matcher.FieldFirstName))
	assert.Equal(t, matcher.LevelHigh, fieldLevel(t, res.Candidates[0], matcher.FieldLastName))
	assertTopName(t, e, "Mueller Gaertnerei GmbH", "c1", matcher.LevelHigh)
}

// assertTopName checks that the company query name ranks the entity want
// first, its name compared at level.
func assertTopName(t *testing.T, e *matcher.Engine, name, want, level string) {
	t.Helper()
	res, err := e.MatchCompany(t.Context(), matcher.CompanyQuery{Name: name})
	require.NoError(t, err)
	require.NotEmpty(t, res.Candidates, name)
	assert.Equal(t, want, res.Candidates[0].Entity.ID, name)
	assert.Equal(t, level, fieldLevel(t, res.Candidates[0], matcher.FieldName), name)
}

// topMember returns the first candidate for member query q, failing t when
// the query errs or finds none.
func topMember(t *testing.T, e *matcher.Engine, q matcher.MemberQuery) matcher.Candidate {
	t.Helper()
	res, err := e.MatchMember(t.Context(), q)
	require.NoError(t, err)
	require.NotEmpty(t, res.Candidates, "%+v", q)
	return res.Candidates[0]
}

// fieldLevel returns the level at which c's field name was compared, and
// fails t when it was not compared.
func fieldLevel(t *testing.T, c matcher.Candidate, name string) string {
	t.Helper()
	f, ok := field(c, name)
	require.True(t, ok, "%s: no %s compared", c.Entity.ID, name)
	return f.Level
}

// TestNumbersInWords checks that a company name with a number in digits
// finds the name that spells it, exactly.
func TestNumbersInWords(t *testing.T) {
	e := newEngine(t, newDir(t, []matcher.Company{
		{ID: "seven", Name: "Seven Eleven Inc"},
		{ID: "fnb", Name: "First National Bank of Omaha"},
	}, nil))
	for q, want := range map[string]string{"7-Eleven": "seven", "1st National Bank of Omaha": "fnb"} {
		assertTopName(t, e, q, want, matcher.LevelExact)
	}
}

// TestTradeNames checks that a business written "X dba Y" meets its legal
// name X and its trade name Y, each as a name within the whole, both ways.
func TestTradeNames(t *testing.T) {
	e := newEngine(t, newDir(t, []matcher.Company{
		{ID: "acme", Name: "Acme Holdings LLC dba Widget World"},
		{ID: "smiles", Name: "Blue Ridge Smiles"},
	}, nil))
	for q, want := range map[string]string{
		"Widget World":      "acme",
		"Acme Holdings LLC": "acme",
		"Blue Ridge Dental Group DBA Blue Ridge Smiles": "smiles",
	} {
		assertTopName(t, e, q, want, matcher.LevelPrefix)
	}
}

// TestPartnershipForms checks that a partnership's "& Co." under a
// company's form ("Mehta & Co. Private Limited", "Smith & Co. Ltd") meets
// the name written with "& Co." alone: the same core, and "Co." as the
// form both show, ahead of a one-letter neighbour that shows "& Co." only.
func TestPartnershipForms(t *testing.T) {
	e := newEngine(t, newDir(t, []matcher.Company{
		{ID: "mehta", Name: "Mehta & Co. Private Limited"},
		{ID: "mehra", Name: "Mehra & Co."},
		{ID: "smith", Name: "Smith & Co. Ltd"},
		{ID: "smyth", Name: "Smyth & Co"},
	}, nil))
	for q, want := range map[string]string{"Mehta & Co.": "mehta", "Smith & Co": "smith"} {
		assertTopName(t, e, q, want, matcher.LevelExact)
		res, err := e.MatchCompany(t.Context(), matcher.CompanyQuery{Name: q})
		require.NoError(t, err)
		assert.Equal(t, matcher.LevelExact, fieldLevel(t, res.Candidates[0], matcher.FieldLegalForm), q)
	}
}

// TestFormWithConnective checks that a name with a Mexican form ("S.A.B.
// de C.V.") meets the name written without it exactly.
func TestFormWithConnective(t *testing.T) {
	e := newEngine(t, newDir(t, []matcher.Company{
		{ID: "bimbo", Name: "Grupo Bimbo, S.A.B. de C.V."},
		{ID: "bimbos", Name: "Grupo Bimbos"},
	}, nil))
	assertTopName(t, e, "Grupo Bimbo", "bimbo", matcher.LevelExact)
	assertTopName(t, e, "GRUPO BIMBO SAB DE CV", "bimbo", matcher.LevelExact)
}

// TestStatusQualifiers checks that a record whose name carries its status
// ("(in liquidation)", "- DO NOT USE", as registers and CRMs write it)
// meets the company's name exactly.
func TestStatusQualifiers(t *testing.T) {
	e := newEngine(t, newDir(t, []matcher.Company{
		{ID: "harlow", Name: "Harlow Fabrications Ltd"},
		{ID: "harrow", Name: "Harrow Fabrications Ltd"},
	}, nil))
	for _, q := range []string{"Harlow Fabrications Ltd (in liquidation)", "Harlow Fabrications Ltd - DO NOT USE", "DUPLICATE - Harlow Fabrications Ltd"} {
		assertTopName(t, e, q, "harlow", matcher.LevelExact)
	}
}
