package admin_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/admin"
	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/report"
	"github.com/crmlink/crmlink/widget"
)

const (
	org   = "00D000000000001AAA"
	other = "00D000000000002AAA"
)

type console struct {
	srv     *httptest.Server
	store   *override.Store
	reports *report.History
	tokens  *admin.Tokens
	token   string
	keys    *widget.Keys // the partner keys the console manages and the widget authenticates with
}

func newConsole(t *testing.T) *console {
	t.Helper()
	c := &console{store: override.NewMemory(), reports: report.NewHistory(0), tokens: admin.NewTokens(), keys: &widget.Keys{}}
	t.Cleanup(func() { c.store.Close() })
	var err error
	c.token, err = c.tokens.Issue(org)
	require.NoError(t, err)
	var b override.Batch
	for i, id := range []string{"001A", "001B", "003C"} {
		obj := override.Account
		kind := override.Company
		if strings.HasPrefix(id, "003") {
			obj, kind = override.Contact, override.Member
		}
		for _, o := range []string{org, other} {
			b.Put(override.Mapping{Record: override.RecordRef{Org: o, Object: obj, ID: id},
				Entity: override.EntityRef{Kind: kind, ID: "e" + string(rune('0'+i))}, Source: override.Sync})
		}
	}
	require.NoError(t, c.store.Write(t.Context(), &b))
	mb := report.NewMatchBuilder(org, time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	mb.Add(report.Account, "001A", report.Sync, 0.95)
	mb.Add(report.Account, "001B", report.Sync, 0.91)
	mb.Add(report.Account, "001Z", report.Ambiguous, 0.6)
	mb.Add(report.Contact, "003C", report.Sync, 0.88)
	c.reports.Add(mb.Finish(time.Date(2026, 3, 1, 9, 1, 0, 0, time.UTC)))
	h, err := admin.New(admin.Config{Store: c.store, Auth: c.tokens, Reports: c.reports,
		ROI: func(ctx context.Context, o string) (report.ROI, error) {
			return report.ComputeROI(report.ROIInput{
				Stages: []crm.OpportunityStage{{Name: "Qualify", SortOrder: 1}, {Name: "Develop", SortOrder: 2},
					{Name: "Won", SortOrder: 3, IsClosed: true, IsWon: true}, {Name: "Lost", SortOrder: 4, IsClosed: true}},
				Stage: "Qualify", AsOf: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
				Opportunities: []report.Opportunity{
					{ID: "o1", AccountID: "001A", Stage: "Won", Amount: 12500, CreatedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), CloseDate: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC),
						History: []report.StageChange{{Stage: "Won", At: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)}}},
					{ID: "o2", AccountID: "001B", Stage: "Lost", Amount: 3000, CreatedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), CloseDate: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
				},
				Activities: []report.Activity{{Object: report.Account, ID: "001A", At: time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)}},
			})
		}}, admin.WithKeys(c.keys))
	require.NoError(t, err)
	c.srv = httptest.NewServer(h)
	t.Cleanup(c.srv.Close)
	return c
}

// do sends a request with token as bearer credential. A POST form gets the session's
// anti-forgery token from the page first, as a browser does, unless it sets the field itself
// (rawDo sends the form as is).
func (c *console) do(t *testing.T, method, path, token string, form url.Values) (int, string) {
	t.Helper()
	if method == http.MethodPost && form != nil && token != "" && !form.Has(admin.CSRFField) {
		if tok := c.csrf(t, token); tok != "" {
			form = cloneForm(form)
			form.Set(admin.CSRFField, tok)
		}
	}
	return c.rawDo(t, method, path, token, form)
}

