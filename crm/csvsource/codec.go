package csvsource

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/internal/csvrec"
)

// The file names Open reads and Write writes, one per object.
const (
	AccountsFile      = "accounts.csv"
	ContactsFile      = "contacts.csv"
	LeadsFile         = "leads.csv"
	OpportunitiesFile = "opportunities.csv"
	StagesFile        = "stages.csv"
	UsersFile         = "users.csv"
	RolesFile         = "roles.csv"
	ActivitiesFile    = "activities.csv"
)

// The classes of bad input, matched with errors.Is through a [*crm.ParseError], which also matches
// [crm.ErrInvalid]. The header and encoding classes are those of every CSV reader of the module.
var (
	ErrMissingColumn   = csvrec.ErrMissingColumn   // a required column is not in the header
	ErrDuplicateColumn = csvrec.ErrDuplicateColumn // a known column appears twice in the header
	ErrInvalidUTF8     = csvrec.ErrInvalidUTF8     // a field is not valid UTF-8
	ErrEmptyID         = csvrec.ErrEmptyField      // an identifier column is empty
	ErrInvalidTime     = errors.New("invalid time, want RFC 3339")
	ErrInvalidBool     = errors.New("invalid boolean, want true or false")
	ErrInvalidInt      = errors.New("invalid integer")
	ErrInvalidNumber   = errors.New("invalid number, want a decimal such as 1234.5")
	ErrInvalidHistory  = errors.New("invalid stage history, want entries \"<RFC 3339 time> <stage>\" separated by ;")
	ErrDuplicateID     = errors.New("duplicate ID") // an ID (a stage name, an activity's org and key) seen twice in one file
)

// row gives a codec the fields of one CSV record by column, checking values as it goes. The first
// bad value is kept in err with its position; the value itself is never part of the error.
type row struct {
	rd     *csvrec.Reader
	fields []string // by codec column; "" for a column the file lacks
	names  []string
	err    error
}

func (r *row) fail(col int, err error) {
	if r.err != nil {
		return
	}
	pe := &crm.ParseError{File: r.rd.File(), Name: r.names[col], Err: err, Class: crm.ErrInvalid}
	pe.Line, pe.Column = r.rd.Pos(col)
	r.err = pe
}

// str returns column col, "" when the file has no such column. The reader has checked it is UTF-8.
func (r *row) str(col int) string { return r.fields[col] }

func (r *row) id(col int) string {
	s := strings.TrimSpace(r.str(col))
	if s == "" && r.err == nil {
		r.fail(col, ErrEmptyID)
	}
	return s
}

func (r *row) time(col int) time.Time {
	s := strings.TrimSpace(r.str(col))
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		r.fail(col, ErrInvalidTime)
		return time.Time{}
	}
	return t.UTC()
}

func (r *row) bool(col int) bool {
	switch strings.ToLower(strings.TrimSpace(r.str(col))) {
	case "", "false", "0", "no":
		return false
	case "true", "1", "yes":
		return true
	}
	r.fail(col, ErrInvalidBool)
	return false
}

func (r *row) int(col int) int {
	s := strings.TrimSpace(r.str(col))
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		r.fail(col, ErrInvalidInt)
	}
	return n
}

