package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeResumeFixture writes a CSV export of nAccounts accounts, nContacts contacts and nLeads
// leads, and a directory most of them match, into dir; it returns the export folder and the
// directory CSVs.
func writeResumeFixture(t *testing.T, dir string, nAccounts, nContacts, nLeads int) (crmFolder, comps, membs string) {
	t.Helper()
	first := []string{"Ada", "Hank", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Radia", "Niklaus", "Margaret"}
	last := []string{"Lovelace", "Scorpio", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Perlman", "Wirth", "Hamilton"}
	word := []string{"Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Tyrell", "Cyberdyne", "Hooli", "Vandelay", "Soylent", "Wonka"}
	kind := []string{"Industries", "Systems", "Labs", "Holdings", "Logistics", "Foods", "Software", "Partners"}
	company := func(i int) string {
		return fmt.Sprintf("%s %s %d", word[i%len(word)], kind[i/len(word)%len(kind)], i)
	}
	person := func(i int) (string, string) {
		return first[i%len(first)], fmt.Sprintf("%s%d", last[i/len(first)%len(last)], i)
	}
	write := func(path, header string, n int, row func(i int) string) string {
		var b strings.Builder
		b.WriteString(header + "\n")
		for i := range n {
			b.WriteString(row(i) + "\n")
		}
		require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o600))
		return path
	}
	crmFolder = filepath.Join(dir, "crm")
	require.NoError(t, os.Mkdir(crmFolder, 0o700))
	const stamp = "2024-03-01T09:00:00Z"
	write(filepath.Join(crmFolder, "accounts.csv"), "id,name,industry,website,city,country,owner_id,modified_at", nAccounts, func(i int) string {
		return fmt.Sprintf("001%06d,%s,,,Lyon,France,005U1,%s", i, company(i), stamp)
	})
	write(filepath.Join(crmFolder, "contacts.csv"), "id,account_id,first_name,last_name,title,email,city,country,owner_id,modified_at", nContacts, func(i int) string {
		f, l := person(i)
		return fmt.Sprintf("003%06d,001%06d,%s,%s,Engineer,,Lyon,France,005U1,%s", i, i%nAccounts, f, l, stamp)
	})
	write(filepath.Join(crmFolder, "leads.csv"), "id,first_name,last_name,company,title,email,city,country,owner_id,modified_at", nLeads, func(i int) string {
		f, l := person(nContacts + i)
		return fmt.Sprintf("00Q%06d,%s,%s,%s,Engineer,,Lyon,France,005U1,%s", i, f, l, company((nContacts+i)%nAccounts), stamp)
	})
	comps = write(filepath.Join(dir, "companies.csv"), "id,name,industry,location,website", nAccounts, func(i int) string {
		return fmt.Sprintf("c%d,%s,,\"Lyon, France\",", i, company(i))
	})
	membs = write(filepath.Join(dir, "members.csv"), "id,first_name,last_name,company,title,location,email", nContacts+nLeads, func(i int) string {
		// Member i is contact i, or lead i-nContacts: same name, same company.
		f, l := person(i)
		return fmt.Sprintf("m%d,%s,%s,%s,Engineer,\"Lyon, France\",", i, f, l, company(i%nAccounts))
	})
	return crmFolder, comps, membs
}

// listed returns the "object/id<TAB>source<TAB>entity" of every line of a list output (the
// time is left out: it differs from run to run).
func listed(t *testing.T, out string) []string {
	t.Helper()
	var rows []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Split(line, "\t")
		require.GreaterOrEqual(t, len(f), 3, "list line %q", line)
		rows = append(rows, strings.Join(f[:3], "\t"))
	}
	slices.Sort(rows)
	return rows
}

var readRe = regexp.MustCompile(`^(accounts|contacts|leads): read=(\d+) `)

// readCounts returns the records read per object from a sync summary.
func readCounts(t *testing.T, out string) map[string]int {
	t.Helper()
	got := map[string]int{}
	for _, line := range strings.Split(out, "\n") {
		if m := readRe.FindStringSubmatch(line); m != nil {
			n, err := strconv.Atoi(m[2])
			require.NoError(t, err)
			got[m[1]] = n
		}
	}
	return got
}

