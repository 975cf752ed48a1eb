package storetest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/override"
)

// Harness makes stores for one test of the rule suite. Every Open during a
// test of a durable store must see the same data, so that the suite can Close
// and re-Open.
// Register any cleanup with t.Cleanup.
type Harness interface {
	// Open opens (or re-opens) the store under test.
	Open(ctx context.Context) (*override.Store, error)
	// Durable reports whether data survives Close + Open (false for the in-memory store).
	Durable() bool
}

// Run runs the rule suite against the stores newHarness makes; it calls
// newHarness once per subtest. The rules (validation, precedence,
// rejections, org isolation, batches, closed state, cancellation ...) are
// those of the portable [override.Store], so the suite runs once, over the
// in-memory driver; drivers run [RunDriver]. Subtests use orgs with random names, so stores
// shared with other tests (one PostgreSQL database) are fine.
func Run(t *testing.T, newHarness func(t *testing.T) Harness) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, h Harness)
	}{
		{"PutGet", testPutGet},
		{"UpdatedAt", testUpdatedAt},
		{"Precedence", testPrecedence},
		{"Delete", testDelete},
		{"Rejections", testRejections},
		{"MappingsOrder", testMappingsOrder},
		{"RecordsOf", testRecordsOf},
		{"CountPurge", testCountPurge},
		{"OrgIsolation", testOrgIsolation},
		{"PutBatch", testPutBatch},
		{"PutBatchAtomic", testPutBatchAtomic},
		{"Write", testWrite},
		{"Lookup", testLookup},
		{"BadInput", testBadInput},
		{"Concurrent", testConcurrent},
		{"IterateWhileWriting", testIterateWhileWriting},
		{"BreakOut", testBreakOut},
		{"Canceled", testCanceled},
		{"AfterClose", testAfterClose},
		{"CloseWhileBusy", testCloseWhileBusy},
		{"Reopen", testReopen},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newHarness(t)) })
	}
}

// t0 is the UpdatedAt of the suite's mappings: microsecond precision, UTC.
var t0 = time.Date(2026, 3, 14, 15, 9, 26, 535897000, time.UTC)

func open(t *testing.T, h Harness) *override.Store {
	t.Helper()
	s, err := h.Open(t.Context())
	require.NoError(t, err, "Harness.Open")
	require.NotNil(t, s)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// newOrg returns a random org ID with the given suffix, unique across runs.
func newOrg(suffix string) string {
	return fmt.Sprintf("storetest-%016x%s", rand.Uint64(), suffix)
}

func rec(org string, o override.Object, id string) override.RecordRef {
	return override.RecordRef{Org: org, Object: o, ID: id}
}

func mapping(r override.RecordRef, k override.EntityKind, eid string, s override.Source) override.Mapping {
	return override.Mapping{Record: r, Entity: override.EntityRef{Kind: k, ID: eid}, Source: s, UpdatedAt: t0, UpdatedBy: "005U000001"}
}

func rejection(r override.RecordRef, k override.EntityKind, eid string) override.Mapping {
	m := mapping(r, k, eid, override.Manual)
	m.Rejected = true
	return m
}

func norm(m override.Mapping) override.Mapping {
	m.UpdatedAt = m.UpdatedAt.UTC()
	return m
}

func assertMapping(t *testing.T, want, got override.Mapping, msg string) {
	t.Helper()
	assert.Equal(t, norm(want), norm(got), msg)
}

func collect(t *testing.T, s *override.Store, org string) []override.Mapping {
	t.Helper()
	var ms []override.Mapping
	for m, err := range s.Mappings(t.Context(), org) {
		require.NoError(t, err, "Mappings(%q)", org)
		ms = append(ms, norm(m))
	}
	return ms
}

func mustPut(t *testing.T, s *override.Store, ms ...override.Mapping) {
	t.Helper()
	for _, m := range ms {
		require.NoError(t, s.Put(t.Context(), m), "Put(%v)", m.Record)
	}
}

func sorted(ms []override.Mapping) []override.Mapping {
	out := make([]override.Mapping, len(ms))
	for i, m := range ms {
		out[i] = norm(m)
	}
	slices.SortFunc(out, override.Compare)
	return out
}

func testPutGet(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := t.Context()
	org := newOrg("")
	tests := []struct {
		name string
		m    override.Mapping
	}{
		{"lead to member sync", mapping(rec(org, override.Lead, "00Q000000000001"), override.Member, "m-1", override.Sync)},
		{"contact to member manual", mapping(rec(org, override.Contact, "003000000000001"), override.Member, "m-2", override.Manual)},
		{"account to company", mapping(rec(org, override.Account, "001000000000001"), override.Company, "c-1", override.Sync)},
		{"opportunity to company", mapping(rec(org, override.Opportunity, "006000000000001"), override.Company, "c-2", override.Manual)},
		{"unicode ids, no user", override.Mapping{Record: rec(org, override.Contact, "ÿ-ünïcode-✓"), Entity: override.EntityRef{Kind: override.Member, ID: "членство"}, Source: override.Sync, UpdatedAt: t0}},
		{"max length ids", mapping(rec(org, override.Lead, strings.Repeat("x", override.MaxIDLen)), override.Member, strings.Repeat("y", override.MaxIDLen), override.Sync)},
		{"id with slash and spaces", mapping(rec(org, override.Lead, "a/b c%"), override.Member, "e/ f", override.Sync)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.NoError(t, s.Put(ctx, tc.m))
			got, ok, err := s.Get(ctx, tc.m.Record)
			require.NoError(t, err)
			require.True(t, ok, "Get(%v) ok = false, want true", tc.m.Record)
			assertMapping(t, tc.m, got, "Get")
			got, ok, err = s.GetSource(ctx, tc.m.Record, tc.m.Source)
			require.NoError(t, err)
			assert.True(t, ok, "GetSource ok")
			assertMapping(t, tc.m, got, "GetSource")
			other := override.Sync
			if tc.m.Source == override.Sync {
				other = override.Manual
			}
			_, ok, err = s.GetSource(ctx, tc.m.Record, other)
			require.NoError(t, err)
			assert.False(t, ok, "GetSource(%s) ok = true, want false", other)
		})
	}

	t.Run("replace", func(t *testing.T) {
		r := rec(org, override.Lead, "replace-me")
		mustPut(t, s, mapping(r, override.Member, "old", override.Sync))
		m2 := mapping(r, override.Company, "new", override.Sync)
		m2.UpdatedAt = t0.Add(time.Hour)
		m2.UpdatedBy = ""
		mustPut(t, s, m2)
		got, ok, err := s.Get(ctx, r)
		require.NoError(t, err)
		require.True(t, ok)
		assertMapping(t, m2, got, "Get after replace")
		n := 0
		for m, err := range s.Mappings(ctx, org) {
			require.NoError(t, err)
			if m.Record == r {
				n++
			}
		}
		assert.Equal(t, 1, n, "mappings of a replaced record")
	})

	t.Run("missing", func(t *testing.T) {
		for _, r := range []override.RecordRef{
			rec(org, override.Lead, "nope"),
			rec(org, override.Contact, "00Q000000000001"), // same ID, other object
			rec(newOrg(""), override.Lead, "00Q000000000001"),
		} {
			_, ok, err := s.Get(ctx, r)
			require.NoError(t, err)
			assert.False(t, ok, "Get(%v) ok = true, want false", r)
		}
	})
}

