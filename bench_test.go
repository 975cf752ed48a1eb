package crmlink_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/csvsource"
	"github.com/crmlink/crmlink/internal/synth"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/override"
)

// benchWorld is a synthetic directory of 20,000 companies and 20,000 members, and an engine
// over it.
func benchWorld(b *testing.B) (*synth.World, *matcher.Engine) {
	b.Helper()
	return synthWorld(b, 20_000)
}

// companyQueries converts synthetic company queries to the engine's.
func companyQueries(qs []synth.CompanyQuery) []matcher.CompanyQuery {
	cqs := make([]matcher.CompanyQuery, len(qs))
	for i, q := range qs {
		cqs[i] = matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website}
	}
	return cqs
}

// BenchmarkResolveCompany compares one resolution with the engine's match alone (baseline):
// the fuzzy path adds a manual and a sync lookup and a rejection lookup to the match, the
// manual path answers from the store.
func BenchmarkResolveCompany(b *testing.B) {
	w, eng := benchWorld(b)
	cqs := companyQueries(w.CompanyQueries(256, synth.QueryOptions{Seed: 1, AbsentRate: 0.1}))
	ctx := context.Background()
	rec := func(i int) override.RecordRef {
		return override.RecordRef{Org: "00D1", Object: override.Account, ID: fmt.Sprintf("001%05d", i)}
	}
	b.Run("baseline=engine", func(b *testing.B) {
		i := 0
		for b.Loop() {
			_, _ = eng.MatchCompany(ctx, cqs[i%len(cqs)])
			i++
		}
	})
	b.Run("fuzzy", func(b *testing.B) {
		r, err := crmlink.NewResolver(override.NewMemory(), eng, crmlink.WithoutVisibility())
		require.NoError(b, err)
		i := 0
		for b.Loop() {
			_, _ = r.ResolveCompany(ctx, viewerOf(rec(i%len(cqs))), rec(i%len(cqs)), cqs[i%len(cqs)])
			i++
		}
	})
	b.Run("manual", func(b *testing.B) {
		st := override.NewMemory()
		for i := range cqs {
			require.NoError(b, st.Put(ctx, override.Mapping{Record: rec(i), Entity: override.EntityRef{Kind: override.Company, ID: "c1"}, Source: override.Manual}))
		}
		r, err := crmlink.NewResolver(st, eng, crmlink.WithoutVisibility())
		require.NoError(b, err)
		i := 0
		for b.Loop() {
			_, _ = r.ResolveCompany(ctx, viewerOf(rec(i%len(cqs))), rec(i%len(cqs)), cqs[i%len(cqs)])
			i++
		}
	})
}

// BenchmarkSyncRun syncs an org of 1,000 accounts and 1,000 leads read from CSV files into the
// in-memory store, against the baseline of batch-matching the same queries held in memory.
func BenchmarkSyncRun(b *testing.B) {
	w, eng := benchWorld(b)
	const n = 1000
	var data csvsource.Data
	var cqs []matcher.CompanyQuery
	var mqs []matcher.MemberQuery
	for i, q := range w.CompanyQueries(n, synth.QueryOptions{Seed: 2, AbsentRate: 0.1}) {
		data.Accounts = append(data.Accounts, crm.Account{ID: fmt.Sprintf("001%05d", i), Name: q.Name, Industry: q.Industry, Website: q.Website, Country: q.Location})
		cqs = append(cqs, matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Website: q.Website, Location: q.Location})
	}
	for i, q := range w.MemberQueries(n, synth.QueryOptions{Seed: 3, AbsentRate: 0.1}) {
		data.Leads = append(data.Leads, crm.Lead{ID: fmt.Sprintf("00Q%05d", i), FirstName: q.FirstName, LastName: q.LastName, Company: q.Company, Title: q.Title, Email: q.Email, Country: q.Location})
		mqs = append(mqs, matcher.MemberQuery{FirstName: q.FirstName, LastName: q.LastName, Company: q.Company, Title: q.Title, Email: q.Email, Location: q.Location})
	}
	crmDir := b.TempDir()
	require.NoError(b, csvsource.Write(crmDir, &data))
	src, err := csvsource.Open(crmDir)
	require.NoError(b, err)
	ctx := context.Background()

	b.Run("baseline=engine", func(b *testing.B) {
		for b.Loop() {
			for _, err := range eng.MatchCompanies(ctx, slices.Values(cqs)) {
				_ = err
			}
			for _, err := range eng.MatchMembers(ctx, slices.Values(mqs)) {
				_ = err
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*2*n), "µs/record")
	})
	b.Run("syncer", func(b *testing.B) {
		var written int
		for b.Loop() {
			s, err := crmlink.NewSyncer(src, eng, override.NewMemory(), "00D1")
			require.NoError(b, err)
			stats, err := s.Run(ctx)
			require.NoError(b, err)
			written = stats.Total().Written
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*2*n), "µs/record")
		b.ReportMetric(float64(written), "written")
	})
}
