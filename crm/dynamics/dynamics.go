package dynamics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/internal/httpx"
)

// APIPath is the Dataverse Web API path this package speaks, relative to the org URL.
const APIPath = "/api/data/v9.2/"

// Page sizes (Prefer: odata.maxpagesize).
const (
	// DefaultPageSize is used when Config.PageSize is zero.
	DefaultPageSize = 1000
	// MaxPageSize is Dataverse's largest page; larger Config.PageSize values are clamped.
	MaxPageSize = 5000
)

// Config says which Dataverse org to read and how to authenticate.
//
// Exactly one of Credentials and TokenSource must be set.
type Config struct {
	// OrgURL is the environment URL, e.g. https://contoso.crm.dynamics.com. It must be
	// https, unless AllowInsecureLoopback is set and the host is a loopback address.
	OrgURL string

	// Credentials, when set, fetches tokens with the OAuth2 client-credentials grant
	// against Microsoft Entra ID. When its Scopes are empty, "<OrgURL>/.default" is used.
	// Tokens are fetched with the context of the call that needs them and with HTTPClient.
	Credentials *clientcredentials.Config

	// TokenSource, when set, supplies bearer tokens (e.g. a certificate or managed-identity
	// flow). The Source caches the token until it expires and asks again once after a 401,
	// so pass a source that fetches a fresh token on each call (not an oauth2.ReuseTokenSource)
	// if you want the refresh-on-401 to obtain a new token.
	TokenSource oauth2.TokenSource

	// HTTPClient sends the requests. Nil means a client with a 2-minute timeout.
	HTTPClient *http.Client

	// PageSize is sent as Prefer: odata.maxpagesize. Zero means DefaultPageSize; values
	// above MaxPageSize are clamped.
	PageSize int

	// AllowInsecureLoopback permits http:// for loopback hosts (127.0.0.1, ::1, localhost),
	// for local test servers only. Non-loopback http:// is always refused.
	AllowInsecureLoopback bool
}

// Option configures a Source beyond its Config.
type Option func(*options)

type options struct {
	logger  *slog.Logger
	backoff crm.Backoff
	phases  []string // pipeline phases (stepname values) in order; nil: use salesstage
}

// WithLogger makes the Source log retries and token refreshes at debug/warn level. Log lines
// carry the operation, HTTP status and Dataverse error code only, never URLs with filter
// values, record data or tokens. The default discards logs.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) { o.logger = l }
}

// WithBackoff sets how throttled (429) and unavailable (502/503/504) calls are retried. A
// server's Retry-After is honoured; a Retry-After longer than what is left of b.Budget is not
// waited for: the call fails at once with [crm.ErrRateLimited] (or [crm.ErrUnavailable]) in a
// [*crm.APIError] carrying the server's RetryAfter. The default is the zero [crm.Backoff]
// (4 retries, 2-minute budget).
func WithBackoff(b crm.Backoff) Option {
	return func(o *options) { o.backoff = b }
}

// WithPipelinePhases makes the Source take open opportunity stages from the stepname column
// (Pipeline Phase) instead of the salesstage choice, for orgs whose business process flow
// writes stepname and never maintains salesstage. phases are the stepname values in pipeline
// order (e.g. "1-Qualify", "2-Develop", "3-Propose", "4-Close"); an open opportunity whose
// stepname is not among them is reported with that Stage and matches no stage filter.
func WithPipelinePhases(phases ...string) Option {
	return func(o *options) { o.phases = slices.Clone(phases) }
}

// Source reads one Dataverse org and writes activities back to it. It implements
// [crm.Source], [crm.StageFilterer], [crm.TeamLister] and [crm.Writer].
//
// A Source is safe for concurrent use by multiple goroutines.
type Source struct {
	base   *url.URL // org URL + APIPath
	client *http.Client
	page   int
	opts   options

	creds *clientcredentials.Config
	ts    oauth2.TokenSource
	http  *httpx.Client
}

var (
	_ crm.Source        = (*Source)(nil)
	_ crm.StageFilterer = (*Source)(nil)
	_ crm.TeamLister    = (*Source)(nil)
	_ crm.Writer        = (*Source)(nil)
)

