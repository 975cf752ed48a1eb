package csvsource

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/crmlink/crmlink/crm"
)

// Source reads the CSV files of one directory as a CRM org and appends activities to its
// activities.csv. Every iterator opens its file afresh, so a Source sees later changes to the
// files. A Source is safe for concurrent use; activities must be written by one process at a time.
type Source struct {
	dir string

	mu   sync.Mutex        // guards keys, size and appends to activities.csv
	keys map[string]string // external key -> activity ID; nil until loaded
	size int64             // size of activities.csv when keys were last in step with it
}

var (
	_ crm.Source = (*Source)(nil)
	_ crm.Writer = (*Source)(nil)

	_ crm.ActivityReader = (*Source)(nil)
)

// Open returns a Source over the CSV files in dir: accounts.csv, contacts.csv, leads.csv,
// opportunities.csv, stages.csv, users.csv and roles.csv. A missing file is an empty object.
// dir itself must exist. Files are read lazily, by the iterators.
func Open(dir string) (*Source, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("csvsource: open: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("csvsource: open: not a directory: %w", fs.ErrInvalid)
	}
	return &Source{dir: dir}, nil
}

// Dir returns the directory of s.
func (s *Source) Dir() string { return s.dir }

// readFile streams one object's file; a missing file yields nothing.
func readFile[T any](ctx context.Context, dir string, c *codec[T], f crm.Filter) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if err := ctx.Err(); err != nil {
			yield(zero, err)
			return
		}
		fh, err := os.Open(filepath.Join(dir, c.file))
		if errors.Is(err, fs.ErrNotExist) {
			return
		}
		if err != nil {
			yield(zero, fmt.Errorf("csvsource: %s: %w", c.file, unwrapPath(err)))
			return
		}
		defer fh.Close()
		for v, err := range c.read(ctx, bufio.NewReaderSize(fh, 64<<10), f) {
			if !yield(v, err) || err != nil {
				return
			}
		}
	}
}

// unwrapPath drops the path from an *fs.PathError: the caller names the file itself.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}

// Leads streams leads.csv.
func (s *Source) Leads(ctx context.Context, f crm.Filter) iter.Seq2[crm.Lead, error] {
	return readFile(ctx, s.dir, leadCodec(), f)
}

// Contacts streams contacts.csv.
func (s *Source) Contacts(ctx context.Context, f crm.Filter) iter.Seq2[crm.Contact, error] {
	return readFile(ctx, s.dir, contactCodec(), f)
}

// Accounts streams accounts.csv.
func (s *Source) Accounts(ctx context.Context, f crm.Filter) iter.Seq2[crm.Account, error] {
	return readFile(ctx, s.dir, accountCodec(), f)
}

// Opportunities streams opportunities.csv.
func (s *Source) Opportunities(ctx context.Context, f crm.Filter) iter.Seq2[crm.Opportunity, error] {
	return readFile(ctx, s.dir, opportunityCodec(), f)
}

// Stages streams stages.csv.
func (s *Source) Stages(ctx context.Context) iter.Seq2[crm.OpportunityStage, error] {
	return readFile(ctx, s.dir, stageCodec(), crm.Filter{})
}

// Users streams users.csv.
func (s *Source) Users(ctx context.Context) iter.Seq2[crm.User, error] {
	return readFile(ctx, s.dir, userCodec(), crm.Filter{})
}

// Roles streams roles.csv.
func (s *Source) Roles(ctx context.Context) iter.Seq2[crm.Role, error] {
	return readFile(ctx, s.dir, roleCodec(), crm.Filter{})
}

// Activities streams activities.csv: the activities written so far.
func (s *Source) Activities(ctx context.Context) iter.Seq2[Activity, error] {
	return readFile(ctx, s.dir, activityCodec(), crm.Filter{})
}

// ReadLeads parses leads in the leads.csv format from r. Errors are [*crm.ParseError]s naming
// leads.csv. The iterator consumes r: range over it once.
func ReadLeads(ctx context.Context, r io.Reader, f crm.Filter) iter.Seq2[crm.Lead, error] {
	return leadCodec().read(ctx, r, f)
}

// ReadContacts parses contacts in the contacts.csv format from r; see [ReadLeads].
func ReadContacts(ctx context.Context, r io.Reader, f crm.Filter) iter.Seq2[crm.Contact, error] {
	return contactCodec().read(ctx, r, f)
}

// ReadAccounts parses accounts in the accounts.csv format from r; see [ReadLeads].
func ReadAccounts(ctx context.Context, r io.Reader, f crm.Filter) iter.Seq2[crm.Account, error] {
	return accountCodec().read(ctx, r, f)
}

