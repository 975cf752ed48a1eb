package salesforce

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/internal/httpx"
)

// DefaultAPIVersion is the REST API version used when [Config.APIVersion] is empty. It is newer
// than simpleforce's default (54.0) because Task.TaskSubtype "LinkedIn" needs 56.0 or later.
const DefaultAPIVersion = "59.0"

// Config says which org to reach and how to authenticate.
type Config struct {
	// InstanceURL is the org's instance, e.g. "https://acme.my.salesforce.com". It is used only
	// when the token carries no "instance_url" extra (the token response's value wins, since the
	// session is valid there). One of the two must be present.
	InstanceURL string
	// APIVersion is the REST API version without the "v", e.g. "59.0" (default [DefaultAPIVersion]).
	APIVersion string
	// TokenSource yields access tokens. It is called once at New and again whenever Salesforce
	// answers INVALID_SESSION_ID, so it must return a fresh token on each call: use
	// [JWTConfig.TokenSource] or [ClientCredentials], not an [oauth2.ReuseTokenSource] (Salesforce
	// tokens carry no expiry, so a caching source would replay the expired one).
	TokenSource oauth2.TokenSource
	// HTTPClient sends every request (default: a client with a 60s timeout).
	HTTPClient *http.Client
	// AllowInsecureLoopback permits an http:// instance URL whose host is a loopback address
	// (tests). Any other http:// URL is refused with [crm.ErrInsecure].
	AllowInsecureLoopback bool
}

// Option tunes a [Source].
type Option func(*options)

type options struct {
	backoff      crm.Backoff
	bulk         bool
	bulkMin      int
	bulkPoll     time.Duration
	bulkPollMax  time.Duration
	bulkPageSize int
	batchSize    int
	keyField     string
	taskSubtype  string
	taskStatus   string
	// multiCurrency: the org has multiple currencies, Opportunity.CurrencyIsoCode exists.
	multiCurrency bool
}

// WithBackoff sets the retry policy for REQUEST_LIMIT_EXCEEDED, 429 and 503 answers and transport
// failures (default: the zero [crm.Backoff], i.e. 4 retries within 2 minutes).
func WithBackoff(b crm.Backoff) Option { return func(o *options) { o.backoff = b } }

// WithBulk makes Leads, Contacts, Accounts and Opportunities read through Bulk API 2.0 query jobs
// instead of REST queries (default false). Bulk suits full imports of large objects; REST suits
// small and incremental reads. Users, roles and stages always use REST.
func WithBulk(on bool) Option { return func(o *options) { o.bulk = on } }

// WithBulkThreshold makes each read of leads, contacts, accounts or opportunities without
// [crm.Filter.IDs] count its records first (SELECT COUNT(), one REST call) and use Bulk API 2.0
// when there are at least n, REST otherwise (default 0: no counting; [WithBulk] forces Bulk).
func WithBulkThreshold(n int) Option { return func(o *options) { o.bulkMin = n } }

// WithBulkPolling sets the first and the largest interval between two polls of a Bulk job
// (default 500ms growing to 10s). Values below 1ms are raised to 1ms.
func WithBulkPolling(first, largest time.Duration) Option {
	return func(o *options) {
		o.bulkPoll = max(first, time.Millisecond)
		o.bulkPollMax = max(largest, o.bulkPoll)
	}
}

// WithBulkPageSize sets maxRecords per Bulk result page (default 50,000; n <= 0 keeps it).
func WithBulkPageSize(n int) Option {
	return func(o *options) {
		if n > 0 {
			o.bulkPageSize = n
		}
	}
}

// WithMultiCurrency tells the Source the org has multiple currencies enabled, so that it reads
// Opportunity.CurrencyIsoCode into [crm.Opportunity.Currency]. The field does not exist in other
// orgs (a query naming it fails); there every amount is in the org's one corporate currency and
// Currency is left empty.
func WithMultiCurrency(on bool) Option { return func(o *options) { o.multiCurrency = on } }

