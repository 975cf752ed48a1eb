package main

import (
	"os"
	"os/exec"
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

func TestMain(m *testing.M) { testbin.Main(m, "synthcsv", &binary) }

func TestBinaryCreatesOut(t *testing.T) {
	out := filepath.Join(t.TempDir(), "a", "b", "synth")
	code, _, stderr := testbin.RunCmd(t, exec.Command(binary, "-out", out, "-companies", "50", "-members", "50", "-queries", "10"))
	require.Equal(t, 0, code, stderr)
	for _, f := range []string{"companies.csv", "members.csv", "company_queries.csv", "member_queries.csv"} {
		b, err := os.ReadFile(filepath.Join(out, f))
		require.NoError(t, err)
		assert.Greater(t, strings.Count(string(b), "\n"), 10, f)
	}
}

func TestBinaryBadUsage(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-bogus"}, 2, "flag provided but not defined: -bogus"},
		{[]string{"-companies", "-1"}, 2, "must not be negative"},
		{[]string{"-absent", "1.5"}, 2, "-absent must be between 0 and 1"},
		{[]string{"-out", t.TempDir(), "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"-out", filepath.Join(file, "sub"), "-companies", "5", "-members", "5", "-queries", "1"}, 1, "synthcsv: mkdir"},
	} {
		code, _, stderr := testbin.RunCmd(t, exec.Command(binary, tc.args...))
		assert.Equal(t, tc.code, code, "%v: %s", tc.args, stderr)
		assert.Contains(t, stderr, tc.want, "%v", tc.args)
	}
}

// TestREADMERecipe runs the scale recipe of README.md as written, at a small size: the counts
// are made small and /tmp/synth becomes a folder that does not exist yet.
func TestREADMERecipe(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go run twice")
	}
	root := filepath.Join("..", "..", "..", "..")
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	var recipe []string
	for _, l := range strings.Split(string(readme), "\n") {
		if strings.HasPrefix(l, "go run ./internal/synth/cmd/synthcsv -out /tmp/synth") ||
			(len(recipe) == 1 && strings.HasPrefix(l, "go run ./examples/match ")) {
			recipe = append(recipe, l)
		}
	}
	require.Len(t, recipe, 2, "the scale recipe of README.md: synthcsv then examples/match on /tmp/synth")
	out := filepath.Join(t.TempDir(), "not", "yet", "synth")
	small := regexp.MustCompile(`-(companies|members) \d+`)
	script := strings.ReplaceAll(strings.Join(recipe, "\n"), "/tmp/synth", out)
	script = small.ReplaceAllString(script, "-$1 300")
	script = regexp.MustCompile(`-queries \d+`).ReplaceAllString(script, "-queries 30")
	cmd := exec.Command("sh", "-e", "-c", script)
	cmd.Dir = root
	code, _, stderr := testbin.RunCmd(t, cmd)
	require.Equal(t, 0, code, "script:\n%s\nstderr:\n%s", script, stderr)
	assert.Contains(t, stderr, "queries: 30", "the match statistics")
}
