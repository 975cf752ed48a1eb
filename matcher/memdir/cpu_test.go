package memdir_test

import (
	"context"
	"os"
	"runtime"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/crmlink/crmlink/internal/synth"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
	"github.com/stretchr/testify/require"
)

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestCPUPerQuery reports CPU time per query (robust to a loaded machine).
// CRMLINK_CPU=100000 sets the directory size.
func TestCPUPerQuery(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("CRMLINK_CPU"))
	if n == 0 {
		t.Skip("set CRMLINK_CPU=<companies>")
	}
	nm, _ := strconv.Atoi(os.Getenv("CRMLINK_CPU_MEMBERS"))
	if nm == 0 {
		nm = n
	}
	w := synth.New(synth.Options{Seed: 5, Companies: n, Members: nm})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	budget, _ := strconv.Atoi(os.Getenv("CRMLINK_BUDGET"))
	d := memdir.New(memdir.WithCapacity(n), memdir.WithPostingBudget(max(budget, 1)))
	if budget == 0 {
		d = memdir.New(memdir.WithCapacity(n))
	}
	cs := make([]matcher.Company, 0, n)
	for _, c := range w.Companies() {
		cs = append(cs, matcher.Company(c))
	}
	c0, t0 := cpuTime(), time.Now()
	require.NoError(t, d.AddCompanies(context.Background(), slices.Values(cs)))
	c1, t1 := cpuTime(), time.Now()
	runtime.GC()
	runtime.ReadMemStats(&after)
	t.Logf("build %d companies: cpu %v wall %v heap %d MiB", n, c1-c0, t1.Sub(t0), (after.HeapAlloc-before.HeapAlloc)>>20)
	for _, m := range w.Members() {
		h, _ := matcher.HashEmail(m.Email)
		require.NoError(t, d.AddMember(matcher.Member{ID: m.ID, FirstName: m.FirstName, LastName: m.LastName,
			Company: m.Company, Title: m.Title, Location: m.Location, EmailHash: h}))
	}
	t.Logf("build %d members: cpu %v", n, cpuTime()-c1)
	cl, _ := strconv.Atoi(os.Getenv("CRMLINK_CANDS"))
	eng, err := matcher.New(d, matcher.WithCandidateLimit(max(cl, 10)))
	if cl == 0 {
		eng, err = matcher.New(d)
	}
	require.NoError(t, err)
	ctx := context.Background()
	cqs := w.CompanyQueries(3000, synth.QueryOptions{Seed: 2, AbsentRate: 0.1})
	var q1 quality
	lat := make([]time.Duration, 0, len(cqs))
	c0 = cpuTime()
	for _, q := range cqs {
		s := time.Now()
		res, err := eng.MatchCompany(ctx, matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website})
		lat = append(lat, time.Since(s))
		q1.add(t, q.TruthID, res, err, nil)
	}
	slices.Sort(lat)
	t.Logf("company query cpu: %v/query; wall p50 %v p90 %v p99 %v", (cpuTime()-c0)/time.Duration(len(cqs)),
		lat[len(lat)/2], lat[len(lat)*9/10], lat[len(lat)*99/100])
	q1.log(t, "company")
	mqs := w.MemberQueries(3000, synth.QueryOptions{Seed: 2, AbsentRate: 0.1})
	var q2 quality
	c0 = cpuTime()
	for _, q := range mqs {
		res, err := eng.MatchMember(ctx, matcher.MemberQuery{FirstName: q.FirstName, LastName: q.LastName,
			Company: q.Company, Title: q.Title, Email: q.Email, Location: q.Location})
		q2.add(t, q.TruthID, res, err, nil)
	}
	t.Logf("member query cpu: %v/query", (cpuTime()-c0)/time.Duration(len(mqs)))
	q2.log(t, "member")
}