// WithBatchSize sets the Sforce-Query-Options batchSize hint for REST queries (200 to 2,000;
// default 0 leaves Salesforce's 2,000).
func WithBatchSize(n int) Option { return func(o *options) { o.batchSize = n } }

// WithExternalKeyField stores [crm.Activity.ExternalKey] in a custom text field of Task and
// ContentNote (e.g. "Crmlink_Key__c", which the org must define on both objects) instead of a
// marker at the end of the subject or title. See the package documentation, # Writing.
func WithExternalKeyField(name string) Option { return func(o *options) { o.keyField = name } }

// WithTaskFields sets Task.TaskSubtype and Task.Status of written activities (default "Task" and
// "Completed"; "LinkedIn" is a valid subtype from API 56.0).
func WithTaskFields(subtype, status string) Option {
	return func(o *options) { o.taskSubtype, o.taskStatus = subtype, status }
}

// Source reads one Salesforce org and writes activities back to it. It implements [crm.Source],
// [crm.StageFilterer] and [crm.Writer]. A Source is safe for concurrent use.
type Source struct {
	apiVersion string
	hc         *http.Client
	ts         oauth2.TokenSource
	insecureOK bool
	fallback   string // Config.InstanceURL
	opt        options
	http       *httpx.Client
}

type session struct {
	token    string
	instance string
}

var (
	_ crm.Source        = (*Source)(nil)
	_ crm.StageFilterer = (*Source)(nil)
	_ crm.Writer        = (*Source)(nil)
)

// New authenticates with cfg.TokenSource and returns a Source for the org. It fails with
// [crm.ErrInsecure] for a plain-HTTP instance, and with a [*crm.APIError] of class
// [crm.ErrUnauthorized] when no token can be obtained.
func New(ctx context.Context, cfg Config, opts ...Option) (*Source, error) {
	if cfg.TokenSource == nil {
		return nil, fmt.Errorf("salesforce: new: %w: no TokenSource", crm.ErrInvalid)
	}
	s := &Source{
		apiVersion: strings.TrimPrefix(cfg.APIVersion, "v"),
		hc:         cfg.HTTPClient,
		ts:         cfg.TokenSource,
		insecureOK: cfg.AllowInsecureLoopback,
		fallback:   strings.TrimSuffix(cfg.InstanceURL, "/"),
		opt: options{
			bulkPoll:     500 * time.Millisecond,
			bulkPollMax:  10 * time.Second,
			bulkPageSize: 50000,
			taskSubtype:  "Task",
			taskStatus:   "Completed",
		},
	}
	for _, o := range opts {
		o(&s.opt)
	}
	if s.apiVersion == "" {
		s.apiVersion = DefaultAPIVersion
	}
	if s.hc == nil {
		s.hc = httpx.NewClient(60*time.Second, s.insecureOK)
	}
	if s.fallback != "" {
		if err := checkURL(s.fallback, s.insecureOK); err != nil {
			return nil, err
		}
	}
	s.http = &httpx.Client{HTTP: s.hc, Tokens: &httpx.TokenCache{Fetch: s.fetchToken}, Backoff: s.opt.backoff,
		Parse: parseError, Rejected: sessionRejected, Name: "salesforce"}
	if _, err := s.session(ctx, ""); err != nil {
		return nil, err
	}
	return s, nil
}

// InstanceURL returns the instance URL the Source talks to.
func (s *Source) InstanceURL() string {
	if tok := s.http.Tokens.Current(); tok != nil {
		return s.instanceOf(tok)
	}
	return s.fallback
}

// String describes the Source without its session token.
func (s *Source) String() string { return "salesforce.Source(" + s.InstanceURL() + ")" }

