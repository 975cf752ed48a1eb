package widget_test

import (
	"context"

	"errors"
	"fmt"
	"github.com/crmlink/crmlink"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/widget"
)

func TestCardMatchChooseReject(t *testing.T) {
	f := newFixture(t)
	tok := f.token(rep)
	a := f.call("/v1/card", tok, card("account", acct, map[string]string{"name": "Acme Corporation", "website": "www.acme.com"}))
	if a.status != http.StatusOK {
		t.Fatalf("card: %d %s", a.status, a.raw)
	}
	if a.body["state"] != "match" || a.body["via"] != "match" {
		t.Fatalf("card: state %v via %v, want match by match", a.body["state"], a.body["via"])
	}
	best := a.body["best"].(map[string]any)
	if best["id"] != "c1" || best["name"] != "Acme Corporation" || best["headline"] != "Machinery" {
		t.Fatalf("best = %v, want c1 Acme Corporation (Machinery)", best)
	}
	why := fmt.Sprint(best["why"])
	if !strings.Contains(why, "Website matches exactly") || !strings.Contains(why, "Name matches exactly") {
		t.Errorf("why = %s, want the name and website explained", why)
	}
	if got := a.header.Get("Access-Control-Allow-Origin"); got != f.origin {
		t.Errorf("Access-Control-Allow-Origin = %q, want %q", got, f.origin)
	}
	cands := a.body["candidates"].([]any)
	if len(cands) == 0 {
		t.Fatal("no other candidates listed")
	}
	other := cands[0].(map[string]any)["id"].(string)

	// Choosing another candidate stores a manual mapping: the next card shows it first.
	if a := f.call("/v1/choose", tok, widget.ChoiceRequest{Object: "account", RecordID: acct, EntityID: other}); a.status != http.StatusOK {
		t.Fatalf("choose: %d %s", a.status, a.raw)
	}
	a = f.call("/v1/card", tok, card("account", acct, map[string]string{"name": "Acme Corporation", "website": "www.acme.com"}))
	if a.body["via"] != "manual" || a.body["best"].(map[string]any)["id"] != other {
		t.Fatalf("after choose: via %v best %v, want manual %s", a.body["via"], a.body["best"], other)
	}
	m, ok, err := f.stores[widget.Production].Get(context.Background(), override.RecordRef{Org: org, Object: override.Account, ID: acct})
	if err != nil || !ok || m.UpdatedBy != rep || m.Source != override.Manual {
		t.Fatalf("stored mapping = %+v, %v, %v; want manual by %s", m, ok, err, rep)
	}

	// "Not this one" on the manual choice removes it; the entity is never proposed again.
	if a := f.call("/v1/reject", tok, widget.ChoiceRequest{Object: "account", RecordID: acct, EntityID: other}); a.status != http.StatusOK {
		t.Fatalf("reject: %d %s", a.status, a.raw)
	}
	a = f.call("/v1/card", tok, card("account", acct, map[string]string{"name": "Acme Corporation", "website": "www.acme.com"}))
	if a.body["via"] != "match" {
		t.Fatalf("after reject: via %v, want match", a.body["via"])
	}
	if strings.Contains(a.raw, `"id":"`+other+`"`) {
		t.Fatalf("after reject: %s still proposed: %s", other, a.raw)
	}
}

func TestCardConnectionDegree(t *testing.T) {
	f := newFixture(t)
	// boss holds a seat (member m9), connected to m3, who is connected to m1.
	a := f.call("/v1/card", f.token(boss), card("contact", contact, map[string]string{"first_name": "Ada", "last_name": "Lovelace", "company": "Analytical Engines"}))
	if a.status != http.StatusOK {
		t.Fatalf("card: %d %s", a.status, a.raw)
	}
	best := a.body["best"].(map[string]any)
	if best["id"] != "m1" {
		t.Fatalf("best = %v, want m1", best["id"])
	}
	conn, ok := best["connection"].(map[string]any)
	if !ok || conn["degree"] != float64(2) || conn["shared"] != float64(1) {
		t.Fatalf("connection = %v, want degree 2 with 1 shared", best["connection"])
	}
	// rep holds no seat of a member: no connection is shown, and the match is the same.
	score := best["score"]
	a = f.call("/v1/card", f.token(rep), card("contact", contact, map[string]string{"first_name": "Ada", "last_name": "Lovelace", "company": "Analytical Engines"}))
	best = a.body["best"].(map[string]any)
	if best["id"] != "m1" || best["connection"] != nil || best["score"] != score {
		t.Fatalf("without a seat: best %v score %v connection %v, want m1, %v and none", best["id"], best["score"], best["connection"], score)
	}
}

