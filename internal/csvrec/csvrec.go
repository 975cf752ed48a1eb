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
// the line and the column, never a field's value.
type ParseError struct {
	File   string // the file name given to NewReader
	Line   int    // 1-based line (of the start of the record for malformed CSV); 0 if unknown
	Column string // the column's header name, "" if none applies
	Err    error  // one of the Err* classes, possibly wrapping a *csv.ParseError
}

// Error returns "file:line: column \"name\": err".
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Column != "" {
		fmt.Fprintf(&b, ": column %q", e.Column)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the error class.
func (e *ParseError) Unwrap() error { return e.Err }

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
	for i := range rd.index {
		rd.index[i] = -1
	}
	seen := make(map[string]bool, len(header))
	for j, h := range header {
		if !utf8.ValidString(h) {
			return nil, &ParseError{File: file, Line: rd.line, Err: ErrInvalidUTF8}
		}
		h = strings.ToLower(strings.TrimSpace(h))
		if seen[h] && h != "" {
			for _, c := range columns {
				if c == h {
					return nil, &ParseError{File: file, Line: rd.line, Column: h, Err: ErrDuplicateColumn}
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
					return nil, &ParseError{File: file, Line: rd.line, Column: req, Err: ErrMissingColumn}
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
		line := pe.StartLine // where the bad record starts: an open quote may run to EOF
		if line == 0 {
			line = pe.Line
		}
		return &ParseError{File: r.file, Line: line, Err: malformed{pe}}
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
	for i, j := range r.index {
		v := ""
		if j >= 0 && j < len(rec) {
			v = rec[j]
		}
		if !utf8.ValidString(v) {
			return nil, &ParseError{File: r.file, Line: r.line, Column: r.columns[i], Err: ErrInvalidUTF8}
		}
		if r.required[i] && strings.TrimSpace(v) == "" {
			return nil, &ParseError{File: r.file, Line: r.line, Column: r.columns[i], Err: ErrEmptyField}
		}
		r.rec[i] = v
	}
	return r.rec, nil
}

// Line returns the line on which the last record read starts.
func (r *Reader) Line() int { return r.line }

// File returns the file name given to NewReader.
func (r *Reader) File() string { return r.file }
