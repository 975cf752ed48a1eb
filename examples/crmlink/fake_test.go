package main

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A small org, the same for both fakes: two accounts, two contacts, one lead, owned by the
// manager; a user of another branch of the hierarchy; every ID a function of the CRM's format.
type fakeRecord struct {
	n                                  int
	account                            int // contacts: their account
	name, industry, website            string
	first, last, company, title, email string
	city, country                      string
	owner                              int
}

var (
	fakeAccounts = []fakeRecord{
		{n: 1, name: "ACME Corp.", industry: "Manufacturing", website: "https://www.acme.com", city: "Lyon", country: "France", owner: 1},
		{n: 2, name: "Globex Corporation", industry: "Consulting", website: "globex.io", city: "Springfield", country: "United States", owner: 1},
	}
	fakeContacts = []fakeRecord{
		{n: 1, account: 1, first: "Ada", last: "Lovelace", title: "VP Engineering", email: "ada.lovelace@acme.com", city: "Lyon", country: "France", owner: 1},
		{n: 2, account: 2, first: "Hank", last: "Scorpio", title: "CEO", city: "Springfield", country: "United States", owner: 1},
	}
	fakeLeads = []fakeRecord{
		{n: 1, first: "Grace", last: "Hopper", company: "Globex", title: "Head of Research", email: "grace@globex.io", country: "United States", owner: 1},
	}
	fakeModified = time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
)

// tlsFake starts a local TLS server and writes its certificate to a PEM file for the command
// to trust (CRMLINK_CA_FILE or SSL_CERT_FILE).
// It sets *dst before the server starts, so that handlers may read it.
func tlsFake(t *testing.T, h http.Handler, dst **httptest.Server) string {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	*dst = srv
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes of the CA test
	srv.StartTLS()
	t.Cleanup(srv.Close)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600))
	return ca
}

// ---- Salesforce: OAuth token (client credentials and JWT bearer) and REST query with
// nextRecordsUrl paging, in the shapes of shared/reference/salesforce.md.

type sfFake struct {
	srv    *httptest.Server
	secret string
	key    *rsa.PublicKey
	mu     sync.Mutex
	pages  map[string][]map[string]any
	tokens int
	tasks  []map[string]any // written back with sObject Collections
}

func sfID(prefix string, n int) string { return fmt.Sprintf("%s%012dAAA", prefix, n) } // 18 characters

func sfUser(n int) string { return sfID("005", n) }

func (f *sfFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/services/oauth2/token" && r.Method == http.MethodPost:
		f.token(w, r)
	case r.URL.Path == "/services/data/v59.0/composite/sobjects" && r.Method == http.MethodPost:
		if r.Header.Get("Authorization") != "Bearer 00DFAKE!session" {
			sfErr(w, http.StatusUnauthorized, "INVALID_SESSION_ID", "Session expired or invalid")
			return
		}
		f.collection(w, r)
	case strings.HasPrefix(r.URL.Path, "/services/data/v59.0/query"):
		if r.Header.Get("Authorization") != "Bearer 00DFAKE!session" {
			sfErr(w, http.StatusUnauthorized, "INVALID_SESSION_ID", "Session expired or invalid")
			return
		}
		f.query(w, r)
	default:
		sfErr(w, http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist")
	}
}

func sfErr(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode([]map[string]string{{"message": msg, "errorCode": code}})
}

func (f *sfFake) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	fail := func(code, desc string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
	}
	switch r.PostForm.Get("grant_type") {
	case "client_credentials":
		id, secret, ok := r.BasicAuth()
		if !ok {
			id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
		}
		if id != "3MVG9cli" || secret != f.secret {
			fail("invalid_client", "invalid client credentials")
			return
		}
	case "urn:ietf:params:oauth:grant-type:jwt-bearer":
		if !f.assertion(r.PostForm.Get("assertion")) {
			fail("invalid_grant", "invalid assertion")
			return
		}
	default:
		fail("unsupported_grant_type", "grant type not supported")
		return
	}
	f.mu.Lock()
	f.tokens++
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]string{"access_token": "00DFAKE!session", "instance_url": f.srv.URL,
		"id": "https://login.salesforce.com/id/00D000000000001AAA/005000000000001AAA", "token_type": "Bearer",
		"issued_at": strconv.FormatInt(time.Now().UnixMilli(), 10), "signature": "c2ln"})
}

