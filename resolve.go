package crmlink

import (
	"context"
	"errors"
	"fmt"

	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/override"
)

// ErrKindMismatch is the class of a [*KindError]: a CRM object was paired with an entity of the
// wrong kind (an account with a member, a contact with a company ...).
var ErrKindMismatch = errors.New("crmlink: object and entity kind do not match")

// ErrNilArgument is returned by the constructors when a required part (store, engine, source) is
// nil.
var ErrNilArgument = errors.New("crmlink: nil argument")

// KindError reports a CRM object paired with an entity kind it cannot map to: accounts and
// opportunities map to companies, leads and contacts to members. It holds no record data.
type KindError struct {
	Op     string              // "resolve company", "correct", "reject"
	Object override.Object     // the record's object
	Kind   override.EntityKind // the kind it was paired with
}

// Error returns "crmlink: <op>: <object> records map to <kind>, not <kind>".
func (e *KindError) Error() string {
	want, _ := objectKind(e.Object)
	if want == "" {
		return fmt.Sprintf("crmlink: %s: unknown object %q", e.Op, string(e.Object))
	}
	return fmt.Sprintf("crmlink: %s: %s records map to %s entities, not %s", e.Op, e.Object, want, e.Kind)
}

// Unwrap returns [ErrKindMismatch].
func (e *KindError) Unwrap() error { return ErrKindMismatch }

// Via says which step of the resolution order gave a [Resolution].
type Via uint8

// The resolution steps, in order of precedence.
const (
	ViaMatch  Via = iota // the fuzzy match of the engine (no stored mapping)
	ViaSync              // a CRM-sync mapping of the store
	ViaManual            // a manual mapping of the store (a user corrected or picked it)
)

// String returns "match", "sync" or "manual".
func (v Via) String() string {
	switch v {
	case ViaMatch:
		return "match"
	case ViaSync:
		return "sync"
	case ViaManual:
		return "manual"
	default:
		return fmt.Sprintf("Via(%d)", uint8(v))
	}
}

// Resolution is the effective match of one CRM record.
type Resolution struct {
	// Via says where the answer came from.
	Via Via
	// Entity is the matched entity when Found is true, the zero EntityRef otherwise.
	Entity override.EntityRef
	// Found is true for a stored mapping, and for a fuzzy match whose decision is
	// [matcher.Match].
	Found bool
	// Result is the engine's ranking, rejected entities removed, when Via is ViaMatch; nil
	// otherwise. It is set even when Found is false, so that a user can be shown the
	// candidates to pick from.
	Result *matcher.Result
}

// ResolverOption configures a [Resolver].
type ResolverOption func(*resolverOptions)

type resolverOptions struct {
	syncEnabled func(org string) bool
	access      checker
}

// WithVisibility makes the Resolver enforce the CRM's visibility kept in a (see [Access]), which
// a [Syncer] with [WithAccess] fills: a viewer who could not see a record in the CRM gets an
// [*AccessError] from every method, before anything is read.
func WithVisibility(a *Access) ResolverOption {
	return func(o *resolverOptions) { o.access = a }
}

// WithoutVisibility lets every viewer (any non-empty CRM user ID) see every record: for
// single-user tools, tests and examples that have no CRM users to check. A Resolver given
// neither this nor [WithVisibility] lets nobody see anything.
func WithoutVisibility() ResolverOption {
	return func(o *resolverOptions) { o.access = unrestricted{} }
}

// WithSyncEnabled sets which orgs have the CRM sync enabled: for an org where enabled returns
// false, sync mappings are ignored and a record with no manual mapping is matched fuzzily.
// By default sync is enabled for every org. enabled must be safe for concurrent use.
func WithSyncEnabled(enabled func(org string) bool) ResolverOption {
	return func(o *resolverOptions) { o.syncEnabled = enabled }
}

// Resolver resolves the effective match of a CRM record in the fixed order: a manual mapping
// of the store, then a CRM-sync mapping (when sync is enabled for the record's org), and only
// when neither exists a fuzzy match by the engine, never proposing an entity a user rejected
// for the record. It also records users' corrections and rejections.
//
// Every method takes the viewing CRM user and checks, before it reads the record's mappings,
// that the record's org is enabled (else a [*override.DisabledError], see
// [override.Store.Disable]) and that the viewer may see the record in the CRM (else an
// [*AccessError], see [WithVisibility]); both errors are the same whether or not anything is
// stored for the record.
//
// Each resolution reads the store once ([override.Store.Lookup]): the record's mappings and
// rejections come together, and [override.Record.Resolve] applies the precedence rule.
//
// A Resolver is safe for concurrent use by multiple goroutines; it holds no resource of its
// own (close the store yourself).
type Resolver struct {
	store *override.Store
	eng   *matcher.Engine
	o     resolverOptions
}

