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
	keys map[string]string // idemKey(org, external key) -> activity ID; nil until loaded
	size int64             // size of activities.csv when keys were last in step with it
}

var (
	_ crm.Source = (*Source)(nil)
	_ crm.Writer = (*Source)(nil)

	_ crm.ActivityReader = (*Source)(nil)
)

// Open returns a Source over the CSV export in dir, one file per object (see the package
// doc for the names, matched without regard to case, singular forms such as Account.csv
// included). A missing file is an empty object, but dir must hold at least one of them (or
// activities.csv): a directory with no CSV file, or none whose name is recognised, is an error
// matching [ErrNoFiles] and [crm.ErrInvalid] that names dir and the expected file names. Use
// [Create] for a directory that is to receive activities only. Files are read lazily, by the
// iterators.
func Open(dir string) (*Source, error) {
	entries, err := readDir(dir)
	if err != nil {
		return nil, err
	}
	var csvs []string
	for _, e := range entries {
		if e.IsDir() || !strings.EqualFold(filepath.Ext(e.Name()), ".csv") {
			continue
		}
		if objectOf(e.Name()) != "" {
			return &Source{dir: dir}, nil
		}
		csvs = append(csvs, e.Name())
	}
	want := strings.Join(append(objectFiles(), ActivitiesFile), ", ")
	if len(csvs) == 0 {
		return nil, fmt.Errorf("csvsource: open %s: the directory holds no CSV file; want one or more of %s (%w, %w)",
			dir, want, ErrNoFiles, crm.ErrInvalid)
	}
	found := csvs
	if len(found) > 5 {
		found = append(found[:5:5], "...")
	}
	return nil, fmt.Errorf("csvsource: open %s: no recognised CSV file (found %s); want one or more of %s, any case, singular names such as Account.csv too (%w, %w)",
		dir, strings.Join(found, ", "), want, ErrNoFiles, crm.ErrInvalid)
}

// Create returns a Source over dir, creating the directory if needed, for writing activities
// (and reading whatever export files are there): unlike [Open], it accepts a directory without
// any CSV file, an empty org.
func Create(dir string) (*Source, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("csvsource: create: %w", err)
	}
	if _, err := readDir(dir); err != nil {
		return nil, err
	}
	return &Source{dir: dir}, nil
}

// ErrNoFiles is the error of [Open] for a directory holding none of the files it reads.
var ErrNoFiles = errors.New("no CRM export file")

// readDir lists dir, with errors that say what went wrong.
func readDir(dir string) ([]os.DirEntry, error) {
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("csvsource: open %s: no such directory (%w)", dir, fs.ErrNotExist)
	}
	if err != nil {
		return nil, fmt.Errorf("csvsource: open %s: %w", dir, unwrapPath(err))
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("csvsource: open %s: not a directory: %w", dir, fs.ErrInvalid)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("csvsource: open %s: %w", dir, unwrapPath(err))
	}
	return entries, nil
}

// fileNames lists, for each object's canonical file name, the other names it is read from:
// those under which CRM exports commonly save it (Salesforce's data export names files by
// object, Account.csv, UserRole.csv; Dynamics 365 by entity, systemuser, businessunit). Names
// are compared without regard to case.
var fileNames = []struct {
	file    string
	aliases []string
}{
	{AccountsFile, []string{"account.csv"}},
	{ContactsFile, []string{"contact.csv"}},
	{LeadsFile, []string{"lead.csv"}},
	{OpportunitiesFile, []string{"opportunity.csv"}},
	{StagesFile, []string{"stage.csv", "opportunitystage.csv", "opportunitystages.csv"}},
	{UsersFile, []string{"user.csv", "systemuser.csv", "systemusers.csv"}},
	{RolesFile, []string{"role.csv", "userrole.csv", "userroles.csv", "businessunit.csv", "businessunits.csv"}},
}

// objectFiles returns the canonical file names of the objects Open reads.
func objectFiles() []string {
	out := make([]string, len(fileNames))
	for i, f := range fileNames {
		out[i] = f.file
	}
	return out
}

// objectOf returns the canonical file name a directory entry named name is read as, or "".
// activities.csv, the file this package writes, is recognised under that exact name only.
func objectOf(name string) string {
	if name == ActivitiesFile {
		return ActivitiesFile
	}
	for _, f := range fileNames {
		if strings.EqualFold(name, f.file) {
			return f.file
		}
		for _, a := range f.aliases {
			if strings.EqualFold(name, a) {
				return f.file
			}
		}
	}
	return ""
}

// FileName returns the file name [Open] reads a directory entry called name as, one of the
// *File constants (AccountsFile for Account.csv, accounts.csv or ACCOUNTS.CSV), or "" when Open
// ignores a file of that name. A command can use it to refuse a CSV file that would go unread.
func FileName(name string) string { return objectOf(name) }

