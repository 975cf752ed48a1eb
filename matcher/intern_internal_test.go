package matcher

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestInternerShare checks that members naming one employer alike share its
// features, that names with the same core but other features do not, and
// that other entities pass through unchanged.
func TestInternerShare(t *testing.T) {
	var in Interner
	a := in.Share(NewMemberEntity(Member{ID: "a", FirstName: "Ann", LastName: "Lee", Company: "Acme Corp"}))
	b := in.Share(NewMemberEntity(Member{ID: "b", FirstName: "Bo", LastName: "Ng", Company: "ACME Corporation"}))
	c := in.Share(NewMemberEntity(Member{ID: "c", FirstName: "Cy", LastName: "Oh", Company: "Acme"}))
	require.NotNil(t, a.m.employer)
	assert.Same(t, a.m.employer, b.m.employer, "one employer, written two ways that prepare alike")
	if a.m.employer.equal(c.m.employer) {
		assert.Same(t, a.m.employer, c.m.employer)
	} else {
		assert.NotSame(t, a.m.employer, c.m.employer, "same core, other features: not shared")
	}
	other := in.Share(NewMemberEntity(Member{ID: "d", FirstName: "Di", LastName: "Wu", Company: "Globex"}))
	assert.NotSame(t, a.m.employer, other.m.employer)
	none := in.Share(NewMemberEntity(Member{ID: "e", FirstName: "Ed", LastName: "Yu"}))
	assert.Nil(t, none.m.employer, "no employer, nothing held")
	co := NewCompanyEntity(Company{ID: "x", Name: "Acme Corp"})
	assert.Equal(t, co, in.Share(co))
	// Shared or not, the keys are those of the member alone.
	assert.Equal(t, NewMemberEntity(Member{ID: "b", FirstName: "Bo", LastName: "Ng", Company: "ACME Corporation"}).Keys(nil), b.Keys(nil))
}

// TestEmployerMemo checks that scoring members with the per-query employer
// memo gives the field scores scoring without it does: for members sharing
// their employer's features (the memo's hits), members with their own copy,
// more employers than the memo holds, and queries that follow one another
// on one memo (reset between them).
func TestEmployerMemo(t *testing.T) {
	w := DefaultWeights()
	employers := []string{"Acme Corp", "ACME Corporation", "Acme", "Acme Labs", "Globex", "Globex Intl", "Initech",
		"Intech", "Umbrella Corp", "Umbrela", "", "Siemens", "Siemens Mobility", "Hooli", "Hooli XYZ"}
	var in Interner
	var cands []*memberData
	for i := range 120 {
		emp := employers[i%len(employers)]
		if i >= len(employers)*4 {
			emp = fmt.Sprintf("Company %d", i) // beyond the memo's size
		}
		m := Member{ID: fmt.Sprint(i), FirstName: "Ann", LastName: "Lee", Company: emp, Location: "Paris"}
		e := NewMemberEntity(m)
		if i%3 != 0 {
			e = in.Share(e) // else a copy of its own
		}
		cands = append(cands, e.m)
	}
	var memo employerMemo
	for _, qe := range append(employers, "Acme Corp", "Initech Systems", "Company 70") {
		var q Query
		if !q.prepareMember(MemberQuery{FirstName: "Anne", LastName: "Lee", Company: qe, Location: "Paris, FR"}) {
			t.Fatalf("query %q refused", qe)
		}
		plain := scorer{w: &w, q: &q}
		memo.reset()
		memoized := scorer{w: &w, q: &q, memo: &memo}
		for _, c := range cands {
			want := plain.member(nil, c)
			got := memoized.member(nil, c)
			require.Equal(t, want, got, "query employer %q", qe)
		}
		if !q.employer.empty() {
			assert.Positive(t, memo.n, "the memo holds the employers met")
		}
	}
}
