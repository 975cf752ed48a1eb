package salesforce_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/salesforce"
	"github.com/crmlink/crmlink/crm/sourcetest"
)

// fakeOrg is a local TLS Salesforce: OAuth token endpoint, REST query with nextRecordsUrl paging,
// Bulk API 2.0 query jobs with Sforce-Locator paging, and sObject Collections. It serves a
// sourcetest.Dataset in Salesforce's own JSON and CSV shapes (see shared/reference/salesforce.md)
// and understands exactly the SOQL the adapter sends; anything else is a 400 MALFORMED_QUERY.
type fakeOrg struct {
	srv      *httptest.Server
	ds       *sourcetest.Dataset
	pageSize int // REST records per page
	key      *rsa.PrivateKey

	mu       sync.Mutex
	tokenN   int
	valid    map[string]bool
	cursors  map[string][]map[string]any
	cursorN  int // makes every query locator unique, also under concurrent queries
	jobs     map[string]*fakeJob
	faults   []*fault
	hits     map[string]int // by route
	created  map[string][]map[string]any
	badIDs   map[string]bool // records whose activities fail with a per-record error
	lastSOQL []string
	options  []string // Sforce-Query-Options headers received
	subPage  int      // when > 0, contact-role subquery results are paged by this many
	// singleCurrency makes the org one without multiple currencies: Opportunity has no
	// CurrencyIsoCode, and a query naming it fails with INVALID_FIELD.
	singleCurrency bool
	// hook, when set, sees every request first; it returns true when it has answered it.
	hook func(w http.ResponseWriter, r *http.Request) bool
}

type fakeJob struct {
	polls int
	cols  []string
	rows  [][]string
}

// fault makes matching requests fail: the first skip matches pass, the next times fail.
type fault struct {
	route  string // "token", "query", "jobs", "results", "composite"
	skip   int
	times  int
	status int
	body   string
	header http.Header
	hang   bool // block until the client goes away
}

// testKey is the connected app's key, generated once per test binary.
var testKey = sync.OnceValues(func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 2048) })

func newFakeOrg(t testing.TB, ds *sourcetest.Dataset) *fakeOrg {
	t.Helper()
	key, err := testKey()
	require.NoError(t, err)
	f := &fakeOrg{
		ds: ds, pageSize: 7, key: key,
		valid: map[string]bool{}, cursors: map[string][]map[string]any{}, jobs: map[string]*fakeJob{},
		hits: map[string]int{}, created: map[string][]map[string]any{}, badIDs: map[string]bool{},
	}
	f.srv = httptest.NewTLSServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeOrg) inject(fl *fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults = append(f.faults, fl)
}

// expire invalidates every issued token, as a session timeout does.
func (f *fakeOrg) expire() {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.valid)
}

func (f *fakeOrg) count(route string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hits[route]
}

// source returns a Source for the org authenticated with the JWT bearer flow.
func (f *fakeOrg) source(t testing.TB, opts ...salesforce.Option) *salesforce.Source {
	t.Helper()
	opts = append([]salesforce.Option{salesforce.WithMultiCurrency(!f.singleCurrency)}, opts...)
	s, err := salesforce.New(context.Background(), f.config(), opts...)
	require.NoError(t, err)
	return s
}

func (f *fakeOrg) config() salesforce.Config {
	jc := &salesforce.JWTConfig{
		ClientID: "3MVG9fake", Username: "integration@acme.example", PrivateKey: f.key,
		Audience: "https://login.salesforce.com", TokenURL: f.srv.URL + "/services/oauth2/token",
		HTTPClient: f.srv.Client(),
	}
	return salesforce.Config{TokenSource: jc.TokenSource(context.Background()), HTTPClient: f.srv.Client()}
}

func sfError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	b, _ := json.Marshal([]map[string]string{{"message": msg, "errorCode": code}})
	w.Write(b)
}

func route(p string) string {
	switch {
	case strings.HasSuffix(p, "/oauth2/token"):
		return "token"
	case strings.Contains(p, "/jobs/query") && strings.HasSuffix(p, "/results"):
		return "results"
	case strings.Contains(p, "/jobs/query"):
		return "jobs"
	case strings.Contains(p, "/composite/sobjects"):
		return "composite"
	case strings.Contains(p, "/query"):
		return "query"
	}
	return p
}

