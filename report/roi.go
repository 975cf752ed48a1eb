package report

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/crmlink/crmlink/crm"
)

// Opportunity is what the ROI report reads of one CRM opportunity: no names.
type Opportunity struct {
	ID         string
	AccountID  string
	ContactIDs []string // contact roles
	Amount     float64
	Stage      string    // current stage, a name in [ROIInput.Stages]
	CreatedAt  time.Time // when the opportunity was created
	// CloseDate is the actual close date of a closed opportunity, the expected one of an open one.
	CloseDate time.Time
	// History lists the stage changes (Salesforce OpportunityHistory / OpportunityFieldHistory,
	// Dataverse audit or business-process stage changes), in any order. It may be empty.
	History []StageChange
}

// StageChange is the opportunity entering Stage at At.
type StageChange struct {
	Stage string
	At    time.Time
}

// Activity is one activity crmlink wrote back: the record it is attached to and when it occurred.
type Activity struct {
	Object Object // Account or Contact (activities on leads do not touch opportunities)
	ID     string // the record's CRM ID
	At     time.Time
}

// ROIInput is the input of [ComputeROI].
type ROIInput struct {
	// Stages is the stage picklist, with sort order and closed / won flags.
	Stages []crm.OpportunityStage
	// Stage is the chosen stage: an activity influences an opportunity when it occurred before
	// the opportunity moved past this stage.
	Stage         string
	Opportunities []Opportunity
	Activities    []Activity
	// Matched reports whether the account or contact with the given ID is linked to an entity;
	// activities on other records are ignored. Nil counts every record as matched.
	Matched func(o Object, id string) bool
	// AsOf is the moment of the report: activities after it are ignored. Zero means now.
	AsOf time.Time
}

// Split is the aggregate of a set of opportunities.
type Split struct {
	Opportunities int     `json:"opportunities"`
	Open          int     `json:"open"`
	Won           int     `json:"won"`
	Lost          int     `json:"lost"`
	Pipeline      float64 `json:"pipeline"`    // sum of the amounts of the open ones
	WonRevenue    float64 `json:"won_revenue"` // sum of the amounts of the won ones
	// WinRate is Won / (Won + Lost); 0 when none is closed.
	WinRate float64 `json:"win_rate"`
	// DaysToClose is the mean of CloseDate - CreatedAt, in days, over the won ones; 0 when none.
	DaysToClose float64 `json:"days_to_close"`

	wonDays float64
}

func (s *Split) add(o *Opportunity, st crm.OpportunityStage) {
	s.Opportunities++
	switch {
	case !st.IsClosed:
		s.Open++
		s.Pipeline += o.Amount
	case st.IsWon:
		s.Won++
		s.WonRevenue += o.Amount
		s.wonDays += o.CloseDate.Sub(o.CreatedAt).Hours() / 24
	default:
		s.Lost++
	}
}

func (s *Split) finish() {
	if s.Won+s.Lost > 0 {
		s.WinRate = float64(s.Won) / float64(s.Won+s.Lost)
	}
	if s.Won > 0 {
		s.DaysToClose = s.wonDays / float64(s.Won)
	}
}

// Month is the ROI of the opportunities closing (or expected to close) in one calendar month.
type Month struct {
	Month         string `json:"month"` // "2026-03", in UTC
	Influenced    Split  `json:"influenced"`
	NotInfluenced Split  `json:"not_influenced"`
}

// ROI is the ROI report: opportunities influenced by a written-back activity against the others.
type ROI struct {
	Stage         string    `json:"stage"`
	AsOf          time.Time `json:"as_of"`
	Influenced    Split     `json:"influenced"`
	NotInfluenced Split     `json:"not_influenced"`
	// Months lists the months of the opportunities' close dates, oldest first.
	Months []Month `json:"months"`
	// Skipped counts opportunities whose stage is not in the picklist: left out.
	Skipped int `json:"skipped"`
	// Currency is the ISO 4217 code of the amounts, when known ([ROIFromSource] sets it; empty
	// when the CRM names none).
	Currency string `json:"currency,omitempty"`
	// OtherCurrency counts the opportunities left out because their amount is in another
	// currency ([ROIFromSource]).
	OtherCurrency int `json:"other_currency,omitempty"`
}

