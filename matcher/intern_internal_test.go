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
	// Titles alike share their features; other titles, and members without
	// one, keep theirs.
	t1 := in.Share(NewMemberEntity(Member{ID: "f", FirstName: "Fa", LastName: "Ko", Title: "Senior Software Engineer"}))
	t2 := in.Share(NewMemberEntity(Member{ID: "g", FirstName: "Gi", LastName: "Lo", Title: "senior  software engineer"}))
	t3 := in.Share(NewMemberEntity(Member{ID: "h", FirstName: "Ha", LastName: "Mo", Title: "Software Engineer"}))
	require.NotEmpty(t, t1.m.title.tokens)
	assert.Same(t, &t1.m.title.tokens[0], &t2.m.title.tokens[0], "one title written two ways")
	assert.Equal(t, t1.m.title, t2.m.title)
	assert.NotEqual(t, t1.m.title, t3.m.title)
	assert.Empty(t, none.m.title.norm)
	// Shared or not, the keys are those of the member alone.
	assert.Equal(t, NewMemberEntity(Member{ID: "b", FirstName: "Bo", LastName: "Ng", Company: "ACME Corporation"}).Keys(nil), b.Keys(nil))
}

// TestMemberMemo checks that scoring members with the per-query employer
// and title memo gives the field scores scoring without it does: for
// members sharing their employer's and title's features (the memo's hits),
// members with their own copies, more employers and titles than the memo
// holds, and queries that follow one another on one memo (reset between
// them).
func TestMemberMemo(t *testing.T) {
	w := DefaultWeights()
	employers := []string{"Acme Corp", "ACME Corporation", "Acme", "Acme Labs", "Globex", "Globex Intl", "Initech",
		"Intech", "Umbrella Corp", "Umbrela", "", "Siemens", "Siemens Mobility", "Hooli", "Hooli XYZ"}
	titles := []string{"CEO", "Chief Executive Officer", "Software Engineer", "software engineer", "", "Sales Manager",
		"Senior Sales Manager", "Engineer"}
	var in Interner
	var cands []*memberData
	for i := range 120 {
		emp := employers[i%len(employers)]
		if i >= len(employers)*4 {
			emp = fmt.Sprintf("Company %d", i) // beyond the memo's size
		}
		title := titles[i%len(titles)]
		if i >= len(titles)*6 {
			title = fmt.Sprintf("Engineer %d", i) // beyond the memo's size
		}
		m := Member{ID: fmt.Sprint(i), FirstName: "Ann", LastName: "Lee", Company: emp, Title: title, Location: "Paris"}
		e := NewMemberEntity(m)
		if i%3 != 0 {
			e = in.Share(e) // else a copy of its own
		}
		cands = append(cands, e.m)
	}
	var memo memberMemo
	for i, qe := range append(employers, "Acme Corp", "Initech Systems", "Company 70") {
		var q Query
		title := titles[i%len(titles)]
		if !q.prepareMember(MemberQuery{FirstName: "Anne", LastName: "Lee", Company: qe, Title: title, Location: "Paris, FR"}) {
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
		if q.title.norm != "" {
			assert.Positive(t, memo.nt, "the memo holds the titles met")
		}
	}
}
