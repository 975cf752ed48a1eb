package dynamics_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/sourcetest"
)

const (
	campaignTeam = "7d6f5e1a-0000-0000-0000-000000000001" // owner team in Marketing (RoleID 6), members users 4 and 8
	emeaTeam     = "7d6f5e1a-0000-0000-0000-000000000002" // Entra group team in Sales Rep EMEA (RoleID 4), no members
)

// Records owned by a team are visible to its members and through the team's business unit.
func TestTeamOwnedRecords(t *testing.T) {
	f := newFakeOrg(t, fixture())
	f.loadPage("teams", "teams_page.json")
	f.loadPage("teammemberships", "teammemberships_page.json")
	acct1, acct2 := sourcetest.AccountID(1), sourcetest.AccountID(2)
	f.setOwner("accounts", acct1, campaignTeam, "team")
	f.setOwner("accounts", acct2, emeaTeam, "team")
	src := f.source(t)
	ctx := t.Context()

	teams, err := crm.Collect(src.Teams(ctx))
	require.NoError(t, err)
	assert.Equal(t, []crm.Team{
		{ID: campaignTeam, Name: "Campaign owners", BusinessUnitID: sourcetest.RoleID(6),
			MemberIDs: []string{sourcetest.UserID(4), sourcetest.UserID(8)}},
		{ID: emeaTeam, Name: "EMEA reps (Entra group)", BusinessUnitID: sourcetest.RoleID(4)},
	}, teams, "access teams own nothing and are left out")

	users, err := crm.Collect(src.Users(ctx))
	require.NoError(t, err)
	units, err := crm.Collect(src.Roles(ctx))
	require.NoError(t, err)
	v := crm.NewVisibility(users, units, nil, teams...)

	accounts, err := crm.Collect(src.Accounts(ctx, crm.Filter{IDs: []string{acct1, acct2}}))
	require.NoError(t, err)
	require.Len(t, accounts, 2)
	assert.Equal(t, campaignTeam, accounts[0].OwnerID, "the owner is the team")

	visible := func(user string) []string {
		var ids []string
		for a, err := range crm.FilterVisible(src.Accounts(ctx, crm.Filter{IDs: []string{acct1, acct2}}), v, user,
			func(a crm.Account) string { return a.OwnerID }, crm.ObjectAccount) {
			require.NoError(t, err)
			ids = append(ids, a.ID)
		}
		return ids
	}
	// Business units: 1 CEO > 2 VP Sales > 3 Sales Manager EMEA > 4 Sales Rep EMEA; 2 > 5 Sales
	// Manager US; 1 > 6 Marketing. Users 1..8 sit in units 1, 2, 3, 4, 4, 5, 6, 4; user 8 is inactive.
	tests := []struct {
		name string
		user int
		want []string
	}{
		{"member of the campaign team, in the EMEA team's unit", 4, []string{acct1, acct2}},
		{"in the EMEA team's unit only", 5, []string{acct2}},
		{"Marketing, the campaign team's unit", 7, []string{acct1}},
		{"root unit sees both through the tree", 1, []string{acct1, acct2}},
		{"EMEA manager: the EMEA team's unit is below", 3, []string{acct2}},
		{"US manager: another branch, no membership", 6, nil},
		{"inactive member", 8, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, visible(sourcetest.UserID(tc.user)))
		})
	}
	t.Run("without teams nobody sees them", func(t *testing.T) {
		bare := crm.NewVisibility(users, units, nil)
		assert.False(t, bare.CanSee(sourcetest.UserID(4), campaignTeam, crm.ObjectAccount))
		assert.False(t, bare.CanSee(sourcetest.UserID(1), campaignTeam, crm.ObjectAccount))
	})
}

// A systemuser whose isdisabled is null or missing is read as disabled: it sees nothing.
func TestUserWithoutDisabledFlag(t *testing.T) {
	f := newFakeOrg(t, fixture())
	f.editRow("systemusers", sourcetest.UserID(1), func(r map[string]any) { delete(r, "isdisabled") })
	f.editRow("systemusers", sourcetest.UserID(2), func(r map[string]any) { r["isdisabled"] = nil })
	src := f.source(t)
	users, err := crm.Collect(src.Users(t.Context()))
	require.NoError(t, err)
	active := map[string]bool{}
	for _, u := range users {
		active[u.ID] = u.IsActive
	}
	assert.False(t, active[sourcetest.UserID(1)], "missing isdisabled reads as inactive")
	assert.False(t, active[sourcetest.UserID(2)], "null isdisabled reads as inactive")
	assert.True(t, active[sourcetest.UserID(3)], "isdisabled false is active")
	assert.False(t, active[sourcetest.UserID(8)], "isdisabled true is inactive")

	v := crm.NewVisibility(users, nil, crm.OrgDefaults{crm.ObjectAccount: crm.PublicRead})
	assert.False(t, v.CanSee(sourcetest.UserID(1), sourcetest.UserID(1), crm.ObjectAccount), "sees nothing, not even public or own records")
	assert.True(t, v.CanSee(sourcetest.UserID(3), sourcetest.UserID(1), crm.ObjectAccount))
}
