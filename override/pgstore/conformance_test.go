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

func (h *harness) Open(ctx context.Context) (override.Store, error) {
	return pgstore.Open(ctx, h.dsn, append([]pgstore.Option{pgstore.WithSchema(h.schema)}, h.opts...)...)
}

func (h *harness) Durable() bool { return true }

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Harness {
		dsn, schema := freshSchema(t)
		return &harness{dsn: dsn, schema: schema}
	})
}

// TestConformanceSmallPages runs the suite again with tiny pages, so that every
// walk of Mappings crosses many page boundaries of both tables.
func TestConformanceSmallPages(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Harness {
		dsn, schema := freshSchema(t)
		return &harness{dsn: dsn, schema: schema, opts: []pgstore.Option{pgstore.WithPageSize(2)}}
	})
}