// InfluencedPipeline returns the amount of the open influenced opportunities.
func (r *ROI) InfluencedPipeline() float64 { return r.Influenced.Pipeline }

// InfluencedWonRevenue returns the amount of the won influenced opportunities.
func (r *ROI) InfluencedWonRevenue() float64 { return r.Influenced.WonRevenue }

// ErrUnknownStage is returned (wrapped) by [ComputeROI] when the chosen stage is not in the
// picklist.
var ErrUnknownStage = errors.New("report: unknown stage")

// ComputeROI computes the ROI report of in.
//
// An opportunity is influenced when a written-back activity on its account or on one of its
// contact roles, both matched, occurred before the moment the opportunity moved past the chosen
// stage, and not after AsOf. That moment is the earliest stage change in History into a stage
// whose sort order is above the chosen stage's. When the current stage is past the chosen one and
// History does not show when it got there, the moment is CreatedAt: with no proof that the
// activity came first, it does not count. An opportunity that never moved past the stage counts
// every activity up to AsOf. Closed stages (won or lost) count by their sort order like the others.
func ComputeROI(in ROIInput) (ROI, error) {
	byName := make(map[string]crm.OpportunityStage, len(in.Stages))
	for _, s := range in.Stages {
		byName[s.Name] = s
	}
	chosen, ok := byName[in.Stage]
	if !ok || in.Stage == "" {
		return ROI{}, fmt.Errorf("%w %q", ErrUnknownStage, in.Stage)
	}
	asOf := in.AsOf
	if asOf.IsZero() {
		asOf = time.Now()
	}
	matched := in.Matched
	if matched == nil {
		matched = func(Object, string) bool { return true }
	}
	// The earliest qualifying activity per record is all that matters.
	first := map[Object]map[string]time.Time{Account: {}, Contact: {}}
	for _, a := range in.Activities {
		m, ok := first[a.Object]
		if !ok || a.ID == "" || a.At.After(asOf) || !matched(a.Object, a.ID) {
			continue
		}
		if t, seen := m[a.ID]; !seen || a.At.Before(t) {
			m[a.ID] = a.At
		}
	}
	r := ROI{Stage: in.Stage, AsOf: asOf}
	months := map[string]*Month{}
	for i := range in.Opportunities {
		o := &in.Opportunities[i]
		st, ok := byName[o.Stage]
		if !ok {
			r.Skipped++
			continue
		}
		infl := influenced(o, st, chosen, byName, first)
		key := o.CloseDate.UTC().Format("2006-01")
		mo := months[key]
		if mo == nil {
			mo = &Month{Month: key}
			months[key] = mo
		}
		if infl {
			r.Influenced.add(o, st)
			mo.Influenced.add(o, st)
		} else {
			r.NotInfluenced.add(o, st)
			mo.NotInfluenced.add(o, st)
		}
	}
	r.Influenced.finish()
	r.NotInfluenced.finish()
	for _, mo := range months {
		mo.Influenced.finish()
		mo.NotInfluenced.finish()
		r.Months = append(r.Months, *mo)
	}
	slices.SortFunc(r.Months, func(a, b Month) int { return cmp.Compare(a.Month, b.Month) })
	return r, nil
}

// influenced reports whether o had a qualifying activity before it moved past chosen.
func influenced(o *Opportunity, cur, chosen crm.OpportunityStage, stages map[string]crm.OpportunityStage, first map[Object]map[string]time.Time) bool {
	var cutoff time.Time
	moved := false // whether o moved past chosen; cutoff is then when
	for _, h := range o.History {
		if s, ok := stages[h.Stage]; ok && s.SortOrder > chosen.SortOrder && (!moved || h.At.Before(cutoff)) {
			cutoff, moved = h.At, true
		}
	}
	if !moved && cur.SortOrder > chosen.SortOrder {
		cutoff, moved = o.CreatedAt, true
	}
	before := func(t time.Time, ok bool) bool { return ok && (!moved || t.Before(cutoff)) }
	if t, ok := first[Account][o.AccountID]; o.AccountID != "" && before(t, ok) {
		return true
	}
	for _, c := range o.ContactIDs {
		if t, ok := first[Contact][c]; before(t, ok) {
			return true
		}
	}
	return false
}
