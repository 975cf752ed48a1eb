package override_test

import (
	"context"
	"testing"

	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/override/storetest"
)

type memHarness struct{}

func (memHarness) Open(context.Context) (override.Store, error) { return override.NewMemory(), nil }
func (memHarness) Durable() bool                                { return false }

func TestConformance(t *testing.T) {
	storetest.Run(t, func(*testing.T) storetest.Harness { return memHarness{} })
}
