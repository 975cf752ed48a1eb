package sourcetest

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"sync"
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

// resumingSource adds the optional resume ability, skipping in the stable slice order.
type resumingSource struct{ memSource }

func (r resumingSource) AccountsAfter(ctx context.Context, f crm.Filter, after string) iter.Seq2[crm.Account, error] {
	return crm.ResumeAfter(func() iter.Seq2[crm.Account, error] { return r.Accounts(ctx, f) }, func(a crm.Account) string { return a.ID }, after)
}

func (r resumingSource) ContactsAfter(ctx context.Context, f crm.Filter, after string) iter.Seq2[crm.Contact, error] {
	return crm.ResumeAfter(func() iter.Seq2[crm.Contact, error] { return r.Contacts(ctx, f) }, func(c crm.Contact) string { return c.ID }, after)
}

func (r resumingSource) LeadsAfter(ctx context.Context, f crm.Filter, after string) iter.Seq2[crm.Lead, error] {
	return crm.ResumeAfter(func() iter.Seq2[crm.Lead, error] { return r.Leads(ctx, f) }, func(l crm.Lead) string { return l.ID }, after)
}

type memHarness struct{ pushdown, bu, resume bool }

func (h memHarness) Source(_ *testing.T, ds *Dataset) crm.Source {
	if h.resume {
		return resumingSource{memSource{ds}}
	}
	if h.pushdown {
		return pushdownSource{memSource{ds}}
	}
	return memSource{ds}
}

func (h memHarness) BusinessUnits() bool { return h.bu }

// failingSource fails its Contacts stream on the second page, with an APIError.
type failingSource struct{ memSource }

func (f failingSource) Contacts(ctx context.Context, _ crm.Filter) iter.Seq2[crm.Contact, error] {
	return func(yield func(crm.Contact, error) bool) {
		for _, c := range f.ds.Contacts[:7] {
			if !yield(c, nil) {
				return
			}
		}
		yield(crm.Contact{}, &crm.APIError{Op: "query Contact", Status: 500, Class: crm.ErrServer})
	}
}

func (h memHarness) FailingSource(_ *testing.T, ds *Dataset) crm.Source {
	return failingSource{memSource{ds}}
}

func TestRunInMemory(t *testing.T) {
	t.Run("Plain", func(t *testing.T) { Run(t, memHarness{}) })
	t.Run("Pushdown", func(t *testing.T) { Run(t, memHarness{pushdown: true}) })
	t.Run("BusinessUnits", func(t *testing.T) { Run(t, memHarness{bu: true}) })
	t.Run("Resume", func(t *testing.T) { Run(t, memHarness{resume: true}) })
}

// memWriter is the smallest correct Writer, to check that RunWriter passes a conforming driver.
type memWriter struct {
	mu     sync.Mutex
	keys   map[string]string
	stored []Stored
}

func (m *memWriter) WriteActivities(ctx context.Context, acts []crm.Activity) ([]crm.WriteResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	res := make([]crm.WriteResult, len(acts))
	for i, a := range acts {
		res[i].ExternalKey = a.ExternalKey
		if a.Kind != crm.InMail && a.Kind != crm.Message && a.Kind != crm.Note {
			res[i].Err = fmt.Errorf("activity %d: %w", i, crm.ErrInvalid)
			continue
		}
		if id, ok := m.keys[a.ExternalKey]; ok {
			res[i].ID = id
			continue
		}
		id := fmt.Sprintf("00T%012dAAA", len(m.stored)+1)
		m.keys[a.ExternalKey] = id
		m.stored = append(m.stored, Stored{ID: id, RecordID: a.Record.ID})
		res[i].ID, res[i].Created = id, true
	}
	return res, nil
}

type memWriterHarness struct{}

func (memWriterHarness) Writer(*testing.T, *Dataset) (crm.Writer, func() []Stored) {
	w := &memWriter{keys: map[string]string{}}
	return w, func() []Stored {
		w.mu.Lock()
		defer w.mu.Unlock()
		return slices.Clone(w.stored)
	}
}

func TestRunWriterInMemory(t *testing.T) { RunWriter(t, memWriterHarness{}) }
