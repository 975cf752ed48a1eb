package override_test

import (
	"fmt"
	"testing"

	"github.com/crmlink/crmlink/override"
)

// BenchmarkMemoryGet measures Get on the in-memory driver through the portable Store, the
// path every store's Get takes, against Effective alone over the same mappings (the rule
// without the store).
func BenchmarkMemoryGet(b *testing.B) {
	ctx := b.Context()
	s := override.NewMemory()
	defer s.Close()
	const n = 10_000
	refs := make([]override.RecordRef, n)
	var ms []override.Mapping
	for i := range refs {
		refs[i] = override.RecordRef{Org: "00D1", Object: override.Contact, ID: fmt.Sprintf("003%06d", i)}
		ms = append(ms, override.Mapping{Record: refs[i], Entity: override.EntityRef{Kind: override.Member, ID: "m"}, Source: override.Sync},
			override.Mapping{Record: refs[i], Entity: override.EntityRef{Kind: override.Member, ID: "m2"}, Source: override.Manual})
	}
	if err := s.PutBatch(ctx, ms); err != nil {
		b.Fatal(err)
	}
	b.Run("baseline=Effective", func(b *testing.B) {
		i := 0
		for b.Loop() {
			if _, ok := override.Effective(ms[2*(i%n)], ms[2*(i%n)+1]); !ok {
				b.Fatal("no mapping")
			}
			i++
		}
	})
	b.Run("Get", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, ok, err := s.Get(ctx, refs[i%n]); err != nil || !ok {
				b.Fatal(ok, err)
			}
			i++
		}
	})
}