func cloneForm(f url.Values) url.Values {
	out := url.Values{}
	for k, v := range f {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// reCSRF finds the anti-forgery token in a console page.
var reCSRF = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf returns the anti-forgery token the console's page gives the session of token; "" when
// the page is refused.
func (c *console) csrf(t *testing.T, token string) string {
	t.Helper()
	code, page := c.rawDo(t, http.MethodGet, "/", token, nil)
	if code != http.StatusOK {
		return ""
	}
	m := reCSRF.FindAllStringSubmatch(page, -1)
	require.NotEmpty(t, m, "the page has no anti-forgery token")
	require.Len(t, m, strings.Count(page, `<form method="post"`), "every form carries the token")
	for _, x := range m {
		require.Equal(t, m[0][1], x[1], "every form carries the same token")
	}
	return m[0][1]
}

func (c *console) rawDo(t *testing.T, method, path, token string, form url.Values) (int, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(t.Context(), method, c.srv.URL+path, body)
	require.NoError(t, err)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	cl := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := cl.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

func TestConsoleRefusesWithoutAdminCredential(t *testing.T) {
	c := newConsole(t)
	revoked, err := c.tokens.Issue(org)
	require.NoError(t, err)
	require.True(t, c.tokens.Revoke(revoked))
	for _, tc := range []struct{ name, token string }{
		{"none", ""},
		{"viewer token", "vt_" + strings.TrimPrefix(c.token, "cla_")},
		{"partner key", "pk_live_0123456789"},
		{"revoked", revoked},
		{"tampered", c.token + "x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, p := range []string{"/", "/report.json", "/charts/scores.svg"} {
				code, body := c.do(t, http.MethodGet, p, tc.token, nil)
				assert.Equal(t, http.StatusUnauthorized, code, "GET %s", p)
				assert.NotContains(t, body, org)
			}
			code, _ := c.do(t, http.MethodPost, "/purge", tc.token, url.Values{"confirm": {org}})
			assert.Equal(t, http.StatusUnauthorized, code)
			code, _ = c.do(t, http.MethodPost, "/integration", tc.token, url.Values{"state": {"off"}})
			assert.Equal(t, http.StatusUnauthorized, code)
		})
	}
	n, err := c.store.Count(t.Context(), org)
	require.NoError(t, err)
	assert.Equal(t, 3, n, "nothing purged")
	off, err := c.store.Disabled(t.Context(), org)
	require.NoError(t, err)
	assert.False(t, off)
}

func TestConsolePageReportAndCharts(t *testing.T) {
	c := newConsole(t)
	code, page := c.do(t, http.MethodGet, "/", c.token, nil)
	require.Equal(t, http.StatusOK, code)
	assert.Contains(t, page, `id="state" class="state on">on<`)
	assert.Contains(t, page, "<td>account</td><td>3</td>")
	assert.Contains(t, page, "66.7%", "account linked share 2/3")
	assert.Contains(t, page, "12,500", "influenced won revenue")
	assert.NotContains(t, page, "<script")

	code, body := c.do(t, http.MethodGet, "/report.json", c.token, nil)
	require.Equal(t, http.StatusOK, code)
	var m report.Match
	require.NoError(t, json.Unmarshal([]byte(body), &m))
	assert.Equal(t, 3, m.Object(report.Account).Counts.Read)
	code, body = c.do(t, http.MethodGet, "/report.csv", c.token, nil)
	require.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, "account,3,0,0,0,2,0,1,0,2,0.6667")

	for _, name := range []string{"scores", "share", "roi"} {
		code, body := c.do(t, http.MethodGet, "/charts/"+name+".svg", c.token, nil)
		require.Equal(t, http.StatusOK, code, name)
		d := xml.NewDecoder(strings.NewReader(body))
		tok, err := d.Token()
		for err == nil {
			if se, ok := tok.(xml.StartElement); ok {
				assert.Equal(t, "svg", se.Name.Local, "%s: root element", name)
				break
			}
			tok, err = d.Token()
		}
		require.NoError(t, err, "%s: SVG parses", name)
	}
	code, _ = c.do(t, http.MethodGet, "/charts/nope.svg", c.token, nil)
	assert.Equal(t, http.StatusNotFound, code)
}

func TestConsoleIntegrationOnOff(t *testing.T) {
	c := newConsole(t)
	code, _ := c.do(t, http.MethodPost, "/integration", c.token, url.Values{"state": {"off"}})
	require.Equal(t, http.StatusSeeOther, code)
	require.ErrorIs(t, c.store.CheckEnabled(t.Context(), "resolve", org), override.ErrOrgDisabled, "disabled through the console")
	require.NoError(t, c.store.CheckEnabled(t.Context(), "resolve", other), "another org stays enabled")
	_, page := c.do(t, http.MethodGet, "/", c.token, nil)
	assert.Contains(t, page, `class="state off">off<`)

	code, _ = c.do(t, http.MethodPost, "/integration", c.token, url.Values{"state": {"on"}})
	require.Equal(t, http.StatusSeeOther, code)
	assert.NoError(t, c.store.CheckEnabled(t.Context(), "resolve", org))
	code, _ = c.do(t, http.MethodPost, "/integration", c.token, url.Values{"state": {"maybe"}})
	assert.Equal(t, http.StatusBadRequest, code)
}

