package matcher

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sharesKey reports whether the lookup keys of query name q meet the index
// keys of entity name e.
func sharesKey(t *testing.T, q, e string) bool {
	t.Helper()
	cq, err := NewCompanyQuery(CompanyQuery{Name: q})
	require.NoError(t, err)
	ent := NewCompanyEntity(Company{ID: "e", Name: e})
	eks := ent.Keys(nil)
	for _, k := range cq.Keys() {
		if slices.Contains(eks, k) {
			return true
		}
	}
	return false
}

func TestCandidateKeysBrands(t *testing.T) {
	tests := []struct {
		name, q, e string
		want       bool
	}{
		// A joined spelling longer than the deletion keys' limit meets its
		// split spelling, both ways.
		{"split query", "Price Waterhouse Coopers", "PricewaterhouseCoopers International Limited", true},
		{"joined query", "PricewaterhouseCoopers", "Price Waterhouse Coopers", true},
		// A one-word brand meets a legal name that starts with it.
		{"brand prefix", "Pepsi", "PepsiCo, Inc.", true},
		{"brand prefix 2", "Total", "TotalEnergies SE", true},
		// Acronyms with a legal word's initial.
		{"acronym with company", "TSMC", "Taiwan Semiconductor Manufacturing Company Limited", true},
		{"acronym with limited", "CATL", "Contemporary Amperex Technology Co., Limited", true},
		// Unrelated names do not meet.
		{"unrelated", "Pepsi", "Coca-Cola Company", false},
		{"short brand", "Pep", "PepsiCo, Inc.", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, sharesKey(t, tt.q, tt.e))
		})
	}
}

