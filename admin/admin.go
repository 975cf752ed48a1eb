// Package admin is the admin console of crmlink: an [http.Handler] for the admin of one CRM org
// that shows the last sync's match report and the ROI report with charts drawn on the server,
// turns the integration off and on, purges everything stored for the org after a typed
// confirmation, showing the audit before and after, and, with [WithKeys], lists, creates and
// revokes the org's partner keys of the widget per environment.
//
// # Access
//
// Every request needs an admin-scoped credential for an org, checked by the configured
// [Authenticator] ([Tokens] keeps admin tokens as hashes). A request without one, or with a
// credential of another scope (a widget viewer token, a partner key), gets 401 and nothing else.
// The console only ever shows and changes the org of the credential.
//
// # Forgery
//
// Every form POST (on/off, purge, key create and revoke) must carry the anti-forgery token of the
// admin session in the [CSRFField] field, as the page's forms do; any other POST gets 403 and
// changes nothing. The token is an HMAC, under a key each [Handler] draws at start, of the org
// and a hash of the session's credential (the Authorization header or the admin cookie), compared
// in constant time: another session, another org or a restarted console has another token.
//
// # Privacy
//
// The page shows counts, sums, charts and, in the audit, IDs of CRM users; never record data.
// Nothing is fetched from elsewhere at run time: no CDN, no script; the charts are SVG made on
// the server.
//
// # Concurrency
//
// A [Handler] is safe for concurrent use.
package admin

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	crmlink "github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/privacy"
	"github.com/crmlink/crmlink/report"
	"github.com/crmlink/crmlink/report/chart"
	"github.com/crmlink/crmlink/widget"
)

// Config is what a [Handler] works on.
type Config struct {
	// Store holds the org's mappings and its enabled state. Required.
	Store *override.Store
	// Auth checks the admin credential of every request. Required.
	Auth Authenticator
	// Reports holds the match reports of the sync runs (fill it with SyncStats.Report). Required.
	Reports *report.History
	// ROI computes the org's ROI report when the page asks for it; nil shows none. [SourceROI]
	// makes one that reads the org's CRM source.
	ROI func(ctx context.Context, org string) (report.ROI, error)
	// Access lists the access indexes purged with the org (see [crmlink.PurgeOrg]).
	Access []*crmlink.Access
	// Logger receives failures (no record data); nil logs nothing.
	Logger *slog.Logger
}

// Handler serves the admin console. Mount it under a prefix with [http.StripPrefix].
type Handler struct {
	cfg  Config
	mux  *http.ServeMux
	keys *widget.Keys // nil: the console has no keys section
	now  func() time.Time
	csrf csrfKey
}

var _ http.Handler = (*Handler)(nil)

// ErrConfig is returned by [New] when a required part of the [Config] is missing.
var ErrConfig = errors.New("admin: incomplete config")

// New returns the admin console over cfg, configured further by opts ([WithKeys]).
func New(cfg Config, opts ...Option) (*Handler, error) {
	if cfg.Store == nil || cfg.Auth == nil || cfg.Reports == nil {
		return nil, fmt.Errorf("%w: Store, Auth and Reports are required", ErrConfig)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	key, err := newCSRFKey()
	if err != nil {
		return nil, err
	}
	h := &Handler{cfg: cfg, mux: http.NewServeMux(), now: time.Now, csrf: key}
	for _, o := range opts {
		o(h)
	}
	h.mux.HandleFunc("GET /{$}", h.auth(h.page))
	h.mux.HandleFunc("GET /report.json", h.auth(h.reportJSON))
	h.mux.HandleFunc("GET /report.csv", h.auth(h.reportCSV))
	h.mux.HandleFunc("GET /charts/{name}", h.auth(h.chart))
	h.mux.HandleFunc("POST /integration", h.auth(h.post(h.integration)))
	h.mux.HandleFunc("POST /purge", h.auth(h.post(h.purge)))
	h.mux.HandleFunc("POST /keys", h.auth(h.post(h.createKey)))
	h.mux.HandleFunc("POST /revoke-key", h.auth(h.post(h.revokeKey)))
	return h, nil
}

// ServeHTTP implements [http.Handler].
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	h.mux.ServeHTTP(w, r)
}

