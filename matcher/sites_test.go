package matcher_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
)

// The sites of one chain share their name: the address tells them apart,
// however the query writes it.
func TestChainSites(t *testing.T) {
	e := newEngine(t, newDir(t, []matcher.Company{
		{ID: "springfield", Name: "Walgreens", Location: "1200 N Main St, Springfield, IL 62702"},
		{ID: "freehold", Name: "Walgreens", Location: "3001 Route 9, Freehold, NJ 07728"},
		{ID: "suite-12", Name: "Walgreens", Location: "500 Ridge Road Suite 12, Wethersfield, CT 06109"},
		{ID: "suite-14", Name: "Walgreens", Location: "500 Ridge Road Suite 14, Wethersfield, CT 06109"},
		{ID: "box", Name: "Kaiser Permanente", Location: "PO Box 1234, Oakland, CA 94612"},
		{ID: "street", Name: "Kaiser Permanente", Location: "1950 Franklin St, Oakland, CA 94612"},
	}, nil))
	for _, tc := range []struct {
		name, query, location, want string
	}{
		{"numbered route written another way", "Walgreens", "3001 US Highway 9, Freehold Township, New Jersey 07728", "freehold"},
		{"suite abbreviated", "Walgreens", "500 Ridge Rd Ste 14, Wethersfield CT", "suite-14"},
		{"suite as a number sign", "Walgreens", "500 Ridge Rd., #12, Wethersfield, Connecticut 06109", "suite-12"},
		{"post-office box", "Kaiser Permanente", "P.O. Box 1234, Oakland CA 94612", "box"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := e.MatchCompany(t.Context(), matcher.CompanyQuery{Name: tc.query, Location: tc.location})
			require.NoError(t, err)
			require.GreaterOrEqual(t, len(res.Candidates), 2)
			assert.Equal(t, tc.want, res.Candidates[0].Entity.ID)
			assert.Greater(t, res.Candidates[0].Score, 2*res.Candidates[1].Score, "the site's address outweighs its sisters'")
		})
	}
}
