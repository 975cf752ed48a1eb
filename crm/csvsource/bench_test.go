package csvsource_test

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/csvsource"
)

const benchRecords = 20000

func benchDir(b *testing.B) string {
	b.Helper()
	contacts := make([]crm.Contact, benchRecords)
	at := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	for i := range contacts {
		contacts[i] = crm.Contact{
			ID: fmt.Sprintf("003%012dAAA", i), AccountID: fmt.Sprintf("001%012dAAA", i%500),
			FirstName: "Anne-Marie", LastName: "García-López", Title: "VP Engineering, EMEA",
			Email: fmt.Sprintf("contact%d@example.com", i), City: "München", Country: "Germany",
			OwnerID: "005000000000004AAA", ModifiedAt: at.Add(time.Duration(i) * time.Minute),
		}
	}
	dir := b.TempDir()
	if err := csvsource.Write(dir, &csvsource.Data{Contacts: contacts}); err != nil {
		b.Fatal(err)
	}
	return dir
}

// report adds records/s and allocs/record, measured over the b.Loop.
func report(b *testing.B, records int, start runtime.MemStats) {
	var end runtime.MemStats
	runtime.ReadMemStats(&end)
	total := float64(records) * float64(b.N)
	b.ReportMetric(total/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(end.Mallocs-start.Mallocs)/total, "allocs/record")
}

// BenchmarkContacts reads and decodes contacts.csv through the Source.
func BenchmarkContacts(b *testing.B) {
	src, err := csvsource.Open(benchDir(b))
	if err != nil {
		b.Fatal(err)
	}
	ctx := b.Context()
	b.ReportAllocs()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	for b.Loop() {
		n := 0
		for _, err := range src.Contacts(ctx, crm.Filter{}) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != benchRecords {
			b.Fatalf("read %d contacts, want %d", n, benchRecords)
		}
	}
	report(b, benchRecords, ms)
}

// BenchmarkContactsBaseline is the floor: encoding/csv reading the same file, no decoding.
func BenchmarkContactsBaseline(b *testing.B) {
	path := filepath.Join(benchDir(b), csvsource.ContactsFile)
	b.ReportAllocs()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	for b.Loop() {
		fh, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		r := csv.NewReader(bufio.NewReaderSize(fh, 64<<10))
		r.ReuseRecord = true
		n := -1 // the header
		for {
			_, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		fh.Close()
		if n != benchRecords {
			b.Fatalf("read %d rows, want %d", n, benchRecords)
		}
	}
	report(b, benchRecords, ms)
}

// BenchmarkContactsModifiedSince reads with a filter keeping half of the records.
func BenchmarkContactsModifiedSince(b *testing.B) {
	src, err := csvsource.Open(benchDir(b))
	if err != nil {
		b.Fatal(err)
	}
	f := crm.Filter{ModifiedSince: time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC).Add(benchRecords / 2 * time.Minute)}
	ctx := b.Context()
	b.ReportAllocs()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	for b.Loop() {
		n := 0
		for _, err := range src.Contacts(ctx, f) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != benchRecords/2 {
			b.Fatalf("read %d contacts, want %d", n, benchRecords/2)
		}
	}
	report(b, benchRecords, ms)
}

// BenchmarkWriteContacts writes contacts.csv to memory.
func BenchmarkWriteContacts(b *testing.B) {
	src, err := csvsource.Open(benchDir(b))
	if err != nil {
		b.Fatal(err)
	}
	contacts, err := crm.Collect(src.Contacts(b.Context(), crm.Filter{}))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	for b.Loop() {
		if err := csvsource.WriteContacts(io.Discard, contacts); err != nil {
			b.Fatal(err)
		}
	}
	report(b, benchRecords, ms)
}
