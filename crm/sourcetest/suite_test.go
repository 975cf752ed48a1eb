package sourcetest

import (
	"context"
	"iter"
	"slices"
	"testing"

	"github.com/crmlink/crmlink/crm"
)

// memSource is the smallest correct Source: it checks that the suite passes a conforming driver.
// It pages by 7 records and checks the context per record, as a driver would.
type memSource struct{ ds *Dataset }

func stream[T any](ctx context.Context, rs []T, keep func(T) bool) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for page := range slices.Chunk(rs, 7) {
			for _, r := range page {
				if err := ctx.Err(); err != nil {
					var zero T
					yield(zero, err)
					return
				}
				if keep(r) && !yield(r, nil) {
					return
				}
			}
		}
	}
}

func (m memSource) Leads(ctx context.Context, f crm.Filter) iter.Seq2[crm.Lead, error] {
	return stream(ctx, m.ds.Leads, func(r crm.Lead) bool { return f.Keep(r.ID, r.ModifiedAt) })
}

func (m memSource) Contacts(ctx context.Context, f crm.Filter) iter.Seq2[crm.Contact, error] {
	return stream(ctx, m.ds.Contacts, func(r crm.Contact) bool { return f.Keep(r.ID, r.ModifiedAt) })
}

func (m memSource) Accounts(ctx context.Context, f crm.Filter) iter.Seq2[crm.Account, error] {
	return stream(ctx, m.ds.Accounts, func(r crm.Account) bool { return f.Keep(r.ID, r.ModifiedAt) })
}

func (m memSource) Opportunities(ctx context.Context, f crm.Filter) iter.Seq2[crm.Opportunity, error] {
	return stream(ctx, m.ds.Opportunities, func(r crm.Opportunity) bool { return f.Keep(r.ID, r.ModifiedAt) })
}

func (m memSource) Stages(ctx context.Context) iter.Seq2[crm.OpportunityStage, error] {
	return stream(ctx, m.ds.Stages, func(crm.OpportunityStage) bool { return true })
}

func (m memSource) Users(ctx context.Context) iter.Seq2[crm.User, error] {
	return stream(ctx, m.ds.Users, func(crm.User) bool { return true })
}

func (m memSource) Roles(ctx context.Context) iter.Seq2[crm.Role, error] {
	return stream(ctx, m.ds.Roles, func(crm.Role) bool { return true })
}

// pushdownSource adds the optional stage-filter ability.
type pushdownSource struct{ memSource }

func (p pushdownSource) TiedToOpenOpportunities(ctx context.Context, stage string) ([]string, []string, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	return crm.TiedToStage(p.ds.Stages, p.ds.Opportunities, stage)
}

type memHarness struct{ pushdown, bu bool }

func (h memHarness) Source(_ *testing.T, ds *Dataset) crm.Source {
	if h.pushdown {
		return pushdownSource{memSource{ds}}
	}
	return memSource{ds}
}

func (h memHarness) BusinessUnits() bool { return h.bu }

func TestRunInMemory(t *testing.T) {
	t.Run("Plain", func(t *testing.T) { Run(t, memHarness{}) })
	t.Run("Pushdown", func(t *testing.T) { Run(t, memHarness{pushdown: true}) })
	t.Run("BusinessUnits", func(t *testing.T) { Run(t, memHarness{bu: true}) })
}