func (f *fakeOrg) serve(w http.ResponseWriter, r *http.Request) {
	rt := route(r.URL.Path)
	f.mu.Lock()
	f.hits[rt]++
	hook := f.hook
	f.mu.Unlock()
	if hook != nil && hook(w, r) {
		return
	}
	f.mu.Lock()
	var fl *fault
	for _, x := range f.faults {
		if x.route != rt || x.times == 0 {
			continue
		}
		if x.skip > 0 {
			x.skip--
			continue
		}
		x.times--
		fl = x
		break
	}
	f.mu.Unlock()
	if fl != nil {
		if fl.hang {
			// Reading the body lets the server notice the client going away.
			io.Copy(io.Discard, r.Body)
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
			return
		}
		for k, v := range fl.header {
			w.Header()[k] = v
		}
		w.WriteHeader(fl.status)
		io.WriteString(w, fl.body)
		return
	}
	if rt == "token" {
		f.token(w, r)
		return
	}
	f.mu.Lock()
	ok := f.valid[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
	f.mu.Unlock()
	if !ok {
		sfError(w, http.StatusUnauthorized, "INVALID_SESSION_ID", "Session expired or invalid")
		return
	}
	switch rt {
	case "query":
		f.query(w, r)
	case "jobs", "results":
		f.bulk(w, r)
	case "composite":
		f.composite(w, r)
	default:
		sfError(w, http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist")
	}
}

func (f *fakeOrg) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	bad := func(desc string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant", "error_description": desc})
	}
	switch r.PostForm.Get("grant_type") {
	case "urn:ietf:params:oauth:grant-type:jwt-bearer":
		cs, err := verifyJWT(r.PostForm.Get("assertion"), &f.key.PublicKey)
		if err != nil || cs.Iss == "" || cs.Sub == "" || cs.Aud != "https://login.salesforce.com" ||
			cs.Exp > time.Now().Add(3*time.Minute+5*time.Second).Unix() || cs.Exp < time.Now().Unix() {
			bad("invalid assertion")
			return
		}
	case "client_credentials":
		id, secret, ok := r.BasicAuth()
		if !ok {
			id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
		}
		if id != "3MVG9fake" || secret != "s3cr3t-client-secret" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"error":"invalid_client","error_description":"invalid client credentials"}`)
			return
		}
	default:
		bad("unsupported grant type")
		return
	}
	f.mu.Lock()
	f.tokenN++
	tok := fmt.Sprintf("00D000000000001!AR8AQfakeSessionToken%04d", f.tokenN)
	f.valid[tok] = true
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]string{
		"access_token": tok, "scope": "api", "instance_url": f.srv.URL,
		"id": "https://login.salesforce.com/id/00D000000000001AAA/005000000000001AAA", "token_type": "Bearer",
	})
}

// ---- records in Salesforce's shape

func sfTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format("2006-01-02T15:04:05.000+0000")
}

func sfDate(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format("2006-01-02")
}

// amount is a currency field: a JSON number, null for none.
func amount(v float64) any {
	if v == 0 {
		return nil
	}
	return v
}

// history returns o's OpportunityHistory rows, oldest first: one per stage change, plus a row
// after the first one that records a change of amount only (same stage), as Salesforce writes.
func (f *fakeOrg) history(o crm.Opportunity) []any {
	var out []any
	row := func(n int, stage string, at time.Time, amt float64) map[string]any {
		return map[string]any{"attributes": attrs("OpportunityHistory", fmt.Sprintf("008%s%02d", o.ID[3:13], n)),
			"OpportunityId": o.ID, "StageName": stage, "CreatedDate": sfTime(at), "Amount": amount(amt)}
	}
	for i, h := range o.History {
		out = append(out, row(2*i, h.Stage, h.At, o.Amount/2))
		if i == 0 {
			out = append(out, row(1, h.Stage, h.At.Add(time.Hour), o.Amount))
		}
	}
	return out
}

func null(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func attrs(typ, id string) map[string]any {
	return map[string]any{"type": typ, "url": "/services/data/v59.0/sobjects/" + typ + "/" + id}
}

// table returns every row of an sObject with all the fields the fake knows.
// table returns the rows of object; the caller holds f.mu.
func (f *fakeOrg) table(object string) []map[string]any {
	ds := f.ds
	var out []map[string]any
	switch object {
	case "Lead":
		for _, l := range ds.Leads {
			out = append(out, map[string]any{"attributes": attrs("Lead", l.ID), "Id": l.ID, "FirstName": null(l.FirstName),
				"LastName": null(l.LastName), "Company": null(l.Company), "Title": null(l.Title), "Email": null(l.Email),
				"City": null(l.City), "Country": null(l.Country), "OwnerId": null(l.OwnerID), "IsConverted": false,
				"LastModifiedDate": sfTime(l.ModifiedAt)})
		}
	case "Contact":
		for _, c := range ds.Contacts {
			out = append(out, map[string]any{"attributes": attrs("Contact", c.ID), "Id": c.ID, "AccountId": null(c.AccountID),
				"FirstName": null(c.FirstName), "LastName": null(c.LastName), "Title": null(c.Title), "Email": null(c.Email),
				"MailingCity": null(c.City), "MailingCountry": null(c.Country), "OwnerId": null(c.OwnerID),
				"LastModifiedDate": sfTime(c.ModifiedAt)})
		}
	case "Account":
		for _, a := range ds.Accounts {
			out = append(out, map[string]any{"attributes": attrs("Account", a.ID), "Id": a.ID, "Name": null(a.Name),
				"Industry": null(a.Industry), "Website": null(a.Website), "BillingCity": null(a.City),
				"BillingCountry": null(a.Country), "OwnerId": null(a.OwnerID), "LastModifiedDate": sfTime(a.ModifiedAt)})
		}
	case "Opportunity":
		for _, o := range ds.Opportunities {
			var roles []any
			for _, c := range o.ContactIDs {
				roles = append(roles, map[string]any{"attributes": attrs("OpportunityContactRole", "00K"+c[3:]), "ContactId": c})
			}
			var sub any
			if len(roles) > 0 {
				page := map[string]any{"totalSize": len(roles), "done": true, "records": roles}
				if f.subPage > 0 && len(roles) > f.subPage {
					var rest []map[string]any
					for _, r := range roles[f.subPage:] {
						rest = append(rest, r.(map[string]any))
					}
					f.cursorN++ // table runs with f.mu held
					loc := fmt.Sprintf("01gSUB%s%06d-%d", o.ID, f.cursorN, f.subPage)
					f.cursors[loc] = rest
					page["records"], page["done"], page["nextRecordsUrl"] = roles[:f.subPage], false, "/services/data/v59.0/query/"+loc
				}
				sub = page
			}
			var hist any
			if h := f.history(o); len(h) > 0 {
				hist = map[string]any{"totalSize": len(h), "done": true, "records": h}
			}
			rec := map[string]any{"attributes": attrs("Opportunity", o.ID), "Id": o.ID, "Name": null(o.Name),
				"AccountId": null(o.AccountID), "StageName": o.Stage, "IsClosed": o.IsClosed, "OwnerId": null(o.OwnerID),
				"LastModifiedDate": sfTime(o.ModifiedAt), "OpportunityContactRoles": sub,
				"Amount": amount(o.Amount), "IsWon": o.IsWon, "CreatedDate": sfTime(o.CreatedAt), "CloseDate": sfDate(o.CloseDate),
				"OpportunityHistories": hist}
			if !f.singleCurrency {
				rec["CurrencyIsoCode"] = o.Currency
			}
			out = append(out, rec)
		}
	case "OpportunityHistory":
		for _, o := range ds.Opportunities {
			for _, h := range f.history(o) {
				out = append(out, h.(map[string]any))
			}
		}
	case "OpportunityContactRole":
		for _, o := range ds.Opportunities {
			for _, c := range o.ContactIDs {
				out = append(out, map[string]any{"attributes": attrs("OpportunityContactRole", "00K"+c[3:]),
					"OpportunityId": o.ID, "ContactId": c,
					"Opportunity": map[string]any{"attributes": attrs("Opportunity", o.ID), "IsClosed": o.IsClosed, "StageName": o.Stage}})
			}
		}
	case "OpportunityStage":
		for i, s := range ds.Stages {
			out = append(out, map[string]any{"attributes": attrs("OpportunityStage", fmt.Sprintf("01J%015d", i)),
				"ApiName": s.Name, "MasterLabel": s.Name, "SortOrder": float64(s.SortOrder), "IsActive": true,
				"IsClosed": s.IsClosed, "IsWon": s.IsWon})
		}
	case "User":
		for _, u := range ds.Users {
			out = append(out, map[string]any{"attributes": attrs("User", u.ID), "Id": u.ID, "Name": null(u.Name),
				"Email": null(u.Email), "UserRoleId": null(u.RoleID), "IsActive": u.IsActive})
		}
	case "UserRole":
		for _, r := range ds.Roles {
			out = append(out, map[string]any{"attributes": attrs("UserRole", r.ID), "Id": r.ID, "Name": null(r.Name),
				"ParentRoleId": null(r.ParentID)})
		}
	case "Task", "ContentNote", "ContentDocumentLink":
		out = slices.Clone(f.created[object])
	}
	return out
}

func field(rec map[string]any, name string) any {
	head, rest, dotted := strings.Cut(name, ".")
	v := rec[head]
	if !dotted {
		return v
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	return field(m, rest)
}

var (
	reSelect    = regexp.MustCompile(`^SELECT (.+?) FROM (\w+)(?: WHERE (.+?))?(?: ORDER BY (\w+))?$`)
	reSubquery  = regexp.MustCompile(`, \(SELECT ContactId FROM OpportunityContactRoles\)`)
	reHistSub   = regexp.MustCompile(`, \(SELECT StageName, CreatedDate FROM OpportunityHistories ORDER BY CreatedDate\)`)
	reSince     = regexp.MustCompile(`^LastModifiedDate >= (\S+)$`)
	reAfter     = regexp.MustCompile(`^Id > '(\w+)'$`)
	reIn        = regexp.MustCompile(`^(Id|OpportunityId|Crmlink_Key__c|ContentDocumentId) IN \(([^()]*)\)$`)
	reSemi      = regexp.MustCompile(`^Id IN \(SELECT AccountId FROM Opportunity WHERE IsClosed = false AND StageName IN \(([^()]*)\)\)$`)
	reOCR       = regexp.MustCompile(`^Opportunity\.StageName IN \(([^()]*)\)$`)
	reLike      = regexp.MustCompile(`^(Subject|Title|Crmlink_Key__c) LIKE '(.*)'$`)
	reStringLit = regexp.MustCompile(`'((?:[^'\\]|\\.)*)'`)
)

