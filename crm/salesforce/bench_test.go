package salesforce_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/salesforce"
)

const (
	benchRecords = 10000
	benchPage    = 2000 // REST page size (Salesforce's default) and Bulk maxRecords
)

// benchOrg serves benchRecords accounts from pre-rendered REST pages and CSV chunks, so the
// benchmark measures the client (transport, paging, decoding), not the fake's encoding.
type benchOrg struct {
	srv       *httptest.Server
	restPages [][]byte
	csvPages  [][]byte
}

func newBenchOrg(b *testing.B) *benchOrg {
	o := &benchOrg{}
	var rows [][]string
	var recs []map[string]any
	for i := range benchRecords {
		id := fmt.Sprintf("001R%011dAAA", i)
		t := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute).Format("2006-01-02T15:04:05.000+0000")
		name, ind, web, city, country, owner := fmt.Sprintf("Company %d, Inc.", i), "Technology", fmt.Sprintf("company%d.example", i), "São Paulo", "Brazil", "005R0000000GiwjIAC"
		recs = append(recs, map[string]any{"attributes": map[string]string{"type": "Account", "url": "/services/data/v59.0/sobjects/Account/" + id},
			"Id": id, "Name": name, "Industry": ind, "Website": web, "BillingCity": city, "BillingCountry": country, "OwnerId": owner, "LastModifiedDate": t})
		rows = append(rows, []string{id, name, ind, web, city, country, owner, t})
	}
	for p := 0; p*benchPage < benchRecords; p++ {
		end := min((p+1)*benchPage, benchRecords)
		res := map[string]any{"totalSize": benchRecords, "done": end == benchRecords, "records": recs[p*benchPage : end]}
		if end < benchRecords {
			res["nextRecordsUrl"] = fmt.Sprintf("/services/data/v59.0/query/01gBENCH-%d", p+1)
		}
		js, _ := json.Marshal(res)
		o.restPages = append(o.restPages, js)
		var buf bytes.Buffer
		cw := csv.NewWriter(&buf)
		cw.Write([]string{"Id", "Name", "Industry", "Website", "BillingCity", "BillingCountry", "OwnerId", "LastModifiedDate"})
		cw.WriteAll(rows[p*benchPage : end])
		o.csvPages = append(o.csvPages, buf.Bytes())
	}
	o.srv = httptest.NewTLSServer(http.HandlerFunc(o.serve))
	b.Cleanup(o.srv.Close)
	return o
}

func (o *benchOrg) serve(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case p == "/services/data/v59.0/query":
		w.Write(o.restPages[0])
	case strings.HasPrefix(p, "/services/data/v59.0/query/01gBENCH-"):
		i, _ := strconv.Atoi(strings.TrimPrefix(p, "/services/data/v59.0/query/01gBENCH-"))
		w.Write(o.restPages[i])
	case p == "/services/data/v59.0/jobs/query":
		io.WriteString(w, `{"id":"750R0000000zlh9IAA","state":"UploadComplete"}`)
	case p == "/services/data/v59.0/jobs/query/750R0000000zlh9IAA":
		io.WriteString(w, `{"id":"750R0000000zlh9IAA","state":"JobComplete"}`)
	case p == "/services/data/v59.0/jobs/query/750R0000000zlh9IAA/results":
		i, _ := strconv.Atoi(r.URL.Query().Get("locator"))
		next := "null"
		if i+1 < len(o.csvPages) {
			next = strconv.Itoa(i + 1)
		}
		w.Header().Set("Sforce-Locator", next)
		w.Write(o.csvPages[i])
	default:
		http.NotFound(w, r)
	}
}

func (o *benchOrg) source(b *testing.B, opts ...salesforce.Option) *salesforce.Source {
	tok := (&oauth2.Token{AccessToken: "00Dbench!token"}).WithExtra(map[string]any{"instance_url": o.srv.URL})
	src, err := salesforce.New(b.Context(), salesforce.Config{TokenSource: staticToken{tok}, HTTPClient: o.srv.Client()}, opts...)
	if err != nil {
		b.Fatal(err)
	}
	return src
}

// BenchmarkAccounts reads 10,000 accounts from a loopback TLS fake: REST (simpleforce, 2,000 per
// page) and Bulk (CSV), against a baseline that fetches the same pages and discards them.
func BenchmarkAccounts(b *testing.B) {
	o := newBenchOrg(b)
	report := func(b *testing.B, mallocs uint64) {
		n := float64(benchRecords) * float64(b.N)
		b.ReportMetric(n/b.Elapsed().Seconds(), "records/s")
		b.ReportMetric(float64(mallocs)/n, "allocs/record")
	}
	run := func(b *testing.B, src *salesforce.Source) {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		before := ms.Mallocs
		for b.Loop() {
			n := 0
			for _, err := range src.Accounts(context.Background(), crm.Filter{}) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n != benchRecords {
				b.Fatalf("read %d accounts, want %d", n, benchRecords)
			}
		}
		runtime.ReadMemStats(&ms)
		report(b, ms.Mallocs-before)
	}
	b.Run("baseline-fetch-only", func(b *testing.B) {
		hc := o.srv.Client()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		before := ms.Mallocs
		for b.Loop() {
			for i := range o.restPages {
				u := o.srv.URL + "/services/data/v59.0/query"
				if i > 0 {
					u = fmt.Sprintf("%s/services/data/v59.0/query/01gBENCH-%d", o.srv.URL, i)
				}
				resp, err := hc.Get(u)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}
		runtime.ReadMemStats(&ms)
		report(b, ms.Mallocs-before)
	})
	b.Run("REST", func(b *testing.B) { run(b, o.source(b)) })
	b.Run("Bulk", func(b *testing.B) {
		run(b, o.source(b, salesforce.WithBulk(true), salesforce.WithBulkPolling(time.Millisecond, time.Millisecond), salesforce.WithBulkPageSize(benchPage)))
	})
}