func TestRefusals(t *testing.T) {
	f := newFixture(t)
	tok := f.token(rep)
	good := card("account", acct, acmeParams)
	tests := []struct {
		name   string
		path   string
		bearer string
		body   any
		hdr    []string
		status int
		code   string
	}{
		{"no token", "/v1/card", "", good, nil, 401, "unauthenticated"},
		{"garbage token", "/v1/card", "not-a-token", good, nil, 401, "bad_token"},
		{"tampered token", "/v1/card", tamper(tok), good, nil, 401, "bad_token"},
		{"API key as token", "/v1/card", f.key, good, nil, 401, "bad_token"},
		{"foreign origin", "/v1/card", tok, good, []string{"Origin", "https://evil.example"}, 403, "forbidden"},
		{"malformed JSON", "/v1/card", tok, `{"object":`, nil, 400, "invalid_request"},
		{"trailing data", "/v1/card", tok, `{"object":"account","record_id":"001ACME","params":{"name":"x"}} {}`, nil, 400, "invalid_request"},
		{"unknown field", "/v1/card", tok, `{"object":"account","record_id":"001ACME","params":{"name":"x"},"owner":"005X"}`, nil, 400, "invalid_request"},
		{"parameter outside the allowlist", "/v1/card", tok, card("account", acct, map[string]string{"name": "Acme", "phone": "555"}), nil, 400, "invalid_request"},
		{"member parameter on a company", "/v1/card", tok, card("account", acct, map[string]string{"name": "Acme", "title": "CEO"}), nil, 400, "invalid_request"},
		{"upper-case parameter", "/v1/card", tok, card("account", acct, map[string]string{"NAME": "Acme"}), nil, 400, "invalid_request"},
		{"no parameters", "/v1/card", tok, card("account", acct, nil), nil, 400, "invalid_request"},
		{"too long parameter", "/v1/card", tok, card("account", acct, map[string]string{"name": strings.Repeat("a", 300)}), nil, 400, "invalid_request"},
		{"bad email hash", "/v1/card", tok, card("contact", contact, map[string]string{"last_name": "L", "email_sha256": "xyz"}), nil, 400, "invalid_request"},
		{"unknown object", "/v1/card", tok, card("case", acct, acmeParams), nil, 400, "invalid_request"},
		{"empty record ID", "/v1/card", tok, card("account", "", acmeParams), nil, 400, "invalid_request"},
		{"not JSON", "/v1/card", tok, good, []string{"Content-Type", "text/plain"}, 400, "invalid_request"},
		{"body too large", "/v1/card", tok, card("account", acct, map[string]string{"name": strings.Repeat("a", 9000)}), nil, 413, "too_large"},
		{"not visible", "/v1/card", tok, card("account", peerAcct, acmeParams), nil, 403, "not_visible"},
		{"unknown record not visible", "/v1/card", tok, card("account", "001NOBODY", acmeParams), nil, 403, "not_visible"},
		{"choose not visible", "/v1/choose", tok, widget.ChoiceRequest{Object: "account", RecordID: peerAcct, EntityID: "c1"}, nil, 403, "not_visible"},
		{"reject not visible", "/v1/reject", tok, widget.ChoiceRequest{Object: "account", RecordID: peerAcct, EntityID: "c1"}, nil, 403, "not_visible"},
		{"choose without entity", "/v1/choose", tok, widget.ChoiceRequest{Object: "account", RecordID: acct}, nil, 400, "invalid_request"},
		{"token from a browser", "/v1/tokens", f.key, widget.TokenRequest{Org: org, CRMUser: rep}, []string{"Origin", f.origin}, 403, "forbidden"},
		{"token without key", "/v1/tokens", "", widget.TokenRequest{Org: org, CRMUser: rep}, nil, 401, "unauthenticated"},
		{"token with unknown key", "/v1/tokens", "ck_live_abc_def", widget.TokenRequest{Org: org, CRMUser: rep}, nil, 401, "unknown_key"},
		{"token with a wrong secret", "/v1/tokens", f.key[:len(f.key)-2] + "xx", widget.TokenRequest{Org: org, CRMUser: rep}, nil, 401, "unknown_key"},
		{"token with the env tag of another env", "/v1/tokens", strings.Replace(f.key, "ck_live_", "ck_dev_", 1), widget.TokenRequest{Org: org, CRMUser: rep}, nil, 401, "unknown_key"},
		{"token for an org not granted", "/v1/tokens", f.key, widget.TokenRequest{Org: otherOrg, CRMUser: rep}, nil, 403, "forbidden"},
		{"token without user", "/v1/tokens", f.key, widget.TokenRequest{Org: org}, nil, 400, "invalid_request"},
		{"token too long-lived", "/v1/tokens", f.key, widget.TokenRequest{Org: org, CRMUser: rep, TTLSeconds: 7200}, nil, 400, "invalid_request"},
		{"token with negative life", "/v1/tokens", f.key, widget.TokenRequest{Org: org, CRMUser: rep, TTLSeconds: -5}, nil, 400, "invalid_request"},
		{"token with overflowing life", "/v1/tokens", f.key, `{"org":"` + org + `","crm_user":"u","ttl_seconds":9223372036854775807}`, nil, 400, "invalid_request"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := f.call(tc.path, tc.bearer, tc.body, tc.hdr...)
			if a.status != tc.status || a.code() != tc.code {
				t.Fatalf("%s: got %d %q, want %d %q (%s)", tc.path, a.status, a.code(), tc.status, tc.code, a.raw)
			}
			if tc.status == 401 && a.header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
			if a.header.Get("Strict-Transport-Security") == "" {
				t.Error("refusal without HSTS")
			}
		})
	}
}

