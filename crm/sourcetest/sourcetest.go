package sourcetest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/crm"
)

// Harness makes the Source under test.
type Harness interface {
	// Source returns a Source serving ds (an httptest TLS fake in the CRM's own shapes, or CSV
	// files). It registers any cleanup with t.Cleanup. It is called once per subtest.
	Source(t *testing.T, ds *Dataset) crm.Source
}

// BusinessUnitHarness is implemented by harnesses whose CRM places users in business units rather
// than roles (Dynamics). When BusinessUnits reports true, the suite feeds and expects
// [Dataset.WithBusinessUnits] and the business-unit visibility answers.
type BusinessUnitHarness interface {
	Harness
	BusinessUnits() bool
}

// CloseOnlyHistoryHarness is implemented by harnesses whose CRM keeps no stage history the
// driver reads, only the closing (Dynamics). When CloseOnlyHistory reports true, the suite
// expects [Dataset.WithCloseOnlyHistory].
type CloseOnlyHistoryHarness interface {
	Harness
	CloseOnlyHistory() bool
}

// Run runs the conformance suite against the Source h makes. Each behaviour is a subtest.
func Run(t *testing.T, h Harness) {
	t.Helper()
	fixture := func() *Dataset {
		ds := Fixture()
		if bu, ok := h.(BusinessUnitHarness); ok && bu.BusinessUnits() {
			ds = ds.WithBusinessUnits()
		}
		if ch, ok := h.(CloseOnlyHistoryHarness); ok && ch.CloseOnlyHistory() {
			ds = ds.WithCloseOnlyHistory()
		}
		return ds
	}
	with := func(test func(*testing.T, crm.Source, *Dataset)) func(*testing.T) {
		return func(t *testing.T) {
			ds := fixture()
			src := h.Source(t, ds.Clone())
			require.NotNil(t, src, "Harness.Source returned nil")
			test(t, src, ds)
		}
	}
	t.Run("Fixture", func(t *testing.T) { testFixture(t, fixture()) })
	t.Run("Records", with(testRecords))
	t.Run("ModifiedSince", with(testModifiedSince))
	t.Run("IDs", with(testIDs))
	t.Run("StageFilter", with(testStageFilter))
	t.Run("Visibility", with(func(t *testing.T, src crm.Source, ds *Dataset) {
		testVisibility(t, h, src, ds)
	}))
	t.Run("Resume", with(testResume))
	t.Run("Break", with(testBreak))
	t.Run("Canceled", with(testCanceled))
	t.Run("Concurrent", with(testConcurrent))
	t.Run("MidStreamError", func(t *testing.T) { testMidStreamError(t, h) })
}

// ---- normalisation: records compared field by field, order-insensitive, times in UTC seconds.

func second(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Second)
}

