package salesforce

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/crmlink/crmlink/crm"
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

	mu   sync.Mutex
	sess session
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
		s.hc = &http.Client{Timeout: 60 * time.Second}
	}
	if s.fallback != "" {
		if err := checkURL(s.fallback, s.insecureOK); err != nil {
			return nil, err
		}
	}
	if _, err := s.session(ctx, ""); err != nil {
		return nil, err
	}
	return s, nil
}

// InstanceURL returns the instance URL the Source talks to.
func (s *Source) InstanceURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sess.instance
}

// String describes the Source without its session token.
func (s *Source) String() string { return "salesforce.Source(" + s.InstanceURL() + ")" }

// LogValue implements [slog.LogValuer]: the instance URL only, never the token.
func (s *Source) LogValue() slog.Value {
	return slog.GroupValue(slog.String("instance", s.InstanceURL()), slog.String("api", s.apiVersion))
}

// checkURL enforces HTTPS, allowing http:// only for a loopback host when insecureOK.
func checkURL(raw string, insecureOK bool) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("salesforce: %w: instance URL is not an absolute URL", crm.ErrInvalid)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if insecureOK && isLoopback(u.Hostname()) {
			return nil
		}
	}
	return fmt.Errorf("salesforce: %w: %s://%s (HTTPS required)", crm.ErrInsecure, u.Scheme, u.Host)
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// contextTokenSource is implemented by this package's token sources, which can then honour the
// ctx of the call that needs a token.
type contextTokenSource interface {
	tokenContext(ctx context.Context) (*oauth2.Token, error)
}

// session returns the current session, fetching a new token when there is none or when the
// current token is stale (the one a call was refused with). Holding mu during the fetch makes
// concurrent callers that hit INVALID_SESSION_ID share one re-authentication.
func (s *Source) session(ctx context.Context, stale string) (session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sess.token != "" && s.sess.token != stale {
		return s.sess, nil
	}
	if err := ctx.Err(); err != nil {
		return session{}, &crm.APIError{Op: "authenticate", Cause: err}
	}
	var tok *oauth2.Token
	var err error
	if cs, ok := s.ts.(contextTokenSource); ok {
		tok, err = cs.tokenContext(ctx)
	} else {
		tok, err = s.ts.Token()
	}
	if err != nil {
		return session{}, authError(err)
	}
	if tok.AccessToken == "" {
		return session{}, &crm.APIError{Op: "authenticate", Class: crm.ErrUnauthorized, Cause: errors.New("empty access token")}
	}
	inst := s.fallback
	if v, ok := tok.Extra("instance_url").(string); ok && v != "" {
		inst = strings.TrimSuffix(v, "/")
	}
	if inst == "" {
		return session{}, fmt.Errorf("salesforce: %w: no instance URL in Config or token", crm.ErrInvalid)
	}
	if err := checkURL(inst, s.insecureOK); err != nil {
		return session{}, err
	}
	s.sess = session{token: tok.AccessToken, instance: inst}
	return s.sess, nil
}

// authError maps a token-source failure to an APIError without the token endpoint's body.
func authError(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		st := 0
		if re.Response != nil {
			st = re.Response.StatusCode
		}
		return &crm.APIError{Op: "authenticate", Status: st, Code: re.ErrorCode, Class: crm.ErrUnauthorized}
	}
	var ae *crm.APIError
	if errors.As(err, &ae) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &crm.APIError{Op: "authenticate", Cause: err}
	}
	return &crm.APIError{Op: "authenticate", Class: crm.ErrUnauthorized, Cause: safeCause(err)}
}

// safeCause keeps the kind of a transport error but not its text, which may quote a URL holding a
// query with record IDs and, for some errors, response bytes.
func safeCause(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return errors.New("network timeout")
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s request failed: %w", ue.Op, redacted{ue.Err})
	}
	return redacted{err}
}

// redacted hides an error's text but keeps it reachable with errors.As and errors.Is.
type redacted struct{ err error }

func (r redacted) Error() string {
	var op *net.OpError
	if errors.As(r.err, &op) {
		return "network error: " + op.Op
	}
	return fmt.Sprintf("%T", r.err)
}
func (r redacted) Unwrap() error { return r.err }

