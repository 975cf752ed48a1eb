package dynamics_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/dynamics"
)

const (
	benchRecords  = 20000
	benchPageSize = 5000
)

// benchServer serves benchRecords contacts as pre-rendered pages in Dataverse's shape (with
// annotations), so that the benchmark measures the client, not the fake.
func benchServer(b *testing.B) *httptest.Server {
	var pages [][]byte
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("$skiptoken"))
		w.Header().Set("Content-Type", "application/json; odata.metadata=minimal")
		_, _ = w.Write(pages[n])
	}))
	b.Cleanup(srv.Close)
	for p := 0; p < benchRecords/benchPageSize; p++ {
		var value []map[string]any
		for i := p * benchPageSize; i < (p+1)*benchPageSize; i++ {
			value = append(value, map[string]any{
				"@odata.etag": fmt.Sprintf("W/\"%d\"", 81359849+i), "contactid": fmt.Sprintf("49b0be2e-d01c-ed11-b83e-%012d", i),
				"firstname": "Ada", "lastname": fmt.Sprintf("Example%d", i), "jobtitle": "VP Engineering",
				"emailaddress1": fmt.Sprintf("ada%d@example.com", i), "address1_city": "München", "address1_country": "Germany",
				"_parentcustomerid_value": "78914942-34cb-ed11-b596-0022481d68cd",
				"_parentcustomerid_value@OData.Community.Display.V1.FormattedValue":           "Litware, Inc.",
				"_parentcustomerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty": "parentcustomerid_account",
				"_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname":            "account",
				"_ownerid_value": "4026be43-6b69-e111-8f65-78e7d1620f5e",
				"_ownerid_value@OData.Community.Display.V1.FormattedValue": "Ops User",
				"_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname":  "systemuser",
				"modifiedon": "2024-04-07T21:59:01Z", "modifiedon@OData.Community.Display.V1.FormattedValue": "4/7/2024 9:59 PM",
			})
		}
		body := map[string]any{"@odata.context": "https://contoso.crm.dynamics.com/api/data/v9.2/$metadata#contacts", "value": value}
		if p+1 < benchRecords/benchPageSize {
			body["@odata.nextLink"] = srv.URL + "/api/data/v9.2/contacts?$select=contactid&$skiptoken=" + strconv.Itoa(p+1)
		}
		data, err := json.Marshal(body)
		require.NoError(b, err)
		pages = append(pages, data)
	}
	return srv
}

// reportRate reports records/s and allocs/record; the ns/op of a whole read is hidden.
func reportRate(b *testing.B, start time.Time, mallocs0 uint64) {
	elapsed := time.Since(start)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	n := float64(b.N) * benchRecords
	b.ReportMetric(n/elapsed.Seconds(), "records/s")
	b.ReportMetric(float64(ms.Mallocs-mallocs0)/n, "allocs/record")
	b.ReportMetric(0, "ns/op")
}

func mallocs() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.Mallocs
}

// BenchmarkContacts decodes benchRecords contacts over loopback TLS through the Source.
func BenchmarkContacts(b *testing.B) {
	srv := benchServer(b)
	src, err := dynamics.New(b.Context(), dynamics.Config{OrgURL: srv.URL, HTTPClient: srv.Client(), PageSize: benchPageSize,
		TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "t", Expiry: time.Now().Add(time.Hour)})})
	require.NoError(b, err)
	b.ReportAllocs()
	m0 := mallocs()
	start := time.Now()
	for b.Loop() {
		n := 0
		for _, err := range src.Contacts(b.Context(), crm.Filter{}) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != benchRecords {
			b.Fatalf("read %d records, want %d", n, benchRecords)
		}
	}
	reportRate(b, start, m0)
}

// BenchmarkContactsNaive is the baseline: each page read whole and unmarshalled into maps.
func BenchmarkContactsNaive(b *testing.B) {
	srv := benchServer(b)
	client := srv.Client()
	b.ReportAllocs()
	m0 := mallocs()
	start := time.Now()
	for b.Loop() {
		n := 0
		for u := srv.URL + "/api/data/v9.2/contacts"; u != ""; {
			resp, err := client.Get(u)
			require.NoError(b, err)
			data, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			require.NoError(b, err)
			var page struct {
				Value []map[string]any `json:"value"`
				Next  string           `json:"@odata.nextLink"`
			}
			require.NoError(b, json.Unmarshal(data, &page))
			n += len(page.Value)
			u = page.Next
		}
		if n != benchRecords {
			b.Fatalf("read %d records, want %d", n, benchRecords)
		}
	}
	reportRate(b, start, m0)
}
