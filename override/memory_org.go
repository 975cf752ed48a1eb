package override

import "context"

var (
	_ OrgStater   = (*memory)(nil)
	_ StateLoader = (*memory)(nil)
)

// OrgDisabled implements [OrgStater].
func (d *memory) OrgDisabled(_ context.Context, org string) (bool, error) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if err := d.check(); err != nil {
		return false, err
	}
	return d.disabled[org], nil
}

// SetOrgDisabled implements [OrgStater].
func (d *memory) SetOrgDisabled(_ context.Context, org string, disabled bool) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.check(); err != nil {
		return err
	}
	if !disabled {
		delete(d.disabled, org)
		return nil
	}
	if d.disabled == nil {
		d.disabled = make(map[string]bool)
	}
	d.disabled[org] = true
	return nil
}

// LoadEnabled implements [StateLoader] under one lock.
func (d *memory) LoadEnabled(_ context.Context, org string, refs []RecordRef, dst []Record) ([]Record, bool, error) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if err := d.check(); err != nil {
		return dst, false, err
	}
	if d.disabled[org] {
		return dst, true, nil
	}
	return d.loadLocked(refs, dst), false, nil
}
