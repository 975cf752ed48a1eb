package dynamics_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/dynamics"
	"github.com/crmlink/crmlink/internal/syncbuf"
)

// TestPrivacy drives every failure path with a debug logger and checks that no error text and
// no log line carries a record value, a token or the client secret.
func TestPrivacy(t *testing.T) {
	ds := fixture()
	f := newFakeOrg(t, ds)
	var logs syncbuf.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	src := f.source(t, dynamics.WithLogger(logger), dynamics.WithBackoff(crm.Backoff{Retries: 2, Base: 10 * time.Millisecond}))

	var secrets []string
	for _, c := range ds.Contacts {
		secrets = append(secrets, c.FirstName, c.LastName, c.Email, c.Title)
	}
	for _, a := range ds.Accounts {
		secrets = append(secrets, a.Name, a.Website)
	}
	for _, l := range ds.Leads {
		secrets = append(secrets, l.Email, l.Company)
	}
	for _, u := range ds.Users {
		secrets = append(secrets, u.Name, u.Email)
	}
	secrets = append(secrets, secretToken, "s3cr3t-client-value", "Bearer", "Intro to Acme", "Hi Ada")

	// The error bodies the fake sends quote record data, as real Dataverse messages can.
	quote := fmt.Sprintf("%s %s <%s>", ds.Contacts[1].FirstName, ds.Contacts[1].LastName, ds.Contacts[1].Email)
	var errs []error
	collect := func(err error) {
		t.Helper()
		require.Error(t, err)
		errs = append(errs, err)
	}
	scenarios := []struct {
		name string
		hook func(http.ResponseWriter, *http.Request) bool
		run  func() error
	}{
		{"unauthorized", failFirst(10, "/contacts", func(w http.ResponseWriter) {
			dvError(w, http.StatusUnauthorized, "ExpiredAuthTicket", quote)
		}), func() error { _, err := crm.Collect(src.Contacts(t.Context(), crm.Filter{})); return err }},
		{"throttled", failFirst(10, "/contacts", func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "0")
			dvError(w, http.StatusTooManyRequests, "0x80072322", quote)
		}), func() error { _, err := crm.Collect(src.Contacts(t.Context(), crm.Filter{})); return err }},
		{"error body", failFirst(10, "/contacts", func(w http.ResponseWriter) {
			dvError(w, http.StatusBadRequest, quote, quote)
		}), func() error { _, err := crm.Collect(src.Contacts(t.Context(), crm.Filter{})); return err }},
		{"malformed", failFirst(10, "/contacts", func(w http.ResponseWriter) {
			_, _ = w.Write([]byte(`{"value":[{"firstname":"` + ds.Contacts[1].FirstName + `","contactid":` + quote))
		}), func() error { _, err := crm.Collect(src.Contacts(t.Context(), crm.Filter{})); return err }},
		{"wrong type", failFirst(10, "/contacts", func(w http.ResponseWriter) {
			_, _ = w.Write([]byte(`{"value":[{"firstname":["` + ds.Contacts[1].LastName + `"]}]}`))
		}), func() error { _, err := crm.Collect(src.Contacts(t.Context(), crm.Filter{})); return err }},
		{"write rejected", func(w http.ResponseWriter, r *http.Request) bool {
			if r.Method != http.MethodPost {
				return false
			}
			dvError(w, http.StatusPreconditionFailed, "DuplicateRecord", quote)
			return true
		}, func() error {
			res, err := src.WriteActivities(t.Context(), activities()[:1])
			if err != nil {
				return err
			}
			return res[0].Err
		}},
	}
	for _, sc := range scenarios {
		f.hook = sc.hook
		collect(sc.run())
	}
	f.hook = nil

	var text strings.Builder
	for _, err := range errs {
		text.WriteString(err.Error())
		text.WriteString(fmt.Sprintf(" %v %+v\n", err, err))
	}
	text.WriteString(logs.String())
	require.NotEmpty(t, logs.String(), "the logger saw the retries")
	out := text.String()
	for _, s := range secrets {
		if len(s) < 3 {
			continue
		}
		assert.NotContains(t, out, s)
	}
	assert.NotContains(t, out, "$filter")
}
