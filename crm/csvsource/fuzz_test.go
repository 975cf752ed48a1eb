package csvsource_test

import (
	"bytes"
	"context"
	"errors"
	"iter"
	"strings"
	"testing"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/csvsource"
	"github.com/crmlink/crmlink/crm/sourcetest"
)

// fuzzRead checks what every reader promises on any input: it ends, yields at most one error,
// last, and that error is a *crm.ParseError; and what it reads writes back and reads again the same.
func fuzzRead[T any](t *testing.T, in string, read func(context.Context, *strings.Reader) iter.Seq2[T, error],
	write func(*bytes.Buffer, []T) error) {
	var got []T
	var failed error
	for v, err := range read(context.Background(), strings.NewReader(in)) {
		if failed != nil {
			t.Fatalf("yielded after an error: %v", failed)
		}
		if err != nil {
			failed = err
			var pe *crm.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v (%T) is not a *crm.ParseError", err, err)
			}
			if pe.Line < 0 || pe.Column < 0 {
				t.Fatalf("negative position in %v", err)
			}
			continue
		}
		got = append(got, v)
	}
	if failed == nil && len(got) > 0 { // Count agrees with the reader on good input
		n, err := csvsource.CountRecords(context.Background(), strings.NewReader(in))
		if err != nil || n-1 != len(got) {
			t.Fatalf("CountRecords = %d, %v; the reader read %d records after the header", n, err, len(got))
		}
	}
	var buf bytes.Buffer
	if err := write(&buf, got); err != nil {
		return // e.g. an ID holding the list separator
	}
	again, err := crm.Collect(read(context.Background(), strings.NewReader(buf.String())))
	if err != nil {
		t.Fatalf("re-reading what was written: %v", err)
	}
	if len(again) != len(got) {
		t.Fatalf("round trip: %d records, want %d", len(again), len(got))
	}
}

func seed(f *testing.F, write func(*bytes.Buffer) error) {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.String())
	f.Add("id\n1\n")
	f.Add("\ufeffID,Email\n\"a\"\"b\",\"x\ny\"\n")
	f.Add("id,modified_at\n1,2024-01-01T00:00:00Z\n2,bad\n")
	f.Add("id,id\n")
	f.Add("id\n\xff\n")
	f.Add("id,name\n1,a\n 1 ,b\n")
}

func FuzzReadContacts(f *testing.F) {
	ds := sourcetest.Fixture()
	seed(f, func(b *bytes.Buffer) error { return csvsource.WriteContacts(b, ds.Contacts) })
	f.Fuzz(func(t *testing.T, in string) {
		fuzzRead(t, in, func(ctx context.Context, r *strings.Reader) iter.Seq2[crm.Contact, error] {
			return csvsource.ReadContacts(ctx, r, crm.Filter{})
		}, func(b *bytes.Buffer, rs []crm.Contact) error { return csvsource.WriteContacts(b, rs) })
	})
}

func FuzzReadLeads(f *testing.F) {
	ds := sourcetest.Fixture()
	seed(f, func(b *bytes.Buffer) error { return csvsource.WriteLeads(b, ds.Leads) })
	f.Fuzz(func(t *testing.T, in string) {
		fuzzRead(t, in, func(ctx context.Context, r *strings.Reader) iter.Seq2[crm.Lead, error] {
			return csvsource.ReadLeads(ctx, r, crm.Filter{})
		}, func(b *bytes.Buffer, rs []crm.Lead) error { return csvsource.WriteLeads(b, rs) })
	})
}

func FuzzReadAccounts(f *testing.F) {
	ds := sourcetest.Fixture()
	seed(f, func(b *bytes.Buffer) error { return csvsource.WriteAccounts(b, ds.Accounts) })
	f.Fuzz(func(t *testing.T, in string) {
		fuzzRead(t, in, func(ctx context.Context, r *strings.Reader) iter.Seq2[crm.Account, error] {
			return csvsource.ReadAccounts(ctx, r, crm.Filter{})
		}, func(b *bytes.Buffer, rs []crm.Account) error { return csvsource.WriteAccounts(b, rs) })
	})
}

func FuzzReadOpportunities(f *testing.F) {
	ds := sourcetest.Fixture()
	seed(f, func(b *bytes.Buffer) error { return csvsource.WriteOpportunities(b, ds.Opportunities) })
	f.Add("id,contact_ids,is_closed\n1,a;;b; c,TRUE\n")
	f.Fuzz(func(t *testing.T, in string) {
		fuzzRead(t, in, func(ctx context.Context, r *strings.Reader) iter.Seq2[crm.Opportunity, error] {
			return csvsource.ReadOpportunities(ctx, r, crm.Filter{})
		}, func(b *bytes.Buffer, rs []crm.Opportunity) error { return csvsource.WriteOpportunities(b, rs) })
	})
}

func FuzzReadStages(f *testing.F) {
	ds := sourcetest.Fixture()
	seed(f, func(b *bytes.Buffer) error { return csvsource.WriteStages(b, ds.Stages) })
	f.Fuzz(func(t *testing.T, in string) {
		fuzzRead(t, in, func(ctx context.Context, r *strings.Reader) iter.Seq2[crm.OpportunityStage, error] {
			return csvsource.ReadStages(ctx, r)
		}, func(b *bytes.Buffer, rs []crm.OpportunityStage) error { return csvsource.WriteStages(b, rs) })
	})
}

func FuzzReadUsers(f *testing.F) {
	ds := sourcetest.Fixture()
	seed(f, func(b *bytes.Buffer) error { return csvsource.WriteUsers(b, ds.Users) })
	f.Fuzz(func(t *testing.T, in string) {
		fuzzRead(t, in, func(ctx context.Context, r *strings.Reader) iter.Seq2[crm.User, error] {
			return csvsource.ReadUsers(ctx, r)
		}, func(b *bytes.Buffer, rs []crm.User) error { return csvsource.WriteUsers(b, rs) })
	})
}

func FuzzReadRoles(f *testing.F) {
	ds := sourcetest.Fixture()
	seed(f, func(b *bytes.Buffer) error { return csvsource.WriteRoles(b, ds.Roles) })
	f.Fuzz(func(t *testing.T, in string) {
		fuzzRead(t, in, func(ctx context.Context, r *strings.Reader) iter.Seq2[crm.Role, error] {
			return csvsource.ReadRoles(ctx, r)
		}, func(b *bytes.Buffer, rs []crm.Role) error { return csvsource.WriteRoles(b, rs) })
	})
}
