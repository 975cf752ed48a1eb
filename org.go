package crmlink

import (
	"context"
	"errors"
	"fmt"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/override"
)

// PurgeOrg removes everything crmlink holds for org: every mapping and rejection in store (in
// one transaction of its driver; boltstore also overwrites the freed pages of its file) and the
// org's rules, seats and record owners in each access index. The store's sync checkpoints of
// the org go with its mappings (see [WithCheckpoints]), so the next sync reads everything;
// crmlink keeps no report of its own (a [SyncStats] is the caller's). It returns how many mappings and
// rejections it removed. It is idempotent and safe to run again after a crash or an error: a
// second run finds nothing and removes nothing. The org's disabled state is left as it is: an
// admin who disables then purges keeps the org disabled until [override.Store.Enable].
func PurgeOrg(ctx context.Context, store *override.Store, org string, access ...*Access) (removed int, err error) {
	if err := override.ValidateOrg(org); err != nil {
		return 0, fmt.Errorf("crmlink: purge: %w", err)
	}
	for _, a := range access {
		if a != nil {
			a.Purge(org)
		}
	}
	n, err := store.Purge(ctx, org)
	if err != nil {
		return 0, fmt.Errorf("crmlink: purge %s: %w", org, err)
	}
	return n, nil
}

// WriteBack writes activities (InMails, messages, notes) back to CRM records for a viewing CRM
// user, with the checks of the [Resolver]: an activity of a disabled org, or on a record the
// viewer may not see, is not written and gets an error matching [override.ErrOrgDisabled] or
// [ErrNoAccess] in its result. A WriteBack is safe for concurrent use when its writer is.
type WriteBack struct {
	store  *override.Store
	w      crm.Writer
	access checker
}

// NewWriteBack returns a WriteBack over store (for the orgs' state) and w. Visibility is set
// with the Resolver's options [WithVisibility] or [WithoutVisibility]; with neither, nothing is
// written.
func NewWriteBack(store *override.Store, w crm.Writer, opts ...ResolverOption) (*WriteBack, error) {
	if store == nil || w == nil {
		return nil, fmt.Errorf("crmlink: new write-back: %w", ErrNilArgument)
	}
	var o resolverOptions
	for _, opt := range opts {
		opt(&o)
	}
	if o.access == nil {
		o.access = denyAll{}
	}
	return &WriteBack{store: store, w: w, access: o.access}, nil
}

// Write writes acts as viewer (a record of another org than the viewer's is refused) and returns one result per activity, in order. Activities refused
// by the checks are not sent to the CRM; the others are sent in one call of the writer. The
// error is reserved for failures of the whole call (the store cannot tell an org's state, a
// canceled ctx, the writer's own batch error).
func (wb *WriteBack) Write(ctx context.Context, viewer Viewer, acts []crm.Activity) ([]crm.WriteResult, error) {
	const op = "write back"
	out := make([]crm.WriteResult, len(acts))
	send := make([]crm.Activity, 0, len(acts))
	idx := make([]int, 0, len(acts))
	enabled := map[string]error{}
	for i, a := range acts {
		out[i].ExternalKey = a.ExternalKey
		rec := override.RecordRef{Org: a.Record.Org, Object: override.Object(a.Record.Object), ID: a.Record.ID}
		if err := rec.Validate(); err != nil {
			out[i].Err = fmt.Errorf("crmlink: %s: %w", op, err)
			continue
		}
		err, seen := enabled[rec.Org]
		if !seen {
			err = wb.store.CheckEnabled(ctx, op, rec.Org)
			if err != nil && !isDisabled(err) {
				return nil, fmt.Errorf("crmlink: %s: %w", op, err)
			}
			enabled[rec.Org] = err
		}
		if err != nil {
			out[i].Err = fmt.Errorf("crmlink: %w", err)
			continue
		}
		if viewer.Org != rec.Org || !wb.access.CanSee(viewer.User, rec) {
			out[i].Err = &AccessError{Op: op, Viewer: viewer, Record: rec}
			continue
		}
		send = append(send, a)
		idx = append(idx, i)
	}
	if len(send) == 0 {
		return out, nil
	}
	res, err := wb.w.WriteActivities(ctx, send)
	if err != nil {
		return nil, fmt.Errorf("crmlink: %s: %w", op, err)
	}
	if len(res) != len(send) {
		return nil, fmt.Errorf("crmlink: %s: writer returned %d results for %d activities", op, len(res), len(send))
	}
	for j, r := range res {
		out[idx[j]] = r
	}
	return out, nil
}

func isDisabled(err error) bool {
	var de *override.DisabledError
	return errors.As(err, &de)
}
