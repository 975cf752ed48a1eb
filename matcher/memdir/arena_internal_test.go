package memdir

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/crmlink/crmlink/internal/synth"
	"github.com/crmlink/crmlink/matcher"
)

// TestPostingLists adds, replaces and removes companies at random and
// checks after each round that every key's postings are the slots of the
// entities holding it, in the order of a slice per key kept beside the
// directory the way the lists were before the arena (appends, and the last
// posting moved into the place of a removed one), so that the arena's
// moves and compactions keep the order the accumulation depends on.
func TestPostingLists(t *testing.T) {
	w := synth.New(synth.Options{Seed: 7, Companies: 6_000})
	cs := w.Companies()
	r := rand.New(rand.NewPCG(3, 4))
	d := New()
	want := map[matcher.Key][]int32{}
	for round := range 8 {
		for range 3_000 {
			c := matcher.Company(cs[r.IntN(len(cs))])
			ref := matcher.EntityRef{Kind: matcher.KindCompany, ID: c.ID}
			slot, ok := d.byRef[ref]
			remove := ok && r.IntN(2) == 0
			if ok && r.IntN(2) == 0 {
				// Half the upserts change some of the keys.
				c.Name += " Group"
			}
			var gone, added []matcher.Key
			switch {
			case remove:
				gone = d.ents[slot].Keys(nil)
			case ok:
				// An upsert: the slot leaves the lists of the keys the
				// entity loses and joins those of the keys it gains; the
				// lists of the keys it keeps stay as they are.
				old, now := d.ents[slot].Keys(nil), matcher.NewCompanyEntity(c).Keys(nil)
				for _, k := range old {
					if !slices.Contains(now, k) {
						gone = append(gone, k)
					}
				}
				for _, k := range now {
					if !slices.Contains(old, k) {
						added = append(added, k)
					}
				}
			default:
				added = matcher.NewCompanyEntity(c).Keys(nil)
			}
			for _, k := range gone {
				// The last posting takes the slot's place.
				l := want[k]
				if i := slices.Index(l, slot); i >= 0 {
					l[i] = l[len(l)-1]
					l = l[:len(l)-1]
				}
				if len(l) == 0 {
					delete(want, k)
				} else {
					want[k] = l
				}
			}
			switch {
			case remove:
				if _, err := d.Remove(ref); err != nil {
					t.Fatal(err)
				}
				continue
			case ok:
				if err := d.UpsertCompany(c); err != nil {
					t.Fatal(err)
				}
			default:
				if err := d.AddCompany(c); err != nil {
					t.Fatal(err)
				}
			}
			slot = d.byRef[ref]
			for _, k := range added {
				want[k] = append(want[k], slot)
			}
		}
		if round%2 == 1 {
			// Compaction also happens on its own once free blocks make
			// up half the arena; here it is forced every other round,
			// with and without room for the lists to grow.
			d.lists.compact(&d.post, round%4 == 1)
		}
		if d.post.len() != len(want) {
			t.Fatalf("round %d: %d keys, want %d", round, d.post.len(), len(want))
		}
		var one [1]int32
		used := 0
		for k, l := range want {
			if got := d.postings(k, &one); !slices.Equal(got, l) {
				t.Fatalf("round %d: key %#x: postings %v, want %v", round, uint64(k), got, l)
			}
			if len(l) > 1 {
				used += 2 + len(l)
			}
		}
		if d.lists.used != used {
			t.Fatalf("round %d: arena counts %d elements used, want %d", round, d.lists.used, used)
		}
	}
	t.Logf("arena %d, used %d", len(d.lists.a), d.lists.used)
}
