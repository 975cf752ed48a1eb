package dynamics

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"iter"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/crmlink/crmlink/crm"
)

// idChunk is how many IDs go in one $filter, to keep GET URLs short.
const idChunk = 50

// ctxCheckEvery is how often (in rows) decoding checks the context; yielding checks it per row.
const ctxCheckEvery = 64

// malformedJSONError is the cause of an ErrMalformed APIError: it says where, never what.
type malformedJSONError struct {
	Offset int64
	Reason string
}

func (e *malformedJSONError) Error() string {
	return "invalid response body at byte " + strconv.FormatInt(e.Offset, 10) + ": " + e.Reason
}

// Rows as Dataverse sends them, with $select and odata.include-annotations.

type leadRow struct {
	ID         string    `json:"leadid"`
	FirstName  string    `json:"firstname"`
	LastName   string    `json:"lastname"`
	Company    string    `json:"companyname"`
	Title      string    `json:"jobtitle"`
	Email      string    `json:"emailaddress1"`
	City       string    `json:"address1_city"`
	Country    string    `json:"address1_country"`
	OwnerID    string    `json:"_ownerid_value"`
	ModifiedOn time.Time `json:"modifiedon"`
}

type contactRow struct {
	ID             string    `json:"contactid"`
	FirstName      string    `json:"firstname"`
	LastName       string    `json:"lastname"`
	Title          string    `json:"jobtitle"`
	Email          string    `json:"emailaddress1"`
	ParentCustomer string    `json:"_parentcustomerid_value"`
	ParentTable    string    `json:"_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname"`
	City           string    `json:"address1_city"`
	Country        string    `json:"address1_country"`
	OwnerID        string    `json:"_ownerid_value"`
	ModifiedOn     time.Time `json:"modifiedon"`
}

type accountRow struct {
	ID         string    `json:"accountid"`
	Name       string    `json:"name"`
	Industry   string    `json:"industrycode@OData.Community.Display.V1.FormattedValue"`
	Website    string    `json:"websiteurl"`
	City       string    `json:"address1_city"`
	Country    string    `json:"address1_country"`
	OwnerID    string    `json:"_ownerid_value"`
	ModifiedOn time.Time `json:"modifiedon"`
}

type opportunityRow struct {
	ID            string    `json:"opportunityid"`
	Name          string    `json:"name"`
	ParentAccount string    `json:"_parentaccountid_value"`
	ParentContact string    `json:"_parentcontactid_value"`
	Customer      string    `json:"_customerid_value"`
	CustomerTable string    `json:"_customerid_value@Microsoft.Dynamics.CRM.lookuplogicalname"`
	StateCode     int       `json:"statecode"`
	SalesStage    string    `json:"salesstage@OData.Community.Display.V1.FormattedValue"`
	StepName      string    `json:"stepname"`
	StatusReason  string    `json:"statuscode@OData.Community.Display.V1.FormattedValue"`
	OwnerID       string    `json:"_ownerid_value"`
	ModifiedOn    time.Time `json:"modifiedon"`
	CreatedOn     time.Time `json:"createdon"`
	// Money columns: null when not filled in.
	EstimatedValue *float64  `json:"estimatedvalue"`
	ActualValue    *float64  `json:"actualvalue"`
	EstimatedClose odataDate `json:"estimatedclosedate"`
	ActualClose    odataDate `json:"actualclosedate"`
	// Currency is the expanded transactioncurrencyid lookup (expandCurrency); nil when empty.
	Currency *struct {
		ISOCode string `json:"isocurrencycode"`
	} `json:"transactioncurrencyid"`
}

// odataDate is a Dataverse date column: "2024-05-01" (DateOnly behaviour) or a date and time
// ("2024-04-30T22:00:00Z", user-local or time-zone independent behaviour), read as its UTC day
// at 00:00; null is zero.
type odataDate struct{ time.Time }

// UnmarshalJSON implements [json.Unmarshaler].
func (d *odataDate) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		d.Time = time.Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return errors.New("date column is not a string")
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		d.Time = t
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return errors.New("date column is not a date")
	}
	t = t.UTC()
	d.Time = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return nil
}

