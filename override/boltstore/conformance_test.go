package boltstore_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/override/boltstore"
	"github.com/crmlink/crmlink/override/storetest"
)

func TestMain(m *testing.M) {
	storetest.CrashChild(func(_ context.Context, path string) (*override.Store, error) {
		return boltstore.Open(path)
	})
	holdChild()
	os.Exit(m.Run())
}

// holdEnv makes the re-executed test binary open the file it names, say
// "held" and keep it open until its stdin closes: another process holding the
// store.
const holdEnv = "CRMLINK_BOLTSTORE_TEST_HOLD"

func holdChild() {
	path := os.Getenv(holdEnv)
	if path == "" {
		return
	}
	s, err := boltstore.Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "hold:", err)
		os.Exit(3)
	}
	fmt.Println("held")
	_, _ = io.Copy(io.Discard, os.Stdin)
	_ = s.Close()
	os.Exit(0)
}

func TestOpenLockedByAnotherProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "overrides.db")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), holdEnv+"="+path)
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "held\n", line)

	_, err = boltstore.Open(path, boltstore.WithLockTimeout(100*time.Millisecond))
	require.ErrorIs(t, err, override.ErrLocked)
	assert.Contains(t, err.Error(), "locked by another process")

	require.NoError(t, stdin.Close()) // the other process closes the store and exits
	require.NoError(t, cmd.Wait())
	s, err := boltstore.Open(path, boltstore.WithLockTimeout(time.Second))
	require.NoError(t, err, "Open after the other process exited")
	require.NoError(t, s.Close())
}

type harness struct{ path string }

func (h harness) Open(context.Context) (override.Driver, error) { return boltstore.OpenDriver(h.path) }
func (harness) Durable() bool                                   { return true }

func TestDriver(t *testing.T) {
	storetest.RunDriver(t, func(t *testing.T) storetest.DriverHarness {
		return harness{path: filepath.Join(t.TempDir(), "overrides.db")}
	})
}

func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: -short")
	}
	path := filepath.Join(t.TempDir(), "overrides.db")
	storetest.RunCrash(t, storetest.CrashConfig{
		Target: path,
		Open:   func(context.Context) (*override.Store, error) { return boltstore.Open(path) },
	})
}
