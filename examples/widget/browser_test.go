package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/widget"
)

// chromium returns the path of Debian's Chromium (or of CRMLINK_CHROMIUM). Without one the
// test skips, saying how to enable it; under CI=true it fails, since .ci/run installs it.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CRMLINK_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no chromium on PATH under CI=true: .ci/run installs Debian's package chromium")
	}
	t.Skip("no chromium on PATH: install Debian's package (apt-get install -y chromium) or set CRMLINK_CHROMIUM to the browser's path to run the browser test")
	return ""
}

// stack is the demo on two loopback TLS servers: the widget and the demo CRM, two origins.
type stack struct {
	demo      *demo
	widgetURL string
	crmURL    string
}

func startStack(t *testing.T) *stack {
	t.Helper()
	var widgetH, crmH http.Handler
	ws := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { widgetH.ServeHTTP(w, r) }))
	cs := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { crmH.ServeHTTP(w, r) }))
	ws.StartTLS()
	cs.StartTLS()
	t.Cleanup(ws.Close)
	t.Cleanup(cs.Close)
	d, err := newDemo(context.Background(), config{
		Companies:   "../quickstart/testdata/companies.csv",
		Members:     "../quickstart/testdata/members.csv",
		Connections: "testdata/connections.csv",
		StorePath:   filepath.Join(t.TempDir(), "overrides.db"),
		Env:         widget.Production, Partner: "demo-partner",
	}, widget.WithOrigins(cs.URL))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	widgetH, crmH = d.Handler, d.crmPage(ws.URL)
	return &stack{demo: d, widgetURL: ws.URL, crmURL: cs.URL}
}

func (s *stack) page(record, as string, extra ...string) string {
	u := s.crmURL + "/record/" + record + "?as=" + as
	for _, e := range extra {
		u += "&" + e
	}
	return u
}

const (
	ada = "005DEMO00000ADA"
	eve = "005DEMO00000EVE"
)

