package csvsource_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/csvsource"
	"github.com/crmlink/crmlink/crm/sourcetest"
)

func TestReadContacts(t *testing.T) {
	in := "\ufeffEmail, ID ,unknown,first_name,modified_at\n" +
		"ada@example.com,003A,x,Ada,2024-03-01T10:00:00+02:00\n" +
		"\n" + // blank lines are skipped
		"\"o'brien, \"\"the\"\" one\",003B,y,\"Se\u00e1n\nMultiline\",\n"
	got, err := crm.Collect(csvsource.ReadContacts(t.Context(), strings.NewReader(in), crm.Filter{}))
	require.NoError(t, err)
	assert.Equal(t, []crm.Contact{
		{ID: "003A", Email: "ada@example.com", FirstName: "Ada", ModifiedAt: time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC)},
		{ID: "003B", Email: "o'brien, \"the\" one", FirstName: "Seán\nMultiline"},
	}, got)
}

func TestReadEmpty(t *testing.T) {
	got, err := crm.Collect(csvsource.ReadLeads(t.Context(), strings.NewReader(""), crm.Filter{}))
	require.NoError(t, err)
	assert.Empty(t, got)
	got, err = crm.Collect(csvsource.ReadLeads(t.Context(), strings.NewReader("id,email\n"), crm.Filter{}))
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestParseErrors(t *testing.T) {
	secret := "s3cret.person@example.com"
	tests := []struct {
		name      string
		read      func(r *strings.Reader) error
		in        string
		wantIs    error
		wantLine  int
		wantCol   int
		wantCount int // records before the error
	}{
		{"missing id column", contacts, "email,first_name\n" + secret + ",Ada\n", csvsource.ErrMissingColumn, 1, 0, 0},
		{"duplicate column", contacts, "id,email,EMAIL\n1,a,b\n", csvsource.ErrDuplicateColumn, 1, 10, 0},
		{"field count", contacts, "id,email\n1,a\n2," + secret + ",extra\n", csv.ErrFieldCount, 3, 0, 1},
		{"bare quote", contacts, "id,email\n1,a\n2,x\"" + secret + "\n", csv.ErrBareQuote, 3, 0, 1},
		{"invalid utf-8", contacts, "id,email\n1,\xff" + secret + "\n", csvsource.ErrInvalidUTF8, 2, 3, 0},
		{"invalid time", contacts, "id,modified_at\n1,2024-01-01\n2,yesterday " + secret + "\n", csvsource.ErrInvalidTime, 2, 3, 0},
		{"empty id", contacts, "id,email\n1,a\n  ," + secret + "\n", csvsource.ErrEmptyID, 3, 1, 1},
		{"invalid bool", opportunities, "id,is_closed\n1,maybe\n", csvsource.ErrInvalidBool, 2, 3, 0},
		{"invalid int", stages, "name,sort_order\nProspecting,first\n", csvsource.ErrInvalidInt, 2, 13, 0},
		{"stages need sort_order", stages, "name\nProspecting\n", csvsource.ErrMissingColumn, 1, 0, 0},
		{"users need is_active", users, "id,email\n1," + secret + "\n", csvsource.ErrMissingColumn, 1, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.read(strings.NewReader(tc.in))
			require.Error(t, err)
			var pe *crm.ParseError
			require.ErrorAs(t, err, &pe)
			assert.ErrorIs(t, err, crm.ErrInvalid)
			if tc.wantIs != nil {
				assert.ErrorIs(t, err, tc.wantIs)
			}
			assert.Equal(t, tc.wantLine, pe.Line, "line")
			if tc.wantCol != 0 {
				assert.Equal(t, tc.wantCol, pe.Column, "column")
			}
			assert.NotContains(t, err.Error(), "s3cret", "no value in the error")
			assert.NotContains(t, err.Error(), "yesterday", "no value in the error")
			assert.NotContains(t, err.Error(), "maybe", "no value in the error")
			assert.True(t, strings.HasPrefix(err.Error(), pe.File+":"), "error %q names the file", err)
		})
	}
}

func contacts(r *strings.Reader) error {
	_, err := crm.Collect(csvsource.ReadContacts(context.Background(), r, crm.Filter{}))
	return err
}

