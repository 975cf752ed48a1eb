package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/override"
)

// DriverHarness makes drivers for one test of the driver suite. Every Open
// during a test of a durable driver must see the same data, so that the suite
// can Close and re-Open. Register any cleanup with t.Cleanup.
type DriverHarness interface {
	// Open opens (or re-opens) the driver under test.
	Open(ctx context.Context) (override.Driver, error)
	// Durable reports whether data survives Close + Open (false for the in-memory driver).
	Durable() bool
}

// RunDriver runs the driver suite against the drivers newHarness makes; it
// calls newHarness once per subtest. It checks only what a driver does: Load,
// atomic Apply (seen whole or not at all by concurrent readers), Scan order
// and paging, Count, Purge and re-opening. The rules (validation, precedence,
// rejections, org isolation, closed state, cancellation) belong to the
// portable [override.Store] and are checked once, by [Run], over the
// in-memory driver. Subtests use orgs with random names.
func RunDriver(t *testing.T, newHarness func(t *testing.T) DriverHarness) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, h DriverHarness)
	}{
		{"Load", testDriverLoad},
		{"Apply", testDriverApply},
		{"ApplyAtomic", testDriverApplyAtomic},
		{"ScanOrder", testDriverScanOrder},
		{"CountPurge", testDriverCountPurge},
		{"Reopen", testDriverReopen},
		{"OrgState", testDriverOrgState},
		{"Checkpoints", testDriverCheckpoints},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newHarness(t)) })
	}
}

func openDriver(t *testing.T, h DriverHarness) override.Driver {
	t.Helper()
	d, err := h.Open(t.Context())
	require.NoError(t, err, "DriverHarness.Open")
	require.NotNil(t, d)
	t.Cleanup(func() { _ = d.Close() })
	return d
}

func puts(ms ...override.Mapping) []override.Op {
	ops := make([]override.Op, len(ms))
	for i, m := range ms {
		ops[i] = override.Op{Mapping: m}
	}
	return ops
}

func del(m override.Mapping) override.Op {
	k := override.KeyOf(m)
	return override.Op{Delete: true, Mapping: override.Mapping{Record: k.Record, Rejected: k.Rejected, Source: k.Source, Entity: k.Entity}}
}

// scanAll pages through org with Scan, limit mappings at a time.
func scanAll(t *testing.T, d override.Driver, org string, limit int) []override.Mapping {
	t.Helper()
	var all []override.Mapping
	var after *override.Mapping
	for range 1_000_000 {
		page, err := d.Scan(t.Context(), org, after, limit, nil)
		require.NoError(t, err, "Scan(%q, limit %d)", org, limit)
		require.LessOrEqual(t, len(page), limit, "Scan returned more than limit")
		if len(page) == 0 {
			return all
		}
		for _, m := range page {
			all = append(all, norm(m))
		}
		last := page[len(page)-1]
		after = &last
	}
	t.Fatalf("Scan(%q) never ended", org)
	return nil
}

// loaded returns the mappings of one Load of refs, each record's sorted.
func loaded(t *testing.T, d override.Driver, refs ...override.RecordRef) [][]override.Mapping {
	t.Helper()
	recs, err := d.Load(t.Context(), refs, nil)
	require.NoError(t, err, "Load")
	require.Len(t, recs, len(refs), "Load returned one Record per ref")
	out := make([][]override.Mapping, len(recs))
	for i, r := range recs {
		assert.Equal(t, refs[i], r.Ref, "Load: Record %d has the wrong Ref", i)
		out[i] = sorted(r.Mappings)
	}
	return out
}

func testDriverLoad(t *testing.T, h DriverHarness) {
	d := openDriver(t, h)
	org := newOrg("")
	l1, l2 := rec(org, override.Lead, "l1"), rec(org, override.Lead, "l2")
	// Same record ID in another object and in an org whose ID extends this one's.
	c1, x1 := rec(org, override.Contact, "l1"), rec(org+"x", override.Lead, "l1")
	ms := []override.Mapping{
		mapping(l1, override.Member, "m1", override.Manual),
		mapping(l1, override.Member, "m2", override.Sync),
		rejection(l1, override.Member, "m3"),
		rejection(l1, override.Company, "c3"),
		mapping(c1, override.Member, "other", override.Sync),
		mapping(x1, override.Member, "leak", override.Manual),
		mapping(rec(org, override.Lead, "l10"), override.Member, "prefix", override.Sync),
	}
	require.NoError(t, d.Apply(t.Context(), puts(ms...)))
	t.Cleanup(func() { _, _ = d.Purge(context.Background(), org+"x") })

	got := loaded(t, d, l1, l2, c1, l1)
	assert.Equal(t, sorted(ms[:4]), got[0], "Load of a record with two mappings and two rejections")
	assert.Empty(t, got[1], "Load of a record with nothing stored")
	assert.Equal(t, sorted(ms[4:5]), got[2], "Load of the same ID under another object")
	assert.Equal(t, got[0], got[3], "Load of a repeated ref")
	assert.Empty(t, loaded(t, d, rec(newOrg(""), override.Lead, "l1"))[0], "Load in an empty org")

	// dst is appended to.
	dst := []override.Record{{Ref: l2}}
	recs, err := d.Load(t.Context(), []override.RecordRef{l1}, dst)
	require.NoError(t, err)
	require.Len(t, recs, 2, "Load appends to dst")
	assert.Equal(t, l2, recs[0].Ref, "Load kept dst[0]")
	assert.Len(t, recs[1].Mappings, 4)
}

