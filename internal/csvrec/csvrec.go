package csvrec

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// The error classes, matched with errors.Is through a [*ParseError].
var (
	// ErrNoHeader: the input is empty, so it has no header row.
	ErrNoHeader = errors.New("no header row")
	// ErrMissingColumn: a required column is not in the header.
	ErrMissingColumn = errors.New("missing column")
	// ErrDuplicateColumn: a column name appears twice in the header.
	ErrDuplicateColumn = errors.New("duplicate column")
	// ErrInvalidUTF8: a field is not valid UTF-8.
	ErrInvalidUTF8 = errors.New("invalid UTF-8")
	// ErrEmptyField: a required field is empty.
	ErrEmptyField = errors.New("empty required field")
	// ErrMalformed: the input is not well-formed CSV (the *csv.ParseError is kept underneath).
	ErrMalformed = errors.New("malformed CSV")
)

// ParseError is an error at a place of a CSV file. Its text names the file,
// the line, the column, never a field's value.
type ParseError struct {
	File   string // the file name given to NewReader
	Line   int    // 1-based line (of the start of the record for malformed CSV); 0 if unknown
	Column int    // 1-based byte position of the field in its line, as encoding/csv counts; 0 if unknown or the whole line
	Name   string // the column's header name, "" if none applies
	Err    error  // what is wrong: one of the Err* classes (possibly wrapping a *csv.ParseError) or the caller's
	// Class, when set, is matched by errors.Is too: the caller's class of
	// bad input (crm.ErrInvalid for the files of crm/csvsource). It is not
	// part of the text.
	Class error
}

// Error returns "file:line:column: column \"name\": err", leaving out what
// is unknown.
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	if e.Name != "" {
		fmt.Fprintf(&b, ": column %q", e.Name)
	}
	b.WriteString(": ")
	fmt.Fprint(&b, e.Err)
	return b.String()
}

// Unwrap returns Err and Class, those that are set.
func (e *ParseError) Unwrap() []error {
	out := make([]error, 0, 2)
	for _, err := range []error{e.Err, e.Class} {
		if err != nil {
			out = append(out, err)
		}
	}
	return out
}

// malformed is ErrMalformed with the csv package's error (which holds no field value) underneath.
type malformed struct{ err *csv.ParseError }

func (m malformed) Error() string   { return ErrMalformed.Error() + ": " + m.err.Err.Error() }
func (m malformed) Unwrap() []error { return []error{ErrMalformed, m.err} }

// Reader reads a CSV file with a header row, giving each record's fields in
// the order of the columns asked for, whatever their order in the file.
// Columns the file has but nobody asked for are ignored; columns asked for
// that the file lacks read as "". A leading UTF-8 byte-order mark is skipped
// and header names are matched case-insensitively, ignoring surrounding
// spaces. A Reader is not safe for concurrent use.
type Reader struct {
	file     string
	cr       *csv.Reader
	columns  []string
	index    []int  // index[i] is the file column of columns[i], -1 if absent
	required []bool // by columns index
	rec      []string
	line     int
	fields   int  // fields of the header
	n        int  // fields of the last record read
	strict   bool // a record must have as many fields as the header
}

