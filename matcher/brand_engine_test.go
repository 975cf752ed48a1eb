package matcher_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

// TestBrandsEndToEnd runs brand, joined-name and acronym queries through
// the engine over memdir, among look-alikes: each finds its company first.
func TestBrandsEndToEnd(t *testing.T) {
	dir := memdir.New()
	for _, c := range []matcher.Company{
		{ID: "pwc", Name: "PricewaterhouseCoopers International Limited"},
		{ID: "price", Name: "Price Chopper Supermarkets"},
		{ID: "pepsico", Name: "PepsiCo, Inc."},
		{ID: "pepper", Name: "Pepper Construction Group"},
		{ID: "exxon", Name: "Exxon Mobil Corporation"},
		{ID: "exon", Name: "Exon Partners Ltd"},
		{ID: "total", Name: "TotalEnergies SE"},
		{ID: "tonal", Name: "Tonal Energy Inc"},
		{ID: "tsmc", Name: "Taiwan Semiconductor Manufacturing Company Limited"},
		{ID: "tsm", Name: "Tri State Motors"},
		{ID: "jnj", Name: "Johnson & Johnson"},
		{ID: "jk", Name: "J & K Holdings"},
	} {
		require.NoError(t, dir.AddCompany(c))
	}
	eng, err := matcher.New(dir)
	require.NoError(t, err)
	tests := []struct {
		name, want, level string
	}{
		{"Price Waterhouse Coopers", "pwc", matcher.LevelHigh},
		{"Pepsi", "pepsico", matcher.LevelHigh},
		{"Exxon", "exxon", matcher.LevelPrefix},
		{"Total", "total", matcher.LevelPrefix},
		{"TSMC", "tsmc", matcher.LevelAcronym},
		{"J&J", "jnj", matcher.LevelAcronym},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := eng.MatchCompany(t.Context(), matcher.CompanyQuery{Name: tt.name})
			require.NoError(t, err)
			require.NotEmpty(t, res.Candidates)
			best := res.Candidates[0]
			assert.Equal(t, tt.want, best.Entity.ID)
			require.NotEmpty(t, best.Fields)
			assert.Equal(t, tt.level, best.Fields[0].Level)
		})
	}
}

// TestContainedNames runs queries whose names hold a directory name among
// other words, and a query that is the long form of a directory acronym:
// each finds its company first, and a contained name held by many
// companies of the directory says less than one held by a single company.
func TestContainedNames(t *testing.T) {
	dir := memdir.New()
	companies := []matcher.Company{
		{ID: "3com", Name: "3Com"},
		{ID: "agh", Name: "AGH University"},
		{ID: "apnic", Name: "APNIC"},
		{ID: "global", Name: "Global"},
		{ID: "anritsu", Name: "Anritsu Networks"},
	}
	// Many companies hold "global"; one holds "3com".
	for i := range 40 {
		companies = append(companies, matcher.Company{ID: fmt.Sprint("g", i), Name: fmt.Sprintf("Global %s Traders %d", traderWords[i%len(traderWords)], i)})
	}
	for _, c := range companies {
		require.NoError(t, dir.AddCompany(c))
	}
	eng, err := matcher.New(dir)
	require.NoError(t, err)
	match := func(name string) matcher.Candidate {
		t.Helper()
		res, err := eng.MatchCompany(t.Context(), matcher.CompanyQuery{Name: name})
		require.NoError(t, err)
		require.NotEmpty(t, res.Candidates, name)
		return res.Candidates[0]
	}
	for _, tt := range []struct{ name, want, level string }{
		{"3Com Europe", "3com", matcher.LevelPrefix},
		{"AGH University Krakow", "agh", matcher.LevelPrefix},
		{"Asia Pacific Network Information Centre", "apnic", matcher.LevelSpelledOut},
		{"Anritsu", "anritsu", matcher.LevelPrefix},
	} {
		t.Run(tt.name, func(t *testing.T) {
			best := match(tt.name)
			assert.Equal(t, tt.want, best.Entity.ID)
			require.NotEmpty(t, best.Fields)
			assert.Equal(t, tt.level, best.Fields[0].Level)
		})
	}
	rare, common := match("3Com Widgets"), match("Global Widgets")
	require.Equal(t, "3com", rare.Entity.ID)
	require.Equal(t, "global", common.Entity.ID)
	assert.Greater(t, rare.Fields[0].Contribution, common.Fields[0].Contribution+3,
		"a word 40 companies hold is weaker evidence than a word one holds")
}

var traderWords = []string{"Amber", "Birch", "Cedar", "Delta", "Ember", "Fjord", "Grove", "Harbor"}

