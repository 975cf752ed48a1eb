// Package boltstore is the embedded durable default driver of
// [override.Store]: every mapping of every org in one bbolt (go.etcd.io/bbolt)
// file, for a program that runs as a single process. [Open] returns the
// portable [*override.Store]; the [Driver] keeps only the encoding, the
// transactions and the paging, and the rules are the Store's.
//
//	s, err := boltstore.Open("/var/lib/myapp/overrides.db")
//	if err != nil {
//		return err
//	}
//	defer s.Close()
//
// A program that takes its store as a URL registers [OpenURL] in its
// [override.Registry] and opens "bolt:///var/lib/myapp/overrides.db". [DB]
// returns the bbolt database under a Store, for backups and statistics, and
// [Driver.CompactTo] writes a compacted copy. When the program grows
// to several replicas, move to [github.com/crmlink/crmlink/override/pgstore]
// with [override.Copy].
//
// # Layout
//
// The file holds one bucket tree per org, so purging an org deletes one
// bucket and no lookup of one org can reach another's keys. In each org's
// tree, one bucket holds the mappings and rejections keyed by object, record
// ID and source (or rejected entity), in the order [override.Store.Mappings]
// walks them; a second bucket indexes the mappings by entity for
// [override.Store.RecordsOf]; a counter makes Count and Purge O(1).
// Keys and values are compact binary: one-byte codes for the object, kind and
// source, the IDs, and the time as microseconds since 1970. The file records
// its [SchemaVersion], checked on open. Two top-level buckets sit beside the
// orgs' trees: the disabled orgs ([override.OrgStater]) and the sync
// checkpoints ([override.Checkpointer]), one small value per org and object,
// which Purge deletes with the org's tree in one transaction. Both are created
// when first written, so files of earlier versions open unchanged.
//
// # Options
//
//   - [WithLockTimeout]: how long Open waits for another process holding the
//     file (default 1s), before [override.ErrLocked].
//   - [WithFileMode]: permissions of a new file (default 0600).
//   - [WithNoSync]: no fsync on commit, for tests and re-doable bulk loads.
//
// # Errors
//
// Open returns errors matching [override.ErrLocked] (another process has the
// file open), [override.ErrCorrupt] (not a bbolt file, damaged, or a bbolt
// file of another program) and [override.ErrSchemaVersion] (written by a newer
// version). The Store validates input and returns [override.ErrClosed] after
// Close; a driver call racing Close returns it too. A key or
// value that cannot be decoded gives [override.ErrCorrupt], and so does a
// panic of bbolt on a damaged page, which is recovered.
//
// # Concurrency
//
// A Driver is safe for concurrent use by multiple goroutines: reads run in
// parallel, writes are serialised by bbolt, [Driver.Apply] is one
// transaction and [Driver.Load] one read transaction for a whole batch.
// [Driver.Scan] reads one page per read transaction, so the loop body of
// [override.Store.Mappings] may write to the store.
// Only one process may open a file at a time (bbolt holds an flock).
//
// # Privacy
//
// The file holds org, record, entity and CRM user IDs, one-byte codes for the
// object, entity kind and source, and times; no key or value has room for
// anything else (see the package's privacy test, which decodes every key and
// value of a written file and scans its raw bytes). Purge deletes an org's
// tree, but bbolt does not zero the pages it frees: a purged org's IDs stay in
// free pages of the file until they are reused. Where that matters, follow a
// Purge with [Driver.CompactTo], which writes a copy without free pages, and
// replace the file with it.
//
// # Caveats
//
// bbolt memory-maps the file; its size is bounded by the address space, not
// by RAM. A commit fsyncs the file (twice); many small Puts are slower than
// one PutBatch. The file never shrinks by itself.
package boltstore
