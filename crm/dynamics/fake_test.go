package dynamics_test

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/dynamics"
	"github.com/crmlink/crmlink/crm/sourcetest"
)

// fakeOrg is a local Dataverse Web API v9.2 and Entra ID token endpoint over TLS, replaying the
// shapes of shared/reference/dynamics.md: $select, a subset of $filter (evaluated for real,
// lambdas included), $orderby of the primary key (GUIDs in SQL Server's order), Prefer: odata.maxpagesize with opaque $skiptoken nextLinks, formatted-value
// and lookuplogicalname annotations, the option-set metadata, error bodies, and task/annotation
// creation with @odata.bind.
type fakeOrg struct {
	t   testing.TB
	srv *httptest.Server

	tables map[string][]row // entity set -> rows, in a stable order
	keys   map[string]string
	sales  []stageOption // open stages, pipeline order
	status []stageOption // statuscode options

	// hook, when set, sees every API request first; returning true means it answered.
	hook func(w http.ResponseWriter, r *http.Request) bool

	mu        sync.Mutex
	tokens    map[string]bool
	issued    int
	requests  []string // method + " " + path (no query) of every API request
	prefers   []string
	created   []created
	completed []string
	nextID    int

	tokenCalls atomic.Int64
}

type row = map[string]any

type stageOption struct {
	value int
	state int
	label string
}

type created struct {
	set  string
	id   string
	body map[string]any
}

const secretToken = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.fake-secret-token"

