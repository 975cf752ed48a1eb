package memdir

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/crmlink/crmlink/internal/csvrec"
	"github.com/crmlink/crmlink/matcher"
)

// ParseError is bad input in a directory CSV: it names the file, the line and
// the column, never a field's value. Err is one of the Err* classes below or,
// for a row that cannot be added, an [*IDError].
type ParseError = csvrec.ParseError

// The classes of CSV input errors, matched with errors.Is.
var (
	ErrNoHeader        = csvrec.ErrNoHeader        // the file is empty
	ErrMissingColumn   = csvrec.ErrMissingColumn   // the header has no id column
	ErrDuplicateColumn = csvrec.ErrDuplicateColumn // a known column appears twice
	ErrInvalidUTF8     = csvrec.ErrInvalidUTF8     // a field is not UTF-8
	ErrEmptyField      = csvrec.ErrEmptyField      // a row has an empty id
	ErrMalformed       = csvrec.ErrMalformed       // not well-formed CSV
)

// The CSV columns of directory files (DESIGN.md). Other columns are ignored.
var (
	companyColumns = []string{"id", "name", "industry", "location", "website"}
	memberColumns  = []string{"id", "first_name", "last_name", "company", "title", "location", "email"}
)

// checkEvery is how many rows a loader reads between checks of its context.
const checkEvery = 1024

// LoadCompaniesCSV reads a company directory from r and adds every row to d.
// The CSV has a header row naming its columns in any order: id (required,
// non-empty in every row), name, industry, location, website; other columns
// are ignored and missing ones read as empty. file names r in errors. It
// returns the number of companies added.
//
// Bad input stops the load with a [*ParseError]; the rows before it stay in
// d. A context error is returned as is, with the rows read so far added.
func (d *Dir) LoadCompaniesCSV(ctx context.Context, r io.Reader, file string) (int, error) {
	return load(ctx, r, file, companyColumns, func(rec []string) error {
		return d.AddCompany(matcher.Company{
			ID:       strings.Clone(rec[0]),
			Name:     strings.Clone(rec[1]),
			Industry: strings.Clone(rec[2]),
			Location: strings.Clone(rec[3]),
			Website:  strings.Clone(rec[4]),
		})
	})
}

// LoadMembersCSV reads a member directory from r and adds every row to d.
// The columns are id (required), first_name, last_name, company, title,
// location and email, as for [Dir.LoadCompaniesCSV]. The email column holds
// the address in clear: it is hashed with [matcher.HashEmail] while reading
// and never kept; a value that is not an address counts as no email.
func (d *Dir) LoadMembersCSV(ctx context.Context, r io.Reader, file string) (int, error) {
	return load(ctx, r, file, memberColumns, func(rec []string) error {
		h, _ := matcher.HashEmail(rec[6])
		return d.AddMember(matcher.Member{
			ID:        strings.Clone(rec[0]),
			FirstName: strings.Clone(rec[1]),
			LastName:  strings.Clone(rec[2]),
			Company:   strings.Clone(rec[3]),
			Title:     strings.Clone(rec[4]),
			Location:  strings.Clone(rec[5]),
			EmailHash: h,
		})
	})
}

// load reads the rows of a directory CSV and hands each to add.
func load(ctx context.Context, r io.Reader, file string, columns []string, add func([]string) error) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	cr, err := csvrec.NewReader(r, file, columns, "id")
	if err != nil {
		return 0, err
	}
	n := 0
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		if err := add(rec); err != nil {
			return n, &ParseError{File: file, Line: cr.Line(), Column: "id", Err: err}
		}
		n++
		if n%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return n, err
			}
		}
	}
}
