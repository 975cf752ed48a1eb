package testbin

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// buildExit builds testdata/exit, which echoes its arguments and exits with the status given.
func buildExit(t *testing.T) string {
	t.Helper()
	path, cleanup, err := Build(filepath.Join("testdata", "exit"), "exit")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cleanup)
	return path
}

func TestRun(t *testing.T) {
	bin := buildExit(t)
	for _, tc := range []struct {
		args           []string
		code           int
		stdout, stderr string
	}{
		{[]string{"out", "err", "0"}, 0, "out", "err"},
		{[]string{"", "usage", "2"}, 2, "", "usage"},
		{[]string{"a", "b", "x"}, 100, "a", "b" + `strconv.Atoi: parsing "x": invalid syntax` + "\n"},
	} {
		code, stdout, stderr := Run(t, bin, "", tc.args...)
		if code != tc.code || stdout != tc.stdout || stderr != tc.stderr {
			t.Errorf("Run(%q) = %d, %q, %q; want %d, %q, %q", tc.args, code, stdout, stderr, tc.code, tc.stdout, tc.stderr)
		}
	}
}

func TestRunStdoutFile(t *testing.T) {
	bin := buildExit(t)
	file := filepath.Join(t.TempDir(), "stdout")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := Run(t, bin, file, "to file", "err", "1")
	if code != 1 || stdout != "" || stderr != "err" {
		t.Errorf("Run = %d, %q, %q; want 1, \"\", \"err\"", code, stdout, stderr)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != "to file" {
		t.Errorf("stdout file holds %q, want %q", b, "to file")
	}
}

func TestRunCmdKeepsCallerStreams(t *testing.T) {
	bin := buildExit(t)
	cmd := exec.Command(bin, "out", "err", "0")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	code, gotOut, gotErr := RunCmd(t, cmd)
	if code != 0 || gotOut != "out" || gotErr != "" {
		t.Errorf("RunCmd = %d, %q, %q; want 0, \"out\", \"\"", code, gotOut, gotErr)
	}
	if stderr.String() != "err" {
		t.Errorf("caller's stderr holds %q, want %q", stderr.String(), "err")
	}
}

func TestBuildFailure(t *testing.T) {
	if _, _, err := Build(t.TempDir(), "none"); err == nil || !strings.HasPrefix(err.Error(), "go build: ") {
		t.Errorf("Build of a directory without Go files: err = %v, want a go build error", err)
	}
}
