package crmlink_test

import (
	"bytes"
	"context"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
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

// syncEnv is one org's CRM in CSV files, a directory of its true entities and a store.
type syncEnv struct {
	ds    *sourcetest.Dataset
	src   crm.Source
	dir   string // the CSV directory
	eng   *matcher.Engine
	store *override.Store
	truth truth
}

func newSyncEnv(t *testing.T) *syncEnv {
	t.Helper()
	ds := syncFixture()
	d, tr := fixtureDirectory(t, ds)
	eng, err := matcher.New(d)
	require.NoError(t, err)
	src, dir := fixtureSource(t, ds)
	return &syncEnv{ds: ds, src: src, dir: dir, eng: eng, store: override.NewMemory(), truth: tr}
}

func (e *syncEnv) run(t *testing.T, opts ...crmlink.SyncOption) (crmlink.SyncStats, error) {
	t.Helper()
	s, err := crmlink.NewSyncer(e.src, e.eng, e.store, e.ds.Org, opts...)
	require.NoError(t, err)
	return s.Run(t.Context())
}

// mappings returns the org's stored mappings by source ("sync", "manual", "rejected").
func (e *syncEnv) mappings(t *testing.T) map[string]map[override.RecordRef]override.EntityRef {
	t.Helper()
	out := map[string]map[override.RecordRef]override.EntityRef{"sync": {}, "manual": {}, "rejected": {}}
	for m, err := range e.store.Mappings(t.Context(), e.ds.Org) {
		require.NoError(t, err)
		k := string(m.Source)
		if m.Rejected {
			k = "rejected"
		}
		out[k][m.Record] = m.Entity
	}
	return out
}

// truthOf returns the ground truth restricted to obj and, when ids is non-nil, to those IDs.
func (e *syncEnv) truthOf(obj override.Object, ids []string) truth {
	out := truth{}
	for r, ent := range e.truth {
		if r.Object == obj && (ids == nil || slices.Contains(ids, r.ID)) {
			out[r] = ent
		}
	}
	return out
}

func checkCounts(t *testing.T, name string, s crmlink.ObjectStats) {
	t.Helper()
	assert.Equal(t, s.Read-s.Invalid, s.Empty+s.Matched+s.Ambiguous+s.None, "%s: decisions do not add up: %v", name, s)
	assert.Equal(t, s.Matched, s.Written+s.SkippedManual+s.SkippedRejected, "%s: matches do not add up: %v", name, s)
}

func TestSyncEndToEnd(t *testing.T) {
	for _, batch := range []int{0, 1, 5, 1000} {
		t.Run("batch="+strconv.Itoa(batch), func(t *testing.T) {
			e := newSyncEnv(t)
			stats, err := e.run(t, crmlink.WithBatchSize(batch))
			require.NoError(t, err)
			assert.Equal(t, sourcetest.NumAccounts, stats.Accounts.Read)
			assert.Equal(t, sourcetest.NumContacts, stats.Contacts.Read)
			assert.Equal(t, sourcetest.NumLeads, stats.Leads.Read)
			checkCounts(t, "accounts", stats.Accounts)
			checkCounts(t, "contacts", stats.Contacts)
			checkCounts(t, "leads", stats.Leads)
			assert.False(t, stats.Started.IsZero())

			got := e.mappings(t)
			// Every record with an entity is synced to it, and no other record is.
			assert.Equal(t, map[override.RecordRef]override.EntityRef(e.truth), got["sync"])
			assert.Empty(t, got["manual"])
			assert.Equal(t, dirAccounts, stats.Accounts.Written)
			assert.Equal(t, dirContacts, stats.Contacts.Written)
			assert.Equal(t, dirLeads, stats.Leads.Written)
			assert.Equal(t, dirAccounts+dirContacts+dirLeads, stats.Total().Written)

			// Contact 5 has no email and a namesake (contact 17) elsewhere: only the company
			// name, read from its account, tells them apart.
			c5 := override.RecordRef{Org: e.ds.Org, Object: override.Contact, ID: sourcetest.ContactID(5)}
			assert.Equal(t, e.truth[c5], got["sync"][c5])

			// A second run writes the same mappings again.
			again, err := e.run(t, crmlink.WithBatchSize(batch))
			require.NoError(t, err)
			assert.Equal(t, stats.Total().Written, again.Total().Written)
			assert.Equal(t, got, e.mappings(t))
		})
	}
}

func TestSyncManualAndRejected(t *testing.T) {
	e := newSyncEnv(t)
	ctx := t.Context()
	a1 := override.RecordRef{Org: e.ds.Org, Object: override.Account, ID: sourcetest.AccountID(1)}
	c2 := override.RecordRef{Org: e.ds.Org, Object: override.Contact, ID: sourcetest.ContactID(2)}
	l3 := override.RecordRef{Org: e.ds.Org, Object: override.Lead, ID: sourcetest.LeadID(3)}
	other := override.EntityRef{Kind: override.Company, ID: "other-c1"}
	r, err := crmlink.NewResolver(e.store, e.eng, crmlink.WithoutVisibility())
	require.NoError(t, err)
	require.NoError(t, r.Correct(ctx, crmlink.Viewer{Org: a1.Org, User: "005U1"}, a1, other))      // a user's choice
	require.NoError(t, r.Reject(ctx, crmlink.Viewer{Org: c2.Org, User: "005U1"}, c2, e.truth[c2])) // "not this one"
	// An old sync mapping of a rejected entity is not rewritten either.
	put(t, e.store, l3, e.truth[l3], override.Sync, false)
	require.NoError(t, r.Reject(ctx, crmlink.Viewer{Org: l3.Org, User: viewer}, l3, e.truth[l3]))

	stats, err := e.run(t)
	require.NoError(t, err)
	assert.Equal(t, 1, stats.Accounts.SkippedManual)
	assert.Equal(t, 1, stats.Contacts.SkippedRejected)
	assert.Equal(t, 1, stats.Leads.SkippedRejected)
	assert.Equal(t, 3, stats.Total().SkippedManual+stats.Total().SkippedRejected)

	got := e.mappings(t)
	assert.Equal(t, map[override.RecordRef]override.EntityRef{a1: other}, got["manual"])
	for _, rec := range []override.RecordRef{a1, c2, l3} {
		assert.NotContains(t, got["sync"], rec)
	}
	assert.Len(t, got["sync"], len(e.truth)-3)

	res, err := r.ResolveCompany(ctx, viewerOf(a1), a1, matcher.CompanyQuery{Name: e.ds.Accounts[0].Name})
	require.NoError(t, err)
	assert.Equal(t, crmlink.Resolution{Via: crmlink.ViaManual, Entity: other, Found: true}, res)
}

// TestSyncStale checks that a record's sync mapping follows the CRM: replaced when the record
// now matches another entity, deleted when it matches none, kept when unchanged.
func TestSyncStale(t *testing.T) {
	e := newSyncEnv(t)
	_, err := e.run(t)
	require.NoError(t, err)
	before := e.mappings(t)["sync"]
	require.Len(t, before, len(e.truth))

	// Account 1 is renamed and re-sited to a company absent from the directory; account 2
	// becomes account 3 (same name, website, place): its mapping must move.
	ds := e.ds.Clone()
	ds.Accounts[0].Name, ds.Accounts[0].Website = "Quixotic Zeppelin Works Z", ""
	ds.Accounts[0].City, ds.Accounts[0].Country, ds.Accounts[0].Industry = "", "", ""
	a3 := ds.Accounts[2]
	ds.Accounts[1].Name, ds.Accounts[1].Website, ds.Accounts[1].Industry = a3.Name, a3.Website, a3.Industry
	ds.Accounts[1].City, ds.Accounts[1].Country = a3.City, a3.Country
	e.src, _ = fixtureSource(t, ds)

	stats, err := e.run(t)
	require.NoError(t, err)
	assert.Equal(t, 1, stats.Accounts.Removed)
	assert.Zero(t, stats.Contacts.Removed+stats.Leads.Removed)
	a1 := override.RecordRef{Org: ds.Org, Object: override.Account, ID: ds.Accounts[0].ID}
	a2 := override.RecordRef{Org: ds.Org, Object: override.Account, ID: ds.Accounts[1].ID}
	want := maps.Clone(before)
	delete(want, a1)
	want[a2] = override.EntityRef{Kind: override.Company, ID: companyID(a3.ID)}
	assert.Equal(t, want, e.mappings(t)["sync"])
}

// TestSyncRejectedUnsyncs checks that a record whose best match is now an entity a user
// rejected for it loses the sync mapping of an earlier run: it no longer matches anything the
// sync may link, so it falls back like a record that matches none.
func TestSyncRejectedUnsyncs(t *testing.T) {
	tests := []struct {
		name string
		// prepare stores what earlier runs and users left for record a2, whose best match is
		// now entity b (account 3's company) instead of a (its own).
		prepare     func(t *testing.T, e *syncEnv, a2 override.RecordRef, a, b override.EntityRef)
		wantRemoved int
	}{
		{"earlier sync to another entity", func(t *testing.T, e *syncEnv, a2 override.RecordRef, a, b override.EntityRef) {
			put(t, e.store, a2, a, override.Sync, false)
			put(t, e.store, a2, b, override.Manual, true)
		}, 1},
		{"earlier sync to another entity, rejected through the resolver", func(t *testing.T, e *syncEnv, a2 override.RecordRef, a, b override.EntityRef) {
			put(t, e.store, a2, a, override.Sync, false)
			r, err := crmlink.NewResolver(e.store, e.eng, crmlink.WithoutVisibility())
			require.NoError(t, err)
			require.NoError(t, r.Reject(t.Context(), crmlink.Viewer{Org: a2.Org, User: "005U1"}, a2, b))
		}, 1},
		{"earlier sync to the rejected entity, rejection stored directly", func(t *testing.T, e *syncEnv, a2 override.RecordRef, _, b override.EntityRef) {
			put(t, e.store, a2, b, override.Sync, false)
			put(t, e.store, a2, b, override.Manual, true)
		}, 1},
		{"no earlier sync", func(t *testing.T, e *syncEnv, a2 override.RecordRef, _, b override.EntityRef) {
			put(t, e.store, a2, b, override.Manual, true)
		}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newSyncEnv(t)
			// The first run maps every record to its own entity.
			_, err := e.run(t)
			require.NoError(t, err)
			before := e.mappings(t)["sync"]
			require.Len(t, before, len(e.truth))

			ds := e.ds.Clone()
			a2 := override.RecordRef{Org: ds.Org, Object: override.Account, ID: ds.Accounts[1].ID}
			a := e.truth[a2]
			b := override.EntityRef{Kind: override.Company, ID: companyID(ds.Accounts[2].ID)}
			require.Equal(t, a, before[a2])
			require.NotEqual(t, a, b)
			require.NoError(t, e.store.Delete(t.Context(), a2, override.Sync))
			tc.prepare(t, e, a2, a, b)

			// Account 2 becomes account 3 (same name, website, place): b is now its match.
			a3 := ds.Accounts[2]
			ds.Accounts[1].Name, ds.Accounts[1].Website, ds.Accounts[1].Industry = a3.Name, a3.Website, a3.Industry
			ds.Accounts[1].City, ds.Accounts[1].Country = a3.City, a3.Country
			e.src, _ = fixtureSource(t, ds)

			stats, err := e.run(t)
			require.NoError(t, err)
			assert.Equal(t, 1, stats.Accounts.SkippedRejected)
			assert.Equal(t, tc.wantRemoved, stats.Accounts.Removed)
			assert.Zero(t, stats.Contacts.Removed+stats.Leads.Removed)
			checkCounts(t, "accounts", stats.Accounts)
			got := e.mappings(t)
			want := maps.Clone(before)
			delete(want, a2)
			assert.Equal(t, want, got["sync"])
			assert.Equal(t, map[override.RecordRef]override.EntityRef{a2: b}, got["rejected"])
		})
	}
}

