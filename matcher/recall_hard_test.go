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

// TestCompanyRecallHardQueries checks that queries with an acronym of a
// name that began with "The", an abbreviation normalize leaves alone, two
// typos in the first word, or one typo that Jaro-Winkler rejects, find their
// company at rank 1 among many look-alikes.
func TestCompanyRecallHardQueries(t *testing.T) {
	d := memdir.New()
	add := func(id, name string) {
		require.NoError(t, d.AddCompany(matcher.Company{ID: id, Name: name}))
	}
	add("leus", "The Leus Holdings SE")
	add("kelby", "Kelby Consulting Co.")
	add("axmaics", "Axmaics")
	add("kokavita", "Kokavita")
	add("golden", "Golden Consulting Inc.")
	add("amber", "Amber Crest Ltd")
	// Look-alikes: the same first word, other acronyms, near spellings.
	for i, w := range []string{"Marketing", "Capital", "Partners", "Logistics", "Software", "Foods",
		"Media", "Energy", "Systems", "Labs", "Ventures", "Retail", "Dynamics", "Health", "Travel",
		"Studios", "Finance", "Robotics", "Networks", "Textiles", "Analytics", "Group", "Trading",
		"Motors", "Solar", "Insurance", "Pharma", "Security", "Estates", "Brands", "Designs", "Works"} {
		add(fmt.Sprintf("g%d", i), "Golden "+w)
		add(fmt.Sprintf("a%d", i), "Amber "+w)
		add(fmt.Sprintf("k%d", i), "Kelby "+w)
		add(fmt.Sprintf("t%d", i), fmt.Sprintf("T%c%c %s", 'A'+i%26, 'A'+(i+7)%26, w))
		add(fmt.Sprintf("x%d", i), fmt.Sprintf("Axma%c%cs", 'a'+i%26, 'a'+(i+3)%26))
	}
	eng, err := matcher.New(d)
	require.NoError(t, err)
	tests := []struct{ query, want string }{
		{"TLH SE", "leus"},                   // acronym with the "The"
		{"Kelby Cnslt", "kelby"},             // abbreviation
		{"Axmauccs", "axmaics"},              // two typos in the first word
		{"Kokavktta", "kokavita"},            // two typos in the first word
		{"Golden Clnsulting Inc.", "golden"}, // one typo, Jaro-Winkler 0.87
		{"Amber Vrest Ltd", "amber"},         // one typo at the start of a word
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res, err := eng.MatchCompany(t.Context(), matcher.CompanyQuery{Name: tt.query})
			require.NoError(t, err)
			require.NotNil(t, res.Best)
			ids := make([]string, len(res.Candidates))
			for i, c := range res.Candidates {
				ids[i] = c.Entity.ID
			}
			assert.Equal(t, tt.want, res.Best.Entity.ID, "ranked: %v", ids)
			assert.True(t, slices.Contains(ids, tt.want))
		})
	}
}