// New checks cfg and returns a Source. It fetches a first token with ctx, so wrong
// credentials fail here rather than on the first read. It refuses an http:// OrgURL (or
// token URL) with [crm.ErrInsecure], unless cfg.AllowInsecureLoopback is set and the host
// is a loopback address.
func New(ctx context.Context, cfg Config, opts ...Option) (*Source, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	for _, p := range o.phases {
		if p == "" || !utf8.ValidString(p) {
			return nil, errors.New("dynamics: WithPipelinePhases: empty or invalid phase")
		}
	}
	if o.logger == nil {
		o.logger = slog.New(slog.DiscardHandler)
	}
	base, err := httpx.CheckURL("dynamics", "org URL", cfg.OrgURL, cfg.AllowInsecureLoopback)
	if err != nil {
		return nil, err
	}
	base.Path = strings.TrimSuffix(strings.TrimSuffix(base.Path, "/"), strings.TrimSuffix(APIPath, "/")) + APIPath
	base.RawQuery, base.Fragment = "", ""

	s := &Source{base: base, client: cfg.HTTPClient, page: cfg.PageSize, opts: o}
	if s.client == nil {
		s.client = httpx.NewClient(2*time.Minute, cfg.AllowInsecureLoopback)
	}
	switch {
	case s.page <= 0:
		s.page = DefaultPageSize
	case s.page > MaxPageSize:
		s.page = MaxPageSize
	}
	switch {
	case cfg.Credentials != nil && cfg.TokenSource != nil:
		return nil, errors.New("dynamics: set Config.Credentials or Config.TokenSource, not both")
	case cfg.Credentials != nil:
		if _, err := httpx.CheckURL("dynamics", "token URL", cfg.Credentials.TokenURL, cfg.AllowInsecureLoopback); err != nil {
			return nil, err
		}
		c := cfg.Credentials
		scopes := c.Scopes
		if len(scopes) == 0 {
			root := *base
			root.Path = ""
			scopes = []string{root.String() + "/.default"}
		}
		s.creds = &clientcredentials.Config{
			ClientID: c.ClientID, ClientSecret: c.ClientSecret, TokenURL: c.TokenURL,
			Scopes: scopes, EndpointParams: c.EndpointParams, AuthStyle: c.AuthStyle,
		}
	case cfg.TokenSource != nil:
		s.ts = cfg.TokenSource
	default:
		return nil, errors.New("dynamics: Config.Credentials or Config.TokenSource is required")
	}
	s.http = &httpx.Client{HTTP: s.client, Tokens: &httpx.TokenCache{Fetch: s.fetchToken},
		Backoff: o.backoff, Parse: parseError, Log: o.logger, Name: "dynamics"}
	if _, err := s.http.Tokens.Token(ctx, ""); err != nil {
		return nil, err
	}
	return s, nil
}

// String describes the Config without its secrets, so that printing or logging it is safe.
func (c Config) String() string {
	auth := "none"
	switch {
	case c.Credentials != nil:
		auth = "client credentials"
	case c.TokenSource != nil:
		auth = "token source"
	}
	return fmt.Sprintf("dynamics.Config{OrgURL: %q, auth: %s, PageSize: %d, AllowInsecureLoopback: %t}", c.OrgURL, auth, c.PageSize, c.AllowInsecureLoopback)
}

// LogValue implements slog.LogValuer with the same redacted description as String.
func (c Config) LogValue() slog.Value { return slog.StringValue(c.String()) }

// String describes the Source without any secret.
func (s *Source) String() string { return "dynamics.Source(" + s.base.Host + ")" }

// fetchToken gets a new token from the client-credentials grant or the TokenSource.
func (s *Source) fetchToken(ctx context.Context) (*oauth2.Token, error) {
	var (
		t   *oauth2.Token
		err error
	)
	if s.creds != nil {
		t, err = s.creds.Token(context.WithValue(ctx, oauth2.HTTPClient, s.client))
	} else {
		t, err = s.ts.Token()
	}
	if err != nil {
		return nil, httpx.TokenError(ctx, "fetch token", err)
	}
	if t == nil || t.AccessToken == "" {
		return nil, &crm.APIError{Op: "fetch token", Class: crm.ErrUnauthorized, Code: "empty_token"}
	}
	return t, nil
}
