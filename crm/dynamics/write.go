package dynamics

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/crmlink/crmlink/crm"
)

// markerPrefix starts every idempotency marker; see [Marker].
const markerPrefix = "crmlink:"

// lookupChunk is how many markers one idempotency lookup asks for.
const lookupChunk = 25

// Marker returns the idempotency marker stored with an activity written for externalKey:
// "crmlink:" and 32 hex digits of the key's SHA-256. Tasks carry it in their category column;
// notes (annotations) on the last line of notetext, in brackets. The key itself is never sent.
func Marker(externalKey string) string {
	sum := sha256.Sum256([]byte(externalKey))
	return markerPrefix + hex.EncodeToString(sum[:16])
}

// target is how an activity's record is addressed: entity set and the two binding names.
type target struct {
	set, taskBind, noteBind string
}

func targetOf(o crm.Object) (target, bool) {
	switch o {
	case crm.ObjectContact:
		return target{"contacts", "regardingobjectid_contact_task", "objectid_contact"}, true
	case crm.ObjectLead:
		return target{"leads", "regardingobjectid_lead_task", "objectid_lead"}, true
	case crm.ObjectAccount:
		return target{"accounts", "regardingobjectid_account_task", "objectid_account"}, true
	case crm.ObjectOpportunity:
		return target{"opportunities", "regardingobjectid_opportunity_task", "objectid_opportunity"}, true
	}
	return target{}, false
}

// Task state and status of a completed task.
const (
	taskStateCompleted  = 1
	taskStatusCompleted = 5
)

// WriteActivities writes acts back to the org and reports one result per activity, in order.
// InMails and messages become completed tasks (task), notes become annotations (annotation),
// bound to the activity's record with @odata.bind; a non-empty Author (a systemuser ID) becomes
// the owner.
//
// Writing is idempotent by ExternalKey, which is therefore required: an activity whose
// ExternalKey is empty (or only white space) is not written and its WriteResult.Err matches
// [crm.ErrInvalid]. Before creating, it looks up existing tasks by category and notes by
// notetext for the key's [Marker]; an activity found (or repeated within acts) is reported with
// Created false and the existing ID. Two concurrent calls with the same key may both create.
//
// Per-activity failures are in WriteResult.Err, a *crm.APIError: [crm.ErrInvalid] (code
// missing_external_key, unsupported_record_object, invalid_record_id, invalid_author_id or
// unsupported_activity_kind) for an activity refused before any request, otherwise the class
// of the server's answer. The other activities of the batch are still written. The returned
// error is non-nil only when ctx ends the call; the activities not written by then carry it too.
func (s *Source) WriteActivities(ctx context.Context, acts []crm.Activity) ([]crm.WriteResult, error) {
	res := make([]crm.WriteResult, len(acts))
	first := map[string]int{} // marker -> index of the first activity with it
	var tasks, notes []string // markers to look up
	for i, a := range acts {
		res[i].ExternalKey = a.ExternalKey
		if err := validateActivity(a); err != nil {
			res[i].Err = err
			continue
		}
		m := Marker(a.ExternalKey)
		if _, dup := first[m]; dup {
			continue
		}
		first[m] = i
		if a.Kind == crm.Note {
			notes = append(notes, m)
		} else {
			tasks = append(tasks, m)
		}
	}
	existing := map[string]string{} // marker -> activity ID
	lookupErr := map[string]error{}
	for kind, markers := range map[string][]string{"task": tasks, "annotation": notes} {
		for start := 0; start < len(markers); start += lookupChunk {
			chunk := markers[start:min(start+lookupChunk, len(markers))]
			if err := s.lookupMarkers(ctx, kind, chunk, existing); err != nil {
				for _, m := range chunk {
					lookupErr[m] = err
				}
			}
		}
	}
	for i, a := range acts {
		if res[i].Err != nil {
			continue
		}
		if err := ctx.Err(); err != nil {
			for j := i; j < len(acts); j++ {
				if res[j].Err == nil && res[j].ID == "" {
					res[j].Err = &crm.APIError{Op: "write activity", Cause: err}
				}
			}
			return res, err
		}
		m := Marker(a.ExternalKey)
		if j := first[m]; j != i { // repeated within acts: report the first one's outcome
			res[i].ID, res[i].Err = res[j].ID, res[j].Err
			continue
		}
		if err := lookupErr[m]; err != nil {
			res[i].Err = err
			continue
		}
		if id, ok := existing[m]; ok {
			res[i].ID = id
			continue
		}
		res[i].ID, res[i].Err = s.create(ctx, a, m)
		res[i].Created = res[i].ID != ""
	}
	if err := ctx.Err(); err != nil && len(res) > 0 && errors.Is(res[len(res)-1].Err, err) {
		return res, err // the context ended the last write
	}
	return res, nil
}

