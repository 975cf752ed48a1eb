package memdir

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
)

// TestVocabularyOfKinds checks that WithVocabulary given a kind keeps the
// words of that kind's entities only, and looks words up for its queries
// only: the company found through its name with two typos, the member's
// words (names, employer) not kept.
func TestVocabularyOfKinds(t *testing.T) {
	d := New(WithVocabulary(matcher.KindCompany))
	require.True(t, d.vocabFor(matcher.KindCompany))
	require.False(t, d.vocabFor(matcher.KindMember))
	c := matcher.Company{ID: "c1", Name: "Halvorsen"}
	m := matcher.Member{ID: "m1", FirstName: "Ingrid", LastName: "Halvorsen", Company: "Northwind Traders"}
	require.NoError(t, d.AddCompany(c))
	require.NoError(t, d.AddMember(m))
	for _, term := range matcher.NewCompanyEntity(c).Terms(nil) {
		v := d.vocabs[term.Class()]
		require.NotNil(t, v, "company term %q", term.Text)
		_, ok := v.lookup(term.Text)
		assert.True(t, ok, "company term %q kept", term.Text)
	}
	mterms := matcher.NewMemberEntity(m).Terms(nil)
	require.NotEmpty(t, mterms)
	for _, term := range mterms {
		if v := d.vocabs[term.Class()]; v != nil {
			_, ok := v.lookup(term.Text)
			assert.False(t, ok, "member term %q not kept", term.Text)
		}
	}
	q, err := matcher.NewCompanyQuery(matcher.CompanyQuery{Name: "Hlavorsne"})
	require.NoError(t, err)
	es, err := d.Candidates(t.Context(), q, 5, nil)
	require.NoError(t, err)
	require.Len(t, es, 1)
	assert.Equal(t, "c1", es[0].Ref.ID)

	all := New(WithVocabulary())
	assert.True(t, all.vocabFor(matcher.KindCompany) && all.vocabFor(matcher.KindMember), "no kind given: all kinds")
	assert.False(t, New().vocabFor(matcher.KindCompany), "no vocabulary")
}
