package crm_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/crm"
)

func TestVisibilityRoles(t *testing.T) {
	roles := []crm.Role{
		{ID: "ceo"},
		{ID: "vp", ParentID: "ceo"},
		{ID: "mgr", ParentID: "vp"},
		{ID: "rep", ParentID: "mgr"},
		{ID: "mkt", ParentID: "ceo"},
	}
	users := []crm.User{
		{ID: "u-ceo", RoleID: "ceo", IsActive: true},
		{ID: "u-vp", RoleID: "vp", IsActive: true},
		{ID: "u-mgr", RoleID: "mgr", IsActive: true},
		{ID: "u-rep", RoleID: "rep", IsActive: true},
		{ID: "u-rep2", RoleID: "rep", IsActive: true},
		{ID: "u-mkt", RoleID: "mkt", IsActive: true},
		{ID: "u-gone", RoleID: "ceo", IsActive: false},
		{ID: "u-norole", IsActive: true},
	}
	v := crm.NewVisibility(users, roles, crm.OrgDefaults{crm.ObjectAccount: crm.PublicRead, crm.ObjectLead: crm.PublicReadWrite})
	tests := []struct {
		name        string
		user, owner string
		obj         crm.Object
		want        bool
	}{
		{"own record", "u-rep", "u-rep", crm.ObjectContact, true},
		{"manager", "u-mgr", "u-rep", crm.ObjectContact, true},
		{"three levels", "u-ceo", "u-rep", crm.ObjectOpportunity, true},
		{"peer", "u-rep", "u-rep2", crm.ObjectContact, false},
		{"upwards", "u-rep", "u-mgr", crm.ObjectContact, false},
		{"other branch", "u-mkt", "u-rep", crm.ObjectContact, false},
		{"public read", "u-mkt", "u-rep", crm.ObjectAccount, true},
		{"public read write", "u-rep", "u-ceo", crm.ObjectLead, true},
		{"inactive viewer", "u-gone", "u-rep", crm.ObjectContact, false},
		{"inactive viewer, public", "u-gone", "u-rep", crm.ObjectAccount, false},
		{"inactive viewer, own", "u-gone", "u-gone", crm.ObjectContact, false},
		{"unknown viewer", "nobody", "u-rep", crm.ObjectAccount, false},
		{"empty viewer", "", "", crm.ObjectContact, false},
		{"unknown owner", "u-ceo", "nobody", crm.ObjectContact, false},
		{"owner without role", "u-ceo", "u-norole", crm.ObjectContact, false},
		{"viewer without role sees own", "u-norole", "u-norole", crm.ObjectContact, true},
		{"viewer without role", "u-norole", "u-rep", crm.ObjectContact, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, v.CanSee(tc.user, tc.owner, tc.obj), "CanSee(%q, %q, %s)", tc.user, tc.owner, tc.obj)
		})
	}
}

func TestVisibilityBusinessUnits(t *testing.T) {
	units := []crm.Role{{ID: "root"}, {ID: "emea", ParentID: "root"}, {ID: "fr", ParentID: "emea"}, {ID: "us", ParentID: "root"}}
	users := []crm.User{
		{ID: "a", BusinessUnitID: "emea", IsActive: true},
		{ID: "b", BusinessUnitID: "emea", IsActive: true},
		{ID: "c", BusinessUnitID: "fr", IsActive: true},
		{ID: "d", BusinessUnitID: "us", IsActive: true},
		{ID: "r", BusinessUnitID: "root", IsActive: true},
	}
	v := crm.NewVisibility(users, units, nil)
	tests := []struct {
		user, owner string
		want        bool
	}{
		{"a", "b", true},  // same unit
		{"a", "c", true},  // child unit
		{"c", "a", false}, // parent unit
		{"a", "d", false}, // sibling unit
		{"r", "c", true},  // two levels
		{"d", "d", true},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, v.CanSee(tc.user, tc.owner, crm.ObjectContact), "CanSee(%q, %q)", tc.user, tc.owner)
	}
}

func TestVisibilityCycles(t *testing.T) {
	roles := []crm.Role{
		{ID: "a", ParentID: "b"}, {ID: "b", ParentID: "c"}, {ID: "c", ParentID: "a"}, // a cycle
		{ID: "self", ParentID: "self"},
		{ID: "leaf", ParentID: "a"},
		{ID: "orphan", ParentID: "missing"},
	}
	users := []crm.User{
		{ID: "ua", RoleID: "a", IsActive: true}, {ID: "uc", RoleID: "c", IsActive: true},
		{ID: "uself", RoleID: "self", IsActive: true}, {ID: "uleaf", RoleID: "leaf", IsActive: true},
		{ID: "uorphan", RoleID: "orphan", IsActive: true},
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		v := crm.NewVisibility(users, roles, nil)
		assert.True(t, v.CanSee("ua", "uleaf", crm.ObjectContact), "leaf is below a")
		assert.True(t, v.CanSee("uc", "uleaf", crm.ObjectContact), "leaf is below c through the cycle")
		assert.False(t, v.CanSee("uself", "ua", crm.ObjectContact))
		assert.False(t, v.CanSee("uorphan", "ua", crm.ObjectContact))
		assert.False(t, v.CanSee("uleaf", "ua", crm.ObjectContact))
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("a role cycle made NewVisibility or CanSee loop")
	}
}