// Industry option values of the default industrycode choice (reference §3).
var industryCodes = map[string]int{"Consulting": 7, "Financial": 16, "Insurance": 20, "Durable Manufacturing": 12, "Business Services": 6}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func lookup(r row, prop, id, table string) {
	if id == "" {
		r[prop] = nil
		return
	}
	r[prop] = id
	r[prop+"@Microsoft.Dynamics.CRM.lookuplogicalname"] = table
	r[prop+"@Microsoft.Dynamics.CRM.associatednavigationproperty"] = strings.TrimSuffix(strings.TrimPrefix(prop, "_"), "_value")
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// newFakeOrg serves ds (users in business units) in Dataverse's shapes.
// The org's currencies (transactioncurrency rows), by ISO code.
var (
	currencyIDs   = map[string]string{"EUR": "c0e00000-0000-0000-0000-000000000978", "USD": "c0e00000-0000-0000-0000-000000000840"}
	currencyNames = map[string]string{"EUR": "Euro", "USD": "US Dollar"}
)

func newFakeOrg(t testing.TB, ds *sourcetest.Dataset) *fakeOrg {
	f := &fakeOrg{t: t, tables: map[string][]row{}, tokens: map[string]bool{}, keys: map[string]string{
		"leads": "leadid", "contacts": "contactid", "accounts": "accountid", "opportunities": "opportunityid",
		"systemusers": "systemuserid", "businessunits": "businessunitid", "connections": "connectionid",
		"tasks": "activityid", "annotations": "annotationid",
		"teams": "teamid", "teammemberships": "teammembershipid",
	}}
	etag := 81359849
	add := func(set string, r row) {
		etag++
		r["@odata.etag"] = fmt.Sprintf("W/\"%d\"", etag)
		f.tables[set] = append(f.tables[set], r)
	}
	for _, l := range ds.Leads {
		r := row{"leadid": l.ID, "firstname": nullable(l.FirstName), "lastname": nullable(l.LastName),
			"fullname": strings.TrimSpace(l.FirstName + " " + l.LastName), "companyname": nullable(l.Company),
			"jobtitle": nullable(l.Title), "emailaddress1": nullable(l.Email), "address1_city": nullable(l.City),
			"address1_country": nullable(l.Country), "statecode": 0, "modifiedon": stamp(l.ModifiedAt)}
		lookup(r, "_ownerid_value", l.OwnerID, "systemuser")
		add("leads", r)
	}
	for _, c := range ds.Contacts {
		r := row{"contactid": c.ID, "firstname": nullable(c.FirstName), "lastname": nullable(c.LastName),
			"fullname": strings.TrimSpace(c.FirstName + " " + c.LastName), "jobtitle": nullable(c.Title),
			"emailaddress1": nullable(c.Email), "address1_city": nullable(c.City), "address1_country": nullable(c.Country),
			"statecode": 0, "modifiedon": stamp(c.ModifiedAt)}
		lookup(r, "_ownerid_value", c.OwnerID, "systemuser")
		lookup(r, "_parentcustomerid_value", c.AccountID, "account")
		add("contacts", r)
	}
	for _, a := range ds.Accounts {
		r := row{"accountid": a.ID, "name": nullable(a.Name), "websiteurl": nullable(a.Website),
			"address1_city": nullable(a.City), "address1_country": nullable(a.Country), "statecode": 0,
			"modifiedon": stamp(a.ModifiedAt), "industrycode": nil}
		if a.Industry != "" {
			code, ok := industryCodes[a.Industry]
			require.True(t, ok, "fake has no industry code for the fixture's industry")
			r["industrycode"] = code
			r["industrycode@OData.Community.Display.V1.FormattedValue"] = a.Industry
		}
		lookup(r, "_ownerid_value", a.OwnerID, "systemuser")
		add("accounts", r)
	}
	// Stages: open ones become salesstage options, in pipeline order but with option values
	// deliberately NOT in that order; closed ones become statuscode options of state Won/Lost.
	stages := slices.Clone(ds.Stages)
	slices.SortFunc(stages, func(a, b crm.OpportunityStage) int { return cmp.Compare(a.SortOrder, b.SortOrder) })
	f.status = []stageOption{{1, 0, "In Progress"}, {2, 0, "On Hold"}}
	var open int
	for _, s := range stages {
		if !s.IsClosed {
			open++
		}
	}
	for i, s := range stages {
		switch {
		case !s.IsClosed:
			f.sales = append(f.sales, stageOption{value: 100000000 + (open-i)*10, label: s.Name})
		case s.IsWon:
			f.status = append(f.status, stageOption{value: 3 + i, state: 1, label: s.Name})
		default:
			f.status = append(f.status, stageOption{value: 3 + i, state: 2, label: s.Name})
		}
	}
	conn := 0
	for i, o := range ds.Opportunities {
		r := row{"opportunityid": o.ID, "name": nullable(o.Name), "modifiedon": stamp(o.ModifiedAt),
			"createdon": stamp(o.CreatedAt), "closeprobability": 40, "stepname": nil,
			"estimatedvalue": nil, "actualvalue": nil, "estimatedclosedate": nil, "actualclosedate": nil}
		// Money as JSON numbers; a won opportunity's actual value differs from its estimate, and
		// a closed one's expected close date from its actual one. Expected close dates come as
		// days (DateOnly behaviour), actual ones with a time (user-local behaviour, here UTC).
		if o.Amount != 0 {
			r["estimatedvalue"] = o.Amount
			if o.IsWon {
				r["estimatedvalue"], r["actualvalue"] = o.Amount+1000, o.Amount
			}
		}
		if !o.CloseDate.IsZero() {
			r["estimatedclosedate"] = o.CloseDate.Format(time.DateOnly)
			if o.IsClosed {
				r["estimatedclosedate"] = o.CloseDate.AddDate(0, 1, 0).Format(time.DateOnly)
				r["actualclosedate"] = stamp(o.CloseDate)
			}
		}
		lookup(r, "_transactioncurrencyid_value", currencyIDs[o.Currency], "transactioncurrency")
		if o.Currency != "" {
			r["_transactioncurrencyid_value@OData.Community.Display.V1.FormattedValue"] = currencyNames[o.Currency]
			r["transactioncurrencyid"] = row{"isocurrencycode": o.Currency, "transactioncurrencyid": currencyIDs[o.Currency]}
		}
		lookup(r, "_ownerid_value", o.OwnerID, "systemuser")
		// Half the opportunities name their account only as the potential customer.
		switch {
		case o.AccountID != "" && i%2 == 0:
			lookup(r, "_parentaccountid_value", o.AccountID, "account")
			lookup(r, "_customerid_value", o.AccountID, "account")
		case o.AccountID != "":
			lookup(r, "_parentaccountid_value", "", "")
			lookup(r, "_customerid_value", o.AccountID, "account")
		case len(o.ContactIDs) > 0:
			lookup(r, "_parentaccountid_value", "", "")
			lookup(r, "_customerid_value", o.ContactIDs[0], "contact")
		}
		lookup(r, "_parentcontactid_value", "", "")
		for j, c := range o.ContactIDs {
			if j == 0 {
				lookup(r, "_parentcontactid_value", c, "contact")
				continue
			}
			conn++
			cr := row{"connectionid": fmt.Sprintf("c0nn0000-0000-0000-0000-%012d", conn),
				"record1objecttypecode": 3, "record2objecttypecode": 2, "statecode": 0}
			lookup(cr, "_record1id_value", o.ID, "opportunity")
			lookup(cr, "_record2id_value", c, "contact")
			add("connections", cr)
		}
		if o.IsClosed {
			st := f.option(f.status, o.Stage)
			r["statecode"], r["statuscode"] = st.state, st.value
			r["statecode@OData.Community.Display.V1.FormattedValue"] = map[int]string{1: "Won", 2: "Lost"}[st.state]
			r["statuscode@OData.Community.Display.V1.FormattedValue"] = st.label
			r["salesstage"] = f.sales[len(f.sales)-1].value
			r["salesstage@OData.Community.Display.V1.FormattedValue"] = f.sales[len(f.sales)-1].label
		} else {
			st := f.option(f.sales, o.Stage)
			r["statecode"], r["statuscode"] = 0, 1
			r["statecode@OData.Community.Display.V1.FormattedValue"] = "Open"
			r["statuscode@OData.Community.Display.V1.FormattedValue"] = "In Progress"
			r["salesstage"] = st.value
			r["salesstage@OData.Community.Display.V1.FormattedValue"] = st.label
		}
		add("opportunities", r)
	}
	// An opportunity connected to an account (not a contact) must be ignored by the reader.
	if len(ds.Opportunities) > 0 && len(ds.Accounts) > 0 {
		cr := row{"connectionid": "c0nn0000-0000-0000-0000-999999999999", "record1objecttypecode": 3, "record2objecttypecode": 1, "statecode": 0}
		lookup(cr, "_record1id_value", ds.Opportunities[0].ID, "opportunity")
		lookup(cr, "_record2id_value", ds.Accounts[0].ID, "account")
		add("connections", cr)
		// An inactive (ended) stakeholder connection must be ignored too.
		cr = row{"connectionid": "c0nn0000-0000-0000-0000-999999999998", "record1objecttypecode": 3, "record2objecttypecode": 2, "statecode": 1}
		lookup(cr, "_record1id_value", ds.Opportunities[0].ID, "opportunity")
		lookup(cr, "_record2id_value", ds.Contacts[len(ds.Contacts)-1].ID, "contact")
		add("connections", cr)
	}
	for _, u := range ds.Users {
		r := row{"systemuserid": u.ID, "fullname": nullable(u.Name), "internalemailaddress": nullable(u.Email),
			"isdisabled": !u.IsActive, "domainname": nullable(u.Email)}
		lookup(r, "_businessunitid_value", u.BusinessUnitID, "businessunit")
		add("systemusers", r)
	}
	for _, b := range ds.Roles {
		r := row{"businessunitid": b.ID, "name": nullable(b.Name), "isdisabled": false}
		lookup(r, "_parentbusinessunitid_value", b.ParentID, "businessunit")
		add("businessunits", r)
	}
	f.srv = httptest.NewTLSServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// usePipelinePhases rewrites the opportunities as an org driven by a business process flow:
// stepname carries the open stage and salesstage is left at its first option everywhere.
// It returns the phases in pipeline order.
func (f *fakeOrg) usePipelinePhases() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.tables["opportunities"] {
		if r["statecode"] == 0 {
			r["stepname"] = r["salesstage@OData.Community.Display.V1.FormattedValue"]
		} else {
			r["stepname"] = "closed"
		}
		r["salesstage"] = f.sales[0].value
		r["salesstage@OData.Community.Display.V1.FormattedValue"] = f.sales[0].label
	}
	var phases []string
	for _, o := range f.sales {
		phases = append(phases, o.label)
	}
	f.sales = nil // the salesstage metadata must not be needed
	return phases
}

func (f *fakeOrg) option(opts []stageOption, label string) stageOption {
	for _, o := range opts {
		if o.label == label {
			return o
		}
	}
	f.t.Fatalf("fake: no option for a fixture stage")
	return stageOption{}
}

// config is a dynamics.Config for the fake with client credentials.
func (f *fakeOrg) config() dynamics.Config {
	return dynamics.Config{
		OrgURL: f.srv.URL,
		Credentials: &clientcredentials.Config{
			ClientID: "535fb089-9ff3-47b6-9bfb-4f1264799865", ClientSecret: "s3cr3t-client-value",
			TokenURL: f.srv.URL + "/tenant-id/oauth2/v2.0/token",
		},
		HTTPClient: f.srv.Client(),
		PageSize:   7,
	}
}

func (f *fakeOrg) source(t testing.TB, opts ...dynamics.Option) *dynamics.Source {
	t.Helper()
	ctx := context.Background()
	s, err := dynamics.New(ctx, f.config(), opts...)
	require.NoError(t, err)
	return s
}

// loadPage adds the rows of a collection page in testdata (the Web API's {"value": [...]} shape)
// to the table set.
func (f *fakeOrg) loadPage(set, file string) {
	f.t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", file))
	require.NoError(f.t, err)
	var page struct {
		Value []row `json:"value"`
	}
	require.NoError(f.t, json.Unmarshal(data, &page))
	require.NotEmpty(f.t, page.Value)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tables[set] = append(f.tables[set], page.Value...)
}

// setOwner makes the row id of set owned by owner, a row of table ("systemuser" or "team").
func (f *fakeOrg) setOwner(set, id, owner, table string) {
	f.t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.tables[set] {
		if r[f.keys[set]] == id {
			lookup(r, "_ownerid_value", owner, table)
			return
		}
	}
	f.t.Fatalf("fake: no row %s in %s", id, set)
}

// editRow changes the row id of set in place.
func (f *fakeOrg) editRow(set, id string, edit func(row)) {
	f.t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.tables[set] {
		if r[f.keys[set]] == id {
			edit(r)
			return
		}
	}
	f.t.Fatalf("fake: no row %s in %s", id, set)
}

// expireTokens makes every token issued so far invalid (an expired session).
func (f *fakeOrg) expireTokens() {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.tokens)
}