type connectionRow struct {
	Record1     string `json:"_record1id_value"`
	Record1Type string `json:"_record1id_value@Microsoft.Dynamics.CRM.lookuplogicalname"`
	Record2     string `json:"_record2id_value"`
	Record2Type string `json:"_record2id_value@Microsoft.Dynamics.CRM.lookuplogicalname"`
}

type userRow struct {
	ID           string `json:"systemuserid"`
	FullName     string `json:"fullname"`
	Email        string `json:"internalemailaddress"`
	Disabled     *bool  `json:"isdisabled"` // nil when missing or null: read as disabled
	BusinessUnit string `json:"_businessunitid_value"`
}

type teamRow struct {
	ID           string `json:"teamid"`
	Name         string `json:"name"`
	BusinessUnit string `json:"_businessunitid_value"`
}

// membershipRow is a row of teammembership, the intersect table of the systemuser-team N:N
// relationship: plain GUID columns, not lookups.
type membershipRow struct {
	Team string `json:"teamid"`
	User string `json:"systemuserid"`
}

type businessUnitRow struct {
	ID     string `json:"businessunitid"`
	Name   string `json:"name"`
	Parent string `json:"_parentbusinessunitid_value"`
}

// The $select lists. Primary keys are always returned, but are listed for clarity.
const (
	selectLeads         = "leadid,firstname,lastname,companyname,jobtitle,emailaddress1,address1_city,address1_country,_ownerid_value,modifiedon"
	selectContacts      = "contactid,firstname,lastname,jobtitle,emailaddress1,_parentcustomerid_value,address1_city,address1_country,_ownerid_value,modifiedon"
	selectAccounts      = "accountid,name,industrycode,websiteurl,address1_city,address1_country,_ownerid_value,modifiedon"
	selectOpportunities = "opportunityid,name,_parentaccountid_value,_parentcontactid_value,_customerid_value,statecode,statuscode,salesstage,stepname,_ownerid_value,modifiedon," +
		"createdon,estimatedvalue,actualvalue,estimatedclosedate,actualclosedate,_transactioncurrencyid_value" + expandCurrency
	selectConnections   = "_record1id_value,_record2id_value"
	selectUsers         = "systemuserid,fullname,internalemailaddress,isdisabled,_businessunitid_value"
	selectBusinessUnits = "businessunitid,name,_parentbusinessunitid_value"
	selectTeams         = "teamid,name,teamtype,_businessunitid_value"
	selectMemberships   = "teammembershipid,teamid,systemuserid"
)

// expandCurrency follows the opportunity's currency lookup to its ISO code; it rides on the
// $select list of the opportunities query.
const expandCurrency = "&$expand=transactioncurrencyid($select=isocurrencycode)"

// teamsFilter keeps the teams that can own records: owner teams (teamtype 0) and Microsoft Entra
// security and Office group teams (2, 3). Access teams (1) own nothing.
const teamsFilter = "teamtype ne 1"

// connectionsFilter selects the active connections from an opportunity to a contact (each
// connection also exists reversed; only this direction is read).
const connectionsFilter = "record1objecttypecode eq 3 and record2objecttypecode eq 2 and statecode eq 0"

// Leads streams the org's leads (all states; Dataverse's statecode is not part of
// [crm.Lead]), in leadid order. The iterator may be ranged over more than once; each range runs a new query.
func (s *Source) Leads(ctx context.Context, f crm.Filter) iter.Seq2[crm.Lead, error] {
	return s.leads(ctx, f, "")
}

func (s *Source) leads(ctx context.Context, f crm.Filter, after string) iter.Seq2[crm.Lead, error] {
	return readKeyed(s, ctx, "query leads", "leads", selectLeads, "leadid", f, after,
		func(r *leadRow) crm.Lead {
			return crm.Lead{ID: r.ID, FirstName: r.FirstName, LastName: r.LastName, Company: r.Company,
				Title: r.Title, Email: r.Email, City: r.City, Country: r.Country, OwnerID: r.OwnerID,
				ModifiedAt: r.ModifiedOn.UTC()}
		}, func(l crm.Lead) string { return l.ID })
}

