package crmlink_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
	"github.com/crmlink/crmlink/override"
)

const org = "00Dorg1"

var (
	acme      = override.EntityRef{Kind: override.Company, ID: "c1"}
	globex    = override.EntityRef{Kind: override.Company, ID: "c2"}
	initech   = override.EntityRef{Kind: override.Company, ID: "c3"}
	acmeLogis = override.EntityRef{Kind: override.Company, ID: "c4"}
	ada       = override.EntityRef{Kind: override.Member, ID: "m1"}

	account = override.RecordRef{Org: org, Object: override.Account, ID: "001A"}
	contact = override.RecordRef{Org: org, Object: override.Contact, ID: "003A"}

	acmeQuery = matcher.CompanyQuery{Name: "ACME Corp.", Website: "www.acme.com"}
	adaQuery  = matcher.MemberQuery{FirstName: "Ada", LastName: "Lovelace", Company: "Acme", Email: "ada.lovelace@acme.com"}
)

// newEngine returns an engine over a small directory in which acmeQuery matches acme and
// adaQuery matches ada.
func newEngine(t testing.TB, opts ...matcher.Option) *matcher.Engine {
	t.Helper()
	dir := memdir.New()
	for _, c := range []matcher.Company{
		{ID: "c1", Name: "Acme Corporation", Website: "acme.com", Location: "Paris, France"},
		{ID: "c2", Name: "Globex Corporation", Website: "globex.com"},
		{ID: "c3", Name: "Initech", Website: "initech.com"},
		{ID: "c4", Name: "Acme Logistics", Website: "acme-logistics.com"},
	} {
		require.NoError(t, dir.AddCompany(c))
	}
	h, _ := matcher.HashEmail("ada.lovelace@acme.com")
	require.NoError(t, dir.AddMember(matcher.Member{ID: "m1", FirstName: "Ada", LastName: "Lovelace", Company: "Acme Corporation", EmailHash: h}))
	require.NoError(t, dir.AddMember(matcher.Member{ID: "m2", FirstName: "Grace", LastName: "Hopper", Company: "Globex"}))
	eng, err := matcher.New(dir, opts...)
	require.NoError(t, err)
	return eng
}

func put(t testing.TB, st *override.Store, rec override.RecordRef, e override.EntityRef, src override.Source, rejected bool) {
	t.Helper()
	require.NoError(t, st.Put(context.Background(), override.Mapping{Record: rec, Entity: e, Source: src, Rejected: rejected}))
}

func candidateIDs(res *matcher.Result) []string {
	var ids []string
	for _, c := range res.Candidates {
		ids = append(ids, c.Entity.ID)
	}
	return ids
}

