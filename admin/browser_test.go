package admin_test

import (
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/override"
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

// TestConsoleInBrowser drives the console in headless Chromium: the page and its charts load,
// turning the integration off disables the org, a mistyped confirmation purges nothing, the
// typed org ID purges it and the audit after shows nothing stored. Screenshots of each step go
// to $CRMLINK_SCREENSHOTS (default: the test's temporary directory).
func TestConsoleInBrowser(t *testing.T) {
	exe := chromium(t)
	c := newConsole(t)
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
		if *updateDocs && name == "1-console" {
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

	require.NoError(t, chromedp.Run(ctx, chromedp.Click("#toggle", chromedp.ByQuery), chromedp.WaitVisible("#state.off", chromedp.ByQuery)))
	assert.ErrorIs(t, c.store.CheckEnabled(t.Context(), "resolve", org), override.ErrOrgDisabled, "the org refuses once turned off")
	shot("2-disabled")

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
	shot("3-purged")
}