func testUpdatedAt(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := t.Context()
	org := newOrg("")
	r := rec(org, override.Lead, "l1")

	before := time.Now().Truncate(time.Microsecond)
	m := mapping(r, override.Member, "m1", override.Sync)
	m.UpdatedAt = time.Time{}
	mustPut(t, s, m)
	after := time.Now()
	got, ok, err := s.Get(ctx, r)
	require.NoError(t, err)
	require.True(t, ok)
	assert.False(t, got.UpdatedAt.Before(before), "zero UpdatedAt set to %v, before the Put (%v)", got.UpdatedAt, before)
	assert.False(t, got.UpdatedAt.After(after), "zero UpdatedAt set to %v, after the Put (%v)", got.UpdatedAt, after)

	loc := time.FixedZone("UTC+5", 5*3600)
	m.UpdatedAt = time.Date(2025, 7, 1, 12, 0, 0, 123456789, loc)
	mustPut(t, s, m)
	got, _, err = s.Get(ctx, r)
	require.NoError(t, err)
	want := time.Date(2025, 7, 1, 7, 0, 0, 123456000, time.UTC)
	assert.True(t, got.UpdatedAt.Equal(want), "UpdatedAt = %v, want %v (truncated to µs)", got.UpdatedAt, want)
}

func testPrecedence(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := t.Context()
	org := newOrg("")
	r := rec(org, override.Contact, "c1")
	syncM := mapping(r, override.Member, "from-sync", override.Sync)
	manual := mapping(r, override.Member, "from-user", override.Manual)

	steps := []struct {
		name string
		do   func() error
		want *override.Mapping
	}{
		{"sync only", func() error { return s.Put(ctx, syncM) }, &syncM},
		{"manual beats sync", func() error { return s.Put(ctx, manual) }, &manual},
		{"newer sync does not beat manual", func() error {
			m := syncM
			m.UpdatedAt = t0.Add(24 * time.Hour)
			syncM = m
			return s.Put(ctx, m)
		}, &manual},
		{"manual deleted, sync again", func() error { return s.Delete(ctx, r, override.Manual) }, &syncM},
		{"sync deleted, none", func() error { return s.Delete(ctx, r, override.Sync) }, nil},
		{"manual only", func() error { return s.Put(ctx, manual) }, &manual},
	}
	for _, st := range steps {
		require.NoError(t, st.do(), st.name)
		got, ok, err := s.Get(ctx, r)
		require.NoError(t, err, st.name)
		if st.want == nil {
			assert.False(t, ok, "%s: Get ok = true, want false", st.name)
			continue
		}
		require.True(t, ok, "%s: Get ok = false", st.name)
		assertMapping(t, *st.want, got, st.name)
		eff, _ := override.Effective(collect(t, s, org)...)
		assertMapping(t, got, eff, st.name+": Get agrees with override.Effective")
	}
}