// Contacts streams the org's contacts, in contactid order. AccountID is the parent customer when it is an
// account, or when the lookuplogicalname annotation is missing (a contact whose parent
// customer is another contact has no AccountID).
func (s *Source) Contacts(ctx context.Context, f crm.Filter) iter.Seq2[crm.Contact, error] {
	return s.contacts(ctx, f, "")
}

func (s *Source) contacts(ctx context.Context, f crm.Filter, after string) iter.Seq2[crm.Contact, error] {
	return readKeyed(s, ctx, "query contacts", "contacts", selectContacts, "contactid", f, after,
		func(r *contactRow) crm.Contact {
			c := crm.Contact{ID: r.ID, FirstName: r.FirstName, LastName: r.LastName, Title: r.Title,
				Email: r.Email, City: r.City, Country: r.Country, OwnerID: r.OwnerID, ModifiedAt: r.ModifiedOn.UTC()}
			if r.ParentTable == "account" || r.ParentTable == "" {
				c.AccountID = r.ParentCustomer
			}
			return c
		}, func(c crm.Contact) string { return c.ID })
}

// Accounts streams the org's accounts, in accountid order. Industry is the label of the industrycode option
// (its formatted value), never the org-specific integer.
func (s *Source) Accounts(ctx context.Context, f crm.Filter) iter.Seq2[crm.Account, error] {
	return s.accounts(ctx, f, "")
}

func (s *Source) accounts(ctx context.Context, f crm.Filter, after string) iter.Seq2[crm.Account, error] {
	return readKeyed(s, ctx, "query accounts", "accounts", selectAccounts, "accountid", f, after,
		func(r *accountRow) crm.Account {
			return crm.Account{ID: r.ID, Name: r.Name, Industry: r.Industry, Website: r.Website,
				City: r.City, Country: r.Country, OwnerID: r.OwnerID, ModifiedAt: r.ModifiedOn.UTC()}
		}, func(a crm.Account) string { return a.ID })
}

// Opportunities streams the org's opportunities. It first reads the org's
// opportunity-to-contact connections (the "Stakeholders" of an opportunity), then the
// opportunities themselves; see the package documentation for how AccountID, ContactIDs and
// Stage are derived.
func (s *Source) Opportunities(ctx context.Context, f crm.Filter) iter.Seq2[crm.Opportunity, error] {
	return func(yield func(crm.Opportunity, error) bool) {
		stakeholders := map[string][]string{}
		// Only the connections of the requested opportunities when IDs are given.
		conns := queryFiltered(s, ctx, "query connections", "connections", selectConnections, "_record1id_value",
			connectionsFilter, crm.Filter{IDs: f.IDs},
			func(r *connectionRow) connectionRow { return *r })
		for c, err := range conns {
			if err != nil {
				yield(crm.Opportunity{}, err)
				return
			}
			if c.Record2 == "" || c.Record2Type != "" && c.Record2Type != "contact" {
				continue
			}
			stakeholders[c.Record1] = append(stakeholders[c.Record1], c.Record2)
		}
		seq := queryFiltered(s, ctx, "query opportunities", "opportunities", selectOpportunities, "opportunityid", "", f,
			func(r *opportunityRow) crm.Opportunity {
				o := crm.Opportunity{ID: r.ID, Name: r.Name, AccountID: r.ParentAccount, IsClosed: r.StateCode != stateOpen,
					OwnerID: r.OwnerID, ModifiedAt: r.ModifiedOn.UTC(), Stage: r.SalesStage}
				switch {
				case o.IsClosed:
					o.Stage = r.StatusReason
				case s.opts.phases != nil:
					o.Stage = r.StepName
				}
				readReportFields(&o, r)
				if o.AccountID == "" && r.CustomerTable == "account" {
					o.AccountID = r.Customer
				}
				var ids []string
				if r.ParentContact != "" {
					ids = append(ids, r.ParentContact)
				}
				if r.CustomerTable == "contact" && r.Customer != "" {
					ids = append(ids, r.Customer)
				}
				ids = append(ids, stakeholders[r.ID]...)
				if len(ids) > 0 {
					slices.Sort(ids)
					o.ContactIDs = slices.Compact(ids)
				}
				return o
			})
		for o, err := range seq {
			if !yield(o, err) || err != nil {
				return
			}
		}
	}
}

