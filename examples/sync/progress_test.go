package main

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/internal/syncbuf"
	"github.com/crmlink/crmlink/override"
)

// fakeClock is a clock the test moves.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func report(obj override.Object, read int, elapsed time.Duration) crmlink.Progress {
	return crmlink.Progress{Object: obj, Stats: crmlink.ObjectStats{Read: read, Matched: read / 2, Written: read / 2},
		Batches: read / 100, Elapsed: elapsed}
}

func TestProgressTerminal(t *testing.T) {
	var out syncbuf.Buffer
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	p := newProgress(&out, true, time.Hour)
	p.mu.Lock()
	p.now = clock.now
	p.mu.Unlock()
	p.setTotals(map[override.Object]int{override.Account: 1000, override.Contact: 3000})
	p.setPhase("loading directory")
	clock.add(3 * time.Second)
	p.setPhase("syncing")
	clock.add(2 * time.Second)
	p.report(report(override.Account, 1000, 2*time.Second)) // 500/s; 3,000 left: 6s
	clock.add(2 * time.Second)
	p.report(report(override.Contact, 1000, time.Second)) // 2,000 in 4s: 500/s, 2,000 left: 4s
	p.finish()
	s := out.String()
	frames := strings.Split(s, "\r\033[K")
	assert.Equal(t, "", frames[0], "every frame rewrites the line")
	assert.Equal(t, "loading directory... 0s", frames[1])
	assert.Contains(t, frames, "accounts 1000/1000  contacts 0/3000  leads 0/0 | 500/s | 6s left")
	assert.Equal(t, "accounts 1000/1000  contacts 1000/3000  leads 0/0 | 500/s | 4s left\n", frames[len(frames)-1],
		"the last frame, closed by a line break")
	assert.Equal(t, 1, strings.Count(s, "\n"), "one line on the terminal")

	// Without totals: the rate, and why there is no time left.
	out = syncbuf.Buffer{}
	p = newProgress(&out, true, time.Hour)
	p.setNoTotals("filtered")
	p.report(report(override.Lead, 10, time.Second))
	p.finish()
	assert.Regexp(t, `leads 10 \| \d+/s \| time left unknown \(filtered\)\n$`, out.String())
}

func TestProgressLog(t *testing.T) {
	var out syncbuf.Buffer
	p := newProgress(&out, false, 20*time.Millisecond)
	p.setPhase("loading directory")
	require.Eventually(t, func() bool { return strings.Count(out.String(), "\n") >= 2 }, 5*time.Second, 5*time.Millisecond,
		"a heartbeat every 20ms while nothing is reported")
	assert.Contains(t, out.String(), `msg="sync progress" phase="loading directory" elapsed=`)

	p.setTotals(map[override.Object]int{override.Account: 200, override.Contact: 100})
	p.setPhase("syncing")
	p.report(report(override.Account, 100, time.Second))
	p.report(report(override.Account, 200, time.Second))
	p.report(report(override.Contact, 100, time.Second))
	p.finish()
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var final []string
	for _, l := range lines {
		require.Contains(t, l, `msg="sync progress"`)
		if strings.Contains(l, "phase=syncing") {
			final = append(final, l)
		}
	}
	// Each object's final counts are logged when the run moves past it; timer lines may come too.
	assert.Contains(t, strings.Join(final, "\n"), "object=account read=200 total=200 matched=100 written=100 batches=2 per_second=")
	assert.Contains(t, final[len(final)-1], "object=contact read=100 total=100 matched=50 written=50 batches=1 per_second=")
	assert.Contains(t, final[len(final)-1], "left=0s")
	n := len(lines)
	time.Sleep(60 * time.Millisecond)
	assert.Len(t, strings.Split(strings.TrimSpace(out.String()), "\n"), n, "nothing after finish")
	p.finish() // a second call does nothing
}
