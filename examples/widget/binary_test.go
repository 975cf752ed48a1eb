package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crmlink/crmlink/internal/testbin"
)

// binary is the command built once by TestMain, run by the tests as a user runs it.
var binary string

func TestMain(m *testing.M) { testbin.Main(m, "widget", &binary) }

// TestBinaryExitStatus checks the exit status and message of the built command for bad usage
// and bad input; none of these starts a server.
func TestBinaryExitStatus(t *testing.T) {
	tmp := t.TempDir()
	bad := filepath.Join(tmp, "bad.csv")
	if err := os.WriteFile(bad, []byte("name\nSecret Corp\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	store := "-store=" + filepath.Join(tmp, "w.db")
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"help", []string{"-h"}, 0, "-companies"},
		{"unknown flag", []string{"-bogus"}, 2, "flag provided but not defined: -bogus"},
		{"argument", []string{"extra"}, 2, `widget: unexpected argument "extra"`},
		{"missing companies", []string{store, "-companies", filepath.Join(tmp, "nope.csv")}, 2, "nope.csv: no such file or directory"},
		{"companies without id", []string{store, "-companies", bad}, 2, "bad.csv:1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := testbin.Run(t, binary, "", tc.args...)
			if code != tc.code {
				t.Errorf("exit status %d, want %d; stderr: %s", code, tc.code, stderr)
			}
			if !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr %q does not contain %q", stderr, tc.want)
			}
			if strings.Contains(stderr, "Secret") {
				t.Errorf("stderr holds record data: %s", stderr)
			}
		})
	}
}