// readReportFields fills what reports read of an opportunity: see the package documentation.
func readReportFields(o *crm.Opportunity, r *opportunityRow) {
	o.IsWon = r.StateCode == stateWon
	o.CreatedAt = r.CreatedOn.UTC()
	if r.Currency != nil {
		o.Currency = r.Currency.ISOCode
	}
	switch {
	case o.IsWon && r.ActualValue != nil:
		o.Amount = *r.ActualValue
	case r.EstimatedValue != nil:
		o.Amount = *r.EstimatedValue
	}
	o.CloseDate = r.EstimatedClose.Time
	if o.IsClosed && !r.ActualClose.IsZero() {
		o.CloseDate = r.ActualClose.Time
	}
	// Dataverse keeps no stage history in the opportunity row: the one change known is the
	// closing, into the closed stage (the status reason) on the close date.
	if o.IsClosed && !o.CloseDate.IsZero() && o.Stage != "" {
		o.History = []crm.StageChange{{Stage: o.Stage, At: o.CloseDate}}
	}
}

// Users streams the org's system users (application users included). IsActive is the
// negation of isdisabled; a missing or null isdisabled reads as disabled (inactive), the safe
// reading. BusinessUnitID is the user's business unit.
func (s *Source) Users(ctx context.Context) iter.Seq2[crm.User, error] {
	return query(s, ctx, "query systemusers", s.collectionURL("systemusers", selectUsers, ""),
		func(r *userRow) crm.User {
			return crm.User{ID: r.ID, Name: r.FullName, Email: r.Email, BusinessUnitID: r.BusinessUnit,
				IsActive: r.Disabled != nil && !*r.Disabled}
		})
}

// Teams streams the org's teams that can own records (owner teams and Microsoft Entra group
// teams; not access teams), each with its business unit and its members (sorted), read from
// teammembership first and held in memory as IDs only. It implements [crm.TeamLister]: records
// whose _ownerid_value is a team are visible to its members and through its business unit.
func (s *Source) Teams(ctx context.Context) iter.Seq2[crm.Team, error] {
	return func(yield func(crm.Team, error) bool) {
		members := map[string][]string{}
		for m, err := range query(s, ctx, "query teammemberships", s.collectionURL("teammemberships", selectMemberships, ""),
			func(r *membershipRow) membershipRow { return *r }) {
			if err != nil {
				yield(crm.Team{}, err)
				return
			}
			if m.Team != "" && m.User != "" {
				members[m.Team] = append(members[m.Team], m.User)
			}
		}
		teams := query(s, ctx, "query teams", s.collectionURL("teams", selectTeams, teamsFilter),
			func(r *teamRow) crm.Team {
				ids := members[r.ID]
				slices.Sort(ids)
				return crm.Team{ID: r.ID, Name: r.Name, BusinessUnitID: r.BusinessUnit, MemberIDs: slices.Compact(ids)}
			})
		for t, err := range teams {
			if !yield(t, err) || err != nil {
				return
			}
		}
	}
}

// Roles streams the org's business units as [crm.Role] nodes: ParentID is the parent
// business unit (empty for the root). Dataverse security roles are not read.
func (s *Source) Roles(ctx context.Context) iter.Seq2[crm.Role, error] {
	return query(s, ctx, "query businessunits", s.collectionURL("businessunits", selectBusinessUnits, ""),
		func(r *businessUnitRow) crm.Role {
			return crm.Role{ID: r.ID, Name: r.Name, ParentID: r.Parent}
		})
}

