package widget

import (
	"context"
	"crypto/rand"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/privacy"
)

// Backend is the data one environment is served from. Resolver and Profiles are required;
// without Seats or Connections the card shows no connection degree.
//
// The Resolver enforces who sees what: every card, choice and rejection goes through it with
// the token's viewer, so a record of a disabled org ([override.Store.Disable]) or one the
// viewer could not see in the CRM ([crmlink.WithVisibility]) is refused before anything is
// read.
type Backend struct {
	Resolver    *crmlink.Resolver // resolves records for a viewer: manual, CRM sync, match; stores choices
	Profiles    Profiles          // what the card shows of an entity
	Seats       Seats             // CRM user -> the viewer's own member ID
	Connections Connections       // viewer member -> candidate member: degree and shared connections
}

// Option configures a [Handler].
type Option func(*options)

type options struct {
	backends      map[Env]Backend
	origins       []string
	signingKey    []byte
	limit         rate.Limit
	burst         int
	maxBody       int64
	loopbackHTTP  bool
	hashOnly      bool
	logger        *slog.Logger
	now           func() time.Time
	hstsMaxAge    time.Duration
	defaultTTL    time.Duration
	candidateShow int
}

// WithEnvironment serves env's viewers from b. At least one environment is required; a token of
// an environment without a backend is refused.
func WithEnvironment(env Env, b Backend) Option {
	return func(o *options) { o.backends[env] = b }
}

// WithOrigins sets the CRM origins ("https://acme.lightning.force.com") whose pages may embed the
// widget: they are the only origins CORS lets call the API, and the only frame ancestors of
// the handler's responses. Without it, only same-origin pages may use the widget.
func WithOrigins(origins ...string) Option {
	return func(o *options) { o.origins = append(o.origins, origins...) }
}

// WithSigningKey sets the secret viewer tokens are signed with (at least 32 bytes). Replicas of
// one service must share it. By default each Handler draws a random one, so that tokens are
// valid only on the Handler that minted them.
func WithSigningKey(key []byte) Option {
	return func(o *options) { o.signingKey = slices.Clone(key) }
}

// WithRateLimit sets the rate limit of each API key, shared by the tokens it minted: r requests
// per second with bursts of burst. The default is 50 per second, bursts of 100.
func WithRateLimit(r rate.Limit, burst int) Option {
	return func(o *options) { o.limit, o.burst = r, burst }
}

// WithMaxBodyBytes sets the largest request body accepted (default 8 KiB).
func WithMaxBodyBytes(n int64) Option {
	return func(o *options) { o.maxBody = n }
}

// WithLoopbackHTTP accepts plain HTTP from loopback clients, for local development behind no
// TLS. Every other plain-HTTP request is refused.
func WithLoopbackHTTP() Option {
	return func(o *options) { o.loopbackHTTP = true }
}

// WithEmailHashOnly makes the widget send members' emails only as their SHA-256 (the
// data-email-sha256 attribute a partner fills with [EmailHash]): the script never sends a clear
// address and the API refuses one.
func WithEmailHashOnly() Option {
	return func(o *options) { o.hashOnly = true }
}

// WithLogger sets where refusals and failures are logged, through privacy's scrubbing handler:
// method, path, status, code and key ID, never record parameters, keys or tokens. The default
// discards them.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) { o.logger = l }
}

// WithClock sets the clock tokens are minted and checked with (default time.Now).
func WithClock(now func() time.Time) Option {
	return func(o *options) { o.now = now }
}

// WithCandidates sets how many candidates a card lists besides the best (default 4).
func WithCandidates(n int) Option {
	return func(o *options) { o.candidateShow = n }
}

// Handler is the embedded profile widget: an http.Handler serving the script, its stylesheet
// and the JSON API the script calls, for partner services to mount (under a prefix with
// http.StripPrefix):
//
//	GET  /widget.js     the script a CRM page embeds with one tag
//	GET  /widget.css    its stylesheet
//	POST /v1/card       the card of one record (viewer token)
//	POST /v1/choose     the viewer picks a candidate: a manual mapping (viewer token)
//	POST /v1/reject     "not this one": a rejection (viewer token)
//	POST /v1/tokens     the partner's server mints a viewer token (API key; never from a browser)
//
// A Handler is safe for concurrent use. It holds no resource and needs no Close.
type Handler struct {
	keys    *Keys
	o       options
	log     *slog.Logger
	mux     *http.ServeMux
	csp     string
	script  []byte
	limitMu sync.Mutex
	limits  map[string]*rate.Limiter
}

//go:embed static/widget.js
var scriptJS string

//go:embed static/widget.css
var styleCSS []byte

