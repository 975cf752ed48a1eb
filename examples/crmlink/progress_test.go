package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/override"
)

// The terminal view cannot be reached through the built binary without a pseudo-terminal, so
// it is driven here in process: a bar per object, with the total when it is known.
func TestProgressBarOnTerminal(t *testing.T) {
	var b bytes.Buffer
	p := newProgressView(&b, map[string]int{"accounts.csv": 4}, time.Second)
	p.terminal = true
	p.report(crmlink.Progress{Object: override.Account, Stats: crmlink.ObjectStats{Read: 2}, Elapsed: time.Second})
	p.report(crmlink.Progress{Object: override.Account, Stats: crmlink.ObjectStats{Read: 4}, Elapsed: 2 * time.Second})
	p.report(crmlink.Progress{Object: override.Contact, Stats: crmlink.ObjectStats{Read: 3}, Elapsed: time.Second})
	p.done()
	out := b.String()
	assert.Contains(t, out, "accounts")
	assert.Contains(t, out, "4/4")
	assert.Contains(t, out, "contacts")
	assert.Contains(t, out, "records/s")
	assert.False(t, strings.Contains(out, "level=INFO"), "no log lines on a terminal")
}

func TestProgressLogLines(t *testing.T) {
	var b bytes.Buffer
	p := newProgressView(&b, map[string]int{"accounts.csv": 10}, time.Hour)
	p.report(crmlink.Progress{Object: override.Account, Stats: crmlink.ObjectStats{Read: 2}, Elapsed: time.Second})
	p.report(crmlink.Progress{Object: override.Account, Stats: crmlink.ObjectStats{Read: 5}, Elapsed: 2 * time.Second})
	p.report(crmlink.Progress{Object: override.Lead, Stats: crmlink.ObjectStats{Read: 1}, Elapsed: time.Second})
	p.done()
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	// The first report, the last of accounts (held back by the interval), the last of leads.
	if assert.Len(t, lines, 3, b.String()) {
		assert.Contains(t, lines[0], "object=account read=2 per_second=2")
		assert.Contains(t, lines[0], "total=10 left=4s")
		assert.Contains(t, lines[1], "object=account read=5")
		assert.Contains(t, lines[2], "object=lead read=1")
		assert.NotContains(t, lines[2], "total=")
	}
}