// collectionURL builds <base><set>?$select=...&$filter=...
func (s *Source) collectionURL(set, sel, filter string) string {
	var b strings.Builder
	b.WriteString(s.base.String())
	b.WriteString(set)
	b.WriteString("?$select=")
	b.WriteString(sel)
	if filter != "" {
		b.WriteString("&$filter=")
		b.WriteString(escapeQuery(filter))
	}
	return b.String()
}

// escapeQuery percent-encodes a query option value (spaces as %20, never '+').
func escapeQuery(v string) string {
	return strings.ReplaceAll(url.QueryEscape(v), "+", "%20")
}

// validID reports whether id can be written unquoted in a $filter (a GUID, or at least
// nothing but letters, digits and hyphens), which also rules out injection.
func validID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-') {
			return false
		}
	}
	return true
}

// filterClauses returns the $filter values to query: one, or one per chunk of IDs.
func filterClauses(op, key, extra string, f crm.Filter) ([]string, error) {
	var base []string
	if extra != "" {
		base = append(base, extra)
	}
	if !f.ModifiedSince.IsZero() {
		base = append(base, "modifiedon ge "+f.ModifiedSince.UTC().Format(time.RFC3339Nano))
	}
	if len(f.IDs) == 0 {
		return []string{strings.Join(base, " and ")}, nil
	}
	ids := slices.Clone(f.IDs)
	for _, id := range ids {
		if !validID(id) {
			return nil, &crm.APIError{Op: op, Class: crm.ErrMalformedQuery, Code: "invalid_id"}
		}
	}
	// In the order of the primary key, so that reads in that order ($orderby) stay in it from one
	// chunk to the next.
	sortGUIDs(ids)
	ids = slices.Compact(ids)
	var out []string
	for chunk := range slices.Chunk(ids, idChunk) {
		var b strings.Builder
		b.WriteString("(")
		for i, id := range chunk {
			if i > 0 {
				b.WriteString(" or ")
			}
			b.WriteString(key)
			b.WriteString(" eq ")
			b.WriteString(id)
		}
		b.WriteString(")")
		out = append(out, strings.Join(append(slices.Clone(base), b.String()), " and "))
	}
	return out, nil
}

// queryFiltered runs one query per $filter chunk (see filterClauses) and chains them.
func queryFiltered[R, T any](s *Source, ctx context.Context, op, set, sel, key, extra string, f crm.Filter, conv func(*R) T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		filters, err := filterClauses(op, key, extra, f)
		if err != nil {
			yield(zero, err)
			return
		}
		for _, filter := range filters {
			for t, err := range query(s, ctx, op, s.collectionURL(set, sel, filter), conv) {
				if !yield(t, err) || err != nil {
					return
				}
			}
		}
	}
}

// query pages through a collection from first, following @odata.nextLink. Each page is
// decoded (streaming, without buffering the body) into a reused slice, its body closed, and
// then yielded; ctx is checked while decoding and yielding.
func query[R, T any](s *Source, ctx context.Context, op, first string, conv func(*R) T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var (
			zero T
			rows []R
			err  error
		)
		for u := first; u != ""; {
			if cerr := ctx.Err(); cerr != nil {
				yield(zero, &crm.APIError{Op: op, Cause: cerr})
				return
			}
			var next string
			rows, next, err = fetchPage(s, ctx, op, u, rows[:0])
			if err != nil {
				yield(zero, err)
				return
			}
			for i := range rows {
				if cerr := ctx.Err(); cerr != nil {
					yield(zero, &crm.APIError{Op: op, Cause: cerr})
					return
				}
				if !yield(conv(&rows[i]), nil) {
					return
				}
			}
			if next != "" {
				if err := s.checkNextLink(next); err != nil {
					yield(zero, &crm.APIError{Op: op, Class: crm.ErrMalformed, Cause: err})
					return
				}
			}
			u = next
		}
	}
}

// errForeignNextLink is returned when a nextLink leaves the org: the token is never sent
// anywhere but the org URL.
var errForeignNextLink = errors.New("dynamics: @odata.nextLink points outside the org URL")

