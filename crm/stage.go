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
	names, err := StagesAtOrPast(stages, stage)
	if err != nil {
		return nil, nil, err
	}
	past := make(map[string]struct{}, len(names))
	for _, n := range names {
		past[n] = struct{}{}
	}
	accounts, contacts = []string{}, []string{}
	for _, o := range opps {
		if o.IsClosed {
			continue
		}
		if _, ok := past[o.Stage]; !ok {
			continue
		}
		if o.AccountID != "" {
			accounts = append(accounts, o.AccountID)
		}
		for _, c := range o.ContactIDs {
			if c != "" {
				contacts = append(contacts, c)
			}
		}
	}
	slices.Sort(accounts)
	slices.Sort(contacts)
	return slices.Compact(accounts), slices.Compact(contacts), nil
}

// FilterByStage reads the stage picklist and the opportunities of src and computes
// [TiedToStage] in memory. It does not use [StageFilterer]; [TiedToOpenOpportunities] does.
func FilterByStage(ctx context.Context, src Source, stage string) (accounts, contacts []string, err error) {
	stages, err := Collect(src.Stages(ctx))
	if err != nil {
		return nil, nil, err
	}
	if _, err := StagesAtOrPast(stages, stage); err != nil {
		return nil, nil, err // fail before reading every opportunity
	}
	var opps []Opportunity
	for o, err := range src.Opportunities(ctx, Filter{}) {
		if err != nil {
			return nil, nil, err
		}
		if o.IsClosed {
			continue
		}
		o.Name = "" // keep only what the filter needs
		opps = append(opps, o)
	}
	return TiedToStage(stages, opps, stage)
}

// TiedToOpenOpportunities answers the stage filter with the CRM's own query when src implements
// [StageFilterer], and with [FilterByStage] otherwise.
func TiedToOpenOpportunities(ctx context.Context, src Source, stage string) (accounts, contacts []string, err error) {
	if sf, ok := src.(StageFilterer); ok {
		return sf.TiedToOpenOpportunities(ctx, stage)
	}
	return FilterByStage(ctx, src, stage)
}
