package csvsource

import (
	"context"
	"iter"

	"github.com/crmlink/crmlink/crm"
)

var _ crm.Resumer = (*Source)(nil)

// AccountsAfter implements [crm.Resumer]: accounts.csv in file order, after the account whose ID
// is after (see [crm.ResumeAfter]; the file is read again from the start when it holds no such
// account).
func (s *Source) AccountsAfter(ctx context.Context, f crm.Filter, after string) iter.Seq2[crm.Account, error] {
	return crm.ResumeAfter(func() iter.Seq2[crm.Account, error] { return s.Accounts(ctx, f) },
		func(r crm.Account) string { return r.ID }, after)
}

// ContactsAfter implements [crm.Resumer] over contacts.csv; see [Source.AccountsAfter].
func (s *Source) ContactsAfter(ctx context.Context, f crm.Filter, after string) iter.Seq2[crm.Contact, error] {
	return crm.ResumeAfter(func() iter.Seq2[crm.Contact, error] { return s.Contacts(ctx, f) },
		func(r crm.Contact) string { return r.ID }, after)
}

// LeadsAfter implements [crm.Resumer] over leads.csv; see [Source.AccountsAfter].
func (s *Source) LeadsAfter(ctx context.Context, f crm.Filter, after string) iter.Seq2[crm.Lead, error] {
	return crm.ResumeAfter(func() iter.Seq2[crm.Lead, error] { return s.Leads(ctx, f) },
		func(r crm.Lead) string { return r.ID }, after)
}
