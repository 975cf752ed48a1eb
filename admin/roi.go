package admin

import (
	"context"
	"errors"
	"time"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/report"
)

// ErrNoSource is returned by the [Config.ROI] of [SourceROI] for an org without a CRM source:
// the console then says that no ROI report is configured for the org.
var ErrNoSource = errors.New("admin: no CRM source for the org")

// ROISource tells [SourceROI] where an org's ROI report comes from.
type ROISource struct {
	// Source returns the CRM source of org (it must also read back written activities, see
	// [report.ROIFromSource]); false when the org has none. Required.
	Source func(org string) (crm.Source, bool)
	// Mappings holds the stored mappings that say which records are linked, usually the same
	// store as [Config.Store]. Required.
	Mappings report.MappingReader
	// Stage is the chosen stage: an activity influences an opportunity when it occurred before
	// the opportunity moved past it. Required.
	Stage string
	// Currency selects the currency of the amounts; empty picks the one most opportunities are in.
	Currency string
	// Now gives the moment of the report; nil is time.Now.
	Now func() time.Time
}

// SourceROI returns a [Config.ROI] that computes an org's ROI report from its CRM when the page
// asks for it, with [report.ROIFromSource]: the opportunities and the activities crmlink wrote
// back are read from the org's source, the linked records from the stored mappings, and only the
// aggregates are kept.
func SourceROI(s ROISource) func(ctx context.Context, org string) (report.ROI, error) {
	return func(ctx context.Context, org string) (report.ROI, error) {
		if s.Source == nil {
			return report.ROI{}, ErrNoSource
		}
		src, ok := s.Source(org)
		if !ok || src == nil {
			return report.ROI{}, ErrNoSource
		}
		now := time.Now
		if s.Now != nil {
			now = s.Now
		}
		return report.ROIFromSource(ctx, report.SourceInput{Org: org, Source: src, Mappings: s.Mappings,
			Stage: s.Stage, Currency: s.Currency, AsOf: now()})
	}
}
