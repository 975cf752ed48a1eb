package memdir_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

// BenchmarkUpsert upserts the last of 80,000 companies that share every
// key (one name, one city), as a directory feed refreshing profiles does:
// unchanged, and renamed back and forth with a word added (its other keys
// stay).
func BenchmarkUpsert(b *testing.B) {
	const n = 80_000
	cs := make([]matcher.Company, n)
	for i := range cs {
		cs[i] = matcher.Company{ID: fmt.Sprintf("c%06d", i), Name: "Acme Global Holdings", Location: "Berlin, Germany"}
	}
	d := memdir.New()
	if err := d.AddCompanies(b.Context(), slices.Values(cs)); err != nil {
		b.Fatal(err)
	}
	last := cs[n-1]
	renamed := last
	renamed.Name += " Group"
	b.Run("unchanged", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := d.UpsertCompany(last); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("renamed", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			c := last
			if i%2 == 0 {
				c = renamed
			}
			i++
			if err := d.UpsertCompany(c); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkManyOfOneName loads, in bulk, 20,000 people of one name and
// city: every long posting list grows at once.
func BenchmarkManyOfOneName(b *testing.B) {
	const n = 20_000
	ms := make([]matcher.Member, n)
	for i := range ms {
		ms[i] = matcher.Member{ID: fmt.Sprintf("m%05d", i), FirstName: "Wei", LastName: "Wang", Location: "Beijing, China"}
	}
	b.ReportAllocs()
	for b.Loop() {
		d := memdir.New()
		if err := d.AddMembers(b.Context(), slices.Values(ms)); err != nil {
			b.Fatal(err)
		}
	}
}
