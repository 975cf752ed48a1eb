package pgstore

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/crmlink/crmlink/override"
)

var _ override.Checkpointer = (*Driver)(nil)

// checkpointTable returns the quoted name of the checkpoints table.
func (s *Driver) checkpointTable() string {
	return pgx.Identifier{s.schema}.Sanitize() + ".sync_checkpoints"
}

// Checkpoint implements [override.Checkpointer]: one primary-key lookup in
// the sync_checkpoints table.
func (s *Driver) Checkpoint(ctx context.Context, org string, obj override.Object) (override.Checkpoint, bool, error) {
	const op = "checkpoint"
	if err := s.check(ctx, op); err != nil {
		return override.Checkpoint{}, false, err
	}
	c := override.Checkpoint{Org: org, Object: obj}
	var since *time.Time
	err := s.pool.QueryRow(ctx, "SELECT run_at, since, after_id, done FROM "+s.checkpointTable()+" WHERE org = $1 AND object = $2",
		org, string(obj)).Scan(&c.Run, &since, &c.After, &c.Done)
	if errors.Is(err, pgx.ErrNoRows) {
		return override.Checkpoint{}, false, nil
	}
	if err != nil {
		return override.Checkpoint{}, false, s.wrap(ctx, op, err)
	}
	c.Run = c.Run.UTC()
	if since != nil {
		c.Since = since.UTC()
	}
	return c, true, nil
}

// PutCheckpoint implements [override.Checkpointer]: an upsert of the row of
// (org, object), committed before it returns.
func (s *Driver) PutCheckpoint(ctx context.Context, c override.Checkpoint) error {
	const op = "put checkpoint"
	if err := s.check(ctx, op); err != nil {
		return err
	}
	var since any
	if !c.Since.IsZero() {
		since = c.Since
	}
	_, err := s.pool.Exec(ctx, "INSERT INTO "+s.checkpointTable()+` (org, object, run_at, since, after_id, done)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (org, object) DO UPDATE SET
	run_at = EXCLUDED.run_at, since = EXCLUDED.since, after_id = EXCLUDED.after_id, done = EXCLUDED.done`,
		c.Org, string(c.Object), c.Run, since, c.After, c.Done)
	if err != nil {
		return s.wrap(ctx, op, err)
	}
	return nil
}

// DeleteCheckpoint implements [override.Checkpointer].
func (s *Driver) DeleteCheckpoint(ctx context.Context, org string, obj override.Object) error {
	const op = "delete checkpoint"
	if err := s.check(ctx, op); err != nil {
		return err
	}
	if _, err := s.pool.Exec(ctx, "DELETE FROM "+s.checkpointTable()+" WHERE org = $1 AND object = $2", org, string(obj)); err != nil {
		return s.wrap(ctx, op, err)
	}
	return nil
}
