package pgstore_test

import (
	"context"
	"testing"

	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/override/pgstore"
	"github.com/crmlink/crmlink/override/storetest"
)

// harness opens stores on one fresh schema per subtest: every Open of a
// subtest sees the same data, and nothing is shared with other tests.
type harness struct {
	dsn, schema string
	opts        []pgstore.Option
}

func (h *harness) Open(ctx context.Context) (override.Driver, error) {
	return pgstore.OpenDriver(ctx, h.dsn, append([]pgstore.Option{pgstore.WithSchema(h.schema)}, h.opts...)...)
}

func (h *harness) Durable() bool { return true }

func TestDriver(t *testing.T) {
	storetest.RunDriver(t, func(t *testing.T) storetest.DriverHarness {
		dsn, schema := freshSchema(t)
		return &harness{dsn: dsn, schema: schema}
	})
}

// TestDriverSmallPages runs the suite again with tiny pages, so that every
// Scan merges short pages of both tables.
func TestDriverSmallPages(t *testing.T) {
	storetest.RunDriver(t, func(t *testing.T) storetest.DriverHarness {
		dsn, schema := freshSchema(t)
		return &harness{dsn: dsn, schema: schema, opts: []pgstore.Option{pgstore.WithPageSize(2)}}
	})
}
