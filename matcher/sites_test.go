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

// Site lists abbreviate the common words of institutions' names and of
// places ("St", "Mt", "Med Ctr", "Hosp", "Ft. Worth").
func TestAbbreviatedSiteNames(t *testing.T) {
	e := newEngine(t, newDir(t, []matcher.Company{
		{ID: "sinai-miami", Name: "Mount Sinai Medical Center", Location: "4300 Alton Rd, Miami Beach, FL 33140"},
		{ID: "sinai-ny", Name: "Mount Sinai Hospital", Location: "1 Gustave L Levy Pl, New York, NY 10029"},
		{ID: "marys", Name: "Saint Mary's Regional Medical Center", Location: "235 W 6th St, Reno, NV 89503"},
		{ID: "fortworth", Name: "Fort Worth Community Health Center", Location: "100 Main St, Fort Worth, TX 76102"},
		{ID: "pizza", Name: "Mary's Pizza", Location: "12 Peachtree St, Atlanta, GA 30303"},
	}, nil))
	for _, tc := range []struct{ name, location, want string }{
		{"Mt. Sinai Med Ctr", "4300 Alton Road, Miami Beach FL", "sinai-miami"},
		{"St Marys Regional Med Ctr", "235 West Sixth Street, Reno, NV 89503", "marys"},
		{"Ft Worth Cmty Hlth Ctr", "100 Main Street, Ft. Worth, TX", "fortworth"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := e.MatchCompany(t.Context(), matcher.CompanyQuery{Name: tc.name, Location: tc.location})
			require.NoError(t, err)
			require.NotEmpty(t, res.Candidates)
			assert.Equal(t, tc.want, res.Candidates[0].Entity.ID)
			assert.Equal(t, matcher.Match, res.Decision)
		})
	}
}
