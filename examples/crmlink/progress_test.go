package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/override"
)

// The terminal view cannot be reached through the built binary without a pseudo-terminal, so
// it is driven here in process: a bar per object, with the total when it is known.
func TestProgressBarOnTerminal(t *testing.T) {
	var b bytes.Buffer
	p := newProgressView(&b, map[override.Object]int{override.Account: 4}, time.Second)
	p.terminal = true
	p.report(crmlink.Progress{Object: override.Account, Stats: crmlink.ObjectStats{Read: 2}, Elapsed: time.Second})
	p.report(crmlink.Progress{Object: override.Account, Stats: crmlink.ObjectStats{Read: 4}, Elapsed: 2 * time.Second})
	p.report(crmlink.Progress{Object: override.Contact, Stats: crmlink.ObjectStats{Read: 3}, Elapsed: time.Second})
	p.done()
	out := b.String()
	assert.Contains(t, out, "accounts")
	assert.Contains(t, out, "4/4")
	assert.Contains(t, out, "contacts")
	assert.Contains(t, out, "accounts      2 records/s, 0s left")
	assert.Contains(t, out, "contacts      3 records/s")
	assert.NotContains(t, out, "contacts      3 records/s,", "no time left without a total")
	assert.False(t, strings.Contains(out, "level=INFO"), "no log lines on a terminal")
}

func TestProgressLogLines(t *testing.T) {
	var b bytes.Buffer
	p := newProgressView(&b, map[override.Object]int{override.Account: 10}, time.Hour)
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
		assert.Contains(t, lines[1], "total=10 left=2s")
		assert.Contains(t, lines[2], "object=lead read=1")
		assert.NotContains(t, lines[2], "total=")
	}
}

// TestProgressBarThroughTerminal runs the built command under script(1), which gives it a
// pseudo-terminal: the bars replace the log lines.
func TestProgressBarThroughTerminal(t *testing.T) {
	script, err := exec.LookPath("script")
	if err != nil {
		t.Skip("script(1) from util-linux is not installed: the terminal view is tested in process only")
	}
	out := filepath.Join(t.TempDir(), "out.txt")
	cmdline := fmt.Sprintf("%s sync -crm csv:%s -org %s -store memory -companies %s -members %s > %s",
		bin, crmDir, org, companies, members, out)
	cmd := exec.CommandContext(t.Context(), script, "-qec", cmdline, "/dev/null")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "TERM=xterm"}
	term, err := cmd.Output()
	require.NoError(t, err, "%s", term)
	s := string(term)
	assert.Contains(t, s, "accounts")
	assert.Contains(t, s, "(4/4)")
	assert.Contains(t, s, "records/s, 0s left")
	assert.NotContains(t, s, "level=INFO")
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Contains(t, string(b), "total: read=10 linked=7")
}
