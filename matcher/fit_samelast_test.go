package matcher_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

// twoPoolDir is a directory of members whose first and last names come
// from one of two pools (two countries, say): within a pool, first and last
// names are independent, so two members of one surname share a first name
// twice as often as two members taken at random.
func twoPoolDir(t *testing.T) (*memdir.Dir, []matcher.MemberQuery) {
	t.Helper()
	pools := [2]struct{ first, last []string }{
		{[]string{"anna", "berta", "clara", "dora", "erika", "frieda", "greta", "hanna"},
			[]string{"ackermann", "brenner", "dietrich", "engel", "fischer", "gerber"}},
		{[]string{"ivan", "jakub", "karol", "lukas", "marek", "nikola", "oskar", "pavel"},
			[]string{"novak", "horak", "dvorak", "kral", "ruzicka", "benes"}},
	}
	dir := memdir.New()
	var qs []matcher.MemberQuery
	for i := range 4000 {
		p := pools[i%2]
		first, last := p.first[(i/2)%len(p.first)], p.last[(i/2/len(p.first))%len(p.last)]
		require.NoError(t, dir.AddMember(matcher.Member{ID: fmt.Sprintf("m%d", i), FirstName: first, LastName: last,
			Company: fmt.Sprintf("Company %d", i%97)}))
		if i%10 == 0 {
			q := matcher.MemberQuery{FirstName: first, LastName: last, Company: fmt.Sprintf("Company %d", i%97)}
			if i%20 == 0 {
				q.FirstName = first[:1] + "."
			}
			qs = append(qs, q)
		}
	}
	return dir, qs
}

// TestFitFirstNameSameLast checks the chance agreements fitting measures
// for first names: between members of one surname (twice the random
// pairs' in twoPoolDir), and for a first name given as an initial (the
// share of queries giving one times the chance that two first names start
// alike, eight letters of sixteen names per pool here).
func TestFitFirstNameSameLast(t *testing.T) {
	dir, qs := twoPoolDir(t)
	eng, err := matcher.New(dir)
	require.NoError(t, err)
	rep, err := eng.FitMembers(t.Context(), qs, nil)
	require.NoError(t, err)

	levels := map[string]matcher.FittedLevel{}
	for _, l := range rep.SameLast.Levels {
		levels[l.Level] = l
	}
	require.Contains(t, levels, matcher.LevelExact)
	exact := levels[matcher.LevelExact]
	// Random pairs: 1/16 share a first name (half are of one pool, each of
	// its names held by 1/8); pairs of one surname are of one pool: 1/8.
	assert.InDelta(t, 1.0/16, exact.Before.U, 0.01)
	assert.InDelta(t, 1.0/8, exact.After.U, 0.015)
	w := rep.Weights
	assert.Equal(t, exact.After.U, w.FirstNameSameLast.Exact)
	assert.Less(t, w.FirstNameSameLast.Disagree, w.FirstName.Disagree.U, "agreement is likelier, so disagreement less")

	// Half the queries give an initial; first letters: the pools' sixteen
	// names start with sixteen letters, so two random names start alike
	// as often as they are the same name.
	assert.InDelta(t, 0.5*(1.0/16), w.FirstInitial.U, 0.006)
	assert.InDelta(t, 2*w.FirstInitial.U, w.FirstNameSameLast.Initial, 0.01)
}