func (r *row) list(col int) []string {
	s := r.str(col)
	if strings.TrimSpace(s) == "" {
		return nil
	}
	var out []string
	for v := range strings.SplitSeq(s, listSep) {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// listSep separates the IDs of a list column such as opportunities.csv contact_ids.
const listSep = ";"

// codec describes one object's file.
type codec[T any] struct {
	file     string
	header   []string // canonical column order, used when writing
	required []string // columns a file must have
	decode   func(r *row) T
	encode   func(v T, rec []string) []string
	id       func(v T) string
	modified func(v T) time.Time
	// unique gives the key that must not repeat within a file; nil means id.
	unique func(v T) string
}

// read parses CSV from rd, yielding records that pass f. ctx is checked before each record.
func (c *codec[T]) read(ctx context.Context, rd io.Reader, f crm.Filter) iter.Seq2[T, error] {
	return c.readAs(ctx, rd, c.file, f)
}

// readAs is read for a file named file in errors. A key (see codec.unique) seen twice fails the
// read at its second record, with an error naming both lines; this is checked on every record,
// before f filters them.
func (c *codec[T]) readAs(ctx context.Context, rd io.Reader, file string, f crm.Filter) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if err := ctx.Err(); err != nil {
			yield(zero, err)
			return
		}
		cr, err := csvrec.NewReader(rd, file, c.header)
		if errors.Is(err, csvrec.ErrNoHeader) {
			return // an empty file holds no records
		}
		if err != nil {
			yield(zero, invalid(err))
			return
		}
		cr.RequireFieldCount()
		for _, req := range c.required { // present; only identifiers must be non-empty
			if !cr.Has(req) {
				yield(zero, &crm.ParseError{File: file, Line: 1, Name: req, Err: ErrMissingColumn, Class: crm.ErrInvalid})
				return
			}
		}
		r := &row{rd: cr, names: c.header}
		var ids map[string]struct{}
		if len(f.IDs) > 0 {
			ids = make(map[string]struct{}, len(f.IDs))
			for _, id := range f.IDs {
				ids[id] = struct{}{}
			}
		}
		since := f.ModifiedSince.Truncate(time.Second)
		unique := c.unique
		if unique == nil {
			unique = c.id
		}
		seen := make(map[string]int) // key -> line of its first record
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			fields, err := cr.Read()
			if err == io.EOF {
				return
			}
			if err != nil {
				yield(zero, invalid(err))
				return
			}
			r.fields, r.err = fields, nil
			v := c.decode(r)
			if r.err != nil {
				yield(zero, r.err)
				return
			}
			line := cr.Line()
			if first, dup := seen[unique(v)]; dup {
				pe := &crm.ParseError{File: file, Line: line, Name: c.header[0],
					Err: fmt.Errorf("%w (first on line %d, again on line %d)", ErrDuplicateID, first, line), Class: crm.ErrInvalid}
				_, pe.Column = cr.Pos(0)
				yield(zero, pe)
				return
			}
			seen[strings.Clone(unique(v))] = line
			if ids != nil {
				if _, ok := ids[c.id(v)]; !ok {
					continue
				}
			}
			if !since.IsZero() && c.modified(v).Truncate(time.Second).Before(since) {
				continue
			}
			if !yield(v, nil) {
				return
			}
		}
	}
}

// invalid marks a reader's *crm.ParseError as [crm.ErrInvalid] and returns it.
func invalid(err error) error {
	var pe *crm.ParseError
	if errors.As(err, &pe) {
		pe.Class = crm.ErrInvalid
	}
	return err
}

