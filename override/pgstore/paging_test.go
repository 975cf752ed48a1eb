package pgstore_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/override/pgstore"
)

// rowTracer records the row count of every SELECT the pool runs.
type rowTracer struct {
	mu   sync.Mutex
	rows []int64
}

func (rt *rowTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	return ctx
}

func (rt *rowTracer) TraceQueryEnd(_ context.Context, _ *pgx.Conn, d pgx.TraceQueryEndData) {
	if d.Err == nil && d.CommandTag.Select() {
		rt.mu.Lock()
		rt.rows = append(rt.rows, d.CommandTag.RowsAffected())
		rt.mu.Unlock()
	}
}

// TestMappingsPaginates shows that a walk never asks the server for more than
// a page of rows at a time, so its memory is bounded by the page size however
// large the org.
func TestMappingsPaginates(t *testing.T) {
	dsn, schema := freshSchema(t)
	ctx := t.Context()
	cfg, err := pgxpool.ParseConfig(dsn)
	require.NoError(t, err)
	tracer := &rowTracer{}
	cfg.ConnConfig.Tracer = tracer
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	require.NoError(t, err)
	defer pool.Close()
	const page, records = 7, 100
	s, err := pgstore.OpenPool(ctx, pool, pgstore.WithSchema(schema), pgstore.WithPageSize(page))
	require.NoError(t, err)
	defer s.Close()
	var batch []override.Mapping
	for i := range records {
		r := rec("org1", override.Account, fmt.Sprintf("a%03d", i))
		batch = append(batch, mapping(r, override.Sync, override.Company, "c"), rejection(r, override.Company, "x"))
	}
	require.NoError(t, s.PutBatch(ctx, batch))

	tracer.mu.Lock()
	tracer.rows = nil
	tracer.mu.Unlock()
	n := 0
	for _, err := range s.Mappings(ctx, "org1") {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 2*records, n)
	tracer.mu.Lock()
	defer tracer.mu.Unlock()
	for _, r := range tracer.rows {
		assert.LessOrEqual(t, r, int64(page), "a query of the walk returned more than a page")
	}
	// Each Scan reads a page of both tables and returns at most a page of
	// their merge: ceil(2*records/page) Scans, plus one to learn the walk
	// ended, two queries each.
	assert.LessOrEqual(t, len(tracer.rows), 2*((2*records+page-1)/page+1), "page queries: %v", tracer.rows)
}

// TestPutBatchDeadline gives a large batch too little time: the error says
// so and nothing is written, whether the deadline struck before the batch
// was sent or while the server ran it.
func TestPutBatchDeadline(t *testing.T) {
	s, _ := openStore(t)
	var batch []override.Mapping
	for i := range 50_000 {
		batch = append(batch, mapping(rec("org1", override.Lead, fmt.Sprintf("l%06d", i)), override.Sync, override.Member, "m"))
	}
	for _, d := range []time.Duration{time.Microsecond, 20 * time.Millisecond} {
		ctx, cancel := context.WithTimeout(t.Context(), d)
		err := s.PutBatch(ctx, batch)
		cancel()
		if err == nil {
			t.Logf("batch committed within %v; nothing to check", d)
			_, err := s.Purge(t.Context(), "org1")
			require.NoError(t, err)
			continue
		}
		assert.ErrorIs(t, err, context.DeadlineExceeded, "deadline %v", d)
		n, err := s.Count(t.Context(), "org1")
		require.NoError(t, err)
		assert.Zero(t, n, "deadline %v: part of the batch was written", d)
	}
}
