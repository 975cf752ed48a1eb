package salesforce

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"strings"
	"unicode/utf8"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/internal/httpx"
)

// collectionSize is the sObject Collections limit per request.
const collectionSize = 200

// keyChunk bounds the LIKE clauses of one idempotency lookup (URI length).
const keyChunk = 100

// marker is the idempotency tag derived from an ExternalKey: a hash, so that neither SOQL
// escaping nor the key's own content (which may be meaningful) reaches the CRM.
func marker(key string) string {
	sum := sha256.Sum256([]byte(key))
	return markerPrefix + hex.EncodeToString(sum[:12])
}

// tagged appends " [marker]" to s, shortening s (at a rune boundary) so the whole fits in max
// bytes.
func tagged(s, m string, max int) string {
	tag := " [" + m + "]"
	if len(s)+len(tag) > max {
		s = s[:max-len(tag)]
		for len(s) > 0 && !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
	}
	return s + tag
}

// markerOf extracts the marker from a tagged subject or title.
func markerOf(s string) string {
	i := strings.LastIndex(s, " [crmlink:")
	if i < 0 || !strings.HasSuffix(s, "]") {
		return ""
	}
	return s[i+2 : len(s)-1]
}

// saveResult is one element of an sObject Collections answer.
type saveResult struct {
	ID      string `json:"id"`
	Success bool   `json:"success"`
	Errors  []struct {
		StatusCode string `json:"statusCode"`
	} `json:"errors"`
}

// WriteActivities implements [crm.Writer]. InMails and messages become completed Tasks (WhoId for
// a lead or contact, WhatId for an account or opportunity); notes become a ContentNote linked to
// the record with a ContentDocumentLink. Records are created with sObject Collections, 200 per
// request, allOrNone=false, so one bad record fails alone: its result's Err is a
// [*crm.APIError] holding Salesforce's statusCode.
//
// Writing is idempotent by ExternalKey, which is therefore required: an activity whose
// ExternalKey is empty or only white space (as [strings.TrimSpace] sees it) is refused on its
// own, before any request, with a WriteResult.Err matching [crm.ErrInvalid]; so is an activity
// of an unknown kind, attached to another object than a lead, contact, account or opportunity,
// or whose Record.ID or Author is not a Salesforce ID. Nothing about a refused activity is sent
// and the rest of the batch is still written. An activity whose ExternalKey was written before
// (see the package documentation, # Writing), or repeated within acts, is reported with Created
// false and the existing ID.
//
// The returned error is for failures of the whole call: authentication, or ctx ending once
// requests were needed (before the call or while any of its requests, the last included, is in
// flight), which matches context.Canceled or context.DeadlineExceeded. The results are returned
// with it, one per activity: those written before keep their ID and Created; those the call did
// not finish carry the same error in Err (a note created whose link was cut off keeps its ID and
// Created true: writing it again links it). Activities whose outcome is unknown are safe to write
// again.
func (s *Source) WriteActivities(ctx context.Context, acts []crm.Activity) ([]crm.WriteResult, error) {
	res := make([]crm.WriteResult, len(acts))
	var tasks, notes []int
	first := make(map[string]int) // marker -> first activity with it
	dupOf := make(map[int]int)
	for i, a := range acts {
		res[i].ExternalKey = a.ExternalKey
		if err := validActivity(a); err != nil {
			res[i].Err = fmt.Errorf("salesforce: activity %d: %w", i, err)
			continue
		}
		m := marker(a.ExternalKey)
		if j, ok := first[m]; ok {
			dupOf[i] = j
			continue
		}
		first[m] = i
		if a.Kind == crm.Note {
			notes = append(notes, i)
		} else {
			tasks = append(tasks, i)
		}
	}
	err := s.writeKind(ctx, acts, res, tasks, "Task", "Subject")
	if err == nil {
		err = s.writeKind(ctx, acts, res, notes, "ContentNote", "Title")
	}
	if cerr := ctx.Err(); cerr != nil && len(tasks)+len(notes) > 0 && !errors.Is(err, cerr) {
		// ctx ended while the last request was answered (the call did not finish in time,
		// whatever the results say), or a request failed because of it.
		err = &crm.APIError{Op: "write activities", Cause: cerr}
	}
	if err != nil {
		for _, idx := range [][]int{tasks, notes} {
			for _, i := range idx {
				if res[i].Err == nil && res[i].ID == "" {
					res[i].Err = err // not written
				}
			}
		}
	}
	for i, j := range dupOf {
		res[i].ID, res[i].Err = res[j].ID, res[j].Err
	}
	return res, err
}

func validActivity(a crm.Activity) error {
	switch a.Kind {
	case crm.InMail, crm.Message, crm.Note:
	default:
		return fmt.Errorf("%w: unknown activity kind", crm.ErrInvalid)
	}
	if strings.TrimSpace(a.ExternalKey) == "" {
		return fmt.Errorf("%w: empty ExternalKey", crm.ErrInvalid)
	}
	if !validID(a.Record.ID) {
		return fmt.Errorf("%w: Record.ID is not a Salesforce ID", crm.ErrInvalid)
	}
	if a.Author != "" && !validID(a.Author) {
		return fmt.Errorf("%w: Author is not a Salesforce user ID", crm.ErrInvalid)
	}
	switch a.Record.Object {
	case crm.ObjectLead, crm.ObjectContact, crm.ObjectAccount, crm.ObjectOpportunity:
		return nil
	}
	return fmt.Errorf("%w: activities attach to leads, contacts, accounts or opportunities", crm.ErrInvalid)
}

