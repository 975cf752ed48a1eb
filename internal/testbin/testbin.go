// Package testbin builds a command once for a package's tests and runs it as a user does.
//
// An example's tests call [Main] from TestMain to build the example's main package into a
// temporary directory, then run the binary with [Run] (arguments, optional stdout file) or
// [RunCmd] (a prepared [exec.Cmd], for an environment, stdin or context of its own):
//
//	var binary string
//
//	func TestMain(m *testing.M) { testbin.Main(m, "quickstart", &binary) }
//
//	func TestHelp(t *testing.T) {
//		code, stdout, stderr := testbin.Run(t, binary, "", "-h")
//		...
//	}
package testbin

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Build compiles the main package in dir into a new temporary directory as name. It returns
// the binary's path and a function that removes the directory. On a failed build the error
// holds the compiler's output, and nothing is left behind.
func Build(dir, name string) (path string, cleanup func(), err error) {
	tmp, err := os.MkdirTemp("", name+"-bin")
	if err != nil {
		return "", nil, err
	}
	cleanup = func() { os.RemoveAll(tmp) }
	path = filepath.Join(tmp, name)
	cmd := exec.Command("go", "build", "-o", path, ".")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("go build: %v\n%s", err, out)
	}
	return path, cleanup, nil
}

// Main is the body of a TestMain: it builds the main package in the working directory (the
// package under test) as name, stores the binary's path in *bin, runs the tests, removes the
// binary and exits with the tests' status. A failed build is reported on stderr and exits 1
// without running any test.
func Main(m *testing.M, name string, bin *string) {
	path, cleanup, err := Build(".", name)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	*bin = path
	code := m.Run()
	cleanup()
	os.Exit(code)
}

// Run runs the binary at path with args, in the test's environment and without stdin, and
// returns its exit status, stdout and stderr. When stdoutFile is not "", stdout goes to that
// existing file instead, opened for writing (such as /dev/full), and the returned stdout is
// empty. See [RunCmd] for the exit status and failures.
func Run(tb testing.TB, path, stdoutFile string, args ...string) (code int, stdout, stderr string) {
	tb.Helper()
	cmd := exec.Command(path, args...)
	if stdoutFile != "" {
		f, err := os.OpenFile(stdoutFile, os.O_WRONLY, 0)
		if err != nil {
			tb.Fatal(err)
		}
		defer f.Close()
		cmd.Stdout = f
	}
	return RunCmd(tb, cmd)
}

// RunCmd runs cmd and returns its exit status and what it wrote to stdout and stderr. A
// stream the caller already set on cmd is left alone, and its returned string is empty. A
// command that exits with a non-zero status returns that status (-1 when a signal ended
// it); one that cannot be run at all fails the test.
func RunCmd(tb testing.TB, cmd *exec.Cmd) (code int, stdout, stderr string) {
	tb.Helper()
	var outb, errb bytes.Buffer
	if cmd.Stdout == nil {
		cmd.Stdout = &outb
	}
	if cmd.Stderr == nil {
		cmd.Stderr = &errb
	}
	err := cmd.Run()
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return exitErr.ExitCode(), outb.String(), errb.String()
	}
	if err != nil {
		tb.Fatal(err)
	}
	return 0, outb.String(), errb.String()
}
