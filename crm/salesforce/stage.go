package salesforce

import (
	"context"
	"slices"
	"strings"

	"github.com/crmlink/crmlink/crm"
)

// TiedToOpenOpportunities implements [crm.StageFilterer] with SOQL: it reads the active stages,
// keeps those at or past stage by SortOrder ([crm.StagesAtOrPast]), then asks Salesforce for the
// accounts with a semi-join
//
//	SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Opportunity
//	    WHERE IsClosed = false AND StageName IN (...))
//
// and for the contacts through the contact roles of those opportunities
//
//	SELECT ContactId FROM OpportunityContactRole
//	WHERE Opportunity.IsClosed = false AND Opportunity.StageName IN (...)
//
// Only IDs travel. Both results are sorted and free of duplicates, as [crm.TiedToStage] returns
// them; an unknown stage yields a [*crm.StageError].
func (s *Source) TiedToOpenOpportunities(ctx context.Context, stage string) (accounts, contacts []string, err error) {
	stages, err := crm.Collect(s.Stages(ctx))
	if err != nil {
		return nil, nil, err
	}
	names, err := crm.StagesAtOrPast(stages, stage)
	if err != nil {
		return nil, nil, err
	}
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = quote(n)
	}
	in := "(" + strings.Join(quoted, ",") + ")"
	accounts, err = s.ids(ctx, "query Account", "Id",
		"SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Opportunity WHERE IsClosed = false AND StageName IN "+in+")")
	if err != nil {
		return nil, nil, err
	}
	contacts, err = s.ids(ctx, "query OpportunityContactRole", "ContactId",
		"SELECT ContactId FROM OpportunityContactRole WHERE Opportunity.IsClosed = false AND Opportunity.StageName IN "+in)
	if err != nil {
		return nil, nil, err
	}
	return accounts, contacts, nil
}

// ids runs q and returns the sorted, distinct, non-empty values of field.
func (s *Source) ids(ctx context.Context, op, field, q string) ([]string, error) {
	out := []string{}
	for next := q; next != ""; {
		res, err := s.query(ctx, op, next)
		if err != nil {
			return nil, err
		}
		for _, r := range res.Records {
			if v := mapRow(r).str(field); v != "" {
				out = append(out, v)
			}
		}
		next = ""
		if !res.Done {
			next = res.NextRecordsURL
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}
