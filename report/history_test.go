package report_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/crmlink/crmlink/report"
)

func TestHistory(t *testing.T) {
	h := report.NewHistory(2)
	_, _, ok := h.Latest("00D1")
	assert.False(t, ok, "Latest of an org with no report")
	run := func(org string, n int) report.Match {
		b := report.NewMatchBuilder(org, day("2026-03-01").Add(time.Duration(n)*time.Hour))
		for range n {
			b.Add(report.Account, "001", report.Sync, 0.9)
		}
		return b.Finish(day("2026-03-02"))
	}
	h.Add(run("00D1", 1))
	h.Add(run("00D1", 2))
	h.Add(run("00D1", 3))
	h.Add(run("00D2", 5))
	latest, prev, ok := h.Latest("00D1")
	assert.True(t, ok)
	assert.Equal(t, 3, latest.Object(report.Account).Counts.Read)
	if assert.NotNil(t, prev) {
		assert.Equal(t, 2, prev.Object(report.Account).Counts.Read)
	}
	assert.Len(t, h.All("00D1"), 2, "kept per org")
	assert.Equal(t, 2, h.Purge("00D1"))
	_, _, ok = h.Latest("00D1")
	assert.False(t, ok, "Latest after Purge")
	_, prev, ok = h.Latest("00D2")
	assert.True(t, ok, "another org is untouched")
	assert.Nil(t, prev)

	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h.Add(run("00D3", i))
			h.Latest("00D3")
		}()
	}
	wg.Wait()
	assert.Len(t, h.All("00D3"), 2)
}