func testDelete(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := t.Context()
	org := newOrg("")
	r := rec(org, override.Account, "a1")
	mustPut(t, s, mapping(r, override.Company, "c1", override.Sync), rejection(r, override.Company, "c9"))

	require.NoError(t, s.Delete(ctx, rec(org, override.Account, "never"), override.Sync), "delete nothing")
	require.NoError(t, s.Delete(ctx, r, override.Manual), "delete absent source")
	n, err := s.Count(ctx, org)
	require.NoError(t, err)
	assert.Equal(t, 2, n, "Count after no-op deletes")

	require.NoError(t, s.Delete(ctx, r, override.Sync))
	require.NoError(t, s.Delete(ctx, r, override.Sync), "delete twice")
	_, ok, err := s.Get(ctx, r)
	require.NoError(t, err)
	assert.False(t, ok, "Get after Delete")
	rej, err := s.Rejected(ctx, r, override.EntityRef{Kind: override.Company, ID: "c9"})
	require.NoError(t, err)
	assert.True(t, rej, "Delete must not remove a rejection")
	n, err = s.Count(ctx, org)
	require.NoError(t, err)
	assert.Equal(t, 1, n, "Count after Delete")
	rs, err := s.RecordsOf(ctx, org, override.EntityRef{Kind: override.Company, ID: "c1"})
	require.NoError(t, err)
	assert.Empty(t, rs, "RecordsOf after Delete")
}

func testRejections(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := t.Context()
	org := newOrg("")
	r := rec(org, override.Contact, "c1")
	m1 := override.EntityRef{Kind: override.Member, ID: "m1"}
	m2 := override.EntityRef{Kind: override.Member, ID: "m2"}
	c1 := override.EntityRef{Kind: override.Company, ID: "c1"}

	// A rejection alone: never returned by Get or GetSource.
	mustPut(t, s, rejection(r, m2.Kind, m2.ID))
	_, ok, err := s.Get(ctx, r)
	require.NoError(t, err)
	assert.False(t, ok, "Get returned a rejection")
	for _, src := range override.Sources() {
		_, ok, err = s.GetSource(ctx, r, src)
		require.NoError(t, err)
		assert.False(t, ok, "GetSource(%s) returned a rejection", src)
	}
	rs, err := s.RecordsOf(ctx, org, m2)
	require.NoError(t, err)
	assert.Empty(t, rs, "RecordsOf lists a record by its rejection")

	// Rejections and mappings coexist; a rejection never replaces a mapping.
	sm := mapping(r, m1.Kind, m1.ID, override.Sync)
	mustPut(t, s, sm, rejection(r, m1.Kind, m1.ID), rejection(r, c1.Kind, c1.ID))
	got, ok, err := s.Get(ctx, r)
	require.NoError(t, err)
	require.True(t, ok, "rejection replaced the sync mapping")
	assertMapping(t, sm, got, "Get")

	tests := []struct {
		e    override.EntityRef
		want bool
	}{
		{m1, true}, {m2, true}, {c1, true},
		{override.EntityRef{Kind: override.Company, ID: "m1"}, false},
		{override.EntityRef{Kind: override.Member, ID: "m3"}, false},
	}
	for _, tc := range tests {
		got, err := s.Rejected(ctx, r, tc.e)
		require.NoError(t, err)
		assert.Equal(t, tc.want, got, "Rejected(%v)", tc.e)
	}
	list, err := s.Rejections(ctx, r)
	require.NoError(t, err)
	assert.Equal(t, []override.EntityRef{c1, m1, m2}, list, "Rejections")
	list, err = s.Rejections(ctx, rec(org, override.Contact, "other"))
	require.NoError(t, err)
	assert.Empty(t, list, "Rejections of a record with none")

	// Re-rejecting replaces the rejection (same key), with its new time.
	again := rejection(r, m1.Kind, m1.ID)
	again.UpdatedAt = t0.Add(time.Minute)
	again.Source = override.Sync
	mustPut(t, s, again)
	n, err := s.Count(ctx, org)
	require.NoError(t, err)
	assert.Equal(t, 4, n, "Count: 1 mapping + 3 rejections")
	want := sorted([]override.Mapping{sm, again, rejection(r, m2.Kind, m2.ID), rejection(r, c1.Kind, c1.ID)})
	assert.Equal(t, want, collect(t, s, org), "Mappings lists rejections")

	// Unreject.
	require.NoError(t, s.Unreject(ctx, r, m2))
	require.NoError(t, s.Unreject(ctx, r, m2), "unreject twice")
	require.NoError(t, s.Unreject(ctx, rec(org, override.Lead, "none"), m2), "unreject nothing")
	rej, err := s.Rejected(ctx, r, m2)
	require.NoError(t, err)
	assert.False(t, rej, "Rejected after Unreject")
	n, err = s.Count(ctx, org)
	require.NoError(t, err)
	assert.Equal(t, 3, n, "Count after Unreject")

	// Purge removes rejections with the org.
	removed, err := s.Purge(ctx, org)
	require.NoError(t, err)
	assert.Equal(t, 3, removed, "Purge counts rejections")
	rej, err = s.Rejected(ctx, r, m1)
	require.NoError(t, err)
	assert.False(t, rej, "rejection survived Purge")
}

func testMappingsOrder(t *testing.T, h Harness) {
	s := open(t, h)
	org := newOrg("")
	var ms []override.Mapping
	ids := []string{"b", "B", "a", "ab", "a b", "a-", "Z9", "z", "é", "0", "00", "~"}
	for i, id := range ids {
		for _, o := range override.Objects() {
			r := rec(org, o, id)
			kind := override.Member
			if o == override.Account || o == override.Opportunity {
				kind = override.Company
			}
			ms = append(ms, mapping(r, kind, fmt.Sprintf("e%d", i), override.Sync))
			if i%2 == 0 {
				ms = append(ms, mapping(r, kind, fmt.Sprintf("e%d", i+1), override.Manual))
			}
			if i%3 == 0 {
				ms = append(ms, rejection(r, override.Member, "x"), rejection(r, override.Company, "y"),
					rejection(r, override.Member, "X"))
			}
		}
	}
	shuffled := slices.Clone(ms)
	rand.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	mustPut(t, s, shuffled...)
	assert.Equal(t, sorted(ms), collect(t, s, org), "Mappings order (byte order, see override.Compare)")
	seq := s.Mappings(t.Context(), org)
	for range 2 { // each range over one Seq2 runs a fresh walk
		n := 0
		for _, err := range seq {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, len(ms), n, "second range over the same iterator")
	}
	assert.Empty(t, collect(t, s, newOrg("")), "Mappings of an empty org")
}

