package salesforce

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/simpleforce/simpleforce"

	"github.com/crmlink/crmlink/crm"
)

// spec describes how one crm object is read from one sObject.
type spec struct {
	object string   // sObject API name
	fields []string // SELECT list, identical for REST and Bulk so both decode alike
	where  string   // static condition, "" if none
	order  string   // ORDER BY clause, REST and Bulk alike
	// after, when not "", keeps the records whose Id sorts after it (a resumed read; see
	// [Source.AccountsAfter]). It is a valid Salesforce ID.
	after string
}

var (
	leadSpec = spec{object: "Lead", where: "IsConverted = false", order: "Id",
		fields: []string{"Id", "FirstName", "LastName", "Company", "Title", "Email", "City", "Country", "OwnerId", "LastModifiedDate"}}
	contactSpec = spec{object: "Contact", order: "Id",
		fields: []string{"Id", "AccountId", "FirstName", "LastName", "Title", "Email", "MailingCity", "MailingCountry", "OwnerId", "LastModifiedDate"}}
	accountSpec = spec{object: "Account", order: "Id",
		fields: []string{"Id", "Name", "Industry", "Website", "BillingCity", "BillingCountry", "OwnerId", "LastModifiedDate"}}
	opportunitySpec = spec{object: "Opportunity",
		fields: []string{"Id", "Name", "AccountId", "StageName", "IsClosed", "OwnerId", "LastModifiedDate",
			"Amount", "IsWon", "CreatedDate", "CloseDate"}}
	contactRoleSpec = spec{object: "OpportunityContactRole", fields: []string{"OpportunityId", "ContactId"}}
	historySpec     = spec{object: "OpportunityHistory", fields: []string{"OpportunityId", "StageName", "CreatedDate"}}
	stageSpec       = spec{object: "OpportunityStage", where: "IsActive = true", order: "SortOrder",
		fields: []string{"ApiName", "MasterLabel", "SortOrder", "IsClosed", "IsWon"}}
	userSpec = spec{object: "User", fields: []string{"Id", "Name", "Email", "UserRoleId", "IsActive"}}
	roleSpec = spec{object: "UserRole", fields: []string{"Id", "Name", "ParentRoleId"}}
)

// contactRolesSubquery is appended to the REST Opportunity SELECT list (Bulk API 2.0 does not
// support parent-to-child subqueries; the bulk path reads OpportunityContactRole separately).
const contactRolesSubquery = "(SELECT ContactId FROM OpportunityContactRoles)"

// historySubquery is appended to the REST Opportunity SELECT list after contactRolesSubquery: the
// opportunity's OpportunityHistory rows (one per change of stage, amount, probability or close
// date). The bulk path reads OpportunityHistory separately.
const historySubquery = "(SELECT StageName, CreatedDate FROM OpportunityHistories ORDER BY CreatedDate)"

// currencyField is the Opportunity field of the amount's currency, present only in orgs with
// multiple currencies enabled ([WithMultiCurrency]).
const currencyField = "CurrencyIsoCode"

// opportunities returns the Opportunity spec of s: with CurrencyIsoCode in a multi-currency org.
func (s *Source) opportunities() spec {
	sp := opportunitySpec
	if s.opt.multiCurrency {
		sp.fields = append(slices.Clip(sp.fields), currencyField)
	}
	return sp
}

// idChunk bounds the IDs in one "Id IN (...)" clause, keeping URIs far below 16,384 bytes.
const idChunk = 200

// soqlTime formats t as a SOQL datetime literal, at second precision like [crm.Filter.Keep].
func soqlTime(t time.Time) string {
	return t.UTC().Truncate(time.Second).Format("2006-01-02T15:04:05Z")
}

