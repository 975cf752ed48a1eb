// Package httpx is the HTTP plumbing the CRM drivers share: the HTTPS check of endpoints, the
// mapping of HTTP statuses to crm's error classes, the sanitising of vendor error codes, the
// reading of failed answers (with Retry-After), the redaction of transport errors, a token cache
// that refreshes once after a rejection, and the call loop that ties them to a [crm.Backoff].
//
// Vendor-specific knowledge (which error codes a CRM sends, where they sit in its error bodies)
// stays in the drivers; they hand it to this package as functions.
package httpx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/privacy"
)

// CheckURL parses raw and enforces HTTPS with [privacy.CheckURL]: http:// is accepted only when
// allowLoopback is set and the host is a loopback address (local test servers). pkg and what
// name the URL in errors ("dynamics", "org URL"), which wrap [crm.ErrInvalid] for a URL that is
// not absolute and [crm.ErrInsecure] (and [privacy.ErrInsecure]) for a refused scheme. The
// error never quotes the URL's path or query.
func CheckURL(pkg, what, raw string, allowLoopback bool) (*url.URL, error) {
	var opts []privacy.TLSOption
	if allowLoopback {
		opts = append(opts, privacy.AllowLoopbackHTTP())
	}
	u, err := privacy.CheckURL(what, raw, opts...)
	switch {
	case err == nil:
		return u, nil
	case errors.Is(err, privacy.ErrInsecure):
		return nil, fmt.Errorf("%s: %s scheme %q (HTTPS required): %w: %w", pkg, what, u2scheme(raw), crm.ErrInsecure, err)
	default:
		return nil, fmt.Errorf("%s: %s is not an absolute URL: %w", pkg, what, crm.ErrInvalid)
	}
}

func u2scheme(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Scheme
	}
	return ""
}

// IsLoopback reports whether host is "localhost" or a loopback IP address ([privacy.IsLoopback]).
func IsLoopback(host string) bool { return privacy.IsLoopback(host) }

// NewClient returns the HTTP client an adapter uses when its caller gives none:
// [privacy.NewClient] (HTTPS only, TLS 1.2 or newer, no redirect to plain HTTP), with plain
// HTTP to a loopback host only when allowLoopback is set, and the given overall timeout.
func NewClient(timeout time.Duration, allowLoopback bool) *http.Client {
	opts := []privacy.TLSOption{privacy.WithTimeout(timeout)}
	if allowLoopback {
		opts = append(opts, privacy.AllowLoopbackHTTP())
	}
	return privacy.NewClient(opts...)
}

// ClassifyStatus maps an HTTP status to the crm error class it implies when the vendor code says
// nothing more specific; see the crm package documentation, # Errors.
func ClassifyStatus(status int) error {
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return crm.ErrUnauthorized
	case status == http.StatusTooManyRequests:
		return crm.ErrRateLimited
	case status == http.StatusNotFound:
		return crm.ErrNotFound
	case status == http.StatusConflict || status == http.StatusPreconditionFailed:
		return crm.ErrConflict
	case status == http.StatusServiceUnavailable || status == http.StatusBadGateway || status == http.StatusGatewayTimeout:
		return crm.ErrUnavailable
	case status >= 500:
		return crm.ErrServer
	case status >= 400:
		return crm.ErrMalformedQuery
	}
	return crm.ErrMalformed // a 1xx or 3xx answer where a 2xx was expected
}

// maxCode bounds a kept vendor code.
const maxCode = 64

// SanitizeCode returns code if it looks like a vendor error code (0x80040217, PrivilegeDenied,
// REQUEST_LIMIT_EXCEEDED, sf:INVALID_LOGIN, invalid_grant): at most 64 letters, digits and
// '_', '-', '.', ':'. Anything else, which could be free text quoting record values, becomes "".
func SanitizeCode(code string) string {
	if len(code) > maxCode {
		return ""
	}
	for _, c := range code {
		ok := c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '-' || c == '.' || c == ':'
		if !ok {
			return ""
		}
	}
	return code
}

// maxErrorBody bounds how much of a failed answer is read to find the vendor code.
const maxErrorBody = 64 << 10

// ParseFunc reads a failed answer's body (at most 64 KiB) for its vendor code and, when the code
// or the body says more than the status, its crm class (nil: [ClassifyStatus] decides). The body
// is never kept: vendors quote record values in their messages.
type ParseFunc func(status int, body []byte) (code string, class error)

// ResponseError consumes and closes resp.Body and returns the classified error of a non-2xx
// answer: operation, status, sanitised vendor code, the server's Retry-After, and a class.
func ResponseError(op string, resp *http.Response, parse ParseFunc) *crm.APIError {
	defer resp.Body.Close()
	e := &crm.APIError{Op: op, Status: resp.StatusCode, RetryAfter: crm.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	var class error
	if parse != nil {
		var code string
		code, class = parse(resp.StatusCode, body)
		e.Code = SanitizeCode(code)
	}
	if class == nil {
		class = ClassifyStatus(resp.StatusCode)
	}
	e.Class = class
	return e
}

// TransportError is the error of a request that got no answer: the context's error when ctx is
// done (not retryable), else [crm.ErrUnavailable] with a [SafeCause].
func TransportError(ctx context.Context, op string, err error) *crm.APIError {
	if cerr := ctx.Err(); cerr != nil {
		return &crm.APIError{Op: op, Cause: cerr}
	}
	return &crm.APIError{Op: op, Class: crm.ErrUnavailable, Cause: SafeCause(err)}
}

// SafeCause keeps the kind of a transport error but not its text, which may quote a URL whose
// query holds record IDs or filter values and, for some errors, response bytes. The original
// stays reachable with errors.Is and errors.As.
func SafeCause(err error) error {
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

// redacted keeps an error reachable with errors.As and errors.Is and says what it was, through
// [privacy.Scrub]: its text without URLs' quoted forms, tokens, secrets or record values.
type redacted struct{ err error }

func (r redacted) Error() string {
	var op *net.OpError
	if errors.As(r.err, &op) {
		return "network error: " + op.Op
	}
	if errors.Is(r.err, io.ErrUnexpectedEOF) {
		return io.ErrUnexpectedEOF.Error()
	}
	return privacy.Scrub(r.err.Error())
}

func (r redacted) Unwrap() error { return r.err }
