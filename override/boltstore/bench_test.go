package boltstore_test

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/override/boltstore"
)

// benchStores opens the stores compared by the benchmarks: the in-memory store
// (the baseline) and boltstore, in the same run.
func benchStores(b *testing.B) []struct {
	name string
	s    *override.Store
} {
	b.Helper()
	bs, err := boltstore.Open(filepath.Join(b.TempDir(), "bench.db"))
	require.NoError(b, err)
	mem := override.NewMemory()
	b.Cleanup(func() { _ = bs.Close(); _ = mem.Close() })
	return []struct {
		name string
		s    *override.Store
	}{{"memory", mem}, {"bolt", bs}}
}

func benchBatch(org string, n, variant int) []override.Mapping {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ms := make([]override.Mapping, n)
	for i := range ms {
		ms[i] = override.Mapping{
			Record:    override.RecordRef{Org: org, Object: override.Contact, ID: fmt.Sprintf("0035e00000%08dAA", i)},
			Entity:    override.EntityRef{Kind: override.Member, ID: fmt.Sprintf("urn:li:member:%d", i*31+variant)},
			Source:    override.Sync,
			UpdatedAt: at,
			UpdatedBy: "0055e000001AAAA",
		}
	}
	rand.Shuffle(len(ms), func(i, j int) { ms[i], ms[j] = ms[j], ms[i] })
	return ms
}

// getFixture fills s with an org of 100,000 sync mappings, a third of whose
// records also have a manual one, and returns 4096 random records of it.
func getFixture(b *testing.B, s *override.Store) []override.RecordRef {
	b.Helper()
	const n = 100_000
	ms := benchBatch("00D5e0000000001", n, 0)
	for i := 0; i < n; i += 3 {
		m := ms[i]
		m.Source = override.Manual
		ms = append(ms, m)
	}
	require.NoError(b, s.PutBatch(b.Context(), ms))
	refs := make([]override.RecordRef, 4096)
	for i := range refs {
		refs[i] = ms[rand.IntN(n)].Record
	}
	return refs
}

// BenchmarkGet measures Get throughput on random records of an org holding
// 133,334 mappings.
func BenchmarkGet(b *testing.B) {
	for _, st := range benchStores(b) {
		b.Run(st.name, func(b *testing.B) {
			ctx := b.Context()
			refs := getFixture(b, st.s)
			i := 0
			cpu := cpuTime()
			for b.Loop() {
				if _, ok, err := st.s.Get(ctx, refs[i%len(refs)]); err != nil || !ok {
					b.Fatalf("Get = %v, %v", ok, err)
				}
				i++
			}
			reportCPU(b, cpu, i)
		})
	}
}

// BenchmarkGetLatency times single Gets as BenchmarkGet does and reports their
// percentiles (the clock reads add some 50ns to each).
func BenchmarkGetLatency(b *testing.B) {
	for _, st := range benchStores(b) {
		b.Run(st.name, func(b *testing.B) {
			ctx := b.Context()
			refs := getFixture(b, st.s)
			lat := make([]time.Duration, 0, 1<<20)
			i := 0
			for b.Loop() {
				start := time.Now()
				_, ok, err := st.s.Get(ctx, refs[i%len(refs)])
				if len(lat) < cap(lat) {
					lat = append(lat, time.Since(start))
				}
				if err != nil || !ok {
					b.Fatalf("Get = %v, %v", ok, err)
				}
				i++
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
			b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
		})
	}
}

// BenchmarkPutBatch10k writes batches of 10,000 sync mappings: "insert" into a
// new org each time, "upsert" replacing the 10,000 mappings of one org (the
// reverse index moves too).
func BenchmarkPutBatch10k(b *testing.B) {
	for _, st := range benchStores(b) {
		b.Run(st.name+"/insert", func(b *testing.B) {
			ctx := b.Context()
			ms := benchBatch("x", 10_000, 0)
			round := 0
			prefix := fmt.Sprintf("00D%08x", rand.Uint32()) // new orgs in every run, -count > 1 included
			cpu := cpuTime()
			for b.Loop() {
				org := fmt.Sprintf("%s%05d", prefix, round)
				for i := range ms {
					ms[i].Record.Org = org
				}
				if err := st.s.PutBatch(ctx, ms); err != nil {
					b.Fatal(err)
				}
				round++
			}
			reportCPU(b, cpu, round)
		})
		b.Run(st.name+"/upsert", func(b *testing.B) {
			ctx := b.Context()
			batches := [2][]override.Mapping{benchBatch("00D5e0000000002", 10_000, 0), benchBatch("00D5e0000000002", 10_000, 1)}
			require.NoError(b, st.s.PutBatch(ctx, batches[1]))
			i := 0
			cpu := cpuTime()
			for b.Loop() {
				if err := st.s.PutBatch(ctx, batches[i%2]); err != nil {
					b.Fatal(err)
				}
				i++
			}
			reportCPU(b, cpu, i)
		})
	}
}

// reportCPU reports the process CPU time per op since start (all goroutines,
// the garbage collector included), when the platform measures it.
func reportCPU(b *testing.B, start time.Duration, ops int) {
	if d := cpuTime() - start; d > 0 && ops > 0 {
		b.ReportMetric(float64(d.Nanoseconds())/float64(ops), "cpu-ns/op")
	}
}