// findFile returns the name under which dir holds the object whose canonical file name is
// file: "" if it holds none, an error if it holds several (say accounts.csv and Account.csv).
func findFile(dir, file string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", fmt.Errorf("csvsource: %s: %w", file, unwrapPath(err))
	}
	var found []string
	for _, e := range entries {
		if !e.IsDir() && objectOf(e.Name()) == file {
			found = append(found, e.Name())
		}
	}
	switch len(found) {
	case 0:
		return "", nil
	case 1:
		return found[0], nil
	}
	return "", fmt.Errorf("csvsource: %s: the directory holds %s, all read as %s: keep one (%w)",
		dir, strings.Join(found, " and "), file, crm.ErrInvalid)
}

// Dir returns the directory of s.
func (s *Source) Dir() string { return s.dir }

// readFile streams one object's file, found by [findFile]; a missing file yields nothing.
// activities.csv is read up to its last complete record (see [goodEnd]).
func readFile[T any](ctx context.Context, dir string, c *codec[T], f crm.Filter) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if err := ctx.Err(); err != nil {
			yield(zero, err)
			return
		}
		name, err := findFile(dir, c.file)
		if err != nil {
			yield(zero, err)
			return
		}
		if name == "" {
			return
		}
		fh, err := os.Open(filepath.Join(dir, name))
		if errors.Is(err, fs.ErrNotExist) {
			return
		}
		if err != nil {
			yield(zero, fmt.Errorf("csvsource: %s: %w", name, unwrapPath(err)))
			return
		}
		defer fh.Close()
		if c.file != ActivitiesFile {
			for v, err := range c.readAs(ctx, bufio.NewReaderSize(fh, 64<<10), name, f) {
				if !yield(v, err) || err != nil {
					return
				}
			}
			return
		}
		// activities.csv: a torn last record (see goodEnd) is not part of the file. Without a
		// final line break the file is torn for sure; with one, an open quote may still be torn
		// after a line break inside its field, which shows as a parse error on its line.
		var r io.Reader = fh
		whole, err := endsWithNewline(fh)
		if err == nil && !whole {
			var end int64
			end, _, _, err = goodEnd(fh)
			r = io.NewSectionReader(fh, 0, end)
		}
		if err != nil {
			yield(zero, fmt.Errorf("csvsource: %s: %w", name, unwrapPath(err)))
			return
		}
		for v, err := range c.readAs(ctx, bufio.NewReaderSize(r, 64<<10), name, f) {
			var pe *crm.ParseError
			if err != nil && errors.As(err, &pe) {
				if _, line, torn, serr := goodEnd(fh); serr == nil && torn && pe.Line >= line {
					return
				}
			}
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
// file is written, even for an empty object, so that the directory holds exactly d. A file
// already there under another name [Open] reads (Account.csv) is replaced under that name.
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
		name, err := findFile(dir, w.file)
		if err != nil {
			return err
		}
		if name == "" {
			name = w.file
		}
		if err := writeAtomic(filepath.Join(dir, name), w.write); err != nil {
			return fmt.Errorf("csvsource: write %s: %w", name, unwrapPath(err))
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
	ID string // "act-" and 16 hex digits derived from the org and the external key
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
		unique:   func(v Activity) string { return idemKey(v.Record.Org, v.ExternalKey) },
	}
}

// Errors reported per activity by [Source.WriteActivities], wrapped with the activity's index and
// [crm.ErrInvalid].
var (
	ErrNoExternalKey = errors.New("csvsource: activity without external key")
	ErrNoRecord      = errors.New("csvsource: activity without record ID")
	ErrBadKind       = errors.New("csvsource: unknown activity kind")
)

// idemKey is the idempotency key of an activity: its org and its external key.
func idemKey(org, key string) string { return org + "\x00" + key }

// activityID derives an activity's ID from its org and external key. Without an org it is
// derived from the key alone, as files written before orgs were part of the key have it.
func activityID(org, key string) string {
	if org != "" {
		key = idemKey(org, key)
	}
	sum := sha256.Sum256([]byte(key))
	return "act-" + hex.EncodeToString(sum[:8])
}

