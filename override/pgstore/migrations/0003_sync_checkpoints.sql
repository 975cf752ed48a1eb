-- Version 3: sync checkpoints, one row per (org, object): where the last sync
-- run stands, so that a run that stopped resumes and a later run reads only
-- what changed. IDs, times and a flag only. Purge deletes an org's rows with
-- its mappings.

CREATE TABLE {{schema}}.sync_checkpoints (
	org        text COLLATE "C" NOT NULL,
	object     text COLLATE "C" NOT NULL CHECK (object IN ('lead', 'contact', 'account', 'opportunity')),
	run_at     timestamptz NOT NULL,
	since      timestamptz,
	after_id   text COLLATE "C" NOT NULL DEFAULT '',
	done       boolean NOT NULL DEFAULT false,
	PRIMARY KEY (org, object)
);
