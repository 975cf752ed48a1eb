package crmlink

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/override"
)

// ErrNoAccess is the class of an [*AccessError]: the viewing CRM user may not see the record
// through crmlink.
var ErrNoAccess = errors.New("crmlink: viewer may not see the record")

// AccessError reports a read or write refused because the viewer could not see the record in the
// CRM: an unknown, inactive or unseated user, a record the CRM's rules hide from them, or a
// record whose owner crmlink does not know. It is the same error whether or not anything is
// stored for the record, and is returned before the store is read, so it reveals nothing of a
// mapping. It holds IDs only.
type AccessError struct {
	Op     string             // "resolve company", "correct", "write back" ...
	Viewer Viewer             // who asked
	Record override.RecordRef // the record asked for
}

// Error returns "crmlink: <op> <record>: viewer <org/user> may not see it".
func (e *AccessError) Error() string {
	return fmt.Sprintf("crmlink: %s %s: viewer %s may not see it", e.Op, e.Record, e.Viewer)
}

// Unwrap returns [ErrNoAccess].
func (e *AccessError) Unwrap() error { return ErrNoAccess }

// Viewer is the CRM user on whose behalf crmlink reads or writes: a user of one org. A viewer
// never sees a record of another org, whatever the IDs: user IDs of two orgs may collide.
type Viewer struct {
	Org  string // the viewer's CRM org (tenant) ID
	User string // the viewer's CRM user ID
}

// String returns "org/user".
func (v Viewer) String() string { return v.Org + "/" + v.User }

// Access is the CRM visibility crmlink enforces on every read and write of a record, per org:
// the org's users (active flag, role or business unit), its role hierarchy or business-unit
// tree, its teams, its org-wide defaults, which users hold a seat, and the owner of every record
// the Syncer read. It holds IDs only: user, role, unit, team and record IDs, and record ID ->
// owner ID; never a name, an email or a seat's address.
//
// A [Syncer] given an Access with [WithAccess] fills it on every run; a [Resolver] given the same
// Access with [WithVisibility] checks it before it reads anything. Rules (see [crm.Visibility]):
// a viewer sees a record when they are an active CRM user of the org mapped to a seat
// ([crm.MapSeats]) and the CRM's rules let them see a record of that object owned by its owner.
// A record whose owner is unknown (never synced), an unknown, inactive or unseated viewer, and an
// org never synced see nothing.
//
// The index lives in memory: a process that resolves must share it with the one that syncs (or
// run a sync itself) after a restart. An Access is safe for concurrent use.
type Access struct {
	mu   sync.RWMutex
	orgs map[string]*orgAccess
}

type orgAccess struct {
	vis    *crm.Visibility
	seated map[string]bool               // CRM user IDs mapped to a seat
	owners map[override.RecordRef]string // record -> owner ID (user or team)
}

// NewAccess returns an empty Access: nobody sees anything until a sync fills it.
func NewAccess() *Access { return &Access{orgs: make(map[string]*orgAccess)} }

// SetRules replaces the users, roles (or business units), teams, org-wide defaults and seats of
// org, keeping the record owners already known. seatEmails are the addresses of the seat
// holders; they are matched to users by [crm.MapSeats] and not kept.
func (a *Access) SetRules(org string, users []crm.User, roles []crm.Role, teams []crm.Team, defaults crm.OrgDefaults, seatEmails []string) {
	seated := make(map[string]bool)
	for id := range crm.MapSeats(users, seatEmails) {
		seated[id] = true
	}
	vis := crm.NewVisibility(users, roles, defaults, teams...)
	a.mu.Lock()
	defer a.mu.Unlock()
	o := a.orgs[org]
	if o == nil {
		o = &orgAccess{owners: make(map[override.RecordRef]string)}
		a.orgs[org] = o
	}
	o.vis, o.seated = vis, seated
}

// SetOwners records the owner (a CRM user or team ID) of each record of refs; owners[i] is the
// owner of refs[i]. An empty owner forgets the record's owner. Records of orgs without rules yet
// are recorded too.
func (a *Access) SetOwners(refs []override.RecordRef, owners []string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for i, r := range refs {
		o := a.orgs[r.Org]
		if o == nil {
			o = &orgAccess{owners: make(map[override.RecordRef]string)}
			a.orgs[r.Org] = o
		}
		if owners[i] == "" {
			delete(o.owners, r)
			continue
		}
		o.owners[r] = owners[i]
	}
}

// CanSee reports whether the CRM user viewer may see rec through crmlink.
func (a *Access) CanSee(viewer string, rec override.RecordRef) bool {
	a.mu.RLock()
	defer a.mu.RUnlock()
	o := a.orgs[rec.Org]
	if o == nil || o.vis == nil || viewer == "" || !o.seated[viewer] {
		return false
	}
	owner, ok := o.owners[rec]
	if !ok {
		return false
	}
	return o.vis.CanSee(viewer, owner, crmObject(rec.Object))
}

// Len returns how many record owners org's index holds.
func (a *Access) Len(org string) int {
	a.mu.RLock()
	defer a.mu.RUnlock()
	if o := a.orgs[org]; o != nil {
		return len(o.owners)
	}
	return 0
}

// Purge forgets everything of org: its rules, seats and record owners. It returns how many
// record owners it removed.
func (a *Access) Purge(org string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	if o := a.orgs[org]; o != nil {
		n = len(o.owners)
	}
	delete(a.orgs, org)
	return n
}

// crmObject converts a store object to the CRM's.
func crmObject(o override.Object) crm.Object {
	switch o {
	case override.Lead:
		return crm.ObjectLead
	case override.Contact:
		return crm.ObjectContact
	case override.Account:
		return crm.ObjectAccount
	case override.Opportunity:
		return crm.ObjectOpportunity
	}
	return crm.Object(o)
}

// checker decides whether a viewer may see a record; the Resolver and write-back hold one.
type checker interface {
	CanSee(viewer string, rec override.RecordRef) bool
}

// unrestricted lets every non-empty viewer see every record ([WithoutVisibility]).
type unrestricted struct{}

func (unrestricted) CanSee(viewer string, _ override.RecordRef) bool { return viewer != "" }

// denyAll is the default of a Resolver given no visibility: nobody sees anything.
type denyAll struct{}

func (denyAll) CanSee(string, override.RecordRef) bool { return false }

// guard runs the checks every flow makes before it touches a record: the viewer is of the
// record's org, the org is enabled, and the viewer may see the record. None reads the record's
// mappings.
func guard(ctx context.Context, store *override.Store, access checker, op string, viewer Viewer, rec override.RecordRef) error {
	if viewer.Org != rec.Org {
		return &AccessError{Op: op, Viewer: viewer, Record: rec}
	}
	if err := store.CheckEnabled(ctx, op, rec.Org); err != nil {
		return fmt.Errorf("crmlink: %w", err)
	}
	return see(access, op, viewer, rec)
}

// see is the part of guard that reads nothing: the viewer is of the record's org and may see
// it. The resolution reads the org's state with the record ([override.Store.LookupEnabled]).
func see(access checker, op string, viewer Viewer, rec override.RecordRef) error {
	if viewer.Org != rec.Org || !access.CanSee(viewer.User, rec) {
		return &AccessError{Op: op, Viewer: viewer, Record: rec}
	}
	return nil
}
