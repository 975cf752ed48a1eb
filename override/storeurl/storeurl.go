package storeurl

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/override/boltstore"
	"github.com/crmlink/crmlink/override/pgstore"
)

// SchemaParam is the query parameter of a postgres URL that names the
// PostgreSQL schema of the store (see [pgstore.WithSchema]); it is removed
// from the DSN before it reaches the server.
const SchemaParam = "crmlink_schema"

// LockTimeoutParam is the query parameter of a bolt URL that sets how long
// Open waits for another process to release the file (see
// [boltstore.WithLockTimeout]), in Go's duration notation, e.g. "5s".
const LockTimeoutParam = "lock_timeout"

// URLError is an unusable store URL. It never holds the URL, which may carry
// a password. It matches [override.ErrInvalid] with errors.Is.
type URLError struct {
	Scheme string // the URL's scheme, if it could be read
	Reason string
}

// Error returns "storeurl: <scheme> URL: <reason>".
func (e *URLError) Error() string {
	if e.Scheme == "" {
		return "storeurl: " + e.Reason
	}
	return "storeurl: " + e.Scheme + " URL: " + e.Reason
}

// Unwrap returns [override.ErrInvalid].
func (e *URLError) Unwrap() error { return override.ErrInvalid }

// Open opens the store named by rawURL:
//
//	mem:                                  a new, empty in-memory store (override.NewMemory)
//	bolt:///abs/path/file.db              a boltstore file; query: lock_timeout=5s
//	postgres://user:pw@host:5432/db?...   a pgstore, via pgstore.Open; query: crmlink_schema=NAME
//	postgresql://...                      the same
//
// The caller owns the store and must Close it. Errors never contain the URL's
// password; an unusable URL gives a [*URLError].
func Open(ctx context.Context, rawURL string) (override.Store, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("storeurl: open: %w", err)
	}
	t, err := parse(rawURL)
	if err != nil {
		return nil, err
	}
	switch t.scheme {
	case "mem":
		return override.NewMemory(), nil
	case "bolt":
		var opts []boltstore.Option
		if t.lockTimeout >= 0 {
			opts = append(opts, boltstore.WithLockTimeout(t.lockTimeout))
		}
		s, err := boltstore.Open(t.path, opts...)
		if err != nil {
			return nil, err
		}
		return s, nil
	default:
		var opts []pgstore.Option
		if t.schema != "" {
			opts = append(opts, pgstore.WithSchema(t.schema))
		}
		s, err := pgstore.Open(ctx, t.dsn, opts...)
		if err != nil {
			return nil, redact(err, t.secrets)
		}
		return s, nil
	}
}

// target is a parsed store URL.
type target struct {
	scheme      string
	path        string        // bolt
	lockTimeout time.Duration // bolt; -1 for the default
	dsn         string        // postgres, without SchemaParam
	schema      string        // postgres
	secrets     []string      // postgres: the password, decoded and as written, to redact from errors
}

func parse(raw string) (target, error) {
	t := target{lockTimeout: -1}
	scheme, rest, ok := strings.Cut(raw, ":")
	if !ok || scheme == "" {
		return t, &URLError{Reason: "no scheme (want mem:, bolt:///path or postgres://...)"}
	}
	t.scheme = strings.ToLower(scheme)
	switch t.scheme {
	case "mem":
		if rest != "" && rest != "//" {
			return t, &URLError{Scheme: "mem", Reason: `takes no path or options (write "mem:")`}
		}
		return t, nil
	case "bolt":
		u, err := url.Parse(raw)
		if err != nil {
			return t, &URLError{Scheme: "bolt", Reason: "malformed"}
		}
		if u.Opaque != "" || u.Host != "" || u.User != nil {
			return t, &URLError{Scheme: "bolt", Reason: "want bolt:///absolute/path/file.db (three slashes, no host)"}
		}
		if u.Path == "" || !filepath.IsAbs(u.Path) {
			return t, &URLError{Scheme: "bolt", Reason: "path must be absolute"}
		}
		if strings.HasSuffix(u.Path, "/") {
			return t, &URLError{Scheme: "bolt", Reason: "path names a directory, want a file"}
		}
		t.path = filepath.Clean(u.Path)
		q, err := url.ParseQuery(u.RawQuery)
		if err != nil {
			return t, &URLError{Scheme: "bolt", Reason: "malformed query"}
		}
		for k, vs := range q {
			if k != LockTimeoutParam || len(vs) != 1 {
				return t, &URLError{Scheme: "bolt", Reason: "unknown or repeated query parameter (only " + LockTimeoutParam + " is known)"}
			}
			d, err := time.ParseDuration(vs[0])
			if err != nil || d < 0 {
				return t, &URLError{Scheme: "bolt", Reason: LockTimeoutParam + " is not a duration >= 0"}
			}
			t.lockTimeout = d
		}
		return t, nil
	case "postgres", "postgresql":
		u, err := url.Parse(raw)
		if err != nil {
			// url.Error quotes the whole URL, password included: drop it.
			return t, &URLError{Scheme: t.scheme, Reason: "malformed"}
		}
		if u.User != nil {
			if pw, ok := u.User.Password(); ok && pw != "" {
				t.secrets = append(t.secrets, pw, url.QueryEscape(pw), url.PathEscape(pw))
				if _, enc, ok := strings.Cut(u.User.String(), ":"); ok {
					t.secrets = append(t.secrets, enc)
				}
			}
		}
		if u.Host == "" && u.Opaque != "" {
			return t, &URLError{Scheme: t.scheme, Reason: "want postgres://host/db"}
		}
		q := u.Query()
		if vs, ok := q[SchemaParam]; ok {
			if len(vs) != 1 || vs[0] == "" {
				return t, &URLError{Scheme: t.scheme, Reason: SchemaParam + " must be given once, non-empty"}
			}
			t.schema = vs[0]
			q.Del(SchemaParam)
			u.RawQuery = q.Encode()
		}
		t.dsn = u.String()
		return t, nil
	}
	return t, &URLError{Reason: "unknown scheme (want mem, bolt, postgres or postgresql)"}
}

// redact hides secrets in err's text, keeping err reachable for errors.Is and As.
func redact(err error, secrets []string) error {
	msg := err.Error()
	for _, s := range secrets {
		if s != "" && strings.Contains(msg, s) {
			return &redacted{err: err, secrets: secrets}
		}
	}
	return err
}

type redacted struct {
	err     error
	secrets []string
}

func (r *redacted) Error() string {
	msg := r.err.Error()
	for _, s := range r.secrets {
		if s != "" {
			msg = strings.ReplaceAll(msg, s, "xxxxx")
		}
	}
	return msg
}
func (r *redacted) Unwrap() error { return r.err }