func (s *Source) checkNextLink(next string) error {
	u, err := url.Parse(next)
	if err != nil || u.Scheme != s.base.Scheme || u.Host != s.base.Host || !strings.HasPrefix(u.Path, s.base.Path) {
		return errForeignNextLink
	}
	return nil
}

// fetchPage GETs one page and decodes it into dst.
func fetchPage[R any](s *Source, ctx context.Context, op, u string, dst []R) ([]R, string, error) {
	resp, err := s.do(ctx, request{op: op, method: http.MethodGet, url: u,
		prefer: "odata.maxpagesize=" + strconv.Itoa(s.page) + "," + preferAnnotations})
	if err != nil {
		return dst, "", err
	}
	defer resp.Body.Close()
	rows, next, err := decodePage(ctx, resp.Body, dst)
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return rows, "", &crm.APIError{Op: op, Cause: cerr}
		}
		var me *malformedJSONError
		if errors.As(err, &me) {
			return rows, "", &crm.APIError{Op: op, Status: resp.StatusCode, Class: crm.ErrMalformed, Cause: me}
		}
		return rows, "", transportError(ctx, op, err)
	}
	return rows, next, nil
}

// decodePage reads {"@odata.context":..., "value":[...], "@odata.nextLink":...} from r,
// appending each row of value to dst. Other top-level members are skipped. Syntax and type
// errors are *malformedJSONError (offset only); read errors are returned as is.
func decodePage[R any](ctx context.Context, r io.Reader, dst []R) ([]R, string, error) {
	src := &readErrRecorder{r: r}
	dec := json.NewDecoder(src)
	var next string
	malformed := func(reason string, err error) error {
		if src.err != nil {
			return src.err // the connection failed (or ctx ended): not the server's JSON
		}
		return &malformedJSONError{Offset: dec.InputOffset(), Reason: reason}
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return dst, "", malformed("expected an object", err)
	}
	sawValue := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return dst, "", malformed("expected a member name", err)
		}
		key, _ := tok.(string)
		switch key {
		case "value":
			sawValue = true
			if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
				return dst, "", malformed("value is not an array", err)
			}
			for n := 0; dec.More(); n++ {
				if n%ctxCheckEvery == ctxCheckEvery-1 {
					if err := ctx.Err(); err != nil {
						return dst, "", err
					}
				}
				var zero R
				dst = append(dst, zero)
				if err := dec.Decode(&dst[len(dst)-1]); err != nil {
					return dst[:len(dst)-1], "", malformed("invalid row", err)
				}
			}
			if _, err := dec.Token(); err != nil {
				return dst, "", malformed("unterminated value array", err)
			}
		case "@odata.nextLink":
			if err := dec.Decode(&next); err != nil {
				return dst, "", malformed("invalid @odata.nextLink", err)
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return dst, "", malformed("invalid member", err)
			}
		}
	}
	if _, err := dec.Token(); err != nil {
		return dst, "", malformed("unterminated object", err)
	}
	if !sawValue {
		return dst, "", malformed("no value array", nil)
	}
	return dst, next, nil
}

// readErrRecorder remembers the first read error other than io.EOF, so that decoding failures
// can be told apart from transport failures.
type readErrRecorder struct {
	r   io.Reader
	err error
}

func (e *readErrRecorder) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF && e.err == nil {
		e.err = err
	}
	return n, err
}

// maxObjectBody bounds a single-object response (metadata), which is never paged.
const maxObjectBody = 8 << 20

// decodeObject decodes one JSON object response into v and maps failures to APIErrors.
func decodeObject(ctx context.Context, op string, resp *http.Response, v any) error {
	src := &readErrRecorder{r: io.LimitReader(resp.Body, maxObjectBody)}
	dec := json.NewDecoder(src)
	if err := dec.Decode(v); err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return &crm.APIError{Op: op, Cause: cerr}
		}
		if src.err == nil {
			return &crm.APIError{Op: op, Status: resp.StatusCode, Class: crm.ErrMalformed,
				Cause: &malformedJSONError{Offset: dec.InputOffset(), Reason: "invalid object"}}
		}
		err = src.err
		return transportError(ctx, op, err)
	}
	return nil
}
