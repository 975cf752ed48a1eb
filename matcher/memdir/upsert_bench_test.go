package memdir_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

// BenchmarkUpsertUnchanged upserts, unchanged, the last of 80,000 companies
// that share every key (one name, one city): a directory feed refreshing
// profiles whose indexed fields did not change.
func BenchmarkUpsertUnchanged(b *testing.B) {
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
	b.ReportAllocs()
	for b.Loop() {
		if err := d.UpsertCompany(last); err != nil {
			b.Fatal(err)
		}
	}
}
