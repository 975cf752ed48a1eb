package matcher_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/crmlink/crmlink/matcher"
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
		{"below candidate", cands(0.19, 0.01), matcher.None},
		{"at candidate", cands(0.2), matcher.Ambiguous},
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
