// Package pgdir is a [matcher.Directory] on PostgreSQL (pgx): the same
// candidates as memdir for the same content, so that accuracy does not
// change with the backend, in a database that replicas share.
//
// # What it stores
//
// pgdir indexes the engine's own retrieval keys ([matcher.Entity.Keys]), not
// a trigram similarity: the 64-bit FNV keys of name tokens and their
// one-edit deletions, acronyms, nickname roots, website domains and labels,
// email hashes and the rest. Four tables live in one schema ([WithSchema]):
//
//   - entities: one row per entity under a sequence number (seq), with the
//     profile fields the matcher normalises (name, industry, location,
//     website; first and last name, employer, title, location and the
//     SHA-256 of the email) and its number of keys. It is directory data,
//     never CRM data; members' emails are held only as hashes.
//   - postings (key, seq, nkeys): one row per key of an entity, primary
//     key (key, seq) including nkeys, so that a query reads a posting list
//     from the index alone, in sequence order. A key's low byte is its tag:
//     whether a key is exact (email, domain) or a spelling variant
//     ([matcher.Key.Variant]) needs no column, nor does the kind (keys are
//     tagged by kind).
//   - key_counts (key, n): each key's document frequency, kept in the
//     transaction that changes its postings; [Dir.KeyCounts] reads it for
//     the engine's term frequencies.
//   - kind_counts (kind, n) and meta (the next sequence number).
//
// Migrations are embedded and versioned (pgdir_schema_version), applied
// under an advisory lock by [Open], so replicas may start at once. The table
// names do not collide with override/pgstore's: both may share a schema.
//
// # Candidate selection
//
// [Dir.Candidates] is memdir's algorithm: the posting lists of the query's
// keys are visited exact keys first, then rarest first (the same sort on the
// same input as memdir), within the posting budget ([WithPostingBudget],
// memdir's default); an entity touched gathers log2(1+N/df) per shared key
// (plus a boost for an exact key, and one variant key at most of each
// variant group, [matcher.Query.VariantGroups]), less 0.02 per key it
// holds, in float32 as memdir; a member query's lists of 1,000 postings or
// more, once limit entities are met, only add to those; the limit best
// (ties to the lower sequence number) are returned in ID order. A bulk load
// numbers entities in input order as memdir numbers its slots, so a pgdir
// and a memdir loaded with the same entities in the same order return the
// same candidates, key counts and samples ([Dir.Sample]);
// TestSameCandidatesAsMemdir checks it on 600 queries of both kinds, and
// the engine's results are equal. After
// removals the two may differ on ties and on which postings a cut list
// keeps: memdir reuses freed slots, pgdir numbers new entities last.
//
// A query takes two round trips. The first reads the key counts and, in
// the same statement (one snapshot), the postings the visit may need: the
// server orders the lists as memdir does and reads each as far as any
// order of lists of equal count may visit it, so Go's sort then cuts them
// exactly as memdir's. The second reads the winners' profiles. Ranking is
// done in Go, where memdir's arithmetic is reproduced exactly. The engine's
// term-frequency counts are read in the first round trip too and handed to
// its [Dir.KeyCounts] call ([WithCountReuse]).
//
// Two caches per Dir cut the work of repeated content, and both follow
// changes made by any replica at once, because they are versioned by row
// versions (xmin) the server checks in the same round trips: posting lists
// by key ([WithPostingCache]), versioned by the key's count row, which
// every change to the key's postings rewrites, so that common keys are not
// read again; and prepared (normalised) entities by sequence number
// ([WithEntityCache]), versioned by the entity's row, so that winners are
// not sent and normalised again. A version is a 32-bit transaction ID: a
// cached entry could only be taken for another after the same row number
// was rewritten by a transaction of the same ID, 2^32 transactions later.
//
// # Changes and concurrency
//
// [Dir.AddCompanies] and [Dir.AddMembers] load in bulk with COPY in one
// transaction (all or nothing); into an empty directory they build the
// postings index after the copy (queries wait for that first load), and a
// large load wants a VACUUM ANALYZE before index-only scans pay off; [Dir.UpsertCompany], [Dir.UpsertMember] and
// [Dir.Remove] change one entity in one transaction, so readers (any number,
// in any process) see an entity before or after a change, never half of it.
// Writers lock rows in one order (the entity's advisory lock, meta, key
// counts in key order, kind counts), so concurrent writers do not deadlock;
// an upsert or a removal finds the postings to drop by deriving the stored
// profile's keys again (keys are stable within a major version; reload the
// directory after an upgrade that changes them);
// new entities and bulk loads serialise on the meta row. A count that falls
// to zero stays as a zero row.
//
// # Distribution (Citus and sharding)
//
// The postings table is the large one (about 18 rows per synthetic company,
// 1.6 GB per 1,000,000 companies with its index) and is read by key:
// distribute it by key (create_distributed_table('postings', 'key')), and
// co-locate key_counts on key with it, so that a key's postings and its count
// live on one shard and a query's per-key reads are single-shard index scans
// run in parallel across workers. The visiting order and the budget need the
// counts of all the query's keys before any postings are read, which is why
// the counts and postings are read by one statement that joins them by key. Entities are read by seq for
// the few winners and by (kind, id) for [Dir.Entity]: distribute them by seq
// (or keep them a reference table while they fit on every node; they are
// small next to the postings). kind_counts and meta are single-row
// reference tables. An entity's writes then touch several shards, which
// Citus runs as one distributed transaction.
//
// # When to move from memdir
//
// memdir answers in tens of microseconds and needs no server, but every
// process holds the whole index in its heap (about 0.9 KiB per company) and
// loads it at start. Move to pgdir when the directory no longer fits
// comfortably in each replica's memory, when start-up reloads take too long,
// or when many replicas must see one directory change at once (an upsert is
// visible to every replica at commit). The section "PostgreSQL directory
// (pgdir)" of docs/measured.md gives measured latencies against memdir's in
// the same runs. Keep the override store next to it: override/pgstore in the
// same database, for replicas that share corrections.
//
// Vocabulary lookups (memdir's WithVocabulary) are not implemented: pgdir
// matches memdir's default configuration.
package pgdir
