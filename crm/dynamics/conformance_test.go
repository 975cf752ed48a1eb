package dynamics_test

import (
	"net/http"
	"strings"
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

// CloseOnlyHistory reports that Dynamics opportunities carry no stage history but their closing.
func (harness) CloseOnlyHistory() bool { return true }

// FailingSource answers the second page of contacts with a 500 whose Dataverse message quotes a
// record, as real error messages can: the error must not repeat it.
func (harness) FailingSource(t *testing.T, ds *sourcetest.Dataset) crm.Source {
	f := newFakeOrg(t, ds)
	c := ds.Contacts[0]
	quote := c.FirstName + " " + c.LastName + " <" + c.Email + "> " + c.Title
	f.hook = func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasSuffix(r.URL.Path, "/contacts") || r.URL.Query().Get("$skiptoken") == "" {
			return false
		}
		dvError(w, http.StatusInternalServerError, "0x80040216", "An unexpected error occurred for "+quote)
		return true
	}
	return f.source(t)
}

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

// writerHarness writes to a fresh fake org and lists the tasks and annotations it holds, with
// the record each one is regarding.
type writerHarness struct{}

func (writerHarness) Writer(t *testing.T, ds *sourcetest.Dataset) (crm.Writer, func() []sourcetest.Stored) {
	f := newFakeOrg(t, ds)
	return f.source(t), f.storedActivities
}

func TestWriterConformance(t *testing.T) {
	sourcetest.RunWriter(t, writerHarness{})
}

func TestROIFromSource(t *testing.T) { sourcetest.RunROI(t, harness{}) }