type orgHandler func(w http.ResponseWriter, r *http.Request, org string)

func (h *Handler) auth(next orgHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		org, err := h.cfg.Auth.AdminOrg(r)
		if err != nil {
			http.Error(w, "admin credential required", http.StatusUnauthorized)
			return
		}
		next(w, r, org)
	}
}

// maxForm bounds the body of the console's forms.
const maxForm = 16 << 10

// post guards a form POST: the body is bounded and must carry the anti-forgery token of the
// session ([CSRFField]); a request without a valid one gets 403 and changes nothing.
func (h *Handler) post(next orgHandler) orgHandler {
	return func(w http.ResponseWriter, r *http.Request, org string) {
		r.Body = http.MaxBytesReader(w, r.Body, maxForm)
		if !h.csrf.valid(r, org) {
			http.Error(w, "missing or invalid anti-forgery token: reload the console and try again", http.StatusForbidden)
			return
		}
		next(w, r, org)
	}
}

func (h *Handler) fail(w http.ResponseWriter, r *http.Request, what string, err error) {
	h.cfg.Logger.ErrorContext(r.Context(), "crmlink admin: "+what, "err", privacy.Error(err))
	http.Error(w, what+" failed", http.StatusInternalServerError)
}

// view is what the page template shows.
type view struct {
	Org         string
	CSRF        string // the anti-forgery token of the session, in every form
	Disabled    bool
	HasReport   bool
	Report      report.Match
	Changes     []report.ObjectChange
	HasPrevious bool
	HasROI      bool
	ROI         report.ROI
	ROIError    string
	Message     string
	AuditBefore string
	AuditAfter  string
	HasKeys     bool      // the console manages partner keys
	Keys        []envKeys // the org's keys per environment
	NewKey      string    // a key just created, shown this once
}

func (h *Handler) view(r *http.Request, org string) (view, error) {
	v := view{Org: org, CSRF: h.csrf.token(r, org)}
	if h.keys != nil {
		v.HasKeys, v.Keys = true, h.orgKeys(org)
	}
	var err error
	if v.Disabled, err = h.cfg.Store.Disabled(r.Context(), org); err != nil {
		return v, err
	}
	m, prev, ok := h.cfg.Reports.Latest(org)
	if ok {
		v.HasReport, v.Report, v.HasPrevious = true, m, prev != nil
		v.Changes = m.Compare(prev)
	}
	if h.cfg.ROI != nil {
		roi, err := h.cfg.ROI(r.Context(), org)
		switch {
		case errors.Is(err, ErrNoSource):
			v.ROIError = "No CRM source is configured for this org: no ROI report."
		case err != nil:
			v.ROIError = "the ROI report could not be computed"
			h.cfg.Logger.ErrorContext(r.Context(), "crmlink admin: ROI", "err", privacy.Error(err))
		default:
			v.HasROI, v.ROI = true, roi
		}
	}
	return v, nil
}