func opportunities(r *strings.Reader) error {
	_, err := crm.Collect(csvsource.ReadOpportunities(context.Background(), r, crm.Filter{}))
	return err
}

func stages(r *strings.Reader) error {
	_, err := crm.Collect(csvsource.ReadStages(context.Background(), r))
	return err
}

func users(r *strings.Reader) error {
	_, err := crm.Collect(csvsource.ReadUsers(context.Background(), r))
	return err
}

func TestParseErrorCount(t *testing.T) {
	in := "id,email\n1,a\n2,b\n3,\xff\n4,d\n"
	var n int
	var last error
	for _, err := range csvsource.ReadContacts(t.Context(), strings.NewReader(in), crm.Filter{}) {
		if err != nil {
			last = err
			continue
		}
		n++
	}
	assert.Equal(t, 2, n, "records before the bad one")
	assert.ErrorIs(t, last, csvsource.ErrInvalidUTF8)
}

func TestRoundTrip(t *testing.T) {
	ds := sourcetest.Fixture()
	var buf bytes.Buffer
	require.NoError(t, csvsource.WriteOpportunities(&buf, ds.Opportunities))
	got, err := crm.Collect(csvsource.ReadOpportunities(t.Context(), &buf, crm.Filter{}))
	require.NoError(t, err)
	assert.Equal(t, ds.Opportunities, got)

	buf.Reset()
	require.NoError(t, csvsource.WriteUsers(&buf, ds.Users))
	users, err := crm.Collect(csvsource.ReadUsers(t.Context(), &buf))
	require.NoError(t, err)
	assert.Equal(t, ds.Users, users)

	err = csvsource.WriteOpportunities(&buf, []crm.Opportunity{{ID: "006X", ContactIDs: []string{"a;b"}}})
	assert.Error(t, err, "an ID holding the list separator is refused")
}

func TestOpen(t *testing.T) {
	_, err := csvsource.Open(filepath.Join(t.TempDir(), "missing"))
	assert.ErrorIs(t, err, os.ErrNotExist)

	f := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(f, nil, 0o644))
	_, err = csvsource.Open(f)
	assert.Error(t, err)

	// An empty directory, or one without a recognised file, is refused with the expected names;
	// Create accepts it.
	empty := t.TempDir()
	_, err = csvsource.Open(empty)
	assert.ErrorIs(t, err, csvsource.ErrNoFiles)
	assert.ErrorIs(t, err, crm.ErrInvalid)
	assert.ErrorContains(t, err, empty)
	assert.ErrorContains(t, err, "holds no CSV file")
	assert.ErrorContains(t, err, "accounts.csv, contacts.csv, leads.csv")
	other := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(other, "report.csv"), []byte("id\n1\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(other, "accounts.txt"), []byte("id\n1\n"), 0o644))
	_, err = csvsource.Open(other)
	assert.ErrorIs(t, err, csvsource.ErrNoFiles)
	assert.ErrorContains(t, err, "no recognised CSV file (found report.csv)")
	src, err := csvsource.Create(empty)
	require.NoError(t, err)
	got, err := crm.Collect(src.Contacts(t.Context(), crm.Filter{}))
	require.NoError(t, err)
	assert.Empty(t, got)
	_, err = csvsource.Create(f)
	assert.Error(t, err, "a file is not a directory")
}

