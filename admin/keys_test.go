package admin_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/admin"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
	"github.com/crmlink/crmlink/widget"
)

// widgetServer is the widget's handler over the console's store and key store, as a partner
// service mounting both would run them.
type widgetServer struct {
	h   *widget.Handler
	srv *httptest.Server
}

func newWidget(t *testing.T, c *console) *widgetServer {
	t.Helper()
	eng, err := matcher.New(memdir.New())
	require.NoError(t, err)
	res, err := crmlink.NewResolver(c.store, eng, crmlink.WithoutVisibility())
	require.NoError(t, err)
	profiles := &widget.MemoryProfiles{}
	_, err = profiles.LoadCompaniesCSV(strings.NewReader("id,name,industry,location,website\ne0,Acme Corporation,Machinery,Chicago,acme.com\n"), "companies.csv")
	require.NoError(t, err)
	b := widget.Backend{Resolver: res, Profiles: profiles}
	h, err := widget.New(c.keys, widget.WithEnvironment(widget.Production, b), widget.WithEnvironment(widget.Test, b),
		widget.WithEnvironment(widget.Development, b), widget.WithLoopbackHTTP())
	require.NoError(t, err)
	w := &widgetServer{h: h, srv: httptest.NewServer(h)}
	t.Cleanup(w.srv.Close)
	return w
}

// post sends body as JSON to the widget with bearer and returns the status and the JSON answer.
func (w *widgetServer) post(t *testing.T, path, bearer string, body any) (int, map[string]any) {
	t.Helper()
	raw, err := json.Marshal(body)
	require.NoError(t, err)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, w.srv.URL+path, bytes.NewReader(raw))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+bearer)
	resp, err := w.srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var out map[string]any
	require.NoError(t, json.Unmarshal(b, &out), "%s answers JSON: %s", path, b)
	return resp.StatusCode, out
}

// mint mints a viewer token over HTTP with key: the status, and the token or the error code.
func (w *widgetServer) mint(t *testing.T, key string) (int, string) {
	t.Helper()
	code, out := w.post(t, "/v1/tokens", key, widget.TokenRequest{Org: org, CRMUser: "005ADMIN"})
	if code == http.StatusOK {
		return code, out["token"].(string)
	}
	s, _ := out["error"].(string)
	return code, s
}

// card asks the card of account 001A with a viewer token: the status, and the state or the
// error code.
func (w *widgetServer) card(t *testing.T, token string) (int, string) {
	t.Helper()
	code, out := w.post(t, "/v1/card", token, widget.CardRequest{Object: "account", RecordID: "001A", Params: map[string]string{"name": "Acme"}})
	if code == http.StatusOK {
		s, _ := out["state"].(string)
		return code, s
	}
	s, _ := out["error"].(string)
	return code, s
}

func TestConsoleKeysCreateShowOnceRevoke(t *testing.T) {
	c := newConsole(t)
	w := newWidget(t, c)

	code, page := c.do(t, http.MethodPost, "/keys", c.token, url.Values{"partner": {"Acme Partner"}, "env": {"production"}})
	require.Equal(t, http.StatusOK, code)
	key := between(page, `id="new-key">`, "<")
	require.True(t, strings.HasPrefix(key, "ck_live_"), "the new key is on the page: %q", key)
	info, err := c.keys.Verify(key)
	require.NoError(t, err)
	assert.Equal(t, []string{org}, info.Orgs, "a key of the console's org only")
	assert.Equal(t, widget.Production, info.Env)
	assert.Equal(t, "Acme Partner", info.Partner)

	code, page = c.do(t, http.MethodGet, "/", c.token, nil)
	require.Equal(t, http.StatusOK, code)
	assert.NotContains(t, page, key, "a key is shown only once")
	assert.NotContains(t, page, `id="new-key"`)
	assert.Contains(t, between(page, `id="keys-production"`, "</table>"), info.ID, "listed under its environment")
	assert.Contains(t, page, "Acme Partner")

	// The key works against the widget: in process and over HTTP.
	_, _, err = w.h.Mint(key, org, "005ADMIN", 0)
	require.NoError(t, err)
	code, tok := w.mint(t, key)
	require.Equal(t, http.StatusOK, code, tok)
	code, state := w.card(t, tok)
	require.Equal(t, http.StatusOK, code, state)
	assert.Equal(t, "match", state, "the stored mapping of 001A")

	code, page = c.do(t, http.MethodPost, "/revoke-key", c.token, url.Values{"id": {info.ID}})
	require.Equal(t, http.StatusOK, code)
	assert.Contains(t, page, "revoked")
	_, err = c.keys.Verify(key)
	assert.ErrorIs(t, err, widget.ErrRevokedKey)
	_, _, err = w.h.Mint(key, org, "005ADMIN", 0)
	assert.ErrorIs(t, err, widget.ErrRevokedKey)
	code, msg := w.mint(t, key)
	assert.Equal(t, http.StatusUnauthorized, code)
	assert.Equal(t, "revoked_key", msg)
	code, msg = w.card(t, tok)
	assert.Equal(t, http.StatusUnauthorized, code, "a token of a revoked key is refused")
	assert.Equal(t, "revoked_key", msg)
	assert.NotContains(t, between(page, `id="key-`+info.ID+`"`, "</tr>"), "Revoke", "nothing left to revoke")
}

