package pgstore

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/internal/testenv"
)

// TestQueryPlans shows that every lookup of the store is served by an index:
// both lookup directions (record -> entity by the primary key, entity ->
// records by mappings_entity_idx) and the keyset pages of Mappings. The
// planner is told to avoid sequential scans, which it then uses only if no
// index can serve the query.
func TestQueryPlans(t *testing.T) {
	dsn, schema := testenv.PostgresSchema(t, "pgstore_plan_")
	ctx := t.Context()
	s, err := OpenDriver(ctx, dsn, WithSchema(schema))
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })

	conn, err := s.pool.Acquire(ctx)
	require.NoError(t, err)
	defer conn.Release()
	_, err = conn.Exec(ctx, "SET enable_seqscan = off")
	require.NoError(t, err)
	defer conn.Exec(context.Background(), "RESET enable_seqscan") //nolint:errcheck

	tests := []struct {
		name, sql, index string
		args             []any
	}{
		{"Load mappings", s.q.load, "mappings_pkey", []any{"{o}", "{lead}", "{r}"}},
		{"Load rejections", s.q.load, "rejections_pkey", []any{"{o}", "{lead}", "{r}"}},
		{"Load one mapping", s.q.loadOne, "mappings_pkey", []any{"o", "lead", "r"}},
		{"Load one rejection", s.q.loadOne, "rejections_pkey", []any{"o", "lead", "r"}},
		{"RecordsOf", s.q.recordsOf, "mappings_entity_idx", []any{"o", "member", "e"}},
		{"page of mappings", s.q.pageMappings, "mappings_pkey", []any{"o", "lead", "r", "sync", 100}},
		{"page of rejections", s.q.pageRejections, "rejections_pkey", []any{"o", "lead", "r", "member", "e", 100}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// A generic plan, as for a prepared statement reused with any values.
			_, err := conn.Exec(ctx, "SET plan_cache_mode = force_generic_plan")
			require.NoError(t, err)
			name := strings.ReplaceAll(tc.name, " ", "_")
			_, err = conn.Exec(ctx, fmt.Sprintf("PREPARE %s AS %s", name, tc.sql))
			require.NoError(t, err)
			defer conn.Exec(ctx, "DEALLOCATE "+name) //nolint:errcheck
			literals := make([]string, len(tc.args))
			for i, a := range tc.args {
				literals[i] = fmt.Sprint(a)
				if _, ok := a.(string); ok {
					literals[i] = "'" + a.(string) + "'"
				}
			}
			rows, _ := conn.Query(ctx, fmt.Sprintf("EXPLAIN EXECUTE %s(%s)", name, strings.Join(literals, ", ")))
			lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
			require.NoError(t, err)
			plan := strings.Join(lines, "\n")
			assert.Contains(t, plan, tc.index, "plan of %s:\n%s", tc.name, plan)
			assert.NotContains(t, plan, "Seq Scan", "plan of %s:\n%s", tc.name, plan)
			assert.NotContains(t, plan, "Sort", "plan of %s sorts instead of reading in index order:\n%s", tc.name, plan)
		})
	}
}