// fatal reports whether a chunk's failure should end the whole call: ctx ended (whatever the
// error says) or authentication failed.
func fatal(ctx context.Context, err error) bool {
	return ctx.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, crm.ErrUnauthorized)
}

// writeKind writes the activities idx as sObject (Task or ContentNote), skipping those whose
// marker already exists in field.
func (s *Source) writeKind(ctx context.Context, acts []crm.Activity, res []crm.WriteResult, idx []int, sobject, field string) error {
	if len(idx) == 0 {
		return nil
	}
	existing, err := s.existing(ctx, acts, idx, sobject, field)
	if err != nil {
		if fatal(ctx, err) {
			return err
		}
		for _, i := range idx {
			res[i].Err = err
		}
		return nil
	}
	var todo, found []int
	for _, i := range idx {
		if id, ok := existing[marker(acts[i].ExternalKey)]; ok {
			res[i].ID = id
			found = append(found, i)
			continue
		}
		todo = append(todo, i)
	}
	if sobject == "ContentNote" && len(found) > 0 {
		// A note written before may have lost its link (the link failed, or the process died
		// between the two requests): link what is not linked yet.
		if err := s.relink(ctx, acts, res, found); err != nil {
			return err
		}
	}
	for len(todo) > 0 {
		n := min(len(todo), collectionSize)
		chunk := todo[:n]
		todo = todo[n:]
		recs := make([]map[string]any, len(chunk))
		for k, i := range chunk {
			recs[k] = s.record(acts[i], sobject)
		}
		saved, err := s.create(ctx, "create "+sobject, recs)
		if err != nil {
			if fatal(ctx, err) {
				return err
			}
			for _, i := range chunk {
				res[i].Err = err
			}
			continue
		}
		var linked []int
		for k, i := range chunk {
			if saved[k].err != nil {
				res[i].Err = saved[k].err
				continue
			}
			res[i].ID, res[i].Created = saved[k].id, true
			linked = append(linked, i)
		}
		if sobject == "ContentNote" {
			if err := s.link(ctx, acts, res, linked); err != nil {
				return err
			}
		}
	}
	return nil
}

// link creates a ContentDocumentLink from each note res[i].ID to acts[i].Record, in collections
// of 200, recording failures in res[i].Err.
func (s *Source) link(ctx context.Context, acts []crm.Activity, res []crm.WriteResult, idx []int) error {
	for len(idx) > 0 {
		n := min(len(idx), collectionSize)
		chunk := idx[:n]
		idx = idx[n:]
		links := make([]map[string]any, len(chunk))
		for k, i := range chunk {
			links[k] = map[string]any{
				"attributes":        map[string]string{"type": "ContentDocumentLink"},
				"ContentDocumentId": res[i].ID, "LinkedEntityId": acts[i].Record.ID,
				"ShareType": "V", "Visibility": "AllUsers",
			}
		}
		saved, err := s.create(ctx, "create ContentDocumentLink", links)
		if err != nil && fatal(ctx, err) {
			for _, i := range chunk {
				res[i].Err = err
			}
			for _, i := range idx { // the rest, not linked either
				res[i].Err = err
			}
			return err
		}
		for k, i := range chunk {
			switch {
			case err != nil:
				res[i].Err = err
			case saved[k].err != nil:
				res[i].Err = saved[k].err
			}
		}
	}
	return nil
}

// relink links the existing notes idx that are not linked to their record yet.
func (s *Source) relink(ctx context.Context, acts []crm.Activity, res []crm.WriteResult, idx []int) error {
	have := make(map[[2]string]bool)
	for start := 0; start < len(idx); start += idChunk {
		var ids []string
		for _, i := range idx[start:min(start+idChunk, len(idx))] {
			if validID(res[i].ID) {
				ids = append(ids, res[i].ID)
			}
		}
		if len(ids) == 0 {
			continue
		}
		q := "SELECT ContentDocumentId, LinkedEntityId FROM ContentDocumentLink WHERE ContentDocumentId IN " + inList(ids)
		for next := q; next != ""; {
			r, err := s.query(ctx, "query ContentDocumentLink", next)
			if err != nil {
				if fatal(ctx, err) {
					for _, i := range idx {
						res[i].Err = err
					}
					return err
				}
				for _, i := range idx {
					res[i].Err = err
				}
				return nil
			}
			for _, rec := range r.Records {
				have[[2]string{mapRow(rec).str("ContentDocumentId"), mapRow(rec).str("LinkedEntityId")}] = true
			}
			next = ""
			if !r.Done {
				next = r.NextRecordsURL
			}
		}
	}
	var missing []int
	for _, i := range idx {
		if !have[[2]string{res[i].ID, acts[i].Record.ID}] {
			missing = append(missing, i)
		}
	}
	return s.link(ctx, acts, res, missing)
}