// TestSyncResumeAfterKill runs the built command with -resume, kills it with SIGKILL while it
// syncs the contacts, and runs it again with -resume: the second run resumes (accounts not read
// again, contacts from the last batch written on), and the store ends with the mappings of an
// uninterrupted run into another store.
func TestSyncResumeAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("kill test: -short")
	}
	const nAccounts, nContacts, nLeads, batch = 400, 3000, 1500, 10
	dir := t.TempDir()
	crmFolder, comps, membs := writeResumeFixture(t, dir, nAccounts, nContacts, nLeads)
	args := func(store string, extra ...string) []string {
		return append([]string{"sync", "-crm", "csv:" + crmFolder, "-org", org, "-store", store, "-companies", comps,
			"-members", membs, "-fit=false", "-batch", strconv.Itoa(batch)}, extra...)
	}

	// The reference: one uninterrupted run into its own store.
	ref := "bolt:" + filepath.Join(dir, "reference.db")
	r := exe(t, args(ref, "-progress=false")...)
	r.want(t, 0)
	assert.Equal(t, map[string]int{"accounts": nAccounts, "contacts": nContacts, "leads": nLeads}, readCounts(t, r.stdout))
	r = exe(t, "list", "-org", org, "-store", ref)
	r.want(t, 0)
	want := listed(t, r.stdout)
	require.Greater(t, len(want), nContacts, "the fixture matches most records")

	// The run killed part-way through the contacts. Every batch logs a progress line; the kill
	// comes once a few contact batches are written, with thousands of records still to go.
	store := "bolt:" + filepath.Join(dir, "resumed.db")
	cmd := exec.CommandContext(t.Context(), bin, args(store, "-resume", "-log-every", "1ns")...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	contactRe := regexp.MustCompile(`object=contact read=(\d+) `)
	killedAt := -1
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if m := contactRe.FindStringSubmatch(sc.Text()); m != nil && killedAt < 0 {
			if n, _ := strconv.Atoi(m[1]); n >= 20*batch {
				require.NoError(t, cmd.Process.Kill()) // SIGKILL on Unix
				killedAt = n
			}
		}
	}
	err = cmd.Wait()
	require.GreaterOrEqual(t, killedAt, 0, "the run ended before reaching the contacts: %v", err)
	require.Error(t, err, "the run finished before the kill landed: make the fixture larger")
	require.Equal(t, -1, cmd.ProcessState.ExitCode(), "killed by a signal: %v", err)

	r = exe(t, "list", "-org", org, "-store", store)
	r.want(t, 0)
	partial := listed(t, r.stdout)
	require.Less(t, len(partial), len(want), "the killed run wrote part of the mappings")

	// The next run resumes it.
	r = exe(t, args(store, "-resume", "-progress=false")...)
	r.want(t, 0)
	assert.Contains(t, r.stdout, "resumed: true\n")
	got := readCounts(t, r.stdout)
	assert.Zero(t, got["accounts"], "the accounts were finished: not read again")
	assert.Greater(t, got["contacts"], 0)
	assert.LessOrEqual(t, got["contacts"], nContacts-killedAt, "contacts read from the last batch written on")
	assert.Equal(t, nLeads, got["leads"])
	t.Logf("killed after %d contacts read, %d of %d mappings written; the resumed run read %v", killedAt, len(partial), len(want), got)

	r = exe(t, "list", "-org", org, "-store", store)
	r.want(t, 0)
	assert.Equal(t, want, listed(t, r.stdout), "the mappings of an uninterrupted run")

	// The run after a complete one is a new one, not resumed.
	r = exe(t, args(store, "-resume", "-progress=false")...)
	r.want(t, 0)
	assert.NotContains(t, r.stdout, "resumed:")
	assert.Equal(t, map[string]int{"accounts": nAccounts, "contacts": nContacts, "leads": nLeads}, readCounts(t, r.stdout))
}