// TestOpenExportNames reads files named as CRM exports name them, in any case.
func TestOpenExportNames(t *testing.T) {
	for _, names := range [][3]string{
		{"Accounts.csv", "Contacts.csv", "Leads.csv"},
		{"ACCOUNTS.CSV", "contacts.CSV", "LEADS.csv"},
		{"Account.csv", "Contact.csv", "Lead.csv"},
		{"account.csv", "CONTACT.csv", "lead.Csv"},
	} {
		t.Run(names[0], func(t *testing.T) {
			dir := t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(dir, names[0]), []byte("Id,Name\n001A,Acme\n001B,Globex\n"), 0o644))
			require.NoError(t, os.WriteFile(filepath.Join(dir, names[1]), []byte("id,account_id\n003A,001A\n"), 0o644))
			require.NoError(t, os.WriteFile(filepath.Join(dir, names[2]), []byte("id,company\n00QA,Initech\n00QB,\n00QC,\n"), 0o644))
			src, err := csvsource.Open(dir)
			require.NoError(t, err)
			accounts, err := crm.Collect(src.Accounts(t.Context(), crm.Filter{}))
			require.NoError(t, err)
			contacts, err := crm.Collect(src.Contacts(t.Context(), crm.Filter{}))
			require.NoError(t, err)
			leads, err := crm.Collect(src.Leads(t.Context(), crm.Filter{}))
			require.NoError(t, err)
			assert.Equal(t, []int{2, 1, 3}, []int{len(accounts), len(contacts), len(leads)})

			// Write replaces the file under the name it has.
			require.NoError(t, csvsource.Write(dir, &csvsource.Data{Accounts: accounts[:1]}))
			_, err = os.Stat(filepath.Join(dir, names[0]))
			require.NoError(t, err)
			accounts, err = crm.Collect(src.Accounts(t.Context(), crm.Filter{}))
			require.NoError(t, err)
			assert.Len(t, accounts, 1)
		})
	}
	// Errors name the file as it is named.
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Accounts.csv"), []byte("id,modified_at\n001A,soon\n"), 0o644))
	src, err := csvsource.Open(dir)
	require.NoError(t, err)
	_, err = crm.Collect(src.Accounts(t.Context(), crm.Filter{}))
	var pe *crm.ParseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "Accounts.csv", pe.File)

	// Two names of one object: which one is meant is unknown.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "account.csv"), []byte("id\n001A\n"), 0o644))
	if fi, err := os.Stat(filepath.Join(dir, "ACCOUNTS.csv")); err == nil && fi.Size() > 0 {
		t.Skip("case-insensitive file system")
	}
	_, err = crm.Collect(src.Accounts(t.Context(), crm.Filter{}))
	assert.ErrorIs(t, err, crm.ErrInvalid)
	assert.ErrorContains(t, err, "Accounts.csv and account.csv")
}

// TestFileName checks the names Open reads against FileName, which commands use to refuse the
// others: every name FileName recognises is read, and a name it does not is ignored by Open.
func TestFileName(t *testing.T) {
	for name, want := range map[string]string{
		"accounts.csv": csvsource.AccountsFile, "Account.csv": csvsource.AccountsFile, "CONTACTS.CSV": csvsource.ContactsFile,
		"Lead.csv": csvsource.LeadsFile, "opportunity.csv": csvsource.OpportunitiesFile, "OpportunityStage.csv": csvsource.StagesFile,
		"SystemUsers.csv": csvsource.UsersFile, "BusinessUnit.csv": csvsource.RolesFile, "activities.csv": csvsource.ActivitiesFile,
		"Activities.csv": "", "accounts-2024.csv": "", "accounts.txt": "", "companies.csv": "",
	} {
		assert.Equal(t, want, csvsource.FileName(name), name)
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte("id\n"), 0o644))
		_, err := csvsource.Open(dir)
		if want == "" {
			assert.ErrorIs(t, err, csvsource.ErrNoFiles, name)
		} else {
			assert.NoError(t, err, name)
		}
	}
}

