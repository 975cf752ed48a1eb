package matcher

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestExactNotBelowHigh checks that term-frequency adjustment never makes an
// exact agreement weigh less than a near one, for rare and common values alike.
func TestExactNotBelowHigh(t *testing.T) {
	w := DefaultWeights()
	s := &scorer{w: &w}
	for _, fw := range []*FieldWeights{&w.CompanyName, &w.FirstName, &w.LastName, &w.Employer} {
		for _, u := range []float64{1e-9, 1e-6, 1e-4, 1e-2, 0.3, 1} {
			got := s.exact(fw, u)
			assert.GreaterOrEqual(t, got, fw.High.Weight(), "exact(u=%g) = %.2f, want >= high %.2f", u, got, fw.High.Weight())
			assert.LessOrEqual(t, got, fw.Exact.Weight()+w.MaxTFAdjust, "exact(u=%g) above the TF bound", u)
		}
	}
	// A rare value is worth more than the field's average, a common one less.
	assert.Greater(t, s.exact(&w.LastName, 1e-7), w.LastName.Exact.Weight())
	assert.Less(t, s.exact(&w.LastName, 0.05), w.LastName.Exact.Weight())
}