func TestSyncStage(t *testing.T) {
	for _, sc := range sourcetest.Fixture().Expected.Stages {
		t.Run(sc.Stage, func(t *testing.T) {
			e := newSyncEnv(t)
			stats, err := e.run(t, crmlink.WithStage(sc.Stage))
			if sc.Unknown {
				require.ErrorIs(t, err, crm.ErrUnknownStage)
				assert.Zero(t, stats.Total().Read)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, len(sc.Accounts), stats.Accounts.Read)
			assert.Equal(t, len(sc.Contacts), stats.Contacts.Read)
			assert.Zero(t, stats.Leads.Read, "leads read under a stage filter")
			want := e.truthOf(override.Account, sc.Accounts)
			maps.Copy(want, e.truthOf(override.Contact, sc.Contacts))
			assert.Equal(t, map[override.RecordRef]override.EntityRef(want), e.mappings(t)["sync"])
		})
	}
}

func TestSyncIncremental(t *testing.T) {
	e := newSyncEnv(t)
	since := e.ds.Expected.ModifiedSince
	var accounts, contacts, leads []string
	for _, a := range e.ds.Accounts {
		if !a.ModifiedAt.Before(since) {
			accounts = append(accounts, a.ID)
		}
	}
	for _, c := range e.ds.Contacts {
		if !c.ModifiedAt.Before(since) {
			contacts = append(contacts, c.ID)
		}
	}
	for _, l := range e.ds.Leads {
		if !l.ModifiedAt.Before(since) {
			leads = append(leads, l.ID)
		}
	}
	require.NotEmpty(t, accounts)
	require.Less(t, len(accounts), len(e.ds.Accounts))

	stats, err := e.run(t, crmlink.WithModifiedSince(since))
	require.NoError(t, err)
	assert.Equal(t, len(accounts), stats.Accounts.Read)
	assert.Equal(t, len(contacts), stats.Contacts.Read)
	assert.Equal(t, len(leads), stats.Leads.Read)
	want := e.truthOf(override.Account, accounts)
	maps.Copy(want, e.truthOf(override.Contact, contacts))
	maps.Copy(want, e.truthOf(override.Lead, leads))
	assert.Equal(t, map[override.RecordRef]override.EntityRef(want), e.mappings(t)["sync"])

	// A run from the start of the previous one reads nothing that did not change since.
	stats, err = e.run(t, crmlink.WithModifiedSince(stats.Started))
	require.NoError(t, err)
	assert.Zero(t, stats.Total().Read)
}

