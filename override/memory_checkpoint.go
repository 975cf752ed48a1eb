package override

import "context"

var _ Checkpointer = (*memory)(nil)

// cpKey is what the memory driver keeps a checkpoint under.
type cpKey struct {
	org string
	obj Object
}

// Checkpoint implements [Checkpointer].
func (d *memory) Checkpoint(_ context.Context, org string, obj Object) (Checkpoint, bool, error) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if err := d.check(); err != nil {
		return Checkpoint{}, false, err
	}
	c, ok := d.cps[cpKey{org, obj}]
	return c, ok, nil
}

// PutCheckpoint implements [Checkpointer].
func (d *memory) PutCheckpoint(_ context.Context, c Checkpoint) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.check(); err != nil {
		return err
	}
	if d.cps == nil {
		d.cps = make(map[cpKey]Checkpoint)
	}
	d.cps[cpKey{c.Org, c.Object}] = c
	return nil
}

// DeleteCheckpoint implements [Checkpointer].
func (d *memory) DeleteCheckpoint(_ context.Context, org string, obj Object) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.check(); err != nil {
		return err
	}
	delete(d.cps, cpKey{org, obj})
	return nil
}
