package salesforce_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/salesforce"
	"github.com/crmlink/crmlink/crm/sourcetest"
)

// TestPrivacy runs failures whose bodies quote record data and secrets, and checks that neither
// the errors nor anything logged (simpleforce logs to the standard logger) contain them.
func TestPrivacy(t *testing.T) {
	var logs bytes.Buffer
	log.SetOutput(&logs)
	prevSlog := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	t.Cleanup(func() {
		log.SetOutput(os.Stderr)
		slog.SetDefault(prevSlog)
	})

	ds := sourcetest.Fixture()
	f := newFakeOrg(t, ds)
	src := f.source(t, fastRetry(1), salesforce.WithBulkPolling(time.Millisecond, time.Millisecond))
	bulk := f.source(t, fastRetry(1), salesforce.WithBulk(true), salesforce.WithBulkPolling(time.Millisecond, time.Millisecond))
	c := ds.Contacts[0]
	secrets := []string{c.Email, c.FirstName, c.LastName, ds.Accounts[0].Name, "s3cr3t-client-secret", "AR8AQfakeSessionToken"}
	quoted := fmt.Sprintf("%s %s <%s> at %s, session 00D000000000001!AR8AQfakeSessionToken0001",
		c.FirstName, c.LastName, c.Email, ds.Accounts[0].Name)
	body := func(code string) string {
		return fmt.Sprintf(`[{"message":%q,"errorCode":%q,"fields":["Email"]}]`, quoted, code)
	}

	var errs []error
	read := func(s *salesforce.Source) {
		_, err := crm.Collect(s.Contacts(t.Context(), crm.Filter{}))
		require.Error(t, err)
		errs = append(errs, err)
	}
	for _, fl := range []fault{
		{route: "query", times: 1, status: 400, body: body("MALFORMED_QUERY")},
		{route: "query", skip: 1, times: 1, status: 500, body: body("UNKNOWN_EXCEPTION")},
		{route: "query", times: 2, status: 403, body: body("REQUEST_LIMIT_EXCEEDED")},
		{route: "query", times: 1, status: 404, body: quoted}, // not even JSON
		{route: "query", times: 1, status: 200, body: `{"done":true,"records":[{"Email":"` + c.Email + `"`},
		{route: "query", times: 1, status: 200, body: `{"done":true,"records":[{"Email":"` + c.Email + `","LastModifiedDate":"` + c.Email + `"}]}`},
		{route: "query", times: 2, status: 401, body: body("INVALID_SESSION_ID")},
	} {
		f.inject(&fl)
		read(src)
	}
	for _, fl := range []fault{
		{route: "jobs", skip: 1, times: 1, status: 200, body: `{"id":"750R0000000zlh9IAA","state":"Failed","errorMessage":` + fmt.Sprintf("%q", quoted) + `}`},
		{route: "results", times: 1, status: 200, body: "\"Id\",\"Email\"\n\"003\",\"" + c.Email + "\",\"extra\"\n"},
		{route: "results", times: 1, status: 400, body: body("INVALID_FIELD")},
	} {
		f.inject(&fl)
		read(bulk)
	}
	// Stage names are picklist metadata, fine to quote, but the query must not leak the body.
	f.inject(&fault{route: "query", times: 1, status: 400, body: body("INVALID_FIELD")})
	_, _, err := src.TiedToOpenOpportunities(t.Context(), "Prospecting")
	require.Error(t, err)
	errs = append(errs, err)

	// Per-record write errors quote the subject and the record.
	f.badIDs[c.ID] = true
	a := activity(crm.InMail, crm.ObjectContact, c.ID, "k")
	a.Subject = "Hello " + c.FirstName
	res, err := src.WriteActivities(t.Context(), []crm.Activity{a})
	require.NoError(t, err)
	require.Error(t, res[0].Err)
	assert.Contains(t, res[0].Err.Error(), "FIELD_INTEGRITY_EXCEPTION")
	errs = append(errs, res[0].Err)
	f.inject(&fault{route: "composite", times: 1, status: 400, body: body("JSON_PARSER_ERROR")})
	delete(f.badIDs, c.ID)
	res, err = src.WriteActivities(t.Context(), []crm.Activity{a})
	require.NoError(t, err)
	require.Error(t, res[0].Err)
	errs = append(errs, res[0].Err)

	// Token endpoint failures echo nothing of the secret or the description.
	ctx := context.WithValue(t.Context(), oauth2.HTTPClient, f.srv.Client())
	cc := &clientcredentials.Config{ClientID: "3MVG9fake", ClientSecret: "s3cr3t-client-secret-wrong", TokenURL: f.srv.URL + "/services/oauth2/token"}
	_, err = salesforce.New(t.Context(), salesforce.Config{TokenSource: salesforce.ClientCredentials(ctx, cc), HTTPClient: f.srv.Client()})
	require.Error(t, err)
	errs = append(errs, err)
	f.inject(&fault{route: "token", times: 1, status: 400, body: `{"error":"invalid_grant","error_description":` + fmt.Sprintf("%q", quoted) + `}`})
	_, err = salesforce.New(t.Context(), f.config())
	require.Error(t, err)
	errs = append(errs, err)

	// Transport failures quote URLs holding SOQL; they must not reach the error either.
	deadSrc, err := salesforce.New(t.Context(), salesforce.Config{
		TokenSource: staticToken{(&oauth2.Token{AccessToken: "00D000000000001!AR8AQfakeSessionToken0099"}).WithExtra(map[string]any{"instance_url": "https://acme.my.salesforce.com"})},
		HTTPClient:  &http.Client{Transport: failing{}},
	}, fastRetry(-1))
	require.NoError(t, err)
	_, err = crm.Collect(deadSrc.Contacts(t.Context(), crm.Filter{ModifiedSince: time.Now(), IDs: []string{c.ID}}))
	require.Error(t, err)
	assert.ErrorIs(t, err, crm.ErrUnavailable)
	errs = append(errs, err)

	require.Len(t, errs, 16)
	for i, err := range errs {
		for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
			for _, s := range secrets {
				assert.NotContains(t, text, s, "error %d leaks a value: %s", i, text)
			}
			assert.NotContains(t, text, "SELECT", "error %d quotes SOQL", i)
		}
	}
	for _, s := range append(secrets, "SELECT", "Failed resp.body") {
		assert.NotContains(t, logs.String(), s, "log output")
	}
	assert.Empty(t, logs.String(), "nothing is logged")
}

// failing is a transport that fails with an error quoting the request URL, as net/http's do.
type failing struct{}

func (failing) RoundTrip(r *http.Request) (*http.Response, error) {
	return nil, fmt.Errorf("dial tcp: lookup %s: no such host (%s)", r.URL.Host, strings.ReplaceAll(r.URL.String(), "+", " "))
}
