package main

import (
	"bytes"
	"crypto/x509"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/crmlink/crmlink/admin"
	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/widget"
)

func TestSelfSignedCoversLoopback(t *testing.T) {
	now := time.Now()
	cert, err := selfSigned(now)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(cert.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, host := range []string{"localhost", "127.0.0.1", "::1"} {
		if err := c.VerifyHostname(host); err != nil {
			t.Errorf("%s: %v", host, err)
		}
	}
	if err := c.VerifyHostname("example.com"); err == nil {
		t.Error("the certificate covers a public name")
	}
	if !c.NotAfter.After(now.Add(24*time.Hour)) || c.NotBefore.After(now) {
		t.Errorf("validity %v – %v", c.NotBefore, c.NotAfter)
	}
}

func TestRunHelpAndBadFiles(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-h"}, &out); err != nil {
		t.Fatalf("-h: %v", err)
	}
	if !bytes.Contains(out.Bytes(), []byte("-crm-addr")) {
		t.Fatalf("-h printed %q", out.String())
	}
	out.Reset()
	err := run([]string{"-companies", "testdata/missing.csv", "-store", t.TempDir() + "/o.db", "-addr", "127.0.0.1:0", "-crm-addr", "127.0.0.1:0"}, &out)
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte("testdata/missing.csv")) {
		t.Fatalf("a missing directory file: %v", err)
	}
}

// TestConsoleSignIn signs in to the demo's admin console with the token printed at start: a
// wrong token is refused, the right one sets the cookie the console reads.
func TestConsoleSignIn(t *testing.T) {
	d, err := newDemo(t.Context(), config{
		Companies: "../quickstart/testdata/companies.csv", Members: "../quickstart/testdata/members.csv",
		Connections: "testdata/connections.csv", StorePath: t.TempDir() + "/demo.db",
		Env: widget.Production, Partner: "demo-partner", CRMDir: "testdata/crm",
	})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	h, tok, err := newConsole(d)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(h)
	defer srv.Close()
	c := srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if res, err := c.Get(srv.URL + "/"); err != nil || res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("console without signing in: %v %v", res, err)
	}
	if res, err := c.PostForm(srv.URL+"/login", url.Values{"token": {"cla_wrong"}}); err != nil || res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong token: %v %v", res, err)
	}
	res, err := c.PostForm(srv.URL+"/login", url.Values{"token": {tok}})
	if err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %v %v", res, err)
	}
	var cookie *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == admin.CookieName {
			cookie = ck
		}
	}
	if cookie == nil || !cookie.Secure || !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode {
		t.Fatalf("cookie %+v", cookie)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/", nil)
	req.AddCookie(cookie)
	res, err = c.Do(req)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("console after signing in: %v %v", res, err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(body), "Partner keys") {
		t.Fatal("the console does not show the partner keys")
	}
	// The ROI comes from the demo CRM; nothing is linked yet, so no opportunity is influenced:
	// 5 without, open pipeline 30,000 + 15,000, won 48,000 + 9,000, 2 won of 3 closed, days to
	// close (73.625 + 48.625) / 2 days (created at 09:00, closed at 00:00).
	for _, want := range []string{
		`<tr><td>with a written-back activity</td><td>0</td><td>0</td><td>0</td><td>0.0%</td><td>0.0</td></tr>`,
		`<tr><td>without</td><td>5</td><td>45,000</td><td>57,000</td><td>66.7%</td><td>61.1</td></tr>`,
		"amounts in USD",
	} {
		if !strings.Contains(string(body), want) {
			t.Fatalf("the console's ROI lacks %s", want)
		}
	}
	// Linking DIYX (as a choice in the widget does) makes its two opportunities influenced: its
	// InMail (01-12) came before each moved past Qualification (02-15, 04-10).
	if err := d.Store.Put(t.Context(), override.Mapping{Record: override.RecordRef{Org: DemoOrg, Object: override.Account, ID: "001DEMO00000001"},
		Entity: override.EntityRef{Kind: override.Company, ID: "c-diyx"}, Source: override.Manual}); err != nil {
		t.Fatal(err)
	}
	res, err = c.Do(req)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("console: %v %v", res, err)
	}
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	for _, want := range []string{
		`<tr><td>with a written-back activity</td><td>2</td><td>30,000</td><td>48,000</td><td>100.0%</td><td>73.6</td></tr>`,
		`<tr><td>without</td><td>3</td><td>15,000</td><td>9,000</td><td>50.0%</td><td>48.6</td></tr>`,
	} {
		if !strings.Contains(string(body), want) {
			t.Fatalf("the console's ROI after linking DIYX lacks %s", want)
		}
	}
}
