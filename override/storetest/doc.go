// Package storetest is the conformance suite every [override.Store] driver
// passes, and a crash test for durable drivers.
//
// # Conformance
//
// A driver's test calls [Run] with a [Harness] that opens the store under
// test, from an external test package so that the in-memory store of package
// override runs the suite too:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) storetest.Harness {
//			return harness{path: filepath.Join(t.TempDir(), "overrides.db")}
//		})
//	}
//
// The suite checks semantics (Put, Get, precedence of manual over sync,
// rejections, Delete, the order of Mappings, RecordsOf, Count, Purge),
// isolation between orgs, PutBatch atomicity, validation of bad input and
// that errors never echo the value they reject, concurrent use (meaningful
// under -race), writing while iterating, breaking out of an iteration,
// context cancellation, ErrClosed after Close (and for calls racing Close)
// and, for durable stores, re-opening. Every subtest works in orgs with random names, so stores shared
// by concurrently running test packages (one PostgreSQL database) are fine.
//
// # Crash safety
//
// [RunCrash] re-executes the test binary as a child process that writes to the
// store and is killed with SIGKILL at random moments, many times; after each
// kill the store must open cleanly, hold every write that was acknowledged and
// no partial batch. The package's TestMain calls [CrashChild] first:
//
//	func TestMain(m *testing.M) {
//		storetest.CrashChild(func(ctx context.Context, target string) (override.Store, error) {
//			return boltstore.Open(target)
//		})
//		os.Exit(m.Run())
//	}
//
//	func TestCrash(t *testing.T) {
//		path := filepath.Join(t.TempDir(), "overrides.db")
//		storetest.RunCrash(t, storetest.CrashConfig{
//			Target: path,
//			Open:   func(ctx context.Context) (override.Store, error) { return boltstore.Open(path) },
//		})
//	}
package storetest
