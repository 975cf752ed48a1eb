package matcher_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

func TestThresholdsDecide(t *testing.T) {
	th := matcher.Thresholds{Match: 0.8, MinMargin: 0.1, Candidate: 0.2}
	cands := func(scores ...float64) []matcher.Candidate {
		cs := make([]matcher.Candidate, len(scores))
		for i, s := range scores {
			cs[i].Score = s
		}
		return cs
	}
	tests := []struct {
		name string
		cs   []matcher.Candidate
		want matcher.Decision
	}{
		{"no candidates", nil, matcher.None},
		{"below candidate", cands(0.15, 0.04), matcher.None},
		{"at candidate", cands(0.2), matcher.Ambiguous},
		{"at candidate together", cands(0.19, 0.01), matcher.Ambiguous},
		{"alike entities", cands(0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1), matcher.Ambiguous},
		{"at match, alone", cands(0.8), matcher.Match},
		{"match with margin", cands(0.85, 0.1), matcher.Match},
		{"match without margin", cands(0.85, 0.8), matcher.Ambiguous},
		{"margin just enough", cands(0.875, 0.75), matcher.Match},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := th.Decide(tc.cs)
			assert.Equal(t, tc.want, got, "Decide(%v) = %v, want %v", tc.cs, got, tc.want)
		})
	}
}

// TestAlikeEntitiesAmbiguous checks that a record whose name and website ten
// entities share is decided ambiguous, not none: each scores about a tenth,
// below the Candidate threshold, but the record is one of them.
func TestAlikeEntitiesAmbiguous(t *testing.T) {
	d := memdir.New()
	for i := range 10 {
		require.NoError(t, d.AddCompany(matcher.Company{ID: fmt.Sprintf("c%d", i), Name: "Northwind Traders", Website: "northwind.example"}))
	}
	eng, err := matcher.New(d)
	require.NoError(t, err)
	res, err := eng.MatchCompany(t.Context(), matcher.CompanyQuery{Name: "Northwind Traders", Website: "northwind.example"})
	require.NoError(t, err)
	require.Len(t, res.Candidates, 10)
	assert.Less(t, res.Best.Score, 0.2, "best score")
	assert.Equal(t, matcher.Ambiguous, res.Decision)
}
