-- Version 1: the directory's entities and the inverted index of their
-- matcher keys. {{schema}} is replaced by the quoted schema name.
--
-- entities holds the profile fields the matcher normalises (directory data,
-- not CRM records) under a sequence number that orders the postings, as a
-- slot orders them in memdir.
CREATE TABLE {{schema}}.entities (
	seq         bigint PRIMARY KEY,
	kind        smallint NOT NULL CHECK (kind IN (1, 2)),
	id          text COLLATE "C" NOT NULL CHECK (id <> ''),
	nkeys       integer NOT NULL,
	name        text NOT NULL DEFAULT '',
	industry    text NOT NULL DEFAULT '',
	location    text NOT NULL DEFAULT '',
	website     text NOT NULL DEFAULT '',
	first_name  text NOT NULL DEFAULT '',
	last_name   text NOT NULL DEFAULT '',
	company     text NOT NULL DEFAULT '',
	title       text NOT NULL DEFAULT '',
	email_hash  bytea,
	UNIQUE (kind, id)
);

-- postings: one row per (key, entity). The key is the matcher.Key as a
-- signed 64-bit integer; its low byte is the key's tag, so exactness and
-- variants need no column. nkeys is the entity's key count, copied here so
-- that ranking reads the index alone (an index-only scan of the primary key).
CREATE TABLE {{schema}}.postings (
	key   bigint NOT NULL,
	seq   bigint NOT NULL,
	nkeys integer NOT NULL,
	PRIMARY KEY (key, seq) INCLUDE (nkeys)
);

-- key_counts: the document frequency of each key (entities of any kind),
-- kept in the transaction that changes the postings. A writer adds its
-- deltas (+1 per new key, -1 per dropped one) in one INSERT ... ON CONFLICT
-- in key order, so that writers lock count rows in one order; the proposed
-- row of a -1 is negative, hence no CHECK (n >= 0). A count may reach 0 and
-- stay: readers ignore it.
CREATE TABLE {{schema}}.key_counts (
	key bigint PRIMARY KEY,
	n   integer NOT NULL
);

-- kind_counts: live entities by kind.
CREATE TABLE {{schema}}.kind_counts (
	kind smallint PRIMARY KEY,
	n    bigint NOT NULL CHECK (n >= 0)
);
INSERT INTO {{schema}}.kind_counts (kind, n) VALUES (1, 0), (2, 0);

-- meta: the next sequence number. Writers that add entities take its row
-- lock, so that a bulk load's numbers are contiguous and in input order.
CREATE TABLE {{schema}}.meta (
	one      boolean PRIMARY KEY DEFAULT true CHECK (one),
	next_seq bigint NOT NULL
);
INSERT INTO {{schema}}.meta (next_seq) VALUES (0);
