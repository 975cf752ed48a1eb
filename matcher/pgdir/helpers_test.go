package pgdir_test

import (
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/internal/testenv"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/pgdir"
)

// freshSchema returns the test DSN and a schema name no other test uses; the
// schema is dropped when the test ends. Other packages' tests share the
// database, so everything a test writes lives in its own schema.
func freshSchema(tb testing.TB) (dsn, schema string) {
	tb.Helper()
	return testenv.PostgresSchema(tb, "pgdir_test_")
}

// open opens a directory on a fresh schema, closed when the test ends.
func open(tb testing.TB, opts ...pgdir.Option) (*pgdir.Dir, string, string) {
	tb.Helper()
	dsn, schema := freshSchema(tb)
	d, err := pgdir.Open(tb.Context(), dsn, append([]pgdir.Option{pgdir.WithSchema(schema)}, opts...)...)
	require.NoError(tb, err)
	tb.Cleanup(d.Close)
	return d, dsn, schema
}

// load bulk-loads companies then members.
func load(tb testing.TB, d *pgdir.Dir, cs []matcher.Company, ms []matcher.Member) {
	tb.Helper()
	require.NoError(tb, d.AddCompanies(tb.Context(), slices.Values(cs)))
	require.NoError(tb, d.AddMembers(tb.Context(), slices.Values(ms)))
}

// mutable adapts a Dir to dirtest.Mutable, whose methods take no context.
type mutable struct {
	*pgdir.Dir
	ctx context.Context
}

func (m mutable) UpsertCompany(c matcher.Company) error { return m.Dir.UpsertCompany(m.ctx, c) }
func (m mutable) UpsertMember(mb matcher.Member) error  { return m.Dir.UpsertMember(m.ctx, mb) }
func (m mutable) Remove(ref matcher.EntityRef) (bool, error) {
	return m.Dir.Remove(m.ctx, ref)
}