func testRecordsOf(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := t.Context()
	org := newOrg("")
	e := override.EntityRef{Kind: override.Member, ID: "m-shared"}
	both := rec(org, override.Lead, "l1")
	mustPut(t, s,
		mapping(both, e.Kind, e.ID, override.Sync),
		mapping(both, e.Kind, e.ID, override.Manual), // listed once
		mapping(rec(org, override.Contact, "c2"), e.Kind, e.ID, override.Sync),
		mapping(rec(org, override.Contact, "c1"), e.Kind, e.ID, override.Manual),
		mapping(rec(org, override.Contact, "c3"), e.Kind, "other", override.Manual),
		mapping(rec(org, override.Account, "a1"), override.Company, e.ID, override.Manual), // same ID, other kind
		rejection(rec(org, override.Lead, "l2"), e.Kind, e.ID),
	)
	got, err := s.RecordsOf(ctx, org, e)
	require.NoError(t, err)
	want := []override.RecordRef{rec(org, override.Contact, "c1"), rec(org, override.Contact, "c2"), both}
	assert.Equal(t, want, got, "RecordsOf")

	// Moving a mapping away updates the reverse index.
	mustPut(t, s, mapping(rec(org, override.Contact, "c2"), e.Kind, "moved", override.Sync))
	require.NoError(t, s.Delete(ctx, both, override.Manual))
	got, err = s.RecordsOf(ctx, org, e)
	require.NoError(t, err)
	assert.Equal(t, []override.RecordRef{rec(org, override.Contact, "c1"), both}, got, "RecordsOf after moves")
	got, err = s.RecordsOf(ctx, org, override.EntityRef{Kind: override.Member, ID: "moved"})
	require.NoError(t, err)
	assert.Equal(t, []override.RecordRef{rec(org, override.Contact, "c2")}, got, "RecordsOf new target")
	got, err = s.RecordsOf(ctx, org, override.EntityRef{Kind: override.Company, ID: "none"})
	require.NoError(t, err)
	assert.Empty(t, got, "RecordsOf unknown entity")
}

func testCountPurge(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := t.Context()
	org := newOrg("")
	tests := []struct {
		name  string
		n     int // records
		rejPc int // every rejPc-th record also gets a rejection
	}{
		{"empty", 0, 1},
		{"one", 1, 2},
		{"hundreds", 700, 7},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ms []override.Mapping
			for i := range tc.n {
				r := rec(org, override.Lead, fmt.Sprintf("%s-%05d", tc.name, i))
				ms = append(ms, mapping(r, override.Member, "m", override.Sync))
				if i%tc.rejPc == 0 {
					ms = append(ms, rejection(r, override.Member, "bad"))
				}
			}
			require.NoError(t, s.PutBatch(ctx, ms))
			n, err := s.Count(ctx, org)
			require.NoError(t, err)
			assert.Equal(t, len(ms), n, "Count")
			removed, err := s.Purge(ctx, org)
			require.NoError(t, err)
			assert.Equal(t, len(ms), removed, "Purge removed")
			n, err = s.Count(ctx, org)
			require.NoError(t, err)
			assert.Zero(t, n, "Count after Purge")
			assert.Empty(t, collect(t, s, org), "Mappings after Purge")
			removed, err = s.Purge(ctx, org)
			require.NoError(t, err)
			assert.Zero(t, removed, "second Purge")
		})
	}
	// The org is usable again after a purge.
	mustPut(t, s, mapping(rec(org, override.Lead, "after"), override.Member, "m", override.Sync))
	n, err := s.Count(ctx, org)
	require.NoError(t, err)
	assert.Equal(t, 1, n, "Count after re-use")
}

