package dynamics

import (
	"context"
	"iter"
	"time"

	"github.com/crmlink/crmlink/crm"
)

var _ crm.ActivityReader = (*Source)(nil)

// writtenTaskRow is what reading back a written task selects: no subject, no description.
type writtenTaskRow struct {
	ID          string     `json:"activityid"`
	Subcategory string     `json:"subcategory"`
	ActualEnd   *time.Time `json:"actualend"`
	CreatedOn   time.Time  `json:"createdon"`
	Regarding   string     `json:"_regardingobjectid_value"`
	Table       string     `json:"_regardingobjectid_value@Microsoft.Dynamics.CRM.lookuplogicalname"`
}

// writtenNoteRow is what reading back a written annotation selects: no subject, no note text.
type writtenNoteRow struct {
	ID        string    `json:"annotationid"`
	CreatedOn time.Time `json:"createdon"`
	Object    string    `json:"_objectid_value"`
	Table     string    `json:"_objectid_value@Microsoft.Dynamics.CRM.lookuplogicalname"`
}

// objectOfTable maps a lookup's logical name to the CRM object; "" for tables crmlink never
// writes to.
func objectOfTable(table string) crm.Object {
	switch table {
	case "contact":
		return crm.ObjectContact
	case "lead":
		return crm.ObjectLead
	case "account":
		return crm.ObjectAccount
	case "opportunity":
		return crm.ObjectOpportunity
	}
	return ""
}

// WrittenActivities implements [crm.ActivityReader]: the tasks whose category holds a [Marker]
// (InMail or Message by their subcategory, occurred at actualend, else createdon) and the
// annotations whose note text holds one (notes, occurred at createdon), attached to the record of
// their regarding / object lookup. Only IDs, kinds, lookups and dates are selected: neither
// subject nor text leaves the CRM. f.ModifiedSince compares with modifiedon; f.IDs with the
// activity IDs.
func (s *Source) WrittenActivities(ctx context.Context, f crm.Filter) iter.Seq2[crm.WrittenActivity, error] {
	return func(yield func(crm.WrittenActivity, error) bool) {
		tasks := queryFiltered(s, ctx, "read back tasks", "tasks",
			"activityid,subcategory,actualend,createdon,_regardingobjectid_value", "activityid",
			"contains(category,'"+markerPrefix+"')", f,
			func(r *writtenTaskRow) crm.WrittenActivity {
				kind := crm.InMail
				if r.Subcategory == "Message" {
					kind = crm.Message
				}
				at := r.CreatedOn
				if r.ActualEnd != nil {
					at = *r.ActualEnd
				}
				return crm.WrittenActivity{ID: r.ID, Kind: kind, OccurredAt: at,
					Record: crm.RecordRef{Object: objectOfTable(r.Table), ID: r.Regarding}}
			})
		for a, err := range tasks {
			if !yield(a, err) || err != nil {
				return
			}
		}
		notes := queryFiltered(s, ctx, "read back annotations", "annotations",
			"annotationid,createdon,_objectid_value", "annotationid",
			"contains(notetext,'["+markerPrefix+"')", f,
			func(r *writtenNoteRow) crm.WrittenActivity {
				return crm.WrittenActivity{ID: r.ID, Kind: crm.Note, OccurredAt: r.CreatedOn,
					Record: crm.RecordRef{Object: objectOfTable(r.Table), ID: r.Object}}
			})
		for a, err := range notes {
			if !yield(a, err) || err != nil {
				return
			}
		}
	}
}