func tamper(tok string) string {
	p, mac, _ := strings.Cut(tok, ".")
	b := []byte(p)
	b[len(b)/2] ^= 1
	return string(b) + "." + mac
}

func TestNotVisibleSaysNothingOfMappings(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// The peer's account has a manual mapping; an unmapped one of the peer's has none. The rep
	// sees neither, and cannot tell them apart.
	setAccess(f.access, map[string]string{peerAcct: peer, "001PEER2": peer, acct: rep})
	err := f.stores[widget.Production].Put(ctx, override.Mapping{Record: override.RecordRef{Org: org, Object: override.Account, ID: peerAcct},
		Entity: override.EntityRef{Kind: override.Company, ID: "c1"}, Source: override.Manual})
	if err != nil {
		t.Fatal(err)
	}
	tok := f.token(rep)
	mapped := f.call("/v1/card", tok, card("account", peerAcct, acmeParams))
	unmapped := f.call("/v1/card", tok, card("account", "001PEER2", acmeParams))
	if mapped.status != 403 || mapped.code() != "not_visible" {
		t.Fatalf("mapped: %d %s", mapped.status, mapped.raw)
	}
	if strings.ReplaceAll(mapped.raw, peerAcct, "X") != strings.ReplaceAll(unmapped.raw, "001PEER2", "X") {
		t.Fatalf("answers differ:\n%s\n%s", mapped.raw, unmapped.raw)
	}
	// The peer's manager sees it.
	if a := f.call("/v1/card", f.token(boss), card("account", peerAcct, acmeParams)); a.status != 200 || a.body["via"] != "manual" {
		t.Fatalf("boss: %d %s", a.status, a.raw)
	}
}

func TestDisabledOrg(t *testing.T) {
	f := newFixture(t)
	tok := f.token(rep)
	ctx := context.Background()
	if err := f.stores[widget.Production].Disable(ctx, org); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/v1/card", "/v1/choose", "/v1/reject"} {
		var body any = card("account", acct, acmeParams)
		if path != "/v1/card" {
			body = widget.ChoiceRequest{Object: "account", RecordID: acct, EntityID: "c1"}
		}
		if a := f.call(path, tok, body); a.status != 403 || a.code() != "disabled" {
			t.Fatalf("%s on a disabled org: %d %s", path, a.status, a.raw)
		}
	}
	if err := f.stores[widget.Production].Enable(ctx, org); err != nil {
		t.Fatal(err)
	}
	if n, err := f.stores[widget.Production].Count(ctx, org); err != nil || n != 0 {
		t.Fatalf("a disabled org was written: %d mappings, %v", n, err)
	}
	if a := f.call("/v1/card", tok, card("account", acct, acmeParams)); a.status != 200 {
		t.Fatalf("enabled again: %d %s", a.status, a.raw)
	}
}