func (f *fakeOrg) requestLog() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.requests)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; odata.metadata=minimal")
	w.Header().Set("OData-Version", "4.0")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func dvError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{"code": code, "message": msg}})
}

func (f *fakeOrg) serve(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, "/oauth2/v2.0/token") {
		f.serveToken(w, r)
		return
	}
	const api = "/api/data/v9.2/"
	if !strings.HasPrefix(r.URL.Path, api) {
		http.NotFound(w, r)
		return
	}
	f.mu.Lock()
	f.requests = append(f.requests, r.Method+" "+r.URL.Path)
	f.prefers = append(f.prefers, r.Header.Get("Prefer"))
	ok := f.tokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
	f.mu.Unlock()
	if f.hook != nil && f.hook(w, r) {
		return
	}
	if !ok {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token", error_description="The access token has expired"`)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if r.Header.Get("OData-Version") != "4.0" || r.Header.Get("OData-MaxVersion") != "4.0" {
		dvError(w, http.StatusBadRequest, "0x80060888", "OData version headers missing")
		return
	}
	res := strings.TrimPrefix(r.URL.Path, api)
	switch {
	case strings.HasPrefix(res, "EntityDefinitions(LogicalName='opportunity')/Attributes(LogicalName='salesstage')/Microsoft.Dynamics.CRM.PicklistAttributeMetadata"):
		if f.sales == nil {
			dvError(w, http.StatusNotFound, "0x80040217", "salesstage metadata not served by this org")
			return
		}
		f.serveOptions(w, "salesstage", f.sales, false)
	case strings.HasPrefix(res, "EntityDefinitions(LogicalName='opportunity')/Attributes(LogicalName='statuscode')/Microsoft.Dynamics.CRM.StatusAttributeMetadata"):
		f.serveOptions(w, "statuscode", f.status, true)
	case r.Method == http.MethodGet:
		f.serveCollection(w, r, res)
	case r.Method == http.MethodPost && (res == "tasks" || res == "annotations"):
		f.serveCreate(w, r, res)
	case r.Method == http.MethodPatch && strings.HasPrefix(res, "tasks("):
		f.serveCompleteTask(w, r, strings.TrimSuffix(strings.TrimPrefix(res, "tasks("), ")"))
	default:
		dvError(w, http.StatusMethodNotAllowed, "0x80060888", "Resource not found for the segment")
	}
}