// New returns a Handler authenticating partners with keys. At least one [WithEnvironment] is
// required.
func New(keys *Keys, opts ...Option) (*Handler, error) {
	if keys == nil {
		return nil, fmt.Errorf("widget: new handler: %w: nil keys", crmlink.ErrNilArgument)
	}
	o := options{
		backends:      make(map[Env]Backend),
		limit:         50,
		burst:         100,
		maxBody:       8 << 10,
		now:           time.Now,
		hstsMaxAge:    365 * 24 * time.Hour,
		defaultTTL:    DefaultTokenTTL,
		candidateShow: 4,
	}
	for _, opt := range opts {
		opt(&o)
	}
	if len(o.backends) == 0 {
		return nil, errors.New("widget: new handler: no environment (WithEnvironment)")
	}
	for env, b := range o.backends {
		if !env.Valid() {
			return nil, fmt.Errorf("widget: new handler: unknown environment %q", string(env))
		}
		if b.Resolver == nil || b.Profiles == nil {
			return nil, fmt.Errorf("widget: new handler: environment %s: %w: Resolver and Profiles are required", env, crmlink.ErrNilArgument)
		}
	}
	for _, origin := range o.origins {
		if !strings.HasPrefix(origin, "https://") && !(o.loopbackHTTP && strings.HasPrefix(origin, "http://")) || strings.ContainsAny(origin, " ;,'\"") || strings.Count(origin, "/") != 2 {
			return nil, fmt.Errorf("widget: new handler: origin %q is not an https origin (scheme://host[:port])", origin)
		}
	}
	if o.signingKey == nil {
		o.signingKey = make([]byte, 32)
		if _, err := rand.Read(o.signingKey); err != nil {
			return nil, fmt.Errorf("widget: new handler: signing key: %w", err)
		}
	} else if len(o.signingKey) < 32 {
		return nil, errors.New("widget: new handler: the signing key must be at least 32 bytes")
	}
	if o.maxBody <= 0 || o.limit <= 0 || o.burst <= 0 || o.candidateShow < 0 {
		return nil, errors.New("widget: new handler: body limit, rate and burst must be positive")
	}
	logger := o.logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	} else {
		logger = slog.New(privacy.NewHandler(logger.Handler()))
	}
	ancestors := "'self'"
	if len(o.origins) > 0 {
		ancestors += " " + strings.Join(o.origins, " ")
	}
	h := &Handler{
		keys:   keys,
		o:      o,
		log:    logger,
		mux:    http.NewServeMux(),
		csp:    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors " + ancestors,
		limits: make(map[string]*rate.Limiter),
	}
	h.script = []byte(strings.Replace(scriptJS, "/*HASH_ONLY*/false", fmt.Sprint(o.hashOnly), 1))
	h.mux.HandleFunc("GET /widget.js", h.static("text/javascript; charset=utf-8", h.script))
	h.mux.HandleFunc("GET /widget.css", h.static("text/css; charset=utf-8", styleCSS))
	h.mux.HandleFunc("POST /v1/card", h.viewerCall(h.card))
	h.mux.HandleFunc("POST /v1/choose", h.viewerCall(h.choose))
	h.mux.HandleFunc("POST /v1/reject", h.viewerCall(h.reject))
	h.mux.HandleFunc("OPTIONS /v1/{call}", h.preflight)
	h.mux.HandleFunc("POST /v1/tokens", h.tokens)
	return h, nil
}

// ServeHTTP implements http.Handler: it refuses plain HTTP (except loopback when allowed) and
// sets the security headers on every response before routing.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Strict-Transport-Security", fmt.Sprintf("max-age=%d; includeSubDomains", int(h.o.hstsMaxAge.Seconds())))
	hd.Set("Content-Security-Policy", h.csp)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("Vary", "Origin")
	if r.TLS == nil && !(h.o.loopbackHTTP && loopbackClient(r)) {
		h.fail(w, r, "", fmt.Errorf("widget: %w: HTTPS is required", ErrForbidden))
		return
	}
	h.mux.ServeHTTP(w, r)
}

func loopbackClient(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return privacy.IsLoopback(host)
}

func (h *Handler) static(ctype string, body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Cache-Control", "public, max-age=300")
		// CRM pages of other origins load the script and its stylesheet.
		w.Header().Set("Cross-Origin-Resource-Policy", "cross-origin")
		w.Write(body)
	}
}

// allowedOrigin reports whether a browser request from origin may call the API: a configured
// CRM origin, or the handler's own origin.
func (h *Handler) allowedOrigin(r *http.Request, origin string) bool {
	if slices.Contains(h.o.origins, origin) {
		return true
	}
	scheme := "https://"
	if r.TLS == nil {
		scheme = "http://"
	}
	return origin == scheme+r.Host
}