// ReadOpportunities parses opportunities in the opportunities.csv format from r; see [ReadLeads].
func ReadOpportunities(ctx context.Context, r io.Reader, f crm.Filter) iter.Seq2[crm.Opportunity, error] {
	return opportunityCodec().read(ctx, r, f)
}

// ReadStages parses stages in the stages.csv format from r; see [ReadLeads].
func ReadStages(ctx context.Context, r io.Reader) iter.Seq2[crm.OpportunityStage, error] {
	return stageCodec().read(ctx, r, crm.Filter{})
}

// ReadUsers parses users in the users.csv format from r; see [ReadLeads].
func ReadUsers(ctx context.Context, r io.Reader) iter.Seq2[crm.User, error] {
	return userCodec().read(ctx, r, crm.Filter{})
}

// ReadRoles parses roles in the roles.csv format from r; see [ReadLeads].
func ReadRoles(ctx context.Context, r io.Reader) iter.Seq2[crm.Role, error] {
	return roleCodec().read(ctx, r, crm.Filter{})
}

// WriteLeads writes the header and leads to w in the leads.csv format.
func WriteLeads(w io.Writer, rs []crm.Lead) error { return leadCodec().write(w, values(rs)) }

// WriteContacts writes the header and contacts to w in the contacts.csv format.
func WriteContacts(w io.Writer, rs []crm.Contact) error {
	return contactCodec().write(w, values(rs))
}

// WriteAccounts writes the header and accounts to w in the accounts.csv format.
func WriteAccounts(w io.Writer, rs []crm.Account) error {
	return accountCodec().write(w, values(rs))
}

// WriteOpportunities writes the header and opportunities to w in the opportunities.csv format.
// A contact ID or a stage name in the history containing the list separator ";" is refused.
func WriteOpportunities(w io.Writer, rs []crm.Opportunity) error {
	for _, o := range rs {
		if _, err := formatList(o.ContactIDs); err != nil {
			return fmt.Errorf("%w (opportunity %s)", err, o.ID)
		}
		if _, err := formatHistory(o.History); err != nil {
			return fmt.Errorf("%w (opportunity %s)", err, o.ID)
		}
	}
	return opportunityCodec().write(w, values(rs))
}

// WriteStages writes the header and stages to w in the stages.csv format.
func WriteStages(w io.Writer, rs []crm.OpportunityStage) error {
	return stageCodec().write(w, values(rs))
}

// WriteUsers writes the header and users to w in the users.csv format.
func WriteUsers(w io.Writer, rs []crm.User) error { return userCodec().write(w, values(rs)) }

// WriteRoles writes the header and roles to w in the roles.csv format.
func WriteRoles(w io.Writer, rs []crm.Role) error { return roleCodec().write(w, values(rs)) }

func values[T any](rs []T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for _, r := range rs {
			if !yield(r, nil) {
				return
			}
		}
	}
}

// Data is the content of one org, as [Write] writes it.
type Data struct {
	Accounts      []crm.Account
	Contacts      []crm.Contact
	Leads         []crm.Lead
	Opportunities []crm.Opportunity
	Stages        []crm.OpportunityStage
	Users         []crm.User
	Roles         []crm.Role
}

// Write writes every object of d to its file in dir (created if needed), replacing existing
// files atomically: a reader sees the old file or the new one, never a half-written one. Every
// file is written, even for an empty object, so that the directory holds exactly d.
func Write(dir string, d *Data) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("csvsource: write: %w", err)
	}
	for _, w := range []struct {
		file  string
		write func(io.Writer) error
	}{
		{AccountsFile, func(w io.Writer) error { return WriteAccounts(w, d.Accounts) }},
		{ContactsFile, func(w io.Writer) error { return WriteContacts(w, d.Contacts) }},
		{LeadsFile, func(w io.Writer) error { return WriteLeads(w, d.Leads) }},
		{OpportunitiesFile, func(w io.Writer) error { return WriteOpportunities(w, d.Opportunities) }},
		{StagesFile, func(w io.Writer) error { return WriteStages(w, d.Stages) }},
		{UsersFile, func(w io.Writer) error { return WriteUsers(w, d.Users) }},
		{RolesFile, func(w io.Writer) error { return WriteRoles(w, d.Roles) }},
	} {
		if err := writeAtomic(filepath.Join(dir, w.file), w.write); err != nil {
			return fmt.Errorf("csvsource: write %s: %w", w.file, unwrapPath(err))
		}
	}
	return nil
}

