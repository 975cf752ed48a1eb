package crm

import (
	"cmp"
	"context"
	"slices"
)

// StagesAtOrPast returns the names of the stages whose SortOrder is at or past the one of stage,
// in pipeline order (by SortOrder, then name). It returns a [*StageError] when stage is not in
// stages. Drivers that push the stage filter down use it to build their IN list.
func StagesAtOrPast(stages []OpportunityStage, stage string) ([]string, error) {
	i := slices.IndexFunc(stages, func(s OpportunityStage) bool { return s.Name == stage })
	if i < 0 || stage == "" {
		return nil, &StageError{Stage: stage}
	}
	from := stages[i].SortOrder
	sorted := slices.Clone(stages)
	slices.SortStableFunc(sorted, func(a, b OpportunityStage) int {
		return cmp.Or(cmp.Compare(a.SortOrder, b.SortOrder), cmp.Compare(a.Name, b.Name))
	})
	var out []string
	for _, s := range sorted {
		if s.SortOrder >= from {
			out = append(out, s.Name)
		}
	}
	return out, nil
}

// TiedToStage is the stage filter over slices: the IDs of the accounts and contacts tied to the
// open opportunities (IsClosed false) whose stage is at or past stage. An opportunity's account
// is its AccountID; its contacts are its contact roles (ContactIDs), not every contact of the
// account. Opportunities whose stage is not in stages are skipped. Both results are sorted and
// free of duplicates and empty IDs. An unknown stage yields a [*StageError].
func TiedToStage(stages []OpportunityStage, opps []Opportunity, stage string) (accounts, contacts []string, err error) {
	ts, err := newTies(stages, stage)
	if err != nil {
		return nil, nil, err
	}
	for i := range opps {
		ts.add(&opps[i])
	}
	accounts, contacts = ts.result()
	return accounts, contacts, nil
}

// ties accumulates the stage filter one opportunity at a time.
type ties struct {
	past               map[string]struct{}
	seenA, seenC       map[string]struct{}
	accounts, contacts []string
}

func newTies(stages []OpportunityStage, stage string) (*ties, error) {
	names, err := StagesAtOrPast(stages, stage)
	if err != nil {
		return nil, err
	}
	ts := &ties{
		past:     make(map[string]struct{}, len(names)),
		seenA:    make(map[string]struct{}),
		seenC:    make(map[string]struct{}),
		accounts: []string{},
		contacts: []string{},
	}
	for _, n := range names {
		ts.past[n] = struct{}{}
	}
	return ts, nil
}

func (ts *ties) add(o *Opportunity) {
	if o.IsClosed {
		return
	}
	if _, ok := ts.past[o.Stage]; !ok {
		return
	}
	if _, dup := ts.seenA[o.AccountID]; !dup && o.AccountID != "" {
		ts.seenA[o.AccountID] = struct{}{}
		ts.accounts = append(ts.accounts, o.AccountID)
	}
	for _, c := range o.ContactIDs {
		if _, dup := ts.seenC[c]; !dup && c != "" {
			ts.seenC[c] = struct{}{}
			ts.contacts = append(ts.contacts, c)
		}
	}
}

func (ts *ties) result() (accounts, contacts []string) {
	slices.Sort(ts.accounts)
	slices.Sort(ts.contacts)
	return ts.accounts, ts.contacts
}

// FilterByStage reads the stage picklist and the opportunities of src and computes
// [TiedToStage] in memory, streaming: only the resulting IDs are held. It does not use
// [StageFilterer]; [TiedToOpenOpportunities] does.
func FilterByStage(ctx context.Context, src Source, stage string) (accounts, contacts []string, err error) {
	stages, err := Collect(src.Stages(ctx))
	if err != nil {
		return nil, nil, err
	}
	ts, err := newTies(stages, stage) // fails before reading any opportunity
	if err != nil {
		return nil, nil, err
	}
	for o, err := range src.Opportunities(ctx, Filter{}) {
		if err != nil {
			return nil, nil, err
		}
		ts.add(&o)
	}
	accounts, contacts = ts.result()
	return accounts, contacts, nil
}

// TiedToOpenOpportunities answers the stage filter with the CRM's own query when src implements
// [StageFilterer], and with [FilterByStage] otherwise.
func TiedToOpenOpportunities(ctx context.Context, src Source, stage string) (accounts, contacts []string, err error) {
	if sf, ok := src.(StageFilterer); ok {
		return sf.TiedToOpenOpportunities(ctx, stage)
	}
	return FilterByStage(ctx, src, stage)
}
