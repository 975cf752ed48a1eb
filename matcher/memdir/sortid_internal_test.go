package memdir

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/crmlink/crmlink/matcher"
)

// TestSortByID checks sortByID against a sort of the IDs as strings: IDs
// shorter and longer than the eight bytes compared as integers, sharing
// prefixes, and holding zero bytes and bytes of 0x80 or more.
func TestSortByID(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	alphabet := []byte{0, 1, 'a', 'b', 'z', 0x7f, 0x80, 0xff}
	var s scratch
	for range 20_000 {
		n := 1 + r.IntN(40)
		ents := make([]matcher.Entity, 0, n)
		seen := map[string]bool{}
		for len(ents) < n {
			id := make([]byte, r.IntN(12))
			for i := range id {
				id[i] = alphabet[r.IntN(len(alphabet))]
			}
			if seen[string(id)] {
				continue
			}
			seen[string(id)] = true
			ents = append(ents, matcher.Entity{Ref: matcher.EntityRef{Kind: matcher.KindCompany, ID: string(id)}})
		}
		want := slices.Clone(ents)
		slices.SortFunc(want, func(a, b matcher.Entity) int { return cmp.Compare(a.Ref.ID, b.Ref.ID) })
		sortByID(&s, ents)
		for i := range ents {
			if ents[i].Ref != want[i].Ref {
				t.Fatalf("sortByID: %q at %d, want %q", ents[i].Ref.ID, i, want[i].Ref.ID)
			}
		}
	}
}
