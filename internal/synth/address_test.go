package synth_test

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/internal/synth"
)

// TestAddresses checks that Options.Addresses changes locations only, gives
// most entities a numbered street address, and that queries hold varied
// copies of it.
func TestAddresses(t *testing.T) {
	o := synth.Options{Seed: 9, Companies: 400, Members: 400}
	plain := synth.New(o)
	o.Addresses = true
	addr := synth.New(o)
	again := synth.New(o)
	require.Equal(t, addr.Members(), again.Members(), "same options, same world")

	digits := regexp.MustCompile(`\d`)
	numbered := 0
	for i, c := range addr.Companies() {
		p := plain.Companies()[i]
		assert.Equal(t, p.Name, c.Name)
		assert.Equal(t, p.Website, c.Website)
		if digits.MatchString(c.Location) {
			numbered++
		}
	}
	for i, m := range addr.Members() {
		p := plain.Members()[i]
		assert.Equal(t, []string{p.FirstName, p.LastName, p.Email, p.Title}, []string{m.FirstName, m.LastName, m.Email, m.Title})
		assert.Equal(t, p.Location == "", m.Location == "", "member %s: a missing location stays missing", m.ID)
		if digits.MatchString(m.Location) {
			numbered++
		}
	}
	assert.Greater(t, numbered, 700, "entities with a numbered street address")

	qo := synth.QueryOptions{Seed: 4, AbsentRate: 0.1}
	pq, aq := plain.MemberQueries(500, qo), addr.MemberQueries(500, qo)
	tags := map[string]int{}
	for i := range aq {
		assert.Equal(t, pq[i].FirstName, aq[i].FirstName, "query %d: names are those of the plain world", i)
		assert.Equal(t, pq[i].TruthID, aq[i].TruthID)
		for _, n := range aq[i].Noise {
			tags[n]++
		}
	}
	for _, tag := range []string{"address:street_typo", "address:postcode_missing", "address:stale"} {
		assert.Positive(t, tags[tag], "no member query with %s", tag)
	}
	cq := addr.CompanyQueries(300, qo)
	withStreet := 0
	for _, q := range cq {
		if digits.MatchString(q.Location) {
			withStreet++
		}
	}
	assert.Greater(t, withStreet, 60, "company queries holding a street address")
}