// Export reads every object of src and writes it to dir with [Write]: an offline copy of a CRM
// org. It holds the whole org in memory.
func Export(ctx context.Context, src crm.Source, dir string) error {
	var d Data
	var err error
	if d.Accounts, err = crm.Collect(src.Accounts(ctx, crm.Filter{})); err != nil {
		return err
	}
	if d.Contacts, err = crm.Collect(src.Contacts(ctx, crm.Filter{})); err != nil {
		return err
	}
	if d.Leads, err = crm.Collect(src.Leads(ctx, crm.Filter{})); err != nil {
		return err
	}
	if d.Opportunities, err = crm.Collect(src.Opportunities(ctx, crm.Filter{})); err != nil {
		return err
	}
	if d.Stages, err = crm.Collect(src.Stages(ctx)); err != nil {
		return err
	}
	if d.Users, err = crm.Collect(src.Users(ctx)); err != nil {
		return err
	}
	if d.Roles, err = crm.Collect(src.Roles(ctx)); err != nil {
		return err
	}
	return Write(dir, &d)
}

func writeAtomic(path string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriterSize(tmp, 64<<10)
	if err = write(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}

// syncDir makes a rename in dir durable: without it a crash right after the rename
// may leave the old file in place.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// Activity is one line of activities.csv: a written [crm.Activity] and the ID it was given.
type Activity struct {
	crm.Activity
	ID string // "act-" and 16 hex digits derived from the external key
}

func activityCodec() *codec[Activity] {
	const (
		key = iota
		id
		kind
		org
		object
		record
		subject
		body
		occurred
		author
	)
	return &codec[Activity]{
		file:     ActivitiesFile,
		header:   []string{"external_key", "id", "kind", "org", "object", "record_id", "subject", "body", "occurred_at", "author"},
		required: []string{"external_key", "id"},
		decode: func(r *row) Activity {
			return Activity{ID: r.id(id), Activity: crm.Activity{
				ExternalKey: r.id(key), Kind: crm.ActivityKind(r.str(kind)),
				Record:  crm.RecordRef{Org: r.str(org), Object: crm.Object(r.str(object)), ID: r.str(record)},
				Subject: r.str(subject), Body: r.str(body), OccurredAt: r.time(occurred), Author: r.str(author),
			}}
		},
		encode: func(v Activity, rec []string) []string {
			return append(rec, v.ExternalKey, v.ID, string(v.Kind), v.Record.Org, string(v.Record.Object), v.Record.ID,
				v.Subject, v.Body, formatTime(v.OccurredAt), v.Author)
		},
		id:       func(v Activity) string { return v.ExternalKey },
		modified: func(v Activity) time.Time { return v.OccurredAt },
	}
}

// Errors reported per activity by [Source.WriteActivities], wrapped with the activity's index and
// [crm.ErrInvalid].
var (
	ErrNoExternalKey = errors.New("csvsource: activity without external key")
	ErrNoRecord      = errors.New("csvsource: activity without record ID")
	ErrBadKind       = errors.New("csvsource: unknown activity kind")
)

func activityID(key string) string {
	sum := sha256.Sum256([]byte(key))
	return "act-" + hex.EncodeToString(sum[:8])
}

// WriteActivities appends acts to activities.csv, creating it with its header if needed, and
// syncs the file. It is idempotent by ExternalKey: an activity whose key is already in the file
// (or earlier in acts) is not written again and its result has Created false and the existing
// ID. An invalid activity (no external key, no record ID, unknown kind) gets an error in its
// result and the others are still written. The returned error is for the whole batch: a canceled
// ctx or a file error, in which case no result reports Created.
func (s *Source) WriteActivities(ctx context.Context, acts []crm.Activity) ([]crm.WriteResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.keys == nil || s.changed() {
		if err := s.loadKeys(ctx); err != nil {
			return nil, err
		}
	}
	results := make([]crm.WriteResult, len(acts))
	var fresh []Activity
	pending := make(map[string]string)
	for i, a := range acts {
		res := &results[i]
		res.ExternalKey = a.ExternalKey
		switch {
		case strings.TrimSpace(a.ExternalKey) == "":
			res.Err = fmt.Errorf("activity %d: %w (%w)", i, ErrNoExternalKey, crm.ErrInvalid)
			continue
		case a.Record.ID == "":
			res.Err = fmt.Errorf("activity %d: %w (%w)", i, ErrNoRecord, crm.ErrInvalid)
			continue
		case !slices.Contains([]crm.ActivityKind{crm.InMail, crm.Message, crm.Note}, a.Kind):
			res.Err = fmt.Errorf("activity %d: %w (%w)", i, ErrBadKind, crm.ErrInvalid)
			continue
		}
		if id, ok := s.keys[a.ExternalKey]; ok {
			res.ID = id
			continue
		}
		if id, ok := pending[a.ExternalKey]; ok {
			res.ID = id
			continue
		}
		id := activityID(a.ExternalKey)
		a.OccurredAt = a.OccurredAt.UTC()
		fresh = append(fresh, Activity{Activity: a, ID: id})
		pending[a.ExternalKey] = id
		res.ID, res.Created = id, true
	}
	if len(fresh) == 0 {
		return results, nil
	}
	if err := s.append(fresh); err != nil {
		for i := range results {
			results[i].Created = false
			if results[i].Err == nil {
				results[i].ID = ""
			}
		}
		return results, fmt.Errorf("csvsource: write %s: %w", ActivitiesFile, unwrapPath(err))
	}
	for k, id := range pending {
		s.keys[k] = id
	}
	s.size = s.fileSize()
	return results, nil
}

// loadKeys reads activities.csv into the idempotency index. A file written with other columns
// (by hand or an older version) is first rewritten with the documented header, so that appended
// lines match it.
func (s *Source) loadKeys(ctx context.Context) error {
	existing, err := crm.Collect(s.Activities(ctx))
	if err != nil {
		return err
	}
	path := filepath.Join(s.dir, ActivitiesFile)
	if len(existing) > 0 {
		canonical, err := hasHeader(path, activityCodec().header)
		if err != nil {
			return fmt.Errorf("csvsource: %s: %w", ActivitiesFile, unwrapPath(err))
		}
		if !canonical {
			err := writeAtomic(path, func(w io.Writer) error { return activityCodec().write(w, values(existing)) })
			if err != nil {
				return fmt.Errorf("csvsource: rewrite %s: %w", ActivitiesFile, unwrapPath(err))
			}
		}
	}
	keys := make(map[string]string, len(existing))
	for _, a := range existing {
		keys[a.ExternalKey] = a.ID
	}
	s.keys = keys
	s.size = s.fileSize()
	return nil
}

// fileSize returns the size of activities.csv, -1 if it cannot be read (0 if it is missing).
func (s *Source) fileSize() int64 {
	fi, err := os.Stat(filepath.Join(s.dir, ActivitiesFile))
	if errors.Is(err, fs.ErrNotExist) {
		return 0
	}
	if err != nil {
		return -1
	}
	return fi.Size()
}

// changed reports whether activities.csv was written by someone else since keys were loaded.
func (s *Source) changed() bool {
	n := s.fileSize()
	return n < 0 || n != s.size
}

// hasHeader reports whether the file at path starts with exactly the header want.
func hasHeader(path string, want []string) (bool, error) {
	fh, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer fh.Close()
	line, err := bufio.NewReader(fh).ReadString('\n')
	if err != nil && err != io.EOF {
		return false, err
	}
	return strings.TrimRight(line, "\r\n") == strings.Join(want, ","), nil
}

func (s *Source) append(acts []Activity) error {
	path := filepath.Join(s.dir, ActivitiesFile)
	fh, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil {
		return err
	}
	c := activityCodec()
	var buf strings.Builder
	if err := c.write(&buf, values(acts)); err != nil {
		return err
	}
	out := buf.String()
	if fi.Size() > 0 {
		_, out, _ = strings.Cut(out, "\n") // the file has its header already
		last := make([]byte, 1)
		if _, err := fh.ReadAt(last, fi.Size()-1); err == nil && last[0] != '\n' {
			out = "\n" + out // a hand-edited file without a final newline
		}
	}
	if _, err := fh.WriteString(out); err != nil {
		return err
	}
	if err := fh.Sync(); err != nil {
		return err
	}
	return fh.Close()
}

// WrittenActivities implements [crm.ActivityReader]: the lines of activities.csv, which holds
// only what [Source.WriteActivities] wrote. f is applied to the activity IDs and to OccurredAt,
// the only time the file keeps.
func (s *Source) WrittenActivities(ctx context.Context, f crm.Filter) iter.Seq2[crm.WrittenActivity, error] {
	return func(yield func(crm.WrittenActivity, error) bool) {
		for a, err := range readFile(ctx, s.dir, activityCodec(), crm.Filter{ModifiedSince: f.ModifiedSince}) {
			if err != nil {
				yield(crm.WrittenActivity{}, err)
				return
			}
			if len(f.IDs) > 0 && !f.Keep(a.ID, a.OccurredAt) {
				continue
			}
			if !yield(crm.WrittenActivity{ID: a.ID, Kind: a.Kind, Record: a.Record, OccurredAt: a.OccurredAt}, nil) {
				return
			}
		}
	}
}
