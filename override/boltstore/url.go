package boltstore

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/crmlink/crmlink/override"
)

// LockTimeoutParam is the query parameter of a bolt URL that sets how long
// [OpenURL] waits for another process to release the file (see
// [WithLockTimeout]), in Go's duration notation, e.g. "5s".
const LockTimeoutParam = "lock_timeout"

// OpenURL is an [override.Opener] for [override.Registry.Register]: it opens
// "bolt:///absolute/path/file.db", optionally with "?lock_timeout=5s", with
// [Open].
func OpenURL(ctx context.Context, u *url.URL) (*override.Store, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("boltstore: open: %w", err)
	}
	bad := func(reason string) error { return &override.URLError{Scheme: u.Scheme, Reason: reason} }
	if u.Opaque != "" || u.Host != "" || u.User != nil {
		return nil, bad("want bolt:///absolute/path/file.db (three slashes, no host)")
	}
	if u.Path == "" || !filepath.IsAbs(u.Path) {
		return nil, bad("path must be absolute")
	}
	if strings.HasSuffix(u.Path, "/") {
		return nil, bad("path names a directory, want a file")
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return nil, bad("malformed query")
	}
	var opts []Option
	for k, vs := range q {
		if k != LockTimeoutParam || len(vs) != 1 {
			return nil, bad("unknown or repeated query parameter (only " + LockTimeoutParam + " is known)")
		}
		d, err := time.ParseDuration(vs[0])
		if err != nil || d < 0 {
			return nil, bad(LockTimeoutParam + " is not a duration >= 0")
		}
		opts = append(opts, WithLockTimeout(d))
	}
	return Open(filepath.Clean(u.Path), opts...)
}
