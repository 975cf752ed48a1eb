package crmlink_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/crm/csvsource"
	"github.com/crmlink/crmlink/internal/testenv"
	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/override/boltstore"
	"github.com/crmlink/crmlink/override/pgstore"
)

// scaleEnv enables BenchmarkSyncScale; CRMLINK_SCALE_RECORDS sets its number of records (half
// accounts, half leads; default 1,000,000).
const (
	scaleEnv        = "CRMLINK_SCALE"
	scaleRecordsEnv = "CRMLINK_SCALE_RECORDS"
)

// heapPeak samples the live heap every 100ms until stop is called, and returns the largest
// HeapInuse seen and the heap after a final GC.
func heapPeak() (stop func() (peak, after uint64)) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	sample := func() {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if ms.HeapInuse > peak.Load() {
			peak.Store(ms.HeapInuse)
		}
	}
	go func() {
		defer wg.Done()
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				sample()
			}
		}
	}()
	return func() (uint64, uint64) {
		close(done)
		wg.Wait()
		sample()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return peak.Load(), ms.HeapInuse
	}
}

// BenchmarkSyncScale syncs an org of CRMLINK_SCALE_RECORDS records (default 1,000,000: half
// accounts, half leads, in CSV files) with checkpoints, once per store: the in-memory store as
// the baseline (it holds every mapping in the heap), bolt, and PostgreSQL when
// CRMLINK_TEST_POSTGRES is set; bolt also without checkpoints, to show what they cost. It
// reports records/s, the process's CPU time per record (which a loaded machine inflates less than
// wall time; PostgreSQL's own CPU is not in it), and the peak and retained heap. Run it with -benchtime=1x; it is skipped
// unless CRMLINK_SCALE=1.
func BenchmarkSyncScale(b *testing.B) {
	if os.Getenv(scaleEnv) != "1" {
		b.Skipf("set %s=1 to run the sync at scale", scaleEnv)
	}
	n := 1_000_000
	if v := os.Getenv(scaleRecordsEnv); v != "" {
		var err error
		n, err = strconv.Atoi(v)
		require.NoError(b, err)
	}
	w, eng := scaleWorld(b)
	crmDir := b.TempDir()
	start := time.Now()
	writeScaleCRM(b, crmDir, w, n/2)
	b.Logf("fixture: %d records written in %v", n, time.Since(start).Round(time.Millisecond))
	src, err := csvsource.Open(crmDir)
	require.NoError(b, err)
	ctx := context.Background()
	// Warm up the engine and the page cache on a small org first, so that the first store
	// measured pays for neither.
	warmDir := b.TempDir()
	writeScaleCRM(b, warmDir, w, 10_000)
	warm, err := csvsource.Open(warmDir)
	require.NoError(b, err)
	ws, err := crmlink.NewSyncer(warm, eng, override.NewMemory(), scaleOrg)
	require.NoError(b, err)
	_, err = ws.Run(ctx)
	require.NoError(b, err)

	run := func(b *testing.B, open func(b *testing.B) *override.Store, opts ...crmlink.SyncOption) {
		var stats crmlink.SyncStats
		var peak, after uint64
		var cpu time.Duration
		for b.Loop() {
			st := open(b)
			runtime.GC()
			stop := heapPeak()
			cpu0 := processCPU()
			s, err := crmlink.NewSyncer(src, eng, st, scaleOrg, append(opts, crmlink.WithBatchSize(crmlink.DefaultSyncBatch))...)
			require.NoError(b, err)
			stats, err = s.Run(ctx)
			require.NoError(b, err)
			cpu += processCPU() - cpu0
			peak, after = stop()
			require.NoError(b, st.Close())
		}
		read := stats.Total().Read
		require.Equal(b, n/2*2, read)
		b.ReportMetric(float64(read)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
		b.ReportMetric(float64(cpu.Microseconds())/float64(read*b.N), "cpu-µs/record")
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		b.ReportMetric(float64(after)/(1<<20), "retained-heap-MiB")
		b.ReportMetric(float64(stats.Total().Written), "written")
	}
	b.Run("store=memory", func(b *testing.B) {
		run(b, func(*testing.B) *override.Store { return override.NewMemory() }, crmlink.WithCheckpoints())
	})
	bolt := func(b *testing.B) *override.Store {
		path := filepath.Join(b.TempDir(), fmt.Sprintf("scale-%d.db", time.Now().UnixNano()))
		st, err := boltstore.Open(path)
		require.NoError(b, err)
		return st
	}
	b.Run("store=bolt-without-checkpoints", func(b *testing.B) { run(b, bolt) })
	b.Run("store=bolt", func(b *testing.B) { run(b, bolt, crmlink.WithCheckpoints()) })
	b.Run("store=postgres", func(b *testing.B) {
		dsn := testenv.PostgresDSN(b)
		const schema = "crmlink_scale_bench"
		run(b, func(b *testing.B) *override.Store {
			st, err := pgstore.Open(ctx, dsn, pgstore.WithSchema(schema))
			require.NoError(b, err)
			_, err = st.Purge(ctx, scaleOrg)
			require.NoError(b, err)
			return st
		}, crmlink.WithCheckpoints())
	})
}
