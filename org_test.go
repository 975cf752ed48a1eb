package crmlink_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/internal/testenv"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/override/boltstore"
	"github.com/crmlink/crmlink/override/pgstore"
)

// storeKind opens the stores of one driver for the org tests; every open of one test sees the
// same data (memory: the same store).
type storeKind struct {
	name    string
	durable bool
	// target names the data for a child process: a bolt path or a PostgreSQL schema.
	open func(t *testing.T) (open func() (*override.Store, error), target string)
}

func storeKinds() []storeKind {
	return []storeKind{
		{"memory", false, func(t *testing.T) (func() (*override.Store, error), string) {
			st := override.NewMemory()
			t.Cleanup(func() { _ = st.Close() })
			return func() (*override.Store, error) { return st, nil }, ""
		}},
		{"bolt", true, func(t *testing.T) (func() (*override.Store, error), string) {
			path := filepath.Join(t.TempDir(), "overrides.db")
			return func() (*override.Store, error) { return boltstore.Open(path) }, path
		}},
		{"postgres", true, func(t *testing.T) (func() (*override.Store, error), string) {
			dsn, schema := testenv.PostgresSchema(t, "crmlink_org_")
			return func() (*override.Store, error) {
				return pgstore.Open(context.Background(), dsn, pgstore.WithSchema(schema))
			}, schema
		}},
	}
}

