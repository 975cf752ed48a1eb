-- Version 2: the on/off state of each org's integration. A row means the org
-- was disabled; Purge leaves this table alone, so that an org disabled then
-- purged stays disabled.

CREATE TABLE {{schema}}.org_state (
	org         text COLLATE "C" PRIMARY KEY,
	disabled_at timestamptz NOT NULL DEFAULT now()
);