func TestConsoleKeysPerEnvironmentAndOrg(t *testing.T) {
	c := newConsole(t)
	for _, env := range []string{"development", "test"} {
		code, page := c.do(t, http.MethodPost, "/keys", c.token, url.Values{"partner": {"p-" + env}, "env": {env}})
		require.Equal(t, http.StatusOK, code)
		assert.NotEmpty(t, between(page, `id="new-key">`, "<"))
	}
	_, otherInfo, err := c.keys.Create("partner", widget.Production, []string{other}, time.Now())
	require.NoError(t, err)
	sharedKey, sharedInfo, err := c.keys.Create("partner", widget.Production, []string{org, other}, time.Now())
	require.NoError(t, err)

	_, page := c.do(t, http.MethodGet, "/", c.token, nil)
	assert.Contains(t, between(page, `id="keys-development"`, "</table>"), "p-development")
	assert.Contains(t, between(page, `id="keys-test"`, "</table>"), "p-test")
	assert.NotContains(t, page, otherInfo.ID, "another org's key is not listed")
	assert.Contains(t, between(page, `id="key-`+sharedInfo.ID+`"`, "</tr>"), "shared with other orgs")

	code, page := c.do(t, http.MethodPost, "/revoke-key", c.token, url.Values{"id": {otherInfo.ID}})
	assert.Equal(t, http.StatusNotFound, code, "another org's key")
	assert.NotContains(t, page, "revoked:")
	code, _ = c.do(t, http.MethodPost, "/revoke-key", c.token, url.Values{"id": {sharedInfo.ID}})
	assert.Equal(t, http.StatusForbidden, code, "a key that reaches other orgs")
	_, err = c.keys.Verify(sharedKey)
	assert.NoError(t, err, "the shared key still works")
	got, _ := c.keys.Info(otherInfo.ID)
	assert.False(t, got.Revoked, "the other org's key still works")
	code, _ = c.do(t, http.MethodPost, "/revoke-key", c.token, url.Values{"id": {"nope"}})
	assert.Equal(t, http.StatusNotFound, code)

	before := len(c.keys.List())
	for _, form := range []url.Values{
		{"partner": {"p"}, "env": {"staging"}},
		{"partner": {"  "}, "env": {"production"}},
		{"partner": {strings.Repeat("p", 101)}, "env": {"production"}},
	} {
		code, page := c.do(t, http.MethodPost, "/keys", c.token, form)
		assert.Equal(t, http.StatusBadRequest, code, "%v", form)
		assert.NotContains(t, page, `id="new-key"`)
	}
	assert.Len(t, c.keys.List(), before, "no key created by a refused request")
}

func TestConsoleKeysRefuseOtherCredentials(t *testing.T) {
	c := newConsole(t)
	w := newWidget(t, c)
	key, info, err := c.keys.Create("partner", widget.Production, []string{org}, time.Now())
	require.NoError(t, err)
	viewer, _, err := w.h.Mint(key, org, "005ADMIN", 0)
	require.NoError(t, err)
	otherAdmin, err := c.tokens.Issue(other)
	require.NoError(t, err)

	for _, tc := range []struct{ name, token string }{
		{"none", ""},
		{"partner key", key},
		{"viewer token", viewer},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, body := c.do(t, http.MethodGet, "/", tc.token, nil)
			assert.Equal(t, http.StatusUnauthorized, code)
			assert.NotContains(t, body, info.ID)
			code, body = c.do(t, http.MethodPost, "/keys", tc.token, url.Values{"partner": {"x"}, "env": {"production"}})
			assert.Equal(t, http.StatusUnauthorized, code)
			assert.NotContains(t, body, "ck_")
			code, _ = c.do(t, http.MethodPost, "/revoke-key", tc.token, url.Values{"id": {info.ID}})
			assert.Equal(t, http.StatusUnauthorized, code)
		})
	}
	// The admin of another org neither sees nor revokes the key.
	code, page := c.do(t, http.MethodGet, "/", otherAdmin, nil)
	require.Equal(t, http.StatusOK, code)
	assert.NotContains(t, page, info.ID)
	code, _ = c.do(t, http.MethodPost, "/revoke-key", otherAdmin, url.Values{"id": {info.ID}})
	assert.Equal(t, http.StatusNotFound, code)

	assert.Len(t, c.keys.List(), 1, "no key created")
	_, err = c.keys.Verify(key)
	assert.NoError(t, err, "the key was not revoked")
}

func TestConsoleWithoutKeys(t *testing.T) {
	c := newConsole(t)
	h, err := admin.New(admin.Config{Store: c.store, Auth: c.tokens, Reports: c.reports})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c.srv = srv
	code, page := c.do(t, http.MethodGet, "/", c.token, nil)
	require.Equal(t, http.StatusOK, code)
	assert.NotContains(t, page, "Partner keys")
	code, _ = c.do(t, http.MethodPost, "/keys", c.token, url.Values{"partner": {"x"}, "env": {"production"}})
	assert.Equal(t, http.StatusNotFound, code)
	code, _ = c.do(t, http.MethodPost, "/revoke-key", c.token, url.Values{"id": {"x"}})
	assert.Equal(t, http.StatusNotFound, code)
}

func TestConsoleDisableRefusesWidget(t *testing.T) {
	c := newConsole(t)
	w := newWidget(t, c)
	key, _, err := c.keys.Create("partner", widget.Production, []string{org}, time.Now())
	require.NoError(t, err)
	tok, _, err := w.h.Mint(key, org, "005ADMIN", 0)
	require.NoError(t, err)
	code, state := w.card(t, tok)
	require.Equal(t, http.StatusOK, code, state)

	code, _ = c.do(t, http.MethodPost, "/integration", c.token, url.Values{"state": {"off"}})
	require.Equal(t, http.StatusSeeOther, code)
	code, msg := w.card(t, tok)
	assert.Equal(t, http.StatusForbidden, code)
	assert.Equal(t, "disabled", msg)

	code, _ = c.do(t, http.MethodPost, "/integration", c.token, url.Values{"state": {"on"}})
	require.Equal(t, http.StatusSeeOther, code)
	code, state = w.card(t, tok)
	assert.Equal(t, http.StatusOK, code, state)
}
