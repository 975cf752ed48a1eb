// Package override keeps the mappings between CRM records and network
// entities that nothing may lose: the ones a user made by hand (manual) and
// the ones the CRM sync job made (sync), and the rejections ("not this one")
// users recorded. Only IDs and times are stored.
//
// A [Mapping] links a [RecordRef] (org, object, record ID) to an [EntityRef]
// (member or company ID), with its [Source], the time and the CRM user who
// made it. A record has at most one manual and one sync mapping; the manual
// one wins ([Effective], [Store.Get]). A rejection is a Mapping with
// Rejected set, keyed by record and entity, so a record may have many; it is
// never returned as a record's mapping, and a resolver skips rejected
// entities ([Record.Resolve], [Store.Rejected], [Store.Rejections]).
//
// # The portable Store and its drivers
//
// Programs hold a [*Store], the portable type, as they hold a *sql.DB. It
// owns what is the same for every backend: validation, the context and
// closed checks, the one precedence rule, rejections, batching and error
// classification. Storage is left to a [Driver], a thin interface with what
// differs: load the records of a batch of refs, apply a batch of writes
// atomically, scan an org in order, count, purge, close.
//
// [Store.Lookup] and [Store.Load] read everything stored for one record or a
// batch of records in one driver call, and [Store.Write] applies a [Batch] of
// puts, deletes and unrejections atomically: a resolver reads once per
// record, a sync job once per batch.
//
// This package has the in-memory driver, [NewMemory], for tests and small
// programs; the durable ones live in their own packages so that this one
// imports no driver:
//
//   - github.com/crmlink/crmlink/override/boltstore: the embedded default, one
//     bbolt file, for a single process;
//   - github.com/crmlink/crmlink/override/pgstore: PostgreSQL, for many
//     service replicas sharing one store;
//   - github.com/crmlink/crmlink/override/storetest: the driver suite every
//     driver passes, the rule suite of the Store, and a crash test.
//
// A driver package's Open returns a *Store; its raw handle stays reachable
// (boltstore.DB, pgstore.Pool, or a type assertion on [Store.Driver]).
//
// # Opening by URL
//
// A [Registry] opens a store from a URL ("mem:", "bolt:///path/file.db",
// "postgres://..."). A program fills its own registry with the drivers it
// links, so that one that registers no PostgreSQL driver links no pgx; there
// is no global registry and no scheme is built in:
//
//	var reg override.Registry
//	reg.Register("mem", override.OpenMemory)
//	reg.Register("bolt", boltstore.OpenURL)
//	reg.Register("postgres", pgstore.OpenURL)
//	st, err := reg.Open(ctx, os.Getenv("STORE_URL"))
//
// [Copy] moves an org's mappings from one store to another, e.g. from the
// embedded default to PostgreSQL.
//
// # Writing a driver
//
// A driver implements [Driver] and nothing else: a Store validates and
// prepares every input before the driver sees it (IDs valid, UpdatedAt set,
// in UTC, to the microsecond), keeps only the last write of each [Key] in a
// batch, checks ctx and the closed state before each call, and wraps the
// driver's errors with the operation. So a driver:
//
//   - stores mappings under their [Key] ([KeyOf]): (record, source) for a
//     mapping, (record, entity) for a rejection; a put replaces what its key
//     holds, a delete of an empty key succeeds;
//   - in [Driver.Load], returns everything stored under each ref in one read
//     (one transaction, one query); the Store orders it and applies the rules
//     ([Record.Effective], [Record.Resolve]);
//   - in [Driver.Apply], applies the whole batch in one transaction, all or
//     nothing, and durably before it returns if it claims durability;
//   - in [Driver.Scan], returns a page of an org in the order of [Compare],
//     after a given key, holding no transaction or connection once it
//     returns; the Store builds [Store.Mappings] on it;
//   - keeps a per-org count for [Driver.Count] and removes an org in one
//     transaction in [Driver.Purge];
//   - returns errors wrapping [ErrCorrupt], [ErrLocked] or
//     [ErrSchemaVersion] where they apply, and never puts a record's data in
//     them (IDs are fine);
//   - may implement [EntityIndex] to serve [Store.RecordsOf] from an index,
//     [OrgStater] and [StateLoader] for the on/off state of orgs, and
//     [Checkpointer] for sync checkpoints (removed by its Purge).
//
// Its package offers an Open returning [New] over the driver, an opener for
// a [Registry], and an accessor to its raw handle. Its tests run
// storetest.RunDriver (and storetest.RunCrash if it is durable); the rules
// are the Store's and are tested once, over the in-memory driver. A driver
// never encodes precedence: "manual beats sync" is written once, in
// [Effective].
//
// # Errors
//
// Errors match a few sentinels with [errors.Is]: [ErrInvalid] for input that
// fails validation (nothing is written; a [*ValidationError] names the field
// and the reason) or an unusable URL ([*URLError]), [ErrClosed] after Close,
// and for durable stores [ErrLocked], [ErrCorrupt] and [ErrSchemaVersion]. A
// canceled or expired context gives an error matching [context.Canceled] or
// [context.DeadlineExceeded]. Absence is not an error: Get reports it with
// ok == false.
//
// Validation accepts IDs of 1 to [MaxIDLen] bytes of valid UTF-8 without
// control characters, the known objects, kinds and sources, and an UpdatedAt
// in years 1 to 9999 (zero means "now"). Stores keep UpdatedAt to the
// microsecond, in UTC ([Prepare]).
//
// # Concurrency
//
// A [*Store], and every [Driver], is safe for concurrent use by multiple
// goroutines. [Store.Mappings] is not a snapshot: its loop body may write to
// the store, and a mapping not written during the walk is yielded exactly
// once.
//
// # Privacy
//
// [Mapping] has no field where a name, an email, a title or any other record
// data could go: only IDs, kinds, the source and a time. Errors name the
// operation and the field, never a value; a [*ValidationError] holds no value.
// Purge removes everything of an org, rejections included, and says how much
// it removed.
package override
