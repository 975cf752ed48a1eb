package crm_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/crmlink/crmlink/crm"
)

func TestVisibilityTeams(t *testing.T) {
	units := []crm.Role{
		{ID: "bu-root"},
		{ID: "bu-sales", ParentID: "bu-root"},
		{ID: "bu-emea", ParentID: "bu-sales"},
		{ID: "bu-mkt", ParentID: "bu-root"},
	}
	users := []crm.User{
		{ID: "u-root", BusinessUnitID: "bu-root", IsActive: true},
		{ID: "u-sales", BusinessUnitID: "bu-sales", IsActive: true},
		{ID: "u-emea", BusinessUnitID: "bu-emea", IsActive: true},
		{ID: "u-emea-member", BusinessUnitID: "bu-emea", IsActive: true},
		{ID: "u-mkt", BusinessUnitID: "bu-mkt", IsActive: true},
		{ID: "u-gone-member", BusinessUnitID: "bu-emea", IsActive: false},
		{ID: "u-role-member", RoleID: "r1", IsActive: true},
		{ID: "u-role", RoleID: "r1", IsActive: true},
	}
	teams := []crm.Team{
		{ID: "t-mkt", Name: "Campaigns", BusinessUnitID: "bu-mkt", MemberIDs: []string{"u-emea-member", "u-gone-member", "u-role-member"}},
		{ID: "t-emea", Name: "EMEA default", BusinessUnitID: "bu-emea"},
		{ID: "u-sales", Name: "a team whose ID is a user's is ignored", BusinessUnitID: "bu-mkt", MemberIDs: []string{"u-mkt"}},
	}
	v := crm.NewVisibility(users, units, crm.OrgDefaults{crm.ObjectLead: crm.PublicRead}, teams...)
	tests := []struct {
		name        string
		user, owner string
		obj         crm.Object
		want        bool
	}{
		{"member of the owning team", "u-emea-member", "t-mkt", crm.ObjectAccount, true},
		{"same business unit as the team", "u-mkt", "t-mkt", crm.ObjectAccount, true},
		{"team's unit below the viewer's", "u-root", "t-mkt", crm.ObjectAccount, true},
		{"other branch, not a member", "u-sales", "t-mkt", crm.ObjectAccount, false},
		{"team's unit above the viewer's", "u-emea", "t-mkt", crm.ObjectAccount, false},
		{"inactive member", "u-gone-member", "t-mkt", crm.ObjectAccount, false},
		{"member placed in a role hierarchy", "u-role-member", "t-mkt", crm.ObjectAccount, true},
		{"role-hierarchy user, not a member", "u-role", "t-mkt", crm.ObjectAccount, false},
		{"team without members, viewer's unit above", "u-sales", "t-emea", crm.ObjectContact, true},
		{"team without members, other branch", "u-mkt", "t-emea", crm.ObjectContact, false},
		{"unknown owner", "u-root", "t-unknown", crm.ObjectAccount, false},
		{"public object", "u-sales", "t-mkt", crm.ObjectLead, true},
		{"user ID wins over a team with the same ID", "u-mkt", "u-sales", crm.ObjectAccount, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, v.CanSee(tc.user, tc.owner, tc.obj))
		})
	}
	t.Run("without teams a team-owned record is hidden", func(t *testing.T) {
		bare := crm.NewVisibility(users, units, nil)
		assert.False(t, bare.CanSee("u-emea-member", "t-mkt", crm.ObjectAccount))
		assert.False(t, bare.CanSee("u-root", "t-mkt", crm.ObjectAccount))
	})
	t.Run("inputs are copied", func(t *testing.T) {
		ts := []crm.Team{{ID: "t1", BusinessUnitID: "bu-mkt", MemberIDs: []string{"u-sales"}}}
		v := crm.NewVisibility(users, units, nil, ts...)
		ts[0].MemberIDs[0] = "u-emea"
		assert.True(t, v.CanSee("u-sales", "t1", crm.ObjectAccount))
		assert.False(t, v.CanSee("u-emea", "t1", crm.ObjectAccount))
	})
}