// LogValue implements [slog.LogValuer]: the instance URL only, never the token.
func (s *Source) LogValue() slog.Value {
	return slog.GroupValue(slog.String("instance", s.InstanceURL()), slog.String("api", s.apiVersion))
}

// checkURL enforces HTTPS, allowing http:// only for a loopback host when insecureOK.
func checkURL(raw string, insecureOK bool) error {
	_, err := httpx.CheckURL("salesforce", "instance URL", raw, insecureOK)
	return err
}

// contextTokenSource is implemented by this package's token sources, which can then honour the
// ctx of the call that needs a token.
type contextTokenSource interface {
	tokenContext(ctx context.Context) (*oauth2.Token, error)
}

// session returns the current session, fetching a new token when there is none or when the
// current token is stale (the one a call was refused with). Concurrent callers that hit
// INVALID_SESSION_ID share one re-authentication (see [httpx.TokenCache]).
func (s *Source) session(ctx context.Context, stale string) (session, error) {
	tok, err := s.http.Tokens.Token(ctx, stale)
	if err != nil {
		return session{}, err
	}
	return session{token: tok.AccessToken, instance: s.instanceOf(tok)}, nil
}

// instanceOf returns the instance a token is valid on: its instance_url, else Config.InstanceURL.
func (s *Source) instanceOf(tok *oauth2.Token) string {
	if v, ok := tok.Extra("instance_url").(string); ok && v != "" {
		return strings.TrimSuffix(v, "/")
	}
	return s.fallback
}

// fetchToken asks the TokenSource for a new token and checks the instance it is valid on.
func (s *Source) fetchToken(ctx context.Context) (*oauth2.Token, error) {
	if err := ctx.Err(); err != nil {
		return nil, &crm.APIError{Op: "authenticate", Cause: err}
	}
	var tok *oauth2.Token
	var err error
	if cs, ok := s.ts.(contextTokenSource); ok {
		tok, err = cs.tokenContext(ctx)
	} else {
		tok, err = s.ts.Token()
	}
	if err != nil {
		return nil, httpx.TokenError(ctx, "authenticate", err)
	}
	if tok == nil || tok.AccessToken == "" {
		return nil, &crm.APIError{Op: "authenticate", Class: crm.ErrUnauthorized, Cause: errors.New("empty access token")}
	}
	inst := s.instanceOf(tok)
	if inst == "" {
		return nil, fmt.Errorf("salesforce: %w: no instance URL in Config or token", crm.ErrInvalid)
	}
	if err := checkURL(inst, s.insecureOK); err != nil {
		return nil, err
	}
	return tok, nil
}

// safeCause keeps the kind of a transport error but not its text (see [httpx.SafeCause]).
func safeCause(err error) error { return httpx.SafeCause(err) }

// do sends req with the session's bearer token, re-authenticating once on INVALID_SESSION_ID and
// retrying throttled or unavailable answers under the backoff policy (see [httpx.Client.Do]). It
// returns a 2xx response (the caller closes its body) or a *crm.APIError. req must be replayable
// (GetBody) if it has a body.
func (s *Source) do(ctx context.Context, op string, req *http.Request) (*http.Response, error) {
	return s.http.Do(ctx, op, req, replayable(req))
}

// sessionRejected reports whether a failed answer means the session token is no longer valid.
func sessionRejected(e *crm.APIError) bool {
	return e.Code == "INVALID_SESSION_ID" || (e.Status == http.StatusUnauthorized && e.Code == "")
}

// replayable reports whether a request that failed in transport may be sent again: reads, and
// Bulk job creation (a duplicate job is harmless). sObject Collections creations are not: the
// request may have been processed, and a repeated creation would skip the idempotency check.
func replayable(req *http.Request) bool {
	return req.Method == http.MethodGet || strings.HasSuffix(req.URL.Path, "/jobs/query")
}

// vendorError is one element of Salesforce's REST error array. Only the code is kept: messages
// quote field values.
type vendorError struct {
	ErrorCode  string `json:"errorCode"`
	StatusCode string `json:"statusCode"`
}