func (f *fakeOrg) serveToken(w http.ResponseWriter, r *http.Request) {
	f.tokenCalls.Add(1)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if r.PostForm.Get("grant_type") != "client_credentials" || id != "535fb089-9ff3-47b6-9bfb-4f1264799865" || secret != "s3cr3t-client-value" {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided."})
		return
	}
	if want := f.srv.URL + "/.default"; r.PostForm.Get("scope") != want {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "invalid_scope", "error_description": "AADSTS70011: The provided value for the input parameter 'scope' is not valid."})
		return
	}
	f.mu.Lock()
	f.issued++
	tok := fmt.Sprintf("%s-%d", secretToken, f.issued)
	f.tokens[tok] = true
	f.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": tok})
}

func (f *fakeOrg) serveOptions(w http.ResponseWriter, attr string, opts []stageOption, status bool) {
	var out []any
	for _, o := range opts {
		label := map[string]any{"Label": o.label, "LanguageCode": 1033, "IsManaged": true, "MetadataId": "8c4b3f1e-0000-0000-0000-000000000000", "HasChanged": nil}
		m := map[string]any{"Value": o.value, "Color": nil, "IsManaged": true, "ExternalValue": "", "ParentValues": []any{},
			"MetadataId": nil, "HasChanged": nil,
			"Label":       map[string]any{"LocalizedLabels": []any{label}, "UserLocalizedLabel": label},
			"Description": map[string]any{"LocalizedLabels": []any{}, "UserLocalizedLabel": nil}}
		if status {
			m["State"] = o.state
			m["TransitionData"] = nil
		}
		out = append(out, m)
	}
	typ := "PicklistAttributeMetadata"
	if status {
		typ = "StatusAttributeMetadata"
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"@odata.context": f.srv.URL + "/api/data/v9.2/$metadata#EntityDefinitions('opportunity')/Attributes/Microsoft.Dynamics.CRM." + typ + "(LogicalName,OptionSet(Options))/$entity",
		"LogicalName":    attr, "MetadataId": "ab4f5f8f-0000-0000-0000-000000000000",
		"OptionSet": map[string]any{"MetadataId": "cd4f5f8f-0000-0000-0000-000000000000", "Options": out},
	})
}

