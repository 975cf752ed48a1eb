package pgstore

import (
	"context"
	"fmt"
	"net/url"

	"github.com/crmlink/crmlink/override"
)

// SchemaParam is the query parameter of a postgres URL given to [OpenURL]
// that names the PostgreSQL schema of the store (see [WithSchema]); it is
// removed from the DSN before it reaches the server.
const SchemaParam = "crmlink_schema"

// OpenURL is an [override.Opener] for [override.Registry.Register], usually
// under the schemes "postgres" and "postgresql": it opens
// "postgres://user:password@host:5432/db?sslmode=verify-full", optionally with
// "crmlink_schema=NAME", with [Open]. Errors never contain the password.
func OpenURL(ctx context.Context, u *url.URL) (*override.Store, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("pgstore: open: %w", err)
	}
	if u.Host == "" && u.Opaque != "" {
		return nil, &override.URLError{Scheme: u.Scheme, Reason: "want postgres://host/db"}
	}
	v := *u
	var opts []Option
	q := v.Query()
	if vs, ok := q[SchemaParam]; ok {
		if len(vs) != 1 || vs[0] == "" {
			return nil, &override.URLError{Scheme: u.Scheme, Reason: SchemaParam + " must be given once, non-empty"}
		}
		opts = append(opts, WithSchema(vs[0]))
		q.Del(SchemaParam)
		v.RawQuery = q.Encode()
	}
	return Open(ctx, v.String(), opts...)
}
