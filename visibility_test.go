package crmlink_test

import (
	"context"
	"errors"
	"iter"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/csvsource"
	"github.com/crmlink/crmlink/crm/sourcetest"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/override"
)

// teamSource is a CSV source that also lists Dataverse owner teams (csvsource has no teams file),
// as the dynamics driver does.
type teamSource struct {
	*csvsource.Source
	teams []crm.Team
}

func (s teamSource) Teams(context.Context) iter.Seq2[crm.Team, error] {
	return func(yield func(crm.Team, error) bool) {
		for _, t := range s.teams {
			if !yield(t, nil) {
				return
			}
		}
	}
}

const teamID = "team-marketing"

// visibilityFixture is the sync fixture with a contact owned by an unknown user, one owned by
// nobody and one owned by a team of the Marketing unit whose only member is user 4.
func visibilityFixture() *sourcetest.Dataset {
	ds := syncFixture()
	n := len(ds.Contacts)
	ds.Contacts[n-1].OwnerID = sourcetest.UserID(99)
	ds.Contacts[n-2].OwnerID = ""
	ds.Contacts[n-3].OwnerID = teamID
	return ds
}

type visEnv struct {
	ds    *sourcetest.Dataset
	r     *crmlink.Resolver
	store *override.Store
}

// newVisEnv syncs ds with an access index (every user but unseated holds a seat) and returns a
// Resolver enforcing it.
func newVisEnv(t *testing.T, ds *sourcetest.Dataset, defaults crm.OrgDefaults, unseated string) visEnv {
	t.Helper()
	src, _ := fixtureSource(t, ds)
	team := crm.Team{ID: teamID, BusinessUnitID: sourcetest.RoleID(6), MemberIDs: []string{sourcetest.UserID(4)}}
	var seats []string
	for _, u := range ds.Users {
		if u.ID != unseated {
			seats = append(seats, strings.ToUpper(u.Email)) // seats are matched ignoring case
		}
	}
	dir, _ := fixtureDirectory(t, ds)
	eng, err := matcher.New(dir)
	require.NoError(t, err)
	store := override.NewMemory()
	t.Cleanup(func() { _ = store.Close() })
	access := crmlink.NewAccess()
	s, err := crmlink.NewSyncer(teamSource{src, []crm.Team{team}}, eng, store, ds.Org, crmlink.WithAccess(access, defaults, seats))
	require.NoError(t, err)
	st, err := s.Run(t.Context())
	require.NoError(t, err)
	require.Positive(t, st.Total().Written)
	owned := 0
	for _, o := range slices.Concat(ownersOf(ds.Accounts, func(a crm.Account) string { return a.OwnerID }),
		ownersOf(ds.Contacts, func(c crm.Contact) string { return c.OwnerID }),
		ownersOf(ds.Leads, func(l crm.Lead) string { return l.OwnerID })) {
		if o != "" {
			owned++
		}
	}
	assert.Equal(t, owned, access.Len(ds.Org), "owners indexed")
	r, err := crmlink.NewResolver(store, eng, crmlink.WithVisibility(access))
	require.NoError(t, err)
	return visEnv{ds: ds, r: r, store: store}
}

func ownersOf[T any](rs []T, owner func(T) string) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = owner(r)
	}
	return out
}

// recordOwnedBy returns a record of object o owned by owner.
func recordOwnedBy(ds *sourcetest.Dataset, o crm.Object, owner string) (override.RecordRef, bool) {
	ref := func(obj override.Object, id string) (override.RecordRef, bool) {
		return override.RecordRef{Org: ds.Org, Object: obj, ID: id}, true
	}
	switch o {
	case crm.ObjectAccount:
		for _, a := range ds.Accounts {
			if a.OwnerID == owner {
				return ref(override.Account, a.ID)
			}
		}
	case crm.ObjectContact:
		for _, c := range ds.Contacts {
			if c.OwnerID == owner {
				return ref(override.Contact, c.ID)
			}
		}
	case crm.ObjectLead:
		for _, l := range ds.Leads {
			if l.OwnerID == owner {
				return ref(override.Lead, l.ID)
			}
		}
	}
	return override.RecordRef{}, false
}