func testOrgIsolation(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := t.Context()
	a, b := newOrg("-a"), newOrg("-b")
	prefix := newOrg("") // an org whose name prefixes another must not see it
	prefixed := prefix + "x"
	e := override.EntityRef{Kind: override.Member, ID: "m1"}
	var aMs, bMs []override.Mapping
	for _, id := range []string{"r1", "r2", "r3"} {
		aMs = append(aMs, mapping(rec(a, override.Contact, id), e.Kind, e.ID, override.Manual), rejection(rec(a, override.Contact, id), e.Kind, "m9"))
		bMs = append(bMs, mapping(rec(b, override.Contact, id), e.Kind, e.ID, override.Sync))
	}
	mustPut(t, s, aMs...)
	mustPut(t, s, bMs...)
	mustPut(t, s, mapping(rec(prefixed, override.Contact, "r1"), e.Kind, e.ID, override.Sync))

	// B never sees A's data through any method.
	for _, m := range aMs {
		got, ok, err := s.Get(ctx, m.Record)
		require.NoError(t, err)
		require.True(t, ok)
		assert.Equal(t, a, got.Record.Org)
		_, ok, err = s.GetSource(ctx, rec(b, m.Record.Object, m.Record.ID), override.Manual)
		require.NoError(t, err)
		assert.False(t, ok, "org B reads org A's manual mapping")
		rej, err := s.Rejected(ctx, rec(b, m.Record.Object, m.Record.ID), override.EntityRef{Kind: e.Kind, ID: "m9"})
		require.NoError(t, err)
		assert.False(t, rej, "org B sees org A's rejection")
	}
	assert.Equal(t, sorted(bMs), collect(t, s, b), "Mappings(B)")
	assert.Empty(t, collect(t, s, prefix), "Mappings of an org that prefixes another")
	pr := rec(prefix, override.Contact, "r1") // prefixed has a mapping of this record ID
	_, ok, err := s.Get(ctx, pr)
	require.NoError(t, err)
	assert.False(t, ok, "Get in an org that prefixes another reads the other's mapping")
	for _, src := range override.Sources() {
		_, ok, err = s.GetSource(ctx, pr, src)
		require.NoError(t, err)
		assert.False(t, ok, "GetSource(%s) in an org that prefixes another", src)
	}
	_, ok, err = s.Get(ctx, rec(b, override.Contact, "r9"))
	require.NoError(t, err)
	assert.False(t, ok, "Get of a record B does not have")
	rs, err := s.RecordsOf(ctx, b, e)
	require.NoError(t, err)
	for _, r := range rs {
		assert.Equal(t, b, r.Org, "RecordsOf(B) returned a record of another org")
	}
	assert.Len(t, rs, 3)
	rs, err = s.RecordsOf(ctx, prefix, e)
	require.NoError(t, err)
	assert.Empty(t, rs, "RecordsOf(prefix org)")
	n, err := s.Count(ctx, prefix)
	require.NoError(t, err)
	assert.Zero(t, n, "Count(prefix org)")

	// Purging B (and the prefix org) leaves A whole.
	removed, err := s.Purge(ctx, b)
	require.NoError(t, err)
	assert.Equal(t, 3, removed, "Purge(B)")
	removed, err = s.Purge(ctx, prefix)
	require.NoError(t, err)
	assert.Zero(t, removed, "Purge(prefix org)")
	assert.Equal(t, sorted(aMs), collect(t, s, a), "Mappings(A) after Purge(B)")
	n, err = s.Count(ctx, a)
	require.NoError(t, err)
	assert.Equal(t, 6, n, "Count(A)")
	n, err = s.Count(ctx, prefixed)
	require.NoError(t, err)
	assert.Equal(t, 1, n, "Count(prefixed org)")
}

func testPutBatch(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := t.Context()
	org := newOrg("")
	require.NoError(t, s.PutBatch(ctx, nil), "empty batch")

	r := rec(org, override.Lead, "dup")
	first := mapping(r, override.Member, "first", override.Sync)
	last := mapping(r, override.Member, "last", override.Sync)
	var ms []override.Mapping
	for i := range 2500 {
		ms = append(ms, mapping(rec(org, override.Contact, fmt.Sprintf("c%05d", i)), override.Member, fmt.Sprintf("m%d", i%97), override.Sync))
	}
	ms = append(ms, first, rejection(r, override.Member, "first"), last)
	require.NoError(t, s.PutBatch(ctx, ms))
	got, ok, err := s.Get(ctx, r)
	require.NoError(t, err)
	require.True(t, ok)
	assertMapping(t, last, got, "a batch holding a key twice: the later wins")
	n, err := s.Count(ctx, org)
	require.NoError(t, err)
	assert.Equal(t, 2502, n, "Count after batch")
	rs, err := s.RecordsOf(ctx, org, override.EntityRef{Kind: override.Member, ID: "first"})
	require.NoError(t, err)
	assert.Empty(t, rs, "reverse index holds a replaced mapping of the same batch")
	rs, err = s.RecordsOf(ctx, org, override.EntityRef{Kind: override.Member, ID: "m5"})
	require.NoError(t, err)
	assert.Len(t, rs, 26, "RecordsOf after batch") // i%97 == 5 for i < 2500
}

func testPutBatchAtomic(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := t.Context()
	org := newOrg("")
	existing := mapping(rec(org, override.Lead, "l0"), override.Member, "keep", override.Sync)
	mustPut(t, s, existing)

	bad := []struct {
		name  string
		at    int
		m     func(override.Mapping) override.Mapping
		field string
	}{
		{"invalid first", 0, func(m override.Mapping) override.Mapping { m.Record.ID = ""; return m }, "[0].Record.ID"},
		{"invalid last", 499, func(m override.Mapping) override.Mapping { m.Source = "robot"; return m }, "[499].Source"},
		{"other org invalid", 250, func(m override.Mapping) override.Mapping { m.Record.Org = ""; return m }, "[250].Record.Org"},
		{"bad kind", 10, func(m override.Mapping) override.Mapping { m.Entity.Kind = "school"; return m }, "[10].Entity.Kind"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			var ms []override.Mapping
			for i := range 500 {
				ms = append(ms, mapping(rec(org, override.Lead, fmt.Sprintf("l%d", i)), override.Member, "overwritten", override.Sync))
			}
			ms[tc.at] = tc.m(ms[tc.at])
			err := s.PutBatch(ctx, ms)
			require.ErrorIs(t, err, override.ErrInvalid)
			var ve *override.ValidationError
			if assert.ErrorAs(t, err, &ve) {
				assert.Equal(t, tc.field, ve.Field, "ValidationError.Field")
			}
			assert.Equal(t, []override.Mapping{norm(existing)}, collect(t, s, org), "a rejected batch wrote something")
		})
	}
}

