package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/override"
)

const org = "00D1"

func args(storeURL string, extra ...string) []string {
	return append([]string{
		"-crm", filepath.Join("testdata", "crm"),
		"-directory-companies", filepath.Join("testdata", "companies.csv"),
		"-directory-members", filepath.Join("testdata", "members.csv"),
		"-store", storeURL, "-org", org,
	}, extra...)
}

// stored reopens the bolt store and lists its sync mappings as "object/id -> kind/id".
func stored(t *testing.T, url string) map[string]string {
	t.Helper()
	st, err := stores().Open(t.Context(), url)
	require.NoError(t, err)
	defer st.Close()
	out := map[string]string{}
	for m, err := range st.Mappings(t.Context(), org) {
		require.NoError(t, err)
		require.Equal(t, override.Sync, m.Source)
		out[string(m.Record.Object)+"/"+m.Record.ID] = m.Entity.String()
	}
	return out
}

func TestRun(t *testing.T) {
	all := map[string]string{
		"account/001A": "company/c1", "account/001B": "company/c2", "account/001C": "company/c3",
		"contact/003A": "member/m1", "contact/003B": "member/m2", "contact/003C": "member/m3",
		"lead/00QA": "member/m4",
	}
	tests := []struct {
		name  string
		extra []string
		want  map[string]string
		lines []string // expected prefixes of the output lines
	}{
		{
			name: "full", want: all,
			lines: []string{
				"accounts: read=4 invalid=0 empty=0 matched=3 ambiguous=0 none=1 written=3",
				"contacts: read=4 invalid=0 empty=0 matched=3 ambiguous=0 none=1 written=3",
				"leads: read=2 invalid=0 empty=0 matched=1 ambiguous=0 none=1 written=1",
				"started: ",
			},
		},
		{
			name: "stage", extra: []string{"-stage", "Prospecting"},
			// Initech's opportunity is closed; leads are tied to no opportunity.
			want:  map[string]string{"account/001A": "company/c1", "account/001B": "company/c2", "contact/003A": "member/m1", "contact/003B": "member/m2"},
			lines: []string{"accounts: read=2 ", "contacts: read=2 ", "leads: read=0 ", "started: "},
		},
		{
			name: "audit", extra: []string{"-audit"}, want: all,
			lines: []string{"accounts: ", "contacts: ", "leads: ", "started: ",
				"org 00D1 (enabled): 7 stored (IDs only)", "  oldest ", "  records account      3", "  records contact      3",
				"  records lead         1", "  account -> company (sync)                3", "  contact -> member (sync)                 3",
				"  lead -> member (sync)                    1"},
		},
		{
			name: "incremental", extra: []string{"-since", "2024-03-10T00:00:00Z"},
			want:  map[string]string{"account/001C": "company/c3", "contact/003C": "member/m3"},
			lines: []string{"accounts: read=2 ", "contacts: read=2 ", "leads: read=1 ", "started: "},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			url := "bolt://" + filepath.Join(t.TempDir(), "overrides.db")
			var stdout, stderr bytes.Buffer
			code := run(t.Context(), args(url, tc.extra...), &stdout, &stderr)
			require.Equal(t, 0, code, "stderr: %s", stderr.String())
			// stderr is not a terminal: progress comes as log lines with counts only, the last
			// report of every object that had records among them.
			objects := map[string]bool{}
			for _, l := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
				assert.Contains(t, l, `msg="sync progress"`)
				_, obj, _ := strings.Cut(l, "object=")
				obj, _, _ = strings.Cut(obj, " ")
				objects[obj] = true
			}
			lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
			require.Len(t, lines, len(tc.lines), stdout.String())
			for i, p := range tc.lines {
				assert.True(t, strings.HasPrefix(lines[i], p), "line %d = %q, want prefix %q", i, lines[i], p)
			}
			for i, obj := range []string{"account", "contact", "lead"} {
				read := !strings.Contains(lines[i], " read=0 ")
				assert.Equal(t, read, objects[obj], "progress of %ss: %q", obj, lines[i])
			}
			assert.Equal(t, tc.want, stored(t, url))
		})
	}
}