func (h *Handler) render(w http.ResponseWriter, r *http.Request, v view) {
	var buf bytes.Buffer
	if err := pageTmpl.Execute(&buf, v); err != nil {
		h.fail(w, r, "render page", err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(buf.Bytes())
}

func (h *Handler) page(w http.ResponseWriter, r *http.Request, org string) {
	v, err := h.view(r, org)
	if err != nil {
		h.fail(w, r, "read org state", err)
		return
	}
	h.render(w, r, v)
}

func (h *Handler) reportJSON(w http.ResponseWriter, r *http.Request, org string) {
	m, _, ok := h.cfg.Reports.Latest(org)
	if !ok {
		http.Error(w, "no sync report yet", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	writeJSON(w, m)
}

func (h *Handler) reportCSV(w http.ResponseWriter, r *http.Request, org string) {
	m, prev, ok := h.cfg.Reports.Latest(org)
	if !ok {
		http.Error(w, "no sync report yet", http.StatusNotFound)
		return
	}
	var buf bytes.Buffer
	if err := m.WriteCSV(&buf, prev); err != nil {
		h.fail(w, r, "write report CSV", err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Write(buf.Bytes())
}

func (h *Handler) chart(w http.ResponseWriter, r *http.Request, org string) {
	name, ext, _ := strings.Cut(r.PathValue("name"), ".")
	f := chart.Format(ext)
	if f != chart.SVG && f != chart.PNG {
		http.NotFound(w, r)
		return
	}
	var buf bytes.Buffer
	var err error
	switch name {
	case "scores", "share":
		m, _, ok := h.cfg.Reports.Latest(org)
		if !ok {
			http.Error(w, "no sync report yet", http.StatusNotFound)
			return
		}
		if name == "scores" {
			err = chart.ScoreHistogram(&buf, &m, f)
		} else {
			err = chart.LinkedShare(&buf, &m, f)
		}
	case "roi":
		if h.cfg.ROI == nil {
			http.NotFound(w, r)
			return
		}
		var roi report.ROI
		if roi, err = h.cfg.ROI(r.Context(), org); errors.Is(err, ErrNoSource) {
			http.NotFound(w, r)
			return
		} else if err == nil {
			err = chart.ROIPerMonth(&buf, &roi, f)
		}
	default:
		http.NotFound(w, r)
		return
	}
	if err != nil {
		h.fail(w, r, "draw chart", err)
		return
	}
	if f == chart.SVG {
		w.Header().Set("Content-Type", "image/svg+xml")
	} else {
		w.Header().Set("Content-Type", "image/png")
	}
	w.Write(buf.Bytes())
}

func (h *Handler) integration(w http.ResponseWriter, r *http.Request, org string) {
	var err error
	switch r.FormValue("state") {
	case "off":
		err = h.cfg.Store.Disable(r.Context(), org)
	case "on":
		err = h.cfg.Store.Enable(r.Context(), org)
	default:
		http.Error(w, "state must be on or off", http.StatusBadRequest)
		return
	}
	if err != nil {
		h.fail(w, r, "change integration state", err)
		return
	}
	http.Redirect(w, r, "./", http.StatusSeeOther)
}

func (h *Handler) purge(w http.ResponseWriter, r *http.Request, org string) {
	ctx := r.Context()
	if r.FormValue("confirm") != org {
		v, err := h.view(r, org)
		if err != nil {
			h.fail(w, r, "read org state", err)
			return
		}
		v.Message = "Nothing was purged: type the org ID exactly to confirm."
		w.WriteHeader(http.StatusBadRequest)
		h.render(w, r, v)
		return
	}
	before, err := privacy.NewAudit(ctx, h.cfg.Store, org)
	if err != nil {
		h.fail(w, r, "audit before purge", err)
		return
	}
	removed, err := crmlink.PurgeOrg(ctx, h.cfg.Store, org, h.cfg.Access...)
	if err != nil {
		h.fail(w, r, "purge", err)
		return
	}
	h.cfg.Reports.Purge(org)
	after, err := privacy.NewAudit(ctx, h.cfg.Store, org)
	if err != nil {
		h.fail(w, r, "audit after purge", err)
		return
	}
	v, err := h.view(r, org)
	if err != nil {
		h.fail(w, r, "read org state", err)
		return
	}
	v.Message = fmt.Sprintf("Purged %d mappings and rejections, and the match reports.", removed)
	v.AuditBefore, v.AuditAfter = auditText(before), auditText(after)
	h.render(w, r, v)
}

func auditText(a privacy.Audit) string {
	var b strings.Builder
	a.WriteTo(&b)
	return b.String()
}
