package widget_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/internal/synth"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/widget"
)

// benchClients is the number of concurrent clients of BenchmarkCard.
const benchClients = 64

// BenchmarkCard measures POST /v1/card over loopback TLS at 64 concurrent clients (HTTP/1.1, one
// connection each), against the same 64 goroutines calling the Resolver directly (the
// baseline), in the same run: 20,000 synthetic companies, 256 corrupted CRM-style queries, an
// in-memory store. It reports requests per second and the p50 and p99 latency of one call.
func BenchmarkCard(b *testing.B) {
	w := synth.New(synth.Options{Seed: 7, Companies: 20_000})
	dir := memdir.New()
	profiles := &widget.MemoryProfiles{}
	for _, c := range w.Companies() {
		if err := dir.AddCompany(matcher.Company{ID: c.ID, Name: c.Name, Industry: c.Industry, Location: c.Location, Website: c.Website}); err != nil {
			b.Fatal(err)
		}
		profiles.Add(widget.Profile{Ref: override.EntityRef{Kind: override.Company, ID: c.ID}, Name: c.Name, Headline: c.Industry, Location: c.Location, Website: c.Website})
	}
	eng, err := matcher.New(dir)
	if err != nil {
		b.Fatal(err)
	}
	store := override.NewMemory()
	defer store.Close()
	access := crmlink.NewAccess()
	res, err := crmlink.NewResolver(store, eng, crmlink.WithVisibility(access))
	if err != nil {
		b.Fatal(err)
	}
	var qs []synth.CompanyQuery
	for _, q := range w.CompanyQueries(300, synth.QueryOptions{Seed: 1, AbsentRate: 0.1}) {
		if q.Name+q.Industry+q.Location+q.Website != "" { // a query with nothing is refused
			qs = append(qs, q)
		}
	}
	qs = qs[:256]
	const user = "005BENCH"
	owners := make([]string, len(qs))
	recs := make([]override.RecordRef, len(qs))
	cqs := make([]matcher.CompanyQuery, len(qs))
	bodies := make([][]byte, len(qs))
	for i, q := range qs {
		recs[i] = override.RecordRef{Org: org, Object: override.Account, ID: fmt.Sprintf("001B%05d", i)}
		owners[i] = user
		cqs[i] = matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website}
		params := map[string]string{}
		for k, v := range map[string]string{"name": q.Name, "industry": q.Industry, "location": q.Location, "website": q.Website} {
			if v != "" {
				params[k] = v
			}
		}
		if bodies[i], err = json.Marshal(card("account", recs[i].ID, params)); err != nil {
			b.Fatal(err)
		}
	}
	access.SetRules(org, []crm.User{{ID: user, Email: "bench@partner.example", IsActive: true}}, nil, nil, nil, []string{"bench@partner.example"})
	access.SetOwners(recs, owners)
	keys := &widget.Keys{}
	key, _, err := keys.Create("bench", widget.Production, []string{org}, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	h, err := widget.New(keys, widget.WithRateLimit(rate.Inf, 1),
		widget.WithEnvironment(widget.Production, widget.Backend{Resolver: res, Profiles: profiles}))
	if err != nil {
		b.Fatal(err)
	}
	tok, _, err := h.Mint(key, org, user, time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()

	b.Run("baseline=resolver", func(b *testing.B) {
		runClients(b, func(i int) error {
			_, err := res.ResolveCompany(ctx, crmlink.Viewer{Org: org, User: user}, recs[i%len(recs)], cqs[i%len(cqs)])
			return err
		})
	})
	b.Run("https", func(b *testing.B) {
		srv := httptest.NewTLSServer(h)
		defer srv.Close()
		tr := srv.Client().Transport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = benchClients
		client := &http.Client{Transport: tr}
		defer tr.CloseIdleConnections()
		runClients(b, func(i int) error {
			req, err := http.NewRequest(http.MethodPost, srv.URL+"/v1/card", bytes.NewReader(bodies[i%len(bodies)]))
			if err != nil {
				return err
			}
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set("Content-Type", "application/json")
			resp, err := client.Do(req)
			if err != nil {
				return err
			}
			_, err = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("status %d", resp.StatusCode)
			}
			return err
		})
	})
}

// runClients runs call b.N times from benchClients goroutines and reports calls per second and
// the p50 and p99 latency.
func runClients(b *testing.B, call func(i int) error) {
	b.Helper()
	procs := runtime.GOMAXPROCS(0)
	b.SetParallelism((benchClients + procs - 1) / procs)
	var (
		mu   sync.Mutex
		lats []time.Duration
		next int
	)
	b.ReportAllocs()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			mu.Lock()
			i := next
			next++
			mu.Unlock()
			t0 := time.Now()
			if err := call(i); err != nil {
				b.Error(err)
				return
			}
			mine = append(mine, time.Since(t0))
		}
		mu.Lock()
		lats = append(lats, mine...)
		mu.Unlock()
	})
	elapsed := time.Since(start)
	if len(lats) == 0 {
		return
	}
	slices.Sort(lats)
	b.ReportMetric(float64(len(lats))/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(lats[len(lats)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lats[len(lats)*99/100].Microseconds()), "p99-µs")
}