func TestRunErrors(t *testing.T) {
	bad := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(bad, "accounts.csv"),
		[]byte("id,name,website,modified_at\n001A,ACME Corp.,acme.com,not-a-time\n"), 0o600))
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"no flags", nil, 2, "required"},
		{"no org", []string{"-crm", "testdata/crm", "-directory-companies", "testdata/companies.csv"}, 2, "required"},
		{"bad since", args("mem:", "-since", "yesterday"), 2, "RFC 3339"},
		{"unknown flag", args("mem:", "-nope"), 2, "nope"},
		{"unknown flag before help", []string{"-nope", "-h"}, 2, "nope"},
		{"help", []string{"-h"}, 0, "-directory-companies"},
		{"long help", []string{"-help"}, 0, "-directory-members"},
		{"help after other flags", args("mem:", "-h"), 0, "-org"},
		{"missing CRM dir", append(args("mem:"), "-crm", filepath.Join(bad, "missing")), 2, "sync: -crm: csvsource: open"},
		{"missing directory file", append(args("mem:"), "-directory-members", "testdata/nope.csv"), 2, "-directory-members: open testdata/nope.csv"},
		{"unknown stage", args("mem:", "-stage", "Won Twice"), 2, "unknown opportunity stage"},
		{"bad store URL", args("ftp://x"), 2, "override: ftp URL: no driver registered"},
		{"bad CRM file", append(args("mem:"), "-crm", bad), 2, "accounts.csv:2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(t.Context(), tc.args, &stdout, &stderr)
			assert.Equal(t, tc.wantCode, code)
			assert.Contains(t, stderr.String(), tc.wantErr)
			assert.Empty(t, stdout.String())
			for _, v := range []string{"ACME", "Lovelace", "ada.lovelace", "Globex"} {
				assert.NotContains(t, stderr.String(), v, "stderr holds record data")
			}
		})
	}
}

// TestRunIncrementalResume runs the command twice with -incremental on one bolt store: the
// first run reads everything, the second only what changed since (nothing), and keeps every
// mapping; an interrupted run is resumed by the next -resume run.
func TestRunIncrementalResume(t *testing.T) {
	url := "bolt://" + filepath.Join(t.TempDir(), "overrides.db")
	runOnce := func(ctx context.Context, extra ...string) (int, string) {
		var stdout, stderr bytes.Buffer
		code := run(ctx, args(url, append(extra, "-progress=false")...), &stdout, &stderr)
		return code, stdout.String()
	}
	code, out := runOnce(t.Context(), "-incremental")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "accounts: read=4 ")
	assert.NotContains(t, out, "resumed")
	full := stored(t, url)
	require.Len(t, full, 7)

	code, out = runOnce(t.Context(), "-incremental")
	require.Equal(t, 0, code)
	for _, obj := range []string{"accounts", "contacts", "leads"} {
		assert.Contains(t, out, obj+": read=0 ", "nothing changed since the last run")
	}
	assert.Equal(t, full, stored(t, url))

	// A run interrupted before it wrote a batch of leads: its checkpoint is unfinished, and
	// the next run with -resume goes on with it.
	st, err := stores().Open(t.Context(), url)
	require.NoError(t, err)
	interrupted := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	require.NoError(t, st.PutCheckpoint(t.Context(), override.Checkpoint{Org: org, Object: override.Lead, Run: interrupted}))
	require.NoError(t, st.Close())
	code, out = runOnce(t.Context(), "-resume")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "started: 2026-01-02T03:04:05Z", "the interrupted run's start")
	assert.Contains(t, out, "resumed: true")
	assert.Equal(t, full, stored(t, url))
}
