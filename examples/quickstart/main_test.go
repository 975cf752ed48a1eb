package main

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/internal/testbin"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out))
	// Each record: its decision, then its best candidate.
	re := regexp.MustCompile(`(?m)^  decision: (\w+)\n  1\. (\w+)`)
	var got [][2]string
	for _, m := range re.FindAllStringSubmatch(out.String(), -1) {
		got = append(got, [2]string{m[1], m[2]})
	}
	require.Len(t, got, len(accounts)+len(contacts), out.String())
	wantTop := []string{"c250", "c182", "c271", "c210", "", "m11", "m4", "m241", "m111"}
	for i, w := range wantTop {
		if w == "" { // the absent account must not be matched
			assert.NotEqual(t, "match", got[i][0], "record %d", i)
			continue
		}
		assert.Equal(t, w, got[i][1], "record %d best candidate", i)
	}
	assert.Contains(t, out.String(), "directory: 600 entities")

	// After fitting: every record in the directory is decided a match with
	// the same best candidate, the absent account is not.
	_, after, ok := strings.Cut(out.String(), "\nafter fitting")
	require.True(t, ok, "the fitted decisions are printed")
	fre := regexp.MustCompile(`(?m)^  (?:account|contact) .*?(match|ambiguous|none)\s+(\w+) [01]\.\d{4}$`)
	fits := fre.FindAllStringSubmatch(after, -1)
	require.Len(t, fits, len(wantTop), after)
	for i, w := range wantTop {
		if w == "" {
			assert.NotEqual(t, "match", fits[i][1], "fitted record %d", i)
			continue
		}
		assert.Equal(t, "match", fits[i][1], "fitted record %d", i)
		assert.Equal(t, w, fits[i][2], "fitted record %d best candidate", i)
	}
	assert.Regexp(t, `website +exact +similarity 1\.00`, out.String(), "explanations printed")
}

// binary is the command built once by TestMain, run by the tests as a user runs it.
var binary string

func TestMain(m *testing.M) { testbin.Main(m, "quickstart", &binary) }

func TestBinary(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		code       int
		wantStdout string
		wantStderr string
	}{
		{"no flags", nil, 0, "directory: 600 entities", ""},
		{"unknown flag", []string{"-bogus"}, 2, "", "flag provided but not defined: -bogus\nusage: quickstart"},
		{"argument", []string{"extra"}, 2, "", "quickstart: unexpected argument \"extra\"\nusage: quickstart"},
		{"help", []string{"-h"}, 0, "", "usage: quickstart"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := testbin.Run(t, binary, "", tc.args...)
			assert.Equal(t, tc.code, code, "stderr: %s", stderr)
			if tc.wantStdout == "" {
				assert.Empty(t, stdout)
			} else {
				assert.Contains(t, stdout, tc.wantStdout)
			}
			if tc.wantStderr == "" {
				assert.Empty(t, stderr)
			} else {
				assert.Contains(t, stderr, tc.wantStderr)
			}
		})
	}
}

func TestBinaryStdoutFull(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full on this system")
	}
	code, _, stderr := testbin.Run(t, binary, "/dev/full")
	assert.Equal(t, 1, code)
	assert.Equal(t, "quickstart: write to stdout: write /dev/stdout: no space left on device\n", stderr)
}
