package memdir_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

const companiesCSV = `website,id,name,extra,location,industry
https://www.acme.com,c1,Acme Corporation,x,"New York, United States",Software Development
,c2,Müller & Söhne GmbH,,"München, Germany",
bluerridge.io,c3,Blue Ridge Analytics,,,
`

const membersCSV = `id,first_name,last_name,company,title,location,email
m1,Robert,Smith,Acme Corporation,VP Sales,"New York, United States",Robert.Smith@acme.com
m2,Anna,Müller,Müller & Söhne GmbH,,,not an address
m3,John,Smith,Acme Corporation,,,
`

func TestLoadCompaniesCSV(t *testing.T) {
	d := memdir.New()
	n, err := d.LoadCompaniesCSV(t.Context(), strings.NewReader(companiesCSV), "companies.csv")
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	assert.Equal(t, 3, d.Len())
	for _, id := range []string{"c1", "c2", "c3"} {
		_, ok, err := d.Entity(t.Context(), matcher.EntityRef{Kind: matcher.KindCompany, ID: id})
		require.NoError(t, err)
		assert.True(t, ok, id)
	}
	eng, err := matcher.New(d)
	require.NoError(t, err)
	res, err := eng.MatchCompany(t.Context(), matcher.CompanyQuery{Name: "Muller und Sohne", Location: "Munich"})
	require.NoError(t, err)
	require.NotEmpty(t, res.Candidates)
	assert.Equal(t, "c2", res.Candidates[0].Entity.ID)
}

func TestLoadMembersCSVHashesEmail(t *testing.T) {
	d := memdir.New()
	n, err := d.LoadMembersCSV(t.Context(), strings.NewReader(membersCSV), "members.csv")
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	eng, err := matcher.New(d)
	require.NoError(t, err)
	// Only the email in common: the member is found through the hash.
	res, err := eng.MatchMember(t.Context(), matcher.MemberQuery{Email: "robert.smith@ACME.com", LastName: "Smith"})
	require.NoError(t, err)
	require.NotEmpty(t, res.Candidates)
	assert.Equal(t, "m1", res.Candidates[0].Entity.ID)
	var emailField *matcher.FieldScore
	for i, f := range res.Candidates[0].Fields {
		if f.Field == "email" {
			emailField = &res.Candidates[0].Fields[i]
		}
	}
	require.NotNil(t, emailField, "email explained")
	assert.Equal(t, "exact", emailField.Level)
}

// TestLoadMembersCSVKeepsNoEmail walks everything a loaded member entity
// holds: no string may contain the address or its mailbox name.
func TestLoadMembersCSVKeepsNoEmail(t *testing.T) {
	d := memdir.New()
	_, err := d.LoadMembersCSV(t.Context(), strings.NewReader(membersCSV), "members.csv")
	require.NoError(t, err)
	e, ok, err := d.Entity(t.Context(), matcher.EntityRef{Kind: matcher.KindMember, ID: "m1"})
	require.NoError(t, err)
	require.True(t, ok)
	var strs []string
	walkStrings(reflect.ValueOf(e), map[uintptr]bool{}, func(s string) { strs = append(strs, s) })
	require.NotEmpty(t, strs, "the walk reaches the entity's features")
	for _, s := range strs {
		assert.NotContains(t, strings.ToLower(s), "robert.smith", "entity holds the mailbox")
		assert.NotContains(t, s, "@", "entity holds an address")
	}
}

// walkStrings calls fn on every string reachable from v, unexported fields included.
func walkStrings(v reflect.Value, seen map[uintptr]bool, fn func(string)) {
	switch v.Kind() {
	case reflect.String:
		fn(v.String())
	case reflect.Pointer:
		if v.IsNil() || seen[v.Pointer()] {
			return
		}
		seen[v.Pointer()] = true
		walkStrings(v.Elem(), seen, fn)
	case reflect.Interface:
		if !v.IsNil() {
			walkStrings(v.Elem(), seen, fn)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			walkStrings(v.Field(i), seen, fn)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			walkStrings(v.Index(i), seen, fn)
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			walkStrings(it.Key(), seen, fn)
			walkStrings(it.Value(), seen, fn)
		}
	}
}

