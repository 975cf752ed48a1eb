package override

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
)

// Opener opens the store a URL names, for a [Registry]. u's scheme is the one
// it was registered for, in lower case. The caller owns the store and must
// Close it. An Opener must not put u's password in an error.
type Opener func(ctx context.Context, u *url.URL) (*Store, error)

// Registry opens stores by URL through the drivers a program registers: the
// program links only the drivers it registers, and nothing is registered
// behind its back. The zero value is an empty registry ready to use; there is
// no global one.
//
//	var reg override.Registry
//	reg.Register("mem", override.OpenMemory)
//	reg.Register("bolt", boltstore.OpenURL)
//	st, err := reg.Open(ctx, "bolt:///var/lib/app/overrides.db")
//
// A Registry is safe for concurrent use by multiple goroutines.
type Registry struct {
	mu      sync.RWMutex
	openers map[string]Opener
}

// Register makes open the opener of URLs of scheme (case-insensitive). It
// panics if scheme is empty or already registered, or open is nil: both are
// mistakes of the program, found at its first run.
func (r *Registry) Register(scheme string, open Opener) {
	scheme = strings.ToLower(scheme)
	if scheme == "" || open == nil {
		panic("override: Registry.Register: empty scheme or nil opener")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.openers[scheme]; dup {
		panic("override: Registry.Register: scheme " + scheme + " registered twice")
	}
	if r.openers == nil {
		r.openers = make(map[string]Opener)
	}
	r.openers[scheme] = open
}

// Schemes returns the registered schemes, sorted.
func (r *Registry) Schemes() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	s := make([]string, 0, len(r.openers))
	for k := range r.openers {
		s = append(s, k)
	}
	slices.Sort(s)
	return s
}

// Open opens the store named by rawURL with the opener of its scheme. A URL
// that cannot be parsed or whose scheme is not registered gives a
// [*URLError]; errors never contain the URL, which may carry a password.
func (r *Registry) Open(ctx context.Context, rawURL string) (*Store, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("override: open: %w", err)
	}
	scheme, _, ok := strings.Cut(rawURL, ":")
	if !ok || scheme == "" {
		return nil, &URLError{Reason: "no scheme (want " + r.want() + ")"}
	}
	scheme = strings.ToLower(scheme)
	r.mu.RLock()
	open := r.openers[scheme]
	r.mu.RUnlock()
	if open == nil {
		// The scheme is what the program was given; it holds no secret.
		return nil, &URLError{Scheme: safeScheme(scheme), Reason: "no driver registered (want " + r.want() + ")"}
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Error quotes the whole URL, password included: drop it.
		return nil, &URLError{Scheme: scheme, Reason: "malformed"}
	}
	u.Scheme = scheme
	return open(ctx, u)
}

func (r *Registry) want() string {
	s := r.Schemes()
	if len(s) == 0 {
		return "a registered scheme; none is"
	}
	return strings.Join(s, ", ")
}

// safeScheme returns s if it looks like a URL scheme, "?" otherwise.
func safeScheme(s string) string {
	if len(s) > 32 {
		return "?"
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.') {
			return "?"
		}
	}
	return s
}

// URLError is an unusable store URL. It never holds the URL, which may carry
// a password. It matches [ErrInvalid] with errors.Is.
type URLError struct {
	Scheme string // the URL's scheme, if it could be read
	Reason string
}

// Error returns "override: <scheme> URL: <reason>".
func (e *URLError) Error() string {
	if e.Scheme == "" {
		return "override: store URL: " + e.Reason
	}
	return "override: " + e.Scheme + " URL: " + e.Reason
}

// Unwrap returns [ErrInvalid].
func (e *URLError) Unwrap() error { return ErrInvalid }