func TestSyncCancel(t *testing.T) {
	t.Run("before", func(t *testing.T) {
		e := newSyncEnv(t)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		s, err := crmlink.NewSyncer(e.src, e.eng, e.store, e.ds.Org)
		require.NoError(t, err)
		stats, err := s.Run(ctx)
		require.ErrorIs(t, err, context.Canceled)
		assert.Zero(t, stats.Total().Written)
		n, err := e.store.Count(t.Context(), e.ds.Org)
		require.NoError(t, err)
		assert.Zero(t, n)
	})
	t.Run("after first batch", func(t *testing.T) {
		e := newSyncEnv(t)
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		// The logger cancels the run when the first batch is written.
		log := slog.New(&hookHandler{level: slog.LevelDebug, hook: func(r slog.Record) {
			if r.Message == "crmlink: sync batch written" {
				cancel()
			}
		}})
		s, err := crmlink.NewSyncer(e.src, e.eng, e.store, e.ds.Org, crmlink.WithBatchSize(3), crmlink.WithLogger(log))
		require.NoError(t, err)
		stats, err := s.Run(ctx)
		require.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, 3, stats.Accounts.Read, "records read after cancellation")
		assert.Zero(t, stats.Contacts.Read+stats.Leads.Read)
		n, err := e.store.Count(t.Context(), e.ds.Org)
		require.NoError(t, err)
		assert.Equal(t, stats.Total().Written, n)
		assert.LessOrEqual(t, n, 3)
	})
}

