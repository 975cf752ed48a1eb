package dynamics_test

import (
	"testing"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/dynamics"
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

// phasesHarness serves an org whose stages live in stepname (a business process flow).
type phasesHarness struct{ harness }

func (phasesHarness) Source(t *testing.T, ds *sourcetest.Dataset) crm.Source {
	f := newFakeOrg(t, ds)
	return f.source(t, dynamics.WithPipelinePhases(f.usePipelinePhases()...))
}

func TestConformancePipelinePhases(t *testing.T) {
	sourcetest.Run(t, phasesHarness{})
}
