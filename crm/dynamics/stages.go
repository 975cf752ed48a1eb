package dynamics

import (
	"context"
	"iter"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/crmlink/crmlink/crm"
)

// Metadata paths of the two option sets that make the stage picklist.
const (
	salesStageMetadata = "EntityDefinitions(LogicalName='opportunity')/Attributes(LogicalName='salesstage')/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet($select=Options)"
	statusMetadata     = "EntityDefinitions(LogicalName='opportunity')/Attributes(LogicalName='statuscode')/Microsoft.Dynamics.CRM.StatusAttributeMetadata?$select=LogicalName&$expand=OptionSet($select=Options)"
)

// optionSetMetadata is the shape of an attribute's metadata with its expanded option set.
type optionSetMetadata struct {
	OptionSet struct {
		Options []option `json:"Options"`
	} `json:"OptionSet"`
}

type option struct {
	Value int  `json:"Value"`
	State *int `json:"State"` // status options only: the statecode they belong to
	Label struct {
		UserLocalizedLabel *struct {
			Label string `json:"Label"`
		} `json:"UserLocalizedLabel"`
		LocalizedLabels []struct {
			Label string `json:"Label"`
		} `json:"LocalizedLabels"`
	} `json:"Label"`
}

func (o *option) label() string {
	if l := o.Label.UserLocalizedLabel; l != nil && l.Label != "" {
		return l.Label
	}
	if len(o.Label.LocalizedLabels) > 0 {
		return o.Label.LocalizedLabels[0].Label
	}
	return ""
}

// stage is a crm.OpportunityStage with the option value that selects it.
type stage struct {
	crm.OpportunityStage
	salesStage int // the salesstage option value, for open stages
	phase      bool
}

// Opportunity statecode values.
const (
	stateOpen = 0
	stateWon  = 1
	stateLost = 2
)

// Stages streams the opportunity stage picklist in pipeline order: first the open stages (the
// options of the salesstage choice in their metadata order, or the phases given to
// [WithPipelinePhases]), then the status reasons of closed
// opportunities (statuscode options whose state is Won, then those whose state is Lost). SortOrder
// is the 1-based position in that list. See the package documentation.
func (s *Source) Stages(ctx context.Context) iter.Seq2[crm.OpportunityStage, error] {
	return func(yield func(crm.OpportunityStage, error) bool) {
		stages, err := s.stages(ctx)
		if err != nil {
			yield(crm.OpportunityStage{}, err)
			return
		}
		for _, st := range stages {
			if !yield(st.OpportunityStage, nil) {
				return
			}
		}
	}
}

func (s *Source) stages(ctx context.Context) ([]stage, error) {
	var sales, status optionSetMetadata
	if s.opts.phases == nil {
		if err := s.getJSON(ctx, "query salesstage metadata", s.base.String()+salesStageMetadata, &sales); err != nil {
			return nil, err
		}
	}
	if err := s.getJSON(ctx, "query statuscode metadata", s.base.String()+statusMetadata, &status); err != nil {
		return nil, err
	}
	var out []stage
	for _, p := range s.opts.phases {
		out = append(out, stage{OpportunityStage: crm.OpportunityStage{Name: p}, phase: true})
	}
	for _, o := range sales.OptionSet.Options {
		out = append(out, stage{OpportunityStage: crm.OpportunityStage{Name: o.label()}, salesStage: o.Value})
	}
	for _, want := range []int{stateWon, stateLost} {
		for _, o := range status.OptionSet.Options {
			if o.State != nil && *o.State == want {
				out = append(out, stage{OpportunityStage: crm.OpportunityStage{Name: o.label(), IsClosed: true, IsWon: want == stateWon}})
			}
		}
	}
	for i := range out {
		out[i].SortOrder = i + 1
	}
	return out, nil
}