func TestExpiredToken(t *testing.T) {
	f := newFixture(t)
	tok, exp, err := f.h.Mint(f.key, org, rep, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if want := f.clock.Now().Add(time.Minute); !exp.Equal(want) {
		t.Fatalf("expires %v, want %v", exp, want)
	}
	if a := f.call("/v1/card", tok, card("account", acct, acmeParams)); a.status != 200 {
		t.Fatalf("fresh token: %d %s", a.status, a.raw)
	}
	f.clock.Add(time.Minute)
	if a := f.call("/v1/card", tok, card("account", acct, acmeParams)); a.status != 401 || a.code() != "token_expired" {
		t.Fatalf("expired token: %d %s", a.status, a.raw)
	}
}

func TestRevokedAndRotatedKeys(t *testing.T) {
	f := newFixture(t)
	tok := f.token(rep)
	// Rotation: the old key and its tokens stop working; the new key works.
	f.clock.Add(2 * time.Second)
	newKey, err := f.keys.Rotate(f.keyID, f.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if newKey == f.key {
		t.Fatal("rotation returned the same key")
	}
	if _, _, err := f.h.Mint(f.key, org, rep, 0); !errors.Is(err, widget.ErrUnknownKey) {
		t.Fatalf("old key after rotation: %v, want ErrUnknownKey", err)
	}
	if a := f.call("/v1/card", tok, card("account", acct, acmeParams)); a.status != 401 || a.code() != "revoked_key" {
		t.Fatalf("token of the rotated key: %d %s", a.status, a.raw)
	}
	f.key = newKey
	tok = f.token(rep)
	if a := f.call("/v1/card", tok, card("account", acct, acmeParams)); a.status != 200 {
		t.Fatalf("token of the new key: %d %s", a.status, a.raw)
	}
	a := f.call("/v1/tokens", newKey, widget.TokenRequest{Org: org, CRMUser: rep, TTLSeconds: 60})
	if a.status != 200 || a.body["token"] == "" {
		t.Fatalf("POST /v1/tokens: %d %s", a.status, a.raw)
	}
	// Revocation: the key and every token it minted are refused.
	if err := f.keys.Revoke(f.keyID); err != nil {
		t.Fatal(err)
	}
	if a := f.call("/v1/card", tok, card("account", acct, acmeParams)); a.status != 401 || a.code() != "revoked_key" {
		t.Fatalf("token of a revoked key: %d %s", a.status, a.raw)
	}
	if a := f.call("/v1/tokens", newKey, widget.TokenRequest{Org: org, CRMUser: rep}); a.status != 401 || a.code() != "revoked_key" {
		t.Fatalf("revoked key: %d %s", a.status, a.raw)
	}
	if _, err := f.keys.Rotate(f.keyID, f.clock.Now()); !errors.Is(err, widget.ErrUnknownKey) {
		t.Fatalf("rotating a revoked key: %v", err)
	}
}

func TestEnvironmentsAreApart(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	devTok, _, err := f.h.Mint(f.devKey, org, rep, 0)
	if err != nil {
		t.Fatal(err)
	}
	if a := f.call("/v1/choose", devTok, widget.ChoiceRequest{Object: "account", RecordID: acct, EntityID: "c3"}); a.status != 200 {
		t.Fatalf("dev choose: %d %s", a.status, a.raw)
	}
	rec := override.RecordRef{Org: org, Object: override.Account, ID: acct}
	if _, ok, _ := f.stores[widget.Development].Get(ctx, rec); !ok {
		t.Fatal("the development choice is not in the development store")
	}
	if _, ok, _ := f.stores[widget.Production].Get(ctx, rec); ok {
		t.Fatal("a development key wrote production data")
	}
	if a := f.call("/v1/card", f.token(rep), card("account", acct, acmeParams)); a.body["via"] != "match" {
		t.Fatalf("production card shows the development choice: %s", a.raw)
	}
	// A handler serving production only refuses to mint for a development key.
	h, err := widget.New(f.keys, widget.WithEnvironment(widget.Production, newBackendFor(t, f.access)))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := h.Mint(f.devKey, org, rep, 0); !errors.Is(err, widget.ErrForbidden) {
		t.Fatalf("dev key on a production-only handler: %v, want ErrForbidden", err)
	}
}

func newBackendFor(t *testing.T, a *crmlink.Access) widget.Backend {
	b, _ := newBackend(t, a)
	return b
}

func TestSecurityHeaders(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{"/widget.js", "/widget.css"} {
		a := do(t, f.srv.Client(), mustReq(t, http.MethodGet, f.srv.URL+path))
		if a.status != 200 {
			t.Fatalf("GET %s: %d", path, a.status)
		}
		csp := a.header.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "script-src 'self'", "frame-ancestors 'self' https://crm.example"} {
			if !strings.Contains(csp, want) {
				t.Errorf("CSP %q lacks %q", csp, want)
			}
		}
		if !strings.HasPrefix(a.header.Get("Strict-Transport-Security"), "max-age=") || a.header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: headers %v", path, a.header)
		}
	}
	js := do(t, f.srv.Client(), mustReq(t, http.MethodGet, f.srv.URL+"/widget.js")).raw
	// The code (comments aside) fetches nothing from another host and builds no HTML from text.
	var code strings.Builder
	for _, line := range strings.Split(js, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "//") {
			code.WriteString(line + "\n")
		}
	}
	for _, bad := range []string{"http:", "https:", "//cdn", "import(", "eval(", "innerHTML", "document.write"} {
		if strings.Contains(code.String(), bad) {
			t.Errorf("the script uses %s", bad)
		}
	}
	// Preflight: the CRM origin gets the CORS headers, any other is refused.
	req := mustReq(t, http.MethodOptions, f.srv.URL+"/v1/card")
	req.Header.Set("Origin", f.origin)
	req.Header.Set("Access-Control-Request-Method", "POST")
	a := do(t, f.srv.Client(), req)
	if a.status != 204 || a.header.Get("Access-Control-Allow-Origin") != f.origin || !strings.Contains(a.header.Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Fatalf("preflight: %d %v", a.status, a.header)
	}
	req = mustReq(t, http.MethodOptions, f.srv.URL+"/v1/card")
	req.Header.Set("Origin", "https://evil.example")
	if a := do(t, f.srv.Client(), req); a.status != 403 || a.header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("foreign preflight: %d %v", a.status, a.header)
	}
	req = mustReq(t, http.MethodOptions, f.srv.URL+"/v1/tokens")
	req.Header.Set("Origin", f.origin)
	if a := do(t, f.srv.Client(), req); a.status != 403 {
		t.Fatalf("preflight of /v1/tokens: %d", a.status)
	}
}

