package memdir_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/crmlink/crmlink/internal/synth"
	"github.com/crmlink/crmlink/matcher"
	"github.com/stretchr/testify/require"
)

// TestCalibrate prints the level distribution of true pairs (m) and of the
// other candidates (a blocked u) on synth. Run with CRMLINK_CALIBRATE=1.
func TestCalibrate(t *testing.T) {
	if os.Getenv("CRMLINK_CALIBRATE") == "" {
		t.Skip("set CRMLINK_CALIBRATE=1")
	}
	w := synth.New(synth.Options{Seed: 11, Companies: 20000, Members: 20000})
	d := synthDir(t, w)
	eng, err := matcher.New(d, matcher.WithLimit(40))
	require.NoError(t, err)
	ctx := context.Background()
	m := map[string]map[string]int{}
	u := map[string]map[string]int{}
	nm, nu := 0, 0
	tally := func(res matcher.Result, truth string) {
		for _, c := range res.Candidates {
			tab := u
			if c.Entity.ID == truth {
				tab = m
				nm++
			} else {
				nu++
			}
			for _, f := range c.Fields {
				if tab[f.Field] == nil {
					tab[f.Field] = map[string]int{}
				}
				tab[f.Field][f.Level]++
			}
		}
	}
	for _, q := range w.CompanyQueries(3000, synth.QueryOptions{Seed: 3}) {
		res, _ := eng.MatchCompany(ctx, matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website})
		tally(res, q.TruthID)
	}
	for _, q := range w.MemberQueries(3000, synth.QueryOptions{Seed: 3}) {
		res, _ := eng.MatchMember(ctx, matcher.MemberQuery{FirstName: q.FirstName, LastName: q.LastName,
			Company: q.Company, Title: q.Title, Email: q.Email, Location: q.Location})
		tally(res, q.TruthID)
	}
	print := func(name string, tab map[string]map[string]int, n int) {
		fields := make([]string, 0, len(tab))
		for f := range tab {
			fields = append(fields, f)
		}
		slices.Sort(fields)
		for _, f := range fields {
			s, tot := "", 0
			for _, c := range tab[f] {
				tot += c
			}
			for l, c := range tab[f] {
				s += fmt.Sprintf(" %s=%.4f", l, float64(c)/float64(tot))
			}
			s += fmt.Sprintf(" (n=%d)", tot)
			t.Logf("%s %s:%s", name, f, s)
		}
	}
	print("m", m, nm/2)
	print("u", u, nu/2)
}

func TestEstimateUPrint(t *testing.T) {
	if os.Getenv("CRMLINK_CALIBRATE") == "" {
		t.Skip("set CRMLINK_CALIBRATE=1")
	}
	w := synth.New(synth.Options{Seed: 11, Companies: 20000, Members: 20000})
	var ents []matcher.Entity
	for _, c := range w.Companies()[:5000] {
		ents = append(ents, matcher.NewCompanyEntity(matcher.Company(c)))
	}
	for _, m := range w.Members()[:5000] {
		h, _ := matcher.HashEmail(m.Email)
		ents = append(ents, matcher.NewMemberEntity(matcher.Member{ID: m.ID, FirstName: m.FirstName, LastName: m.LastName,
			Company: m.Company, Title: m.Title, Location: m.Location, EmailHash: h}))
	}
	wt, err := matcher.EstimateU(context.Background(), matcher.DefaultWeights(), ents, 200000, 1)
	require.NoError(t, err)
	t.Logf("%+v", wt)
}

func TestThresholdSweep(t *testing.T) {
	if os.Getenv("CRMLINK_CALIBRATE") == "" {
		t.Skip("set CRMLINK_CALIBRATE=1")
	}
	w := synth.New(synth.Options{Seed: 13, Companies: 20000, Members: 20000})
	d := synthDir(t, w)
	eng, err := matcher.New(d)
	require.NoError(t, err)
	ctx := context.Background()
	type obs struct {
		best, second float64
		correct      bool
	}
	var cobs, mobs []obs
	rec := func(res matcher.Result, truth string) obs {
		o := obs{}
		if len(res.Candidates) > 0 {
			o.best = res.Candidates[0].Score
			o.correct = res.Candidates[0].Entity.ID == truth
		}
		if len(res.Candidates) > 1 {
			o.second = res.Candidates[1].Score
		}
		return o
	}
	for _, q := range w.CompanyQueries(3000, synth.QueryOptions{Seed: 4, AbsentRate: 0.1}) {
		res, _ := eng.MatchCompany(ctx, matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website})
		cobs = append(cobs, rec(res, q.TruthID))
	}
	for _, q := range w.MemberQueries(3000, synth.QueryOptions{Seed: 4, AbsentRate: 0.1}) {
		res, _ := eng.MatchMember(ctx, matcher.MemberQuery{FirstName: q.FirstName, LastName: q.LastName,
			Company: q.Company, Title: q.Title, Email: q.Email, Location: q.Location})
		mobs = append(mobs, rec(res, q.TruthID))
	}
	for _, th := range []float64{0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95} {
		for _, mg := range []float64{0, 0.1, 0.2} {
			line := fmt.Sprintf("match>=%.2f margin>=%.1f:", th, mg)
			for _, set := range [][]obs{cobs, mobs} {
				m, ok := 0, 0
				for _, o := range set {
					if o.best >= th && o.best-o.second >= mg {
						m++
						if o.correct {
							ok++
						}
					}
				}
				line += fmt.Sprintf("  precision=%.4f rate=%.3f", float64(ok)/float64(max(m, 1)), float64(m)/float64(len(set)))
			}
			t.Log(line)
		}
	}
}
