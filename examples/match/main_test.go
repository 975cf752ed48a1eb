package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/internal/testbin"
)

// binary is the command built once by TestMain, run by the tests as a user runs it.
var binary string

func TestMain(m *testing.M) { testbin.Main(m, "match", &binary) }

func testdata(name string) string { return filepath.Join("internal", "matchcli", "testdata", name) }

// TestBinarySwappedFiles checks that a directory or queries file of the other kind than -kind
// is refused from its header, before any query is matched, with a message saying which file
// looks like which.
func TestBinarySwappedFiles(t *testing.T) {
	companies, members := testdata("companies.csv"), testdata("members.csv")
	companyQueries, memberQueries := testdata("company_queries.csv"), testdata("member_queries.csv")
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"member directory for companies", []string{"-kind", "company", "-directory", members, "-queries", companyQueries},
			[]string{"match: -kind company wants company files, but -directory " + members + " looks like a member file (it has first_name, last_name, company, title, email and none of name, industry, website)",
				"Are the member and company files swapped?"}},
		{"company directory for members", []string{"-kind", "member", "-directory", companies, "-queries", memberQueries},
			[]string{"-directory " + companies + " looks like a company file (it has name, industry, website and none of first_name, last_name, company, title, email)",
				"Are the company and member files swapped?"}},
		{"member queries for companies", []string{"-kind", "company", "-directory", companies, "-queries", memberQueries},
			[]string{"-queries " + memberQueries + " looks like a member file"}},
		{"wrong kind", []string{"-kind", "company", "-directory", members, "-queries", memberQueries},
			[]string{"-kind company, but both files look like member files", "Use -kind member"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := testbin.Run(t, binary, "", tc.args...)
			assert.Equal(t, 2, code, stderr)
			assert.Empty(t, stdout, "no query is matched")
			for _, w := range tc.want {
				assert.Contains(t, stderr, w)
			}
			assert.Equal(t, 1, strings.Count(stderr, "\n"), "one message: %s", stderr)
		})
	}
	// The right files match.
	code, stdout, stderr := testbin.Run(t, binary, "", "-kind", "member", "-directory", members, "-queries", memberQueries)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, `"decision":"match"`)
}

func TestBinaryExitStatus(t *testing.T) {
	ok := []string{"-kind", "company", "-directory", testdata("companies.csv"), "-queries", testdata("company_queries.csv")}
	bad := t.TempDir()
	noID := filepath.Join(bad, "noid.csv")
	require.NoError(t, os.WriteFile(noID, []byte("name\nAcme\n"), 0o644))
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"ok", ok, 0, ""},
		{"help", []string{"-h"}, 0, "usage: match"},
		{"unknown flag", append(ok, "-bogus"), 2, "flag provided but not defined: -bogus"},
		{"no kind", ok[2:], 2, "-kind must be company or member"},
		{"missing file", []string{"-kind", "company", "-directory", filepath.Join(bad, "nope.csv"), "-queries", ok[5]}, 2, "nope.csv: no such file"},
		{"no id column", []string{"-kind", "company", "-directory", noID, "-queries", ok[5]}, 2, "noid.csv:1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := testbin.Run(t, binary, "", tc.args...)
			assert.Equal(t, tc.code, code, stderr)
			assert.Contains(t, stderr, tc.want)
		})
	}
	if _, err := os.Stat("/dev/full"); err == nil {
		code, _, stderr := testbin.Run(t, binary, "/dev/full", ok...)
		assert.Equal(t, 1, code, "writing the results fails: a failure, not bad input")
		assert.Contains(t, stderr, "no space left on device")
	}
}
