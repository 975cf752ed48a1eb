package pgstore

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/crmlink/crmlink/override"
)

var (
	_ override.OrgStater   = (*Driver)(nil)
	_ override.StateLoader = (*Driver)(nil)
)

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

// LoadEnabled implements [override.StateLoader] in one query: the rows of
// the records and, numbered 0, the org's state.
func (s *Driver) LoadEnabled(ctx context.Context, org string, refs []override.RecordRef, dst []override.Record) ([]override.Record, bool, error) {
	const op = "load"
	if err := s.check(ctx, op); err != nil {
		return dst, false, err
	}
	var rows pgx.Rows
	var err error
	if len(refs) == 1 {
		r := refs[0]
		rows, err = s.pool.Query(ctx, s.q.loadOneEnabled, r.Org, string(r.Object), r.ID)
	} else {
		objects, ids := make([]string, len(refs)), make([]string, len(refs))
		orgs := make([]string, len(refs))
		for i, r := range refs {
			orgs[i], objects[i], ids[i] = r.Org, string(r.Object), r.ID
		}
		rows, err = s.pool.Query(ctx, s.q.loadEnabled, orgs, objects, ids, org)
	}
	if err != nil {
		return dst, false, s.wrap(ctx, op, err)
	}
	base := len(dst)
	for _, r := range refs {
		dst = append(dst, override.Record{Ref: r})
	}
	var (
		i         int64
		flag      bool
		m         override.Mapping
		src, kind string
		disabled  bool
	)
	_, err = pgx.ForEachRow(rows, []any{&i, &flag, &src, &kind, &m.Entity.ID, &m.UpdatedAt, &m.UpdatedBy}, func() error {
		if i == 0 {
			disabled = flag
			return nil
		}
		if i < 1 || int(i) > len(refs) {
			return fmt.Errorf("row for ref %d of %d", i, len(refs))
		}
		rec := &dst[base+int(i)-1]
		m.Record, m.Rejected = rec.Ref, flag
		m.Source, m.Entity.Kind, m.UpdatedAt = override.Source(src), override.EntityKind(kind), m.UpdatedAt.UTC()
		rec.Mappings = append(rec.Mappings, m)
		return nil
	})
	if err != nil {
		return dst[:base], false, s.wrap(ctx, op, err)
	}
	if disabled {
		return dst[:base], true, nil
	}
	return dst, false, nil
}
