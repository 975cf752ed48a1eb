package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/internal/testbin"
)

// binary is the command built once by TestMain, run by the tests as a user runs it.
var binary string

func TestMain(m *testing.M) { testbin.Main(m, "sync", &binary) }

// copyCRM copies the test export to a new folder, renaming its files with rename.
func copyCRM(t *testing.T, rename func(string) string) string {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir(filepath.Join("testdata", "crm"))
	require.NoError(t, err)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join("testdata", "crm", e.Name()))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, rename(e.Name())), b, 0o644))
	}
	return dir
}

func withCRM(dir string, extra ...string) []string {
	return append(append(args("mem:"), "-crm", dir), extra...)
}

// assertNoRecordData checks that a message holds no value of the test records.
func assertNoRecordData(t *testing.T, s string) {
	t.Helper()
	for _, v := range []string{"ACME", "Lovelace", "ada.lovelace", "Globex", "Hopper"} {
		assert.NotContains(t, s, v, "output holds record data")
	}
}

func TestBinaryCRMURL(t *testing.T) {
	for _, u := range []string{"https://user:s3cret@example.my.salesforce.com", "https://org.crm.dynamics.com/api/data/v9.2"} {
		code, stdout, stderr := testbin.Run(t, binary, "", withCRM(u)...)
		assert.Equal(t, 2, code)
		assert.Empty(t, stdout)
		assert.Contains(t, stderr, "this example reads only CSV folders")
		assert.Contains(t, stderr, "examples/crmlink sync")
		assert.Contains(t, stderr, "Salesforce or Dynamics 365")
		assert.NotContains(t, stderr, "stat ")
		assert.NotContains(t, stderr, "s3cret", "the URL may hold credentials")
	}
}

func TestBinaryExportFileNames(t *testing.T) {
	for name, rename := range map[string]func(string) string{
		"Title case": func(s string) string { return strings.ToUpper(s[:1]) + s[1:] },
		"upper case": strings.ToUpper,
		"singular": func(s string) string {
			s = strings.Replace(s, "opportunities", "opportunity", 1)
			return strings.ToUpper(s[:1]) + strings.Replace(s, "s.csv", ".csv", 1)[1:]
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := copyCRM(t, rename)
			code, stdout, stderr := testbin.Run(t, binary, "", withCRM(dir)...)
			require.Equal(t, 0, code, stderr)
			assert.Contains(t, stdout, "accounts: read=4 invalid=0 empty=0 matched=3")
			assert.Contains(t, stdout, "contacts: read=4 ")
			assert.Contains(t, stdout, "leads: read=2 ")
		})
	}
}

func TestBinaryNoExportFiles(t *testing.T) {
	empty := t.TempDir()
	code, stdout, stderr := testbin.Run(t, binary, "", withCRM(empty)...)
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, empty)
	assert.Contains(t, stderr, "holds no CSV file")
	assert.Contains(t, stderr, "accounts.csv, contacts.csv, leads.csv")

	other := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(other, "export-2024.csv"), []byte("Id,Name\n1,x\n"), 0o644))
	code, stdout, stderr = testbin.Run(t, binary, "", withCRM(other)...)
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, other)
	assert.Contains(t, stderr, "no recognised CSV file (found export-2024.csv)")
	assert.Contains(t, stderr, "accounts.csv")
}

func TestBinaryDuplicateID(t *testing.T) {
	dir := copyCRM(t, func(s string) string { return s })
	path := filepath.Join(dir, "accounts.csv")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := strings.SplitAfter(string(b), "\n")
	dup := strings.Replace(lines[1], "ACME Corp.", "ACME Corporation", 1) // line 2 again, as line 6
	require.NoError(t, os.WriteFile(path, []byte(string(b)+dup), 0o644))
	code, stdout, stderr := testbin.Run(t, binary, "", withCRM(dir)...)
	assert.Equal(t, 2, code, stderr)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "accounts.csv:6:1")
	assert.Contains(t, stderr, "duplicate ID (first on line 2, again on line 6)")
	assertNoRecordData(t, stderr)
}

func TestBinaryStdoutFull(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full on this system")
	}
	code, _, stderr := testbin.Run(t, binary, "/dev/full", args("mem:", "-progress=false")...)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "sync: the sync ran, but writing its results to stdout failed")
	assert.Contains(t, stderr, "no space left on device")
}

func TestBinaryExitStatus(t *testing.T) {
	bad := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(bad, "accounts.csv"),
		[]byte("id,name,website,modified_at\n001A,ACME Corp.,acme.com,not-a-time\n"), 0o600))
	tests := []struct {
		name    string
		args    []string
		code    int
		wantErr string
	}{
		{"ok", args("mem:"), 0, ""},
		{"help", []string{"-h"}, 0, "-progress-every"},
		{"unknown flag", args("mem:", "-bogus"), 2, "flag provided but not defined: -bogus"},
		{"bad since", args("mem:", "-since", "yesterday"), 2, "RFC 3339"},
		{"missing CRM folder", withCRM(filepath.Join(bad, "nope")), 2, "sync: -crm: csvsource: open " + filepath.Join(bad, "nope") + ": no such directory"},
		{"CRM path is a file", withCRM(filepath.Join(bad, "accounts.csv")), 2, "not a directory"},
		{"missing directory file", args("mem:", "-directory-companies", "testdata/nope.csv"), 2, "-directory-companies: open testdata/nope.csv"},
		{"bad directory file", args("mem:", "-directory-companies", "testdata/crm/stages.csv"), 2, "-directory-companies: testdata/crm/stages.csv:1"},
		{"bad CRM record", withCRM(bad), 2, "accounts.csv:2"},
		{"unknown stage", args("mem:", "-stage", "Nope"), 2, "unknown opportunity stage"},
		{"bad store URL", args("ftp://x"), 2, "no driver registered"},
		{"store cannot be opened", args("bolt://" + filepath.Join(bad, "no", "such", "dir", "x.db")), 1, "sync:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := testbin.Run(t, binary, "", tc.args...)
			assert.Equal(t, tc.code, code, "stderr: %s", stderr)
			assert.Contains(t, stderr, tc.wantErr)
			if tc.code != 0 {
				assert.Empty(t, stdout)
			}
			assertNoRecordData(t, stderr)
		})
	}
}

// TestBinaryProgressLog checks the progress log lines when stderr is not a terminal: the
// totals counted up front and the time left, or the rate only when a filter makes the totals
// unknown.
func TestBinaryProgressLog(t *testing.T) {
	code, _, stderr := testbin.Run(t, binary, "", args("mem:")...)
	require.Equal(t, 0, code, stderr)
	for _, obj := range []string{"account", "contact", "lead"} {
		want := map[string]string{"account": "read=4 total=4", "contact": "read=4 total=4", "lead": "read=2 total=2"}[obj]
		assert.Regexp(t, regexp.MustCompile(`msg="sync progress" phase=syncing object=`+obj+` `+want+` matched=\d+ written=\d+ batches=1 per_second=\d+ left=\S+`), stderr)
	}
	code, _, stderr = testbin.Run(t, binary, "", args("mem:", "-since", "2024-01-01T00:00:00Z")...)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, `object=account read=4 matched=3`)
	assert.Contains(t, stderr, `left="unknown: -since and -stage sync fewer records than the files hold"`)
	assert.NotContains(t, stderr, "total=")

	code, _, stderr = testbin.Run(t, binary, "", args("mem:", "-progress=false")...)
	require.Equal(t, 0, code)
	assert.Empty(t, stderr)
}