// do sends req with the session's bearer token, re-authenticating once on INVALID_SESSION_ID and
// retrying throttled or unavailable answers under the backoff policy. It returns a 2xx response
// (the caller closes its body) or a *crm.APIError. req must be replayable (GetBody) if it has a
// body.
func (s *Source) do(ctx context.Context, op string, req *http.Request) (*http.Response, error) {
	retry := s.opt.backoff.Retrier()
	reauthed := false
	stale := ""
	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return nil, &crm.APIError{Op: op, Cause: err}
		}
		sess, err := s.session(ctx, stale)
		if err != nil {
			return nil, err
		}
		r := req.Clone(ctx)
		if attempt > 0 && req.GetBody != nil {
			if r.Body, err = req.GetBody(); err != nil {
				return nil, &crm.APIError{Op: op, Cause: err}
			}
		}
		r.Header.Set("Authorization", "Bearer "+sess.token)
		resp, err := s.hc.Do(r)
		var aerr *crm.APIError
		if err != nil {
			if cerr := ctx.Err(); cerr != nil {
				return nil, &crm.APIError{Op: op, Cause: cerr}
			}
			aerr = &crm.APIError{Op: op, Class: crm.ErrUnavailable, Cause: safeCause(err)}
			if !replayable(req) {
				// The request may have been processed: a creation is not repeated here, where the
				// idempotency check would be skipped. The caller may call again.
				return nil, aerr
			}
		} else if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			return resp, nil
		} else {
			aerr = responseError(op, resp)
			if aerr.Code == "INVALID_SESSION_ID" || (resp.StatusCode == http.StatusUnauthorized && aerr.Code == "") {
				if !reauthed {
					reauthed = true
					stale = sess.token
					continue
				}
			}
		}
		d, ok := retry.Next(aerr)
		if !ok {
			return nil, aerr
		}
		if err := crm.Sleep(ctx, d); err != nil {
			return nil, &crm.APIError{Op: op, Cause: err}
		}
	}
}

// replayable reports whether a request that failed in transport may be sent again: reads, and
// Bulk job creation (a duplicate job is harmless). sObject Collections creations are not.
func replayable(req *http.Request) bool {
	return req.Method == http.MethodGet || strings.HasSuffix(req.URL.Path, "/jobs/query")
}

// vendorError is one element of Salesforce's REST error array. Only the code is kept: messages
// quote field values.
type vendorError struct {
	ErrorCode  string `json:"errorCode"`
	StatusCode string `json:"statusCode"`
}

// responseError reads (and closes) a non-2xx response and classifies it. The body's message is
// discarded: Salesforce quotes record values in it.
func responseError(op string, resp *http.Response) *crm.APIError {
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	code := errorCode(body)
	e := &crm.APIError{
		Op:         op,
		Status:     resp.StatusCode,
		Code:       code,
		RetryAfter: crm.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()),
	}
	e.Class = classify(resp.StatusCode, code)
	return e
}

// errorCode extracts the first errorCode of a REST error array, or the "error" of an OAuth error
// object. Codes are upper-case identifiers; anything else is dropped.
func errorCode(body []byte) string {
	var arr []vendorError
	if json.Unmarshal(body, &arr) == nil && len(arr) > 0 {
		return sanitizeCode(arr[0].ErrorCode + arr[0].StatusCode)
	}
	var obj struct {
		ErrorCode string `json:"errorCode"`
		Error     string `json:"error"`
	}
	if json.Unmarshal(body, &obj) == nil {
		return sanitizeCode(obj.ErrorCode + obj.Error)
	}
	return ""
}

func sanitizeCode(c string) string {
	if len(c) > 80 {
		return ""
	}
	for _, r := range c {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == ':' || r == '.') {
			return ""
		}
	}
	return c
}

// classify maps an HTTP status and vendor code to a crm error class.
func classify(status int, code string) error {
	switch code {
	case "REQUEST_LIMIT_EXCEEDED", "TXN_SECURITY_METERING_ERROR":
		return crm.ErrRateLimited
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
	switch {
	case status == http.StatusTooManyRequests:
		return crm.ErrRateLimited
	case status == http.StatusServiceUnavailable || status == http.StatusBadGateway || status == http.StatusGatewayTimeout:
		return crm.ErrUnavailable
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return crm.ErrUnauthorized
	case status == http.StatusNotFound:
		return crm.ErrNotFound
	case status == http.StatusBadRequest:
		return crm.ErrMalformedQuery
	case status >= 500:
		return crm.ErrServer
	}
	return nil
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
