package dynamics_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/sourcetest"
)

// guidDataset is the fixture with n accounts whose IDs are random GUIDs, as Dataverse's are;
// it returns their IDs in SQL Server's uniqueidentifier order.
func guidDataset(t *testing.T, n int) (*sourcetest.Dataset, []string) {
	ds := sourcetest.Fixture()
	rng := rand.New(rand.NewPCG(7, 11))
	var accounts []crm.Account
	var ids []string
	for i := range n {
		a := ds.Accounts[i%len(ds.Accounts)]
		a.ID = fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", rng.Uint32(), rng.Uint32()&0xffff, rng.Uint32()&0xffff,
			rng.Uint32()&0xffff, rng.Uint64()&0xffffffffffff)
		accounts = append(accounts, a)
		ids = append(ids, a.ID)
	}
	ds.Accounts = accounts
	slices.SortFunc(ids, compareKeys)
	require.NotEqual(t, slices.Sorted(slices.Values(ids)), ids, "the GUIDs' text order differs from SQL Server's")
	return ds, ids
}

func readAccountIDs(t *testing.T, seq func() ([]crm.Account, error)) []string {
	t.Helper()
	got, err := seq()
	require.NoError(t, err)
	var ids []string
	for _, a := range got {
		ids = append(ids, a.ID)
	}
	return ids
}

// TestResumeGUIDOrder reads accounts keyed by GUIDs: in SQL Server's uniqueidentifier order, and
// after a record with "accountid gt", with and without an ID list spanning several queries.
func TestResumeGUIDOrder(t *testing.T) {
	ds, want := guidDataset(t, 130)
	f := newFakeOrg(t, ds)
	src := f.source(t)
	ctx := t.Context()
	assert.Equal(t, want, readAccountIDs(t, func() ([]crm.Account, error) { return crm.Collect(src.Accounts(ctx, crm.Filter{})) }),
		"plain read in primary-key order")
	for _, k := range []int{0, 64, len(want) - 1} {
		got := readAccountIDs(t, func() ([]crm.Account, error) { return crm.Collect(src.AccountsAfter(ctx, crm.Filter{}, want[k])) })
		assert.Equal(t, len(want)-k-1, len(got), "after record %d", k)
		assert.Equal(t, want[k+1:], append([]string{}, got...), "after record %d", k)
	}
	shuffled := slices.Clone(want)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	assert.Equal(t, want, readAccountIDs(t, func() ([]crm.Account, error) {
		return crm.Collect(src.Accounts(ctx, crm.Filter{IDs: shuffled}))
	}), "an ID list of three queries, in primary-key order")
	assert.Equal(t, want[71:], readAccountIDs(t, func() ([]crm.Account, error) {
		return crm.Collect(src.AccountsAfter(ctx, crm.Filter{IDs: shuffled}, want[70]))
	}), "after a record, with an ID list")
	assert.Empty(t, readAccountIDs(t, func() ([]crm.Account, error) {
		return crm.Collect(src.AccountsAfter(ctx, crm.Filter{IDs: want[:5]}, want[70]))
	}), "after a record that follows every ID asked for")

	// A deleted record still marks the place.
	gone := want[50]
	ds2 := ds.Clone()
	ds2.Accounts = slices.DeleteFunc(ds2.Accounts, func(a crm.Account) bool { return a.ID == gone })
	src2 := newFakeOrg(t, ds2).source(t)
	assert.Equal(t, want[51:], readAccountIDs(t, func() ([]crm.Account, error) {
		return crm.Collect(src2.AccountsAfter(ctx, crm.Filter{}, gone))
	}), "after a deleted record")
}

// TestResumeComparisonRefused reads after a record from an org that answers 400 to "gt" on a
// primary key: the read falls back to skipping the records up to it.
func TestResumeComparisonRefused(t *testing.T) {
	ds, want := guidDataset(t, 40)
	f := newFakeOrg(t, ds)
	refused := 0
	f.hook = func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.Contains(r.URL.Query().Get("$filter"), "accountid gt ") {
			return false
		}
		refused++
		dvError(w, http.StatusBadRequest, "0x80060888", "A binary operator with incompatible types was detected.")
		return true
	}
	src := f.source(t)
	got := readAccountIDs(t, func() ([]crm.Account, error) {
		return crm.Collect(src.AccountsAfter(t.Context(), crm.Filter{ModifiedSince: ds.Accounts[0].ModifiedAt.AddDate(-1, 0, 0)}, want[12]))
	})
	assert.Equal(t, want[13:], got)
	assert.Equal(t, 1, refused, "the comparison is asked for once")

	// With an ID list, ranged twice: the fallback reads the list as given.
	ids := slices.Clone(want[5:30])
	slices.Reverse(ids)
	seq := src.AccountsAfter(t.Context(), crm.Filter{IDs: ids}, want[12])
	for range 2 {
		assert.Equal(t, want[13:30], readAccountIDs(t, func() ([]crm.Account, error) { return crm.Collect(seq) }))
	}
}
