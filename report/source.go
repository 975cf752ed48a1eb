package report

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/override"
)

// MappingReader lists the mappings stored for an org; [*override.Store] implements it.
type MappingReader interface {
	Mappings(ctx context.Context, org string) iter.Seq2[override.Mapping, error]
}

// SourceInput is the input of [ROIFromSource].
type SourceInput struct {
	// Org is the CRM org the report is about. Required.
	Org string
	// Source reads the org's stages and opportunities (with their stage history), and the
	// activities crmlink wrote back: it must also be a [crm.ActivityReader]. Required.
	Source crm.Source
	// Mappings tells which accounts and contacts are linked to an entity: those with a manual or
	// a sync mapping that is not a rejection. Required.
	Mappings MappingReader
	// Stage is the chosen stage (see [ROIInput.Stage]). Required.
	Stage string
	// Currency selects the opportunities whose amount is in this ISO 4217 code. Empty picks the
	// currency most of the org's opportunities are in (the first code in byte order on a tie).
	// Opportunities whose CRM names no currency count in any (an org with one currency).
	Currency string
	// AsOf is the moment of the report (see [ROIInput.AsOf]). Zero means now.
	AsOf time.Time
}

// ErrNoActivityReader is returned (wrapped) by [ROIFromSource] when the Source cannot read back
// the activities crmlink wrote: the report would count nothing as influenced.
var ErrNoActivityReader = errors.New("report: the source cannot read back written activities")

// ROIFromSource computes the ROI report of in.Org from its CRM: it reads the stage picklist, the
// opportunities (amount, stage, dates, stage history), the activities crmlink wrote back to
// accounts and contacts, and which of those are linked according to the stored mappings, then
// calls [ComputeROI]. Sums never mix currencies: only the opportunities in the chosen currency
// count, the others are counted in [ROI.OtherCurrency].
//
// What it reads is held in memory for the computation only (IDs, amounts, times) and dropped;
// nothing is stored, and the result holds aggregates only.
//
// How complete the stage history is depends on the driver: Salesforce reads OpportunityHistory;
// Dynamics knows only the closing of a closed opportunity, so an activity after the real move
// past the stage but before the close counts, and an open opportunity past the stage counts only
// activities before its creation (see [ComputeROI]).
func ROIFromSource(ctx context.Context, in SourceInput) (ROI, error) {
	if in.Org == "" || in.Source == nil || in.Mappings == nil {
		return ROI{}, errors.New("report: ROIFromSource needs Org, Source and Mappings")
	}
	reader, ok := in.Source.(crm.ActivityReader)
	if !ok {
		return ROI{}, ErrNoActivityReader
	}
	stages, err := crm.Collect(in.Source.Stages(ctx))
	if err != nil {
		return ROI{}, fmt.Errorf("report: ROI: read stages: %w", err)
	}
	matched := map[Object]map[string]bool{Account: {}, Contact: {}}
	for m, err := range in.Mappings.Mappings(ctx, in.Org) {
		if err != nil {
			return ROI{}, fmt.Errorf("report: ROI: read mappings: %w", err)
		}
		if m.Rejected || !m.Source.Valid() {
			continue
		}
		if set, ok := matched[Object(m.Record.Object)]; ok {
			set[m.Record.ID] = true
		}
	}
	var acts []Activity
	for a, err := range reader.WrittenActivities(ctx, crm.Filter{}) {
		if err != nil {
			return ROI{}, fmt.Errorf("report: ROI: read written activities: %w", err)
		}
		var o Object
		switch a.Record.Object {
		case crm.ObjectAccount:
			o = Account
		case crm.ObjectContact:
			o = Contact
		default:
			continue // leads have no opportunities; activities on other records are not counted
		}
		if a.Record.Org != "" && a.Record.Org != in.Org {
			continue
		}
		acts = append(acts, Activity{Object: o, ID: a.Record.ID, At: a.OccurredAt})
	}
	var opps []Opportunity
	var currencies []string
	for o, err := range in.Source.Opportunities(ctx, crm.Filter{}) {
		if err != nil {
			return ROI{}, fmt.Errorf("report: ROI: read opportunities: %w", err)
		}
		h := make([]StageChange, len(o.History))
		for i, c := range o.History {
			h[i] = StageChange{Stage: c.Stage, At: c.At}
		}
		opps = append(opps, Opportunity{ID: o.ID, AccountID: o.AccountID, ContactIDs: o.ContactIDs, Amount: o.Amount,
			Stage: o.Stage, CreatedAt: o.CreatedAt, CloseDate: o.CloseDate, History: h})
		currencies = append(currencies, o.Currency)
	}
	cur := in.Currency
	if cur == "" {
		cur = mostCommon(currencies)
	}
	kept, other := opps[:0], 0
	for i, o := range opps {
		if c := currencies[i]; c != "" && cur != "" && c != cur {
			other++
			continue
		}
		kept = append(kept, o)
	}
	r, err := ComputeROI(ROIInput{Stages: stages, Stage: in.Stage, Opportunities: kept, Activities: acts, AsOf: in.AsOf,
		Matched: func(o Object, id string) bool { return matched[o][id] }})
	if err != nil {
		return ROI{}, err
	}
	r.Currency, r.OtherCurrency = cur, other
	return r, nil
}

// mostCommon returns the most frequent non-empty code, the first in byte order on a tie; "" when
// there is none.
func mostCommon(codes []string) string {
	n := map[string]int{}
	for _, c := range codes {
		if c != "" {
			n[c]++
		}
	}
	best := ""
	for c, k := range n {
		if best == "" || k > n[best] || k == n[best] && cmp.Less(c, best) {
			best = c
		}
	}
	return best
}
