package pgstore

import "strings"

// queries holds the store's SQL with the schema name filled in, built once per
// Store because the schema is an identifier, not a parameter.
type queries struct {
	get, getSource                 string
	putMapping, putRejection       string
	putMappings, putRejections     string
	delete                         string
	rejected, rejections, unreject string
	recordsOf, count               string
	purgeMappings, purgeRejections string
	pageMappings, pageRejections   string
}

// buildQueries returns the queries for the quoted schema name q.
func buildQueries(q string) queries {
	r := strings.NewReplacer("{{m}}", q+".mappings", "{{r}}", q+".rejections")
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
		// 'manual' sorts before 'sync': the first row is the effective mapping.
		get: r.Replace(`SELECT source, entity_kind, entity_id, updated_at, updated_by FROM {{m}}
WHERE org = $1 AND object = $2 AND record_id = $3 ORDER BY source LIMIT 1`),
		getSource: r.Replace(`SELECT source, entity_kind, entity_id, updated_at, updated_by FROM {{m}}
WHERE org = $1 AND object = $2 AND record_id = $3 AND source = $4`),

		putMapping:    r.Replace(`INSERT INTO {{m}} ` + cols + ` VALUES ($1, $2, $3, $4, $5, $6, $7, $8)` + upsertMapping),
		putRejection:  r.Replace(`INSERT INTO {{r}} ` + cols + ` VALUES ($1, $2, $3, $4, $5, $6, $7, $8)` + upsertRejection),
		putMappings:   r.Replace(`INSERT INTO {{m}} ` + cols + unnest + mappingOrder + upsertMapping),
		putRejections: r.Replace(`INSERT INTO {{r}} ` + cols + unnest + rejectionOrder + upsertRejection),

		delete: r.Replace(`DELETE FROM {{m}} WHERE org = $1 AND object = $2 AND record_id = $3 AND source = $4`),

		rejected: r.Replace(`SELECT EXISTS (SELECT 1 FROM {{r}}
WHERE org = $1 AND object = $2 AND record_id = $3 AND entity_kind = $4 AND entity_id = $5)`),
		rejections: r.Replace(`SELECT entity_kind, entity_id FROM {{r}}
WHERE org = $1 AND object = $2 AND record_id = $3 ORDER BY entity_kind, entity_id`),
		unreject: r.Replace(`DELETE FROM {{r}}
WHERE org = $1 AND object = $2 AND record_id = $3 AND entity_kind = $4 AND entity_id = $5`),

		recordsOf: r.Replace(`SELECT DISTINCT object, record_id FROM {{m}}
WHERE org = $1 AND entity_kind = $2 AND entity_id = $3 ORDER BY object, record_id`),
		count: r.Replace(`SELECT (SELECT count(*) FROM {{m}} WHERE org = $1) + (SELECT count(*) FROM {{r}} WHERE org = $1)`),

		purgeMappings:   r.Replace(`DELETE FROM {{m}} WHERE org = $1`),
		purgeRejections: r.Replace(`DELETE FROM {{r}} WHERE org = $1`),

		// Keyset pagination in primary-key order; $2.. are the key of the last row read.
		pageMappings: r.Replace(`SELECT object, record_id, source, entity_kind, entity_id, updated_at, updated_by FROM {{m}}
WHERE org = $1 AND (object, record_id, source) > ($2, $3, $4)
ORDER BY object, record_id, source LIMIT $5`),
		pageRejections: r.Replace(`SELECT object, record_id, source, entity_kind, entity_id, updated_at, updated_by FROM {{r}}
WHERE org = $1 AND (object, record_id, entity_kind, entity_id) > ($2, $3, $4, $5)
ORDER BY object, record_id, entity_kind, entity_id LIMIT $6`),
	}
}
