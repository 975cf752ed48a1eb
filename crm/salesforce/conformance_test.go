package salesforce_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/salesforce"
	"github.com/crmlink/crmlink/crm/sourcetest"
)

// harness serves the fixture from a fake org, over REST or over Bulk API 2.0.
type harness struct {
	bulk bool
}

func (h harness) options() []salesforce.Option {
	return []salesforce.Option{salesforce.WithBulk(h.bulk), salesforce.WithBulkPolling(time.Millisecond, time.Millisecond), salesforce.WithBulkPageSize(7)}
}

func (h harness) Source(t *testing.T, ds *sourcetest.Dataset) crm.Source {
	return newFakeOrg(t, ds).source(t, h.options()...)
}

// FailingSource answers the second page of contacts (a queryMore over REST, a results page with a
// locator over Bulk) with a 500 whose message quotes a record, as Salesforce's messages can: the
// error must not repeat it.
func (h harness) FailingSource(t *testing.T, ds *sourcetest.Dataset) crm.Source {
	f := newFakeOrg(t, ds)
	c := ds.Contacts[0]
	quote := c.FirstName + " " + c.LastName + " <" + c.Email + "> " + c.Title
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		secondPage := strings.HasPrefix(r.URL.Path, "/services/data/v59.0/query/") ||
			strings.HasSuffix(r.URL.Path, "/results") && r.URL.Query().Get("locator") != ""
		if !secondPage {
			return false
		}
		sfError(w, http.StatusInternalServerError, "UNKNOWN_EXCEPTION", "An unexpected error occurred for "+quote)
		return true
	})
	return f.source(t, h.options()...)
}

func TestConformance(t *testing.T) {
	t.Run("REST", func(t *testing.T) { sourcetest.Run(t, harness{}) })
	t.Run("Bulk", func(t *testing.T) { sourcetest.Run(t, harness{bulk: true}) })
}

// writerHarness writes to a fresh fake org and lists the Tasks and ContentNotes it holds, with
// the record each one is attached to. keyField selects [salesforce.WithExternalKeyField] over the
// default subject and title markers. Bulk is a read path only: writing is the same with it.
type writerHarness struct {
	keyField string
}

func (h writerHarness) Writer(t *testing.T, ds *sourcetest.Dataset) (crm.Writer, func() []sourcetest.Stored) {
	f := newFakeOrg(t, ds)
	var opts []salesforce.Option
	if h.keyField != "" {
		opts = append(opts, salesforce.WithExternalKeyField(h.keyField))
	}
	return f.source(t, opts...), f.storedActivities
}

func TestWriterConformance(t *testing.T) {
	t.Run("Marker", func(t *testing.T) { sourcetest.RunWriter(t, writerHarness{}) })
	t.Run("KeyField", func(t *testing.T) { sourcetest.RunWriter(t, writerHarness{keyField: "Crmlink_Key__c"}) })
}

func TestROIFromSource(t *testing.T) {
	for _, bulk := range []bool{false, true} {
		t.Run(map[bool]string{false: "rest", true: "bulk"}[bulk], func(t *testing.T) { sourcetest.RunROI(t, harness{bulk: bulk}) })
	}
}