// likePattern compiles a SOQL LIKE pattern: % is any run of characters, _ one character,
// everything else literal (case-insensitive, as SOQL compares).
func likePattern(p string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("(?is)^")
	for _, r := range p {
		switch r {
		case '%':
			b.WriteString(".*")
		case '_':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

func literals(s string) []string {
	var out []string
	for _, m := range reStringLit.FindAllStringSubmatch(s, -1) {
		v := strings.NewReplacer(`\'`, `'`, `\\`, `\`, `\n`, "\n").Replace(m[1])
		out = append(out, v)
	}
	return out
}

// run evaluates the SOQL the adapter sends; ok is false for anything else.
func (f *fakeOrg) run(q string) (fields []string, rows []map[string]any, ok bool) {
	f.mu.Lock()
	f.lastSOQL = append(f.lastSOQL, q)
	f.mu.Unlock()
	sub := reSubquery.MatchString(q)
	q = reSubquery.ReplaceAllString(q, "")
	histSub := reHistSub.MatchString(q)
	q = reHistSub.ReplaceAllString(q, "")
	m := reSelect.FindStringSubmatch(q)
	if m == nil {
		return nil, nil, false
	}
	fields = strings.Split(m[1], ", ")
	if m[2] == "Opportunity" && f.singleCurrency && slices.Contains(fields, "CurrencyIsoCode") {
		return nil, nil, false
	}
	if sub {
		fields = append(fields, "OpportunityContactRoles")
	}
	if histSub {
		fields = append(fields, "OpportunityHistories")
	}
	f.mu.Lock()
	rows = f.table(m[2])
	f.mu.Unlock()
	var conds []string
	if m[3] != "" {
		conds = splitAnd(m[3])
	}
	for _, c := range conds {
		var keep func(map[string]any) bool
		switch {
		case c == "IsConverted = false" || c == "IsActive = true":
			continue
		case reSince.MatchString(c):
			t, err := time.Parse(time.RFC3339, reSince.FindStringSubmatch(c)[1])
			if err != nil {
				return nil, nil, false
			}
			keep = func(r map[string]any) bool {
				v, _ := r["LastModifiedDate"].(string)
				rt, _ := time.Parse("2006-01-02T15:04:05.000-0700", v)
				return !rt.Before(t)
			}
		case reAfter.MatchString(c):
			after := sfKey(reAfter.FindStringSubmatch(c)[1])
			keep = func(r map[string]any) bool { return sfKey(fmt.Sprint(r["Id"])) > after }
		case reIn.MatchString(c):
			sm := reIn.FindStringSubmatch(c)
			ids := literals(sm[2])
			keep = func(r map[string]any) bool { return slices.Contains(ids, fmt.Sprint(r[sm[1]])) }
		case reSemi.MatchString(c):
			stages := literals(reSemi.FindStringSubmatch(c)[1])
			accts := map[string]bool{}
			for _, o := range f.ds.Opportunities {
				if !o.IsClosed && slices.Contains(stages, o.Stage) {
					accts[o.AccountID] = true
				}
			}
			keep = func(r map[string]any) bool { return accts[fmt.Sprint(r["Id"])] }
		case reOCR.MatchString(c):
			stages := literals(reOCR.FindStringSubmatch(c)[1])
			keep = func(r map[string]any) bool {
				return slices.Contains(stages, fmt.Sprint(field(r, "Opportunity.StageName")))
			}
		case c == "Opportunity.IsClosed = false":
			keep = func(r map[string]any) bool { return field(r, "Opportunity.IsClosed") == false }
		case strings.Contains(c, " LIKE "):
			var field string
			var pats []*regexp.Regexp
			for _, part := range strings.Split(strings.Trim(c, "()"), " OR ") {
				lm := reLike.FindStringSubmatch(part)
				if lm == nil {
					return nil, nil, false
				}
				field = lm[1]
				pats = append(pats, likePattern(literals("'" + lm[2] + "'")[0]))
			}
			keep = func(r map[string]any) bool {
				v, _ := r[field].(string)
				return slices.ContainsFunc(pats, func(p *regexp.Regexp) bool { return p.MatchString(v) })
			}
		default:
			return nil, nil, false
		}
		rows = slices.DeleteFunc(rows, func(r map[string]any) bool { return !keep(r) })
	}
	switch m[4] {
	case "SortOrder":
		slices.SortFunc(rows, func(a, b map[string]any) int { return int(a["SortOrder"].(float64) - b["SortOrder"].(float64)) })
	case "Id":
		slices.SortFunc(rows, func(a, b map[string]any) int {
			return strings.Compare(sfKey(fmt.Sprint(a["Id"])), sfKey(fmt.Sprint(b["Id"])))
		})
	case "":
		// Salesforce promises no order without ORDER BY: the fake answers in an order other than
		// the IDs', so that a read that needs one must ask for it.
		slices.Reverse(rows)
	default:
		return nil, nil, false
	}
	return fields, rows, true
}

// sfKey is the part of a Salesforce ID that ORDER BY Id and "Id >" compare: its first 15
// characters, case-sensitively (0-9 < A-Z < a-z).
func sfKey(id string) string {
	if len(id) > 15 {
		return id[:15]
	}
	return id
}

// splitAnd splits on top-level " AND ".
func splitAnd(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
		case '\'':
			for i++; i < len(s) && s[i] != '\''; i++ {
				if s[i] == '\\' {
					i++
				}
			}
		}
		if depth == 0 && strings.HasPrefix(s[i:], " AND ") {
			out = append(out, s[start:i])
			start = i + 5
		}
	}
	return append(out, s[start:])
}

func project(fields []string, r map[string]any) map[string]any {
	out := map[string]any{"attributes": r["attributes"]}
	for _, fl := range fields {
		head, _, dotted := strings.Cut(fl, ".")
		if dotted {
			out[head] = r[head] // relationship objects come whole, with their attributes
			continue
		}
		out[fl] = r[fl]
	}
	return out
}

func (f *fakeOrg) query(w http.ResponseWriter, r *http.Request) {
	if v := r.Header.Get("Sforce-Query-Options"); v != "" {
		f.mu.Lock()
		f.options = append(f.options, v)
		f.mu.Unlock()
	}
	const prefix = "/services/data/v59.0/query"
	var page []map[string]any
	var total int
	if loc, ok := strings.CutPrefix(r.URL.Path, prefix+"/"); ok {
		f.mu.Lock()
		rest, found := f.cursors[loc]
		delete(f.cursors, loc)
		f.mu.Unlock()
		if !found {
			sfError(w, http.StatusBadRequest, "INVALID_QUERY_LOCATOR", "invalid query locator")
			return
		}
		page, total = rest, -1
	} else if r.URL.Path == prefix {
		fields, rows, ok := f.run(r.URL.Query().Get("q"))
		if !ok {
			sfError(w, http.StatusBadRequest, "MALFORMED_QUERY", "unexpected token")
			return
		}
		if len(fields) == 1 && fields[0] == "COUNT()" {
			w.Header().Set("Content-Type", "application/json;charset=UTF-8")
			json.NewEncoder(w).Encode(map[string]any{"totalSize": len(rows), "done": true, "records": []any{}})
			return
		}
		for _, row := range rows {
			page = append(page, project(fields, row))
		}
		total = len(page)
	} else {
		sfError(w, http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist")
		return
	}
	res := map[string]any{"done": true}
	if total >= 0 {
		res["totalSize"] = total
	}
	if len(page) > f.pageSize {
		f.mu.Lock()
		f.cursorN++
		loc := fmt.Sprintf("01gFAKE%011d-%d", f.cursorN, f.pageSize)
		f.cursors[loc] = page[f.pageSize:]
		f.mu.Unlock()
		page = page[:f.pageSize]
		res["done"] = false
		res["nextRecordsUrl"] = prefix + "/" + loc
	}
	if page == nil {
		page = []map[string]any{}
	}
	res["records"] = page
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set("Sforce-Limit-Info", "api-usage=10/100000")
	json.NewEncoder(w).Encode(res)
}

func csvValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

func (f *fakeOrg) bulk(w http.ResponseWriter, r *http.Request) {
	const prefix = "/services/data/v59.0/jobs/query"
	rest := strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, prefix), "/")
	switch {
	case rest == "" && r.Method == http.MethodPost:
		var req struct{ Operation, Query, ContentType string }
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Operation != "query" || req.ContentType != "CSV" {
			sfError(w, http.StatusBadRequest, "INVALIDJOB", "bad job")
			return
		}
		if strings.Contains(req.Query, "(SELECT ContactId FROM OpportunityContactRoles)") || strings.Contains(req.Query, "FROM OpportunityHistories") {
			sfError(w, http.StatusBadRequest, "INVALIDJOB", "subqueries are not supported by Bulk API 2.0")
			return
		}
		fields, rows, ok := f.run(req.Query)
		if !ok {
			sfError(w, http.StatusBadRequest, "MALFORMED_QUERY", "unexpected token")
			return
		}
		job := &fakeJob{cols: fields}
		for _, row := range rows {
			rec := make([]string, len(fields))
			for i, fl := range fields {
				rec[i] = csvValue(field(row, fl))
			}
			job.rows = append(job.rows, rec)
		}
		f.mu.Lock()
		id := fmt.Sprintf("750R%011dIAA", len(f.jobs)+1)
		f.jobs[id] = job
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"id": id, "operation": "query", "object": "Account",
			"state": "UploadComplete", "concurrencyMode": "Parallel", "contentType": "CSV", "apiVersion": 59.0,
			"lineEnding": "LF", "columnDelimiter": "COMMA"})
	case r.Method == http.MethodGet:
		id, results := strings.CutSuffix(rest, "/results")
		f.mu.Lock()
		job := f.jobs[id]
		if job != nil && !results {
			job.polls++
		}
		f.mu.Unlock()
		if job == nil {
			sfError(w, http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist")
			return
		}
		if !results {
			state := "InProgress"
			if job.polls >= 2 {
				state = "JobComplete"
			}
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]any{"id": id, "operation": "query", "state": state,
				"jobType": "V2Query", "numberRecordsProcessed": len(job.rows)})
			return
		}
		if job.polls < 2 {
			sfError(w, http.StatusPreconditionFailed, "JOB_NOT_COMPLETE", "Current status: IN_PROGRESS")
			return
		}
		max, _ := strconv.Atoi(r.URL.Query().Get("maxRecords"))
		if max <= 0 {
			max = 50000
		}
		start := 0
		if loc := r.URL.Query().Get("locator"); loc != "" {
			start, _ = strconv.Atoi(loc)
		}
		end := min(start+max, len(job.rows))
		next := "null"
		if end < len(job.rows) {
			next = strconv.Itoa(end)
		}
		w.Header().Set("Content-Type", "text/csv")
		w.Header().Set("Sforce-Locator", next)
		w.Header().Set("Sforce-NumberOfRecords", strconv.Itoa(end-start))
		cw := csv.NewWriter(w)
		cw.Write(job.cols)
		cw.WriteAll(job.rows[start:end])
	default:
		sfError(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "method not allowed")
	}
}

func (f *fakeOrg) composite(w http.ResponseWriter, r *http.Request) {
	var req struct {
		AllOrNone bool             `json:"allOrNone"`
		Records   []map[string]any `json:"records"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || len(req.Records) == 0 || len(req.Records) > 200 {
		sfError(w, http.StatusBadRequest, "JSON_PARSER_ERROR", "bad request")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []map[string]any
	for _, rec := range req.Records {
		typ, _ := rec["attributes"].(map[string]any)["type"].(string)
		target := ""
		for _, k := range []string{"WhoId", "WhatId", "LinkedEntityId"} {
			if v, ok := rec[k].(string); ok {
				target = v
			}
		}
		if f.badIDs[target] {
			// Real per-record errors quote the offending values.
			out = append(out, map[string]any{"success": false, "errors": []map[string]any{{
				"statusCode": "FIELD_INTEGRITY_EXCEPTION",
				"message":    fmt.Sprintf("Related To ID: bad value %v for %v", rec["Subject"], target), "fields": []string{"WhoId"}}}})
			continue
		}
		prefix := map[string]string{"Task": "00T", "ContentNote": "069", "ContentDocumentLink": "06A"}[typ]
		id := fmt.Sprintf("%s5e%013d", prefix, len(f.created[typ])+1)
		rec["Id"] = id
		rec["attributes"] = attrs(typ, id)
		now := time.Now().UTC().Format("2006-01-02T15:04:05.000+0000")
		rec["CreatedDate"], rec["LastModifiedDate"] = now, now
		f.created[typ] = append(f.created[typ], rec)
		out = append(out, map[string]any{"id": id, "success": true, "errors": []any{}})
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(out)
}

// setHook installs h as the fake's request hook.
func (f *fakeOrg) setHook(h func(w http.ResponseWriter, r *http.Request) bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hook = h
}

// storedActivities lists the Tasks and ContentNotes the org holds, with the record each one is
// attached to: a Task's WhoId or WhatId, a note's ContentDocumentLink (empty if unlinked).
func (f *fakeOrg) storedActivities() []sourcetest.Stored {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []sourcetest.Stored
	for _, task := range f.created["Task"] {
		rec, _ := task["WhoId"].(string)
		if rec == "" {
			rec, _ = task["WhatId"].(string)
		}
		out = append(out, sourcetest.Stored{ID: task["Id"].(string), RecordID: rec})
	}
	linked := map[string]string{}
	for _, l := range f.created["ContentDocumentLink"] {
		linked[l["ContentDocumentId"].(string)] = l["LinkedEntityId"].(string)
	}
	for _, n := range f.created["ContentNote"] {
		id := n["Id"].(string)
		out = append(out, sourcetest.Stored{ID: id, RecordID: linked[id]})
	}
	return out
}

// jwtClaims are the claims the fake reads from a JWT bearer assertion.
type jwtClaims struct {
	Iss, Sub, Aud string
	Iat, Exp      int64
}

// verifyJWT checks an RS256 compact JWS against pub, as Salesforce does with the connected app's
// certificate, and returns its claims.
func verifyJWT(token string, pub *rsa.PublicKey) (jwtClaims, error) {
	var c jwtClaims
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return c, errors.New("not a compact JWS")
	}
	hdr, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		return c, err
	}
	var h struct{ Alg, Typ string }
	if err := json.Unmarshal(hdr, &h); err != nil || h.Alg != "RS256" {
		return c, errors.New("not RS256")
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return c, err
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig); err != nil {
		return c, err
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return c, err
	}
	var raw struct {
		Iss string `json:"iss"`
		Sub string `json:"sub"`
		Aud string `json:"aud"`
		Iat int64  `json:"iat"`
		Exp int64  `json:"exp"`
	}
	if err := json.Unmarshal(payload, &raw); err != nil {
		return c, err
	}
	return jwtClaims{Iss: raw.Iss, Sub: raw.Sub, Aud: raw.Aud, Iat: raw.Iat, Exp: raw.Exp}, nil
}

// staticToken is a TokenSource for tests that need a fixed token.
type staticToken struct{ tok *oauth2.Token }

func (s staticToken) Token() (*oauth2.Token, error) { return s.tok, nil }

var _ = crm.ErrInvalid
var _ = url.Values{}