func mustReq(t *testing.T, method, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func TestPlainHTTPRefused(t *testing.T) {
	f := newFixture(t)
	plain := httptest.NewServer(f.h)
	defer plain.Close()
	a := do(t, plain.Client(), mustReq(t, http.MethodGet, plain.URL+"/widget.js"))
	if a.status != 403 || a.code() != "forbidden" {
		t.Fatalf("plain HTTP: %d %s", a.status, a.raw)
	}
	// Loopback plain HTTP when asked for.
	g := newFixture(t, widget.WithLoopbackHTTP())
	plain2 := httptest.NewServer(g.h)
	defer plain2.Close()
	if a := do(t, plain2.Client(), mustReq(t, http.MethodGet, plain2.URL+"/widget.js")); a.status != 200 {
		t.Fatalf("loopback plain HTTP with WithLoopbackHTTP: %d", a.status)
	}
	// A non-loopback client is refused even then.
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "http://widget.example/widget.js", nil)
	req.RemoteAddr = "203.0.113.9:5555"
	g.h.ServeHTTP(rec, req)
	if rec.Code != 403 {
		t.Fatalf("plain HTTP from a remote client with WithLoopbackHTTP: %d", rec.Code)
	}
}

func TestRateLimitPerKey(t *testing.T) {
	f := newFixture(t, widget.WithRateLimit(1, 3))
	tok := f.token(rep)
	var last answer
	for range 4 {
		last = f.call("/v1/card", tok, card("account", acct, acmeParams))
	}
	if last.status != 429 || last.code() != "rate_limited" {
		t.Fatalf("4th call at a burst of 3: %d %s", last.status, last.raw)
	}
	// Another key has its own budget.
	devTok, _, err := f.h.Mint(f.devKey, org, rep, 0)
	if err != nil {
		t.Fatal(err)
	}
	if a := f.call("/v1/card", devTok, card("account", acct, acmeParams)); a.status != 200 {
		t.Fatalf("another key: %d %s", a.status, a.raw)
	}
}

