package salesforce

import (
	"context"
	"iter"
	"strings"

	"github.com/crmlink/crmlink/crm"
)

var _ crm.Resumer = (*Source)(nil)

// AccountsAfter implements [crm.Resumer]: the accounts [Source.Accounts] reads (in Id order,
// over REST or Bulk alike) whose Id sorts after after, read with "Id > after" added to the
// query's WHERE clause, so the records before it are not read again. An after that is not a
// Salesforce ID matches no record: every account is read. An after whose record was deleted
// since still yields the accounts that follow it in Id order, which are the ones an
// interrupted read had not reached.
func (s *Source) AccountsAfter(ctx context.Context, f crm.Filter, after string) iter.Seq2[crm.Account, error] {
	return s.accounts(ctx, afterSpec(accountSpec, after), f)
}

// ContactsAfter implements [crm.Resumer] for contacts; see [Source.AccountsAfter].
func (s *Source) ContactsAfter(ctx context.Context, f crm.Filter, after string) iter.Seq2[crm.Contact, error] {
	return s.contacts(ctx, afterSpec(contactSpec, after), f)
}

// LeadsAfter implements [crm.Resumer] for unconverted leads; see [Source.AccountsAfter].
func (s *Source) LeadsAfter(ctx context.Context, f crm.Filter, after string) iter.Seq2[crm.Lead, error] {
	return s.leads(ctx, afterSpec(leadSpec, after), f)
}

// afterSpec returns sp reading after the record after, or sp itself when after is not a
// Salesforce ID (no record has it).
func afterSpec(sp spec, after string) spec {
	if validID(after) {
		sp.after = after
	}
	return sp
}

// compareIDs orders two Salesforce IDs as SOQL's ORDER BY Id and "Id >" do: by their 15-character
// case-sensitive form, whose characters sort as 0-9, A-Z, a-z (byte order). The three extra
// characters of an 18-character ID are a checksum of the first 15.
func compareIDs(a, b string) int {
	return strings.Compare(a[:min(len(a), 15)], b[:min(len(b), 15)])
}