func TestFilterVisible(t *testing.T) {
	users := []crm.User{{ID: "boss", RoleID: "r1", IsActive: true}, {ID: "rep", RoleID: "r2", IsActive: true}}
	roles := []crm.Role{{ID: "r1"}, {ID: "r2", ParentID: "r1"}}
	v := crm.NewVisibility(users, roles, nil)
	contacts := []crm.Contact{{ID: "c1", OwnerID: "boss"}, {ID: "c2", OwnerID: "rep"}, {ID: "c3", OwnerID: "other"}}
	owner := func(c crm.Contact) string { return c.OwnerID }

	got, err := crm.Collect(crm.FilterVisible(seqOf(t.Context(), contacts, nil), v, "rep", owner, crm.ObjectContact))
	require.NoError(t, err)
	assert.Equal(t, []crm.Contact{{ID: "c2", OwnerID: "rep"}}, got)

	got, err = crm.Collect(crm.FilterVisible(seqOf(t.Context(), contacts, nil), v, "boss", owner, crm.ObjectContact))
	require.NoError(t, err)
	assert.Len(t, got, 2)

	boom := errors.New("boom")
	_, err = crm.Collect(crm.FilterVisible(seqOf(t.Context(), contacts, boom), v, "rep", owner, crm.ObjectContact))
	assert.ErrorIs(t, err, boom, "errors pass through")

	n := 0
	for range crm.FilterVisible(seqOf(t.Context(), contacts, nil), v, "boss", owner, crm.ObjectContact) {
		n++
		break
	}
	assert.Equal(t, 1, n, "break is safe")
}

func TestVisibilityConcurrent(t *testing.T) {
	users := []crm.User{{ID: "boss", RoleID: "r1", IsActive: true}, {ID: "rep", RoleID: "r2", IsActive: true}}
	v := crm.NewVisibility(users, []crm.Role{{ID: "r1"}, {ID: "r2", ParentID: "r1"}}, nil)
	done := make(chan bool)
	for range 8 {
		go func() {
			ok := true
			for range 1000 {
				ok = ok && v.CanSee("boss", "rep", crm.ObjectContact) && !v.CanSee("rep", "boss", crm.ObjectContact)
			}
			done <- ok
		}()
	}
	for range 8 {
		assert.True(t, <-done)
	}
}

func TestMapSeats(t *testing.T) {
	users := []crm.User{
		{ID: "u1", Email: "Ada@Example.com", IsActive: true},
		{ID: "u2", Email: "  bob@example.com ", IsActive: true},
		{ID: "u3", Email: "dup@example.com", IsActive: true},
		{ID: "u4", Email: "DUP@example.com", IsActive: true},
		{ID: "u5", Email: "gone@example.com", IsActive: false},
		{ID: "u6", Email: "", IsActive: true},
		{ID: "u7", Email: "noseat@example.com", IsActive: true},
		{ID: "u8", Email: "eve@example.com", IsActive: true},
	}
	seats := []string{"ada@example.COM", "bob@example.com", "dup@example.com", "gone@example.com", "", "  ", "Eve@example.com", "eve@example.com "}
	got := crm.MapSeats(users, seats)
	assert.Equal(t, map[string]string{
		"u1": "ada@example.COM",
		"u2": "bob@example.com",
		"u8": "Eve@example.com", // listed twice: first spelling kept
	}, got)
	assert.Empty(t, crm.MapSeats(nil, seats))
	assert.Empty(t, crm.MapSeats(users, nil))
}

func benchOrg() ([]crm.User, []crm.Role) {
	// A binary tree of 1023 roles (10 levels), one user per role.
	var roles []crm.Role
	var users []crm.User
	for i := range 1023 {
		r := crm.Role{ID: fmt.Sprint("00E", i)}
		if i > 0 {
			r.ParentID = fmt.Sprint("00E", (i-1)/2)
		}
		roles = append(roles, r)
		users = append(users, crm.User{ID: fmt.Sprint("005", i), RoleID: r.ID, IsActive: true})
	}
	return users, roles
}

func BenchmarkCanSee(b *testing.B) {
	users, roles := benchOrg()
	v := crm.NewVisibility(users, roles, nil)
	b.ReportAllocs()
	for b.Loop() {
		if !v.CanSee("0050", "0051022", crm.ObjectContact) || v.CanSee("0051", "0051022", crm.ObjectContact) {
			b.Fatal("wrong answer")
		}
	}
}

// BenchmarkCanSeeNaive is the baseline: walking up the owner's role chain on every call.
func BenchmarkCanSeeNaive(b *testing.B) {
	users, roles := benchOrg()
	byID := map[string]crm.User{}
	for _, u := range users {
		byID[u.ID] = u
	}
	parent := map[string]string{}
	for _, r := range roles {
		parent[r.ID] = r.ParentID
	}
	canSee := func(viewer, owner string) bool {
		top, node := byID[viewer].RoleID, byID[owner].RoleID
		seen := map[string]bool{}
		for p := parent[node]; p != "" && !seen[p]; p = parent[p] {
			if p == top {
				return true
			}
			seen[p] = true
		}
		return false
	}
	b.ReportAllocs()
	for b.Loop() {
		if !canSee("0050", "0051022") || canSee("0051", "0051022") {
			b.Fatal("wrong answer")
		}
	}
}

func BenchmarkNewVisibility(b *testing.B) {
	users, roles := benchOrg()
	b.ReportAllocs()
	for b.Loop() {
		crm.NewVisibility(users, roles, nil)
	}
}