// resolveAs resolves rec as the CRM user user of rec's org.
func resolveAs(ctx context.Context, r *crmlink.Resolver, user string, rec override.RecordRef) error {
	viewer := crmlink.Viewer{Org: rec.Org, User: user}
	if rec.Object == override.Account {
		_, err := r.ResolveCompany(ctx, viewer, rec, matcher.CompanyQuery{Name: "Anything"})
		return err
	}
	_, err := r.ResolveMember(ctx, viewer, rec, matcher.MemberQuery{FirstName: "Any", LastName: "One"})
	return err
}

// TestVisibilityThroughResolver runs the fixture's visibility answers through the Resolver,
// after a sync built the access index, for both CRMs' shapes: the Salesforce role hierarchy
// and the Dynamics business-unit tree with an owner team.
func TestVisibilityThroughResolver(t *testing.T) {
	for _, shape := range []string{"salesforce roles", "dynamics business units"} {
		t.Run(shape, func(t *testing.T) {
			ds := visibilityFixture()
			bu := shape == "dynamics business units"
			if bu {
				ds = ds.WithBusinessUnits()
			}
			e := newVisEnv(t, ds, ds.Defaults, "")
			ctx := t.Context()
			checked := 0
			for _, vc := range ds.Expected.Visibility {
				rec, ok := recordOwnedBy(ds, vc.Object, vc.Owner)
				if !ok {
					continue // opportunities are not resolved
				}
				want := vc.Want
				if bu {
					want = vc.WantBusinessUnit
				}
				err := resolveAs(ctx, e.r, vc.User, rec)
				if want {
					assert.NoError(t, err, "%s: %s as %s", vc.Name, rec, vc.User)
				} else {
					assert.ErrorIs(t, err, crmlink.ErrNoAccess, "%s: %s as %s", vc.Name, rec, vc.User)
				}
				checked++
			}
			assert.GreaterOrEqual(t, checked, 13, "visibility cases checked")

			teamRec, ok := recordOwnedBy(ds, crm.ObjectContact, teamID)
			require.True(t, ok)
			assert.NoError(t, resolveAs(ctx, e.r, sourcetest.UserID(4), teamRec), "a team member sees the team's record")
			if bu {
				assert.NoError(t, resolveAs(ctx, e.r, sourcetest.UserID(7), teamRec), "the team's business unit sees it")
				assert.NoError(t, resolveAs(ctx, e.r, sourcetest.UserID(1), teamRec), "the root unit sees it")
			}
			assert.ErrorIs(t, resolveAs(ctx, e.r, sourcetest.UserID(3), teamRec), crmlink.ErrNoAccess, "another branch")

			// A record never synced has no known owner: hidden even from the top.
			unknown := override.RecordRef{Org: ds.Org, Object: override.Contact, ID: "003NEVERSYNCED0AAA"}
			assert.ErrorIs(t, resolveAs(ctx, e.r, sourcetest.UserID(1), unknown), crmlink.ErrNoAccess)
			// Another org: nothing synced there, nothing visible.
			other := override.RecordRef{Org: "00DOTHER", Object: override.Account, ID: ds.Accounts[0].ID}
			assert.ErrorIs(t, resolveAs(ctx, e.r, sourcetest.UserID(1), other), crmlink.ErrNoAccess)
			// A user of this org asking for the other org's record, same IDs: refused.
			_, err := e.r.ResolveCompany(ctx, crmlink.Viewer{Org: ds.Org, User: sourcetest.UserID(1)}, other, matcher.CompanyQuery{Name: "Anything"})
			assert.ErrorIs(t, err, crmlink.ErrNoAccess)
		})
	}
}

