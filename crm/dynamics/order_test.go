package dynamics

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/crmlink/crmlink/crm"
)

func randomGUIDs(n int) []string {
	rng := rand.New(rand.NewPCG(3, 5))
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", rng.Uint32(), rng.Uint32()&0xffff, rng.Uint32()&0xffff,
			rng.Uint32()&0xffff, rng.Uint64()&0xffffffffffff)
	}
	return ids
}

// FuzzCompareGUIDs checks that compareGUIDs is a consistent order: antisymmetric, zero only for
// the same GUID in any case, GUIDs before other text.
func FuzzCompareGUIDs(f *testing.F) {
	f.Add("1adef0b8-54d3-ed11-a7c7-000d3a993550", "78914942-34CB-ED11-B596-0022481D68CD")
	f.Add("001000000000001AAA", "00000000-0000-0000-0000-000000000000")
	f.Fuzz(func(t *testing.T, a, b string) {
		ab, ba := compareGUIDs(a, b), compareGUIDs(b, a)
		if ab != -ba {
			t.Fatalf("compare(%q, %q) = %d but compare(%q, %q) = %d", a, b, ab, b, a, ba)
		}
		_, okA := parseGUID(a)
		_, okB := parseGUID(b)
		if okA && !okB && ab != -1 {
			t.Fatalf("GUID %q does not sort before %q", a, b)
		}
		if ab == 0 && okA && okB {
			ga, _ := parseGUID(a)
			gb, _ := parseGUID(b)
			if ga != gb {
				t.Fatalf("%q and %q compare equal", a, b)
			}
		}
	})
}

// TestSortGUIDs checks that the keyed sort and the comparison agree.
func TestSortGUIDs(t *testing.T) {
	ids := append(randomGUIDs(500), "001000000000001AAA", "ABC", "abd")
	s := slices.Clone(ids)
	sortGUIDs(s)
	if !slices.IsSortedFunc(s, compareGUIDs) {
		t.Fatal("sortGUIDs does not sort in compareGUIDs order")
	}
	if s[len(s)-3] != "001000000000001AAA" || s[len(s)-1] != "abd" {
		t.Fatalf("other text after the GUIDs, case-insensitively: %v", s[len(s)-3:])
	}
}

// TestCompareGUIDsGroups checks the weight of each group with GUIDs that differ in one byte.
func TestCompareGUIDsGroups(t *testing.T) {
	// Ascending in SQL Server's order: the first group's last byte weighs less than the second
	// group's first, and so on up to the last group.
	asc := []string{
		"01000000-0000-0000-0000-000000000000",
		"00000001-0000-0000-0000-000000000000",
		"00000000-0100-0000-0000-000000000000",
		"00000000-0001-0000-0000-000000000000",
		"00000000-0000-0100-0000-000000000000",
		"00000000-0000-0001-0000-000000000000",
		"00000000-0000-0000-0001-000000000000",
		"00000000-0000-0000-0100-000000000000",
		"00000000-0000-0000-0000-000000000001",
		"00000000-0000-0000-0000-010000000000",
	}
	for i := 1; i < len(asc); i++ {
		if compareGUIDs(asc[i-1], asc[i]) >= 0 {
			t.Errorf("%s does not sort before %s", asc[i-1], asc[i])
		}
	}
}

// BenchmarkFilterClausesIDs measures sorting 10,000 GUIDs in SQL Server's order, by comparing
// (parsing both at each comparison) and by keys computed once, against the text sort the $filter
// clauses used before (the baseline), and cutting them into clauses.
func BenchmarkFilterClausesIDs(b *testing.B) {
	ids := randomGUIDs(10_000)
	b.Run("baseline-text-sort", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s := slices.Clone(ids)
			slices.Sort(s)
		}
	})
	b.Run("guid-compare-sort", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s := slices.Clone(ids)
			slices.SortFunc(s, compareGUIDs)
		}
	})
	b.Run("guid-keyed-sort", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s := slices.Clone(ids)
			sortGUIDs(s)
		}
	})
	b.Run("filterClauses", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := filterClauses("query accounts", "accountid", "", crm.Filter{IDs: ids}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
