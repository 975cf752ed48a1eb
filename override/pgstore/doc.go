// Package pgstore is the PostgreSQL driver of [override.Store], for many
// service replicas sharing one store of manual and CRM-sync mappings. [Open]
// and [OpenPool] return the portable [*override.Store]; the [Driver] keeps
// only the SQL, the transactions, the paging and the migrations, and the rules
// are the Store's.
//
// It uses github.com/jackc/pgx/v5 and its pgxpool. [Open] takes a DSN and owns
// the pool it makes; [OpenPool] works over a pool the caller owns. Both create
// the store's schema if needed and apply the embedded, versioned migrations:
//
//	s, err := pgstore.Open(ctx, "postgres://crmlink@db.internal:5432/crm?sslmode=verify-full")
//	if err != nil {
//		return err
//	}
//	defer s.Close()
//
// A program that takes the store as a URL registers [OpenURL] in its
// [override.Registry] under "postgres" and "postgresql"; only a program that
// does so links pgx.
//
// # Schema
//
// The store keeps its tables in its own PostgreSQL schema (default
// [DefaultSchema], see [WithSchema]):
//
//   - mappings: manual and sync mappings, primary key (org, object, record_id,
//     source), and an index on (org, entity_kind, entity_id, object,
//     record_id) for [override.Store.RecordsOf];
//   - rejections: primary key (org, object, record_id, entity_kind, entity_id);
//   - org_state: one row per disabled org ([override.OrgStater]);
//   - sync_checkpoints: primary key (org, object), where the last sync run
//     of each object stands ([override.Checkpointer]; migration 3);
//   - schema_version: one row per applied migration.
//
// Writes are upserts (INSERT ... ON CONFLICT DO UPDATE) and deletes.
// [Driver.Apply] writes a whole batch in one transaction with at most one
// statement per table and kind of write over unnest() arrays, so tens of
// thousands of mappings take one round trip each. [Driver.Load] reads the
// records of a whole batch in one query. [Driver.Scan] reads an org by keyset
// pagination, never holding more than a page per table nor a connection while
// the loop body of [override.Store.Mappings] runs.
//
// Migrations run in one transaction under a pg_advisory_xact_lock keyed by the
// schema name, so replicas starting at once apply each step exactly once; a
// schema recorded with a version newer than [SchemaVersion] is refused with
// [override.ErrSchemaVersion] rather than written by older code.
//
// # Options
//
//   - [WithSchema]: the PostgreSQL schema of the tables (default "crmlink").
//     Stores in different schemas share nothing: use one per tenant, or one
//     per test on a shared test database.
//   - [WithPageSize]: at most this many rows per query of [Driver.Scan]
//     (default 1000).
//
// Pool settings (pool_max_conns, pool_max_conn_lifetime, ...) go in the DSN, or
// configure a pool with [pgxpool.ParseConfig] and [pgxpool.NewWithConfig] and
// pass it to [OpenPool]. [Pool] returns the pool under a Store for what
// [override.Store] does not cover.
//
// # Errors
//
// Errors wrap the sentinels of [override] ([override.ErrInvalid] for bad input,
// nothing written, and for a malformed DSN or bad option; [override.ErrClosed]
// after Close; [override.ErrSchemaVersion]) and keep the pgx error
// reachable with [errors.As] (*pgconn.PgError, *pgconn.ConnectError), except
// for a malformed DSN, whose pgx error is replaced by its redacted text (see
// Privacy). A canceled or expired ctx gives an error matching
// [context.Canceled] or [context.DeadlineExceeded].
//
// # Concurrency
//
// A Driver is safe for concurrent use by multiple goroutines, and any number of
// Drivers, in any number of processes, may share one schema: every write is a
// single statement or a single transaction, and the database serialises
// concurrent upserts of one key. [Driver.Apply] upserts its rows in key
// order, so that concurrent batches sharing rows cannot deadlock, and takes a
// shared advisory lock per org, which [Driver.Purge] takes exclusively: a purge
// removes a concurrent batch whole or leaves it whole. A transaction the
// server aborts for a deadlock or a serialization failure (it wrote nothing)
// is run again, a few times, before its error is returned.
//
// # Privacy
//
// The tables hold IDs (org, CRM record, network entity, CRM user), the object
// kind, the entity kind, the source and a timestamp; no column could hold a
// name, an email or any other record data, and CHECK constraints pin the kinds
// and sources to their known values. Error messages name the operation and,
// for validation, the offending field, never its value. They never contain the
// DSN's password: this package never quotes the DSN, redacts what pgx's errors
// quote of a malformed one (withholding the details where the password cannot
// be told apart), and refuses, with [override.ErrInvalid], a DSN that pgx
// would misread so as to send the password to the server as a run-time
// parameter (a URL whose scheme is not postgres or postgresql, a key=value
// setting left empty before "password=").
//
// # Caveats
//
//   - UpdatedAt is stored as timestamptz, with microsecond precision, and read
//     back in UTC ([override.Prepare] truncates it before writing, as every
//     store does).
//   - Text columns use the "C" collation, so [Driver.Scan] and
//     [Driver.RecordsOf] order by bytes, as the other stores do, whatever the
//     database's locale.
//   - [override.Store.Mappings] is not a snapshot (it holds no transaction
//     open across pages): a mapping written or deleted during a walk may or
//     may not be seen, so a walk that overlaps a batch may see part of it; a
//     mapping neither written nor deleted is seen exactly once. A batch itself
//     is atomic: Load and Count see all of it or none of it.
//   - A client killed while its COMMIT is in flight may still have its batch
//     committed by the server: "not acknowledged" does not mean "not written"
//     (it never means "partly written").
//   - Closing a store made by [Open] closes its pool and waits for queries in
//     flight; calls made after Close return [override.ErrClosed].
//   - The role needs CREATE on the database the first time a schema is made,
//     and CREATE on the schema for a migration; after that, SELECT, INSERT,
//     UPDATE and DELETE on the tables suffice.
package pgstore