// TestBrowser drives Debian's Chromium, headless, through the demo CRM's record pages.
func TestBrowser(t *testing.T) {
	path := chromium(t)
	s := startStack(t)
	shots := os.Getenv("CRMLINK_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("ignore-certificate-errors", true), // the servers' certificates are self-signed
		chromedp.WindowSize(1100, 860),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()

	shot := func(t *testing.T, name string) {
		t.Helper()
		var png []byte
		if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		p := filepath.Join(shots, name+".png")
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", p)
	}
	run := func(t *testing.T, what string, steps ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	attr := func(t *testing.T, sel, name string) string {
		t.Helper()
		var v string
		var ok bool
		if err := chromedp.Run(ctx, chromedp.AttributeValue(sel, name, &v, &ok)); err != nil {
			t.Fatalf("attribute %s of %s: %v", name, sel, err)
		}
		return v
	}
	text := func(t *testing.T, sel string) string {
		t.Helper()
		var v string
		if err := chromedp.Run(ctx, chromedp.Text(sel, &v)); err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return v
	}
	count := func(t *testing.T, sel string) int {
		t.Helper()
		var n int
		if err := chromedp.Run(ctx, chromedp.Evaluate(`document.querySelectorAll('`+sel+`').length`, &n)); err != nil {
			t.Fatalf("count %s: %v", sel, err)
		}
		return n
	}
	card := `.crmlink-card`

	const diyx = "001DEMO00000001" // Bob's account: ambiguous between several Diyx companies
	t.Run("CardPickReload", func(t *testing.T) {
		run(t, "open the record", chromedp.Navigate(s.page(diyx, ada)),
			chromedp.WaitVisible(card+`[data-state="ambiguous"] .crmlink-best`))
		best := attr(t, `.crmlink-best`, "data-entity-id")
		picked := attr(t, `.crmlink-candidate:nth-child(2)`, "data-entity-id")
		shot(t, "1-card-ambiguous")
		if best == "" || picked == "" || best == picked {
			t.Fatalf("best %q, candidate %q", best, picked)
		}
		run(t, "pick a candidate", chromedp.Click(`.crmlink-candidate:nth-child(2) .crmlink-choose`),
			chromedp.WaitVisible(card+`[data-via="manual"]`))
		run(t, "reload", chromedp.Reload(), chromedp.WaitVisible(card+`[data-via="manual"] .crmlink-best[data-entity-id="`+picked+`"]`))
		via := text(t, `.crmlink-via`)
		if !strings.Contains(via, "your team's choice") {
			t.Fatalf("after reload the card says %q, want the manual choice", via)
		}
		shot(t, "2-card-manual")
		m, ok, err := s.demo.Store.Get(context.Background(), override.RecordRef{Org: DemoOrg, Object: override.Account, ID: diyx})
		if err != nil || !ok || m.Entity.ID != picked || m.Source != override.Manual || m.UpdatedBy != ada {
			t.Fatalf("stored %+v %v %v, want a manual mapping to %s by %s", m, ok, err, picked, ada)
		}
	})

	const garcia = "001DEMO00000002" // Bob's account: a match
	t.Run("NotThisOne", func(t *testing.T) {
		run(t, "open the record", chromedp.Navigate(s.page(garcia, ada)),
			chromedp.WaitVisible(card+`[data-state="match"] .crmlink-best`))
		best := attr(t, `.crmlink-best`, "data-entity-id")
		// With the keyboard: focus the button and press Enter.
		run(t, "not this one", chromedp.Focus(`.crmlink-reject`), chromedp.KeyEvent("\r"),
			chromedp.WaitNotPresent(`[data-entity-id="`+best+`"]`),
			chromedp.WaitVisible(card+`[aria-busy="false"]`))
		run(t, "reload", chromedp.Reload(), chromedp.WaitVisible(card+`[aria-busy="false"]`))
		if n := count(t, `[data-entity-id="`+best+`"]`); n != 0 {
			t.Fatalf("the rejected %s is still shown after a reload", best)
		}
		shot(t, "3-after-not-this-one")
	})

	const raj = "003DEMO00000001" // Ada's contact
	t.Run("MemberWithConnection", func(t *testing.T) {
		run(t, "open the record", chromedp.Navigate(s.page(raj, ada)),
			chromedp.WaitVisible(card+`[data-state="match"] .crmlink-best .crmlink-connection`))
		conn := text(t, `.crmlink-best .crmlink-connection`)
		if !strings.Contains(conn, "1st-degree") {
			t.Fatalf("connection %q, want 1st-degree (Ada's seat is m1, connected to m11)", conn)
		}
		shot(t, "4-member-card")
	})

	t.Run("NotVisible", func(t *testing.T) {
		run(t, "open Bob's record as Eve", chromedp.Navigate(s.page(diyx, eve)),
			chromedp.WaitVisible(card+`[data-state="not_visible"]`))
		status := text(t, `.crmlink-status`)
		if !strings.Contains(status, "do not have access") {
			t.Fatalf("status %q", status)
		}
		if n := count(t, `.crmlink-profile`); n != 0 {
			t.Fatalf("%d profiles shown to a viewer without access", n)
		}
		shot(t, "5-not-visible")
	})

	t.Run("DisabledOrg", func(t *testing.T) {
		ctx := context.Background()
		if err := s.demo.Store.Disable(ctx, DemoOrg); err != nil {
			t.Fatal(err)
		}
		defer s.demo.Store.Enable(ctx, DemoOrg)
		run(t, "open", chromedp.Navigate(s.page(garcia, ada)), chromedp.WaitVisible(card+`[data-state="disabled"]`))
		shot(t, "6-disabled")
	})

	t.Run("ExpiredToken", func(t *testing.T) {
		// The token lives 5 s: long enough for the page to load on a busy machine.
		opened := time.Now()
		run(t, "open with a 5 s token", chromedp.Navigate(s.page(raj, ada, "ttl=5")),
			chromedp.WaitVisible(card+`[data-state="match"]`))
		time.Sleep(time.Until(opened.Add(6100 * time.Millisecond)))
		run(t, "act after expiry", chromedp.Click(`.crmlink-reject`), chromedp.WaitVisible(card+`[data-state="expired"]`))
		shot(t, "7-expired")
		if _, ok, err := s.demo.Store.Get(context.Background(), override.RecordRef{Org: DemoOrg, Object: override.Contact, ID: raj}); err != nil || ok {
			t.Fatalf("an expired token wrote a mapping: %v %v", ok, err)
		}
	})

	t.Run("RevokedKey", func(t *testing.T) {
		const erik = "00QDEMO00000001" // Eve's lead
		run(t, "open", chromedp.Navigate(s.page(erik, eve)), chromedp.WaitVisible(card+`[data-state="match"]`))
		if err := s.demo.Keys.Revoke(s.demo.KeyID); err != nil {
			t.Fatal(err)
		}
		run(t, "act after revocation", chromedp.Click(`.crmlink-reject`), chromedp.WaitVisible(card+`[data-state="refused"]`))
		shot(t, "8-revoked")
		run(t, "reload", chromedp.Reload())
		body := text(t, `body`)
		if !strings.Contains(body, "revoked_key") {
			t.Fatalf("the CRM page minted a token with a revoked key: %q", body)
		}
	})
}