// NewResolver returns a Resolver over store and eng. Both are required.
func NewResolver(store *override.Store, eng *matcher.Engine, opts ...ResolverOption) (*Resolver, error) {
	if store == nil || eng == nil {
		return nil, fmt.Errorf("crmlink: new resolver: %w", ErrNilArgument)
	}
	r := &Resolver{store: store, eng: eng}
	for _, opt := range opts {
		opt(&r.o)
	}
	if r.o.syncEnabled == nil {
		r.o.syncEnabled = func(string) bool { return true }
	}
	if r.o.access == nil {
		r.o.access = denyAll{}
	}
	return r, nil
}

// ResolveCompany resolves an account or opportunity record for viewer, a CRM user of rec's org: its manual
// mapping, else its sync mapping, else the fuzzy match of q. A record of another object gives a
// [*KindError]; an invalid rec an error matching [override.ErrInvalid]; a disabled org an error
// matching [override.ErrOrgDisabled]; a viewer who may not see rec an [*AccessError]; a query
// with nothing to match on (and no stored mapping) [matcher.ErrEmptyQuery].
func (r *Resolver) ResolveCompany(ctx context.Context, viewer Viewer, rec override.RecordRef, q matcher.CompanyQuery) (Resolution, error) {
	return r.resolve(ctx, "resolve company", viewer, rec, override.Company, func() (matcher.Result, error) {
		return r.eng.MatchCompany(ctx, q)
	})
}

// ResolveMember resolves a lead or contact record for the CRM user viewer: its manual mapping,
// else its sync mapping, else the fuzzy match of q. Errors are those of
// [Resolver.ResolveCompany].
func (r *Resolver) ResolveMember(ctx context.Context, viewer Viewer, rec override.RecordRef, q matcher.MemberQuery) (Resolution, error) {
	return r.resolve(ctx, "resolve member", viewer, rec, override.Member, func() (matcher.Result, error) {
		return r.eng.MatchMember(ctx, q)
	})
}

func (r *Resolver) resolve(ctx context.Context, op string, viewer Viewer, rec override.RecordRef, kind override.EntityKind, match func() (matcher.Result, error)) (Resolution, error) {
	if err := checkRecord(op, rec, kind); err != nil {
		return Resolution{}, err
	}
	if err := ctx.Err(); err != nil {
		return Resolution{}, fmt.Errorf("crmlink: %s %s: %w", op, rec, err)
	}
	if err := see(r.o.access, op, viewer, rec); err != nil {
		return Resolution{}, err
	}
	// One read gives the org's state and the record's mappings and rejections; the store's
	// rule picks the one to follow: manual beats sync, never a rejected entity, never one
	// of the wrong kind.
	stored, err := r.store.LookupEnabled(ctx, op, rec)
	if err != nil {
		return Resolution{}, fmt.Errorf("crmlink: %s %s: %w", op, rec, err)
	}
	syncOn := r.o.syncEnabled(rec.Org)
	if m, ok := stored.Resolve(func(m override.Mapping) bool {
		return m.Entity.Kind == kind && (m.Source != override.Sync || syncOn)
	}); ok {
		via := ViaManual
		if m.Source == override.Sync {
			via = ViaSync
		}
		return Resolution{Via: via, Entity: m.Entity, Found: true}, nil
	}
	res, err := match()
	if err != nil {
		return Resolution{}, fmt.Errorf("crmlink: %s %s: %w", op, rec, err)
	}
	if len(res.Candidates) > 0 {
		res = withoutRejected(res, stored.Rejections(), r.eng.Thresholds())
	}
	out := Resolution{Via: ViaMatch, Result: &res}
	if res.Decision == matcher.Match && res.Best != nil {
		if e, ok := overrideEntity(res.Best.Entity); ok {
			out.Entity, out.Found = e, true
		}
	}
	return out, nil
}