func TestResolveCompanyPrecedence(t *testing.T) {
	eng := newEngine(t)
	otherOrg := account
	otherOrg.Org = "00Dorg2"
	tests := []struct {
		name       string
		setup      func(t *testing.T, st *override.Store)
		syncOff    bool
		wantVia    crmlink.Via
		wantEntity override.EntityRef
		wantFound  bool
		notIn      string // an entity ID that must not be among the candidates
	}{
		{name: "fuzzy when nothing stored", wantVia: crmlink.ViaMatch, wantEntity: acme, wantFound: true},
		{
			name:    "sync beats fuzzy",
			setup:   func(t *testing.T, st *override.Store) { put(t, st, account, globex, override.Sync, false) },
			wantVia: crmlink.ViaSync, wantEntity: globex, wantFound: true,
		},
		{
			name: "manual beats sync",
			setup: func(t *testing.T, st *override.Store) {
				put(t, st, account, globex, override.Sync, false)
				put(t, st, account, initech, override.Manual, false)
			},
			wantVia: crmlink.ViaManual, wantEntity: initech, wantFound: true,
		},
		{
			name:    "sync ignored when disabled for the org",
			setup:   func(t *testing.T, st *override.Store) { put(t, st, account, globex, override.Sync, false) },
			syncOff: true, wantVia: crmlink.ViaMatch, wantEntity: acme, wantFound: true,
		},
		{
			name:    "manual still wins when sync is disabled",
			setup:   func(t *testing.T, st *override.Store) { put(t, st, account, initech, override.Manual, false) },
			syncOff: true, wantVia: crmlink.ViaManual, wantEntity: initech, wantFound: true,
		},
		{
			name: "rejected sync mapping is not used",
			setup: func(t *testing.T, st *override.Store) {
				put(t, st, account, globex, override.Sync, false)
				put(t, st, account, globex, override.Manual, true)
			},
			wantVia: crmlink.ViaMatch, wantEntity: acme, wantFound: true,
		},
		{
			name:    "rejected best is never proposed",
			setup:   func(t *testing.T, st *override.Store) { put(t, st, account, acme, override.Manual, true) },
			wantVia: crmlink.ViaMatch, wantFound: false, notIn: "c1",
		},
		{
			name:    "rejected runner-up is filtered, the match stands",
			setup:   func(t *testing.T, st *override.Store) { put(t, st, account, acmeLogis, override.Manual, true) },
			wantVia: crmlink.ViaMatch, wantEntity: acme, wantFound: true, notIn: "c4",
		},
		{
			name:    "another org's mapping is not used",
			setup:   func(t *testing.T, st *override.Store) { put(t, st, otherOrg, initech, override.Manual, false) },
			wantVia: crmlink.ViaMatch, wantEntity: acme, wantFound: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := override.NewMemory()
			if tc.setup != nil {
				tc.setup(t, st)
			}
			r, err := crmlink.NewResolver(st, eng, crmlink.WithSyncEnabled(func(o string) bool { return !(tc.syncOff && o == org) }), crmlink.WithoutVisibility())
			require.NoError(t, err)
			got, err := r.ResolveCompany(t.Context(), viewerOf(account), account, acmeQuery)
			require.NoError(t, err)
			assert.Equal(t, tc.wantVia, got.Via, "Via")
			assert.Equal(t, tc.wantFound, got.Found, "Found")
			assert.Equal(t, tc.wantEntity, got.Entity, "Entity")
			if tc.wantVia == crmlink.ViaMatch {
				require.NotNil(t, got.Result)
				assert.Equal(t, tc.wantFound, got.Result.Decision == matcher.Match, "decision %v", got.Result.Decision)
				if got.Result.Best != nil {
					assert.Equal(t, got.Result.Candidates[0].Entity, got.Result.Best.Entity)
				}
			} else {
				assert.Nil(t, got.Result)
			}
			if tc.notIn != "" {
				assert.NotContains(t, candidateIDs(got.Result), tc.notIn)
			}
		})
	}
}

func TestResolveMember(t *testing.T) {
	eng := newEngine(t)
	st := override.NewMemory()
	r, err := crmlink.NewResolver(st, eng, crmlink.WithoutVisibility())
	require.NoError(t, err)
	got, err := r.ResolveMember(t.Context(), viewerOf(contact), contact, adaQuery)
	require.NoError(t, err)
	assert.Equal(t, crmlink.Resolution{Via: crmlink.ViaMatch, Entity: ada, Found: true, Result: got.Result}, got)

	lead := override.RecordRef{Org: org, Object: override.Lead, ID: "00QA"}
	grace := override.EntityRef{Kind: override.Member, ID: "m2"}
	require.NoError(t, r.Correct(t.Context(), crmlink.Viewer{Org: lead.Org, User: "005U1"}, lead, grace))
	got, err = r.ResolveMember(t.Context(), viewerOf(lead), lead, adaQuery)
	require.NoError(t, err)
	assert.Equal(t, crmlink.Resolution{Via: crmlink.ViaManual, Entity: grace, Found: true}, got)
	m, ok, err := st.GetSource(t.Context(), lead, override.Manual)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, "005U1", m.UpdatedBy)
}