// quote returns s as a SOQL string literal.
func quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	for _, r := range s {
		switch r {
		case '\'', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// validID reports whether id looks like a Salesforce ID (15 or 18 alphanumerics), which also
// makes it safe to inline in SOQL.
func validID(id string) bool {
	if len(id) != 15 && len(id) != 18 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

func inList(ids []string) string {
	var b strings.Builder
	b.WriteByte('(')
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(quote(id))
	}
	b.WriteByte(')')
	return b.String()
}

// soql builds the queries for sp under f, one per chunk of f.IDs. extra is appended to the SELECT
// list (REST subqueries); idField is the field f.IDs apply to. With sp.after, the IDs of f.IDs
// that do not sort after it are left out, and no query is returned when none is left.
func soql(sp spec, f crm.Filter, extra, idField string) ([]string, error) {
	var conds []string
	if sp.where != "" {
		conds = append(conds, sp.where)
	}
	if !f.ModifiedSince.IsZero() {
		conds = append(conds, "LastModifiedDate >= "+soqlTime(f.ModifiedSince))
	}
	if sp.after != "" {
		conds = append(conds, "Id > "+quote(sp.after))
	}
	base := "SELECT " + strings.Join(sp.fields, ", ")
	if extra != "" {
		base += ", " + extra
	}
	base += " FROM " + sp.object
	build := func(c []string) string {
		q := base
		if len(c) > 0 {
			q += " WHERE " + strings.Join(c, " AND ")
		}
		if sp.order != "" {
			q += " ORDER BY " + sp.order
		}
		return q
	}
	if len(f.IDs) == 0 {
		return []string{build(conds)}, nil
	}
	ids := slices.Clone(f.IDs)
	for i, id := range ids {
		if !validID(id) {
			return nil, fmt.Errorf("salesforce: query %s: %w: Filter.IDs[%d] is not a Salesforce ID", sp.object, crm.ErrInvalid, i)
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if sp.after != "" {
		ids = slices.DeleteFunc(ids, func(id string) bool { return compareIDs(id, sp.after) <= 0 })
	}
	var out []string
	for c := range slices.Chunk(ids, idChunk) {
		out = append(out, build(append(slices.Clip(conds), idField+" IN "+inList(c))))
	}
	return out, nil
}

// row is one record as returned by REST (JSON) or Bulk (CSV), read by field API name; dotted
// names reach relationship fields.
type row interface {
	str(name string) string
	boolean(name string) bool
	number(name string) (float64, bool)
}

// mapRow is a REST record as decoded by simpleforce.
type mapRow map[string]any

func (m mapRow) get(name string) any {
	var cur any = map[string]any(m)
	for {
		mm, ok := cur.(map[string]any)
		if !ok {
			if so, ok2 := cur.(simpleforce.SObject); ok2 {
				mm = so
			} else {
				return nil
			}
		}
		head, rest, dotted := strings.Cut(name, ".")
		cur = mm[head]
		if !dotted {
			return cur
		}
		name = rest
	}
}

func (m mapRow) str(name string) string {
	switch v := m.get(name).(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	}
	return ""
}

func (m mapRow) boolean(name string) bool {
	v, _ := m.get(name).(bool)
	return v
}

func (m mapRow) number(name string) (float64, bool) {
	v, ok := m.get(name).(float64)
	return v, ok
}

// decodeErr is a field that could not be decoded. It names the field, never the value.
func decodeErr(object, field string) error {
	return &crm.APIError{Op: "decode " + object, Class: crm.ErrMalformed, Cause: fmt.Errorf("field %s has an unexpected value", field)}
}

func modified(r row, object string) (time.Time, error) {
	return datetime(r, object, "LastModifiedDate")
}

// datetime reads a datetime field ("2013-05-20T20:49:32.000+0000"; RFC 3339 as well); zero when
// null.
func datetime(r row, object, field string) (time.Time, error) {
	return parseDatetime(r.str(field), object, field)
}

func parseDatetime(s, object, field string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05.000-0700", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, decodeErr(object, field)
}

// date reads a date field ("2024-05-01") as that day at 00:00 UTC; zero when null.
func date(r row, object, field string) (time.Time, error) {
	s := r.str(field)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, decodeErr(object, field)
	}
	return t, nil
}

// stageHistory turns OpportunityHistory rows into stage changes: sorted by time, keeping a row
// only when its stage differs from the previous one (rows also record changes of amount,
// probability and close date).
func stageHistory(h []crm.StageChange) []crm.StageChange {
	slices.SortStableFunc(h, func(a, b crm.StageChange) int { return a.At.Compare(b.At) })
	out := h[:0]
	for _, c := range h {
		if c.Stage == "" || len(out) > 0 && out[len(out)-1].Stage == c.Stage {
			continue
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func decodeLead(r row) (crm.Lead, error) {
	t, err := modified(r, "Lead")
	return crm.Lead{
		ID: r.str("Id"), FirstName: r.str("FirstName"), LastName: r.str("LastName"),
		Company: r.str("Company"), Title: r.str("Title"), Email: r.str("Email"),
		City: r.str("City"), Country: r.str("Country"), OwnerID: r.str("OwnerId"), ModifiedAt: t,
	}, err
}

func decodeContact(r row) (crm.Contact, error) {
	t, err := modified(r, "Contact")
	return crm.Contact{
		ID: r.str("Id"), AccountID: r.str("AccountId"), FirstName: r.str("FirstName"),
		LastName: r.str("LastName"), Title: r.str("Title"), Email: r.str("Email"),
		City: r.str("MailingCity"), Country: r.str("MailingCountry"), OwnerID: r.str("OwnerId"), ModifiedAt: t,
	}, err
}

func decodeAccount(r row) (crm.Account, error) {
	t, err := modified(r, "Account")
	return crm.Account{
		ID: r.str("Id"), Name: r.str("Name"), Industry: r.str("Industry"), Website: r.str("Website"),
		City: r.str("BillingCity"), Country: r.str("BillingCountry"), OwnerID: r.str("OwnerId"), ModifiedAt: t,
	}, err
}

func decodeOpportunity(r row) (crm.Opportunity, error) {
	const obj = "Opportunity"
	o := crm.Opportunity{
		ID: r.str("Id"), Name: r.str("Name"), AccountID: r.str("AccountId"), Stage: r.str("StageName"),
		IsClosed: r.boolean("IsClosed"), OwnerID: r.str("OwnerId"),
		IsWon: r.boolean("IsWon"), Currency: r.str(currencyField),
	}
	var err error
	if o.ModifiedAt, err = modified(r, obj); err != nil {
		return o, err
	}
	if o.CreatedAt, err = datetime(r, obj, "CreatedDate"); err != nil {
		return o, err
	}
	if o.CloseDate, err = date(r, obj, "CloseDate"); err != nil {
		return o, err
	}
	if r.str("Amount") != "" {
		v, ok := r.number("Amount")
		if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
			return o, decodeErr(obj, "Amount")
		}
		o.Amount = v
	}
	return o, nil
}

func decodeStage(r row) (crm.OpportunityStage, error) {
	name := r.str("ApiName")
	if name == "" {
		name = r.str("MasterLabel")
	}
	n, ok := r.number("SortOrder")
	if !ok {
		return crm.OpportunityStage{}, decodeErr("OpportunityStage", "SortOrder")
	}
	return crm.OpportunityStage{Name: name, SortOrder: int(n), IsClosed: r.boolean("IsClosed"), IsWon: r.boolean("IsWon")}, nil
}

func decodeUser(r row) (crm.User, error) {
	return crm.User{ID: r.str("Id"), Name: r.str("Name"), Email: r.str("Email"), RoleID: r.str("UserRoleId"), IsActive: r.boolean("IsActive")}, nil
}

func decodeRole(r row) (crm.Role, error) {
	return crm.Role{ID: r.str("Id"), Name: r.str("Name"), ParentID: r.str("ParentRoleId")}, nil
}

// sfTransport hands simpleforce's requests to Source.do with the ctx of the call and reads each
// answer whole. When do or the read fails it keeps the typed error and gives simpleforce an empty
// 200 answer, so simpleforce never reads an error body (which it would log to the global logger)
// and never logs the request URL.
type sfTransport struct {
	s   *Source
	ctx context.Context
	op  string
	err error
}

func (t *sfTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if n := t.s.opt.batchSize; n > 0 && req.Method == http.MethodGet {
		req = req.Clone(req.Context())
		req.Header.Set("Sforce-Query-Options", "batchSize="+strconv.Itoa(n))
	}
	resp, err := t.s.do(t.ctx, t.op, req)
	if err == nil {
		// Read the answer here: a body cut off (connection lost, ctx canceled) would otherwise fail
		// inside simpleforce, which logs the request URL (SOQL with record IDs) and returns an
		// unclassified error.
		var body []byte
		body, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		switch {
		case err == nil:
			resp.Body = io.NopCloser(bytes.NewReader(body))
			resp.ContentLength = int64(len(body))
			return resp, nil
		case t.ctx.Err() != nil:
			err = &crm.APIError{Op: t.op, Cause: t.ctx.Err()}
		default:
			cause := safeCause(err)
			if errors.Is(err, io.ErrUnexpectedEOF) {
				cause = io.ErrUnexpectedEOF // the usual case, and its text is safe
			}
			err = &crm.APIError{Op: t.op, Class: crm.ErrUnavailable, Cause: fmt.Errorf("read answer: %w", cause)}
		}
	}
	if err != nil {
		t.err = err
		return &http.Response{
			StatusCode: http.StatusOK, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: http.Header{}, Body: io.NopCloser(strings.NewReader("null")), Request: req,
		}, nil
	}
	return resp, nil
}

// client returns a simpleforce client for one call: it carries ctx through sfTransport and the
// current session through SetSidLoc. A fresh client per call avoids simpleforce's shared mutable
// state (makeURL rewrites the API version, Tooling flips a flag).
func (s *Source) client(ctx context.Context, op string) (*simpleforce.Client, *sfTransport, error) {
	sess, err := s.session(ctx, "")
	if err != nil {
		return nil, nil, err
	}
	t := &sfTransport{s: s, ctx: ctx, op: op}
	c := simpleforce.NewClient(sess.instance, simpleforce.DefaultClientID, s.apiVersion)
	c.SetHttpClient(&http.Client{Transport: t, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}})
	c.SetSidLoc(sess.token, sess.instance)
	return c, t, nil
}

// query runs one SOQL query or fetches one nextRecordsUrl through simpleforce.
func (s *Source) query(ctx context.Context, op, q string) (*simpleforce.QueryResult, error) {
	c, t, err := s.client(ctx, op)
	if err != nil {
		return nil, err
	}
	res, err := c.Query(q)
	if t.err != nil {
		return nil, t.err
	}
	if err != nil {
		if ctx.Err() != nil { // an answer cut short by the cancellation is not a malformed one
			return nil, &crm.APIError{Op: op, Cause: ctx.Err()}
		}
		return nil, &crm.APIError{Op: op, Class: crm.ErrMalformed, Cause: jsonCause(err)}
	}
	if res == nil || (res.Records == nil && !res.Done && res.NextRecordsURL == "") {
		return nil, &crm.APIError{Op: op, Class: crm.ErrMalformed, Cause: errors.New("not a query result")}
	}
	if !res.Done && !strings.HasPrefix(res.NextRecordsURL, "/services/data/") {
		return nil, &crm.APIError{Op: op, Class: crm.ErrMalformed, Cause: errors.New("unfinished result without a nextRecordsUrl")}
	}
	return res, nil
}

// jsonCause describes a JSON decoding failure without quoting the input.
func jsonCause(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("invalid JSON at offset %d", se.Offset)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("unexpected JSON %s for field %s", te.Value, te.Field)
	}
	return errors.New("invalid JSON")
}

// restSeq streams sp's records through REST queries, paging with nextRecordsUrl.
func restSeq[T any](s *Source, ctx context.Context, sp spec, f crm.Filter, extra string,
	dec func(context.Context, mapRow) (T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		op := "query " + sp.object
		qs, err := soql(sp, f, extra, "Id")
		if err != nil {
			yield(zero, err)
			return
		}
		for _, q := range qs {
			for next := q; next != ""; {
				res, err := s.query(ctx, op, next)
				if err != nil {
					yield(zero, err)
					return
				}
				next = ""
				if !res.Done {
					next = res.NextRecordsURL
				}
				recs := res.Records
				for i := range recs {
					if err := ctx.Err(); err != nil {
						yield(zero, &crm.APIError{Op: op, Cause: err})
						return
					}
					v, err := dec(ctx, mapRow(recs[i]))
					recs[i] = nil // release the page as we go
					if err != nil {
						yield(zero, err)
						return
					}
					if !yield(v, nil) {
						return
					}
				}
			}
		}
	}
}

func plain[T any](dec func(row) (T, error)) func(context.Context, mapRow) (T, error) {
	return func(_ context.Context, m mapRow) (T, error) { return dec(m) }
}

// choose returns the Bulk stream with WithBulk, the REST one without a threshold or for an ID
// list, and otherwise decides by counting the records first (WithBulkThreshold).
func choose[T any](s *Source, ctx context.Context, sp spec, f crm.Filter, rest, bulk func() iter.Seq2[T, error]) iter.Seq2[T, error] {
	switch {
	case s.opt.bulk:
		return bulk()
	case s.opt.bulkMin <= 0 || len(f.IDs) > 0:
		return rest()
	}
	return func(yield func(T, error) bool) {
		n, err := s.count(ctx, sp, f)
		if err != nil {
			var zero T
			yield(zero, err)
			return
		}
		seq := rest()
		if n >= s.opt.bulkMin {
			seq = bulk()
		}
		for v, err := range seq {
			if !yield(v, err) {
				return
			}
		}
	}
}

// count returns the number of sp's records under f (SELECT COUNT()).
func (s *Source) count(ctx context.Context, sp spec, f crm.Filter) (int, error) {
	c := sp
	c.fields, c.order = []string{"COUNT()"}, ""
	qs, err := soql(c, crm.Filter{ModifiedSince: f.ModifiedSince}, "", "Id")
	if err != nil {
		return 0, err
	}
	res, err := s.query(ctx, "count "+sp.object, qs[0])
	if err != nil {
		return 0, err
	}
	return res.TotalSize, nil
}

// Leads streams the org's unconverted leads (REST, or Bulk with [WithBulk]), in Id order.
func (s *Source) Leads(ctx context.Context, f crm.Filter) iter.Seq2[crm.Lead, error] {
	return s.leads(ctx, leadSpec, f)
}

func (s *Source) leads(ctx context.Context, sp spec, f crm.Filter) iter.Seq2[crm.Lead, error] {
	return choose(s, ctx, sp, f,
		func() iter.Seq2[crm.Lead, error] { return restSeq(s, ctx, sp, f, "", plain(decodeLead)) },
		func() iter.Seq2[crm.Lead, error] { return bulkSeq(s, ctx, sp, f, "Id", decodeLead) })
}

// Contacts streams the org's contacts, in Id order; City and Country are the mailing address's.
func (s *Source) Contacts(ctx context.Context, f crm.Filter) iter.Seq2[crm.Contact, error] {
	return s.contacts(ctx, contactSpec, f)
}

func (s *Source) contacts(ctx context.Context, sp spec, f crm.Filter) iter.Seq2[crm.Contact, error] {
	return choose(s, ctx, sp, f,
		func() iter.Seq2[crm.Contact, error] { return restSeq(s, ctx, sp, f, "", plain(decodeContact)) },
		func() iter.Seq2[crm.Contact, error] { return bulkSeq(s, ctx, sp, f, "Id", decodeContact) })
}

// Accounts streams the org's accounts, in Id order; City and Country are the billing address's.
func (s *Source) Accounts(ctx context.Context, f crm.Filter) iter.Seq2[crm.Account, error] {
	return s.accounts(ctx, accountSpec, f)
}

func (s *Source) accounts(ctx context.Context, sp spec, f crm.Filter) iter.Seq2[crm.Account, error] {
	return choose(s, ctx, sp, f,
		func() iter.Seq2[crm.Account, error] { return restSeq(s, ctx, sp, f, "", plain(decodeAccount)) },
		func() iter.Seq2[crm.Account, error] { return bulkSeq(s, ctx, sp, f, "Id", decodeAccount) })
}

// Opportunities streams the org's opportunities with their contact roles' contact IDs (sorted):
// over REST with an OpportunityContactRoles subquery, in Bulk mode from a separate
// OpportunityContactRole job read before the opportunities.
func (s *Source) Opportunities(ctx context.Context, f crm.Filter) iter.Seq2[crm.Opportunity, error] {
	sp := s.opportunities()
	rest := func() iter.Seq2[crm.Opportunity, error] {
		return restSeq(s, ctx, sp, f, contactRolesSubquery+", "+historySubquery, func(ctx context.Context, m mapRow) (crm.Opportunity, error) {
			o, err := decodeOpportunity(m)
			if err != nil {
				return o, err
			}
			if o.ContactIDs, err = s.contactRoles(ctx, m); err != nil {
				return o, err
			}
			o.History, err = s.history(ctx, m)
			return o, err
		})
	}
	return choose(s, ctx, sp, f, rest, func() iter.Seq2[crm.Opportunity, error] { return bulkOpportunities(s, ctx, sp, f) })
}

// contactRoles reads the OpportunityContactRoles subquery result of one opportunity.
func (s *Source) contactRoles(ctx context.Context, m mapRow) ([]string, error) {
	var ids []string
	err := s.subquery(ctx, m, "OpportunityContactRoles", "query OpportunityContactRole", func(rm map[string]any) error {
		if id, _ := rm["ContactId"].(string); id != "" {
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

// history reads the OpportunityHistories subquery result of one opportunity as stage changes.
func (s *Source) history(ctx context.Context, m mapRow) ([]crm.StageChange, error) {
	var h []crm.StageChange
	err := s.subquery(ctx, m, "OpportunityHistories", "query OpportunityHistory", func(rm map[string]any) error {
		stage, _ := rm["StageName"].(string)
		created, _ := rm["CreatedDate"].(string)
		at, err := parseDatetime(created, "OpportunityHistory", "CreatedDate")
		if err != nil {
			return err
		}
		if stage != "" && !at.IsZero() {
			h = append(h, crm.StageChange{Stage: stage, At: at})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return stageHistory(h), nil
}

// subquery calls fn for each record of the parent-to-child subquery result name of one record,
// following its nextRecordsUrl if Salesforce paged it.
func (s *Source) subquery(ctx context.Context, m mapRow, name, op string, fn func(map[string]any) error) error {
	sub, ok := m.get(name).(map[string]any)
	if !ok {
		return nil
	}
	for {
		recs, _ := sub["records"].([]any)
		for _, r := range recs {
			if rm, ok := r.(map[string]any); ok {
				if err := fn(rm); err != nil {
					return err
				}
			}
		}
		done, _ := sub["done"].(bool)
		next, _ := sub["nextRecordsUrl"].(string)
		if done || next == "" {
			return nil
		}
		res, err := s.query(ctx, op, next)
		if err != nil {
			return err
		}
		recsAny := make([]any, len(res.Records))
		for i, r := range res.Records {
			recsAny[i] = map[string]any(r)
		}
		sub = map[string]any{"records": recsAny, "done": res.Done, "nextRecordsUrl": res.NextRecordsURL}
	}
}

// Stages streams the active opportunity stages in pipeline order. Name is the stage's API name
// (the value stored in Opportunity.StageName), falling back to its label.
func (s *Source) Stages(ctx context.Context) iter.Seq2[crm.OpportunityStage, error] {
	return restSeq(s, ctx, stageSpec, crm.Filter{}, "", plain(decodeStage))
}

// Users streams the org's users, active or not, with their role (UserRoleId).
func (s *Source) Users(ctx context.Context) iter.Seq2[crm.User, error] {
	return restSeq(s, ctx, userSpec, crm.Filter{}, "", plain(decodeUser))
}

// Roles streams the role hierarchy (UserRole; ParentID is ParentRoleId, empty at the top).
func (s *Source) Roles(ctx context.Context) iter.Seq2[crm.Role, error] {
	return restSeq(s, ctx, roleSpec, crm.Filter{}, "", plain(decodeRole))
}
