package privacy

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ErrInsecure is the class of a request or an endpoint refused because it
// would leave TLS: a plain http:// URL (other than loopback with
// [AllowLoopbackHTTP]), a redirect to one, or a transport configured below
// TLS 1.2.
var ErrInsecure = errors.New("privacy: insecure transport refused")

// MinTLSVersion is the oldest TLS version a [NewTransport] accepts.
const MinTLSVersion = tls.VersionTLS12

// TLSOption configures [NewClient], [NewTransport] and [CheckURL].
type TLSOption func(*tlsOptions)

type tlsOptions struct {
	loopback bool
	roots    *x509.CertPool
	timeout  time.Duration
	base     *http.Transport
}

// AllowLoopbackHTTP lets plain http:// reach a loopback address (localhost,
// 127.0.0.0/8, ::1): for local test servers only. Every other host still needs
// HTTPS.
func AllowLoopbackHTTP() TLSOption { return func(o *tlsOptions) { o.loopback = true } }

// WithRootCAs sets the certificate authorities the transport trusts instead of
// the system's, e.g. an httptest.Server's certificate in tests.
func WithRootCAs(pool *x509.CertPool) TLSOption { return func(o *tlsOptions) { o.roots = pool } }

// WithTimeout sets the client's overall request timeout (default none: the
// request's context bounds it).
func WithTimeout(d time.Duration) TLSOption { return func(o *tlsOptions) { o.timeout = d } }

// WithBaseTransport starts from a clone of t (its proxy, dialer, pools)
// instead of http.DefaultTransport's; the TLS floor is raised to
// [MinTLSVersion] whatever t says. t is not changed.
func WithBaseTransport(t *http.Transport) TLSOption { return func(o *tlsOptions) { o.base = t } }

func tlsOpts(opts []TLSOption) tlsOptions {
	var o tlsOptions
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// IsLoopback reports whether host (a name or an IP, without port) is
// "localhost" or a loopback address.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// CheckURL parses raw and enforces HTTPS: http:// is accepted only for a
// loopback host with [AllowLoopbackHTTP]. what names the URL in errors ("org
// URL", "token URL"). An error wraps [ErrInsecure] for a refused scheme; it
// never quotes the URL's user info, path or query.
func CheckURL(what, raw string, opts ...TLSOption) (*url.URL, error) {
	o := tlsOpts(opts)
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("privacy: %s is not an absolute URL", what)
	}
	if err := checkScheme(u, o.loopback); err != nil {
		return nil, fmt.Errorf("privacy: %s: %w", what, err)
	}
	return u, nil
}

func checkScheme(u *url.URL, loopback bool) error {
	switch strings.ToLower(u.Scheme) {
	case "https":
		return nil
	case "http":
		if loopback && IsLoopback(u.Hostname()) {
			return nil
		}
	}
	return fmt.Errorf("scheme %q to host %s (HTTPS required): %w", u.Scheme, u.Hostname(), ErrInsecure)
}

// NewTransport returns an [http.RoundTripper] that refuses any request that
// is not HTTPS (plain http only to loopback with [AllowLoopbackHTTP]) with an
// error matching [ErrInsecure], over an [*http.Transport] whose TLS floor is
// [MinTLSVersion].
func NewTransport(opts ...TLSOption) http.RoundTripper {
	o := tlsOpts(opts)
	return newTransport(o)
}

func newTransport(o tlsOptions) *transport {
	var base *http.Transport
	if o.base != nil {
		base = o.base.Clone()
	} else {
		base = http.DefaultTransport.(*http.Transport).Clone()
	}
	if base.TLSClientConfig == nil {
		base.TLSClientConfig = &tls.Config{}
	}
	if base.TLSClientConfig.MinVersion < MinTLSVersion {
		base.TLSClientConfig.MinVersion = MinTLSVersion
	}
	if o.roots != nil {
		base.TLSClientConfig.RootCAs = o.roots
	}
	return &transport{next: base, loopback: o.loopback}
}

type transport struct {
	next     *http.Transport
	loopback bool
}

// RoundTrip refuses a request that would leave TLS, and sends the others.
func (t *transport) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := checkScheme(r.URL, t.loopback); err != nil {
		if r.Body != nil {
			_ = r.Body.Close()
		}
		return nil, fmt.Errorf("privacy: %s request: %w", r.Method, err)
	}
	return t.next.RoundTrip(r)
}

// NewClient returns the HTTP client the CRM adapters use: the transport of
// [NewTransport], and redirects followed only to HTTPS (at most 10). It holds
// no credentials; adapters add theirs per request.
func NewClient(opts ...TLSOption) *http.Client {
	o := tlsOpts(opts)
	t := newTransport(o)
	return &http.Client{
		Transport: t,
		Timeout:   o.timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 10 {
				return errors.New("privacy: stopped after 10 redirects")
			}
			return checkScheme(req.URL, t.loopback)
		},
	}
}

// Secure reports whether c's transport is one of this package's (so it
// refuses plain HTTP); adapters use it to refuse a client a caller built
// without it.
func Secure(c *http.Client) bool {
	if c == nil {
		return false
	}
	_, ok := c.Transport.(*transport)
	return ok
}