func (f *fakeOrg) serveCollection(w http.ResponseWriter, r *http.Request, set string) {
	f.mu.Lock()
	rows := slices.Clone(f.tables[set])
	f.mu.Unlock()
	key, known := f.keys[set]
	if !known {
		dvError(w, http.StatusNotFound, "0x80060888", "Resource not found for the segment '"+set+"'.")
		return
	}
	q := r.URL.Query()
	if fl := q.Get("$filter"); fl != "" {
		e, err := parseFilter(fl)
		if err != nil {
			dvError(w, http.StatusBadRequest, "0x80060888", "Syntax error in $filter")
			return
		}
		var kept []row
		for _, rw := range rows {
			if truthy(e.eval(f, set, rw)) {
				kept = append(kept, rw)
			}
		}
		rows = kept
	}
	switch ob := q.Get("$orderby"); ob {
	case "":
		// Rows in the order they were added (Dataverse orders by primary key when asked only).
	case key, key + " asc":
		slices.SortStableFunc(rows, func(a, b row) int { return compareKeys(fmt.Sprint(a[key]), fmt.Sprint(b[key])) })
	default:
		dvError(w, http.StatusBadRequest, "0x80060888", "Could not find a property named in $orderby.")
		return
	}
	pageSize := 5000
	for p := range strings.SplitSeq(r.Header.Get("Prefer"), ",") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(p), "odata.maxpagesize="); ok {
			if n, err := strconv.Atoi(v); err == nil && n > 0 && n < pageSize {
				pageSize = n
			}
		}
	}
	start := 0
	if tok := q.Get("$skiptoken"); tok != "" {
		// An opaque paging cookie; the fake hides the offset inside it.
		_, after, _ := strings.Cut(tok, `pagenumber="`)
		n, _, _ := strings.Cut(after, `"`)
		start, _ = strconv.Atoi(n)
	}
	sel := map[string]bool{key: true}
	for s := range strings.SplitSeq(q.Get("$select"), ",") {
		sel[s] = true
	}
	switch ex := q.Get("$expand"); {
	case ex == "":
	case set == "opportunities" && ex == "transactioncurrencyid($select=isocurrencycode)":
		sel["transactioncurrencyid"] = true
	default:
		dvError(w, http.StatusBadRequest, "0x80060888", "Could not find a property named in $expand.")
		return
	}
	end := min(start+pageSize, len(rows))
	value := []row{}
	for _, rw := range rows[min(start, len(rows)):end] {
		out := row{}
		for k, v := range rw {
			base, _, _ := strings.Cut(k, "@")
			if sel[base] || k == "@odata.etag" {
				out[k] = v
			}
		}
		value = append(value, out)
	}
	body := map[string]any{
		"@odata.context": f.srv.URL + "/api/data/v9.2/$metadata#" + set + "(" + q.Get("$select") + ")",
		"value":          value,
	}
	if end < len(rows) {
		next := url.Values{}
		for k, v := range q {
			if k != "$skiptoken" {
				next[k] = v
			}
		}
		cookie := fmt.Sprintf(`<cookie pagenumber="%d" pagingcookie="%%3ccookie%%20page%%3d%%22%d%%22%%3e" istracking="False" />`, end, end/pageSize)
		body["@odata.nextLink"] = f.srv.URL + r.URL.Path + "?" + next.Encode() + "&$skiptoken=" + url.QueryEscape(cookie)
	}
	w.Header().Set("Preference-Applied", fmt.Sprintf(`odata.maxpagesize=%d,odata.include-annotations="*"`, pageSize))
	writeJSON(w, http.StatusOK, body)
}