// TestCorrectReject walks a record through a user's corrections and rejections.
func TestCorrectReject(t *testing.T) {
	ctx := t.Context()
	st := override.NewMemory()
	r, err := crmlink.NewResolver(st, newEngine(t), crmlink.WithoutVisibility())
	require.NoError(t, err)
	resolve := func() crmlink.Resolution {
		t.Helper()
		got, err := r.ResolveCompany(ctx, viewerOf(account), account, acmeQuery)
		require.NoError(t, err)
		return got
	}

	got := resolve()
	require.Equal(t, crmlink.ViaMatch, got.Via)
	require.Equal(t, acme, got.Entity)

	// Rejecting the fuzzy match: never proposed again.
	require.NoError(t, r.Reject(ctx, crmlink.Viewer{Org: account.Org, User: "005U1"}, account, acme))
	got = resolve()
	assert.False(t, got.Found)
	assert.NotEqual(t, matcher.Match, got.Result.Decision)
	assert.NotContains(t, candidateIDs(got.Result), "c1")

	// The user changes their mind and picks it: the rejection is lifted.
	require.NoError(t, r.Correct(ctx, crmlink.Viewer{Org: account.Org, User: "005U1"}, account, acme))
	rejected, err := st.Rejected(ctx, account, acme)
	require.NoError(t, err)
	assert.False(t, rejected, "Rejected after Correct")
	assert.Equal(t, crmlink.Resolution{Via: crmlink.ViaManual, Entity: acme, Found: true}, resolve())

	// A sync mapping exists; rejecting the manual one deletes it and falls back to sync.
	put(t, st, account, globex, override.Sync, false)
	require.NoError(t, r.Reject(ctx, crmlink.Viewer{Org: account.Org, User: "005U1"}, account, acme))
	_, ok, err := st.GetSource(ctx, account, override.Manual)
	require.NoError(t, err)
	assert.False(t, ok, "manual mapping left after Reject")
	assert.Equal(t, crmlink.Resolution{Via: crmlink.ViaSync, Entity: globex, Found: true}, resolve())

	// Rejecting the sync mapping deletes it: back to fuzzy, both rejected entities filtered.
	require.NoError(t, r.Reject(ctx, crmlink.Viewer{Org: account.Org, User: viewer}, account, globex))
	_, ok, err = st.GetSource(ctx, account, override.Sync)
	require.NoError(t, err)
	assert.False(t, ok, "sync mapping left after Reject")
	got = resolve()
	assert.Equal(t, crmlink.ViaMatch, got.Via)
	assert.NotContains(t, candidateIDs(got.Result), "c1")
	assert.NotContains(t, candidateIDs(got.Result), "c2")
	rej, err := st.Rejections(ctx, account)
	require.NoError(t, err)
	assert.Equal(t, []override.EntityRef{acme, globex}, rej)

	// Rejecting an entity that is not the mapping leaves the mapping alone.
	require.NoError(t, r.Correct(ctx, crmlink.Viewer{Org: account.Org, User: viewer}, account, initech))
	require.NoError(t, r.Reject(ctx, crmlink.Viewer{Org: account.Org, User: viewer}, account, acmeLogis))
	assert.Equal(t, crmlink.Resolution{Via: crmlink.ViaManual, Entity: initech, Found: true}, resolve())
}

func TestResolverValidation(t *testing.T) {
	ctx := t.Context()
	st := override.NewMemory()
	r, err := crmlink.NewResolver(st, newEngine(t), crmlink.WithoutVisibility())
	require.NoError(t, err)
	lead := override.RecordRef{Org: org, Object: override.Lead, ID: "00QA"}
	opp := override.RecordRef{Org: org, Object: override.Opportunity, ID: "006A"}
	noID := override.RecordRef{Org: org, Object: override.Account}
	badObject := override.RecordRef{Org: org, Object: "case", ID: "500A"}
	tests := []struct {
		name     string
		call     func() error
		wantKind bool // a *KindError, else an override.ErrInvalid
	}{
		{"company of a contact", func() error { _, err := r.ResolveCompany(ctx, viewerOf(contact), contact, acmeQuery); return err }, true},
		{"company of a lead", func() error { _, err := r.ResolveCompany(ctx, viewerOf(lead), lead, acmeQuery); return err }, true},
		{"member of an account", func() error { _, err := r.ResolveMember(ctx, viewerOf(account), account, adaQuery); return err }, true},
		{"member of an opportunity", func() error { _, err := r.ResolveMember(ctx, viewerOf(opp), opp, adaQuery); return err }, true},
		{"correct account to member", func() error { return r.Correct(ctx, crmlink.Viewer{Org: account.Org, User: viewer}, account, ada) }, true},
		{"correct contact to company", func() error { return r.Correct(ctx, crmlink.Viewer{Org: contact.Org, User: viewer}, contact, acme) }, true},
		{"reject lead's company", func() error { return r.Reject(ctx, crmlink.Viewer{Org: lead.Org, User: viewer}, lead, acme) }, true},
		{"correct to unknown kind", func() error {
			return r.Correct(ctx, crmlink.Viewer{Org: account.Org, User: viewer}, account, override.EntityRef{Kind: "group", ID: "g1"})
		}, true},
		{"resolve without record ID", func() error { _, err := r.ResolveCompany(ctx, viewerOf(noID), noID, acmeQuery); return err }, false},
		{"resolve unknown object", func() error { _, err := r.ResolveCompany(ctx, viewerOf(badObject), badObject, acmeQuery); return err }, false},
		{"correct without entity ID", func() error {
			return r.Correct(ctx, crmlink.Viewer{Org: account.Org, User: viewer}, account, override.EntityRef{Kind: override.Company})
		}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			require.Error(t, err)
			var ke *crmlink.KindError
			if tc.wantKind {
				assert.ErrorIs(t, err, crmlink.ErrKindMismatch)
				require.ErrorAs(t, err, &ke)
				assert.NotEmpty(t, ke.Op)
			} else {
				assert.ErrorIs(t, err, override.ErrInvalid)
				assert.False(t, errors.As(err, &ke), "unexpected KindError: %v", err)
			}
			n, err := st.Count(ctx, org)
			require.NoError(t, err)
			assert.Zero(t, n, "mappings written by a failed call")
		})
	}
}

