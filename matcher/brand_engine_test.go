package matcher_test

import (
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