// write writes the header and every record of rs to w, in the canonical column order.
func (c *codec[T]) write(w io.Writer, rs iter.Seq2[T, error]) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(c.header); err != nil {
		return err
	}
	rec := make([]string, 0, len(c.header))
	for v, err := range rs {
		if err != nil {
			return err
		}
		rec = c.encode(v, rec[:0])
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func formatList(ids []string) (string, error) {
	for _, id := range ids {
		if strings.Contains(id, listSep) {
			return "", fmt.Errorf("csvsource: an ID contains %q, the list separator", listSep)
		}
	}
	return strings.Join(ids, listSep), nil
}

// The codecs. Column order is the documented header (see the package doc).

func accountCodec() *codec[crm.Account] {
	const (
		id = iota
		name
		industry
		website
		city
		country
		owner
		modified
	)
	return &codec[crm.Account]{
		file:     AccountsFile,
		header:   []string{"id", "name", "industry", "website", "city", "country", "owner_id", "modified_at"},
		required: []string{"id"},
		decode: func(r *row) crm.Account {
			return crm.Account{ID: r.id(id), Name: r.str(name), Industry: r.str(industry), Website: r.str(website),
				City: r.str(city), Country: r.str(country), OwnerID: r.str(owner), ModifiedAt: r.time(modified)}
		},
		encode: func(v crm.Account, rec []string) []string {
			return append(rec, v.ID, v.Name, v.Industry, v.Website, v.City, v.Country, v.OwnerID, formatTime(v.ModifiedAt))
		},
		id:       func(v crm.Account) string { return v.ID },
		modified: func(v crm.Account) time.Time { return v.ModifiedAt },
	}
}

func contactCodec() *codec[crm.Contact] {
	const (
		id = iota
		account
		first
		last
		title
		email
		city
		country
		owner
		modified
	)
	return &codec[crm.Contact]{
		file:     ContactsFile,
		header:   []string{"id", "account_id", "first_name", "last_name", "title", "email", "city", "country", "owner_id", "modified_at"},
		required: []string{"id"},
		decode: func(r *row) crm.Contact {
			return crm.Contact{ID: r.id(id), AccountID: r.str(account), FirstName: r.str(first), LastName: r.str(last),
				Title: r.str(title), Email: r.str(email), City: r.str(city), Country: r.str(country),
				OwnerID: r.str(owner), ModifiedAt: r.time(modified)}
		},
		encode: func(v crm.Contact, rec []string) []string {
			return append(rec, v.ID, v.AccountID, v.FirstName, v.LastName, v.Title, v.Email, v.City, v.Country, v.OwnerID, formatTime(v.ModifiedAt))
		},
		id:       func(v crm.Contact) string { return v.ID },
		modified: func(v crm.Contact) time.Time { return v.ModifiedAt },
	}
}

func leadCodec() *codec[crm.Lead] {
	const (
		id = iota
		first
		last
		company
		title
		email
		city
		country
		owner
		modified
	)
	return &codec[crm.Lead]{
		file:     LeadsFile,
		header:   []string{"id", "first_name", "last_name", "company", "title", "email", "city", "country", "owner_id", "modified_at"},
		required: []string{"id"},
		decode: func(r *row) crm.Lead {
			return crm.Lead{ID: r.id(id), FirstName: r.str(first), LastName: r.str(last), Company: r.str(company),
				Title: r.str(title), Email: r.str(email), City: r.str(city), Country: r.str(country),
				OwnerID: r.str(owner), ModifiedAt: r.time(modified)}
		},
		encode: func(v crm.Lead, rec []string) []string {
			return append(rec, v.ID, v.FirstName, v.LastName, v.Company, v.Title, v.Email, v.City, v.Country, v.OwnerID, formatTime(v.ModifiedAt))
		},
		id:       func(v crm.Lead) string { return v.ID },
		modified: func(v crm.Lead) time.Time { return v.ModifiedAt },
	}
}

func opportunityCodec() *codec[crm.Opportunity] {
	const (
		id = iota
		name
		account
		stage
		contacts
		closed
		owner
		modified
		amount
		currency
		won
		created
		closeDate
		history
	)
	return &codec[crm.Opportunity]{
		file: OpportunitiesFile,
		header: []string{"id", "name", "account_id", "stage", "contact_ids", "is_closed", "owner_id", "modified_at",
			"amount", "currency", "is_won", "created_at", "close_date", "stage_history"},
		required: []string{"id"},
		decode: func(r *row) crm.Opportunity {
			return crm.Opportunity{ID: r.id(id), Name: r.str(name), AccountID: r.str(account), Stage: r.str(stage),
				ContactIDs: r.list(contacts), IsClosed: r.bool(closed), OwnerID: r.str(owner), ModifiedAt: r.time(modified),
				Amount: r.float(amount), Currency: strings.TrimSpace(r.str(currency)), IsWon: r.bool(won),
				CreatedAt: r.time(created), CloseDate: r.date(closeDate), History: r.history(history)}
		},
		encode: func(v crm.Opportunity, rec []string) []string {
			ids, _ := formatList(v.ContactIDs)  // checked by the writer before
			hist, _ := formatHistory(v.History) // likewise
			amt := ""
			if v.Amount != 0 {
				amt = strconv.FormatFloat(v.Amount, 'f', -1, 64)
			}
			return append(rec, v.ID, v.Name, v.AccountID, v.Stage, ids, strconv.FormatBool(v.IsClosed), v.OwnerID, formatTime(v.ModifiedAt),
				amt, v.Currency, strconv.FormatBool(v.IsWon), formatTime(v.CreatedAt), formatDate(v.CloseDate), hist)
		},
		id:       func(v crm.Opportunity) string { return v.ID },
		modified: func(v crm.Opportunity) time.Time { return v.ModifiedAt },
	}
}

// float reads a decimal number ("1234.5"; no thousands separators), 0 when empty.
func (r *row) float(col int) float64 {
	s := strings.TrimSpace(r.str(col))
	if s == "" {
		return 0
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		r.fail(col, ErrInvalidNumber)
		return 0
	}
	return v
}

// date reads a day (2006-01-02) or an RFC 3339 time truncated to its UTC day; zero when empty.
func (r *row) date(col int) time.Time {
	s := strings.TrimSpace(r.str(col))
	if s == "" {
		return time.Time{}
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		r.fail(col, ErrInvalidTime)
		return time.Time{}
	}
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// history reads a stage_history column: entries separated by ";", each an RFC 3339 time, one
// space and the stage name ("2024-03-01T09:00:00Z Needs Analysis"). Entries come back sorted by
// time.
func (r *row) history(col int) []crm.StageChange {
	s := r.str(col)
	if strings.TrimSpace(s) == "" {
		return nil
	}
	var out []crm.StageChange
	for e := range strings.SplitSeq(s, listSep) {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		at, stage, ok := strings.Cut(e, " ")
		stage = strings.TrimSpace(stage)
		t, err := time.Parse(time.RFC3339Nano, at)
		if !ok || stage == "" || err != nil {
			r.fail(col, ErrInvalidHistory)
			return nil
		}
		out = append(out, crm.StageChange{Stage: stage, At: t.UTC()})
	}
	slices.SortStableFunc(out, func(a, b crm.StageChange) int { return a.At.Compare(b.At) })
	return out
}

func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// formatHistory writes a stage_history column; a stage name holding the separator is refused.
func formatHistory(h []crm.StageChange) (string, error) {
	parts := make([]string, 0, len(h))
	for _, c := range h {
		if strings.Contains(c.Stage, listSep) || strings.TrimSpace(c.Stage) == "" || c.At.IsZero() {
			return "", fmt.Errorf("csvsource: a stage change has an empty stage or time, or a stage holding %q, the list separator", listSep)
		}
		parts = append(parts, formatTime(c.At)+" "+c.Stage)
	}
	return strings.Join(parts, listSep), nil
}

func stageCodec() *codec[crm.OpportunityStage] {
	const (
		name = iota
		order
		closed
		won
	)
	return &codec[crm.OpportunityStage]{
		file:     StagesFile,
		header:   []string{"name", "sort_order", "is_closed", "is_won"},
		required: []string{"name", "sort_order"},
		decode: func(r *row) crm.OpportunityStage {
			return crm.OpportunityStage{Name: r.id(name), SortOrder: r.int(order), IsClosed: r.bool(closed), IsWon: r.bool(won)}
		},
		encode: func(v crm.OpportunityStage, rec []string) []string {
			return append(rec, v.Name, strconv.Itoa(v.SortOrder), strconv.FormatBool(v.IsClosed), strconv.FormatBool(v.IsWon))
		},
		id:       func(v crm.OpportunityStage) string { return v.Name },
		modified: func(crm.OpportunityStage) time.Time { return time.Time{} },
	}
}

func userCodec() *codec[crm.User] {
	const (
		id = iota
		name
		email
		role
		bu
		active
	)
	return &codec[crm.User]{
		file:     UsersFile,
		header:   []string{"id", "name", "email", "role_id", "business_unit_id", "is_active"},
		required: []string{"id", "is_active"},
		decode: func(r *row) crm.User {
			return crm.User{ID: r.id(id), Name: r.str(name), Email: r.str(email), RoleID: r.str(role),
				BusinessUnitID: r.str(bu), IsActive: r.bool(active)}
		},
		encode: func(v crm.User, rec []string) []string {
			return append(rec, v.ID, v.Name, v.Email, v.RoleID, v.BusinessUnitID, strconv.FormatBool(v.IsActive))
		},
		id:       func(v crm.User) string { return v.ID },
		modified: func(crm.User) time.Time { return time.Time{} },
	}
}

func roleCodec() *codec[crm.Role] {
	const (
		id = iota
		name
		parent
	)
	return &codec[crm.Role]{
		file:     RolesFile,
		header:   []string{"id", "name", "parent_id"},
		required: []string{"id"},
		decode: func(r *row) crm.Role {
			return crm.Role{ID: r.id(id), Name: r.str(name), ParentID: r.str(parent)}
		},
		encode: func(v crm.Role, rec []string) []string {
			return append(rec, v.ID, v.Name, v.ParentID)
		},
		id:       func(v crm.Role) string { return v.ID },
		modified: func(crm.Role) time.Time { return time.Time{} },
	}
}
