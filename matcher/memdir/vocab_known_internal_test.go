package memdir

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
)

// TestExpandKnownWordTypos checks the vocabulary keys a query gets for the
// typos that make another word the directory holds: the words one edit
// from a rare known word ("sova" for "dova"); and, for a first word split
// in two whose halves join into a known word ("red wood"), the joining of
// that word with a word near the next ("redwoodanchor"), the rare key of
// the name meant.
func TestExpandKnownWordTypos(t *testing.T) {
	d := New(WithVocabulary())
	for _, c := range []matcher.Company{
		{ID: "t1", Name: "Dova Foods"},
		{ID: "t2", Name: "Redwood Anchor Engineering"},
		{ID: "d1", Name: "Sova Ltd"},
		{ID: "d2", Name: "Redwood Partners"},
	} {
		require.NoError(t, d.AddCompany(c))
	}
	v := d.vocabs[matcher.NewCompanyEntity(matcher.Company{ID: "x", Name: "x"}).Terms(nil)[0].Class()]
	for _, tc := range []struct{ q, want string }{
		{"Sova Foods", "dova"},
		{"Red wood Annchor Engineering", "redwoodanchor"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			k, ok := v.lookup(tc.want)
			require.True(t, ok, "vocabulary lacks %q", tc.want)
			q, err := matcher.NewCompanyQuery(matcher.CompanyQuery{Name: tc.q})
			require.NoError(t, err)
			s := d.getScratch()
			d.expandTerms(s, q)
			found := slices.ContainsFunc(s.extra, func(x extraKey) bool { return x.key == k })
			d.putScratch(s)
			require.True(t, found, "query %q does not look up %q", tc.q, tc.want)
		})
	}
}
