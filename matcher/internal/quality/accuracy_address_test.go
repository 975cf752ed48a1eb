package quality

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/internal/synth"
	"github.com/crmlink/crmlink/matcher"
)

// TestAccuracyAddresses runs the accuracy test's world with street
// addresses (synth.Options.Addresses: CRM-style copies in other formats and
// orders, abbreviations, missing parts, typos, stale addresses) next to the
// same world with places only, in the same run: postal addresses must not
// make the engine worse than places, which a street read as a city did.
func TestAccuracyAddresses(t *testing.T) {
	entities, queries := 10000, 1000
	if raceEnabled || testing.Short() {
		entities, queries = 3000, 300
	}
	run := func(addresses bool) (co, mem *accuracy) {
		w := synth.New(synth.Options{Seed: 20260101, Companies: entities, Members: entities, Addresses: addresses})
		dir := worldDir(t, w, entities)
		eng, err := matcher.New(dir)
		require.NoError(t, err)
		qo := synth.QueryOptions{Seed: 78, AbsentRate: 0.1}
		cqs := w.CompanyQueries(queries, qo)
		cseq := func(yield func(matcher.CompanyQuery) bool) {
			for _, q := range cqs {
				if !yield(matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website}) {
					return
				}
			}
		}
		co = collect(t, eng.MatchCompanies(t.Context(), cseq), len(cqs), func(i int) (string, []string) { return cqs[i].TruthID, cqs[i].Noise })
		mqs := w.MemberQueries(queries, qo)
		mseq := func(yield func(matcher.MemberQuery) bool) {
			for _, q := range mqs {
				if !yield(matcher.MemberQuery{FirstName: q.FirstName, LastName: q.LastName, Company: q.Company,
					Title: q.Title, Email: q.Email, Location: q.Location}) {
					return
				}
			}
		}
		mem = collect(t, eng.MatchMembers(t.Context(), mseq), len(mqs), func(i int) (string, []string) { return mqs[i].TruthID, mqs[i].Noise })
		return co, mem
	}
	placeCo, placeMem := run(false)
	addrCo, addrMem := run(true)
	for _, r := range []struct {
		kind        string
		place, addr *accuracy
	}{{"companies", placeCo, addrCo}, {"members", placeMem, addrMem}} {
		t.Log("places:    " + r.place.summary(r.kind))
		t.Log("addresses: " + r.addr.summary(r.kind))
		t.Log(r.kind+": worst noise with addresses:", r.addr.worstNoise(8))
		// Sampling noise of the smaller run: one query in a hundred.
		const tol = 0.01
		assert.GreaterOrEqual(t, r.addr.recall1(), r.place.recall1()-tol, "%s: recall@1 with addresses below places", r.kind)
		assert.GreaterOrEqual(t, r.addr.recall10(), r.place.recall10()-tol, "%s: recall@10 with addresses below places", r.kind)
		assert.GreaterOrEqual(t, r.addr.precision(), r.place.precision()-tol, "%s: precision with addresses below places", r.kind)
		assert.LessOrEqual(t, r.addr.falseMatchRate(), r.place.falseMatchRate()+2*tol, "%s: false matches with addresses above places", r.kind)
		assert.GreaterOrEqual(t, r.addr.matchCoverage(), r.place.matchCoverage()-tol, "%s: fewer matches with addresses than places", r.kind)
	}
}
