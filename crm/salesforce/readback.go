package salesforce

import (
	"context"
	"iter"
	"time"

	"github.com/crmlink/crmlink/crm"
)

var _ crm.ActivityReader = (*Source)(nil)

// markerPrefix starts every idempotency marker (see marker).
const markerPrefix = "crmlink:"

// markerCond is the SOQL condition selecting the records of sobject that carry a marker: in the
// external key field when one is configured, else at the end of field (Subject, Title).
func (s *Source) markerCond(field string) string {
	if s.opt.keyField != "" {
		return s.opt.keyField + " LIKE " + quote(markerPrefix+"%")
	}
	return field + " LIKE " + quote("%["+markerPrefix+"%]")
}

// objectOfID tells the object of a record from its Salesforce key prefix; "" for objects
// crmlink never writes to (users, groups, libraries a note may also be linked to).
func objectOfID(id string) crm.Object {
	if len(id) < 3 {
		return ""
	}
	switch id[:3] {
	case "00Q":
		return crm.ObjectLead
	case "003":
		return crm.ObjectContact
	case "001":
		return crm.ObjectAccount
	case "006":
		return crm.ObjectOpportunity
	}
	return ""
}

// createdAt reads CreatedDate, "" reading as the zero time.
func createdAt(r row, object string) (time.Time, error) {
	v := r.str("CreatedDate")
	if v == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05.000-0700", time.RFC3339Nano} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, decodeErr(object, "CreatedDate")
}

// WrittenActivities implements [crm.ActivityReader]: the Tasks and ContentNotes carrying the
// marker crmlink writes (in the field of [WithExternalKeyField], else at the end of Subject or
// Title). A Task is attached to its WhoId or WhatId and occurred on its ActivityDate (else its
// CreatedDate); its kind reads as [crm.Message], since a Task keeps no difference between an
// InMail and a message. A ContentNote yields one activity per ContentDocumentLink to a lead,
// contact, account or opportunity, occurred at its CreatedDate. Neither subject, description nor
// content is selected. f.ModifiedSince compares with LastModifiedDate, f.IDs with the Task or
// ContentNote IDs.
func (s *Source) WrittenActivities(ctx context.Context, f crm.Filter) iter.Seq2[crm.WrittenActivity, error] {
	return func(yield func(crm.WrittenActivity, error) bool) {
		tasks := restSeq(s, ctx, spec{object: "Task", where: s.markerCond("Subject"),
			fields: []string{"Id", "WhoId", "WhatId", "ActivityDate", "CreatedDate"}}, f, "",
			plain(func(r row) (crm.WrittenActivity, error) {
				a := crm.WrittenActivity{ID: r.str("Id"), Kind: crm.Message}
				a.Record.ID = r.str("WhatId")
				if who := r.str("WhoId"); who != "" {
					a.Record.ID = who
				}
				a.Record.Object = objectOfID(a.Record.ID)
				if d := r.str("ActivityDate"); d != "" {
					t, err := time.Parse("2006-01-02", d)
					if err != nil {
						return a, decodeErr("Task", "ActivityDate")
					}
					a.OccurredAt = t
					return a, nil
				}
				t, err := createdAt(r, "Task")
				a.OccurredAt = t
				return a, err
			}))
		for a, err := range tasks {
			if !yield(a, err) || err != nil {
				return
			}
		}
		notes := restSeq(s, ctx, spec{object: "ContentNote", where: s.markerCond("Title"),
			fields: []string{"Id", "CreatedDate"}}, f, "",
			plain(func(r row) (crm.WrittenActivity, error) {
				t, err := createdAt(r, "ContentNote")
				return crm.WrittenActivity{ID: r.str("Id"), Kind: crm.Note, OccurredAt: t}, err
			}))
		var page []crm.WrittenActivity
		flush := func() bool {
			defer func() { page = page[:0] }()
			if len(page) == 0 {
				return true
			}
			ids := make([]string, 0, len(page))
			for _, n := range page {
				if validID(n.ID) {
					ids = append(ids, n.ID)
				}
			}
			links := map[string][]string{}
			if len(ids) > 0 {
				q := "SELECT ContentDocumentId, LinkedEntityId FROM ContentDocumentLink WHERE ContentDocumentId IN " + inList(ids)
				for next := q; next != ""; {
					res, err := s.query(ctx, "query ContentDocumentLink", next)
					if err != nil {
						yield(crm.WrittenActivity{}, err)
						return false
					}
					for _, rec := range res.Records {
						doc, ent := mapRow(rec).str("ContentDocumentId"), mapRow(rec).str("LinkedEntityId")
						if objectOfID(ent) != "" {
							links[doc] = append(links[doc], ent)
						}
					}
					next = ""
					if !res.Done {
						next = res.NextRecordsURL
					}
				}
			}
			for _, n := range page {
				for _, ent := range links[n.ID] {
					n.Record = crm.RecordRef{Object: objectOfID(ent), ID: ent}
					if !yield(n, nil) {
						return false
					}
				}
			}
			return true
		}
		for n, err := range notes {
			if err != nil {
				yield(n, err)
				return
			}
			page = append(page, n)
			if len(page) == idChunk && !flush() {
				return
			}
		}
		flush()
	}
}
