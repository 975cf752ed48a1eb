package dynamics_test

import (
	"testing"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/sourcetest"
)

// harness serves each subtest's dataset from a fresh fake Dataverse org over TLS.
type harness struct{}

func (harness) Source(t *testing.T, ds *sourcetest.Dataset) crm.Source {
	return newFakeOrg(t, ds).source(t)
}

// BusinessUnits reports that Dynamics places users in business units.
func (harness) BusinessUnits() bool { return true }

func TestConformance(t *testing.T) {
	sourcetest.Run(t, harness{})
}
