package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/csvsource"
	"github.com/crmlink/crmlink/override"
)

// BenchmarkCSVFolderCheck measures the command's own pass over a CSV export before a sync (the
// file names, the row counts for the progress bar; duplicate IDs are found by csvsource as the
// sync reads) against the baseline of the sync's read of the same file with csvsource, in the
// same run: the check is what the command adds to a sync.
func BenchmarkCSVFolderCheck(b *testing.B) {
	const rows = 100_000
	dir := b.TempDir()
	f, err := os.Create(filepath.Join(dir, csvsource.AccountsFile))
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "id,name,industry,website,city,country,owner_id,modified_at")
	for i := range rows {
		fmt.Fprintf(w, "001%015d,Company %d Holdings,Software,company%d.example,Lyon,France,005U1,2024-03-01T09:00:00Z\n", i, i, i)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	b.Run("check", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			_, totals, err := openCSVFolder(b.Context(), dir)
			if err != nil {
				b.Fatal(err)
			}
			if totals[override.Account] != rows {
				b.Fatalf("rows %d", totals[override.Account])
			}
		}
		b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
	})
	b.Run("csvsource-read", func(b *testing.B) {
		b.ReportAllocs()
		src, err := csvsource.Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		for i := 0; i < b.N; i++ {
			n := 0
			for _, err := range src.Accounts(b.Context(), crm.Filter{}) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n != rows {
				b.Fatalf("rows %d", n)
			}
		}
		b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
	})
}