// TestDuplicateID checks that an ID seen twice in one file fails the read with both lines.
func TestDuplicateID(t *testing.T) {
	ctx := t.Context()
	tests := []struct {
		name, in string
		read     func(string) error
		line     int
		want     string
	}{
		{"accounts", "id,name\n001A,Acme\n001B,Globex\n 001A ,Acme again\n", func(in string) error {
			_, err := crm.Collect(csvsource.ReadAccounts(ctx, strings.NewReader(in), crm.Filter{}))
			return err
		}, 4, `accounts.csv:4:1: column "id": duplicate ID (first on line 2, again on line 4)`},
		{"contacts", "id,last_name\n003A,\"two\nlines\"\n003A,x\n", func(in string) error {
			_, err := crm.Collect(csvsource.ReadContacts(ctx, strings.NewReader(in), crm.Filter{}))
			return err
		}, 4, "first on line 2, again on line 4"},
		{"leads filtered", "id\n00QA\n00QB\n00QA\n", func(in string) error {
			// The check runs before the filter: the duplicate is not among the IDs asked for.
			_, err := crm.Collect(csvsource.ReadLeads(ctx, strings.NewReader(in), crm.Filter{IDs: []string{"00QB"}}))
			return err
		}, 4, "leads.csv:4:1"},
		{"stages", "name,sort_order\nOpen,1\nOpen,2\n", func(in string) error {
			_, err := crm.Collect(csvsource.ReadStages(ctx, strings.NewReader(in)))
			return err
		}, 3, `stages.csv:3:1: column "name": duplicate ID (first on line 2, again on line 3)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.read(tc.in)
			assert.ErrorIs(t, err, csvsource.ErrDuplicateID)
			assert.ErrorIs(t, err, crm.ErrInvalid)
			var pe *crm.ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tc.line, pe.Line)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), "Acme")
		})
	}
	// Through a Source: the records before the duplicate are yielded, then the error.
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Accounts.csv"), []byte("id\n001A\n001B\n001A\n"), 0o644))
	src, err := csvsource.Open(dir)
	require.NoError(t, err)
	got, err := crm.Collect(src.Accounts(ctx, crm.Filter{}))
	assert.Len(t, got, 2)
	assert.ErrorContains(t, err, "Accounts.csv:4:1")
	assert.ErrorContains(t, err, "first on line 2, again on line 4")

	// The same ID in two files is no duplicate: a contact may share a lead's ID.
	_, err = crm.Collect(csvsource.ReadLeads(ctx, strings.NewReader("id\n001A\n"), crm.Filter{}))
	assert.NoError(t, err)
}

func TestSourceParseErrorNamesFile(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, csvsource.AccountsFile), []byte("id,name\n001A,Acme\n001B,\"Bad\n"), 0o644))
	src, err := csvsource.Open(dir)
	require.NoError(t, err)
	got, err := crm.Collect(src.Accounts(t.Context(), crm.Filter{}))
	var pe *crm.ParseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, csvsource.AccountsFile, pe.File)
	assert.Equal(t, 3, pe.Line)
	assert.Len(t, got, 1)
}

func TestExport(t *testing.T) {
	from := harness{}.Source(t, sourcetest.Fixture())
	dir := t.TempDir()
	require.NoError(t, csvsource.Export(t.Context(), from, dir))
	src, err := csvsource.Open(dir)
	require.NoError(t, err)
	a, err := crm.Collect(from.Contacts(t.Context(), crm.Filter{}))
	require.NoError(t, err)
	b, err := crm.Collect(src.Contacts(t.Context(), crm.Filter{}))
	require.NoError(t, err)
	assert.Equal(t, a, b)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	assert.ErrorIs(t, csvsource.Export(ctx, from, t.TempDir()), context.Canceled)
}

func activity(key string) crm.Activity {
	return crm.Activity{
		Kind: crm.InMail, Record: crm.RecordRef{Org: "00D1", Object: crm.ObjectContact, ID: "003A"},
		Subject: "Intro, \"quoted\"", Body: "line 1\nline 2", OccurredAt: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC),
		Author: "005A", ExternalKey: key,
	}
}

func TestWriteActivities(t *testing.T) {
	dir := t.TempDir()
	src, err := csvsource.Create(dir)
	require.NoError(t, err)
	ctx := t.Context()

	bad := activity("k-bad")
	bad.Kind = "fax"
	noRecord := activity("k-norecord")
	noRecord.Record.ID = ""
	res, err := src.WriteActivities(ctx, []crm.Activity{activity("k1"), activity("k2"), activity("k1"), activity(""), bad, noRecord})
	require.NoError(t, err)
	require.Len(t, res, 6)
	assert.True(t, res[0].Created)
	assert.True(t, res[1].Created)
	assert.False(t, res[2].Created, "same key in one batch is written once")
	assert.Equal(t, res[0].ID, res[2].ID)
	assert.NotEqual(t, res[0].ID, res[1].ID)
	assert.ErrorIs(t, res[3].Err, csvsource.ErrNoExternalKey)
	assert.ErrorIs(t, res[4].Err, csvsource.ErrBadKind)
	assert.ErrorIs(t, res[5].Err, csvsource.ErrNoRecord)
	for i, r := range res[:3] {
		assert.NoError(t, r.Err, "result %d", i)
		assert.NotEmpty(t, r.ID, "result %d", i)
	}

	// Again, through a fresh Source on the same directory: nothing is written twice.
	src2, err := csvsource.Open(dir)
	require.NoError(t, err)
	res, err = src2.WriteActivities(ctx, []crm.Activity{activity("k2"), activity("k3")})
	require.NoError(t, err)
	assert.False(t, res[0].Created)
	assert.True(t, res[1].Created)

	written, err := crm.Collect(src2.Activities(ctx))
	require.NoError(t, err)
	require.Len(t, written, 3)
	assert.Equal(t, []string{"k1", "k2", "k3"}, []string{written[0].ExternalKey, written[1].ExternalKey, written[2].ExternalKey})
	assert.Equal(t, activity("k1"), written[0].Activity, "fields round-trip")

	ctx2, cancel := context.WithCancel(ctx)
	cancel()
	_, err = src2.WriteActivities(ctx2, []crm.Activity{activity("k4")})
	assert.ErrorIs(t, err, context.Canceled)
}

// TestWriteActivitiesTornLastLine checks that a last record cut short by a crash (no final line
// break, maybe inside a quoted multi-line field) is ignored by readers and cut off by the next
// write, which then appends normally.
func TestWriteActivitiesTornLastLine(t *testing.T) {
	full := "external_key,id,kind,org,object,record_id,subject,body,occurred_at,author\n" +
		"old,act-1,note,00D1,contact,003A,Hi,\"a\nb\",2024-05-01T12:00:00Z,005A\n"
	for name, torn := range map[string]string{
		"mid field":         "half,act-2,inm",
		"in quoted body":    "half,act-2,inmail,00D1,contact,003A,Hi,\"line 1\nline",
		"after a quote":     "half,act-2,inmail,00D1,contact,003A,Hi,\"line 1\nline 2\"",
		"in the last field": "half,act-2,inmail,00D1,contact,003A,Hi,x,2024-05-01T12:00:00Z,00",
		"header":            "",
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			content := full + torn
			if name == "header" {
				content = full[:30]
			}
			path := filepath.Join(dir, csvsource.ActivitiesFile)
			require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
			src, err := csvsource.Open(dir)
			require.NoError(t, err)
			before, err := crm.Collect(src.Activities(t.Context()))
			require.NoError(t, err, "readers ignore the torn record")
			wantOld := 1
			if name == "header" {
				wantOld = 0
			}
			assert.Len(t, before, wantOld)

			half := activity("half")
			half.Record.Org = "00D1"
			res, err := src.WriteActivities(t.Context(), []crm.Activity{activity("old"), half})
			require.NoError(t, err)
			assert.True(t, res[1].Created, "the torn record was never acknowledged: it is written anew")
			all, err := crm.Collect(src.Activities(t.Context()))
			require.NoError(t, err)
			keys := map[string]int{}
			for _, a := range all {
				keys[a.ExternalKey]++
			}
			assert.Equal(t, 1, keys["half"])
			b, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.True(t, strings.HasSuffix(string(b), "\n"))
			if name != "header" {
				assert.True(t, strings.HasPrefix(string(b), full), "the complete records are kept as they were")
				assert.Equal(t, "act-1", all[0].ID)
			}
			assert.Equal(t, wantOld == 0, res[0].Created, "old is written only if its record was lost with the header")
			assert.Len(t, all, 2)
		})
	}
}

// TestWriteActivitiesNonCanonicalHeader checks that a file written with other columns is
// rewritten with the documented header before appending.
func TestWriteActivitiesNonCanonicalHeader(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, csvsource.ActivitiesFile),
		[]byte("external_key,id,kind,record_id\nold,act-1,note,003A\n"), 0o644))
	src, err := csvsource.Open(dir)
	require.NoError(t, err)
	old := activity("old")
	old.Record.Org = ""
	res, err := src.WriteActivities(t.Context(), []crm.Activity{old, activity("new")})
	require.NoError(t, err)
	assert.False(t, res[0].Created)
	assert.Equal(t, "act-1", res[0].ID)
	assert.True(t, res[1].Created)
	all, err := crm.Collect(src.Activities(t.Context()))
	require.NoError(t, err)
	assert.Len(t, all, 2)
}

// TestWriteActivitiesPerOrg checks that idempotency is by org and key: the same key in another
// org is another activity, with another ID.
func TestWriteActivitiesPerOrg(t *testing.T) {
	src, err := csvsource.Create(t.TempDir())
	require.NoError(t, err)
	a, b := activity("k"), activity("k")
	b.Record.Org = "00D2"
	res, err := src.WriteActivities(t.Context(), []crm.Activity{a, b, b})
	require.NoError(t, err)
	assert.True(t, res[0].Created)
	assert.True(t, res[1].Created, "another org's activity with the same key")
	assert.False(t, res[2].Created)
	assert.NotEqual(t, res[0].ID, res[1].ID)
	res, err = src.WriteActivities(t.Context(), []crm.Activity{b, a})
	require.NoError(t, err)
	assert.False(t, res[0].Created)
	assert.False(t, res[1].Created)
	all, err := crm.Collect(src.Activities(t.Context()))
	require.NoError(t, err)
	assert.Len(t, all, 2)

	// A file holding one org and key twice is refused, naming both lines.
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, csvsource.ActivitiesFile),
		[]byte("external_key,id,org,record_id\nk,act-1,00D1,003A\nk,act-2,00D2,003A\nk,act-3,00D1,003B\n"), 0o644))
	dup, err := csvsource.Open(dir)
	require.NoError(t, err)
	_, err = dup.WriteActivities(t.Context(), []crm.Activity{activity("x")})
	assert.ErrorIs(t, err, csvsource.ErrDuplicateID)
	assert.ErrorContains(t, err, "activities.csv:4:1")
	assert.ErrorContains(t, err, "first on line 2, again on line 4")
}

func TestWriteActivitiesConcurrent(t *testing.T) {
	src, err := csvsource.Create(t.TempDir())
	require.NoError(t, err)
	var wg sync.WaitGroup
	var mu sync.Mutex
	created := 0
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				// Every goroutine writes the same 20 keys.
				res, err := src.WriteActivities(t.Context(), []crm.Activity{activity(fmt.Sprint("k", (g+i)%20))})
				assert.NoError(t, err)
				if len(res) == 1 && res[0].Created {
					mu.Lock()
					created++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	all, err := crm.Collect(src.Activities(t.Context()))
	require.NoError(t, err)
	assert.Len(t, all, created, "one line per created activity")
	keys := map[string]bool{}
	for _, a := range all {
		assert.False(t, keys[a.ExternalKey], "key %s written twice", a.ExternalKey)
		keys[a.ExternalKey] = true
	}
}

func TestWriteReplacesAtomically(t *testing.T) {
	dir := t.TempDir()
	ds := sourcetest.Fixture()
	require.NoError(t, csvsource.Write(dir, &csvsource.Data{Contacts: ds.Contacts}))
	require.NoError(t, csvsource.Write(dir, &csvsource.Data{Contacts: ds.Contacts[:2]}))
	src, err := csvsource.Open(dir)
	require.NoError(t, err)
	got, err := crm.Collect(src.Contacts(t.Context(), crm.Filter{}))
	require.NoError(t, err)
	assert.Len(t, got, 2)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		assert.False(t, strings.HasSuffix(e.Name(), ".tmp"), "temporary file %s left behind", e.Name())
	}
}

func TestWriteActivitiesTwoSources(t *testing.T) {
	dir := t.TempDir()
	a, err := csvsource.Create(dir)
	require.NoError(t, err)
	b, err := csvsource.Create(dir)
	require.NoError(t, err)
	_, err = a.WriteActivities(t.Context(), []crm.Activity{activity("x1")}) // a loads its index
	require.NoError(t, err)
	res, err := b.WriteActivities(t.Context(), []crm.Activity{activity("x2")})
	require.NoError(t, err)
	require.True(t, res[0].Created)
	// a's index predates b's write: it must notice the file changed.
	res, err = a.WriteActivities(t.Context(), []crm.Activity{activity("x2")})
	require.NoError(t, err)
	assert.False(t, res[0].Created, "a sees the activity b wrote")
	all, err := crm.Collect(a.Activities(t.Context()))
	require.NoError(t, err)
	assert.Len(t, all, 2)
}

func TestReadOpportunityReportColumns(t *testing.T) {
	// A file written before the report columns existed still reads, as zero values.
	old := "id,name,account_id,stage,contact_ids,is_closed,owner_id,modified_at\n006A,Deal,001A,Prospecting,003A;003B,false,005A,2024-03-01T10:00:00Z\n"
	got, err := crm.Collect(csvsource.ReadOpportunities(t.Context(), strings.NewReader(old), crm.Filter{}))
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Zero(t, got[0].Amount)
	assert.Nil(t, got[0].History)

	in := "id,stage,is_closed,is_won,amount,currency,created_at,close_date,stage_history\n" +
		"006B,Closed Won,true,true,12500.5,EUR,2024-01-02T09:00:00Z,2024-03-01," +
		"\"2024-02-01T10:00:00+01:00 Needs Analysis;2024-01-02T09:00:00Z Prospecting; 2024-03-01T00:00:00Z Closed Won\"\n" +
		"006C,Qualification,,,,,,2024-05-02T23:30:00-02:00,\n"
	got, err = crm.Collect(csvsource.ReadOpportunities(t.Context(), strings.NewReader(in), crm.Filter{}))
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, crm.Opportunity{ID: "006B", Stage: "Closed Won", IsClosed: true, IsWon: true, Amount: 12500.5, Currency: "EUR",
		CreatedAt: time.Date(2024, 1, 2, 9, 0, 0, 0, time.UTC), CloseDate: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC),
		History: []crm.StageChange{
			{Stage: "Prospecting", At: time.Date(2024, 1, 2, 9, 0, 0, 0, time.UTC)},
			{Stage: "Needs Analysis", At: time.Date(2024, 2, 1, 9, 0, 0, 0, time.UTC)},
			{Stage: "Closed Won", At: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)},
		}}, got[0])
	assert.Equal(t, time.Date(2024, 5, 3, 0, 0, 0, 0, time.UTC), got[1].CloseDate, "a close date with a time is its UTC day")

	for _, bad := range []struct{ col, value string }{
		{"amount", "12,500"}, {"amount", "NaN"}, {"close_date", "01/03/2024"},
		{"stage_history", "Prospecting"}, {"stage_history", "2024-01-02T09:00:00Z"}, {"stage_history", "yesterday Prospecting"},
	} {
		in := "id," + bad.col + "\n006D,\"" + bad.value + "\"\n"
		_, err := crm.Collect(csvsource.ReadOpportunities(t.Context(), strings.NewReader(in), crm.Filter{}))
		var pe *crm.ParseError
		require.ErrorAs(t, err, &pe, "%s=%q", bad.col, bad.value)
		assert.Equal(t, bad.col, pe.Name)
		assert.ErrorIs(t, err, crm.ErrInvalid)
		assert.NotContains(t, err.Error(), bad.value)
	}

	var b bytes.Buffer
	err = csvsource.WriteOpportunities(&b, []crm.Opportunity{{ID: "006E", History: []crm.StageChange{{Stage: "A;B", At: time.Now()}}}})
	assert.Error(t, err, "a stage holding the separator is refused")
}

func TestCount(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Contacts.csv"),
		[]byte("id,last_name\r\n003A,\"two\nlines\"\r\n\r\n003B,\"a \"\"quote\"\"\"\r\n003C,x"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "leads.csv"), []byte("id\n"), 0o644))
	src, err := csvsource.Open(dir)
	require.NoError(t, err)
	read, err := crm.Collect(src.Contacts(t.Context(), crm.Filter{}))
	require.NoError(t, err)
	for obj, want := range map[crm.Object]int{crm.ObjectContact: len(read), crm.ObjectLead: 0, crm.ObjectAccount: 0} {
		n, err := src.Count(t.Context(), obj)
		require.NoError(t, err)
		assert.Equal(t, want, n, "%s", obj)
	}
	assert.Equal(t, 3, len(read))
	_, err = src.Count(t.Context(), "widget")
	assert.Error(t, err)
}