// record builds the sObject for one activity.
func (s *Source) record(a crm.Activity, sobject string) map[string]any {
	m := marker(a.ExternalKey)
	r := map[string]any{"attributes": map[string]string{"type": sobject}}
	if s.opt.keyField != "" {
		r[s.opt.keyField] = m
	}
	title := a.Subject
	if s.opt.keyField == "" {
		title = tagged(a.Subject, m, 255)
	} else if len(title) > 255 {
		title = tagged(title, m, 255)
	}
	if sobject == "ContentNote" {
		r["Title"] = title
		r["Content"] = base64.StdEncoding.EncodeToString([]byte(html.EscapeString(a.Body)))
		if a.Author != "" {
			r["OwnerId"] = a.Author
		}
		return r
	}
	r["Subject"] = title
	r["Description"] = truncate(a.Body, 32000)
	r["Status"] = s.opt.taskStatus
	r["TaskSubtype"] = s.opt.taskSubtype
	if !a.OccurredAt.IsZero() {
		r["ActivityDate"] = a.OccurredAt.UTC().Format("2006-01-02")
	}
	if a.Author != "" {
		r["OwnerId"] = a.Author
	}
	switch a.Record.Object {
	case crm.ObjectLead, crm.ObjectContact:
		r["WhoId"] = a.Record.ID
	default:
		r["WhatId"] = a.Record.ID
	}
	return r
}

func truncate(s string, max int) string {
	if len(s) <= max {
		return s
	}
	s = s[:max]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

// existing finds the already-written activities among idx: marker -> record ID.
func (s *Source) existing(ctx context.Context, acts []crm.Activity, idx []int, sobject, field string) (map[string]string, error) {
	out := make(map[string]string)
	keyField := s.opt.keyField
	for start := 0; start < len(idx); start += keyChunk {
		end := min(start+keyChunk, len(idx))
		var conds []string
		for _, i := range idx[start:end] {
			m := marker(acts[i].ExternalKey)
			if keyField != "" {
				conds = append(conds, quote(m))
			} else {
				conds = append(conds, field+" LIKE "+quote("%["+m+"]"))
			}
		}
		sel := field
		var where string
		if keyField != "" {
			sel = keyField
			where = keyField + " IN (" + strings.Join(conds, ",") + ")"
		} else {
			where = strings.Join(conds, " OR ")
		}
		q := "SELECT Id, " + sel + " FROM " + sobject + " WHERE " + where
		for next := q; next != ""; {
			res, err := s.query(ctx, "query "+sobject, next)
			if err != nil {
				return nil, err
			}
			for _, r := range res.Records {
				v := mapRow(r).str(sel)
				if keyField == "" {
					v = markerOf(v)
				}
				if v != "" {
					out[v] = mapRow(r).str("Id")
				}
			}
			next = ""
			if !res.Done {
				next = res.NextRecordsURL
			}
		}
	}
	return out, nil
}

// created is the outcome of one record of a collection.
type created struct {
	id  string
	err error
}

// create posts recs (at most 200) to sObject Collections through simpleforce's ApexREST.
func (s *Source) create(ctx context.Context, op string, recs []map[string]any) ([]created, error) {
	body, err := json.Marshal(map[string]any{"allOrNone": false, "records": recs})
	if err != nil {
		return nil, fmt.Errorf("salesforce: %s: %w", op, crm.ErrInvalid)
	}
	c, t, err := s.client(ctx, op)
	if err != nil {
		return nil, err
	}
	data, err := c.ApexREST("POST", strings.TrimPrefix(s.dataPath("composite/sobjects"), "/"), bytes.NewReader(body))
	if t.err != nil {
		return nil, t.err
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, &crm.APIError{Op: op, Cause: ctx.Err()}
		}
		return nil, &crm.APIError{Op: op, Cause: safeCause(err)}
	}
	var saved []saveResult
	if err := json.Unmarshal(data, &saved); err != nil {
		if ctx.Err() != nil { // an answer cut short by the cancellation is not a malformed one
			return nil, &crm.APIError{Op: op, Cause: ctx.Err()}
		}
		return nil, &crm.APIError{Op: op, Class: crm.ErrMalformed, Cause: jsonCause(err)}
	}
	if len(saved) != len(recs) {
		return nil, &crm.APIError{Op: op, Class: crm.ErrMalformed, Cause: fmt.Errorf("%d results for %d records", len(saved), len(recs))}
	}
	out := make([]created, len(saved))
	for i, sr := range saved {
		switch {
		case sr.Success && validID(sr.ID):
			out[i].id = sr.ID
		case sr.Success:
			out[i].err = &crm.APIError{Op: op, Class: crm.ErrMalformed, Cause: errors.New("success without a valid id")}
		default:
			code := ""
			if len(sr.Errors) > 0 {
				code = httpx.SanitizeCode(sr.Errors[0].StatusCode)
			}
			out[i].err = &crm.APIError{Op: op, Code: code, Class: classify(0, code)}
		}
	}
	return out, nil
}
