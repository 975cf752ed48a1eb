package pgstore_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/override/pgstore"
)

// TestPrivacySchema reads the table definitions back from the catalog and
// shows that the store can hold nothing but IDs, kinds, sources and times:
// the exact columns and types, no other relation, CHECK constraints on the
// kinds and sources, and every stored value one the test wrote as an ID.
func TestPrivacySchema(t *testing.T) {
	s, dsn := openStore(t)
	ctx := t.Context()
	ids := map[string]bool{"org-privacy": true, "005U0000001": true}
	var batch []override.Mapping
	for i := range 50 {
		r := rec("org-privacy", override.Objects()[i%4], fmt.Sprintf("rec-%d", i))
		e := fmt.Sprintf("ent-%d", i)
		ids[r.ID], ids[e] = true, true
		m := mapping(r, override.Sync, override.Member, e)
		m.UpdatedBy = "005U0000001"
		batch = append(batch, m)
		if i%5 == 0 {
			rj := rejection(r, override.Company, e)
			rj.UpdatedBy = "005U0000001"
			batch = append(batch, rj)
		}
	}
	require.NoError(t, s.PutBatch(ctx, batch))
	conn := connect(t, dsn)

	// The whole schema: five tables and their indexes, nothing else (no view,
	// sequence, function or other table where data could hide).
	rows, _ := conn.Query(ctx, `SELECT c.relname || ':' || c.relkind::text FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 ORDER BY 1`, drv(s).Schema())
	rels, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	assert.Equal(t, []string{
		"mappings:r", "mappings_entity_idx:i", "mappings_pkey:i",
		"org_state:r", "org_state_pkey:i",
		"rejections:r", "rejections_pkey:i",
		"schema_version:r", "schema_version_pkey:i",
		"sync_checkpoints:r", "sync_checkpoints_pkey:i",
	}, rels, "relations of the schema")
	var funcs int
	require.NoError(t, conn.QueryRow(ctx, `SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = $1`, drv(s).Schema()).Scan(&funcs))
	assert.Zero(t, funcs, "functions in the schema")

	// Every column, with its type and what it holds.
	rows, _ = conn.Query(ctx, `SELECT table_name || '.' || column_name || ' ' || data_type
FROM information_schema.columns WHERE table_schema = $1 ORDER BY table_name, ordinal_position`, drv(s).Schema())
	cols, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	role := map[string]string{ // column -> what it holds
		"mappings.org text": "ID", "mappings.object text": "kind", "mappings.record_id text": "ID",
		"mappings.source text": "source", "mappings.entity_kind text": "kind", "mappings.entity_id text": "ID",
		"mappings.updated_at timestamp with time zone": "time", "mappings.updated_by text": "ID",
		"rejections.org text": "ID", "rejections.object text": "kind", "rejections.record_id text": "ID",
		"rejections.entity_kind text": "kind", "rejections.entity_id text": "ID", "rejections.source text": "source",
		"rejections.updated_at timestamp with time zone": "time", "rejections.updated_by text": "ID",
		"org_state.org text": "ID", "org_state.disabled_at timestamp with time zone": "time",
		"sync_checkpoints.org text": "ID", "sync_checkpoints.object text": "kind",
		"sync_checkpoints.run_at timestamp with time zone": "time", "sync_checkpoints.since timestamp with time zone": "time",
		"sync_checkpoints.after_id text": "ID", "sync_checkpoints.done boolean": "flag",
		"schema_version.version integer": "version", "schema_version.applied_at timestamp with time zone": "time",
	}
	for _, c := range cols {
		assert.Contains(t, role, c, "column %s is not an ID, kind, source or time", c)
	}
	assert.Len(t, cols, len(role), "columns: %v", cols)

	// Kinds and sources are pinned by CHECK constraints: the database itself
	// refuses free text there.
	q := pgx.Identifier{drv(s).Schema()}.Sanitize()
	for _, col := range []string{"object", "source", "entity_kind"} {
		vals := map[string]string{"object": "'lead'", "source": "'sync'", "entity_kind": "'member'"}
		vals[col] = "'Jane Doe'"
		_, err := conn.Exec(ctx, fmt.Sprintf(`INSERT INTO %s.mappings (org, object, record_id, source, entity_kind, entity_id, updated_at)
VALUES ('o', %s, 'r', %s, %s, 'e', now())`, q, vals["object"], vals["source"], vals["entity_kind"]))
		assert.ErrorContains(t, err, "check constraint", "free text accepted in mappings.%s", col)
	}

	// Every stored text value is an ID the test wrote, or a kind or source.
	known := map[string]bool{}
	for _, o := range override.Objects() {
		known[string(o)] = true
	}
	for _, v := range []string{"member", "company", "manual", "sync"} {
		known[v] = true
	}
	for _, table := range []string{"mappings", "rejections"} {
		rows, _ := conn.Query(ctx, fmt.Sprintf(`SELECT org, object, record_id, source, entity_kind, entity_id, updated_by, updated_at FROM %s.%s`, q, table))
		var org, obj, recID, src, kind, entID, by string
		var at time.Time
		n := 0
		_, err := pgx.ForEachRow(rows, []any{&org, &obj, &recID, &src, &kind, &entID, &by, &at}, func() error {
			n++
			for _, id := range []string{org, recID, entID, by} {
				assert.True(t, ids[id], "%s holds %q, not an ID the test wrote", table, id)
			}
			for _, k := range []string{obj, src, kind} {
				assert.True(t, known[k], "%s holds %q, not a kind or source", table, k)
			}
			return nil
		})
		require.NoError(t, err)
		assert.Positive(t, n, "rows in %s", table)
	}
}

