package memdir

import (
	"math/rand/v2"
	"testing"

	"github.com/crmlink/crmlink/matcher"
)

// TestKeyTable checks the key table against a map over random sets and
// removals, with keys drawn from a small range so that runs collide, and
// the zero key among them.
func TestKeyTable(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var kt keyTable
	want := map[matcher.Key]int32{}
	for op := range 200_000 {
		// Keys that share their home entries: a few high bits vary.
		k := matcher.Key(r.Uint64N(5000) << 50)
		if r.IntN(8) == 0 {
			k = matcher.Key(r.Uint64N(3))
		}
		switch r.IntN(3) {
		case 0, 1:
			v := int32(r.Uint32())
			kt.set(k, v)
			want[k] = v
		default:
			kt.remove(k)
			delete(want, k)
		}
		if op%1000 == 0 || op > 199_000 {
			if kt.len() != len(want) {
				t.Fatalf("op %d: len %d, want %d", op, kt.len(), len(want))
			}
			for wk, wv := range want {
				if v, ok := kt.get(wk); !ok || v != wv {
					t.Fatalf("op %d: get(%#x) = %d, %v; want %d", op, uint64(wk), v, ok, wv)
				}
			}
		}
		if _, ok := want[k]; ok {
			if v, got := kt.get(k); !got || v != want[k] {
				t.Fatalf("op %d: get(%#x) = %d, %v; want %d", op, uint64(k), v, got, want[k])
			}
		} else if _, got := kt.get(k); got {
			t.Fatalf("op %d: get(%#x) found a removed key", op, uint64(k))
		}
	}
}