// parseError reads the vendor code of a failed answer and classifies it; the body's message is
// discarded (Salesforce quotes record values in it) once it has told the daily limit apart.
func parseError(status int, body []byte) (string, error) {
	code := errorCode(body)
	if code == "REQUEST_LIMIT_EXCEEDED" && dailyLimit(body) {
		return code, crm.ErrQuotaExceeded
	}
	return code, classify(status, code)
}

// dailyLimit reports whether a REQUEST_LIMIT_EXCEEDED answer is the org's rolling 24-hour limit
// ("TotalRequests Limit exceeded.") rather than a concurrency throttle ("ConcurrentRequests
// (Concurrent API Requests) Limit exceeded."): the message is the only signal.
func dailyLimit(body []byte) bool {
	var arr []struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &arr) != nil || len(arr) == 0 {
		return false
	}
	return strings.Contains(arr[0].Message, "TotalRequests Limit exceeded")
}

// errorCode extracts the first errorCode of a REST error array, or the "error" of an OAuth error
// object. Codes are upper-case identifiers; anything else is dropped.
func errorCode(body []byte) string {
	var arr []vendorError
	if json.Unmarshal(body, &arr) == nil && len(arr) > 0 {
		return httpx.SanitizeCode(arr[0].ErrorCode + arr[0].StatusCode)
	}
	var obj struct {
		ErrorCode string `json:"errorCode"`
		Error     string `json:"error"`
	}
	if json.Unmarshal(body, &obj) == nil {
		return httpx.SanitizeCode(obj.ErrorCode + obj.Error)
	}
	return ""
}

// classify maps an HTTP status and vendor code to a crm error class: the code when it is one of
// those below, else the status ([httpx.ClassifyStatus]); nil for an unknown code without a status
// (a per-record error of sObject Collections). REQUEST_LIMIT_EXCEEDED is the short-term throttle
// here; parseError tells the daily limit apart by its message.
func classify(status int, code string) error {
	switch code {
	case "REQUEST_LIMIT_EXCEEDED", "TXN_SECURITY_METERING_ERROR":
		return crm.ErrRateLimited
	case "JOB_NOT_COMPLETE":
		return crm.ErrNotReady
	case "INVALID_SESSION_ID", "INVALID_AUTH_HEADER", "invalid_grant", "invalid_client", "API_DISABLED_FOR_ORG":
		return crm.ErrUnauthorized
	case "MALFORMED_QUERY", "INVALID_FIELD", "INVALID_TYPE", "INVALID_QUERY_FILTER_OPERATOR",
		"INVALID_QUERY_LOCATOR", "MALFORMED_ID", "INVALID_ID_FIELD", "INVALIDENTITY", "JSON_PARSER_ERROR":
		return crm.ErrMalformedQuery
	case "NOT_FOUND", "ENTITY_IS_DELETED":
		return crm.ErrNotFound
	case "SERVER_UNAVAILABLE", "UNABLE_TO_LOCK_ROW":
		return crm.ErrUnavailable
	}
	if status == 0 {
		return nil
	}
	return httpx.ClassifyStatus(status)
}

// newRequest builds a request for path (relative to the instance, starting with "/") or an
// absolute URL on the instance.
func (s *Source) newRequest(ctx context.Context, method, path string, body []byte) (*http.Request, error) {
	sess, err := s.session(ctx, "")
	if err != nil {
		return nil, err
	}
	u := path
	if strings.HasPrefix(path, "/") {
		u = sess.instance + path
	}
	var rd io.Reader
	if body != nil {
		rd = strings.NewReader(string(body))
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		return nil, fmt.Errorf("salesforce: build request: %w", crm.ErrInvalid)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

func (s *Source) dataPath(rest string) string {
	return "/services/data/v" + s.apiVersion + "/" + rest
}