// getJSON GETs one JSON object (not a collection) into v.
func (s *Source) getJSON(ctx context.Context, op, u string, v any) error {
	resp, err := s.do(ctx, request{op: op, method: http.MethodGet, url: u})
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return decodeObject(ctx, op, resp, v)
}

// TiedToOpenOpportunities implements [crm.StageFilterer] with OData lambda filters: the accounts
// and contacts tied to open opportunities (statecode 0) whose salesstage is at or past stage,
// as [crm.TiedToStage] defines them. It runs up to three queries:
//
//   - accounts?$filter=opportunity_parent_account/any(o:o/statecode eq 0 and (o/salesstage eq N or ...))
//     or opportunity_customer_accounts/any(o:... and o/_parentaccountid_value eq null)
//   - contacts?$filter=opportunity_parent_contact/any(...) or opportunity_customer_contacts/any(...)
//   - connections?$filter=... and record1id_opportunity/statecode eq 0 and (...), for stakeholders
//
// An unknown stage is a [*crm.StageError]. Both results are sorted and free of duplicates.
func (s *Source) TiedToOpenOpportunities(ctx context.Context, stageName string) (accounts, contacts []string, err error) {
	stages, err := s.stages(ctx)
	if err != nil {
		return nil, nil, err
	}
	plain := make([]crm.OpportunityStage, len(stages))
	for i, st := range stages {
		plain[i] = st.OpportunityStage
	}
	names, err := crm.StagesAtOrPast(plain, stageName)
	if err != nil {
		return nil, nil, err
	}
	var open []stage
	for _, st := range stages {
		if !st.IsClosed && slices.Contains(names, st.Name) {
			open = append(open, st)
		}
	}
	accounts, contacts = []string{}, []string{}
	if len(open) == 0 {
		return accounts, contacts, nil // only closed stages qualify: no open opportunity can
	}
	cond := openAtStages("o/", open)
	accFilter := "opportunity_parent_account/any(o:" + cond + ") or opportunity_customer_accounts/any(o:" + cond + " and o/_parentaccountid_value eq null)"
	for a, err := range query(s, ctx, "query accounts by stage", s.collectionURL("accounts", "accountid", accFilter),
		func(r *accountRow) string { return r.ID }) {
		if err != nil {
			return nil, nil, err
		}
		accounts = append(accounts, a)
	}
	conFilter := "opportunity_parent_contact/any(o:" + cond + ") or opportunity_customer_contacts/any(o:" + cond + ")"
	for c, err := range query(s, ctx, "query contacts by stage", s.collectionURL("contacts", "contactid", conFilter),
		func(r *contactRow) string { return r.ID }) {
		if err != nil {
			return nil, nil, err
		}
		contacts = append(contacts, c)
	}
	connFilter := connectionsFilter + " and " + openAtStages("record1id_opportunity/", open)
	for c, err := range query(s, ctx, "query connections by stage", s.collectionURL("connections", selectConnections, connFilter),
		func(r *connectionRow) string { return r.Record2 }) {
		if err != nil {
			return nil, nil, err
		}
		if c != "" {
			contacts = append(contacts, c)
		}
	}
	slices.Sort(accounts)
	slices.Sort(contacts)
	return slices.Compact(accounts), slices.Compact(contacts), nil
}

// openAtStages is "<p>statecode eq 0 and (<p>salesstage eq v1 or ...)" (or stepname eq
// 'phase' for pipeline phases). Option values, not labels, and an explicit list rather than
// "ge": option values need not follow pipeline order.
func openAtStages(prefix string, stages []stage) string {
	var b strings.Builder
	b.WriteString(prefix + "statecode eq 0 and (")
	for i, st := range stages {
		if i > 0 {
			b.WriteString(" or ")
		}
		if st.phase {
			b.WriteString(prefix + "stepname eq '" + strings.ReplaceAll(st.Name, "'", "''") + "'")
		} else {
			b.WriteString(prefix + "salesstage eq " + strconv.Itoa(st.salesStage))
		}
	}
	b.WriteString(")")
	return b.String()
}
