package memdir_test

import (
	"context"
	"os"
	"testing"

	"github.com/crmlink/crmlink/internal/synth"
	"github.com/crmlink/crmlink/matcher"
	"github.com/stretchr/testify/require"
)

func TestDebugMisses(t *testing.T) {
	if os.Getenv("CRMLINK_CALIBRATE") == "" {
		t.Skip()
	}
	w := synth.New(synth.Options{Seed: 7, Companies: 20000, Members: 20000})
	d := synthDir(t, w)
	eng, err := matcher.New(d, matcher.WithLimit(40))
	require.NoError(t, err)
	ctx := context.Background()
	shown := 0
	for _, q := range w.CompanyQueries(2000, synth.QueryOptions{Seed: 1, AbsentRate: 0.1}) {
		if q.TruthID == "" {
			continue
		}
		res, _ := eng.MatchCompany(ctx, matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website})
		pos := -1
		for i, c := range res.Candidates {
			if c.Entity.ID == q.TruthID {
				pos = i
			}
		}
		if pos < 0 || pos >= 10 {
			var tc synth.Company
			for _, c := range w.Companies() {
				if c.ID == q.TruthID {
					tc = c
				}
			}
			if shown < 25 {
				shown++
				t.Logf("pos=%d q=%q|%q|%q|%q noise=%v truth=%q|%q|%q|%q", pos, q.Name, q.Industry, q.Location, q.Website, q.Noise, tc.Name, tc.Industry, tc.Location, tc.Website)
			}
		}
	}
	shown = 0
	for _, q := range w.MemberQueries(2000, synth.QueryOptions{Seed: 1, AbsentRate: 0.1}) {
		if q.TruthID == "" {
			continue
		}
		res, _ := eng.MatchMember(ctx, matcher.MemberQuery{FirstName: q.FirstName, LastName: q.LastName,
			Company: q.Company, Title: q.Title, Email: q.Email, Location: q.Location})
		pos := -1
		for i, c := range res.Candidates {
			if c.Entity.ID == q.TruthID {
				pos = i
			}
		}
		if pos < 0 || pos >= 10 {
			var tc synth.Member
			for _, c := range w.Members() {
				if c.ID == q.TruthID {
					tc = c
				}
			}
			if shown < 25 {
				shown++
				t.Logf("pos=%d q=%q|%q|%q|%q|%q|%q noise=%v truth=%+v", pos, q.FirstName, q.LastName, q.Company, q.Title, q.Email, q.Location, q.Noise, tc)
			}
		}
	}
}
