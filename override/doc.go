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
// entities ([Store.Rejected], [Store.Rejections]).
//
// # Drivers
//
// [Store] is the interface every store implements; crmlink's Resolver and
// Syncer consume it. This package has the in-memory store, [NewMemory], for
// tests and small programs; the durable ones live in their own packages so
// that this one imports no driver:
//
//   - github.com/crmlink/crmlink/override/boltstore: the embedded default, one
//     bbolt file, for a single process;
//   - github.com/crmlink/crmlink/override/pgstore: PostgreSQL, for many
//     service replicas sharing one store;
//   - github.com/crmlink/crmlink/override/storeurl opens any of them from a
//     URL ("mem:", "bolt:///path/file.db", "postgres://..."), with no global
//     registry;
//   - github.com/crmlink/crmlink/override/storetest is the conformance suite
//     they all pass.
//
// [Copy] moves an org's mappings from one store to another, e.g. from the
// embedded default to PostgreSQL.
//
// # Errors
//
// Errors match a few sentinels with [errors.Is]: [ErrInvalid] for input that
// fails validation (nothing is written; a [*ValidationError] names the field
// and the reason), [ErrClosed] after Close, and for durable stores
// [ErrLocked], [ErrCorrupt] and [ErrSchemaVersion]. A canceled or expired
// context gives an error matching [context.Canceled] or
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
// Every Store, [Memory] included, is safe for concurrent use by multiple
// goroutines. [Store.Mappings] is not a snapshot: its loop body may write to
// the store, and a mapping not written during the walk is yielded exactly once.
//
// # Privacy
//
// [Mapping] has no field where a name, an email, a title or any other record
// data could go: only IDs, kinds, the source and a time. Errors name the
// operation and the field, never a value; a [*ValidationError] holds no value.
// Purge removes everything of an org, rejections included, and says how much
// it removed.
package override