func openKind(t *testing.T, open func() (*override.Store, error)) *override.Store {
	t.Helper()
	st, err := open()
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// TestDisableOrg disables an org on every store: the Resolver, the Syncer and write-back refuse
// it with ErrOrgDisabled before touching anything, another org is untouched, the state survives
// reopening, and enabling brings everything back.
func TestDisableOrg(t *testing.T) {
	for _, k := range storeKinds() {
		t.Run(k.name, func(t *testing.T) {
			ctx := t.Context()
			open, _ := k.open(t)
			st := openKind(t, open)
			ds := syncFixture()
			src, csvDir := fixtureSource(t, ds)
			eng := mustEngine(t, ds)
			s, err := crmlink.NewSyncer(src, eng, st, ds.Org)
			require.NoError(t, err)
			_, err = s.Run(ctx)
			require.NoError(t, err)
			n, err := st.Count(ctx, ds.Org)
			require.NoError(t, err)
			require.Positive(t, n)

			other := "00DOTHERORG"
			rec := override.RecordRef{Org: ds.Org, Object: override.Account, ID: ds.Accounts[0].ID}
			otherRec := rec
			otherRec.Org = other
			require.NoError(t, st.Put(ctx, override.Mapping{Record: otherRec, Entity: override.EntityRef{Kind: override.Company, ID: "c1"}, Source: override.Manual}))

			require.NoError(t, st.Disable(ctx, ds.Org))
			if k.durable {
				require.NoError(t, st.Close())
				st = openKind(t, open)
			}
			r, err := crmlink.NewResolver(st, eng, crmlink.WithoutVisibility())
			require.NoError(t, err)
			_, err = r.ResolveCompany(ctx, viewerOf(rec), rec, matcher.CompanyQuery{Name: "Acme"})
			assert.ErrorIs(t, err, override.ErrOrgDisabled, "resolve")
			assert.ErrorIs(t, r.Correct(ctx, viewerOf(rec), rec, override.EntityRef{Kind: override.Company, ID: "c9"}), override.ErrOrgDisabled)
			assert.ErrorIs(t, r.Reject(ctx, viewerOf(rec), rec, override.EntityRef{Kind: override.Company, ID: "c9"}), override.ErrOrgDisabled)
			s, err = crmlink.NewSyncer(src, eng, st, ds.Org)
			require.NoError(t, err)
			stats, err := s.Run(ctx)
			assert.ErrorIs(t, err, override.ErrOrgDisabled, "sync")
			assert.Zero(t, stats.Total().Read, "a disabled sync reads nothing")
			wb, err := crmlink.NewWriteBack(st, src, crmlink.WithoutVisibility())
			require.NoError(t, err)
			act := crm.Activity{Kind: crm.Note, Record: crm.RecordRef{Org: ds.Org, Object: crm.ObjectAccount, ID: rec.ID},
				Subject: "s", Body: "b", OccurredAt: time.Now(), Author: viewer, ExternalKey: "k1"}
			res, err := wb.Write(ctx, viewerOf(rec), []crm.Activity{act})
			require.NoError(t, err)
			assert.ErrorIs(t, res[0].Err, override.ErrOrgDisabled, "write back")
			entries, err := os.ReadDir(csvDir)
			require.NoError(t, err)
			for _, e := range entries {
				assert.NotContains(t, e.Name(), "activit", "write-back wrote to a disabled org")
			}
			after, err := st.Count(ctx, ds.Org)
			require.NoError(t, err)
			assert.Equal(t, n, after, "nothing written while disabled")

			// The other org goes on.
			got, err := r.ResolveCompany(ctx, viewerOf(otherRec), otherRec, matcher.CompanyQuery{Name: "Acme"})
			require.NoError(t, err)
			assert.Equal(t, crmlink.ViaManual, got.Via)

			require.NoError(t, st.Enable(ctx, ds.Org))
			_, err = r.ResolveCompany(ctx, viewerOf(rec), rec, matcher.CompanyQuery{Name: "Acme"})
			assert.NoError(t, err)
			_, err = s.Run(ctx)
			assert.NoError(t, err)
			res, err = wb.Write(ctx, viewerOf(rec), []crm.Activity{act})
			require.NoError(t, err)
			assert.NoError(t, res[0].Err)
		})
	}
}

// TestCrossOrg interleaves three orgs with the same record, entity and user IDs on every store:
// a sync, corrections, rejections and a purge of one org never show in, change or purge another.
func TestCrossOrg(t *testing.T) {
	for _, k := range storeKinds() {
		t.Run(k.name, func(t *testing.T) {
			ctx := t.Context()
			open, _ := k.open(t)
			st := openKind(t, open)
			orgs := []string{"00DA", "00DB", "00DC"}
			access := crmlink.NewAccess()
			var eng *matcher.Engine
			for _, org := range orgs {
				ds := syncFixture()
				ds.Org = org
				src, _ := fixtureSource(t, ds)
				if eng == nil {
					eng = mustEngine(t, ds)
				}
				var seats []string
				for _, u := range ds.Users {
					seats = append(seats, u.Email)
				}
				s, err := crmlink.NewSyncer(src, eng, st, org, crmlink.WithAccess(access, ds.Defaults, seats))
				require.NoError(t, err)
				_, err = s.Run(ctx)
				require.NoError(t, err)
			}
			counts := map[string]int{}
			for _, org := range orgs {
				n, err := st.Count(ctx, org)
				require.NoError(t, err)
				require.Positive(t, n)
				counts[org] = n
			}
			ds := syncFixture()
			r, err := crmlink.NewResolver(st, eng, crmlink.WithVisibility(access))
			require.NoError(t, err)
			// User 4 owns the first contact of every org (same IDs). In org A they correct it.
			var c override.RecordRef
			for _, ct := range ds.Contacts {
				if ct.OwnerID == ds.Users[3].ID {
					c = override.RecordRef{Org: "00DA", Object: override.Contact, ID: ct.ID}
					break
				}
			}
			require.NotEmpty(t, c.ID)
			u4A := crmlink.Viewer{Org: "00DA", User: ds.Users[3].ID}
			target := override.EntityRef{Kind: override.Member, ID: "other-m1"}
			require.NoError(t, r.Correct(ctx, u4A, c, target))
			require.NoError(t, r.Reject(ctx, u4A, c, override.EntityRef{Kind: override.Member, ID: "other-m2"}))
			for _, org := range orgs[1:] {
				cb := c
				cb.Org = org
				// A's user cannot reach B's record, even with B's record ID and their own user ID.
				_, err := r.ResolveMember(ctx, u4A, cb, matcher.MemberQuery{FirstName: "x"})
				assert.ErrorIs(t, err, crmlink.ErrNoAccess, "org A's viewer on %s", cb)
				assert.ErrorIs(t, r.Correct(ctx, u4A, cb, target), crmlink.ErrNoAccess)
				// B's own user sees B's sync result, not A's correction.
				got, err := r.ResolveMember(ctx, crmlink.Viewer{Org: org, User: u4A.User}, cb, matcher.MemberQuery{FirstName: "x"})
				require.NoError(t, err)
				assert.NotEqual(t, target, got.Entity, "A's correction leaked into %s", org)
				rej, err := st.Rejections(ctx, cb)
				require.NoError(t, err)
				assert.Empty(t, rej, "A's rejection leaked into %s", org)
			}
			before := map[string]int{}
			for _, org := range orgs {
				before[org], err = st.Count(ctx, org)
				require.NoError(t, err)
			}
			assert.Equal(t, counts["00DB"], before["00DB"], "A's writes changed B")
			assert.Equal(t, counts["00DC"], before["00DC"], "A's writes changed C")
			n, err := crmlink.PurgeOrg(ctx, st, "00DB", access)
			require.NoError(t, err)
			assert.Equal(t, counts["00DB"], n)
			for _, org := range []string{"00DA", "00DC"} {
				got, err := st.Count(ctx, org)
				require.NoError(t, err)
				assert.Equal(t, before[org], got, "purging B changed %s", org)
				assert.Positive(t, access.Len(org), "purging B emptied %s's access", org)
			}
			m, ok, err := st.GetSource(ctx, c, override.Manual)
			require.NoError(t, err)
			require.True(t, ok)
			assert.Equal(t, target, m.Entity, "A's correction after purging B")
			assert.Zero(t, access.Len("00DB"))
			for m, err := range st.Mappings(ctx, "00DB") {
				require.NoError(t, err)
				t.Errorf("left after purge: %v", m.Record)
			}
		})
	}
}

const purgeChildEnv = "CRMLINK_PURGE_CHILD" // "bolt:<path>" or "postgres:<schema>"

// TestPurgeCrashChild is the child of TestPurgeAfterCrash: it opens the store named by the
// environment, says "purging" and purges org 00DCRASH, and is killed meanwhile.
func TestPurgeCrashChild(t *testing.T) {
	spec := os.Getenv(purgeChildEnv)
	if spec == "" {
		t.Skip("run by TestPurgeAfterCrash")
	}
	kind, target, _ := strings.Cut(spec, ":")
	var st *override.Store
	var err error
	if kind == "bolt" {
		st, err = boltstore.Open(target)
	} else {
		st, err = pgstore.Open(context.Background(), os.Getenv(testenv.PostgresEnv), pgstore.WithSchema(target))
	}
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("purging")
	if _, err := crmlink.PurgeOrg(context.Background(), st, "00DCRASH"); err != nil {
		t.Fatal(err)
	}
	fmt.Println("purged")
	_ = st.Close()
}

func crashMappings(org, tag string, n int) []override.Mapping {
	ms := make([]override.Mapping, 0, n+n/5)
	for i := range n {
		r := override.RecordRef{Org: org, Object: override.Objects()[i%4], ID: fmt.Sprintf("%s%09d", tag, i)}
		kind := override.Company
		if r.Object == override.Contact || r.Object == override.Lead {
			kind = override.Member
		}
		ms = append(ms, override.Mapping{Record: r, Entity: override.EntityRef{Kind: kind, ID: fmt.Sprintf("E%d", i)}, Source: override.Sync})
		if i%5 == 0 {
			ms = append(ms, override.Mapping{Record: r, Entity: override.EntityRef{Kind: kind, ID: "X"}, Source: override.Manual, Rejected: true})
		}
	}
	return ms
}

// TestPurgeAfterCrash fills a durable store with a large org and a small one, purges the large
// one in a child process that is SIGKILLed while it purges, then purges again: the re-run
// finishes, nothing of the org is left (nor, for bolt, in the file's bytes), and the other org
// is whole. The kill lands at a random point of the purge (before, inside or after its
// transaction, or during bolt's scrub); every run checks the same end state.
func TestPurgeAfterCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	for _, k := range storeKinds() {
		if !k.durable {
			continue
		}
		t.Run(k.name, func(t *testing.T) {
			ctx := t.Context()
			open, target := k.open(t)
			st, err := open()
			require.NoError(t, err)
			ms := crashMappings("00DCRASH", "CRASHREC", 40000)
			for b := 0; b < len(ms); b += 5000 {
				require.NoError(t, st.PutBatch(ctx, ms[b:min(b+5000, len(ms))]))
			}
			keep := crashMappings("00DKEEP", "KEPTREC", 500)
			require.NoError(t, st.PutBatch(ctx, keep))
			require.NoError(t, st.Close())

			cmd := exec.Command(os.Args[0], "-test.run=^TestPurgeCrashChild$", "-test.v")
			cmd.Env = append(os.Environ(), purgeChildEnv+"="+k.name+":"+target)
			out, err := cmd.StdoutPipe()
			require.NoError(t, err)
			require.NoError(t, cmd.Start())
			sc := bufio.NewScanner(out)
			started := false
			for sc.Scan() {
				if sc.Text() == "purging" {
					started = true
					break
				}
			}
			require.True(t, started, "child never started purging")
			time.Sleep(time.Duration(rand.IntN(200)) * time.Millisecond)
			_ = cmd.Process.Signal(syscall.SIGKILL)
			rest := new(bytes.Buffer)
			_, _ = rest.ReadFrom(out)
			_ = cmd.Wait()
			st = openKind(t, open)
			left, err := st.Count(ctx, "00DCRASH")
			require.NoError(t, err)
			t.Logf("child killed (it printed %q after starting); %d of %d mappings left", strings.TrimSpace(rest.String()), left, len(ms))
			assert.True(t, left == 0 || left == len(ms), "purge is all or nothing: %d of %d left", left, len(ms))
			n, err := crmlink.PurgeOrg(ctx, st, "00DCRASH")
			require.NoError(t, err)
			assert.Equal(t, left, n, "the re-run removes what was left")
			left, err = st.Count(ctx, "00DCRASH")
			require.NoError(t, err)
			assert.Zero(t, left)
			kept, err := st.Count(ctx, "00DKEEP")
			require.NoError(t, err)
			assert.Equal(t, len(keep), kept)
			n, err = crmlink.PurgeOrg(ctx, st, "00DCRASH")
			require.NoError(t, err)
			assert.Zero(t, n, "purging again removes nothing")
			if k.name == "bolt" {
				raw, err := os.ReadFile(target)
				require.NoError(t, err)
				assert.Zero(t, bytes.Count(raw, []byte("CRASHREC")), "purged record IDs left in the bolt file")
				assert.Positive(t, bytes.Count(raw, []byte("KEPTREC")), "kept record IDs in the bolt file")
			}
		})
	}
}
