// Package storetest holds the suites of the override store: the driver suite
// every [override.Driver] passes, the rule suite of the portable
// [override.Store], and a crash test for durable drivers.
//
// # Driver suite
//
// A driver's test calls [RunDriver] with a [DriverHarness] that opens the
// driver under test, from an external test package:
//
//	func TestDriver(t *testing.T) {
//		storetest.RunDriver(t, func(t *testing.T) storetest.DriverHarness {
//			return harness{path: filepath.Join(t.TempDir(), "overrides.db")}
//		})
//	}
//
// It is short, because a driver does little: Load (everything of a record,
// one Record per ref, nothing of another org or object), Apply (puts replace
// their key only, deletes of nothing succeed, and concurrent readers see a
// batch whole or not at all), Scan (the order of [override.Compare] under any
// page size, nothing of another org), Count and Purge, for durable
// drivers, re-opening, and the optional abilities every driver here has: the
// org on/off state ([override.OrgStater], [override.StateLoader]) and sync
// checkpoints ([override.Checkpointer]: one per org and object, replaced by a
// put, removed by Purge, kept across re-opening).
//
// # Rule suite
//
// [Run] checks the rules the portable Store owns, once, over the in-memory
// driver (package override's TestRules): Put, Get, the precedence of manual
// over sync, rejections, Delete, Write and Lookup, the order of Mappings,
// RecordsOf, Count, Purge, isolation between orgs, batch atomicity,
// validation of bad input and that errors never echo the value they reject,
// concurrent use (meaningful under -race), writing while iterating, breaking
// out of an iteration, context cancellation, ErrClosed after Close (and for
// calls racing Close). Every subtest of both suites works in orgs with random
// names, so stores shared by concurrently running test packages (one
// PostgreSQL database) are fine.
//
// Both suites are checked against deliberately broken drivers (this
// package's TestSuiteCatchesBugs): each bug must fail the subtest named for
// it.
//
// # Crash safety
//
// [RunCrash] re-executes the test binary as a child process that writes to the
// store and is killed with SIGKILL at random moments, many times; after each
// kill the store must open cleanly, hold every write that was acknowledged and
// no partial batch. The package's TestMain calls [CrashChild] first:
//
//	func TestMain(m *testing.M) {
//		storetest.CrashChild(func(ctx context.Context, target string) (*override.Store, error) {
//			return boltstore.Open(target)
//		})
//		os.Exit(m.Run())
//	}
//
//	func TestCrash(t *testing.T) {
//		path := filepath.Join(t.TempDir(), "overrides.db")
//		storetest.RunCrash(t, storetest.CrashConfig{
//			Target: path,
//			Open:   func(ctx context.Context) (*override.Store, error) { return boltstore.Open(path) },
//		})
//	}
package storetest
