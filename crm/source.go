package crm

import (
	"context"
	"iter"
	"time"
)

// Filter narrows a read. The zero Filter reads everything.
type Filter struct {
	// ModifiedSince, when non-zero, keeps records modified at or after it (incremental sync).
	ModifiedSince time.Time
	// IDs, when non-empty, keeps only these record IDs.
	IDs []string
}

// Source streams records from one CRM org. Each iterator runs a fresh query; on failure it yields
// one zero value with the error and stops; breaking out is always safe. Safe for concurrent use.
//
// Incremental sync needs no extra ability: every driver honours [Filter.ModifiedSince].
type Source interface {
	Leads(ctx context.Context, f Filter) iter.Seq2[Lead, error]
	Contacts(ctx context.Context, f Filter) iter.Seq2[Contact, error]
	Accounts(ctx context.Context, f Filter) iter.Seq2[Account, error]
	Opportunities(ctx context.Context, f Filter) iter.Seq2[Opportunity, error]
	Stages(ctx context.Context) iter.Seq2[OpportunityStage, error]
	Users(ctx context.Context) iter.Seq2[User, error]
	Roles(ctx context.Context) iter.Seq2[Role, error]
}

// StageFilterer is an optional Source ability: the accounts and contacts tied to open
// opportunities whose stage is at or past stage, computed by the CRM (SOQL semi-join, OData any()).
// Consumers fall back to computing it in memory with [FilterByStage]. Implementations must return
// the same sets as [TiedToStage], sorted and without duplicates.
type StageFilterer interface {
	TiedToOpenOpportunities(ctx context.Context, stage string) (accounts, contacts []string, err error)
}

// TeamLister is an optional Source ability: the teams that can own records, with their members,
// for CRMs where a record's owner may be a team (Dataverse). Pass them to [NewVisibility]. A
// consumer whose Source lacks it passes no teams: records owned by a team are then visible only
// where the org-wide default makes them public.
type TeamLister interface {
	Teams(ctx context.Context) iter.Seq2[Team, error]
}

// Collect drains seq into a slice. It stops at the first error and returns the records read so
// far with it. Meant for tests and small programs: a sync streams instead.
func Collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Keep reports whether a record with the given ID and modification time passes f. Drivers that
// filter in memory use it so that every driver applies f the same way: ModifiedSince is inclusive
// and compared at second precision (CRMs store seconds).
func (f Filter) Keep(id string, modified time.Time) bool {
	if !f.ModifiedSince.IsZero() && modified.Truncate(time.Second).Before(f.ModifiedSince.Truncate(time.Second)) {
		return false
	}
	if len(f.IDs) == 0 {
		return true
	}
	for _, v := range f.IDs {
		if v == id {
			return true
		}
	}
	return false
}