// hookHandler is a slog handler that writes text to buf and calls hook on every record. It
// keeps the attributes and groups of Logger.With and Logger.WithGroup and renders them like
// slog.TextHandler does, so that record data attached to a logger reaches buf too.
type hookHandler struct {
	level slog.Level
	buf   *bytes.Buffer
	hook  func(slog.Record)
	with  []func(slog.Handler) slog.Handler // WithAttrs and WithGroup calls, in order
}

func (h *hookHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *hookHandler) Handle(ctx context.Context, r slog.Record) error {
	if h.hook != nil {
		h.hook(r)
	}
	if h.buf == nil {
		return nil
	}
	var th slog.Handler = slog.NewTextHandler(h.buf, &slog.HandlerOptions{Level: h.level})
	for _, w := range h.with {
		th = w(th)
	}
	return th.Handle(ctx, r)
}

func (h *hookHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return h.plus(func(th slog.Handler) slog.Handler { return th.WithAttrs(as) })
}

func (h *hookHandler) WithGroup(name string) slog.Handler {
	return h.plus(func(th slog.Handler) slog.Handler { return th.WithGroup(name) })
}

// plus returns a copy of h that applies w after h's own With calls.
func (h *hookHandler) plus(w func(slog.Handler) slog.Handler) *hookHandler {
	c := *h
	c.with = append(slices.Clip(h.with), w)
	return &c
}

func TestHookHandlerKeepsAttrs(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(&hookHandler{level: slog.LevelDebug, buf: &buf})
	base := log.With("org", "00D1")
	base.WithGroup("rec").With("name", "Ada Lovelace").Info("one", "n", 1)
	base.Info("two")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 2)
	assert.Contains(t, lines[0], `msg=one org=00D1 rec.name="Ada Lovelace" rec.n=1`)
	assert.Contains(t, lines[1], "msg=two org=00D1")
	assert.NotContains(t, lines[1], "rec.")
	assert.NotContains(t, lines[1], "Ada")
}