// TestInitialsJoinedByAnd matches "AT&T" and "ATT" both ways.
func TestInitialsJoinedByAnd(t *testing.T) {
	for _, tt := range []struct{ dir, query string }{
		{"ATT", "AT&T"},
		{"AT&T Inc.", "ATT Inc"},
		{"AT&T", "AT and T"},
	} {
		t.Run(tt.dir+"/"+tt.query, func(t *testing.T) {
			dir := memdir.New()
			require.NoError(t, dir.AddCompany(matcher.Company{ID: "x", Name: tt.dir}))
			require.NoError(t, dir.AddCompany(matcher.Company{ID: "other", Name: "Atlas Tools"}))
			eng, err := matcher.New(dir)
			require.NoError(t, err)
			res, err := eng.MatchCompany(t.Context(), matcher.CompanyQuery{Name: tt.query})
			require.NoError(t, err)
			require.NotEmpty(t, res.Candidates)
			assert.Equal(t, "x", res.Candidates[0].Entity.ID)
			assert.Contains(t, []string{matcher.LevelAcronym, matcher.LevelExact}, res.Candidates[0].Fields[0].Level)
		})
	}
}

// TestWordStartsAsTypos checks that the start of a word weighs no more
// than a near spelling of the whole name, however rare it is: "Liasva" is
// "Laisva" with two letters swapped at least as likely as the start of
// "Liasvaify", and the nearer spelling comes first. The model counts a name
// held once as a very rare one, as a fit on a large directory does, so that
// the start of a word held once would otherwise outweigh the near spelling;
// a word of a name ("Zelvora" of "Zelvora Group") still does.
func TestWordStartsAsTypos(t *testing.T) {
	dir := newDir(t, []matcher.Company{
		{ID: "laisva", Name: "Laisva"},
		{ID: "liasvaify", Name: "Liasvaify Verzekeringen N.V."},
		{ID: "zelvora", Name: "Zelvora Group"},
		{ID: "zelvova", Name: "Zelvova"},
	}, nil)
	w := matcher.DefaultWeights()
	w.CompanyName.Singleton = 1e-4
	eng, err := matcher.New(dir, matcher.WithWeights(w))
	require.NoError(t, err)
	res, err := eng.MatchCompany(t.Context(), matcher.CompanyQuery{Name: "Liasva"})
	require.NoError(t, err)
	require.Len(t, res.Candidates, 2)
	assert.Equal(t, []string{"laisva", "liasvaify"}, candidateIDs(res))
	assert.Equal(t, matcher.LevelPrefix, res.Candidates[1].Fields[0].Level)
	assert.LessOrEqual(t, res.Candidates[1].Fields[0].Contribution, w.CompanyName.High.Weight())

	res, err = eng.MatchCompany(t.Context(), matcher.CompanyQuery{Name: "Zelvora"})
	require.NoError(t, err)
	require.NotEmpty(t, res.Candidates)
	assert.Equal(t, "zelvora", res.Candidates[0].Entity.ID, "%v", candidateIDs(res))
	assert.Greater(t, res.Candidates[0].Fields[0].Contribution, w.CompanyName.High.Weight())
}

// TestContainedWithATypo checks that a name within the other with one word
// misspelt ("Aberdeen University" and "Unviersity of Aberdeen", the words
// in another order besides) agrees as a name within the other does, at no
// more than a near spelling of the whole name, and so does a long name with
// a typo ("Ericsson" in "Ericssson Research"); and a long one-word name
// with a typo ("LunzrGate") is a near spelling of the whole name. A short
// word with a typo alone is TestPrefixLevel's.
func TestContainedWithATypo(t *testing.T) {
	dir := newDir(t, []matcher.Company{
		{ID: "aberdeen", Name: "Unviersity of Aberdeen"},
		{ID: "aarhus", Name: "Aarhus University"},
		{ID: "ericsson", Name: "Ericsson"},
	}, nil)
	w := matcher.DefaultWeights()
	eng, err := matcher.New(dir, matcher.WithWeights(w))
	require.NoError(t, err)
	for q, want := range map[string]string{"Aberdeen University": "aberdeen", "University of Aberdeen UK": "aberdeen", "Ericssson Research": "ericsson"} {
		res, err := eng.MatchCompany(t.Context(), matcher.CompanyQuery{Name: q})
		require.NoError(t, err)
		require.NotEmpty(t, res.Candidates, q)
		top := res.Candidates[0]
		assert.Equal(t, want, top.Entity.ID, q)
		assert.Contains(t, []string{matcher.LevelPrefix, matcher.LevelPartial}, top.Fields[0].Level, q)
		assert.Positive(t, top.Fields[0].Contribution, q)
		assert.LessOrEqual(t, top.Fields[0].Contribution, w.CompanyName.High.Weight(), q)
	}
	// A long name with a typo is a near spelling of the whole name,
	// however early the typo: it says at least as much as that word
	// with a typo within a longer name.
	lunar := newDir(t, []matcher.Company{
		{ID: "foods", Name: "LunarGate Foods Co."},
		{ID: "lunargate", Name: "LunarGate, Inc."},
	}, nil)
	leng, err := matcher.New(lunar, matcher.WithWeights(w))
	require.NoError(t, err)
	res, err := leng.MatchCompany(t.Context(), matcher.CompanyQuery{Name: "LunzrGate"})
	require.NoError(t, err)
	assert.Equal(t, []string{"lunargate", "foods"}, candidateIDs(res))
	assert.Equal(t, matcher.LevelHigh, res.Candidates[0].Fields[0].Level)
}