// privateMarker is embedded in the invalid values of testBadInput; no error may echo it.
const privateMarker = "Jane.Doe@example.com"

func testBadInput(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := t.Context()
	org := newOrg("")
	good := mapping(rec(org, override.Lead, "l1"), override.Member, "m1", override.Sync)
	long := privateMarker + strings.Repeat("x", override.MaxIDLen)
	ctrl := privateMarker + "\x00"
	tests := []struct {
		name  string
		edit  func(*override.Mapping)
		field string
	}{
		{"empty org", func(m *override.Mapping) { m.Record.Org = "" }, "Record.Org"},
		{"long org", func(m *override.Mapping) { m.Record.Org = long }, "Record.Org"},
		{"control org", func(m *override.Mapping) { m.Record.Org = ctrl }, "Record.Org"},
		{"unknown object", func(m *override.Mapping) { m.Record.Object = override.Object(privateMarker) }, "Record.Object"},
		{"empty object", func(m *override.Mapping) { m.Record.Object = "" }, "Record.Object"},
		{"empty record id", func(m *override.Mapping) { m.Record.ID = "" }, "Record.ID"},
		{"long record id", func(m *override.Mapping) { m.Record.ID = long }, "Record.ID"},
		{"record id newline", func(m *override.Mapping) { m.Record.ID = privateMarker + "\n" }, "Record.ID"},
		{"record id DEL", func(m *override.Mapping) { m.Record.ID = privateMarker + "\x7f" }, "Record.ID"},
		{"record id C1 control", func(m *override.Mapping) { m.Record.ID = privateMarker + "\u0085" }, "Record.ID"},
		{"record id bad utf8", func(m *override.Mapping) { m.Record.ID = privateMarker + "\xff" }, "Record.ID"},
		{"unknown kind", func(m *override.Mapping) { m.Entity.Kind = override.EntityKind(privateMarker) }, "Entity.Kind"},
		{"empty entity id", func(m *override.Mapping) { m.Entity.ID = "" }, "Entity.ID"},
		{"long entity id", func(m *override.Mapping) { m.Entity.ID = long }, "Entity.ID"},
		{"control entity id", func(m *override.Mapping) { m.Entity.ID = ctrl }, "Entity.ID"},
		{"unknown source", func(m *override.Mapping) { m.Source = override.Source(privateMarker) }, "Source"},
		{"empty source", func(m *override.Mapping) { m.Source = "" }, "Source"},
		{"control user", func(m *override.Mapping) { m.UpdatedBy = ctrl }, "UpdatedBy"},
		{"long user", func(m *override.Mapping) { m.UpdatedBy = long }, "UpdatedBy"},
		{"year 10000", func(m *override.Mapping) { m.UpdatedAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }, "UpdatedAt"},
		{"rejection with bad entity", func(m *override.Mapping) { m.Rejected = true; m.Entity.ID = "" }, "Entity.ID"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := good
			tc.edit(&m)
			for op, err := range map[string]error{
				"Put":      s.Put(ctx, m),
				"PutBatch": s.PutBatch(ctx, []override.Mapping{good, m}),
			} {
				require.ErrorIs(t, err, override.ErrInvalid, op)
				var ve *override.ValidationError
				require.ErrorAs(t, err, &ve, op)
				assert.True(t, strings.HasSuffix(ve.Field, tc.field), "%s: Field = %q, want suffix %q", op, ve.Field, tc.field)
				assert.NotContains(t, err.Error(), privateMarker, "%s: error echoes the value", op)
			}
		})
	}
	n, err := s.Count(ctx, org)
	require.NoError(t, err)
	assert.Zero(t, n, "invalid Puts wrote something")

	badRec := rec(org, override.Lead, ctrl)
	badEnt := override.EntityRef{Kind: "x", ID: "y"}
	goodEnt := good.Entity
	calls := map[string]error{}
	_, _, calls["Get"] = s.Get(ctx, badRec)
	_, _, calls["GetSource record"] = s.GetSource(ctx, badRec, override.Sync)
	_, _, calls["GetSource source"] = s.GetSource(ctx, good.Record, "x")
	calls["Delete record"] = s.Delete(ctx, badRec, override.Sync)
	calls["Delete source"] = s.Delete(ctx, good.Record, "")
	_, calls["Rejected record"] = s.Rejected(ctx, badRec, goodEnt)
	_, calls["Rejected entity"] = s.Rejected(ctx, good.Record, badEnt)
	_, calls["Rejections"] = s.Rejections(ctx, rec(org, "", "x"))
	calls["Unreject record"] = s.Unreject(ctx, badRec, goodEnt)
	calls["Unreject entity"] = s.Unreject(ctx, good.Record, badEnt)
	_, calls["RecordsOf org"] = s.RecordsOf(ctx, "", goodEnt)
	_, calls["RecordsOf entity"] = s.RecordsOf(ctx, org, badEnt)
	_, calls["Count"] = s.Count(ctx, "")
	_, calls["Purge empty"] = s.Purge(ctx, "")
	_, calls["Purge control"] = s.Purge(ctx, ctrl)
	for _, err := range s.Mappings(ctx, long) {
		calls["Mappings"] = err
		break
	}
	for op, err := range calls {
		assert.ErrorIs(t, err, override.ErrInvalid, op)
		if err != nil {
			assert.NotContains(t, err.Error(), privateMarker, "%s: error echoes the value", op)
		}
	}
}