// TestVisibilityPrivateDefaults shows the org-wide defaults at work: with accounts private, the
// user who saw every account under public read sees only their own and their reports'.
func TestVisibilityPrivateDefaults(t *testing.T) {
	ds := visibilityFixture()
	e := newVisEnv(t, ds, crm.OrgDefaults{}, "")
	ctx := t.Context()
	u7 := sourcetest.UserID(7) // Marketing, owns some accounts, no reports
	seen, hidden := 0, 0
	for _, a := range ds.Accounts {
		rec := override.RecordRef{Org: ds.Org, Object: override.Account, ID: a.ID}
		err := resolveAs(ctx, e.r, u7, rec)
		if a.OwnerID == u7 {
			assert.NoError(t, err, "own account %s", a.ID)
			seen++
		} else {
			assert.ErrorIs(t, err, crmlink.ErrNoAccess, "account %s of %s", a.ID, a.OwnerID)
			hidden++
		}
	}
	assert.Positive(t, seen)
	assert.Positive(t, hidden)
	// Public read: the same user sees every account.
	pub := newVisEnv(t, visibilityFixture(), crm.OrgDefaults{crm.ObjectAccount: crm.PublicRead}, "")
	for _, a := range ds.Accounts {
		assert.NoError(t, resolveAs(ctx, pub.r, u7, override.RecordRef{Org: ds.Org, Object: override.Account, ID: a.ID}))
	}
}

// TestVisibilityUnseatedAndSecrecy checks that an active user without a seat sees nothing, and
// that a refused viewer cannot tell a record with a mapping from one without: same error class,
// same text but for the record ID, and Correct and Reject refused alike, writing nothing.
func TestVisibilityUnseatedAndSecrecy(t *testing.T) {
	ds := visibilityFixture()
	u1 := sourcetest.UserID(1)
	e := newVisEnv(t, ds, ds.Defaults, u1)
	ctx := t.Context()
	var mapped, unmapped override.RecordRef
	for _, a := range ds.Accounts {
		rec := override.RecordRef{Org: ds.Org, Object: override.Account, ID: a.ID}
		_, ok, err := e.store.Get(ctx, rec)
		require.NoError(t, err)
		if ok && mapped.ID == "" {
			mapped = rec
		}
		if !ok && unmapped.ID == "" {
			unmapped = rec
		}
	}
	require.NotEmpty(t, mapped.ID)
	require.NotEmpty(t, unmapped.ID)

	// The CEO would see everything by the CRM's rules, but holds no seat.
	for _, rec := range []override.RecordRef{mapped, unmapped} {
		assert.ErrorIs(t, resolveAs(ctx, e.r, u1, rec), crmlink.ErrNoAccess, "unseated user, %s", rec)
	}
	// User 7 (Marketing) sees accounts (public read) but no contact of another branch.
	hide := func(rec override.RecordRef) error {
		return resolveAs(ctx, e.r, sourcetest.UserID(99), rec)
	}
	e1, e2 := hide(mapped), hide(unmapped)
	var a1, a2 *crmlink.AccessError
	require.True(t, errors.As(e1, &a1))
	require.True(t, errors.As(e2, &a2))
	assert.Equal(t, strings.ReplaceAll(e1.Error(), mapped.ID, "ID"), strings.ReplaceAll(e2.Error(), unmapped.ID, "ID"),
		"the refusal reads the same with and without a mapping")

	before, err := e.store.Count(ctx, ds.Org)
	require.NoError(t, err)
	ent := override.EntityRef{Kind: override.Company, ID: "co-x"}
	assert.ErrorIs(t, e.r.Correct(ctx, crmlink.Viewer{Org: ds.Org, User: u1}, mapped, ent), crmlink.ErrNoAccess)
	assert.ErrorIs(t, e.r.Reject(ctx, crmlink.Viewer{Org: ds.Org, User: ""}, mapped, ent), crmlink.ErrNoAccess)
	after, err := e.store.Count(ctx, ds.Org)
	require.NoError(t, err)
	assert.Equal(t, before, after, "refused writes wrote nothing")

	// A Resolver given no visibility lets nobody see anything.
	closed, err := crmlink.NewResolver(e.store, mustEngine(t, ds))
	require.NoError(t, err)
	assert.ErrorIs(t, resolveAs(ctx, closed, sourcetest.UserID(4), mapped), crmlink.ErrNoAccess)
}

func mustEngine(t *testing.T, ds *sourcetest.Dataset) *matcher.Engine {
	dir, _ := fixtureDirectory(t, ds)
	eng, err := matcher.New(dir)
	require.NoError(t, err)
	return eng
}