// TestConnectiveSecondWord finds "Leipzig University" for "University of
// Leipzig" among many names that start "University of": the first word with
// a connective tells no more than the first word, so the names sharing it do
// not crowd out the one that holds the rare word.
func TestConnectiveSecondWord(t *testing.T) {
	cs := []matcher.Company{{ID: "leipzig", Name: "Leipzig University"}}
	for i := range 60 {
		cs = append(cs, matcher.Company{ID: fmt.Sprintf("u%02d", i), Name: "University of " + madeUpName(i)})
	}
	for i := range 300 {
		cs = append(cs, matcher.Company{ID: fmt.Sprintf("o%03d", i), Name: madeUpName(1000 + i)})
	}
	e := newEngine(t, newDir(t, cs, nil))
	res, err := e.MatchCompany(t.Context(), matcher.CompanyQuery{Name: "University of Leipzig"})
	require.NoError(t, err)
	require.NotEmpty(t, res.Candidates)
	assert.Equal(t, "leipzig", res.Candidates[0].Entity.ID)
}

// TestCountryNamedCompany finds a company named after a country ("Aruba")
// for a record that adds words to its name, while a name of region and
// group words only ("Global Holdings") stays within no other name.
func TestCountryNamedCompany(t *testing.T) {
	cs := []matcher.Company{{ID: "aruba", Name: "Aruba"}, {ID: "gh", Name: "Global Holdings"}}
	for i := range 100 {
		cs = append(cs, matcher.Company{ID: fmt.Sprintf("o%03d", i), Name: madeUpName(i)})
	}
	e := newEngine(t, newDir(t, cs, nil))
	res, err := e.MatchCompany(t.Context(), matcher.CompanyQuery{Name: "Aruba Networks"})
	require.NoError(t, err)
	require.NotEmpty(t, res.Candidates)
	assert.Equal(t, "aruba", res.Candidates[0].Entity.ID)
	assert.Equal(t, matcher.LevelPrefix, res.Candidates[0].Fields[0].Level)

	res, err = e.MatchCompany(t.Context(), matcher.CompanyQuery{Name: "Zelvora Global Holdings"})
	require.NoError(t, err)
	i := slices.IndexFunc(res.Candidates, func(c matcher.Candidate) bool { return c.Entity.ID == "gh" })
	require.GreaterOrEqual(t, i, 0, "the words it shares make it a candidate")
	assert.Equal(t, matcher.LevelDisagree, res.Candidates[i].Fields[0].Level, "region and group words name no company")
}

// TestBranchCity ranks the branch a name's closing part places in the
// record's city first ("Spago (Los Angeles)" for a Spago in Los Angeles),
// whatever locality its address gives.
func TestBranchCity(t *testing.T) {
	e := newEngine(t, newDir(t, []matcher.Company{
		{ID: "lv", Name: "Spago (Las Vegas)", Location: "3500 Las Vegas Blvd S, Las Vegas"},
		{ID: "la", Name: "Spago (Los Angeles)", Location: "8795 Sunset Blvd, West Hollywood"},
	}, nil))
	res, err := e.MatchCompany(t.Context(), matcher.CompanyQuery{Name: "Spago", Location: "1114 Horn Ave, Los Angeles"})
	require.NoError(t, err)
	require.Len(t, res.Candidates, 2)
	assert.Equal(t, "la", res.Candidates[0].Entity.ID)
	assert.Greater(t, res.Candidates[0].Score, res.Candidates[1].Score)
}

// TestContainedConnectives checks that a connective does not keep a name
// from being within the other: "University of Bremen" is within
// "University Bremen TZI" and "Politecnico di Bari" (read "polytechnic of
// bari") within "Polytechnic University of Bari", while a first word that
// reads as a connective is a name's own and must be found ("DI
// Inmobiliaria" is not within "Navarro Inmobiliaria").
func TestContainedConnectives(t *testing.T) {
	dir := newDir(t, []matcher.Company{
		{ID: "bremen", Name: "University of Bremen"},
		{ID: "bari", Name: "Polytechnic University of Bari"},
		{ID: "di", Name: "DI Inmobiliaria S.L."},
	}, nil)
	eng := newEngine(t, dir)
	for q, want := range map[string]string{"University Bremen TZI": "bremen", "Politecnico di Bari": "bari"} {
		assertTopName(t, eng, q, want, matcher.LevelPrefix)
	}
	res, err := eng.MatchCompany(t.Context(), matcher.CompanyQuery{Name: "Navarro Inmobiliaria"})
	require.NoError(t, err)
	i := slices.IndexFunc(res.Candidates, func(c matcher.Candidate) bool { return c.Entity.ID == "di" })
	require.GreaterOrEqual(t, i, 0, "DI Inmobiliaria shares a word with the query")
	assert.NotContains(t, []string{matcher.LevelPrefix, matcher.LevelPartial}, fieldLevel(t, res.Candidates[i], matcher.FieldName))
}