// NewReader reads the header row of r and returns a Reader for the given
// columns. Each of required must be one of columns and be present in the
// header, and its field must be non-empty in every record. file names r in
// errors.
func NewReader(r io.Reader, file string, columns []string, required ...string) (*Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if bom, err := br.Peek(3); err == nil && string(bom) == "\uFEFF" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	rd := &Reader{file: file, cr: cr, columns: columns, index: make([]int, len(columns)),
		required: make([]bool, len(columns)), rec: make([]string, len(columns))}
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &ParseError{File: file, Line: 1, Err: ErrNoHeader}
	}
	if err != nil {
		return nil, rd.wrap(err)
	}
	rd.line, _ = cr.FieldPos(0)
	rd.fields = len(header)
	for i := range rd.index {
		rd.index[i] = -1
	}
	seen := make(map[string]bool, len(header))
	for j, h := range header {
		if !utf8.ValidString(h) {
			_, col := cr.FieldPos(j)
			return nil, &ParseError{File: file, Line: rd.line, Column: col, Err: ErrInvalidUTF8}
		}
		h = strings.ToLower(strings.TrimSpace(h))
		if seen[h] && h != "" {
			for _, c := range columns {
				if c == h {
					_, col := cr.FieldPos(j)
					return nil, &ParseError{File: file, Line: rd.line, Column: col, Name: h, Err: ErrDuplicateColumn}
				}
			}
		}
		seen[h] = true
		for i, c := range columns {
			if c == h {
				rd.index[i] = j
			}
		}
	}
	for _, req := range required {
		found := false
		for i, c := range columns {
			if c == req {
				found = true
				rd.required[i] = true
				if rd.index[i] < 0 {
					return nil, &ParseError{File: file, Line: rd.line, Name: req, Err: ErrMissingColumn}
				}
			}
		}
		if !found {
			return nil, fmt.Errorf("csvrec: required column %q is not among the columns", req)
		}
	}
	return rd, nil
}

// wrap turns a csv package error into a *ParseError.
func (r *Reader) wrap(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		line, col := pe.StartLine, 0 // where the bad record starts: an open quote may run to EOF
		if line == 0 || line == pe.Line {
			line, col = pe.Line, pe.Column
		}
		return &ParseError{File: r.file, Line: line, Column: col, Err: malformed{pe}}
	}
	return &ParseError{File: r.file, Line: r.line, Err: err}
}

// Read returns the next record's fields in the order of the columns given to
// NewReader. The slice is reused by the next call. At the end of the input it
// returns io.EOF; any other error is a *ParseError, after which the Reader
// should not be used.
func (r *Reader) Read() ([]string, error) {
	rec, err := r.cr.Read()
	if err == io.EOF {
		return nil, io.EOF
	}
	if err != nil {
		return nil, r.wrap(err)
	}
	r.line, _ = r.cr.FieldPos(0)
	r.n = len(rec)
	if r.strict && len(rec) != r.fields {
		return nil, &ParseError{File: r.file, Line: r.line, Err: fmt.Errorf("%w: %w", ErrMalformed, csv.ErrFieldCount)}
	}
	for i, j := range r.index {
		v := ""
		if j >= 0 && j < len(rec) {
			v = rec[j]
		}
		if !utf8.ValidString(v) {
			_, col := r.cr.FieldPos(j)
			return nil, &ParseError{File: r.file, Line: r.line, Column: col, Name: r.columns[i], Err: ErrInvalidUTF8}
		}
		if r.required[i] && strings.TrimSpace(v) == "" {
			line, col := r.Pos(i)
			return nil, &ParseError{File: r.file, Line: line, Column: col, Name: r.columns[i], Err: ErrEmptyField}
		}
		r.rec[i] = v
	}
	return r.rec, nil
}

// Line returns the line on which the last record read starts.
func (r *Reader) Line() int { return r.line }

// File returns the file name given to NewReader.
func (r *Reader) File() string { return r.file }

// Has reports whether the header has the given column (one of the columns
// given to NewReader).
func (r *Reader) Has(column string) bool {
	for i, c := range r.columns {
		if c == column {
			return r.index[i] >= 0
		}
	}
	return false
}

// Pos returns where the field of columns[i] of the last record read starts:
// its line and 1-based byte column. For a column the file or the record
// lacks, it returns the record's line and 0.
func (r *Reader) Pos(i int) (line, column int) {
	if j := r.index[i]; j >= 0 && j < r.n {
		return r.cr.FieldPos(j)
	}
	return r.line, 0
}

// RequireFieldCount makes Read fail on a record whose number of fields is
// not the header's, with an error matching [ErrMalformed] and
// csv.ErrFieldCount. By default a short record reads its missing fields as
// "" and extra fields are ignored.
func (r *Reader) RequireFieldCount() { r.strict = true }