func TestEmailHashOnly(t *testing.T) {
	f := newFixture(t, widget.WithEmailHashOnly())
	tok := f.token(rep)
	clear := map[string]string{"first_name": "Ada", "last_name": "Lovelace", "email": "ada@engines.example"}
	if a := f.call("/v1/card", tok, card("contact", contact, clear)); a.status != 400 || a.code() != "invalid_request" {
		t.Fatalf("clear email with hash-only: %d %s", a.status, a.raw)
	}
	h, ok := widget.EmailHash(" Ada@Engines.example ")
	if !ok || len(h) != 64 {
		t.Fatalf("EmailHash = %q, %v", h, ok)
	}
	hashed := map[string]string{"first_name": "Ada", "last_name": "Lovelace", "company": "Analytical Engines", "email_sha256": h}
	if a := f.call("/v1/card", tok, card("contact", contact, hashed)); a.status != 200 || a.body["best"].(map[string]any)["id"] != "m1" {
		t.Fatalf("hashed email: %d %s", a.status, a.raw)
	}
	// The hash alone finds the member: it is matched as the address would be.
	if a := f.call("/v1/card", tok, card("contact", contact, map[string]string{"email_sha256": h})); a.status != 200 || a.body["best"].(map[string]any)["id"] != "m1" {
		t.Fatalf("hash alone: %d %s", a.status, a.raw)
	}
	// The hash alone finds the member: it is matched as the address would be.
	if a := f.call("/v1/card", tok, card("contact", contact, map[string]string{"email_sha256": h})); a.status != 200 || a.body["best"].(map[string]any)["id"] != "m1" {
		t.Fatalf("hash alone: %d %s", a.status, a.raw)
	}
	js := do(t, f.srv.Client(), mustReq(t, http.MethodGet, f.srv.URL+"/widget.js")).raw
	if !strings.Contains(js, "var HASH_ONLY = true;") {
		t.Fatal("the script served with WithEmailHashOnly still sends clear emails")
	}
}

func TestLogsHoldNoRecordValuesOrSecrets(t *testing.T) {
	f := newFixture(t)
	tok := f.token(rep)
	marker := "Zyxwvut Marker"
	f.call("/v1/card", tok, card("account", peerAcct, map[string]string{"name": marker}))
	f.call("/v1/card", tok, card("account", acct, map[string]string{"name": marker, "phone": marker}))
	f.call("/v1/card", tamper(tok), card("account", acct, map[string]string{"name": marker}))
	f.call("/v1/tokens", f.key, widget.TokenRequest{Org: otherOrg, CRMUser: rep})
	f.call("/v1/card", tok, fmt.Sprintf(`{"object":"account","record_id":"%s","params":{"name":"%s"`, acct, marker))
	logs := f.logs.String()
	if !strings.Contains(logs, "not_visible") || !strings.Contains(logs, "invalid_request") {
		t.Fatalf("refusals were not logged:\n%s", logs)
	}
	// "ck_<env>_<id>_<secret>": the secret is base64url and may itself hold "_".
	parts := strings.SplitN(f.key, "_", 4)
	if len(parts) != 4 {
		t.Fatalf("key %q is not ck_<env>_<id>_<secret>", f.key)
	}
	secret := parts[3]
	for _, bad := range []string{marker, "Zyxwvut", tok, secret, f.key} {
		if strings.Contains(logs, bad) {
			t.Fatalf("logs hold %q:\n%s", bad, logs)
		}
	}
}

func TestNewChecksOptions(t *testing.T) {
	keys := &widget.Keys{}
	b := newBackendFor(t, crmlink.NewAccess())
	cases := map[string][]widget.Option{
		"no environment":   nil,
		"no profiles":      {widget.WithEnvironment(widget.Production, widget.Backend{Resolver: b.Resolver})},
		"bad environment":  {widget.WithEnvironment("staging", b)},
		"http origin":      {widget.WithEnvironment(widget.Production, b), widget.WithOrigins("http://crm.example")},
		"origin with path": {widget.WithEnvironment(widget.Production, b), widget.WithOrigins("https://crm.example/x")},
		"short key":        {widget.WithEnvironment(widget.Production, b), widget.WithSigningKey([]byte("short"))},
	}
	for name, opts := range cases {
		if _, err := widget.New(keys, opts...); err == nil {
			t.Errorf("%s: New accepted it", name)
		}
	}
	if _, err := widget.New(nil, widget.WithEnvironment(widget.Production, b)); err == nil {
		t.Error("nil keys accepted")
	}
}
