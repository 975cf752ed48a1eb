package pgstore

import "strings"

// queries holds the store's SQL with the schema name filled in, built once per
// Store because the schema is an identifier, not a parameter.
type queries struct {
	load, loadOne                    string
	loadOneEnabled, loadEnabled      string
	putMappings, putRejections       string
	deleteMappings, deleteRejections string
	recordsOf, count                 string
	purgeMappings, purgeRejections   string
	purgeCheckpoints                 string
	pageMappings, pageRejections     string
}

// buildQueries returns the queries for the quoted schema name q.
func buildQueries(q string) queries {
	r := strings.NewReplacer("{{m}}", q+".mappings", "{{r}}", q+".rejections", "{{s}}", q+".org_state", "{{c}}", q+".sync_checkpoints")
	const upsertMapping = `
ON CONFLICT (org, object, record_id, source) DO UPDATE SET
	entity_kind = EXCLUDED.entity_kind, entity_id = EXCLUDED.entity_id,
	updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`
	const upsertRejection = `
ON CONFLICT (org, object, record_id, entity_kind, entity_id) DO UPDATE SET
	source = EXCLUDED.source, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`
	const cols = `(org, object, record_id, source, entity_kind, entity_id, updated_at, updated_by)`
	// Rows are written in primary-key order, so that concurrent batches lock
	// the rows they share in the same order and cannot deadlock.
	const unnest = `
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[])
	AS b (org, object, record_id, source, entity_kind, entity_id, updated_at, updated_by)`
	const mappingOrder = `
ORDER BY org COLLATE "C", object COLLATE "C", record_id COLLATE "C", source COLLATE "C"`
	const rejectionOrder = `
ORDER BY org COLLATE "C", object COLLATE "C", record_id COLLATE "C", entity_kind COLLATE "C", entity_id COLLATE "C"`
	return queries{
		// The rows of one record (the Resolver's read), by the primary keys.
		loadOne: r.Replace(`SELECT 1::bigint, false, source, entity_kind, entity_id, updated_at, updated_by FROM {{m}}
WHERE org = $1 AND object = $2 AND record_id = $3
UNION ALL
SELECT 1::bigint, true, source, entity_kind, entity_id, updated_at, updated_by FROM {{r}}
WHERE org = $1 AND object = $2 AND record_id = $3`),
		// loadOne with a first row numbered 0 whose second column says
		// whether the org is disabled: the Resolver's one read.
		loadOneEnabled: r.Replace(`SELECT 0::bigint, EXISTS (SELECT 1 FROM {{s}} WHERE org = $1), ''::text, ''::text, ''::text, to_timestamp(0), ''::text
UNION ALL
SELECT 1::bigint, false, source, entity_kind, entity_id, updated_at, updated_by FROM {{m}}
WHERE org = $1 AND object = $2 AND record_id = $3
UNION ALL
SELECT 1::bigint, true, source, entity_kind, entity_id, updated_at, updated_by FROM {{r}}
WHERE org = $1 AND object = $2 AND record_id = $3`),
		// The rows of each ref, numbered by its position in the arrays.
		load: r.Replace(`WITH b AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS b (org, object, record_id, i))
SELECT b.i, false, m.source, m.entity_kind, m.entity_id, m.updated_at, m.updated_by
FROM b JOIN {{m}} m ON m.org = b.org AND m.object = b.object AND m.record_id = b.record_id
UNION ALL
SELECT b.i, true, j.source, j.entity_kind, j.entity_id, j.updated_at, j.updated_by
FROM b JOIN {{r}} j ON j.org = b.org AND j.object = b.object AND j.record_id = b.record_id`),
		// load with a first row numbered 0 whose second column says whether
		// the org ($4) is disabled: the Syncer's one read per batch.
		loadEnabled: r.Replace(`SELECT 0::bigint, EXISTS (SELECT 1 FROM {{s}} WHERE org = $4), ''::text, ''::text, ''::text, to_timestamp(0), ''::text
UNION ALL
(WITH b AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS b (org, object, record_id, i))
SELECT b.i, false, m.source, m.entity_kind, m.entity_id, m.updated_at, m.updated_by
FROM b JOIN {{m}} m ON m.org = b.org AND m.object = b.object AND m.record_id = b.record_id
UNION ALL
SELECT b.i, true, j.source, j.entity_kind, j.entity_id, j.updated_at, j.updated_by
FROM b JOIN {{r}} j ON j.org = b.org AND j.object = b.object AND j.record_id = b.record_id)`),

		putMappings:   r.Replace(`INSERT INTO {{m}} ` + cols + unnest + mappingOrder + upsertMapping),
		putRejections: r.Replace(`INSERT INTO {{r}} ` + cols + unnest + rejectionOrder + upsertRejection),

		deleteMappings: r.Replace(`DELETE FROM {{m}} t
USING unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS b (org, object, record_id, source)
WHERE t.org = b.org AND t.object = b.object AND t.record_id = b.record_id AND t.source = b.source`),
		deleteRejections: r.Replace(`DELETE FROM {{r}} t
USING unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS b (org, object, record_id, entity_kind, entity_id)
WHERE t.org = b.org AND t.object = b.object AND t.record_id = b.record_id
	AND t.entity_kind = b.entity_kind AND t.entity_id = b.entity_id`),

		recordsOf: r.Replace(`SELECT DISTINCT object, record_id FROM {{m}}
WHERE org = $1 AND entity_kind = $2 AND entity_id = $3 ORDER BY object, record_id`),
		count: r.Replace(`SELECT (SELECT count(*) FROM {{m}} WHERE org = $1) + (SELECT count(*) FROM {{r}} WHERE org = $1)`),

		purgeMappings:   r.Replace(`DELETE FROM {{m}} WHERE org = $1`),
		purgeRejections: r.Replace(`DELETE FROM {{r}} WHERE org = $1`),
		// Checkpoints go with the mappings, so that the next sync reads everything.
		purgeCheckpoints: r.Replace(`DELETE FROM {{c}} WHERE org = $1`),

		// Keyset pagination in primary-key order; $2.. are the key of the last row read.
		pageMappings: r.Replace(`SELECT object, record_id, source, entity_kind, entity_id, updated_at, updated_by FROM {{m}}
WHERE org = $1 AND (object, record_id, source) > ($2, $3, $4)
ORDER BY object, record_id, source LIMIT $5`),
		pageRejections: r.Replace(`SELECT object, record_id, source, entity_kind, entity_id, updated_at, updated_by FROM {{r}}
WHERE org = $1 AND (object, record_id, entity_kind, entity_id) > ($2, $3, $4, $5)
ORDER BY object, record_id, entity_kind, entity_id LIMIT $6`),
	}
}