// assertion checks an RS256 JWT bearer assertion: signature, issuer, subject, audience, expiry.
func (f *sfFake) assertion(jwt string) bool {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 || f.key == nil {
		return false
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return false
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if rsa.VerifyPKCS1v15(f.key, crypto.SHA256, sum[:], sig) != nil {
		return false
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return false
	}
	var c struct {
		Iss, Sub, Aud string
		Exp           int64
	}
	return json.Unmarshal(b, &c) == nil && c.Iss == "3MVG9jwt" && c.Sub == "integration@acme.example" &&
		c.Aud == "https://login.salesforce.com" && c.Exp > time.Now().Unix()
}

var (
	soqlSubquery = regexp.MustCompile(`\(SELECT [^)]*\)`)
	soqlFrom     = regexp.MustCompile(`\bFROM (\w+)`)
	soqlIDs      = regexp.MustCompile(`\bId IN \(([^)]*)\)`)
	soqlSince    = regexp.MustCompile(`LastModifiedDate >= (\S+)`)
	soqlLike     = regexp.MustCompile(`Subject LIKE '%(\[[^\]]*\])'`)
)

// collection creates Tasks (allOrNone false): one bound to a record the org does not hold fails
// alone with INVALID_CROSS_REFERENCE_KEY.
func (f *sfFake) collection(w http.ResponseWriter, r *http.Request) {
	var body struct {
		AllOrNone bool             `json:"allOrNone"`
		Records   []map[string]any `json:"records"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.AllOrNone {
		sfErr(w, http.StatusBadRequest, "JSON_PARSER_ERROR", "bad body")
		return
	}
	known := map[string]bool{}
	for _, obj := range []string{"Account", "Contact", "Lead"} {
		for _, row := range sfTable(obj) {
			known[row["Id"].(string)] = true
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []map[string]any
	for _, rec := range body.Records {
		typ, _ := rec["attributes"].(map[string]any)["type"].(string)
		who, _ := rec["WhoId"].(string)
		what, _ := rec["WhatId"].(string)
		subject, _ := rec["Subject"].(string)
		if typ != "Task" || !known[who+what] || subject == "" {
			out = append(out, map[string]any{"success": false, "errors": []map[string]any{{"statusCode": "INVALID_CROSS_REFERENCE_KEY", "message": "invalid cross reference id", "fields": []string{}}}})
			continue
		}
		id := sfID("00T", len(f.tasks)+1)
		rec["Id"] = id
		f.tasks = append(f.tasks, rec)
		out = append(out, map[string]any{"id": id, "success": true, "errors": []any{}})
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	json.NewEncoder(w).Encode(out)
}

func (f *sfFake) query(w http.ResponseWriter, r *http.Request) {
	const prefix = "/services/data/v59.0/query"
	var rows []map[string]any
	if loc, ok := strings.CutPrefix(r.URL.Path, prefix+"/"); ok {
		f.mu.Lock()
		rows, ok = f.pages[loc]
		delete(f.pages, loc)
		f.mu.Unlock()
		if !ok {
			sfErr(w, http.StatusBadRequest, "INVALID_QUERY_LOCATOR", "invalid query locator")
			return
		}
	} else {
		q := soqlSubquery.ReplaceAllString(r.URL.Query().Get("q"), "")
		m := soqlFrom.FindStringSubmatch(q)
		if m == nil {
			sfErr(w, http.StatusBadRequest, "MALFORMED_QUERY", "unexpected token")
			return
		}
		var ids []string
		if m := soqlIDs.FindStringSubmatch(q); m != nil {
			for _, id := range strings.Split(m[1], ",") {
				ids = append(ids, strings.Trim(id, "' "))
			}
		}
		var since time.Time
		if m := soqlSince.FindStringSubmatch(q); m != nil {
			since, _ = time.Parse("2006-01-02T15:04:05Z", m[1])
		}
		table := sfTable(m[1])
		if m[1] == "Task" {
			f.mu.Lock()
			for _, t := range f.tasks {
				for _, like := range soqlLike.FindAllStringSubmatch(q, -1) {
					if strings.Contains(t["Subject"].(string), like[1]) {
						table = append(table, map[string]any{"attributes": map[string]any{"type": "Task"}, "Id": t["Id"], "Subject": t["Subject"]})
					}
				}
			}
			f.mu.Unlock()
		}
		for _, row := range table {
			if len(ids) > 0 && !slices.Contains(ids, row["Id"].(string)) {
				continue
			}
			if mod, ok := row["LastModifiedDate"].(string); ok && !since.IsZero() {
				if t, _ := time.Parse("2006-01-02T15:04:05.000-0700", mod); t.Before(since) {
					continue
				}
			}
			rows = append(rows, row)
		}
	}
	res := map[string]any{"totalSize": len(rows), "done": true}
	if len(rows) > 1 { // pages of one record, to go through nextRecordsUrl
		f.mu.Lock()
		loc := fmt.Sprintf("01gFAKE%06d-1", len(f.pages)+1)
		for f.pages[loc] != nil {
			loc += "x"
		}
		f.pages[loc] = rows[1:]
		f.mu.Unlock()
		res["done"], res["nextRecordsUrl"] = false, prefix+"/"+loc
		rows = rows[:1]
	}
	if rows == nil {
		rows = []map[string]any{}
	}
	res["records"] = rows
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	json.NewEncoder(w).Encode(res)
}

func sfNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func sfTable(object string) []map[string]any {
	attrs := func(typ, id string) map[string]any {
		return map[string]any{"type": typ, "url": "/services/data/v59.0/sobjects/" + typ + "/" + id}
	}
	mod := fakeModified.Format("2006-01-02T15:04:05.000+0000")
	var out []map[string]any
	switch object {
	case "Account":
		for _, a := range fakeAccounts {
			id := sfID("001", a.n)
			out = append(out, map[string]any{"attributes": attrs("Account", id), "Id": id, "Name": a.name, "Industry": sfNull(a.industry),
				"Website": sfNull(a.website), "BillingCity": sfNull(a.city), "BillingCountry": sfNull(a.country), "OwnerId": sfUser(a.owner), "LastModifiedDate": mod})
		}
	case "Contact":
		for _, c := range fakeContacts {
			id := sfID("003", c.n)
			out = append(out, map[string]any{"attributes": attrs("Contact", id), "Id": id, "AccountId": sfID("001", c.account),
				"FirstName": sfNull(c.first), "LastName": c.last, "Title": sfNull(c.title), "Email": sfNull(c.email),
				"MailingCity": sfNull(c.city), "MailingCountry": sfNull(c.country), "OwnerId": sfUser(c.owner), "LastModifiedDate": mod})
		}
	case "Lead":
		for _, l := range fakeLeads {
			id := sfID("00Q", l.n)
			out = append(out, map[string]any{"attributes": attrs("Lead", id), "Id": id, "FirstName": sfNull(l.first), "LastName": l.last,
				"Company": l.company, "Title": sfNull(l.title), "Email": sfNull(l.email), "City": sfNull(l.city), "Country": sfNull(l.country),
				"OwnerId": sfUser(l.owner), "LastModifiedDate": mod})
		}
	case "User":
		for _, u := range []struct {
			n    int
			role string
		}{{1, sfID("00E", 1)}, {2, sfID("00E", 2)}} {
			id := sfUser(u.n)
			out = append(out, map[string]any{"attributes": attrs("User", id), "Id": id, "Name": fmt.Sprintf("User %d", u.n),
				"Email": fmt.Sprintf("user%d@acme.example", u.n), "UserRoleId": u.role, "IsActive": true})
		}
	case "UserRole":
		for n := 1; n <= 2; n++ {
			id := sfID("00E", n)
			out = append(out, map[string]any{"attributes": attrs("UserRole", id), "Id": id, "Name": fmt.Sprintf("Role %d", n), "ParentRoleId": nil})
		}
	}
	return out
}

func newSFFake(t *testing.T, secret string, key *rsa.PublicKey) (*sfFake, string) {
	f := &sfFake{secret: secret, key: key, pages: map[string][]map[string]any{}}
	return f, tlsFake(t, f, &f.srv)
}

// ---- Dynamics 365: Microsoft Entra ID token endpoint and the Dataverse Web API v9.2
// collections with @odata.nextLink paging, in the shapes of shared/reference/dynamics.md.

type dynFake struct {
	srv    *httptest.Server
	secret string

	mu      sync.Mutex
	written map[string]map[string]any // activity ID -> the body of the task or annotation created
}

func dynID(kind, n int) string { return fmt.Sprintf("%08d-0000-4000-8000-%012d", kind, n) }

const (
	dynAccount = 1 + iota
	dynContact
	dynLead
	dynUser
	dynUnit
)

var (
	odataEq    = regexp.MustCompile(`(\w+) eq ([0-9a-fA-F-]{36})`)
	odataSince = regexp.MustCompile(`modifiedon ge (\S+)`)
)

func (f *dynFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/tenant-1/oauth2/v2.0/token" && r.Method == http.MethodPost {
		_ = r.ParseForm()
		id, secret, ok := r.BasicAuth()
		if !ok {
			id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
		}
		w.Header().Set("Content-Type", "application/json")
		if id != "app-1" || secret != f.secret || r.PostForm.Get("scope") != f.srv.URL+"/.default" {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.","error_codes":[7000215]}`)
			return
		}
		io.WriteString(w, `{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.fake.sig"}`)
		return
	}
	set, ok := strings.CutPrefix(r.URL.Path, "/api/data/v9.2/")
	if !ok {
		http.NotFound(w, r)
		return
	}
	if r.Header.Get("Authorization") != "Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.fake.sig" {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"error":{"code":"0x80072560","message":"The user is not a member of the organization."}}`)
		return
	}
	if set == "tasks" || set == "annotations" || strings.HasPrefix(set, "tasks(") {
		f.activities(w, r, set)
		return
	}
	filter := r.URL.Query().Get("$filter")
	var ids []string
	for _, m := range odataEq.FindAllStringSubmatch(filter, -1) {
		ids = append(ids, m[2])
	}
	var since time.Time
	if m := odataSince.FindStringSubmatch(filter); m != nil {
		since, _ = time.Parse(time.RFC3339Nano, m[1])
	}
	var rows []map[string]any
	for _, row := range dynTable(set) {
		if id, _ := row[strings.TrimSuffix(set, "s")+"id"].(string); len(ids) > 0 && !slices.Contains(ids, id) {
			continue
		}
		if !since.IsZero() && fakeModified.Before(since) {
			continue
		}
		rows = append(rows, row)
	}
	skip, _ := strconv.Atoi(r.URL.Query().Get("$skiptoken"))
	rows = rows[min(skip, len(rows)):]
	res := map[string]any{"@odata.context": f.srv.URL + "/api/data/v9.2/$metadata#" + set}
	if len(rows) > 1 { // pages of one row, to go through @odata.nextLink
		q := r.URL.Query()
		q.Set("$skiptoken", strconv.Itoa(skip+1))
		res["@odata.nextLink"] = f.srv.URL + r.URL.Path + "?" + q.Encode()
		rows = rows[:1]
	}
	if rows == nil {
		rows = []map[string]any{}
	}
	res["value"] = rows
	w.Header().Set("Content-Type", "application/json; odata.metadata=minimal")
	w.Header().Set("OData-Version", "4.0")
	json.NewEncoder(w).Encode(res)
}

var (
	odataCategory = regexp.MustCompile(`category eq '([^']*)'`)
	odataContains = regexp.MustCompile(`contains\(notetext,'([^']*)'\)`)
	odataBind     = regexp.MustCompile(`^/(accounts|contacts|leads)\(([0-9a-f-]{36})\)$`)
)

