package boltstore_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/override/boltstore"
	"github.com/crmlink/crmlink/override/storetest"
)

func TestMain(m *testing.M) {
	storetest.CrashChild(func(_ context.Context, path string) (override.Store, error) {
		return boltstore.Open(path)
	})
	os.Exit(m.Run())
}

type harness struct{ path string }

func (h harness) Open(context.Context) (override.Store, error) { return boltstore.Open(h.path) }
func (harness) Durable() bool                                  { return true }

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Harness {
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
		Open:   func(context.Context) (override.Store, error) { return boltstore.Open(path) },
	})
}