func TestResolverErrors(t *testing.T) {
	eng := newEngine(t)
	_, err := crmlink.NewResolver(nil, eng, crmlink.WithoutVisibility())
	assert.ErrorIs(t, err, crmlink.ErrNilArgument)
	_, err = crmlink.NewResolver(override.NewMemory(), nil, crmlink.WithoutVisibility())
	assert.ErrorIs(t, err, crmlink.ErrNilArgument)

	r, err := crmlink.NewResolver(override.NewMemory(), eng, crmlink.WithoutVisibility())
	require.NoError(t, err)
	_, err = r.ResolveCompany(t.Context(), viewerOf(account), account, matcher.CompanyQuery{})
	assert.ErrorIs(t, err, matcher.ErrEmptyQuery)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = r.ResolveMember(ctx, viewerOf(contact), contact, adaQuery)
	require.ErrorIs(t, err, context.Canceled)
	for _, v := range []string{"Ada", "Lovelace", "acme"} {
		assert.NotContains(t, strings.ToLower(err.Error()), strings.ToLower(v), "error text holds record data")
	}

	closed := override.NewMemory()
	require.NoError(t, closed.Close())
	r, err = crmlink.NewResolver(closed, eng, crmlink.WithoutVisibility())
	require.NoError(t, err)
	_, err = r.ResolveCompany(t.Context(), viewerOf(account), account, acmeQuery)
	assert.ErrorIs(t, err, override.ErrClosed)
	assert.ErrorIs(t, r.Correct(t.Context(), crmlink.Viewer{Org: account.Org, User: viewer}, account, acme), override.ErrClosed)
	assert.ErrorIs(t, r.Reject(t.Context(), crmlink.Viewer{Org: account.Org, User: viewer}, account, acme), override.ErrClosed)
}

func TestViaString(t *testing.T) {
	for v, want := range map[crmlink.Via]string{crmlink.ViaMatch: "match", crmlink.ViaSync: "sync", crmlink.ViaManual: "manual", 9: "Via(9)"} {
		assert.Equal(t, want, v.String())
	}
}

// TestResolverConcurrent resolves, corrects and rejects from many goroutines (run with -race).
func TestResolverConcurrent(t *testing.T) {
	st := override.NewMemory()
	r, err := crmlink.NewResolver(st, newEngine(t), crmlink.WithoutVisibility())
	require.NoError(t, err)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				rec := override.RecordRef{Org: org, Object: override.Account, ID: fmt.Sprintf("001-%d-%d", g, i%5)}
				res, err := r.ResolveCompany(t.Context(), viewerOf(rec), rec, acmeQuery)
				if !assert.NoError(t, err) {
					return
				}
				switch i % 3 {
				case 0:
					assert.NoError(t, r.Correct(t.Context(), crmlink.Viewer{Org: rec.Org, User: viewer}, rec, globex))
				case 1:
					if res.Found {
						assert.NoError(t, r.Reject(t.Context(), crmlink.Viewer{Org: rec.Org, User: viewer}, rec, res.Entity))
					}
				}
			}
		}()
	}
	wg.Wait()
}