func TestPrefixLevel(t *testing.T) {
	w := DefaultWeights()
	tests := []struct {
		name, q, e string
		want       string
	}{
		{"first word", "Exxon", "Exxon Mobil Corporation", LevelPrefix},
		{"later word", "Bosch", "Robert Bosch GmbH", LevelPrefix},
		{"short word", "KPN", "Koninklijke KPN N.V.", LevelPrefix},
		{"one letter", "K", "K Line Holdings", LevelDisagree},
		{"start of joined name", "Total", "TotalEnergies SE", LevelPrefix},
		{"high stays high", "Pepsi", "PepsiCo, Inc.", LevelHigh},
		{"exact stays exact", "Pepsico", "PepsiCo, Inc.", LevelExact},
		// A name held within the other's words, either way: the
		// directory's "3Com" within a query's "3Com Europe" (term
		// frequencies and the fit decide how much it says).
		{"longer query", "Siemens Mobility", "Siemens AG", LevelPrefix},
		{"words of the query", "3Com Europe", "3Com", LevelPrefix},
		// Most of the longer name unexplained: a partial agreement.
		{"most words unexplained", "Tri Kion Systems", "Kion Inc.", LevelPartial},
		// Words of scope ("USA", "Europe", "Group") are added and
		// dropped: they are not unexplained, and a name of nothing
		// else is within no name.
		{"words of scope added", "Tri Kion USA", "Kion Inc.", LevelPrefix},
		{"a name of words of scope", "Gifion USA", "USA Corporation", LevelDisagree},
		{"words of scope only in common", "Zenith Global Holdings", "Global Holdings Ltd", LevelMedium},
		{"a typo beside words of scope", "Retaiium Worldwide", "Retatiium", LevelPrefix},
		{"a typo, words of scope on both sides", "LibertyGrove Enregy UK", "LibertyGrove Energy Group", LevelPrefix},
		{"words of scope do not excuse another word", "Retaim Labs Worldwide", "Retaiim", LevelMedium},
		// A long word with a typo is within the other as the word is
		// ("Siemens Mobility" of "Siemens AG").
		{"a long word with a typo and another word", "Retaiium Labs Worldwide", "Retatiium", LevelPrefix},
		{"two letters", "Caholm UK", "UK", LevelDisagree},
		{"two letters that start the other name", "BT Research", "BT", LevelPrefix},
		{"two letters of scope that start the other name", "UK Vaslan Holdings", "UK", LevelDisagree},
		{"only a word that names nothing", "Brown & Walwerwell", "And", LevelDisagree},
		{"a branch in brackets", "Lespinasse (New York City)", "Lespinasse", LevelPrefix},
		{"words that name nothing", "AGH University of Science and Technology", "AGH University", LevelPrefix},
		{"words unexplained, not in brackets", "Lespinasse New York City", "Lespinasse", LevelPartial},
		// A name that gives its other name in closing brackets, or
		// begins with it, the brackets left open when a field was cut.
		{"the other name in brackets", "China Internet Network Information Center (CNNIC)", "CNNIC", LevelPrefix},
		{"the other name in brackets left open", "China Academy of Telecommunication Research (CATR", "CATR", LevelPrefix},
		{"the directory's other name in brackets", "CNNIC", "China Internet Network Information Center (CNNIC)", LevelPrefix},
		{"the long name in brackets left open", "ETRI (Electronics and Telecommunications Research Institute", "ETRI", LevelPrefix},
		{"brackets that are not the other name", "China Internet Network Information Center (Beijing Office)", "CNNIC", LevelDisagree},
		{"a word of scope in brackets", "Zenith Tarvos (Group)", "Group Ltd", LevelDisagree},
		{"a branch of the shorter name", "Ritz-Carlton Dining Room (San Francisco)", "Ritz-Carlton Restaurant and Dining Room", LevelPrefix},
		{"a branch of the shorter name, words that are not the longer's", "Zenith Tarvos (Hamburg)", "Zenith Marvel Logistics", LevelDisagree},
		{"words of the directory", "Thermo Fisher", "Thermo Fisher Scientific Inc.", LevelPrefix},
		{"two words of the directory's written as one", "ChinaUnicom Labs", "China Unicom", LevelPrefix},
		{"joined, as many more words", "AlcatelLucent Bell Labs", "Alcatel-Lucent", LevelPrefix},
		{"joined in a closing qualifier", "Velocix (AlcatelLucent)", "Alcatel-Lucent", LevelPrefix},
		{"joined, among more words", "AlcatelLucent Bell Labs Shanghai Research", "Alcatel-Lucent", LevelPartial},
		{"the directory's word written as two", "Clear Haven Logistics", "ClearHaven", LevelPrefix},
		// A short word one edit from the other's only agreeing word is
		// as often another name.
		{"a short word with a typo alone", "Madame Chings", "Chins", LevelDisagree},
		{"a short word with a typo beside words of no name", "CESNET z.s.p.o.", "CERNET", LevelMedium},
		{"the query cut short", "Jet Propulsion Laboratory California Institute of Technol", "California Institute of Technology", LevelPrefix},
		{"a word cut short that does not end its name", "Calif Institute of Technology Labs", "California Institute", LevelDisagree},
		{"same words in another order", "AIST Japan", "Japan AIST", LevelHigh},
		{"a word missing", "Orange Business Services", "Orange Telecom", LevelDisagree},
		{"too short", "Ibm", "Ibmx Systems", LevelMedium},
		{"not a prefix", "Citibank", "Citigroup Inc.", LevelDisagree},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, c := newCompanyFeat(tt.q), newCompanyFeat(tt.e)
			s := scorer{w: &w}
			fs := s.companyName(FieldName, &w.CompanyName, &q, &c, 0, nil, nil)
			assert.Equal(t, tt.want, fs.Level)
			if tt.want == LevelPrefix {
				assert.InDelta(t, w.CompanyName.Prefix.Weight(), fs.Contribution, 1e-12)
			}
		})
	}
	t.Run("capped at High unless fitted above it", func(t *testing.T) {
		w := DefaultWeights()
		q, c := newCompanyFeat("Zentrix Europe"), newCompanyFeat("Zentrix")
		s := scorer{w: &w}
		// One company of a million holds "zentrix": term frequencies
		// alone would lift the level ten bits, the cap holds it at High.
		counts := prefixCounts{universe: 1e6, singleton: 1, nTok: 2}
		counts.tokN[0], counts.tokN[1] = 1, 50
		fs := s.companyName(FieldName, &w.CompanyName, &q, &c, 0, nil, &counts)
		assert.Equal(t, LevelPrefix, fs.Level)
		assert.InDelta(t, w.CompanyName.High.Weight(), fs.Contribution, 1e-12)
		// A batch of name variants teaches that a name within the
		// other is the rule: the level then says more than High.
		w.CompanyName.Prefix = Level{M: 0.57, U: 4e-5}
		w.CompanyName.High = Level{M: 0.16, U: 7e-5}
		fs = s.companyName(FieldName, &w.CompanyName, &q, &c, 0, nil, &counts)
		assert.Equal(t, LevelPrefix, fs.Level)
		assert.InDelta(t, w.CompanyName.Prefix.Weight(), fs.Contribution, 1e-12)
		assert.Greater(t, fs.Contribution, w.CompanyName.High.Weight())
	})
	t.Run("a partial agreement says no more than a name within the other", func(t *testing.T) {
		// Fitted to name variants, Partial can show a tiny chance
		// agreement (random pairs never reach it) and outweigh Prefix.
		w := DefaultWeights()
		w.CompanyName.Prefix = Level{M: 0.52, U: 6.6e-5}
		w.CompanyName.High = Level{M: 0.14, U: 6.3e-5}
		w.CompanyName.Partial = Level{M: 0.19, U: 2e-7}
		s := scorer{w: &w}
		q := newCompanyFeat("Alcatel Lucent Bell Labs France")
		bell, al := newCompanyFeat("Bell"), newCompanyFeat("Alcatel-Lucent")
		counts := prefixCounts{universe: 535, singleton: 0.0056, nTok: 5}
		for i := range 5 {
			counts.tokN[i] = 1
		}
		fb := s.companyName(FieldName, &w.CompanyName, &q, &bell, 0, nil, &counts)
		fa := s.companyName(FieldName, &w.CompanyName, &q, &al, 0, nil, &counts)
		assert.Equal(t, LevelPartial, fb.Level)
		assert.Equal(t, LevelPrefix, fa.Level)
		// True pairs show Partial less often than Prefix: it says less.
		assert.Less(t, fb.Contribution, fa.Contribution)
	})
	t.Run("a typo of a known word left out", func(t *testing.T) {
		w := DefaultWeights()
		q, c := newCompanyFeat("Titaio Vapitall"), newCompanyFeat("Titaio SA")
		s := scorer{w: &w}
		counts := prefixCounts{universe: 1e6, singleton: 1, nTok: 2}
		counts.tokN[0], counts.tokN[1] = 3, 2
		fs := s.companyName(FieldName, &w.CompanyName, &q, &c, 0, nil, &counts)
		assert.Equal(t, LevelPrefix, fs.Level, "a word the directory does not know is the query's own")
		// No name holds "vapitall", some hold a word one edit from it:
		// the query names a longer name than "Titaio".
		counts.typos = 1 << 1
		fs = s.companyName(FieldName, &w.CompanyName, &q, &c, 0, nil, &counts)
		assert.NotEqual(t, LevelPrefix, fs.Level)
		// The directory's name is the longer one: nothing is left out.
		fs = s.companyName(FieldName, &w.CompanyName, &c, &q, 0, nil, &prefixCounts{universe: 1e6, singleton: 1, nTok: 1, typos: 1})
		assert.Equal(t, LevelPrefix, fs.Level)
	})
	t.Run("unused without weights", func(t *testing.T) {
		w := DefaultWeights()
		w.CompanyName.Prefix = Level{}
		q, c := newCompanyFeat("Exxon"), newCompanyFeat("Exxon Mobil Corporation")
		s := scorer{w: &w}
		fs := s.companyName(FieldName, &w.CompanyName, &q, &c, 0, nil, nil)
		assert.NotEqual(t, LevelPrefix, fs.Level)
	})
}

