package privacy

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/crmlink/crmlink/override"
)

// AuditKey groups the mappings an [Audit] counts.
type AuditKey struct {
	Object   override.Object
	Kind     override.EntityKind
	Source   override.Source
	Rejected bool
}

// Audit is what a store holds for one org, from IDs, kinds, sources and times
// only: it never reads, and could not hold, a record's data.
type Audit struct {
	Org      string
	Disabled bool                    // the org's integration is disabled (see override.Store.Disable)
	Total    int                     // mappings and rejections
	Counts   map[AuditKey]int        // per object, entity kind, source and rejection
	Oldest   time.Time               // the oldest UpdatedAt; zero when Total is 0
	Newest   time.Time               // the newest UpdatedAt
	ManualBy map[string]int          // manual mappings and rejections per CRM user ID ("" when none was given)
	Records  map[override.Object]int // distinct records per object
}

// NewAudit walks every mapping of org in store and summarises it.
func NewAudit(ctx context.Context, store *override.Store, org string) (Audit, error) {
	a := Audit{Org: org, Counts: make(map[AuditKey]int), ManualBy: make(map[string]int), Records: make(map[override.Object]int)}
	var err error
	if a.Disabled, err = store.Disabled(ctx, org); err != nil {
		return Audit{}, fmt.Errorf("privacy: audit %s: %w", org, err)
	}
	var last override.RecordRef
	for m, err := range store.Mappings(ctx, org) {
		if err != nil {
			return Audit{}, fmt.Errorf("privacy: audit %s: %w", org, err)
		}
		a.Total++
		a.Counts[AuditKey{Object: m.Record.Object, Kind: m.Entity.Kind, Source: m.Source, Rejected: m.Rejected}]++
		if m.Record != last {
			a.Records[m.Record.Object]++
			last = m.Record
		}
		if a.Oldest.IsZero() || m.UpdatedAt.Before(a.Oldest) {
			a.Oldest = m.UpdatedAt
		}
		if m.UpdatedAt.After(a.Newest) {
			a.Newest = m.UpdatedAt
		}
		if m.Source == override.Manual {
			a.ManualBy[m.UpdatedBy]++
		}
	}
	return a, nil
}

// WriteTo prints a as aligned text, one line per count, sorted; it
// implements [io.WriterTo].
func (a Audit) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	state := "enabled"
	if a.Disabled {
		state = "disabled"
	}
	fmt.Fprintf(&b, "org %s (%s): %d stored (IDs only)\n", a.Org, state, a.Total)
	if a.Total > 0 {
		fmt.Fprintf(&b, "  oldest %s, newest %s\n", a.Oldest.UTC().Format(time.RFC3339), a.Newest.UTC().Format(time.RFC3339))
	}
	for _, o := range slices.Sorted(maps.Keys(a.Records)) {
		fmt.Fprintf(&b, "  records %-12s %d\n", o, a.Records[o])
	}
	keys := slices.SortedFunc(maps.Keys(a.Counts), func(x, y AuditKey) int {
		return strings.Compare(x.String(), y.String())
	})
	for _, k := range keys {
		fmt.Fprintf(&b, "  %-40s %d\n", k, a.Counts[k])
	}
	for _, u := range slices.Sorted(maps.Keys(a.ManualBy)) {
		name := u
		if name == "" {
			name = "(no user)"
		}
		fmt.Fprintf(&b, "  manual by %-30s %d\n", name, a.ManualBy[u])
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

// String returns "object -> kind (source)" or "object -> kind (rejected)".
func (k AuditKey) String() string {
	if k.Rejected {
		return fmt.Sprintf("%s -> %s (rejected)", k.Object, k.Kind)
	}
	return fmt.Sprintf("%s -> %s (%s)", k.Object, k.Kind, k.Source)
}
