package matcher_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

// TestIndustrySets checks that industries given as several codes or labels
// are compared as sets: one shared value agrees, none disagrees.
func TestIndustrySets(t *testing.T) {
	dir := memdir.New()
	for _, c := range []matcher.Company{
		{ID: "c1", Name: "Norvale Systems", Industry: "Software Development; IT Services and IT Consulting"},
		{ID: "c2", Name: "Quillfeather Analytics", Industry: "5112, 5415"},
		{ID: "c3", Name: "Brightwater Holdings", Industry: "Technology, Information and Internet"},
		{ID: "c4", Name: "Tamsin Freight", Industry: "Truck Transportation"},
		{ID: "c5", Name: "Software Development Partners", Industry: "Software Development"},
		{ID: "c6", Name: "IT Services and IT Consulting Partners", Industry: "IT Services and IT Consulting"},
		{ID: "c7", Name: "Code Holdings", Industry: "511210"},
	} {
		require.NoError(t, dir.AddCompany(c))
	}
	eng, err := matcher.New(dir)
	require.NoError(t, err)
	tests := []struct {
		name, company, industry, want string // want: exact, disagree or "" (not compared)
	}{
		{"one label of two", "Norvale Systems", "IT Services and IT Consulting", matcher.LevelExact},
		{"two labels, other order", "Norvale Systems", "IT Services and IT Consulting | Software Development", matcher.LevelExact},
		{"no shared label", "Norvale Systems", "Truck Transportation", matcher.LevelDisagree},
		{"one code of two", "Quillfeather Analytics", "5415", matcher.LevelExact},
		{"code and its parent", "Quillfeather Analytics", "541511", matcher.LevelExact},
		{"other code", "Quillfeather Analytics", "3312", matcher.LevelDisagree},
		{"a label with a comma stays whole", "Brightwater Holdings", "Technology, Information and Internet", matcher.LevelExact},
		{"a label with a comma is not its words", "Brightwater Holdings", "Information", ""},
		{"single labels", "Tamsin Freight", "Software Development", matcher.LevelDisagree},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := eng.MatchCompany(t.Context(), matcher.CompanyQuery{Name: tc.company, Industry: tc.industry})
			require.NoError(t, err)
			require.NotNil(t, res.Best)
			got := ""
			for _, f := range res.Best.Fields {
				if f.Field == matcher.FieldIndustry {
					got = f.Level
				}
			}
			assert.Equal(t, tc.want, got, "industry level of MatchCompany(%q, %q)", tc.company, tc.industry)
		})
	}
}
