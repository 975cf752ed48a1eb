package matcher_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

// TestForeignIndustry checks that an industry label no company of the
// directory carries (a CRM picklist value) is not compared, while a label of
// the directory's vocabulary is, agreeing or not.
func TestForeignIndustry(t *testing.T) {
	dir := memdir.New()
	require.NoError(t, dir.AddCompany(matcher.Company{ID: "c1", Name: "Siemens AG", Industry: "Automation Machinery Manufacturing", Location: "München, Germany"}))
	require.NoError(t, dir.AddCompany(matcher.Company{ID: "c2", Name: "Bayer AG", Industry: "Pharmaceutical Manufacturing", Location: "Leverkusen, Germany"}))
	eng, err := matcher.New(dir)
	require.NoError(t, err)
	tests := []struct {
		industry string
		level    string // "" when industry must not be compared
	}{
		{"Healthcare", ""},
		{"Automation Machinery Manufacturing", matcher.LevelExact},
		{"Pharmaceutical Manufacturing", matcher.LevelDisagree},
	}
	for _, tt := range tests {
		t.Run(tt.industry, func(t *testing.T) {
			res, err := eng.MatchCompany(t.Context(), matcher.CompanyQuery{Name: "Siemens AG", Industry: tt.industry})
			require.NoError(t, err)
			require.NotEmpty(t, res.Candidates)
			c := res.Candidates[0]
			require.Equal(t, "c1", c.Entity.ID)
			level := ""
			for _, f := range c.Fields {
				if f.Field == matcher.FieldIndustry {
					level = f.Level
				}
			}
			assert.Equal(t, tt.level, level)
		})
	}
}