func testDriverApply(t *testing.T, h DriverHarness) {
	d := openDriver(t, h)
	ctx := t.Context()
	org := newOrg("")
	r := rec(org, override.Account, "a1")
	manual := mapping(r, override.Company, "c1", override.Manual)
	syncM := mapping(r, override.Company, "c2", override.Sync)
	rej := rejection(r, override.Company, "c2")
	require.NoError(t, d.Apply(ctx, puts(manual, syncM, rej)))

	// A put replaces its key only: a rejection of c2 leaves the sync mapping to c2.
	replaced := mapping(r, override.Company, "c9", override.Manual)
	replaced.UpdatedAt = t0.Add(1e3)
	replaced.UpdatedBy = ""
	require.NoError(t, d.Apply(ctx, puts(replaced)))
	assert.Equal(t, sorted([]override.Mapping{replaced, syncM, rej}), loaded(t, d, r)[0], "after replacing the manual mapping")

	// Deletes and puts in one batch; deleting what is not there succeeds.
	other := rec(org, override.Account, "a2")
	newM := mapping(other, override.Company, "c5", override.Sync)
	ops := []override.Op{del(syncM), del(rej), del(mapping(rec(org, override.Lead, "none"), override.Member, "x", override.Sync)), {Mapping: newM}}
	require.NoError(t, d.Apply(ctx, ops))
	got := loaded(t, d, r, other)
	assert.Equal(t, sorted([]override.Mapping{replaced}), got[0], "after deleting the sync mapping and the rejection")
	assert.Equal(t, sorted([]override.Mapping{newM}), got[1], "put in the same batch as deletes")

	// Deletes alone, of an org that holds nothing, leave nothing behind.
	empty := newOrg("")
	require.NoError(t, d.Apply(ctx, []override.Op{del(mapping(rec(empty, override.Lead, "l"), override.Member, "m", override.Manual))}))
	n, err := d.Count(ctx, empty)
	require.NoError(t, err)
	assert.Zero(t, n, "Count of an org only deleted from")
	require.NoError(t, d.Apply(ctx, nil), "Apply of no ops")
}

// testDriverApplyAtomic applies batches of puts, then of deletes, spread over
// two orgs, while readers Load every record of the batch: each Load must see
// all of a batch or none of it.
func testDriverApplyAtomic(t *testing.T, h DriverHarness) {
	d := openDriver(t, h)
	ctx := t.Context()
	orgs := []string{newOrg("a"), newOrg("b")}
	t.Cleanup(func() {
		for _, org := range orgs {
			_, _ = d.Purge(context.Background(), org)
		}
	})
	const n = 200
	var ms []override.Mapping
	refs := make([]override.RecordRef, 0, n)
	for i := range n {
		r := rec(orgs[i%2], override.Contact, fmt.Sprintf("c%04d", i))
		ms = append(ms, mapping(r, override.Member, fmt.Sprintf("m%d", i), override.Sync))
		refs = append(refs, r)
	}
	dels := make([]override.Op, len(ms))
	for i, m := range ms {
		dels[i] = del(m)
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	var partial atomic.Int64
	var seen atomic.Int64
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				recs, err := d.Load(ctx, refs, nil)
				if err != nil {
					t.Errorf("Load during Apply: %v", err)
					return
				}
				k := 0
				for _, r := range recs {
					k += len(r.Mappings)
				}
				if k != 0 && k != n {
					partial.Add(1)
				}
				seen.Add(1)
			}
		}()
	}
	for i := 0; i < 20 || seen.Load() < 20; i++ {
		if i > 10_000 {
			break
		}
		require.NoError(t, d.Apply(ctx, puts(ms...)), "Apply puts")
		require.NoError(t, d.Apply(ctx, dels), "Apply deletes")
	}
	stop.Store(true)
	wg.Wait()
	assert.Zero(t, partial.Load(), "Loads that saw part of a batch, of %d", seen.Load())
}

