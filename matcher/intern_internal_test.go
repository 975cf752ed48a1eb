package matcher

import (
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
