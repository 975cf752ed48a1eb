// Package storeurl opens an [override.Store] from a URL, for programs and
// examples that take their store as a flag or an environment variable:
//
//	mem:                                   in memory (override.NewMemory), lost at exit
//	bolt:///var/lib/myapp/overrides.db     the embedded default (boltstore), one file
//	postgres://user@db:5432/crm            PostgreSQL (pgstore), for many replicas
//	postgresql://...                       the same
//
// It sits above the drivers, so that package override imports none of them,
// and it has no registry: [Open] knows the three drivers of this module. A
// program that wants other drivers switches on the scheme itself.
//
// # Drivers
//
// "bolt" URLs take an absolute path (three slashes: no host) and the query
// parameter lock_timeout (a Go duration, see [boltstore.WithLockTimeout]).
// "postgres" URLs are handed to [pgstore.Open], with every pgx parameter
// (sslmode, pool_max_conns, ...); the parameter crmlink_schema selects the
// PostgreSQL schema ([pgstore.WithSchema]) and is not sent to the server.
//
// # Errors
//
// An unusable URL gives a [*URLError], which matches [override.ErrInvalid];
// the drivers' errors are returned as they are ([override.ErrLocked],
// [override.ErrCorrupt], [override.ErrSchemaVersion], connection errors).
//
// # Privacy
//
// Errors never contain the URL, nor the password it may carry: a URLError
// holds only the scheme and a reason, and a driver error that quotes the
// password is redacted.
//
// # Concurrency
//
// Open is safe to call from multiple goroutines; the stores it returns are
// safe for concurrent use.
package storeurl