// TestErrorsHideDSNPassword opens stores with DSNs whose password is a marker
// and fails in every way it can before a store exists: no error text holds
// the password.
func TestErrorsHideDSNPassword(t *testing.T) {
	const pw = "s3cr3t-Pa55word-XyZ"
	base, err := url.Parse(freshDSN(t))
	require.NoError(t, err)
	withDB := func(user, db string) string {
		u := *base
		u.User = url.UserPassword(user, pw)
		u.Path = "/" + db
		return u.String()
	}
	tests := []struct{ name, dsn string }{
		{"malformed port", "postgres://alice:" + pw + "@127.0.0.1:notaport/db"},
		{"bad sslmode", "postgres://alice:" + pw + "@127.0.0.1:5432/db?sslmode=bogus"},
		{"bad pool option", "postgres://alice:" + pw + "@127.0.0.1:5432/db?pool_max_conns=many"},
		{"unreachable", "postgres://alice:" + pw + "@127.0.0.1:1/db?connect_timeout=2"},
		{"key value unreachable", "host=127.0.0.1 port=1 user=alice password=" + pw + " dbname=db connect_timeout=2"},
		{"key value malformed", "host=127.0.0.1 port=x user=alice password=" + pw},
		{"unknown database", withDB("postgres", "crmlink_no_such_database")},
		{"unknown user", withDB("crmlink_no_such_role", strings.TrimPrefix(base.Path, "/"))},
		// pgx reads a string without a postgres:// scheme as key=value pairs and
		// sends unknown keys to the server, which quotes them back.
		{"misspelled scheme", "postgress://alice:" + pw + "@127.0.0.1:5432/db?sslmode=disable"},
		{"driver scheme", "postgresql+pgx://alice:" + pw + "@127.0.0.1:5432/db?sslmode=disable"},
		// pgx's own error quotes the user info of a URL with a space in it.
		{"space in host", "postgres://alice:" + pw + "@127.0.0.1 /db"},
		{"empty setting swallows password", "host=127.0.0.1 application_name= password=" + pw},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := pgstore.Open(t.Context(), tc.dsn)
			if s != nil {
				_ = s.Close()
			}
			require.Error(t, err)
			for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%v", err)} {
				assert.NotContains(t, text, pw, "error text holds the password")
			}
		})
	}
}

// freshDSN returns the test DSN (and skips without one).
func freshDSN(t *testing.T) string {
	dsn, _ := freshSchema(t)
	return dsn
}
