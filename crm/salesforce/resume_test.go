package salesforce_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/salesforce"
	"github.com/crmlink/crmlink/crm/sourcetest"
)

func accountIDs(t *testing.T, seq func() ([]crm.Account, error)) []string {
	t.Helper()
	got, err := seq()
	require.NoError(t, err)
	var ids []string
	for _, a := range got {
		ids = append(ids, a.ID)
	}
	return ids
}

// TestResumeSOQL checks the query a resumed read sends: the read's own filter, "Id > after" and
// ORDER BY Id, over REST and over Bulk.
func TestResumeSOQL(t *testing.T) {
	since := time.Date(2024, 3, 1, 9, 30, 15, 0, time.UTC)
	for _, bulk := range []bool{false, true} {
		f := newFakeOrg(t, sourcetest.Fixture())
		src := f.source(t, salesforce.WithBulk(bulk), salesforce.WithBulkPolling(time.Millisecond, time.Millisecond))
		_, err := crm.Collect(src.ContactsAfter(t.Context(), crm.Filter{ModifiedSince: since}, sourcetest.ContactID(3)))
		require.NoError(t, err)
		f.mu.Lock()
		q := f.lastSOQL[len(f.lastSOQL)-1]
		f.mu.Unlock()
		assert.True(t, strings.HasSuffix(q, " FROM Contact WHERE LastModifiedDate >= 2024-03-01T09:30:15Z AND Id > '"+
			sourcetest.ContactID(3)+"' ORDER BY Id"), "bulk %v: %s", bulk, q)
	}
}

// TestResumeAfterMissing reads after a record that is no longer in the org, and after IDs
// given as a list: the records that follow it in Id order, over REST and Bulk.
func TestResumeAfterMissing(t *testing.T) {
	ds := sourcetest.Fixture()
	gone := ds.Accounts[4].ID
	ds.Accounts = slices.Delete(ds.Accounts, 4, 5)
	for _, bulk := range []bool{false, true} {
		f := newFakeOrg(t, ds)
		src := f.source(t, salesforce.WithBulk(bulk), salesforce.WithBulkPolling(time.Millisecond, time.Millisecond))
		all := accountIDs(t, func() ([]crm.Account, error) { return crm.Collect(src.Accounts(t.Context(), crm.Filter{})) })
		require.True(t, slices.IsSorted(all), "bulk %v: accounts in Id order", bulk)
		k, _ := slices.BinarySearch(all, gone)
		assert.Equal(t, all[k:], accountIDs(t, func() ([]crm.Account, error) {
			return crm.Collect(src.AccountsAfter(t.Context(), crm.Filter{}, gone))
		}), "bulk %v: after a deleted account", bulk)
		assert.Equal(t, all, accountIDs(t, func() ([]crm.Account, error) {
			return crm.Collect(src.AccountsAfter(t.Context(), crm.Filter{}, "not an id"))
		}), "bulk %v: after something that is no Salesforce ID", bulk)

		// An ID list longer than one chunk, given out of order: the IDs after the record, in order,
		// and no query at all for the chunks that hold none.
		ids := slices.Clone(all)
		slices.Reverse(ids)
		for i := range 450 {
			ids = append(ids, sourcetest.AccountID(1000+i))
		}
		f.mu.Lock()
		before := len(f.lastSOQL)
		f.mu.Unlock()
		got := accountIDs(t, func() ([]crm.Account, error) {
			return crm.Collect(src.AccountsAfter(t.Context(), crm.Filter{IDs: ids}, all[2]))
		})
		assert.Equal(t, all[3:], got, "bulk %v: after a record, with IDs", bulk)
		f.mu.Lock()
		var sent []string
		for _, q := range f.lastSOQL[before:] {
			if strings.Contains(q, "FROM Account") {
				sent = append(sent, q)
			}
		}
		f.mu.Unlock()
		assert.Len(t, sent, 3, "bulk %v: (%d IDs after the record) / 200 per query", bulk, len(all)-3+450)
		for _, q := range sent {
			_, in, _ := strings.Cut(q, " Id IN (")
			for _, id := range all[:3] {
				assert.False(t, strings.Contains(in, "'"+id+"'"), "bulk %v: ID %d is up to the record and not asked for", bulk, slices.Index(all, id))
			}
		}
	}
}
