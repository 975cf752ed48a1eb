package pgstore

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/crmlink/crmlink/override"
)

var _ override.OrgStater = (*Driver)(nil)

// OrgDisabled implements [override.OrgStater]: one primary-key lookup in the
// org_state table.
func (s *Driver) OrgDisabled(ctx context.Context, org string) (bool, error) {
	const op = "org state"
	if err := s.check(ctx, op); err != nil {
		return false, err
	}
	var disabled bool
	err := s.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM "+pgx.Identifier{s.schema}.Sanitize()+".org_state WHERE org = $1)", org).Scan(&disabled)
	if err != nil {
		return false, s.wrap(ctx, op, err)
	}
	return disabled, nil
}

// SetOrgDisabled implements [override.OrgStater]: an upsert or a delete of the
// org's row, committed before it returns.
func (s *Driver) SetOrgDisabled(ctx context.Context, org string, disabled bool) error {
	const op = "set org state"
	if err := s.check(ctx, op); err != nil {
		return err
	}
	t := pgx.Identifier{s.schema}.Sanitize() + ".org_state"
	sql := "DELETE FROM " + t + " WHERE org = $1"
	if disabled {
		sql = "INSERT INTO " + t + " (org) VALUES ($1) ON CONFLICT (org) DO NOTHING"
	}
	if _, err := s.pool.Exec(ctx, sql, org); err != nil {
		return s.wrap(ctx, op, err)
	}
	return nil
}