func normAccounts(rs []crm.Account) []crm.Account {
	out := slices.Clone(rs)
	for i := range out {
		out[i].ModifiedAt = second(out[i].ModifiedAt)
	}
	slices.SortStableFunc(out, func(a, b crm.Account) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

func normContacts(rs []crm.Contact) []crm.Contact {
	out := slices.Clone(rs)
	for i := range out {
		out[i].ModifiedAt = second(out[i].ModifiedAt)
	}
	slices.SortStableFunc(out, func(a, b crm.Contact) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

func normLeads(rs []crm.Lead) []crm.Lead {
	out := slices.Clone(rs)
	for i := range out {
		out[i].ModifiedAt = second(out[i].ModifiedAt)
	}
	slices.SortStableFunc(out, func(a, b crm.Lead) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

func normOpportunities(rs []crm.Opportunity) []crm.Opportunity {
	out := slices.Clone(rs)
	for i := range out {
		out[i].ModifiedAt = second(out[i].ModifiedAt)
		out[i].CreatedAt = second(out[i].CreatedAt)
		var h []crm.StageChange
		for _, c := range out[i].History {
			h = append(h, crm.StageChange{Stage: c.Stage, At: second(c.At)})
		}
		slices.SortStableFunc(h, func(a, b crm.StageChange) int { return a.At.Compare(b.At) })
		out[i].History = h
		ids := slices.Clone(out[i].ContactIDs)
		slices.Sort(ids)
		if len(ids) == 0 {
			ids = nil
		}
		out[i].ContactIDs = ids
	}
	slices.SortStableFunc(out, func(a, b crm.Opportunity) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

func normStages(rs []crm.OpportunityStage) []crm.OpportunityStage {
	out := slices.Clone(rs)
	slices.SortStableFunc(out, func(a, b crm.OpportunityStage) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

func normUsers(rs []crm.User) []crm.User {
	out := slices.Clone(rs)
	slices.SortStableFunc(out, func(a, b crm.User) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

func normRoles(rs []crm.Role) []crm.Role {
	out := slices.Clone(rs)
	slices.SortStableFunc(out, func(a, b crm.Role) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

func collect[T any](t *testing.T, what string, seq iter.Seq2[T, error]) []T {
	t.Helper()
	out, err := crm.Collect(seq)
	require.NoError(t, err, "reading %s", what)
	return out
}

// ---- subtests

// testFixture guards the fixture itself: the suite is only as strong as its data.
func testFixture(t *testing.T, ds *Dataset) {
	assert.Len(t, ds.Contacts, NumContacts)
	assert.GreaterOrEqual(t, len(ds.Contacts), 3*7-6, "contacts must span at least 3 pages of 7")
	for _, c := range ds.Expected.Stages {
		if c.Unknown {
			continue
		}
		accounts, contacts, err := crm.TiedToStage(ds.Stages, ds.Opportunities, c.Stage)
		require.NoError(t, err)
		assert.Equal(t, c.Accounts, accounts, "TiedToStage(%q) accounts", c.Stage)
		assert.Equal(t, c.Contacts, contacts, "TiedToStage(%q) contacts", c.Stage)
	}
	cut := ds.Expected.ModifiedSince
	some := func(n, total int, what string) {
		assert.True(t, n > 0 && n < total, "%s modified since the cutoff: %d of %d, want some but not all", what, n, total)
	}
	some(countSince(ds.Accounts, cut, func(r crm.Account) time.Time { return r.ModifiedAt }), len(ds.Accounts), "accounts")
	some(countSince(ds.Contacts, cut, func(r crm.Contact) time.Time { return r.ModifiedAt }), len(ds.Contacts), "contacts")
	some(countSince(ds.Leads, cut, func(r crm.Lead) time.Time { return r.ModifiedAt }), len(ds.Leads), "leads")
	some(countSince(ds.Opportunities, cut, func(r crm.Opportunity) time.Time { return r.ModifiedAt }), len(ds.Opportunities), "opportunities")
}

func countSince[T any](rs []T, cut time.Time, at func(T) time.Time) int {
	n := 0
	for _, r := range rs {
		if !at(r).Before(cut) {
			n++
		}
	}
	return n
}

func testRecords(t *testing.T, src crm.Source, ds *Dataset) {
	ctx := t.Context()
	all := crm.Filter{}
	assert.Equal(t, normAccounts(ds.Accounts), normAccounts(collect(t, "accounts", src.Accounts(ctx, all))), "Accounts")
	assert.Equal(t, normContacts(ds.Contacts), normContacts(collect(t, "contacts", src.Contacts(ctx, all))), "Contacts")
	assert.Equal(t, normLeads(ds.Leads), normLeads(collect(t, "leads", src.Leads(ctx, all))), "Leads")
	assert.Equal(t, normOpportunities(ds.Opportunities), normOpportunities(collect(t, "opportunities", src.Opportunities(ctx, all))), "Opportunities")
	assert.Equal(t, normStages(ds.Stages), normStages(collect(t, "stages", src.Stages(ctx))), "Stages")
	assert.Equal(t, normUsers(ds.Users), normUsers(collect(t, "users", src.Users(ctx))), "Users")
	assert.Equal(t, normRoles(ds.Roles), normRoles(collect(t, "roles", src.Roles(ctx))), "Roles")

	// A second read runs a fresh query and sees the same records.
	assert.Len(t, collect(t, "contacts again", src.Contacts(ctx, all)), len(ds.Contacts), "second Contacts read")
}

func since[T any](rs []T, cut time.Time, at func(T) time.Time) []T {
	var out []T
	for _, r := range rs {
		if !at(r).Before(cut) {
			out = append(out, r)
		}
	}
	return out
}

func testModifiedSince(t *testing.T, src crm.Source, ds *Dataset) {
	ctx := t.Context()
	for _, tc := range []struct {
		name string
		cut  time.Time
	}{
		{"cutoff", ds.Expected.ModifiedSince},
		{"cutoff in another zone", ds.Expected.ModifiedSince.In(time.FixedZone("UTC+5", 5*3600))},
		{"after everything", ds.Expected.ModifiedSince.Add(1000 * time.Hour)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := crm.Filter{ModifiedSince: tc.cut}
			assert.Equal(t, normAccounts(since(ds.Accounts, tc.cut, func(r crm.Account) time.Time { return r.ModifiedAt })),
				normAccounts(collect(t, "accounts", src.Accounts(ctx, f))), "Accounts(ModifiedSince)")
			assert.Equal(t, normContacts(since(ds.Contacts, tc.cut, func(r crm.Contact) time.Time { return r.ModifiedAt })),
				normContacts(collect(t, "contacts", src.Contacts(ctx, f))), "Contacts(ModifiedSince)")
			assert.Equal(t, normLeads(since(ds.Leads, tc.cut, func(r crm.Lead) time.Time { return r.ModifiedAt })),
				normLeads(collect(t, "leads", src.Leads(ctx, f))), "Leads(ModifiedSince)")
			assert.Equal(t, normOpportunities(since(ds.Opportunities, tc.cut, func(r crm.Opportunity) time.Time { return r.ModifiedAt })),
				normOpportunities(collect(t, "opportunities", src.Opportunities(ctx, f))), "Opportunities(ModifiedSince)")
		})
	}
}

func pick[T any](rs []T, id func(T) string, idx ...int) (ids []string, want []T) {
	for _, i := range idx {
		ids = append(ids, id(rs[i]))
		want = append(want, rs[i])
	}
	return ids, want
}

func testIDs(t *testing.T, src crm.Source, ds *Dataset) {
	ctx := t.Context()
	const unknown = "000000000000000AAA"
	t.Run("Accounts", func(t *testing.T) {
		ids, want := pick(ds.Accounts, func(r crm.Account) string { return r.ID }, 0, 8, 15)
		got := collect(t, "accounts", src.Accounts(ctx, crm.Filter{IDs: append(ids, unknown)}))
		assert.Equal(t, normAccounts(want), normAccounts(got))
	})
	t.Run("Contacts", func(t *testing.T) {
		ids, want := pick(ds.Contacts, func(r crm.Contact) string { return r.ID }, 1, 9, 23)
		got := collect(t, "contacts", src.Contacts(ctx, crm.Filter{IDs: append(ids, unknown)}))
		assert.Equal(t, normContacts(want), normContacts(got))
	})
	t.Run("Leads", func(t *testing.T) {
		ids, want := pick(ds.Leads, func(r crm.Lead) string { return r.ID }, 2, 14)
		got := collect(t, "leads", src.Leads(ctx, crm.Filter{IDs: append(ids, unknown)}))
		assert.Equal(t, normLeads(want), normLeads(got))
	})
	t.Run("Opportunities", func(t *testing.T) {
		ids, want := pick(ds.Opportunities, func(r crm.Opportunity) string { return r.ID }, 3, 7)
		got := collect(t, "opportunities", src.Opportunities(ctx, crm.Filter{IDs: append(ids, unknown)}))
		assert.Equal(t, normOpportunities(want), normOpportunities(got))
	})
	t.Run("OnlyUnknown", func(t *testing.T) {
		got := collect(t, "contacts", src.Contacts(ctx, crm.Filter{IDs: []string{unknown}}))
		assert.Empty(t, got)
	})
	t.Run("IDsAndModifiedSince", func(t *testing.T) {
		// Both conditions apply: of these contacts only those modified at or after the cutoff.
		cut := ds.Expected.ModifiedSince
		var ids []string
		var want []crm.Contact
		for _, c := range ds.Contacts[:12] {
			ids = append(ids, c.ID)
			if !c.ModifiedAt.Before(cut) {
				want = append(want, c)
			}
		}
		require.NotEmpty(t, want)
		require.Less(t, len(want), len(ids))
		got := collect(t, "contacts", src.Contacts(ctx, crm.Filter{IDs: ids, ModifiedSince: cut}))
		assert.Equal(t, normContacts(want), normContacts(got))
	})
}

func testStageFilter(t *testing.T, src crm.Source, ds *Dataset) {
	ctx := t.Context()
	sf, pushdown := src.(crm.StageFilterer)
	for _, tc := range ds.Expected.Stages {
		t.Run(tc.Stage, func(t *testing.T) {
			accounts, contacts, err := crm.FilterByStage(ctx, src, tc.Stage)
			if tc.Unknown {
				assert.ErrorIs(t, err, crm.ErrUnknownStage, "FilterByStage(%q)", tc.Stage)
			} else {
				require.NoError(t, err, "FilterByStage(%q)", tc.Stage)
				assert.Equal(t, tc.Accounts, accounts, "FilterByStage(%q) accounts", tc.Stage)
				assert.Equal(t, tc.Contacts, contacts, "FilterByStage(%q) contacts", tc.Stage)
			}
			if !pushdown {
				return
			}
			accounts, contacts, err = sf.TiedToOpenOpportunities(ctx, tc.Stage)
			if tc.Unknown {
				assert.ErrorIs(t, err, crm.ErrUnknownStage, "TiedToOpenOpportunities(%q)", tc.Stage)
				return
			}
			require.NoError(t, err, "TiedToOpenOpportunities(%q)", tc.Stage)
			assert.Equal(t, tc.Accounts, orEmpty(accounts), "TiedToOpenOpportunities(%q) accounts", tc.Stage)
			assert.Equal(t, tc.Contacts, orEmpty(contacts), "TiedToOpenOpportunities(%q) contacts", tc.Stage)
		})
	}
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func testVisibility(t *testing.T, h Harness, src crm.Source, ds *Dataset) {
	ctx := t.Context()
	bu := false
	if b, ok := h.(BusinessUnitHarness); ok {
		bu = b.BusinessUnits()
	}
	users := collect(t, "users", src.Users(ctx))
	roles := collect(t, "roles", src.Roles(ctx))
	v := crm.NewVisibility(users, roles, ds.Defaults)
	for _, tc := range ds.Expected.Visibility {
		want := tc.Want
		if bu {
			want = tc.WantBusinessUnit
		}
		assert.Equal(t, want, v.CanSee(tc.User, tc.Owner, tc.Object), "%s: CanSee(%s, %s, %s)", tc.Name, tc.User, tc.Owner, tc.Object)
	}
	// Filtering a stream from the source keeps what the fixture's own hierarchy allows.
	ref := crm.NewVisibility(ds.Users, ds.Roles, ds.Defaults)
	for _, viewer := range []string{UserID(1), UserID(3), UserID(4), UserID(8)} {
		var want []crm.Contact
		for _, c := range ds.Contacts {
			if ref.CanSee(viewer, c.OwnerID, crm.ObjectContact) {
				want = append(want, c)
			}
		}
		got := collect(t, "visible contacts", crm.FilterVisible(src.Contacts(ctx, crm.Filter{}), v, viewer,
			func(c crm.Contact) string { return c.OwnerID }, crm.ObjectContact))
		assert.Equal(t, normContacts(want), normContacts(got), "contacts visible to %s", viewer)
	}
}

// settle waits for the goroutine count to come back to at most base+slack and returns it.
func settle(base, slack int) int {
	n := runtime.NumGoroutine()
	for deadline := time.Now().Add(5 * time.Second); n > base+slack && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
		runtime.GC()
		n = runtime.NumGoroutine()
	}
	return n
}

// streams returns makers of a fresh stream of every record object, records made opaque.
func streams(ctx context.Context, src crm.Source) map[string]func() iter.Seq2[any, error] {
	return map[string]func() iter.Seq2[any, error]{
		"Accounts":      func() iter.Seq2[any, error] { return erase(src.Accounts(ctx, crm.Filter{})) },
		"Contacts":      func() iter.Seq2[any, error] { return erase(src.Contacts(ctx, crm.Filter{})) },
		"Leads":         func() iter.Seq2[any, error] { return erase(src.Leads(ctx, crm.Filter{})) },
		"Opportunities": func() iter.Seq2[any, error] { return erase(src.Opportunities(ctx, crm.Filter{})) },
	}
}

func erase[T any](seq iter.Seq2[T, error]) iter.Seq2[any, error] {
	return func(yield func(any, error) bool) {
		for v, err := range seq {
			if !yield(v, err) {
				return
			}
		}
	}
}

func testBreak(t *testing.T, src crm.Source, ds *Dataset) {
	ctx := t.Context()
	// Warm up connections so that the baseline includes idle keep-alive goroutines.
	collect(t, "contacts", src.Contacts(ctx, crm.Filter{}))
	base := runtime.NumGoroutine()
	lengths := map[string]int{"Accounts": len(ds.Accounts), "Contacts": len(ds.Contacts),
		"Leads": len(ds.Leads), "Opportunities": len(ds.Opportunities)}
	afters := []int{1, 8, 15} // first page, mid second page, third page
	for i, after := range afters {
		for name, seq := range streams(ctx, src) {
			// Break before the last record, or the loop would end on its own.
			after := min(after, lengths[name]-1)
			if after < 1 || (i > 0 && after <= afters[i-1]) {
				continue // too few records for this case
			}
			t.Run(fmt.Sprintf("%s/after%d", name, after), func(t *testing.T) {
				for round := range 5 {
					n := 0
					for _, err := range seq() {
						require.NoError(t, err, "round %d", round)
						n++
						if n == after {
							break
						}
					}
					require.Equal(t, after, n, "round %d: records before the break", round)
				}
			})
		}
	}
	// Still usable after the breaks.
	assert.Len(t, collect(t, "contacts", src.Contacts(ctx, crm.Filter{})), len(ds.Contacts))
	n := settle(base, 8)
	assert.LessOrEqual(t, n, base+8, "goroutines after 60 broken streams: %d, before: %d", n, base)
}

func testCanceled(t *testing.T, src crm.Source, ds *Dataset) {
	collect(t, "contacts", src.Contacts(t.Context(), crm.Filter{}))
	base := runtime.NumGoroutine()
	t.Run("Before", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		for name, seq := range streams(ctx, src) {
			n := 0
			var last error
			for _, err := range seq() {
				if err != nil {
					last = err
					break
				}
				n++
			}
			assert.ErrorIs(t, last, context.Canceled, "%s with a canceled context", name)
			assert.Zero(t, n, "%s records read with a canceled context", name)
		}
		_, _, err := crm.FilterByStage(ctx, src, "Prospecting")
		assert.ErrorIs(t, err, context.Canceled, "FilterByStage with a canceled context")
	})
	t.Run("MidStream", func(t *testing.T) {
		for round := range 10 {
			ctx, cancel := context.WithCancel(t.Context())
			n, errs := 0, 0
			var last error
			for _, err := range src.Contacts(ctx, crm.Filter{}) {
				if err != nil {
					last = err
					errs++
					continue // a source must stop after its error
				}
				n++
				if n == 2 {
					cancel()
				}
			}
			cancel()
			assert.ErrorIs(t, last, context.Canceled, "round %d: the stream must end with the context's error", round)
			assert.Equal(t, 1, errs, "round %d: errors yielded", round)
			assert.Less(t, n, len(ds.Contacts), "round %d: a canceled stream must not deliver every record", round)
		}
	})
	n := settle(base, 8)
	assert.LessOrEqual(t, n, base+8, "goroutines after canceled streams: %d, before: %d", n, base)
}

func testConcurrent(t *testing.T, src crm.Source, ds *Dataset) {
	ctx := t.Context()
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, check := range []func() error{
				func() error { return count(src.Contacts(ctx, crm.Filter{}), len(ds.Contacts)) },
				func() error { return count(src.Accounts(ctx, crm.Filter{}), len(ds.Accounts)) },
				func() error { return count(src.Opportunities(ctx, crm.Filter{}), len(ds.Opportunities)) },
				func() error { return count(src.Users(ctx), len(ds.Users)) },
			} {
				if err := check(); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
}

var errCount = errors.New("sourcetest: wrong record count")

func count[T any](seq iter.Seq2[T, error], want int) error {
	got, err := crm.Collect(seq)
	if err != nil {
		return err
	}
	if len(got) != want {
		return errCount
	}
	return nil
}
