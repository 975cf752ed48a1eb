package crm

import (
	"iter"
)

// Access is an org-wide default access level for an object.
type Access int

// The org-wide default access levels.
const (
	// Private: a user sees the records they own and those owned by users below them in the
	// hierarchy.
	Private Access = iota
	// PublicRead: every active user sees every record.
	PublicRead
	// PublicReadWrite: every active user sees (and may edit) every record.
	PublicReadWrite
)

// String returns "private", "public-read" or "public-read-write".
func (a Access) String() string {
	switch a {
	case Private:
		return "private"
	case PublicRead:
		return "public-read"
	case PublicReadWrite:
		return "public-read-write"
	}
	return "access(invalid)"
}

// OrgDefaults holds the org-wide default access per object. An object missing from the map is
// [Private], the safe default.
type OrgDefaults map[Object]Access

// Visibility answers "can user U see a record owned by O" the way the CRM does, from its users,
// its teams, its hierarchy and its org-wide defaults:
//
//   - an unknown or inactive viewer sees nothing, whatever the defaults;
//   - an object whose default is [PublicRead] or [PublicReadWrite] is visible to every active user;
//   - otherwise ([Private]) the viewer sees the records they own, those owned by a team they are a
//     member of, and those owned by users (or teams) placed below them in the hierarchy.
//
// A user with a RoleID is placed in the Salesforce role hierarchy: records of users in roles
// strictly below the viewer's role are visible, not those of peers in the same role. A user with
// only a BusinessUnitID is placed in the Dynamics business-unit tree, read as the "Parent: Child
// Business Units" access level: records of users in the viewer's business unit and every unit
// below it are visible, and so are records of teams in those units. Record sharing and manager
// hierarchies are not modelled: anything not provable is hidden. An owner that is neither a known
// user nor a known team is hidden. A cycle in the hierarchy is broken where it closes, never
// looped over.
//
// A Visibility is immutable after [NewVisibility] and safe for concurrent use.
type Visibility struct {
	users    map[string]User
	teams    map[string]team
	ancestor map[string]map[string]struct{} // node -> its strict ancestors
	defaults OrgDefaults
}

// team is a [Team] as Visibility needs it.
type team struct {
	businessUnit string
	members      map[string]struct{}
}

// NewVisibility builds the visibility rules of one org. roles are the role-hierarchy nodes or the
// business units, whichever the users refer to; teams are the teams that can own records
// (Dataverse, see [TeamLister]). The inputs are copied. A team whose ID is also a user's is
// ignored.
func NewVisibility(users []User, roles []Role, defaults OrgDefaults, teams ...Team) *Visibility {
	v := &Visibility{
		users:    make(map[string]User, len(users)),
		teams:    make(map[string]team, len(teams)),
		ancestor: make(map[string]map[string]struct{}, len(roles)),
		defaults: make(OrgDefaults, len(defaults)),
	}
	for _, u := range users {
		v.users[u.ID] = u
	}
	for _, t := range teams {
		if _, isUser := v.users[t.ID]; isUser || t.ID == "" {
			continue
		}
		tm := v.teams[t.ID]
		if tm.members == nil {
			tm.members = make(map[string]struct{}, len(t.MemberIDs))
		}
		tm.businessUnit = t.BusinessUnitID
		for _, m := range t.MemberIDs {
			tm.members[m] = struct{}{}
		}
		v.teams[t.ID] = tm
	}
	for o, a := range defaults {
		v.defaults[o] = a
	}
	parent := make(map[string]string, len(roles))
	for _, r := range roles {
		if r.ID != "" && r.ParentID != "" && r.ParentID != r.ID {
			parent[r.ID] = r.ParentID
		}
	}
	for _, r := range roles {
		if r.ID == "" {
			continue
		}
		anc := make(map[string]struct{})
		for p := parent[r.ID]; p != "" && p != r.ID; p = parent[p] {
			if _, seen := anc[p]; seen {
				break // a cycle above r
			}
			anc[p] = struct{}{}
		}
		v.ancestor[r.ID] = anc
	}
	return v
}

// CanSee reports whether the user userID can see a record of type obj owned by owner, a user or
// a team.
func (v *Visibility) CanSee(userID string, owner string, obj Object) bool {
	u, ok := v.users[userID]
	if !ok || !u.IsActive || userID == "" {
		return false
	}
	if v.defaults[obj] == PublicRead || v.defaults[obj] == PublicReadWrite {
		return true
	}
	if owner == "" {
		return false
	}
	if owner == userID {
		return true
	}
	o, ok := v.users[owner]
	if !ok {
		return v.canSeeTeams(u, owner)
	}
	switch {
	case u.RoleID != "":
		return v.below(o.RoleID, u.RoleID)
	case u.BusinessUnitID != "":
		return o.BusinessUnitID == u.BusinessUnitID || v.below(o.BusinessUnitID, u.BusinessUnitID)
	}
	return false
}

// canSeeTeams reports whether u sees records owned by the team owner: as a member, or through the
// business-unit tree when u is placed in it.
func (v *Visibility) canSeeTeams(u User, owner string) bool {
	t, ok := v.teams[owner]
	if !ok {
		return false
	}
	if _, member := t.members[u.ID]; member {
		return true
	}
	if u.RoleID == "" && u.BusinessUnitID != "" {
		return t.businessUnit == u.BusinessUnitID || v.below(t.businessUnit, u.BusinessUnitID)
	}
	return false
}

// below reports whether node is strictly below top.
func (v *Visibility) below(node, top string) bool {
	if node == "" || node == top {
		return false
	}
	_, ok := v.ancestor[node][top]
	return ok
}

// FilterVisible passes on the records of seq that user can see according to v; owner returns a
// record's owner ID. Errors are passed on unchanged. It can be ranged over as often as seq can.
func FilterVisible[T any](seq iter.Seq2[T, error], v *Visibility, user string, owner func(T) string, obj Object) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for r, err := range seq {
			if err != nil {
				if !yield(r, err) {
					return
				}
				continue
			}
			if !v.CanSee(user, owner(r), obj) {
				continue
			}
			if !yield(r, nil) {
				return
			}
		}
	}
}
