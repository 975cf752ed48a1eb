package override

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// ErrOrgDisabled is the class of a [*DisabledError]: an admin disabled the
// integration of the org, and nothing may resolve, sync or write back for it
// until it is enabled again.
var ErrOrgDisabled = errors.New("override: org is disabled")

// ErrUnsupported is returned by [Store.Disable] and [Store.Enable] over a
// driver without the [OrgStater] ability.
var ErrUnsupported = errors.New("override: not supported by the driver")

// DisabledError reports an operation refused because its org is disabled. It
// holds the org ID and the operation only.
type DisabledError struct {
	Op  string // "resolve company", "sync", "write back" ...
	Org string
}

// Error returns "<op>: org <org> is disabled".
func (e *DisabledError) Error() string { return fmt.Sprintf("%s: org %s is disabled", e.Op, e.Org) }

// Unwrap returns [ErrOrgDisabled].
func (e *DisabledError) Unwrap() error { return ErrOrgDisabled }

// OrgStater is an optional ability of a [Driver]: a durable on/off state per
// org, kept apart from the org's mappings, so that [Driver.Purge] leaves it
// as it was (an org disabled then purged stays disabled). The memory, bolt
// and PostgreSQL drivers have it; the driver suite checks it.
type OrgStater interface {
	// OrgDisabled reports whether org was disabled. An org never disabled is
	// enabled.
	OrgDisabled(ctx context.Context, org string) (bool, error)
	// SetOrgDisabled disables (true) or enables (false) org, durably before it
	// returns. Setting the state it already has succeeds.
	SetOrgDisabled(ctx context.Context, org string, disabled bool) error
}

// Disable turns the integration of org off, durably: from now on
// [Store.CheckEnabled] reports a [*DisabledError] for it, which the Resolver,
// the Syncer and write-back check before they do anything. What is stored
// stays until [Store.Purge]; disabling twice succeeds.
func (s *Store) Disable(ctx context.Context, org string) error {
	return s.setDisabled(ctx, "disable", org, true)
}

// Enable turns the integration of org back on; enabling an enabled org
// succeeds.
func (s *Store) Enable(ctx context.Context, org string) error {
	return s.setDisabled(ctx, "enable", org, false)
}

func (s *Store) setDisabled(ctx context.Context, op, org string, disabled bool) error {
	if err := ValidateOrg(org); err != nil {
		return err
	}
	if err := s.begin(ctx, op); err != nil {
		return err
	}
	st, ok := s.d.(OrgStater)
	if !ok {
		return fmt.Errorf("override: %s %s: %w", op, org, ErrUnsupported)
	}
	return s.wrap(ctx, op, st.SetOrgDisabled(ctx, org, disabled))
}

// Disabled reports whether org is disabled. Over a driver without
// [OrgStater] every org is enabled.
func (s *Store) Disabled(ctx context.Context, org string) (bool, error) {
	const op = "disabled"
	if err := ValidateOrg(org); err != nil {
		return false, err
	}
	if err := s.begin(ctx, op); err != nil {
		return false, err
	}
	st, ok := s.d.(OrgStater)
	if !ok {
		return false, nil
	}
	d, err := st.OrgDisabled(ctx, org)
	return d, s.wrap(ctx, op, err)
}

// CheckEnabled returns nil when org is enabled, a [*DisabledError] naming op
// when it is disabled, and the store's error when it cannot tell (a flow must
// then refuse too).
func (s *Store) CheckEnabled(ctx context.Context, op, org string) error {
	d, err := s.Disabled(ctx, org)
	if err != nil {
		return err
	}
	if d {
		return &DisabledError{Op: op, Org: org}
	}
	return nil
}

// StateLoader is an optional ability of a [Driver] that has [OrgStater]: it
// reads records and their org's state in one read (one transaction, one
// query), so that a flow that must refuse a disabled org still reads the
// store once per record ([Store.LookupEnabled]).
type StateLoader interface {
	// LoadEnabled is [Driver.Load] of refs, all of org, and
	// [OrgStater.OrgDisabled] of org, in one read.
	LoadEnabled(ctx context.Context, org string, refs []RecordRef, dst []Record) (recs []Record, disabled bool, err error)
}

// LookupEnabled is [Store.Lookup] for a flow that must refuse a disabled
// org: it returns a [*DisabledError] naming op when r's org is disabled,
// and otherwise everything stored for r. Over a driver with [StateLoader]
// it is one read; otherwise the org's state is read first.
func (s *Store) LookupEnabled(ctx context.Context, op string, r RecordRef) (Record, error) {
	got, err := s.LoadEnabled(ctx, op, []RecordRef{r}, nil)
	if err != nil {
		return Record{}, err
	}
	return got[0], nil
}

// LoadEnabled is [Store.Load] of records of one org for a flow that must
// refuse a disabled org: a [*DisabledError] naming op when the org is
// disabled, otherwise the records, in one read over a driver with
// [StateLoader].
func (s *Store) LoadEnabled(ctx context.Context, op string, refs []RecordRef, dst []Record) ([]Record, error) {
	if len(refs) == 0 {
		return dst, nil
	}
	org := refs[0].Org
	for i, r := range refs {
		if err := r.Validate(); err != nil {
			return dst, err
		}
		if r.Org != org {
			return dst, fmt.Errorf("override: %s: ref %d is of org %s, not %s: %w", op, i, r.Org, org, ErrInvalid)
		}
	}
	sl, ok := s.d.(StateLoader)
	if !ok {
		if err := s.CheckEnabled(ctx, op, org); err != nil {
			return dst, err
		}
		return s.load(ctx, op, refs, dst, true)
	}
	if err := s.begin(ctx, op); err != nil {
		return dst, err
	}
	n := len(dst)
	got, disabled, err := sl.LoadEnabled(ctx, org, refs, dst)
	if err != nil {
		return dst, s.wrap(ctx, op, err)
	}
	if disabled {
		return dst, &DisabledError{Op: op, Org: org}
	}
	if len(got)-n != len(refs) {
		return dst, fmt.Errorf("override: %s: driver returned %d records for %d refs", op, len(got)-n, len(refs))
	}
	for i := n; i < len(got); i++ {
		got[i].Ref = refs[i-n]
		if len(got[i].Mappings) > 0 {
			got[i].Mappings = slices.Clone(got[i].Mappings)
			slices.SortFunc(got[i].Mappings, Compare)
		}
	}
	return got, nil
}
