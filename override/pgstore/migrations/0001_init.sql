-- Version 1: manual and CRM-sync mappings, and rejections.
-- Identifiers, kinds, sources and times only: no column can hold record data.
-- {{schema}} is replaced by the quoted schema name. Text columns use the "C"
-- collation so that ordering is by bytes, as in the other stores.

CREATE TABLE {{schema}}.mappings (
	org         text COLLATE "C" NOT NULL,
	object      text COLLATE "C" NOT NULL CHECK (object IN ('lead', 'contact', 'account', 'opportunity')),
	record_id   text COLLATE "C" NOT NULL,
	source      text COLLATE "C" NOT NULL CHECK (source IN ('manual', 'sync')),
	entity_kind text COLLATE "C" NOT NULL CHECK (entity_kind IN ('member', 'company')),
	entity_id   text COLLATE "C" NOT NULL,
	updated_at  timestamptz NOT NULL,
	updated_by  text COLLATE "C" NOT NULL DEFAULT '',
	PRIMARY KEY (org, object, record_id, source)
);

-- Reverse lookup: which records of an org map to this entity. The record
-- columns make it covering and give RecordsOf its order without a sort.
CREATE INDEX mappings_entity_idx ON {{schema}}.mappings (org, entity_kind, entity_id, object, record_id);

CREATE TABLE {{schema}}.rejections (
	org         text COLLATE "C" NOT NULL,
	object      text COLLATE "C" NOT NULL CHECK (object IN ('lead', 'contact', 'account', 'opportunity')),
	record_id   text COLLATE "C" NOT NULL,
	entity_kind text COLLATE "C" NOT NULL CHECK (entity_kind IN ('member', 'company')),
	entity_id   text COLLATE "C" NOT NULL,
	source      text COLLATE "C" NOT NULL CHECK (source IN ('manual', 'sync')),
	updated_at  timestamptz NOT NULL,
	updated_by  text COLLATE "C" NOT NULL DEFAULT '',
	PRIMARY KEY (org, object, record_id, entity_kind, entity_id)
);
