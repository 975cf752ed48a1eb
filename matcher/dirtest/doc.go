// Package dirtest is the conformance suite every [matcher.Directory] passes.
//
// A driver calls [Run] from an external test package with a function that
// builds a directory holding the given companies and members:
//
//	func TestConformance(t *testing.T) {
//		dirtest.Run(t, func(t *testing.T, cs []matcher.Company, ms []matcher.Member) matcher.Directory {
//			d := memdir.New()
//			... add cs and ms ...
//			return d
//		})
//	}
//
// # Fixture
//
// The fixture is a deterministic synthetic world (internal/synth): the suite
// checks candidate recall on corrupted CRM-style queries, lookups, unknown
// IDs, the limit, dst reuse, cancellation, determinism, concurrent queries
// (meaningful under -race), and, for directories implementing [Mutable],
// that upserts and removals are visible to the next query.
package dirtest
