package matcher

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// locationScore returns the location field score of q against m.
func locationScore(t *testing.T, w *Weights, mq MemberQuery, m Member) FieldScore {
	t.Helper()
	var q Query
	require.True(t, q.prepareMember(mq))
	e := NewMemberEntity(m)
	require.True(t, e.ok())
	sc := scorer{w: w, q: &q}
	for _, f := range sc.member(nil, e.m) {
		if f.Field == FieldLocation {
			return f
		}
	}
	require.Fail(t, "no location score")
	return FieldScore{}
}

func TestColleagueLocation(t *testing.T) {
	w := DefaultWeights()
	m := Member{ID: "m1", FirstName: "Robert", LastName: "Jones", Company: "Goldman Sachs", Location: "New York, NY"}
	tests := []struct {
		name    string
		company string
		loc     string
		want    Level
	}{
		{"same employer, same city", "Goldman Sachs", "New York, NY", w.ColleagueLocation.Exact},
		{"same employer, other country", "Goldman Sachs", "Paris, France", w.ColleagueLocation.Disagree},
		{"other employer, same city", "Morgan Stanley", "New York, NY", w.MemberLocation.Exact},
		{"no employer, same city", "", "New York, NY", w.MemberLocation.Exact},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := locationScore(t, &w, MemberQuery{FirstName: "Sarah", LastName: "Jones", Company: tt.company, Location: tt.loc}, m)
			assert.InDelta(t, tt.want.Weight(), f.Contribution, 1e-9)
		})
	}
	// Colleagues sharing a city is far weaker evidence than strangers.
	assert.Less(t, w.ColleagueLocation.Exact.Weight()+3, w.MemberLocation.Exact.Weight())

	// A zero ColleagueLocation keeps MemberLocation.
	w.ColleagueLocation = FieldWeights{}
	f := locationScore(t, &w, MemberQuery{FirstName: "Sarah", LastName: "Jones", Company: "Goldman Sachs", Location: "New York, NY"}, m)
	assert.InDelta(t, w.MemberLocation.Exact.Weight(), f.Contribution, 1e-9)
}

func TestEstimateUColleagueLocation(t *testing.T) {
	cities := []string{"Berlin, Germany", "Paris, France", "Madrid, Spain", "Rome, Italy", "Oslo, Norway",
		"Lisbon, Portugal", "Vienna, Austria", "Dublin, Ireland"}
	var ents []Entity
	for i := range 64 {
		// Eight employers of eight members each, all in the employer's city.
		co := []string{"Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Wonka"}[i%8]
		ents = append(ents, NewMemberEntity(Member{ID: string(rune('a'+i%26)) + string(rune('a'+i/26)),
			FirstName: "First", LastName: "Last", Company: co, Location: cities[i%8]}))
	}
	def := DefaultWeights()
	def.ColleagueLocation = FieldWeights{}
	got, err := EstimateU(t.Context(), def, ents, 5000, 7)
	require.NoError(t, err)
	cl := got.ColleagueLocation
	assert.Greater(t, cl.Exact.U, 0.99, "colleagues all share their city")
	assert.Less(t, got.MemberLocation.Exact.U, 0.3)
	assert.Equal(t, got.MemberLocation.Exact.M, cl.Exact.M)
	assert.Equal(t, got.MemberLocation.Disagree.M, cl.Disagree.M)

	// Without colleagues, ColleagueLocation is left as it was.
	got, err = EstimateU(t.Context(), DefaultWeights(), ents[:8], 1000, 7)
	require.NoError(t, err)
	assert.Equal(t, DefaultWeights().ColleagueLocation, got.ColleagueLocation)
}