func TestLoadCSVErrors(t *testing.T) {
	tests := []struct {
		name    string
		members bool
		in      string
		class   error
		line    int
		added   int
	}{
		{"empty file", false, "", memdir.ErrNoHeader, 1, 0},
		{"no id column", false, "name,website\nSecret Co,secret.com\n", memdir.ErrMissingColumn, 1, 0},
		{"empty id", true, "id,first_name\nm1,Ann\n,Secret\n", memdir.ErrEmptyField, 3, 1},
		{"duplicate id", false, "id,name\nc1,A\nc2,B\nc1,Secret\n", memdir.ErrDuplicate, 4, 2},
		{"invalid UTF-8", true, "id,first_name,email\nm1,Ann,a@b.com\nm2,Secr\xe9t,x@y.com\n", memdir.ErrInvalidUTF8, 3, 1},
		{"malformed", false, "id,name\nc1,\"Secret\nc2,B\n", memdir.ErrMalformed, 2, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := memdir.New()
			var n int
			var err error
			if tc.members {
				n, err = d.LoadMembersCSV(t.Context(), strings.NewReader(tc.in), "dir.csv")
			} else {
				n, err = d.LoadCompaniesCSV(t.Context(), strings.NewReader(tc.in), "dir.csv")
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.class)
			var pe *memdir.ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, "dir.csv", pe.File)
			assert.Equal(t, tc.line, pe.Line)
			assert.Equal(t, tc.added, n)
			assert.Equal(t, tc.added, d.Len())
			assert.True(t, strings.HasPrefix(err.Error(), "dir.csv:"), err.Error())
			assert.NotContains(t, err.Error(), "Secret")
			assert.NotContains(t, err.Error(), "secret")
		})
	}
}

func TestLoadCSVCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	d := memdir.New()
	_, err := d.LoadCompaniesCSV(ctx, strings.NewReader(companiesCSV), "companies.csv")
	assert.ErrorIs(t, err, context.Canceled)

	// Cancelled during a long load: stops within a batch of rows.
	var b strings.Builder
	b.WriteString("id,name\n")
	for i := range 5000 {
		b.WriteString("c")
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString(string(rune('a' + i%26)))
		b.WriteString(",Name\n")
	}
	ctx, cancel = context.WithCancel(t.Context())
	cancel()
	_, err = memdir.New().LoadCompaniesCSV(ctx, strings.NewReader(b.String()), "big.csv")
	assert.ErrorIs(t, err, context.Canceled)
}

func ExampleDir_LoadCompaniesCSV() {
	in := "id,name,website,location\nc1,Acme Corporation,https://www.acme.com,\"New York, United States\"\nc2,Acme Software GmbH,acme-software.de,\"Berlin, Germany\"\n"
	dir := memdir.New()
	n, err := dir.LoadCompaniesCSV(context.Background(), strings.NewReader(in), "companies.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	eng, err := matcher.New(dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := eng.MatchCompany(context.Background(), matcher.CompanyQuery{Name: "ACME Corp.", Website: "www.acme.com"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n, res.Decision, res.Best.Entity.ID)
	// Output: 2 match c1
}

func fuzzLoad(f *testing.F, seeds []string, load func(*memdir.Dir, string) (int, error)) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		d := memdir.New()
		n, err := load(d, in)
		if err != nil {
			var pe *memdir.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("load error %T %v is not a *ParseError", err, err)
			}
			if pe.File != "f.csv" || pe.Line < 1 {
				t.Fatalf("ParseError = %+v, want file and line", pe)
			}
		}
		if n != d.Len() {
			t.Fatalf("load = %d, Len() = %d", n, d.Len())
		}
	})
}

func FuzzLoadCompaniesCSV(f *testing.F) {
	fuzzLoad(f, []string{companiesCSV, "id\nc1\nc1\n", "name,id\n\"a\"\"b\",x\n", "\uFEFFID\r\nc\r\n"},
		func(d *memdir.Dir, in string) (int, error) {
			return d.LoadCompaniesCSV(context.Background(), strings.NewReader(in), "f.csv")
		})
}

func FuzzLoadMembersCSV(f *testing.F) {
	fuzzLoad(f, []string{membersCSV, "email,id\n@,m\nx@y.z,n\n"},
		func(d *memdir.Dir, in string) (int, error) {
			return d.LoadMembersCSV(context.Background(), strings.NewReader(in), "f.csv")
		})
}
