package csvrec_test

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/internal/csvrec"
)

var cols = []string{"id", "name", "website"}

func readAll(t *testing.T, in string) ([][]string, error) {
	t.Helper()
	r, err := csvrec.NewReader(strings.NewReader(in), "f.csv", cols, "id")
	if err != nil {
		return nil, err
	}
	var out [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, append([]string(nil), rec...))
	}
}

func TestRead(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want [][]string
	}{
		{"in order", "id,name,website\n1,Acme,acme.com\n", [][]string{{"1", "Acme", "acme.com"}}},
		{"any order, unknown ignored", "website,extra,ID , Name\nacme.com,x,1,Acme\n", [][]string{{"1", "Acme", "acme.com"}}},
		{"missing optional column", "id\n1\n2\n", [][]string{{"1", "", ""}, {"2", "", ""}}},
		{"BOM, CRLF, quotes", "\uFEFFid,name\r\n1,\"Müller & Söhne, GmbH\"\r\n", [][]string{{"1", "Müller & Söhne, GmbH", ""}}},
		{"short row reads missing fields as empty", "id,name,website\n1\n", [][]string{{"1", "", ""}}},
		{"header only", "id,name\n", nil},
		{"blank lines skipped", "id,name\n\n1,A\n\n", [][]string{{"1", "A", ""}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readAll(t, tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		class  error
		line   int
		column string
		text   string
	}{
		{"empty file", "", csvrec.ErrNoHeader, 1, "", "f.csv:1: no header row"},
		{"no id column", "name,website\nAcme,acme.com\n", csvrec.ErrMissingColumn, 1, "id", `f.csv:1: column "id": missing column`},
		{"duplicate column", "id,name,NAME\n1,a,b\n", csvrec.ErrDuplicateColumn, 1, "name", `f.csv:1:9: column "name": duplicate column`},
		{"empty id", "id,name\n1,a\n ,secret name\n", csvrec.ErrEmptyField, 3, "id", `f.csv:3:1: column "id": empty required field`},
		{"invalid UTF-8", "id,name\n1,ok\n2,Jos\xe9 Secret\n", csvrec.ErrInvalidUTF8, 3, "name", `f.csv:3:3: column "name": invalid UTF-8`},
		{"invalid UTF-8 header", "id,n\xe9\n", csvrec.ErrInvalidUTF8, 1, "", "f.csv:1:4: invalid UTF-8"},
		{"bare quote", "id,name\n1,Jo\"hn Secret\n", csvrec.ErrMalformed, 2, "", `f.csv:2:5: malformed CSV: bare " in non-quoted-field`},
		{"unterminated quote", "id,name\n1,\"Secret\n", csvrec.ErrMalformed, 2, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readAll(t, tc.in)
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.class)
			var pe *csvrec.ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, "f.csv", pe.File)
			assert.Equal(t, tc.line, pe.Line)
			assert.Equal(t, tc.column, pe.Name)
			if tc.text != "" {
				assert.Equal(t, tc.text, err.Error())
			}
			assert.NotContains(t, err.Error(), "Secret", "no field value in errors")
			if errors.Is(err, csvrec.ErrMalformed) {
				var ce *csv.ParseError
				assert.ErrorAs(t, err, &ce, "the csv error stays reachable")
			}
		})
	}
}

func TestRequireFieldCount(t *testing.T) {
	in := "id,name\n1,a\n2\n"
	r, err := csvrec.NewReader(strings.NewReader(in), "f.csv", cols, "id")
	require.NoError(t, err)
	r.RequireFieldCount()
	rec, err := r.Read()
	require.NoError(t, err)
	assert.Equal(t, []string{"1", "a", ""}, rec)
	_, err = r.Read()
	assert.ErrorIs(t, err, csvrec.ErrMalformed)
	assert.ErrorIs(t, err, csv.ErrFieldCount)
	var pe *csvrec.ParseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 3, pe.Line)
	assert.Equal(t, "f.csv:3: malformed CSV: wrong number of fields", err.Error())
}

func TestHasAndPos(t *testing.T) {
	r, err := csvrec.NewReader(strings.NewReader("website,id\n\"a,b\",17\nx\n"), "f.csv", cols, "id")
	require.NoError(t, err)
	assert.True(t, r.Has("id"))
	assert.True(t, r.Has("website"))
	assert.False(t, r.Has("name"), "asked for, not in the header")
	assert.False(t, r.Has("other"), "not asked for")
	_, err = r.Read()
	require.NoError(t, err)
	for i, want := range [][2]int{{2, 7}, {2, 0}, {2, 1}} { // id, name (absent), website
		line, col := r.Pos(i)
		assert.Equal(t, want, [2]int{line, col}, "Pos(%d) of %s", i, cols[i])
	}
	_, err = r.Read() // a short record: its id field is missing
	require.Error(t, err)
	line, col := r.Pos(0)
	assert.Equal(t, [2]int{3, 0}, [2]int{line, col}, "Pos of a field the record lacks")
}

func TestParseErrorClass(t *testing.T) {
	class := errors.New("bad input")
	err := error(&csvrec.ParseError{File: "f.csv", Line: 2, Column: 4, Name: "id", Err: csvrec.ErrEmptyField, Class: class})
	assert.ErrorIs(t, err, class)
	assert.ErrorIs(t, err, csvrec.ErrEmptyField)
	assert.Equal(t, `f.csv:2:4: column "id": empty required field`, err.Error())
	assert.NotErrorIs(t, &csvrec.ParseError{File: "f.csv", Err: csvrec.ErrEmptyField}, class)
	assert.Equal(t, "f.csv: <nil>", (&csvrec.ParseError{File: "f.csv"}).Error())
}

func TestRequiredNotAColumn(t *testing.T) {
	_, err := csvrec.NewReader(strings.NewReader("id\n"), "f.csv", cols, "nope")
	assert.Error(t, err)
}

func FuzzRead(f *testing.F) {
	f.Add("id,name,website\n1,Acme,acme.com\n")
	f.Add("website,ID\n\"a,b\",1\n2\n")
	f.Add("\uFEFFid\n\"\"\n")
	f.Add("id,name\n1,Jo\"hn\n")
	f.Fuzz(func(t *testing.T, in string) {
		r, err := csvrec.NewReader(strings.NewReader(in), "f.csv", cols, "id")
		if err != nil {
			var pe *csvrec.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("NewReader error %T is not a *ParseError", err)
			}
			return
		}
		for range 10000 {
			rec, err := r.Read()
			if err == io.EOF {
				return
			}
			if err != nil {
				var pe *csvrec.ParseError
				if !errors.As(err, &pe) || pe.Line < 1 {
					t.Fatalf("Read error %v is not a *ParseError with a line", err)
				}
				return
			}
			if len(rec) != len(cols) || strings.TrimSpace(rec[0]) == "" {
				t.Fatalf("Read = %q: want %d fields and an id", rec, len(cols))
			}
		}
	})
}
