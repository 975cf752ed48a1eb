package memdir_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/internal/synth"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

type quality struct {
	n, present, absent    int
	at1, at10             int
	matches, correctMatch int
	absentMatch           int
	ambiguous, none       int
}

func (q quality) log(t *testing.T, name string) {
	t.Logf("%s: n=%d recall@1=%.4f recall@10=%.4f precision(match)=%.4f match-rate=%.4f false-match(absent)=%.4f ambiguous=%d none=%d",
		name, q.n, float64(q.at1)/float64(q.present), float64(q.at10)/float64(q.present),
		float64(q.correctMatch)/float64(max(q.matches, 1)), float64(q.matches)/float64(q.n),
		float64(q.absentMatch)/float64(max(q.absent, 1)), q.ambiguous, q.none)
}

func (q quality) rate(a, b int) float64 { return float64(a) / float64(max(b, 1)) }

func (q *quality) add(t *testing.T, truth string, res matcher.Result, err error, show func()) {
	if !errors.Is(err, matcher.ErrEmptyQuery) {
		require.NoError(t, err)
	}
	q.n++
	if truth == "" {
		q.absent++
	} else {
		q.present++
		for i, c := range res.Candidates {
			if c.Entity.ID == truth {
				if i == 0 {
					q.at1++
				}
				q.at10++
			}
		}
	}
	switch res.Decision {
	case matcher.Match:
		q.matches++
		if res.Best.Entity.ID == truth {
			q.correctMatch++
		} else if show != nil {
			show()
		}
		if truth == "" {
			q.absentMatch++
		}
	case matcher.Ambiguous:
		q.ambiguous++
	default:
		q.none++
	}
}

func synthDir(t testing.TB, w *synth.World) *memdir.Dir {
	d := memdir.New()
	for _, c := range w.Companies() {
		require.NoError(t, d.AddCompany(matcher.Company(c)))
	}
	for _, m := range w.Members() {
		h, _ := matcher.HashEmail(m.Email)
		require.NoError(t, d.AddMember(matcher.Member{ID: m.ID, FirstName: m.FirstName, LastName: m.LastName,
			Company: m.Company, Title: m.Title, Location: m.Location, EmailHash: h}))
	}
	return d
}

func TestSynthQuality(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	w := synth.New(synth.Options{Seed: 7, Companies: 20000, Members: 20000})
	d := synthDir(t, w)
	eng, err := matcher.New(d)
	require.NoError(t, err)
	ctx := context.Background()
	var cq quality
	shown := 0
	for _, q := range w.CompanyQueries(2000, synth.QueryOptions{Seed: 1, AbsentRate: 0.1}) {
		res, err := eng.MatchCompany(ctx, matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website})
		cq.add(t, q.TruthID, res, err, func() {
			if shown < 10 && testing.Verbose() {
				shown++
				t.Logf("false match: q=%+v best=%+v", q, res.Candidates[:min(2, len(res.Candidates))])
			}
		})
	}
	cq.log(t, "company")
	// Regression floors, a little under the figures measured when the
	// defaults were set (the official accuracy test is matcher's).
	assert.GreaterOrEqual(t, cq.rate(cq.at10, cq.present), 0.96, "company recall@10")
	assert.GreaterOrEqual(t, cq.rate(cq.at1, cq.present), 0.92, "company recall@1")
	assert.GreaterOrEqual(t, cq.rate(cq.correctMatch, cq.matches), 0.99, "company precision of match")
	var mq quality
	for _, q := range w.MemberQueries(2000, synth.QueryOptions{Seed: 1, AbsentRate: 0.1}) {
		res, err := eng.MatchMember(ctx, matcher.MemberQuery{FirstName: q.FirstName, LastName: q.LastName,
			Company: q.Company, Title: q.Title, Email: q.Email, Location: q.Location})
		mq.add(t, q.TruthID, res, err, func() {
			if shown < 20 && testing.Verbose() {
				shown++
				t.Logf("false match: q=%+v best=%+v", q, res.Candidates[:min(2, len(res.Candidates))])
			}
		})
	}
	mq.log(t, "member")
	assert.GreaterOrEqual(t, mq.rate(mq.at10, mq.present), 0.96, "member recall@10")
	assert.GreaterOrEqual(t, mq.rate(mq.at1, mq.present), 0.92, "member recall@1")
	assert.GreaterOrEqual(t, mq.rate(mq.correctMatch, mq.matches), 0.99, "member precision of match")
	assert.LessOrEqual(t, mq.rate(mq.absentMatch, mq.absent), 0.05, "member false matches on absent entities")
}