func TestConsolePurge(t *testing.T) {
	c := newConsole(t)
	code, page := c.do(t, http.MethodPost, "/purge", c.token, url.Values{"confirm": {"00D000000000001AA"}})
	assert.Equal(t, http.StatusBadRequest, code, "a mistyped confirmation")
	assert.Contains(t, page, "Nothing was purged")
	n, err := c.store.Count(t.Context(), org)
	require.NoError(t, err)
	require.Equal(t, 3, n)

	code, page = c.do(t, http.MethodPost, "/purge", c.token, url.Values{"confirm": {org}})
	require.Equal(t, http.StatusOK, code)
	before := between(page, `id="audit-before">`, "</pre>")
	after := between(page, `id="audit-after">`, "</pre>")
	assert.Contains(t, before, ": 3 stored")
	assert.Contains(t, after, ": 0 stored")
	assert.Contains(t, page, "Purged 3 mappings")
	n, err = c.store.Count(t.Context(), org)
	require.NoError(t, err)
	assert.Zero(t, n, "the org's mappings are gone")
	n, err = c.store.Count(t.Context(), other)
	require.NoError(t, err)
	assert.Equal(t, 3, n, "another org's mappings stay")
	_, _, ok := c.reports.Latest(org)
	assert.False(t, ok, "the org's match reports are gone")
	code, _ = c.do(t, http.MethodGet, "/report.json", c.token, nil)
	assert.Equal(t, http.StatusNotFound, code)
}

func between(s, from, to string) string {
	_, rest, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	out, _, _ := strings.Cut(rest, to)
	return out
}

func TestNewIncompleteConfig(t *testing.T) {
	_, err := admin.New(admin.Config{})
	assert.True(t, errors.Is(err, admin.ErrConfig))
}

// TestConsoleRefusesForgedPosts: every form POST needs the anti-forgery token of the admin
// session; without it, with a wrong one, or with another session's, the console answers 403 and
// changes nothing.
func TestConsoleRefusesForgedPosts(t *testing.T) {
	c := newConsole(t)
	second, err := c.tokens.Issue(org) // another admin session of the same org
	require.NoError(t, err)
	mine, theirs := c.csrf(t, c.token), c.csrf(t, second)
	require.NotEmpty(t, mine)
	assert.NotEqual(t, mine, theirs, "each session has its own token")
	assert.Equal(t, mine, c.csrf(t, c.token), "the token is stable within a session")

	forms := []struct {
		path string
		form url.Values
	}{
		{"/integration", url.Values{"state": {"off"}}},
		{"/purge", url.Values{"confirm": {org}}},
		{"/keys", url.Values{"partner": {"Forged"}, "env": {"production"}}},
		{"/revoke-key", url.Values{"id": {"whatever"}}},
	}
	for _, bad := range []struct{ name, token string }{
		{"missing", ""}, {"wrong", mine[:len(mine)-2] + "AA"}, {"other session", theirs}, {"truncated", mine[:10]},
	} {
		for _, f := range forms {
			form := cloneForm(f.form)
			form.Set(admin.CSRFField, bad.token)
			code, body := c.rawDo(t, http.MethodPost, f.path, c.token, form)
			assert.Equal(t, http.StatusForbidden, code, "%s token on %s", bad.name, f.path)
			assert.Contains(t, body, "anti-forgery")
		}
	}
	// Nothing changed: still enabled, mappings kept, no key created.
	disabled, err := c.store.Disabled(t.Context(), org)
	require.NoError(t, err)
	assert.False(t, disabled)
	n, err := c.store.Count(t.Context(), org)
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	assert.Empty(t, c.keys.List(), "no key was created")

	// The token sent as a query parameter does not count: it must be in the form body.
	code, _ := c.rawDo(t, http.MethodPost, "/integration?csrf="+url.QueryEscape(mine), c.token, url.Values{"state": {"off"}})
	assert.Equal(t, http.StatusForbidden, code)

	// The right token works, in the same session only.
	code, _ = c.rawDo(t, http.MethodPost, "/integration", c.token, url.Values{"state": {"off"}, admin.CSRFField: {mine}})
	assert.Equal(t, http.StatusSeeOther, code)
	disabled, err = c.store.Disabled(t.Context(), org)
	require.NoError(t, err)
	assert.True(t, disabled)

	// A cookie session gets a token of its own, which a bearer session with the same credential
	// does not share and which the cookie session's POSTs need.
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, c.srv.URL+"/", nil)
	require.NoError(t, err)
	req.AddCookie(&http.Cookie{Name: admin.CookieName, Value: c.token})
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	page, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	m := reCSRF.FindStringSubmatch(string(page))
	require.NotNil(t, m)
	cookieTok := m[1]
	assert.NotEqual(t, mine, cookieTok)
	post := func(tok string) int {
		form := url.Values{"state": {"on"}, admin.CSRFField: {tok}}
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, c.srv.URL+"/integration", strings.NewReader(form.Encode()))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: admin.CookieName, Value: c.token})
		cl := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := cl.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	assert.Equal(t, http.StatusForbidden, post(mine), "the bearer session's token in the cookie session")
	assert.Equal(t, http.StatusSeeOther, post(cookieTok))
}