// recordValues lists the values of the fixture's records that must never reach a log or an
// error: names, emails, titles, companies, websites, cities.
func recordValues(ds *sourcetest.Dataset) []string {
	var vs []string
	for _, a := range ds.Accounts {
		vs = append(vs, a.Name, a.Website, a.City)
	}
	for _, c := range ds.Contacts {
		vs = append(vs, c.FirstName, c.LastName, c.Email, c.Title)
	}
	for _, l := range ds.Leads {
		vs = append(vs, l.FirstName, l.LastName, l.Email, l.Title, l.Company)
	}
	return slices.DeleteFunc(vs, func(v string) bool { return len(v) < 3 })
}

func assertNoRecordData(t *testing.T, what, text string, ds *sourcetest.Dataset) {
	t.Helper()
	for _, v := range recordValues(ds) {
		assert.NotContains(t, text, v, "%s holds record data", what)
	}
}

func TestSyncPrivacy(t *testing.T) {
	t.Run("logs", func(t *testing.T) {
		e := newSyncEnv(t)
		var buf bytes.Buffer
		log := slog.New(&hookHandler{level: slog.LevelDebug, buf: &buf})
		stats, err := e.run(t, crmlink.WithLogger(log), crmlink.WithBatchSize(4))
		require.NoError(t, err)
		require.NotZero(t, stats.Total().Written)
		out := buf.String()
		// The log says what happened, in counts ...
		assert.Contains(t, out, "sync object done")
		assert.Contains(t, out, "object=contact")
		assert.Contains(t, out, "written=18")
		// ... and nothing of a record.
		assertNoRecordData(t, "log", out, e.ds)
	})
	t.Run("errors", func(t *testing.T) {
		e := newSyncEnv(t)
		// A bad time on the last contact: the stream fails after yielding the others.
		path := filepath.Join(e.dir, csvsource.ContactsFile)
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
		last := lines[len(lines)-1]
		i := strings.LastIndex(last, ",")
		lines[len(lines)-1] = last[:i+1] + "yesterday"
		require.NoError(t, os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600))

		var buf bytes.Buffer
		log := slog.New(&hookHandler{level: slog.LevelDebug, buf: &buf})
		stats, err := e.run(t, crmlink.WithLogger(log))
		require.Error(t, err)
		var pe *crm.ParseError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, csvsource.ContactsFile, pe.File)
		assert.Contains(t, err.Error(), e.ds.Org)
		assert.Contains(t, err.Error(), "contact")
		assertNoRecordData(t, "error", err.Error(), e.ds)
		assertNoRecordData(t, "log", buf.String(), e.ds)
		assert.Equal(t, sourcetest.NumAccounts, stats.Accounts.Read)
		assert.Zero(t, stats.Leads.Read)
	})
}

func TestNewSyncerErrors(t *testing.T) {
	e := newSyncEnv(t)
	tests := []struct {
		name string
		src  crm.Source
		eng  *matcher.Engine
		st   *override.Store
		org  string
		want error
	}{
		{"nil source", nil, e.eng, e.store, "o", crmlink.ErrNilArgument},
		{"nil engine", e.src, nil, e.store, "o", crmlink.ErrNilArgument},
		{"nil store", e.src, e.eng, nil, "o", crmlink.ErrNilArgument},
		{"empty org", e.src, e.eng, e.store, "", override.ErrInvalid},
		{"control character in org", e.src, e.eng, e.store, "o\n1", override.ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := crmlink.NewSyncer(tc.src, tc.eng, tc.st, tc.org)
			assert.ErrorIs(t, err, tc.want)
			assert.Nil(t, s)
		})
	}
}

func TestSyncStoreClosed(t *testing.T) {
	e := newSyncEnv(t)
	require.NoError(t, e.store.Close())
	_, err := e.run(t)
	assert.ErrorIs(t, err, override.ErrClosed)
}

func TestObjectStatsString(t *testing.T) {
	s := crmlink.ObjectStats{Read: 9, Invalid: 1, Empty: 2, Matched: 3, Ambiguous: 1, None: 2, Written: 1, Removed: 4, SkippedManual: 1, SkippedRejected: 1}
	assert.Equal(t, "read=9 invalid=1 empty=2 matched=3 ambiguous=1 none=2 written=1 removed=4 skipped_manual=1 skipped_rejected=1", s.String())
}
