package main

import (
	"net/http"

	"github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/admin"
	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/report"
)

// demoROIStage is the stage of the demo's ROI report: an activity influences an opportunity when
// it came before the opportunity moved past Qualification.
const demoROIStage = "Qualification"

// newConsole returns the admin console of the demo org with a sign-in page, and an admin token
// for it (shown once at start). The console manages the demo's partner keys and store.
func newConsole(d *demo) (http.Handler, string, error) {
	tokens := admin.NewTokens()
	tok, err := tokens.Issue(DemoOrg)
	if err != nil {
		return nil, "", err
	}
	cfg := admin.Config{
		Store:   d.Store,
		Auth:    tokens,
		Reports: report.NewHistory(10),
		Access:  []*crmlink.Access{d.Access},
	}
	if d.CRM != nil {
		// The ROI report is computed from the demo CRM's opportunities and written-back
		// activities, counting the records linked in the store (a choice made in the widget
		// links its record).
		cfg.ROI = admin.SourceROI(admin.ROISource{
			Source:   func(org string) (crm.Source, bool) { return d.CRM, org == DemoOrg },
			Mappings: d.Store,
			Stage:    demoROIStage,
		})
	}
	console, err := admin.New(cfg, admin.WithKeys(d.Keys))
	if err != nil {
		return nil, "", err
	}
	return signIn(tokens, console), tok, nil
}

// signIn serves a sign-in form at /login that sets the admin token as the console's cookie
// (HTTPS only, not readable by scripts, same site only) and hands every other request to
// console, which checks the token.
func signIn(tokens *admin.Tokens, console http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'none'; form-action 'self'; frame-ancestors 'none'")
		w.Write([]byte(`<!doctype html><title>crmlink admin: sign in</title>
<form method="post" action="/login"><label>Admin token <input name="token" type="password" autocomplete="off" required></label>
<button>Sign in</button></form>`))
	})
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 4096)
		tok := r.PostFormValue("token")
		probe, _ := http.NewRequest(http.MethodGet, "/", nil)
		probe.Header.Set("Authorization", "Bearer "+tok)
		if _, err := tokens.AdminOrg(probe); err != nil {
			http.Error(w, "not an admin token", http.StatusUnauthorized)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: admin.CookieName, Value: tok, Path: "/", Secure: true, HttpOnly: true,
			SameSite: http.SameSiteStrictMode})
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})
	mux.Handle("/", console)
	return mux
}