// cors checks the Origin of a browser call and sets the CORS headers for an allowed one. A
// request without Origin (not from a browser page) passes.
func (h *Handler) cors(w http.ResponseWriter, r *http.Request) error {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return nil
	}
	if !h.allowedOrigin(r, origin) {
		return fmt.Errorf("widget: %w: origin is not a configured CRM origin", ErrForbidden)
	}
	w.Header().Set("Access-Control-Allow-Origin", origin)
	return nil
}

func (h *Handler) preflight(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("call") == "tokens" {
		h.fail(w, r, "", fmt.Errorf("widget: %w: tokens are minted by the partner's server, not a browser", ErrForbidden))
		return
	}
	if err := h.cors(w, r); err != nil || r.Header.Get("Origin") == "" {
		if err == nil {
			err = fmt.Errorf("widget: %w: preflight without origin", ErrForbidden)
		}
		h.fail(w, r, "", err)
		return
	}
	w.Header().Set("Access-Control-Allow-Methods", "POST")
	w.Header().Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
	w.Header().Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
}

// viewerCall wraps an API call made with a viewer token: origin, token, key, rate limit and
// body size are checked, then fn decodes the body and answers.
func (h *Handler) viewerCall(fn func(ctx context.Context, v Viewer, b Backend, body []byte) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		if err := h.cors(w, r); err != nil {
			h.fail(w, r, "", err)
			return
		}
		v, err := h.viewer(r)
		if err != nil {
			h.fail(w, r, v.KeyID, err)
			return
		}
		if err := h.allow(v.KeyID); err != nil {
			h.fail(w, r, v.KeyID, err)
			return
		}
		b, ok := h.o.backends[v.Env]
		if !ok {
			h.fail(w, r, v.KeyID, fmt.Errorf("widget: environment %s: %w: not served here", v.Env, ErrForbidden))
			return
		}
		body, err := h.readBody(w, r)
		if err != nil {
			h.fail(w, r, v.KeyID, err)
			return
		}
		out, err := fn(r.Context(), v, b, body)
		if err != nil {
			h.fail(w, r, v.KeyID, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	}
}

// viewer authenticates the viewer token of r: signature, expiry, and a key that still exists,
// is not revoked, was not rotated since, reaches the token's environment and the token's org.
func (h *Handler) viewer(r *http.Request) (Viewer, error) {
	tok, ok := bearer(r)
	if !ok {
		return Viewer{}, fmt.Errorf("widget: %w: no viewer token", ErrUnauthenticated)
	}
	c, err := parseToken(h.o.signingKey, tok, h.o.now())
	if err != nil {
		return Viewer{KeyID: c.Key}, err
	}
	v := Viewer{Org: c.Org, CRMUser: c.Usr, Env: c.Env, KeyID: c.Key}
	info, err := h.keys.current(c.Key, time.Unix(c.Iat, 0))
	if err != nil {
		return v, fmt.Errorf("widget: viewer token of key %s: %w", c.Key, err)
	}
	if info.Env != c.Env || !slices.Contains(info.Orgs, c.Org) {
		return v, fmt.Errorf("widget: viewer token of key %s: %w: environment or org of another key", c.Key, ErrForbidden)
	}
	return v, nil
}

func bearer(r *http.Request) (string, bool) {
	a := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(a, "Bearer ")
	tok = strings.TrimSpace(tok)
	return tok, ok && tok != ""
}

// allow takes one request from the rate limit of key id.
func (h *Handler) allow(id string) error {
	h.limitMu.Lock()
	l := h.limits[id]
	if l == nil {
		l = rate.NewLimiter(h.o.limit, h.o.burst)
		h.limits[id] = l
	}
	h.limitMu.Unlock()
	if !l.Allow() {
		return fmt.Errorf("widget: key %s: %w", id, ErrRateLimited)
	}
	return nil
}

func (h *Handler) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return nil, fmt.Errorf("widget: %w: body must be application/json", ErrInvalidRequest)
	}
	if r.ContentLength > h.o.maxBody {
		return nil, fmt.Errorf("widget: %w: over %d bytes", ErrTooLarge, h.o.maxBody)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.o.maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, fmt.Errorf("widget: %w: over %d bytes", ErrTooLarge, h.o.maxBody)
		}
		return nil, fmt.Errorf("widget: read body: %w", err)
	}
	return body, nil
}

// errorBody is the JSON of a refusal.
type errorBody struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

// fail answers err with its status and code, and logs it without record values.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, keyID string, err error) {
	status, code := StatusOf(err)
	msg := http.StatusText(status)
	if status < 500 {
		msg = privacy.Scrub(err.Error())
	}
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	h.log.LogAttrs(r.Context(), level, "widget refused", slog.String("method", r.Method),
		slog.String("path", r.URL.Path), slog.Int("status", status), slog.String("code", code),
		slog.String("key_id", keyID), slog.Any("error", err))
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="crmlink widget"`)
	}
	writeJSON(w, status, errorBody{Error: code, Message: msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
