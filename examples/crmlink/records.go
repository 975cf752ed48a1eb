package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/privacy"
)

// viewerFlags name the CRM user on whose behalf a command reads or writes, and how crmlink
// decides what that user may see.
type viewerFlags struct {
	viewer   string
	seats    string
	defaults string
}

func (v *viewerFlags) register(fs *flagSet) {
	fs.StringVar(&v.viewer, "viewer", "", "the CRM user ID acting (required): crmlink checks that this user may see the record")
	fs.StringVar(&v.seats, "seats", "", "a file of the seat holders' emails, one per line (default: every active CRM user holds a seat)")
	fs.StringVar(&v.defaults, "defaults", "", "the org-wide default access per object, e.g. account=public-read,contact=private\n"+
		"(private, public-read, public-read-write; an object not listed is private)")
}

// parseDefaults parses -defaults.
func parseDefaults(s string) (crm.OrgDefaults, error) {
	d := crm.OrgDefaults{}
	if s == "" {
		return d, nil
	}
	for _, part := range strings.Split(s, ",") {
		obj, acc, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return nil, usagef("-defaults %q: want object=access pairs separated by commas", s)
		}
		o := crm.Object(strings.TrimSpace(obj))
		if !override.Object(o).Valid() {
			return nil, usagef("-defaults: unknown object %q (want account, contact, lead or opportunity)", obj)
		}
		found := false
		for _, a := range []crm.Access{crm.Private, crm.PublicRead, crm.PublicReadWrite} {
			if a.String() == strings.TrimSpace(acc) {
				d[o], found = a, true
			}
		}
		if !found {
			return nil, usagef("-defaults: unknown access %q (want private, public-read or public-read-write)", acc)
		}
	}
	return d, nil
}

// readSeats reads the seat emails of -seats, one per line; blank lines and # comments are
// skipped. The addresses are handed to crm.MapSeats and not kept.
func readSeats(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, badInput(fmt.Errorf("-seats: %w", err))
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		if _, ok := privacy.NormalizeEmail(s); !ok {
			return nil, usagef("%s:%d: not an email address", path, line)
		}
		out = append(out, s)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("-seats %s: %w", path, err)
	}
	return out, nil
}

// recordFlags name one CRM record.
type recordFlags struct {
	object string
	id     string
}

func (r *recordFlags) register(fs *flagSet) {
	fs.StringVar(&r.object, "object", "", "the record's object: account, contact, lead or opportunity")
	fs.StringVar(&r.id, "id", "", "the record's CRM ID")
}

func (r *recordFlags) ref(org string) (override.RecordRef, error) {
	if err := override.ValidateOrg(org); err != nil {
		return override.RecordRef{}, usagef("-org: %v", err)
	}
	o := override.Object(r.object)
	if !o.Valid() {
		return override.RecordRef{}, usagef("-object %q: want account, contact, lead or opportunity", r.object)
	}
	ref := override.RecordRef{Org: org, Object: o, ID: r.id}
	if err := ref.Validate(); err != nil {
		return ref, usagef("-id: %v", err)
	}
	return ref, nil
}

// crmRecord is what a command needs of one CRM record: its owner and the allowlisted
// parameters the engine matches on.
type crmRecord struct {
	owner   string
	company matcher.CompanyQuery
	member  matcher.MemberQuery
}

var errNotInCRM = errors.New("not found in the CRM")

// fetchRecord reads one record from the CRM, with the account of a contact or an opportunity
// for the company it names.
func fetchRecord(ctx context.Context, src crm.Source, ref override.RecordRef) (crmRecord, error) {
	var rec crmRecord
	ids := crm.Filter{IDs: []string{ref.ID}}
	account := func(id string) (crm.Account, bool, error) {
		if id == "" {
			return crm.Account{}, false, nil
		}
		as, err := crm.Collect(src.Accounts(ctx, crm.Filter{IDs: []string{id}}))
		if err != nil || len(as) == 0 {
			return crm.Account{}, false, err
		}
		return as[0], true, nil
	}
	switch ref.Object {
	case override.Account:
		a, ok, err := account(ref.ID)
		if err != nil {
			return rec, err
		}
		if !ok {
			return rec, errNotInCRM
		}
		rec.owner = a.OwnerID
		rec.company = crmlink.CompanyQuery(privacy.Company{Name: a.Name, Industry: a.Industry, Website: a.Website, Location: privacy.Location(a.City, a.Country)})
	case override.Opportunity:
		opps, err := crm.Collect(src.Opportunities(ctx, ids))
		if err != nil {
			return rec, err
		}
		if len(opps) == 0 {
			return rec, errNotInCRM
		}
		rec.owner = opps[0].OwnerID
		a, ok, err := account(opps[0].AccountID)
		if err != nil {
			return rec, err
		}
		if ok {
			rec.company = crmlink.CompanyQuery(privacy.Company{Name: a.Name, Industry: a.Industry, Website: a.Website, Location: privacy.Location(a.City, a.Country)})
		}
	case override.Contact:
		cs, err := crm.Collect(src.Contacts(ctx, ids))
		if err != nil {
			return rec, err
		}
		if len(cs) == 0 {
			return rec, errNotInCRM
		}
		c := cs[0]
		rec.owner = c.OwnerID
		m := privacy.Member{FirstName: c.FirstName, LastName: c.LastName, Title: c.Title, Email: c.Email, Location: privacy.Location(c.City, c.Country)}
		a, ok, err := account(c.AccountID)
		if err != nil {
			return rec, err
		}
		if ok {
			m.Company = a.Name
		}
		rec.member = crmlink.MemberQuery(m)
	case override.Lead:
		ls, err := crm.Collect(src.Leads(ctx, ids))
		if err != nil {
			return rec, err
		}
		if len(ls) == 0 {
			return rec, errNotInCRM
		}
		l := ls[0]
		rec.owner = l.OwnerID
		rec.member = crmlink.MemberQuery(privacy.Member{FirstName: l.FirstName, LastName: l.LastName, Company: l.Company, Title: l.Title, Email: l.Email, Location: privacy.Location(l.City, l.Country)})
	}
	return rec, nil
}

// access builds the visibility of org for the records refs from the CRM: its users, roles (or
// business units), teams, the seats and the defaults, and each record's owner.
func (v *viewerFlags) access(ctx context.Context, src crm.Source, org string, refs []override.RecordRef, owners []string) (*crmlink.Access, error) {
	defaults, err := parseDefaults(v.defaults)
	if err != nil {
		return nil, err
	}
	users, err := crm.Collect(src.Users(ctx))
	if err != nil {
		return nil, fmt.Errorf("read the CRM's users: %w", err)
	}
	roles, err := crm.Collect(src.Roles(ctx))
	if err != nil {
		return nil, fmt.Errorf("read the CRM's roles: %w", err)
	}
	var teams []crm.Team
	if tl, ok := src.(crm.TeamLister); ok {
		if teams, err = crm.Collect(tl.Teams(ctx)); err != nil {
			return nil, fmt.Errorf("read the CRM's teams: %w", err)
		}
	}
	var seats []string
	if v.seats != "" {
		if seats, err = readSeats(v.seats); err != nil {
			return nil, err
		}
	} else {
		for _, u := range users {
			if u.IsActive && u.Email != "" {
				seats = append(seats, u.Email)
			}
		}
	}
	a := crmlink.NewAccess()
	a.SetRules(org, users, roles, teams, defaults, seats)
	a.SetOwners(refs, owners)
	return a, nil
}
