package quality

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/internal/synth"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

// The accuracy test's size. The floors hold for the default; a larger
// directory is harder (more near-duplicates): measure it with, e.g.,
// go test -run TestAccuracy -v ./matcher/internal/quality -accuracy.entities=1000000
// and read the logged figures (floors are checked at the default size only).
var (
	accuracyEntities = flag.Int("accuracy.entities", 20000, "companies and members in the accuracy test's directory")
	accuracyQueries  = flag.Int("accuracy.queries", 2000, "queries of each kind in the accuracy test")
)

// accuracy accumulates the figures of one kind of query.
type accuracy struct {
	present, absent int
	at1, at10       int
	matches         int // decision == match
	correctMatches  int // ... on the true entity
	absentMatches   int // decision == match on an absent query
	presentMatches  int // decision == match on the true entity of a present query
	ambiguous, none int
	missByNoise     map[string]int // present queries missed at rank 1, by noise tag
	noiseCount      map[string]int
}

func (a *accuracy) add(truth string, noise []string, res matcher.Result) {
	if a.missByNoise == nil {
		a.missByNoise, a.noiseCount = map[string]int{}, map[string]int{}
	}
	for _, n := range noise {
		a.noiseCount[n]++
	}
	if truth == "" {
		a.absent++
	} else {
		a.present++
		rank := slices.IndexFunc(res.Candidates, func(c matcher.Candidate) bool { return c.Entity.ID == truth })
		if rank == 0 {
			a.at1++
		} else {
			for _, n := range noise {
				a.missByNoise[n]++
			}
		}
		if rank >= 0 && rank < 10 {
			a.at10++
		}
	}
	switch res.Decision {
	case matcher.Match:
		a.matches++
		switch {
		case truth == "":
			a.absentMatches++
		case res.Best != nil && res.Best.Entity.ID == truth:
			a.correctMatches++
			a.presentMatches++
		}
	case matcher.Ambiguous:
		a.ambiguous++
	default:
		a.none++
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func (a *accuracy) recall1() float64        { return ratio(a.at1, a.present) }
func (a *accuracy) recall10() float64       { return ratio(a.at10, a.present) }
func (a *accuracy) precision() float64      { return ratio(a.correctMatches, a.matches) }
func (a *accuracy) falseMatchRate() float64 { return ratio(a.absentMatches, a.absent) }
func (a *accuracy) matchCoverage() float64  { return ratio(a.presentMatches, a.present) }
func (a *accuracy) summary(kind string) string {
	return fmt.Sprintf("%s: present=%d absent=%d recall@1=%.4f recall@10=%.4f precision(match)=%.4f "+
		"false-match(absent)=%.4f auto-matched(present)=%.4f ambiguous=%d none=%d",
		kind, a.present, a.absent, a.recall1(), a.recall10(), a.precision(), a.falseMatchRate(),
		a.matchCoverage(), a.ambiguous, a.none)
}

// worstNoise lists the noise tags with the highest miss rate at rank 1.
func (a *accuracy) worstNoise(n int) string {
	tags := slices.Collect(maps.Keys(a.missByNoise))
	rate := func(t string) float64 { return ratio(a.missByNoise[t], a.noiseCount[t]) }
	slices.SortFunc(tags, func(x, y string) int { return cmp.Or(cmp.Compare(rate(y), rate(x)), strings.Compare(x, y)) })
	var b strings.Builder
	for _, t := range tags[:min(n, len(tags))] {
		fmt.Fprintf(&b, " %s=%.2f(%d/%d)", t, rate(t), a.missByNoise[t], a.noiseCount[t])
	}
	return b.String()
}

// accuracyFloor is what the engine must keep: just below what it measured
// when the floors were set (see the test log for the current figures).
// DESIGN.md targets recall@10 >= 0.99, recall@1 >= 0.95 and precision of
// decision=match >= 0.99; where a floor is below a target, the engine misses
// that target on this data.
type accuracyFloor struct {
	recall1, recall10, precision float64
	falseMatch                   float64 // ceiling
}

// worldDir returns a memdir holding the companies and members of w, sized for entities of
// each.
func worldDir(t *testing.T, w *synth.World, entities int) *memdir.Dir {
	t.Helper()
	dir := memdir.New(memdir.WithCapacity(2 * entities))
	for _, c := range w.Companies() {
		require.NoError(t, dir.AddCompany(matcher.Company{ID: c.ID, Name: c.Name, Industry: c.Industry,
			Location: c.Location, Website: c.Website}))
	}
	for _, m := range w.Members() {
		h, _ := matcher.HashEmail(m.Email)
		require.NoError(t, dir.AddMember(matcher.Member{ID: m.ID, FirstName: m.FirstName, LastName: m.LastName,
			Company: m.Company, Title: m.Title, Location: m.Location, EmailHash: h}))
	}
	return dir
}

// TestAccuracy measures the engine over memdir on corrupted CRM-style queries
// from internal/synth, with 10% of queries for entities absent from the
// directory, and fails when a figure falls below its floor.
func TestAccuracy(t *testing.T) {
	entities, queries := *accuracyEntities, *accuracyQueries
	small := raceEnabled || testing.Short()
	if small {
		entities, queries = min(entities, 5000), min(queries, 500)
	}
	w := synth.New(synth.Options{Seed: 20260101, Companies: entities, Members: entities})
	dir := worldDir(t, w, entities)
	eng, err := matcher.New(dir, matcher.WithLimit(10))
	require.NoError(t, err)
	qo := synth.QueryOptions{Seed: 77, AbsentRate: 0.1}

	t.Run("companies", func(t *testing.T) {
		qs := w.CompanyQueries(queries, qo)
		seq := func(yield func(matcher.CompanyQuery) bool) {
			for _, q := range qs {
				if !yield(matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website}) {
					return
				}
			}
		}
		a := collect(t, eng.MatchCompanies(t.Context(), seq), len(qs), func(i int) (string, []string) { return qs[i].TruthID, qs[i].Noise })
		t.Log(a.summary("companies"))
		t.Log("companies: worst noise (miss rate at rank 1):", a.worstNoise(8))
		// Measured 2026-11-21 after internal/synth gained brand-only names
		// ("name:brand") and the Prefix M was measured: recall@1 0.9579,
		// recall@10 0.9779, precision 0.9993, false match 0 (before the
		// brand queries 0.9635, 0.9812, 0.9993, 0; the floors keep the
		// margins they had then).
		check(t, a, small, accuracyFloor{recall1: 0.95, recall10: 0.972, precision: 0.995, falseMatch: 0.01})
	})
	t.Run("members", func(t *testing.T) {
		qs := w.MemberQueries(queries, qo)
		seq := func(yield func(matcher.MemberQuery) bool) {
			for _, q := range qs {
				if !yield(matcher.MemberQuery{FirstName: q.FirstName, LastName: q.LastName, Company: q.Company,
					Title: q.Title, Email: q.Email, Location: q.Location}) {
					return
				}
			}
		}
		a := collect(t, eng.MatchMembers(t.Context(), seq), len(qs), func(i int) (string, []string) { return qs[i].TruthID, qs[i].Noise })
		t.Log(a.summary("members"))
		t.Log("members: worst noise (miss rate at rank 1):", a.worstNoise(8))
		check(t, a, small, accuracyFloor{recall1: 0.978, recall10: 0.992, precision: 0.992, falseMatch: 0.03})
	})
}

// collect scores the batch results against the truth of query i, and
// requires one result per query of the n queries.
func collect(t *testing.T, results iter.Seq2[matcher.Result, error], n int, truth func(int) (string, []string)) *accuracy {
	t.Helper()
	a := &accuracy{}
	i := 0
	for res, err := range results {
		if err != nil && !errors.Is(err, matcher.ErrEmptyQuery) {
			require.NoError(t, err, "query %d", i)
		}
		require.Less(t, i, n, "more results than queries")
		id, noise := truth(i)
		a.add(id, noise, res)
		i++
	}
	require.Equal(t, n, i, "results for %d queries", n)
	return a
}

// check fails the test when a figure is worse than its floor. The small
// world (under -race or -short) measures fewer queries: its floors get a
// margin for the sampling noise.
func check(t *testing.T, a *accuracy, small bool, f accuracyFloor) {
	t.Helper()
	if *accuracyEntities != 20000 || *accuracyQueries != 2000 {
		t.Log("non-default size: floors not checked")
		return
	}
	if small {
		f.recall1 -= 0.03
		f.recall10 -= 0.02
		f.precision -= 0.02
		f.falseMatch += 0.04
	}
	assert.GreaterOrEqual(t, a.recall1(), f.recall1, "recall@1 regressed")
	assert.GreaterOrEqual(t, a.recall10(), f.recall10, "recall@10 regressed")
	assert.GreaterOrEqual(t, a.precision(), f.precision, "precision of decision=match regressed")
	assert.LessOrEqual(t, a.falseMatchRate(), f.falseMatch, "false-match rate on absent queries regressed")
}