// FuzzResolveCompany checks the Resolver's invariants on arbitrary queries and rejections: no
// rejected entity is ever proposed, Found is exactly a match decision, the best is the first
// candidate and candidates stay ordered.
func FuzzResolveCompany(f *testing.F) {
	f.Add("ACME Corp.", "www.acme.com", "", uint8(0))
	f.Add("ACME Corp.", "www.acme.com", "France", uint8(1))
	f.Add("Acme", "", "", uint8(0b1001))
	f.Add("Globex", "globex.com", "", uint8(0b0010))
	f.Add("", "", "", uint8(0))
	eng := newEngine(f)
	ents := []override.EntityRef{acme, globex, initech, acmeLogis}
	f.Fuzz(func(t *testing.T, name, website, loc string, mask uint8) {
		st := override.NewMemory()
		r, err := crmlink.NewResolver(st, eng, crmlink.WithoutVisibility())
		require.NoError(t, err)
		rejected := map[string]bool{}
		for i, e := range ents {
			if mask&(1<<i) != 0 {
				require.NoError(t, r.Reject(t.Context(), crmlink.Viewer{Org: account.Org, User: viewer}, account, e))
				rejected[e.ID] = true
			}
		}
		res, err := r.ResolveCompany(t.Context(), viewerOf(account), account, matcher.CompanyQuery{Name: name, Website: website, Location: loc})
		if errors.Is(err, matcher.ErrEmptyQuery) {
			return
		}
		require.NoError(t, err)
		require.Equal(t, crmlink.ViaMatch, res.Via)
		require.NotNil(t, res.Result)
		assert.Equal(t, res.Result.Decision == matcher.Match, res.Found)
		for i, c := range res.Result.Candidates {
			assert.False(t, rejected[c.Entity.ID], "rejected %s proposed", c.Entity.ID)
			if i > 0 {
				assert.LessOrEqual(t, c.Score, res.Result.Candidates[i-1].Score)
			}
		}
		if len(res.Result.Candidates) > 0 {
			require.NotNil(t, res.Result.Best)
			assert.Equal(t, res.Result.Candidates[0].Entity, res.Result.Best.Entity)
		} else {
			assert.Nil(t, res.Result.Best)
			assert.Equal(t, matcher.None, res.Result.Decision)
		}
		if res.Found {
			assert.Equal(t, res.Result.Best.Entity.ID, res.Entity.ID)
			assert.False(t, rejected[res.Entity.ID])
		}
	})
}

// TestResolverThresholds checks that the decision taken again after filtering rejections uses
// the engine's thresholds, and that without a rejection the engine's decision stands.
func TestResolverThresholds(t *testing.T) {
	strict := matcher.Thresholds{Match: 0.8, MinMargin: 2, Candidate: 0.2} // nothing can match: scores sum to at most 1
	tests := []struct {
		name   string
		reject *override.EntityRef
		th     *matcher.Thresholds
		want   matcher.Decision
	}{
		{name: "no rejection, default thresholds", want: matcher.Match},
		{name: "no rejection, strict engine", th: &strict, want: matcher.Ambiguous},
		{name: "rejection, default thresholds", reject: &acmeLogis, want: matcher.Match},
		{name: "rejection, strict engine", reject: &acmeLogis, th: &strict, want: matcher.Ambiguous},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var opts []matcher.Option
			if tc.th != nil {
				opts = append(opts, matcher.WithThresholds(*tc.th))
			}
			eng := newEngine(t, opts...)
			st := override.NewMemory()
			if tc.reject != nil {
				put(t, st, account, *tc.reject, override.Manual, true)
			}
			r, err := crmlink.NewResolver(st, eng, crmlink.WithoutVisibility())
			require.NoError(t, err)
			got, err := r.ResolveCompany(t.Context(), viewerOf(account), account, acmeQuery)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got.Result.Decision)
			assert.Equal(t, tc.want == matcher.Match, got.Found)
		})
	}
}
