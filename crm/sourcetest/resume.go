package sourcetest

import (
	"context"
	"iter"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/crmlink/crmlink/crm"
)

// testResume checks a Source with [crm.Resumer]: a read after a record yields exactly the records
// that follow it in the plain read's order, a read after nothing or after an unknown ID yields
// every record, and the filter applies.
func testResume(t *testing.T, src crm.Source, ds *Dataset) {
	rs, ok := src.(crm.Resumer)
	if !ok {
		t.Skip("the source has no crm.Resumer")
	}
	ctx := t.Context()
	t.Run("Accounts", func(t *testing.T) {
		checkResume(t, func(f crm.Filter) iter.Seq2[crm.Account, error] { return src.Accounts(ctx, f) },
			func(f crm.Filter, after string) iter.Seq2[crm.Account, error] { return rs.AccountsAfter(ctx, f, after) },
			func(r crm.Account) string { return r.ID })
	})
	t.Run("Contacts", func(t *testing.T) {
		checkResume(t, func(f crm.Filter) iter.Seq2[crm.Contact, error] { return src.Contacts(ctx, f) },
			func(f crm.Filter, after string) iter.Seq2[crm.Contact, error] { return rs.ContactsAfter(ctx, f, after) },
			func(r crm.Contact) string { return r.ID })
	})
	t.Run("Leads", func(t *testing.T) {
		checkResume(t, func(f crm.Filter) iter.Seq2[crm.Lead, error] { return src.Leads(ctx, f) },
			func(f crm.Filter, after string) iter.Seq2[crm.Lead, error] { return rs.LeadsAfter(ctx, f, after) },
			func(r crm.Lead) string { return r.ID })
	})
	t.Run("Canceled", func(t *testing.T) {
		all := readIDs(t, src.Accounts(ctx, crm.Filter{}), func(r crm.Account) string { return r.ID })
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		var err error
		for _, e := range rs.AccountsAfter(cctx, crm.Filter{}, all[0]) {
			if e != nil {
				err = e
				break
			}
		}
		assert.ErrorIs(t, err, context.Canceled, "AccountsAfter with a canceled context")
	})
}

func readIDs[T any](t *testing.T, seq iter.Seq2[T, error], id func(T) string) []string {
	t.Helper()
	var out []string
	for _, r := range collect(t, "records", seq) {
		out = append(out, id(r))
	}
	return out
}

func checkResume[T any](t *testing.T, read func(crm.Filter) iter.Seq2[T, error], after func(crm.Filter, string) iter.Seq2[T, error], id func(T) string) {
	all := readIDs(t, read(crm.Filter{}), id)
	if len(all) < 3 {
		t.Fatalf("fixture has %d records, want 3 or more", len(all))
	}
	assert.Equal(t, all, readIDs(t, read(crm.Filter{}), id), "two plain reads in the same order")
	assert.Equal(t, all, readIDs(t, after(crm.Filter{}, ""), id), "read after nothing")
	for _, k := range []int{0, len(all) / 2, len(all) - 1} {
		want := all[k+1:]
		if len(want) == 0 {
			want = nil
		}
		assert.Equal(t, want, readIDs(t, after(crm.Filter{}, all[k]), id), "read after record %d of %d", k, len(all))
	}
	assert.Equal(t, all, readIDs(t, after(crm.Filter{}, "000000000000000ZZZ"), id), "read after an unknown ID yields everything")
	// With a filter: after a record the filter keeps, the kept records that follow it.
	kept := []string{all[1], all[len(all)-1]}
	f := crm.Filter{IDs: kept}
	assert.Equal(t, kept[1:], readIDs(t, after(f, kept[0]), id), "read after a record, with IDs")
	assert.Equal(t, kept, readIDs(t, after(f, all[0]), id), "read after a record the filter leaves out yields every kept record")
}