// activities serves the write-back: the marker lookups, the creation of tasks and annotations
// (bound to an existing record) and the completion of a task.
func (f *dynFake) activities(w http.ResponseWriter, r *http.Request, set string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch r.Method {
	case http.MethodGet:
		filter := r.URL.Query().Get("$filter")
		rows := []map[string]any{}
		for id, body := range f.written {
			if set == "tasks" && body["category"] != nil {
				for _, m := range odataCategory.FindAllStringSubmatch(filter, -1) {
					if body["category"] == m[1] {
						rows = append(rows, map[string]any{"activityid": id, "category": m[1]})
					}
				}
			}
			if note, ok := body["notetext"].(string); ok && set == "annotations" {
				for _, m := range odataContains.FindAllStringSubmatch(filter, -1) {
					if strings.Contains(note, m[1]) {
						rows = append(rows, map[string]any{"annotationid": id, "notetext": note})
					}
				}
			}
		}
		w.Header().Set("Content-Type", "application/json; odata.metadata=minimal")
		json.NewEncoder(w).Encode(map[string]any{"value": rows})
	case http.MethodPost:
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, `{"error":{"code":"0x80040333","message":"bad body"}}`, http.StatusBadRequest)
			return
		}
		bound := false
		for k, v := range body {
			if !strings.HasSuffix(k, "@odata.bind") || strings.HasPrefix(k, "ownerid") {
				continue
			}
			m := odataBind.FindStringSubmatch(fmt.Sprint(v))
			if m == nil {
				continue
			}
			for _, row := range dynTable(m[1]) {
				if row[strings.TrimSuffix(m[1], "s")+"id"] == m[2] {
					bound = true
				}
			}
		}
		if !bound {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"error":{"code":"0x80040217","message":"The record does not exist."}}`)
			return
		}
		if f.written == nil {
			f.written = map[string]map[string]any{}
		}
		id := dynID(9, len(f.written)+1)
		f.written[id] = body
		w.Header().Set("OData-EntityId", f.srv.URL+"/api/data/v9.2/"+set+"("+id+")")
		w.WriteHeader(http.StatusNoContent)
	case http.MethodPatch:
		w.WriteHeader(http.StatusNoContent)
	default:
		w.WriteHeader(http.StatusMethodNotAllowed)
	}
}

func dynNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func dynTable(set string) []map[string]any {
	mod := fakeModified.Format(time.RFC3339)
	var out []map[string]any
	switch set {
	case "accounts":
		for _, a := range fakeAccounts {
			out = append(out, map[string]any{"@odata.etag": `W/"1"`, "accountid": dynID(dynAccount, a.n), "name": a.name,
				"industrycode": 7, "industrycode@OData.Community.Display.V1.FormattedValue": a.industry, "websiteurl": dynNull(a.website),
				"address1_city": dynNull(a.city), "address1_country": dynNull(a.country), "_ownerid_value": dynID(dynUser, a.owner), "modifiedon": mod})
		}
	case "contacts":
		for _, c := range fakeContacts {
			out = append(out, map[string]any{"@odata.etag": `W/"1"`, "contactid": dynID(dynContact, c.n), "firstname": dynNull(c.first), "lastname": c.last,
				"jobtitle": dynNull(c.title), "emailaddress1": dynNull(c.email), "_parentcustomerid_value": dynID(dynAccount, c.account),
				"_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname": "account",
				"address1_city": dynNull(c.city), "address1_country": dynNull(c.country), "_ownerid_value": dynID(dynUser, c.owner), "modifiedon": mod})
		}
	case "leads":
		for _, l := range fakeLeads {
			out = append(out, map[string]any{"@odata.etag": `W/"1"`, "leadid": dynID(dynLead, l.n), "firstname": dynNull(l.first), "lastname": l.last,
				"companyname": l.company, "jobtitle": dynNull(l.title), "emailaddress1": dynNull(l.email), "address1_city": dynNull(l.city),
				"address1_country": dynNull(l.country), "_ownerid_value": dynID(dynUser, l.owner), "modifiedon": mod})
		}
	case "systemusers":
		for n := 1; n <= 2; n++ {
			out = append(out, map[string]any{"systemuserid": dynID(dynUser, n), "fullname": fmt.Sprintf("User %d", n),
				"internalemailaddress": fmt.Sprintf("user%d@contoso.example", n), "isdisabled": false, "_businessunitid_value": dynID(dynUnit, n)})
		}
	case "businessunits":
		for n := 1; n <= 2; n++ {
			out = append(out, map[string]any{"businessunitid": dynID(dynUnit, n), "name": fmt.Sprintf("Unit %d", n), "_parentbusinessunitid_value": nil})
		}
	case "teams", "teammemberships":
	}
	return out
}

func newDynFake(t *testing.T, secret string) (*dynFake, string) {
	f := &dynFake{secret: secret}
	return f, tlsFake(t, f, &f.srv)
}

// rsaKeyFile writes a new RSA key as PKCS #8 PEM and returns its public half and the path.
func rsaKeyFile(t *testing.T) (*rsa.PublicKey, string) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	der, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	p := filepath.Join(t.TempDir(), "key.pem")
	require.NoError(t, os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600))
	return &key.PublicKey, p
}