func testConcurrent(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := t.Context()
	org := newOrg("")
	const workers, ops = 8, 150
	shared := rec(org, override.Account, "shared")
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- func() error {
				for i := range ops {
					r := rec(org, override.Contact, fmt.Sprintf("w%d-%d", w, i%20))
					var err error
					switch i % 10 {
					case 0, 1, 2:
						err = s.Put(ctx, mapping(r, override.Member, fmt.Sprintf("m%d", i), override.Sync))
					case 3:
						err = s.PutBatch(ctx, []override.Mapping{
							mapping(r, override.Member, "batch", override.Manual),
							mapping(shared, override.Company, fmt.Sprintf("c%d", w), override.Sync),
						})
					case 4:
						_, _, err = s.Get(ctx, shared)
					case 5:
						err = s.Put(ctx, rejection(r, override.Member, "nope"))
					case 6:
						_, err = s.RecordsOf(ctx, org, override.EntityRef{Kind: override.Member, ID: "batch"})
					case 7:
						for _, e := range s.Mappings(ctx, org) {
							if e != nil {
								return e
							}
						}
					case 8:
						err = s.Delete(ctx, r, override.Sync)
					case 9:
						_, err = s.Count(ctx, org)
					}
					if err != nil {
						return err
					}
					if _, _, err := s.Get(ctx, r); err != nil {
						return err
					}
				}
				return nil
			}()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	// Every record the workers touched is consistent with the final listing.
	all := collect(t, s, org)
	n, err := s.Count(ctx, org)
	require.NoError(t, err)
	assert.Equal(t, len(all), n, "Count agrees with Mappings after concurrent writes")
	for _, m := range all {
		if m.Rejected {
			continue
		}
		got, ok, err := s.GetSource(ctx, m.Record, m.Source)
		require.NoError(t, err)
		require.True(t, ok)
		assert.Equal(t, m.Entity, got.Entity)
	}
	got, ok, err := s.Get(ctx, shared)
	require.NoError(t, err)
	require.True(t, ok)
	assert.True(t, strings.HasPrefix(got.Entity.ID, "c"))
}

func testIterateWhileWriting(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := t.Context()
	org := newOrg("")
	var before []override.Mapping
	for i := range 1200 {
		before = append(before, mapping(rec(org, override.Lead, fmt.Sprintf("l%05d", i)), override.Member, "m", override.Sync))
	}
	require.NoError(t, s.PutBatch(ctx, before))
	want := sorted(before)
	var got []override.Mapping
	i := 0
	for m, err := range s.Mappings(ctx, org) {
		require.NoError(t, err)
		got = append(got, norm(m))
		if i%40 == 0 {
			// Writes inside the loop body: new records on both sides of the cursor,
			// in another object so they cannot be mistaken for the originals.
			require.NoError(t, s.Put(ctx, mapping(rec(org, override.Contact, fmt.Sprintf("new%05d", i)), override.Member, "n", override.Sync)))
			require.NoError(t, s.PutBatch(ctx, []override.Mapping{
				mapping(rec(org, override.Account, fmt.Sprintf("new%05d", i)), override.Company, "n", override.Sync),
				mapping(rec(org, override.Opportunity, fmt.Sprintf("new%05d", i)), override.Company, "n", override.Sync),
			}))
			_, err := s.Count(ctx, org)
			require.NoError(t, err)
		}
		i++
	}
	var leads []override.Mapping
	for _, m := range got {
		if m.Record.Object == override.Lead {
			leads = append(leads, m)
		}
	}
	assert.Equal(t, want, leads, "each mapping present before the walk is yielded exactly once, in order")
	assert.True(t, slices.IsSortedFunc(got, override.Compare), "walk out of order while writing")
}

func testBreakOut(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := t.Context()
	org := newOrg("")
	var ms []override.Mapping
	for i := range 600 {
		ms = append(ms, mapping(rec(org, override.Lead, fmt.Sprintf("l%04d", i)), override.Member, "m", override.Sync))
	}
	require.NoError(t, s.PutBatch(ctx, ms))
	for _, stopAt := range []int{0, 1, 299, 599} {
		n := 0
		for _, err := range s.Mappings(ctx, org) {
			require.NoError(t, err)
			if n == stopAt {
				break
			}
			n++
		}
		assert.Equal(t, stopAt, n)
		// Nothing left open: writing and purging still work at once.
		require.NoError(t, s.Put(ctx, mapping(rec(org, override.Contact, fmt.Sprintf("after%d", stopAt)), override.Member, "m", override.Sync)))
	}
	removed, err := s.Purge(ctx, org)
	require.NoError(t, err)
	assert.Equal(t, 604, removed)
}

func testCanceled(t *testing.T, h Harness) {
	s := open(t, h)
	org := newOrg("")
	m := mapping(rec(org, override.Lead, "l1"), override.Member, "m1", override.Sync)
	mustPut(t, s, m)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	calls := callAll(ctx, s, m)
	for op, err := range calls {
		assert.ErrorIs(t, err, context.Canceled, op)
	}
	dctx, dcancel := context.WithDeadline(t.Context(), time.Now().Add(-time.Second))
	defer dcancel()
	for op, err := range callAll(dctx, s, m) {
		assert.ErrorIs(t, err, context.DeadlineExceeded, op)
	}
	got, ok, err := s.Get(t.Context(), m.Record)
	require.NoError(t, err)
	require.True(t, ok, "a canceled call changed the store")
	assertMapping(t, m, got, "Get after canceled calls")
	n, err := s.Count(t.Context(), org)
	require.NoError(t, err)
	assert.Equal(t, 1, n, "Count after canceled calls")

	// Canceled mid-walk: the iterator yields the error and stops.
	require.NoError(t, s.PutBatch(t.Context(), manyMappings(org, 3000)))
	ctx, cancel = context.WithCancel(t.Context())
	defer cancel()
	seen, errs := 0, 0
	for _, err := range s.Mappings(ctx, org) {
		if err != nil {
			assert.ErrorIs(t, err, context.Canceled)
			errs++
			continue
		}
		seen++
		if seen == 10 {
			cancel()
		}
	}
	assert.Equal(t, 1, errs, "canceled walk yields one error")
	assert.Less(t, seen, 3001, "canceled walk went on to the end")
}

