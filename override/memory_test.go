package override_test

import (
	"context"
	"testing"

	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/override/storetest"
)

type memHarness struct{}

func (memHarness) Open(context.Context) (*override.Store, error) { return override.NewMemory(), nil }
func (memHarness) Durable() bool                                 { return false }

// TestRules runs the rules of the portable Store (validation, precedence,
// rejections, org isolation, closed state, cancellation ...) once, over the
// in-memory driver.
func TestRules(t *testing.T) {
	storetest.Run(t, func(*testing.T) storetest.Harness { return memHarness{} })
}

type memDriverHarness struct{}

func (memDriverHarness) Open(context.Context) (override.Driver, error) {
	return override.NewMemory().Driver(), nil
}
func (memDriverHarness) Durable() bool { return false }

func TestDriver(t *testing.T) {
	storetest.RunDriver(t, func(*testing.T) storetest.DriverHarness { return memDriverHarness{} })
}
