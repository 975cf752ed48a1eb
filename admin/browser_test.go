package admin_test

import (
	"context"
	"flag"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/widget"
)

var updateDocs = flag.Bool("update-docs", false, "write the console screenshot of the README to docs/images")

// chromium finds Debian's Chromium; without it the test skips, except in CI where it fails.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is needed for the browser test (apt-get install -y chromium)")
	}
	t.Skip("chromium not found (apt-get install -y chromium)")
	return ""
}

// TestConsoleInBrowser drives the console in headless Chromium: the page and its charts load;
// a partner key created on the page is shown once and mints viewer tokens on a widget handler
// serving the same key store; turning the integration off disables the org, and the widget's
// card answers the disabled state; a key revoked on the page mints nothing more and its tokens
// are refused; a mistyped confirmation purges nothing, the typed org ID purges it and the audit
// after shows nothing stored. Screenshots of each step go to $CRMLINK_SCREENSHOTS (default: the
// test's temporary directory).
func TestConsoleInBrowser(t *testing.T) {
	exe := chromium(t)
	c := newConsole(t)
	w := newWidget(t, c)
	shots := os.Getenv("CRMLINK_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	require.NoError(t, os.MkdirAll(shots, 0o755))

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.WindowSize(1200, 1600))
	actx, cancel := chromedp.NewExecAllocator(t.Context(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	shot := func(name string) {
		t.Helper()
		var png []byte
		require.NoError(t, chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)), "screenshot %s", name)
		require.NoError(t, os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644))
		if *updateDocs && name == "3-key-listed" {
			require.NoError(t, os.WriteFile(filepath.Join("..", "docs", "images", "admin-console.png"), png, 0o644))
		}
	}
	text := func(sel string) string {
		t.Helper()
		var s string
		require.NoError(t, chromedp.Run(ctx, chromedp.Text(sel, &s, chromedp.ByQuery)), "text of %s", sel)
		return s
	}

	// Without the admin credential the console answers 401 and shows nothing of the org.
	require.NoError(t, chromedp.Run(ctx, chromedp.Navigate(c.srv.URL+"/")))
	assert.NotContains(t, text("body"), org)

	headers := network.Headers{"Authorization": "Bearer " + c.token}
	var charts int
	require.NoError(t, chromedp.Run(ctx,
		network.Enable(),
		network.SetExtraHTTPHeaders(headers),
		chromedp.Navigate(c.srv.URL+"/"),
		chromedp.WaitVisible("#match-table", chromedp.ByQuery),
		chromedp.Poll(`Array.from(document.images).every(i => i.complete && i.naturalWidth > 0) ? document.images.length : 0`, &charts, chromedp.WithPollingTimeout(20*time.Second)),
	))
	assert.Equal(t, 3, charts, "charts drawn and decoded by the browser")
	assert.Equal(t, "on", text("#state"))
	shot("1-console")

	// A key created on the page is shown there once, and works against the widget.
	require.NoError(t, chromedp.Run(ctx,
		chromedp.SendKeys("#partner", "Acme Partner", chromedp.ByQuery),
		chromedp.SetValue("#env", "production", chromedp.ByQuery),
		chromedp.Click("#create-key-button", chromedp.ByQuery),
		chromedp.WaitVisible("#new-key", chromedp.ByQuery)))
	key := text("#new-key")
	require.True(t, strings.HasPrefix(key, "ck_live_"), "the new key is on the page")
	info, err := c.keys.Verify(key)
	require.NoError(t, err, "the page shows the key the store verifies")
	shot("2-key-created")
	tok, _, err := w.h.Mint(key, org, "005ADMIN", 0)
	require.NoError(t, err, "the key mints a viewer token")
	code, httpTok := w.mint(t, key)
	require.Equal(t, http.StatusOK, code, "POST /v1/tokens with the key: %s", httpTok)
	code, state := w.card(t, httpTok)
	require.Equal(t, http.StatusOK, code, state)
	assert.Equal(t, "match", state)

	require.NoError(t, chromedp.Run(ctx, chromedp.Navigate(c.srv.URL+"/"), chromedp.WaitVisible("#keys-production", chromedp.ByQuery)))
	assert.NotContains(t, text("body"), key, "the key is shown only once")
	assert.Contains(t, text("#key-"+info.ID), "Acme Partner")
	assert.Contains(t, text("#key-"+info.ID), "active")
	shot("3-key-listed")

	// Turning the integration off: the widget's card answers the disabled state.
	require.NoError(t, chromedp.Run(ctx, chromedp.Click("#toggle", chromedp.ByQuery), chromedp.WaitVisible("#state.off", chromedp.ByQuery)))
	assert.ErrorIs(t, c.store.CheckEnabled(t.Context(), "resolve", org), override.ErrOrgDisabled, "the org refuses once turned off")
	code, state = w.card(t, tok)
	assert.Equal(t, http.StatusForbidden, code)
	assert.Equal(t, "disabled", state, "the widget's card of a disabled org")
	shot("4-disabled")

	// A key revoked on the page mints nothing more, and its tokens are refused.
	require.NoError(t, chromedp.Run(ctx,
		chromedp.Click("#key-"+info.ID+" button.revoke", chromedp.ByQuery),
		chromedp.WaitNotPresent("#key-"+info.ID+" button.revoke", chromedp.ByQuery),
		chromedp.WaitVisible("#message", chromedp.ByQuery)))
	assert.Equal(t, "revoked", text("#key-"+info.ID+" .key-state"))
	_, _, err = w.h.Mint(key, org, "005ADMIN", 0)
	assert.ErrorIs(t, err, widget.ErrRevokedKey)
	code, msg := w.mint(t, key)
	assert.Equal(t, http.StatusUnauthorized, code)
	assert.Equal(t, "revoked_key", msg)
	code, msg = w.card(t, tok)
	assert.Equal(t, http.StatusUnauthorized, code)
	assert.Equal(t, "revoked_key", msg, "a token of the revoked key")
	shot("5-key-revoked")

	// A fresh page, so that the purge's answer is not taken for the revocation's message.
	require.NoError(t, chromedp.Run(ctx, chromedp.Navigate(c.srv.URL+"/"), chromedp.WaitVisible("#purge-button", chromedp.ByQuery)))
	require.NoError(t, chromedp.Run(ctx,
		chromedp.SendKeys("#confirm", "00D-not-it", chromedp.ByQuery),
		chromedp.Click("#purge-button", chromedp.ByQuery),
		chromedp.WaitVisible("#message", chromedp.ByQuery)))
	assert.Contains(t, text("#message"), "Nothing was purged")
	n, err := c.store.Count(t.Context(), org)
	require.NoError(t, err)
	assert.Equal(t, 3, n)

	require.NoError(t, chromedp.Run(ctx,
		chromedp.SendKeys("#confirm", org, chromedp.ByQuery),
		chromedp.Click("#purge-button", chromedp.ByQuery),
		chromedp.WaitVisible("#audit-after", chromedp.ByQuery)))
	assert.Contains(t, text("#audit-before"), ": 3 stored")
	assert.Contains(t, text("#audit-after"), ": 0 stored")
	n, err = c.store.Count(t.Context(), org)
	require.NoError(t, err)
	assert.Zero(t, n, "purged")
	shot("6-purged")
}
