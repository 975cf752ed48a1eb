package storetest_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/override/boltstore"
	"github.com/crmlink/crmlink/override/storetest"
)

// boltHarness opens a boltstore file; every Open of one test sees the same
// file, so the suite's Reopen test runs.
type boltHarness struct{ path string }

func (h boltHarness) Open(context.Context) (override.Driver, error) {
	return boltstore.OpenDriver(h.path)
}
func (boltHarness) Durable() bool { return true }

// In a driver's test package, TestDriver runs the driver suite and TestCrash
// the crash test; TestMain lets the test binary act as the crash child.
func testDriver(t *testing.T) {
	storetest.RunDriver(t, func(t *testing.T) storetest.DriverHarness {
		return boltHarness{path: filepath.Join(t.TempDir(), "overrides.db")}
	})
}

func testCrash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "overrides.db")
	storetest.RunCrash(t, storetest.CrashConfig{
		Target: path,
		Open:   func(context.Context) (*override.Store, error) { return boltstore.Open(path) },
		Rounds: 25,
	})
}

func testMain(m *testing.M) {
	storetest.CrashChild(func(_ context.Context, path string) (*override.Store, error) {
		return boltstore.Open(path)
	})
	os.Exit(m.Run())
}

// A driver's suite and crash tests (name them TestDriver, TestCrash and
// TestMain in the driver's own test package).
func Example() {
	_, _, _ = testDriver, testCrash, testMain
}