func (f *fakeOrg) serveCreate(w http.ResponseWriter, r *http.Request, set string) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		dvError(w, http.StatusUnsupportedMediaType, "0x80048d19", "Content-Type must be application/json")
		return
	}
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		dvError(w, http.StatusBadRequest, "0x80048d19", "Error identified in Payload provided by the user")
		return
	}
	rw := row{}
	binds := 0
	for k, v := range body {
		nav, isBind := strings.CutSuffix(k, "@odata.bind")
		if !isBind {
			rw[k] = v
			continue
		}
		target, _ := v.(string)
		ok, col, table := f.checkBind(set, nav, target)
		if !ok {
			dvError(w, http.StatusBadRequest, "0x80048d19", "An undeclared property '"+nav+"' which only has property annotations in the payload")
			return
		}
		binds++
		lookup(rw, col, target[strings.IndexByte(target, '(')+1:len(target)-1], table)
	}
	if rw["subject"] == nil || binds == 0 {
		dvError(w, http.StatusBadRequest, "0x80040203", "required field missing")
		return
	}
	f.mu.Lock()
	f.nextID++
	id := fmt.Sprintf("d31ba648-c592-ed11-aad1-%012d", f.nextID)
	rw[f.keys[set]] = id
	rw["statecode"] = 0
	rw["createdon"], rw["modifiedon"] = stamp(time.Now()), stamp(time.Now())
	f.tables[set] = append(f.tables[set], rw)
	f.created = append(f.created, created{set: set, id: id, body: body})
	f.mu.Unlock()
	w.Header().Set("OData-Version", "4.0")
	w.Header().Set("OData-EntityId", f.srv.URL+"/api/data/v9.2/"+set+"("+id+")")
	w.WriteHeader(http.StatusNoContent)
}

