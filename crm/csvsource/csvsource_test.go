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

	// An empty directory is an empty org.
	src, err := csvsource.Open(t.TempDir())
	require.NoError(t, err)
	got, err := crm.Collect(src.Contacts(t.Context(), crm.Filter{}))
	require.NoError(t, err)
	assert.Empty(t, got)
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
	src, err := csvsource.Open(dir)
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

func TestWriteActivitiesNoFinalNewline(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, csvsource.ActivitiesFile),
		[]byte("external_key,id,kind,record_id\nold,act-1,note,003A"), 0o644))
	src, err := csvsource.Open(dir)
	require.NoError(t, err)
	res, err := src.WriteActivities(t.Context(), []crm.Activity{activity("old"), activity("new")})
	require.NoError(t, err)
	assert.False(t, res[0].Created)
	assert.Equal(t, "act-1", res[0].ID)
	assert.True(t, res[1].Created)
	all, err := crm.Collect(src.Activities(t.Context()))
	require.NoError(t, err)
	assert.Len(t, all, 2)
}

func TestWriteActivitiesConcurrent(t *testing.T) {
	src, err := csvsource.Open(t.TempDir())
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
	a, err := csvsource.Open(dir)
	require.NoError(t, err)
	b, err := csvsource.Open(dir)
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