// WriteActivities appends acts to activities.csv, creating it with its header if needed, and
// syncs the file. It is idempotent by org and ExternalKey (Record.Org and ExternalKey): an
// activity whose org and key are already in the file (or earlier in acts) is not written again
// and its result has Created false and the existing ID; the same key in another org is another
// activity. A torn last record, left by a crash during an earlier write (the file does not end
// with a line break), was never acknowledged: it is cut off before appending. An invalid activity (no external key, no record ID, unknown kind) gets an error in its
// result and the others are still written. The returned error is for the whole batch: a canceled
// ctx or a file error, in which case no result reports Created.
func (s *Source) WriteActivities(ctx context.Context, acts []crm.Activity) ([]crm.WriteResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.keys == nil || s.changed() {
		// The file is new to s: a crash during an earlier write may have torn its last record.
		if err := s.repair(); err != nil {
			return nil, fmt.Errorf("csvsource: repair %s: %w", ActivitiesFile, unwrapPath(err))
		}
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
		k := idemKey(a.Record.Org, a.ExternalKey)
		if id, ok := s.keys[k]; ok {
			res.ID = id
			continue
		}
		if id, ok := pending[k]; ok {
			res.ID = id
			continue
		}
		id := activityID(a.Record.Org, a.ExternalKey)
		a.OccurredAt = a.OccurredAt.UTC()
		fresh = append(fresh, Activity{Activity: a, ID: id})
		pending[k] = id
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
	if s.fileSize() > 0 {
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
		keys[idemKey(a.Record.Org, a.ExternalKey)] = a.ID
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

// endsWithNewline reports whether the file f is empty or ends with a line break, as every file
// the activity writer finished does.
func endsWithNewline(f *os.File) (bool, error) {
	fi, err := f.Stat()
	if err != nil || fi.Size() == 0 {
		return err == nil, err
	}
	last := make([]byte, 1)
	if _, err := f.ReadAt(last, fi.Size()-1); err != nil {
		return false, err
	}
	return last[0] == '\n', nil
}

// goodEnd scans the CSV file f and returns where its last complete record ends: just after its
// last line break outside quotes. torn is true when something follows, a record cut short by a
// crash during an append (it may span lines, in a quoted field); it starts on line tornLine. f's
// offset is unchanged.
func goodEnd(f *os.File) (end int64, tornLine int, torn bool, err error) {
	fi, err := f.Stat()
	if err != nil {
		return 0, 0, false, err
	}
	size := fi.Size()
	br := bufio.NewReaderSize(io.NewSectionReader(f, 0, size), 64<<10)
	quoted := false
	var off int64
	lines, goodLines := 0, 0
	for {
		chunk, err := br.ReadSlice('\n')
		for _, b := range chunk {
			if b == '"' {
				quoted = !quoted // a doubled quote toggles twice
			}
		}
		off += int64(len(chunk))
		if err == nil {
			lines++
			if !quoted {
				end, goodLines = off, lines
			}
		}
		if err == io.EOF {
			return end, goodLines + 1, end < size, nil
		}
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return 0, 0, false, err
		}
	}
}

// repair cuts a torn last record off activities.csv (see [goodEnd]); a missing file is fine.
func (s *Source) repair() error {
	fh, err := os.OpenFile(filepath.Join(s.dir, ActivitiesFile), os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer fh.Close()
	end, _, torn, err := goodEnd(fh)
	if err != nil || !torn {
		return err
	}
	if err := fh.Truncate(end); err != nil {
		return err
	}
	if err := fh.Sync(); err != nil {
		return err
	}
	return fh.Close()
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

// Count returns how many records the file of obj (accounts, contacts, leads, opportunities,
// stages, users or roles) holds, 0 for a missing file: a fast pass that counts the non-empty
// lines outside quoted fields, after the header, without decoding them. It is meant to show
// progress against a total: a malformed file may count otherwise than it reads, and the count
// ignores any filter.
func (s *Source) Count(ctx context.Context, obj crm.Object) (int, error) {
	file, ok := map[crm.Object]string{
		crm.ObjectAccount: AccountsFile, crm.ObjectContact: ContactsFile, crm.ObjectLead: LeadsFile,
		crm.ObjectOpportunity: OpportunitiesFile, crm.ObjectStage: StagesFile, crm.ObjectUser: UsersFile,
		crm.ObjectRole: RolesFile,
	}[obj]
	if !ok {
		return 0, fmt.Errorf("csvsource: count: unknown object %q", obj)
	}
	name, err := findFile(s.dir, file)
	if err != nil || name == "" {
		return 0, err
	}
	fh, err := os.Open(filepath.Join(s.dir, name))
	if err != nil {
		return 0, fmt.Errorf("csvsource: %s: %w", name, unwrapPath(err))
	}
	defer fh.Close()
	n, err := countRecords(ctx, fh)
	if err != nil {
		return 0, fmt.Errorf("csvsource: count %s: %w", name, unwrapPath(err))
	}
	return max(n-1, 0), nil // the header
}

// countRecords counts the non-empty lines of r outside quoted fields: its CSV records.
func countRecords(ctx context.Context, r io.Reader) (int, error) {
	buf := make([]byte, 256<<10)
	n := 0
	quoted, blank := false, true
	for {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		k, err := r.Read(buf)
		for _, b := range buf[:k] {
			switch b {
			case '"':
				quoted = !quoted
				blank = false
			case '\n':
				if !quoted {
					if !blank {
						n++
					}
					blank = true
				}
			case '\r':
			default:
				blank = false
			}
		}
		if err == io.EOF {
			if !blank {
				n++
			}
			return n, nil
		}
		if err != nil {
			return 0, err
		}
	}
}