func validateActivity(a crm.Activity) error {
	bad := func(code string) error {
		return &crm.APIError{Op: "write activity", Class: crm.ErrInvalid, Code: code}
	}
	if strings.TrimSpace(a.ExternalKey) == "" {
		return bad("missing_external_key")
	}
	if _, ok := targetOf(a.Record.Object); !ok {
		return bad("unsupported_record_object")
	}
	if !validID(a.Record.ID) {
		return bad("invalid_record_id")
	}
	if a.Author != "" && !validID(a.Author) {
		return bad("invalid_author_id")
	}
	switch a.Kind {
	case crm.InMail, crm.Message, crm.Note:
		return nil
	}
	return bad("unsupported_activity_kind")
}

// lookupMarkers finds existing activities of kind carrying any of markers.
func (s *Source) lookupMarkers(ctx context.Context, kind string, markers []string, found map[string]string) error {
	var b strings.Builder
	b.WriteString("(")
	for i, m := range markers {
		if i > 0 {
			b.WriteString(" or ")
		}
		if kind == "task" {
			b.WriteString("category eq '" + m + "'")
		} else {
			b.WriteString("contains(notetext,'" + m + "')")
		}
	}
	b.WriteString(")")
	if kind == "task" {
		for r, err := range query(s, ctx, "look up tasks", s.collectionURL("tasks", "activityid,category", b.String()),
			func(r *taskRow) taskRow { return *r }) {
			if err != nil {
				return err
			}
			found[r.Category] = r.ID
		}
		return nil
	}
	for r, err := range query(s, ctx, "look up annotations", s.collectionURL("annotations", "annotationid,notetext", b.String()),
		func(r *annotationRow) annotationRow { return *r }) {
		if err != nil {
			return err
		}
		for _, m := range markers {
			if strings.Contains(r.NoteText, "["+m+"]") {
				found[m] = r.ID
			}
		}
	}
	return nil
}

type taskRow struct {
	ID       string `json:"activityid"`
	Category string `json:"category"`
}

type annotationRow struct {
	ID       string `json:"annotationid"`
	NoteText string `json:"notetext"`
}

// create POSTs one task or annotation and, for a task, marks it completed.
func (s *Source) create(ctx context.Context, a crm.Activity, marker string) (string, error) {
	t, _ := targetOf(a.Record.Object)
	bind := "/" + t.set + "(" + a.Record.ID + ")"
	body := map[string]any{}
	if a.Author != "" {
		body["ownerid@odata.bind"] = "/systemusers(" + a.Author + ")"
	}
	set, op := "tasks", "create task"
	if a.Kind == crm.Note {
		set, op = "annotations", "create annotation"
		body["subject"] = defaultString(a.Subject, "Note")
		body["notetext"] = a.Body + "\n\n[" + marker + "]"
		body[t.noteBind+"@odata.bind"] = bind
	} else {
		kind := "InMail"
		if a.Kind == crm.Message {
			kind = "Message"
		}
		body["subject"] = defaultString(a.Subject, kind)
		body["description"] = a.Body
		body["subcategory"] = kind
		body["category"] = marker
		if !a.OccurredAt.IsZero() {
			at := a.OccurredAt.UTC().Format(time.RFC3339)
			body["scheduledend"] = at
			body["actualend"] = at
		}
		body[t.taskBind+"@odata.bind"] = bind
	}
	data, err := json.Marshal(body)
	if err != nil {
		return "", &crm.APIError{Op: op, Class: crm.ErrInvalid}
	}
	resp, err := s.do(ctx, request{op: op, method: http.MethodPost, url: s.base.String() + set, body: data})
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	id, ok := entityID(resp.Header.Get("OData-EntityId"))
	if !ok {
		return "", &crm.APIError{Op: op, Status: resp.StatusCode, Class: crm.ErrMalformed, Code: "missing_entity_id"}
	}
	if a.Kind != crm.Note {
		patch, _ := json.Marshal(map[string]int{"statecode": taskStateCompleted, "statuscode": taskStatusCompleted})
		resp, err := s.do(ctx, request{op: "complete task", method: http.MethodPatch, url: s.base.String() + "tasks(" + id + ")", body: patch})
		if err != nil {
			return id, err
		}
		resp.Body.Close()
	}
	return id, nil
}

func defaultString(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

// entityID extracts the GUID from an OData-EntityId header such as
// https://org.crm.dynamics.com/api/data/v9.2/tasks(d31ba648-c592-ed11-aad1-000d3a993550).
func entityID(h string) (string, bool) {
	if !strings.HasSuffix(h, ")") {
		return "", false
	}
	i := strings.LastIndexByte(h, '(')
	if i < 0 {
		return "", false
	}
	id := h[i+1 : len(h)-1]
	if !validID(id) {
		return "", false
	}
	return id, true
}
