package memdir

import (
	"context"
	"errors"
	"io"
	"iter"
	"math"
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

// LoadCompaniesCSV reads a company directory from r and adds every row to d.
// The CSV has a header row naming its columns in any order: id (required,
// non-empty in every row), name, industry, location, website; other columns
// are ignored and missing ones read as empty. file names r in errors. It
// returns the number of companies added. Rows are normalised in parallel and
// indexed in file order, as [Dir.AddCompanies] does.
//
// Bad input stops the load with a [*ParseError]; the rows before it stay in
// d. A context error is returned as is, with the rows read so far added.
// The line of a duplicate ID is found by counting the rows added, so d must
// not be changed by others during the load.
func (d *Dir) LoadCompaniesCSV(ctx context.Context, r io.Reader, file string) (int, error) {
	return load(ctx, d, r, file, companyColumns, d.AddCompanies, func(rec []string) matcher.Company {
		return matcher.Company{
			ID:       strings.Clone(rec[0]),
			Name:     strings.Clone(rec[1]),
			Industry: strings.Clone(rec[2]),
			Location: strings.Clone(rec[3]),
			Website:  strings.Clone(rec[4]),
		}
	})
}

// LoadMembersCSV reads a member directory from r and adds every row to d.
// The columns are id (required), first_name, last_name, company, title,
// location and email, as for [Dir.LoadCompaniesCSV]. The email column holds
// the address in clear: it is hashed with [matcher.HashEmail] while reading
// and never kept; a value that is not an address counts as no email.
func (d *Dir) LoadMembersCSV(ctx context.Context, r io.Reader, file string) (int, error) {
	return load(ctx, d, r, file, memberColumns, d.AddMembers, func(rec []string) matcher.Member {
		h, _ := matcher.HashEmail(rec[6])
		return matcher.Member{
			ID:        strings.Clone(rec[0]),
			FirstName: strings.Clone(rec[1]),
			LastName:  strings.Clone(rec[2]),
			Company:   strings.Clone(rec[3]),
			Title:     strings.Clone(rec[4]),
			Location:  strings.Clone(rec[5]),
			EmailHash: h,
		}
	})
}

// lineRing remembers the lines of the last rows read, so that an error on a
// row still in flight in the bulk loader can name its line.
const lineRing = 1 << 15

// load streams the rows of a directory CSV into d through a bulk adder.
func load[T any](ctx context.Context, d *Dir, r io.Reader, file string, columns []string,
	addAll func(context.Context, iter.Seq[T]) error, row func([]string) T) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	cr, err := csvrec.NewReader(r, file, columns, "id")
	if err != nil {
		return 0, err
	}
	var (
		readErr error
		rows    int
		lines   = make([]int32, lineRing)
	)
	seq := func(yield func(T) bool) {
		for {
			rec, err := cr.Read()
			if err != nil {
				if !errors.Is(err, io.EOF) {
					readErr = err
				}
				return
			}
			lines[rows%lineRing] = int32(min(cr.Line(), math.MaxInt32))
			rows++
			if !yield(row(rec)) {
				return
			}
		}
	}
	before := d.Len()
	err = addAll(ctx, seq)
	added := d.Len() - before
	// addAll has returned, so the sequence has stopped: readErr and lines are settled.
	if err != nil {
		var idErr *IDError
		if errors.As(err, &idErr) {
			// A bad ID is the file's fault: say which file, and the line when
			// the ring still holds it (Line 0 prints no line).
			line := 0
			if added < rows && rows-added <= lineRing {
				line = int(lines[added%lineRing])
			}
			return added, &ParseError{File: file, Line: line, Name: "id", Err: err}
		}
		return added, err
	}
	return added, readErr
}