// checkBind validates "<nav>@odata.bind": "/<set>(<id>)" for a task or annotation and returns the
// lookup column it fills.
func (f *fakeOrg) checkBind(set, nav, target string) (ok bool, col, table string) {
	tables := map[string]string{"contacts": "contact", "leads": "lead", "accounts": "account", "opportunities": "opportunity", "systemusers": "systemuser"}
	open := strings.IndexByte(target, '(')
	if !strings.HasPrefix(target, "/") || open < 0 || !strings.HasSuffix(target, ")") {
		return false, "", ""
	}
	tset, id := target[1:open], target[open+1:len(target)-1]
	table, known := tables[tset]
	if !known {
		return false, "", ""
	}
	if nav == "ownerid" && tset == "systemusers" {
		return f.exists(tset, id), "_ownerid_value", table
	}
	want := "objectid_" + table
	col = "_objectid_value"
	if set == "tasks" {
		want = "regardingobjectid_" + table + "_task"
		col = "_regardingobjectid_value"
	}
	return nav == want && f.exists(tset, id), col, table
}

func (f *fakeOrg) exists(set, id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.tables[set] {
		if r[f.keys[set]] == id {
			return true
		}
	}
	return false
}

func (f *fakeOrg) serveCompleteTask(w http.ResponseWriter, r *http.Request, id string) {
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		dvError(w, http.StatusBadRequest, "0x80048d19", "Error identified in Payload provided by the user")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, t := range f.tables["tasks"] {
		if t["activityid"] == id {
			t["statecode"], t["statuscode"] = body["statecode"], body["statuscode"]
			f.completed = append(f.completed, id)
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	dvError(w, http.StatusNotFound, "0x80040217", "task With Id = "+id+" Does Not Exist")
}

// navigate resolves a navigation property of a row: a collection ([]row) or a single row.
func (f *fakeOrg) navigate(set string, r row, nav string) any {
	f.mu.Lock()
	defer f.mu.Unlock()
	children := func(child, col, table string) []row {
		var out []row
		for _, c := range f.tables[child] {
			if c[col] == r[f.keys[set]] && (table == "" || c[col+"@Microsoft.Dynamics.CRM.lookuplogicalname"] == table) {
				out = append(out, c)
			}
		}
		return out
	}
	switch set + "." + nav {
	case "accounts.opportunity_parent_account":
		return children("opportunities", "_parentaccountid_value", "")
	case "accounts.opportunity_customer_accounts":
		return children("opportunities", "_customerid_value", "account")
	case "contacts.opportunity_parent_contact":
		return children("opportunities", "_parentcontactid_value", "")
	case "contacts.opportunity_customer_contacts":
		return children("opportunities", "_customerid_value", "contact")
	case "connections.record1id_opportunity":
		if r["_record1id_value@Microsoft.Dynamics.CRM.lookuplogicalname"] != "opportunity" {
			return nil
		}
		for _, o := range f.tables["opportunities"] {
			if o["opportunityid"] == r["_record1id_value"] {
				return o
			}
		}
	}
	return nil
}

// storedActivities lists the tasks and annotations the org holds, with the record each one is
// attached to.
func (f *fakeOrg) storedActivities() []sourcetest.Stored {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []sourcetest.Stored
	for _, r := range f.tables["tasks"] {
		id, _ := r["activityid"].(string)
		rec, _ := r["_regardingobjectid_value"].(string)
		out = append(out, sourcetest.Stored{ID: id, RecordID: rec})
	}
	for _, r := range f.tables["annotations"] {
		id, _ := r["annotationid"].(string)
		rec, _ := r["_objectid_value"].(string)
		out = append(out, sourcetest.Stored{ID: id, RecordID: rec})
	}
	return out
}
