package salesforce_test

import (
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

func (h harness) Source(t *testing.T, ds *sourcetest.Dataset) crm.Source {
	f := newFakeOrg(t, ds)
	opts := []salesforce.Option{salesforce.WithBulk(h.bulk), salesforce.WithBulkPolling(time.Millisecond, time.Millisecond), salesforce.WithBulkPageSize(7)}
	return f.source(t, opts...)
}

func TestConformance(t *testing.T) {
	t.Run("REST", func(t *testing.T) { sourcetest.Run(t, harness{}) })
	t.Run("Bulk", func(t *testing.T) { sourcetest.Run(t, harness{bulk: true}) })
}