func TestAcronymVariants(t *testing.T) {
	tests := []struct {
		q, e string
		want bool
	}{
		{"TSMC", "Taiwan Semiconductor Manufacturing Company Limited", true},
		{"TSM", "Taiwan Semiconductor Manufacturing Company Limited", true},
		{"CATL", "Contemporary Amperex Technology Co., Limited", true},
		{"J&J", "Johnson & Johnson", true},
		{"J & J", "Johnson and Johnson", true},
		{"J&K", "Johnson & Johnson", false},
		{"TSMX", "Taiwan Semiconductor Manufacturing Company Limited", false},
		// A two-word name gets no legal-form variants (too common).
		{"ABL", "Acme Bakers Ltd", false},
		{"AB", "Acme Bakers Ltd", true},
	}
	for _, tt := range tests {
		t.Run(tt.q+"/"+tt.e, func(t *testing.T) {
			q, c := newCompanyFeat(tt.q), newCompanyFeat(tt.e)
			assert.Equal(t, tt.want, isAcronym(&q, &c))
		})
	}
}

func TestEstimatePrefix(t *testing.T) {
	// EstimateM sets the Prefix M from labelled pairs at that level, and
	// EstimateU its U from random pairs.
	def := DefaultWeights()
	var pairs []LabeledPair
	for _, p := range [][2]string{
		{"Exxon", "Exxon Mobil Corporation"}, {"Bosch", "Robert Bosch GmbH"},
		{"Acme Labs", "Acme Labs"}, {"Zeta", "Zeta"},
	} {
		pairs = append(pairs, LabeledPair{
			Company: CompanyQuery{Name: p[0]},
			Entity:  NewCompanyEntity(Company{ID: p[1], Name: p[1]}),
		})
	}
	got, err := EstimateM(t.Context(), def, pairs)
	require.NoError(t, err)
	// 2 of 4 pairs at the prefix level, add-one smoothing over 8 levels
	// (Partial and SpelledOut among them).
	assert.InDelta(t, 3.0/12, got.CompanyName.Prefix.M, 1e-12)
	assert.InDelta(t, 3.0/12, got.CompanyName.Exact.M, 1e-12)
	assert.InDelta(t, 1.0/12, got.CompanyName.Partial.M, 1e-12)

	var ents []Entity
	for _, n := range []string{"Exxon", "Exxon Mobil", "Bosch", "Robert Bosch"} {
		ents = append(ents, NewCompanyEntity(Company{ID: n, Name: n}))
	}
	u, err := EstimateU(t.Context(), def, ents, 2000, 1)
	require.NoError(t, err)
	// Two in six ordered pairs of distinct entities are at the prefix
	// level ("exxon" against "exxon mobil" and the reverse, "bosch"
	// against "robert bosch" and the reverse).
	assert.InDelta(t, 2.0/6, u.CompanyName.Prefix.U, 0.05)
}

func TestWithoutScope(t *testing.T) {
	for _, name := range []string{"Retaiium USA", "Global Retaiium Labs", "Acme Group Europe Labs",
		"Acme Europe Labs Group", "Gifion", "USA Group", "Zenith Global Holdings", "UK Acme Worldwide Services", "USA Acme Services", "USA Acme International Services"} {
		f := newCompanyFeat(name)
		var want []string
		var forms uint16
		for i, tok := range f.tokens {
			if f.scope&(1<<i) == 0 {
				if f.forms&(1<<i) != 0 {
					forms |= 1 << len(want)
				}
				want = append(want, tok)
			}
		}
		got, ok := withoutScope(&f, nil)
		assert.Equal(t, f.scope != 0, ok, name)
		assert.Equal(t, want, append([]string(nil), got.tokens...), name)
		assert.Equal(t, strings.Join(want, ""), got.joined, name)
		assert.Equal(t, forms, got.forms, name)
	}
}
