package crmlink_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/crm/sourcetest"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/privacy"
)

// marker is the tag put into every record field; no ID holds it.
const marker = "qmkrq"

// markedFixture returns the sync fixture with the marker in every value of every record, user
// and role: names, titles, companies, industries, cities, countries, websites, emails.
func markedFixture() *sourcetest.Dataset {
	ds := syncFixture()
	m := func(s string) string {
		if s == "" {
			return marker
		}
		return s + " " + marker
	}
	mail := func(s string) string { return marker + "." + s }
	site := func(s string) string { return strings.Replace(s, "www.", "www."+marker+"-", 1) }
	for i := range ds.Accounts {
		a := &ds.Accounts[i]
		a.Name, a.Industry, a.City, a.Country, a.Website = m(a.Name), m(a.Industry), m(a.City), m(a.Country), site(a.Website)
	}
	for i := range ds.Contacts {
		c := &ds.Contacts[i]
		c.FirstName, c.LastName, c.Title, c.City, c.Country, c.Email = m(c.FirstName), m(c.LastName), m(c.Title), m(c.City), m(c.Country), mail(c.Email)
	}
	for i := range ds.Leads {
		l := &ds.Leads[i]
		l.FirstName, l.LastName, l.Company, l.Title, l.City, l.Country, l.Email = m(l.FirstName), m(l.LastName), m(l.Company), m(l.Title), m(l.City), m(l.Country), mail(l.Email)
	}
	for i := range ds.Opportunities {
		ds.Opportunities[i].Name = m(ds.Opportunities[i].Name)
	}
	for i := range ds.Users {
		ds.Users[i].Name, ds.Users[i].Email = m(ds.Users[i].Name), mail(ds.Users[i].Email)
	}
	for i := range ds.Roles {
		ds.Roles[i].Name = m(ds.Roles[i].Name)
	}
	return ds
}

// TestPrivacyMarkers syncs records holding a marker in every field into a bolt file and into
// PostgreSQL with debug logging on, corrects and rejects as a user, then looks for the marker in
// the raw bytes of the file, in every row of every table of the schema, and in every captured
// log line: it must be nowhere. It prints the audit of what is stored.
func TestPrivacyMarkers(t *testing.T) {
	for _, kind := range []string{"bolt", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			ctx := t.Context()
			ds := markedFixture()
			var st *override.Store
			var path, schema, dsn string
			var err error
			if kind == "bolt" {
				var open func() (*override.Store, error)
				open, path = storeKinds()[1].open(t)
				st = openKind(t, open)
			} else {
				k := storeKinds()[2]
				var open func() (*override.Store, error)
				open, schema = k.open(t)
				dsn = os.Getenv("CRMLINK_TEST_POSTGRES")
				st = openKind(t, open)
			}
			var logs bytes.Buffer
			log := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			src, _ := fixtureSource(t, ds)
			eng := mustEngine(t, ds)
			access := crmlink.NewAccess()
			var seats []string
			for _, u := range ds.Users {
				seats = append(seats, u.Email)
			}
			s, err := crmlink.NewSyncer(src, eng, st, ds.Org, crmlink.WithLogger(log), crmlink.WithAccess(access, ds.Defaults, seats))
			require.NoError(t, err)
			stats, err := s.Run(ctx)
			require.NoError(t, err)
			require.Positive(t, stats.Total().Written)
			r, err := crmlink.NewResolver(st, eng, crmlink.WithVisibility(access))
			require.NoError(t, err)
			boss := crmlink.Viewer{Org: ds.Org, User: sourcetest.UserID(1)}
			acc := override.RecordRef{Org: ds.Org, Object: override.Account, ID: ds.Accounts[0].ID}
			require.NoError(t, r.Correct(ctx, boss, acc, override.EntityRef{Kind: override.Company, ID: "other-c1"}))
			require.NoError(t, r.Reject(ctx, boss, acc, override.EntityRef{Kind: override.Company, ID: "other-c2"}))
			// A failing read is logged too: errors are part of what a log line may carry.
			a0 := ds.Accounts[0]
			_, err = r.ResolveCompany(ctx, crmlink.Viewer{Org: ds.Org, User: "005NOBODY"}, acc, matcher.CompanyQuery{Name: a0.Name, Website: a0.Website})
			require.ErrorIs(t, err, crmlink.ErrNoAccess)
			log.DebugContext(ctx, "resolve refused", "err", err)
			require.Positive(t, logs.Len())

			a, err := privacy.NewAudit(ctx, st, ds.Org)
			require.NoError(t, err)
			n, err := st.Count(ctx, ds.Org)
			require.NoError(t, err)
			assert.Equal(t, n, a.Total)
			var out bytes.Buffer
			_, err = a.WriteTo(&out)
			require.NoError(t, err)
			t.Logf("audit:\n%s", out.String())
			assert.NotContains(t, strings.ToLower(out.String()), marker, "audit")

			var stored []byte
			if kind == "bolt" {
				require.NoError(t, st.Close())
				stored, err = os.ReadFile(path)
				require.NoError(t, err)
			} else {
				stored = dumpSchema(t, dsn, schema)
			}
			require.Contains(t, string(stored), ds.Accounts[0].ID, "the scan sees the stored IDs")
			assert.Zero(t, bytes.Count(bytes.ToLower(stored), []byte(marker)), "markers in the %s store", kind)
			assert.NotContains(t, strings.ToLower(logs.String()), marker, "markers in the logs")
			assert.Contains(t, logs.String(), "sync batch written", "debug lines were captured")
		})
	}
}

// dumpSchema returns every row of every table of schema as text.
func dumpSchema(t *testing.T, dsn, schema string) []byte {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	defer conn.Close(ctx)
	rows, _ := conn.Query(ctx, "SELECT table_name FROM information_schema.tables WHERE table_schema = $1", schema)
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	require.NotEmpty(t, tables)
	var b bytes.Buffer
	for _, tb := range tables {
		rows, _ := conn.Query(ctx, "SELECT t::text FROM "+pgx.Identifier{schema, tb}.Sanitize()+" t")
		vals, err := pgx.CollectRows(rows, pgx.RowTo[string])
		require.NoError(t, err)
		fmt.Fprintf(&b, "%s: %d rows\n%s\n", tb, len(vals), strings.Join(vals, "\n"))
	}
	return b.Bytes()
}