func testDriverScanOrder(t *testing.T, h DriverHarness) {
	d := openDriver(t, h)
	ctx := t.Context()
	org := newOrg("")
	rnd := rand.New(rand.NewPCG(1, 2))
	var ms []override.Mapping
	objs := override.Objects()
	for i := range 120 {
		// IDs that are prefixes of each other and non-ASCII ones test byte order.
		id := []string{"r", "r0", "R", "r\u00e9", "ra", "r" + fmt.Sprint(i)}[i%6] + fmt.Sprint(i/6%4)
		r := rec(org, objs[i%len(objs)], id)
		switch i % 4 {
		case 0:
			ms = append(ms, mapping(r, override.Member, "m", override.Sync))
		case 1:
			ms = append(ms, mapping(r, override.Member, "m", override.Manual))
		default:
			ms = append(ms, rejection(r, []override.EntityKind{override.Member, override.Company}[rnd.IntN(2)], fmt.Sprintf("e%d", rnd.IntN(5))))
		}
	}
	// Keep one mapping per key, in random order.
	byKey := map[override.Key]override.Mapping{}
	for _, m := range ms {
		byKey[override.KeyOf(m)] = m
	}
	ms = ms[:0]
	for _, m := range byKey {
		ms = append(ms, m)
	}
	rnd.Shuffle(len(ms), func(i, j int) { ms[i], ms[j] = ms[j], ms[i] })
	require.NoError(t, d.Apply(ctx, puts(ms...)))
	// Another org around it, which Scan must not show.
	around := []override.Mapping{mapping(rec(org+"x", override.Account, "a"), override.Company, "c", override.Sync)}
	require.NoError(t, d.Apply(ctx, puts(around...)))
	t.Cleanup(func() { _, _ = d.Purge(context.Background(), org+"x") })

	want := sorted(ms)
	for _, limit := range []int{1, 3, 7, 1000} {
		assert.Equal(t, want, scanAll(t, d, org, limit), "Scan with limit %d", limit)
	}
	assert.Empty(t, scanAll(t, d, newOrg(""), 10), "Scan of an empty org")
}

func testDriverCountPurge(t *testing.T, h DriverHarness) {
	d := openDriver(t, h)
	ctx := t.Context()
	org, other := newOrg(""), newOrg("")
	ms := manyMappings(org, 150)
	ms = append(ms, rejection(rec(org, override.Lead, "l1"), override.Member, "m9"))
	require.NoError(t, d.Apply(ctx, puts(ms...)))
	keep := manyMappings(other, 10)
	require.NoError(t, d.Apply(ctx, puts(keep...)))
	t.Cleanup(func() { _, _ = d.Purge(context.Background(), other) })

	n, err := d.Count(ctx, org)
	require.NoError(t, err)
	assert.Equal(t, len(ms), n, "Count")
	removed, err := d.Purge(ctx, org)
	require.NoError(t, err)
	assert.Equal(t, len(ms), removed, "Purge's count")
	n, err = d.Count(ctx, org)
	require.NoError(t, err)
	assert.Zero(t, n, "Count after Purge")
	assert.Empty(t, scanAll(t, d, org, 100), "Scan after Purge")
	assert.Empty(t, loaded(t, d, ms[0].Record)[0], "Load after Purge")
	removed, err = d.Purge(ctx, org)
	require.NoError(t, err)
	assert.Zero(t, removed, "second Purge")
	assert.Equal(t, sorted(keep), scanAll(t, d, other, 100), "another org after Purge")

	// The org can be written again.
	require.NoError(t, d.Apply(ctx, puts(ms[0])))
	n, err = d.Count(ctx, org)
	require.NoError(t, err)
	assert.Equal(t, 1, n, "Count after writing again")
	_, _ = d.Purge(ctx, org)
}

func testDriverReopen(t *testing.T, h DriverHarness) {
	if !h.Durable() {
		t.Skip("driver is not durable")
	}
	ctx := t.Context()
	org := newOrg("")
	d, err := h.Open(ctx)
	require.NoError(t, err)
	ms := manyMappings(org, 300)
	ms = append(ms, mapping(rec(org, override.Lead, "l1"), override.Member, "m1", override.Manual),
		rejection(rec(org, override.Lead, "l1"), override.Member, "m2"))
	require.NoError(t, d.Apply(ctx, puts(ms...)))
	require.NoError(t, d.Close())

	d = openDriver(t, h)
	assert.Equal(t, sorted(ms), scanAll(t, d, org, 1000), "Scan after reopen")
	n, err := d.Count(ctx, org)
	require.NoError(t, err)
	assert.Equal(t, len(ms), n, "Count after reopen")
	got := loaded(t, d, rec(org, override.Lead, "l1"))
	assert.Len(t, got[0], 2, "Load after reopen")
	if ix, ok := d.(override.EntityIndex); ok {
		rs, err := ix.RecordsOf(ctx, org, override.EntityRef{Kind: override.Member, ID: "m1"})
		require.NoError(t, err)
		assert.Contains(t, rs, rec(org, override.Lead, "l1"), "RecordsOf after reopen")
	}
	_, _ = d.Purge(ctx, org)
}