// withoutRejected removes the rejected entities from res's candidates. When it removed any,
// the decision is taken again over what is left, with the engine's rule (see
// [matcher.Thresholds]) on the scores as the engine gave them: they are not renormalised, so a
// rejected best never hands its probability to the runner-up, and since scores sum to at most
// one the runner-up of a match cannot become a match by the rejection alone.
func withoutRejected(res matcher.Result, rejected []override.EntityRef, th matcher.Thresholds) matcher.Result {
	if len(rejected) == 0 {
		return res
	}
	kept := make([]matcher.Candidate, 0, len(res.Candidates))
	for _, c := range res.Candidates {
		e, ok := overrideEntity(c.Entity)
		if ok && containsEntity(rejected, e) {
			continue
		}
		kept = append(kept, c)
	}
	if len(kept) == len(res.Candidates) {
		return res
	}
	out := matcher.Result{Candidates: kept, Decision: th.Decide(kept)}
	if len(kept) > 0 {
		out.Best = &kept[0]
	}
	return out
}

func containsEntity(es []override.EntityRef, e override.EntityRef) bool {
	for _, x := range es {
		if x == e {
			return true
		}
	}
	return false
}

// Correct stores a manual mapping of rec to entity made by the CRM user by (of rec's org), who
// must be able to see rec (see [Resolver.ResolveCompany] for the org and visibility checks): it wins over any
// sync mapping and any fuzzy match from now on. A rejection of that same entity
// for rec is lifted, since the user chose it; both writes are one atomic store write. A kind
// that does not fit rec's object gives a [*KindError].
func (r *Resolver) Correct(ctx context.Context, by Viewer, rec override.RecordRef, entity override.EntityRef) error {
	if err := checkRecord("correct", rec, entity.Kind); err != nil {
		return err
	}
	if err := guard(ctx, r.store, r.o.access, "correct", by, rec); err != nil {
		return err
	}
	var b override.Batch
	b.Put(override.Mapping{Record: rec, Entity: entity, Source: override.Manual, UpdatedBy: by.User})
	b.Unreject(rec, entity)
	if err := r.store.Write(ctx, &b); err != nil {
		return fmt.Errorf("crmlink: correct %s: %w", rec, err)
	}
	return nil
}

// Reject records that entity is wrong for rec, as the CRM user by (of rec's org) said, who must
// be able to see rec (see [Resolver.ResolveCompany] for the org and visibility checks): the entity is never
// proposed for rec again, nor written by a sync. If rec's manual or sync
// mapping points at entity, that mapping is deleted, so that the record falls back to the next
// step of the resolution order; the rejection and those deletes are one atomic store write. A
// kind that does not fit rec's object gives a [*KindError].
func (r *Resolver) Reject(ctx context.Context, by Viewer, rec override.RecordRef, entity override.EntityRef) error {
	if err := checkRecord("reject", rec, entity.Kind); err != nil {
		return err
	}
	if err := guard(ctx, r.store, r.o.access, "reject", by, rec); err != nil {
		return err
	}
	stored, err := r.store.Lookup(ctx, rec)
	if err != nil {
		return fmt.Errorf("crmlink: reject %s: %w", rec, err)
	}
	var b override.Batch
	b.Put(override.Mapping{Record: rec, Entity: entity, Source: override.Manual, Rejected: true, UpdatedBy: by.User})
	for _, src := range override.Sources() {
		if cur, ok := stored.Source(src); ok && cur.Entity == entity {
			b.Delete(rec, src)
		}
	}
	if err := r.store.Write(ctx, &b); err != nil {
		return fmt.Errorf("crmlink: reject %s: %w", rec, err)
	}
	return nil
}

// checkRecord validates rec and that its object maps to entities of kind.
func checkRecord(op string, rec override.RecordRef, kind override.EntityKind) error {
	if err := rec.Validate(); err != nil {
		return fmt.Errorf("crmlink: %s: %w", op, err)
	}
	if want, _ := objectKind(rec.Object); want != kind {
		return &KindError{Op: op, Object: rec.Object, Kind: kind}
	}
	return nil
}

// objectKind returns the entity kind records of object o map to.
func objectKind(o override.Object) (override.EntityKind, bool) {
	switch o {
	case override.Account, override.Opportunity:
		return override.Company, true
	case override.Lead, override.Contact:
		return override.Member, true
	default:
		return "", false
	}
}

// Entity kinds exist twice: matcher.Kind (the engine knows nothing of stores) and
// override.EntityKind (the store knows nothing of the engine). overrideEntity is the one place
// that converts between them.

// overrideEntity converts an engine reference to a store reference.
func overrideEntity(e matcher.EntityRef) (override.EntityRef, bool) {
	switch e.Kind {
	case matcher.KindCompany:
		return override.EntityRef{Kind: override.Company, ID: e.ID}, true
	case matcher.KindMember:
		return override.EntityRef{Kind: override.Member, ID: e.ID}, true
	default:
		return override.EntityRef{}, false
	}
}