func manyMappings(org string, n int) []override.Mapping {
	ms := make([]override.Mapping, n)
	for i := range ms {
		ms[i] = mapping(rec(org, override.Contact, fmt.Sprintf("c%06d", i)), override.Member, "m", override.Sync)
	}
	return ms
}

// callAll calls every method except Close with valid arguments.
func callAll(ctx context.Context, s *override.Store, m override.Mapping) map[string]error {
	calls := map[string]error{}
	_, _, calls["Get"] = s.Get(ctx, m.Record)
	_, _, calls["GetSource"] = s.GetSource(ctx, m.Record, m.Source)
	calls["Put"] = s.Put(ctx, m)
	calls["PutBatch"] = s.PutBatch(ctx, []override.Mapping{m})
	calls["Delete"] = s.Delete(ctx, m.Record, m.Source)
	_, calls["Rejected"] = s.Rejected(ctx, m.Record, m.Entity)
	_, calls["Rejections"] = s.Rejections(ctx, m.Record)
	calls["Unreject"] = s.Unreject(ctx, m.Record, m.Entity)
	_, calls["RecordsOf"] = s.RecordsOf(ctx, m.Record.Org, m.Entity)
	_, calls["Count"] = s.Count(ctx, m.Record.Org)
	_, calls["Purge"] = s.Purge(ctx, m.Record.Org)
	calls["Mappings"] = errors.New("Mappings yielded no error")
	for _, err := range s.Mappings(ctx, m.Record.Org) {
		calls["Mappings"] = err
		if err != nil {
			break
		}
	}
	return calls
}

func testAfterClose(t *testing.T, h Harness) {
	s, err := h.Open(t.Context())
	require.NoError(t, err)
	org := newOrg("")
	m := mapping(rec(org, override.Lead, "l1"), override.Member, "m1", override.Sync)
	mustPut(t, s, m)
	require.NoError(t, s.Close())
	for op, err := range callAll(t.Context(), s, m) {
		assert.ErrorIs(t, err, override.ErrClosed, op)
	}
	if err := s.Close(); err != nil {
		assert.ErrorIs(t, err, override.ErrClosed, "second Close")
	}
}

func testCloseWhileBusy(t *testing.T, h Harness) {
	s, err := h.Open(t.Context())
	require.NoError(t, err)
	ctx := t.Context()
	org := newOrg("")
	require.NoError(t, s.PutBatch(ctx, manyMappings(org, 500)))
	const workers = 6
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				m := mapping(rec(org, override.Lead, fmt.Sprintf("w%d-%d", w, i%50)), override.Member, "m", override.Sync)
				var err error
				switch (w + i) % 4 {
				case 0:
					err = s.Put(ctx, m)
				case 1:
					_, _, err = s.Get(ctx, m.Record)
				case 2:
					for _, e := range s.Mappings(ctx, org) {
						if e != nil {
							err = e
							break
						}
					}
				case 3:
					_, err = s.Count(ctx, org)
				}
				if err != nil {
					if !errors.Is(err, override.ErrClosed) {
						errs <- fmt.Errorf("worker %d: %w", w, err)
					}
					return
				}
			}
		}()
	}
	time.Sleep(20 * time.Millisecond)
	require.NoError(t, s.Close())
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("calls still running 30s after Close")
	}
	close(errs)
	for err := range errs {
		assert.NoError(t, err, "a call racing Close must succeed or return ErrClosed")
	}
}

func testReopen(t *testing.T, h Harness) {
	if !h.Durable() {
		t.Skip("store is not durable")
	}
	ctx := t.Context()
	org := newOrg("")
	s, err := h.Open(ctx)
	require.NoError(t, err)
	ms := manyMappings(org, 300)
	ms = append(ms, mapping(rec(org, override.Lead, "l1"), override.Member, "m1", override.Manual),
		rejection(rec(org, override.Lead, "l1"), override.Member, "m2"))
	require.NoError(t, s.PutBatch(ctx, ms))
	require.NoError(t, s.Close())

	s = open(t, h)
	assert.Equal(t, sorted(ms), collect(t, s, org), "Mappings after reopen")
	n, err := s.Count(ctx, org)
	require.NoError(t, err)
	assert.Equal(t, len(ms), n, "Count after reopen")
	rs, err := s.RecordsOf(ctx, org, override.EntityRef{Kind: override.Member, ID: "m1"})
	require.NoError(t, err)
	assert.Equal(t, []override.RecordRef{rec(org, override.Lead, "l1")}, rs, "RecordsOf after reopen")
	rej, err := s.Rejected(ctx, rec(org, override.Lead, "l1"), override.EntityRef{Kind: override.Member, ID: "m2"})
	require.NoError(t, err)
	assert.True(t, rej, "Rejected after reopen")
}
