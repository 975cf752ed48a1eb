package widget_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/internal/syncbuf"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/widget"
)

const (
	org      = "00DTEST000000001"
	otherOrg = "00DTEST000000002"
	boss     = "005BOSS"
	rep      = "005REP"
	peer     = "005PEER"
	acct     = "001ACME"   // owned by rep
	acct2    = "001GLOBEX" // owned by rep
	peerAcct = "001PEER"   // owned by peer
	contact  = "003ADA"    // owned by rep
)

const companiesCSV = `id,name,industry,location,website
c1,Acme Corporation,Machinery,"Chicago, United States",acme.com
c2,Acme Robotics,Robotics,"Berlin, Germany",acme-robotics.de
c3,Acme Foods,Food and Beverage,"Lyon, France",acmefoods.fr
c4,Globex,Software,"Springfield, United States",globex.example
`

const membersCSV = `id,first_name,last_name,company,title,location,email
m1,Ada,Lovelace,Analytical Engines,CTO,"London, United Kingdom",ada@engines.example
m2,Ada,Lovelace,Acme Corporation,Engineer,"Chicago, United States",ada.l@acme.com
m3,Charles,Babbage,Analytical Engines,CEO,"London, United Kingdom",charles@engines.example
m9,Boss,Person,Partner Inc,VP Sales,,boss@partner.example
`

// fixture is a handler over an in-memory store and a small directory, with a controllable
// clock and captured logs.
type fixture struct {
	t      *testing.T
	h      *widget.Handler
	srv    *httptest.Server
	keys   *widget.Keys
	access *crmlink.Access
	stores map[widget.Env]*override.Store
	key    string // a production key for org
	keyID  string
	devKey string // a development key for org
	clock  *clock
	logs   *syncbuf.Buffer
	origin string
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newBackend(t testing.TB, access *crmlink.Access) (widget.Backend, *override.Store) {
	t.Helper()
	ctx := context.Background()
	dir := memdir.New()
	if _, err := dir.LoadCompaniesCSV(ctx, strings.NewReader(companiesCSV), "companies.csv"); err != nil {
		t.Fatal(err)
	}
	if _, err := dir.LoadMembersCSV(ctx, strings.NewReader(membersCSV), "members.csv"); err != nil {
		t.Fatal(err)
	}
	eng, err := matcher.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	store := override.NewMemory()
	t.Cleanup(func() { store.Close() })
	res, err := crmlink.NewResolver(store, eng, crmlink.WithVisibility(access))
	if err != nil {
		t.Fatal(err)
	}
	profiles := &widget.MemoryProfiles{}
	if _, err := profiles.LoadCompaniesCSV(strings.NewReader(companiesCSV), "companies.csv"); err != nil {
		t.Fatal(err)
	}
	if _, err := profiles.LoadMembersCSV(strings.NewReader(membersCSV), "members.csv"); err != nil {
		t.Fatal(err)
	}
	conns := &widget.MemoryConnections{}
	if _, err := conns.LoadCSV(strings.NewReader("member_id,connection_id\nm9,m3\nm3,m1\n"), "connections.csv"); err != nil {
		t.Fatal(err)
	}
	users := testUsers()
	seats := &widget.SeatMap{}
	seats.SetOrg(org, users, map[string]string{"boss@partner.example": "m9"})
	return widget.Backend{Resolver: res, Profiles: profiles, Seats: seats, Connections: conns}, store
}

func testUsers() []crm.User {
	return []crm.User{
		{ID: boss, Email: "boss@partner.example", RoleID: "r-vp", IsActive: true},
		{ID: rep, Email: "rep@partner.example", RoleID: "r-rep", IsActive: true},
		{ID: peer, Email: "peer@partner.example", RoleID: "r-rep", IsActive: true},
	}
}

// setAccess sets the CRM rules of org (boss heads the reps; rep and peer are peers, every
// object Private, every user holds a seat) and the owners of its records (record ID -> owner).
func setAccess(a *crmlink.Access, owners map[string]string) {
	roles := []crm.Role{{ID: "r-vp"}, {ID: "r-rep", ParentID: "r-vp"}}
	a.SetRules(org, testUsers(), roles, nil, nil, []string{"boss@partner.example", "rep@partner.example", "peer@partner.example"})
	var refs []override.RecordRef
	var ids []string
	for id, owner := range owners {
		obj := override.Account
		if strings.HasPrefix(id, "003") {
			obj = override.Contact
		}
		refs = append(refs, override.RecordRef{Org: org, Object: obj, ID: id})
		ids = append(ids, owner)
	}
	a.SetOwners(refs, ids)
}

func newFixture(t *testing.T, opts ...widget.Option) *fixture {
	t.Helper()
	f := &fixture{t: t, keys: &widget.Keys{}, access: crmlink.NewAccess(), logs: &syncbuf.Buffer{},
		clock: &clock{t: time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)}, stores: map[widget.Env]*override.Store{}}
	setAccess(f.access, map[string]string{acct: rep, acct2: rep, peerAcct: peer, contact: rep})
	prod, prodStore := newBackend(t, f.access)
	dev, devStore := newBackend(t, f.access)
	f.stores[widget.Production], f.stores[widget.Development] = prodStore, devStore
	var err error
	var info widget.KeyInfo
	f.key, info, err = f.keys.Create("partner", widget.Production, []string{org}, f.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	f.keyID = info.ID
	if f.devKey, _, err = f.keys.Create("partner", widget.Development, []string{org}, f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	base := []widget.Option{
		widget.WithEnvironment(widget.Production, prod),
		widget.WithEnvironment(widget.Development, dev),
		widget.WithOrigins("https://crm.example"),
		widget.WithClock(f.clock.Now),
		widget.WithLogger(slog.New(slog.NewTextHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
	}
	f.h, err = widget.New(f.keys, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	f.srv = httptest.NewTLSServer(f.h)
	t.Cleanup(f.srv.Close)
	f.origin = "https://crm.example"
	return f
}

// token mints a production viewer token for user.
func (f *fixture) token(user string) string {
	f.t.Helper()
	tok, _, err := f.h.Mint(f.key, org, user, 0)
	if err != nil {
		f.t.Fatal(err)
	}
	return tok
}

type answer struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func (a answer) code() string { s, _ := a.body["error"].(string); return s }

// call POSTs body (marshalled unless a string) to path with the bearer token and the CRM origin.
func (f *fixture) call(path, bearer string, body any, hdr ...string) answer {
	f.t.Helper()
	var raw []byte
	switch b := body.(type) {
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			f.t.Fatal(err)
		}
	}
	req, err := http.NewRequest(http.MethodPost, f.srv.URL+path, bytes.NewReader(raw))
	if err != nil {
		f.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	if path != "/v1/tokens" {
		req.Header.Set("Origin", f.origin)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	return do(f.t, f.srv.Client(), req)
}

func do(t testing.TB, c *http.Client, req *http.Request) answer {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	a := answer{status: resp.StatusCode, header: resp.Header, raw: string(b)}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(b, &a.body); err != nil {
			t.Fatalf("%s: body is not JSON: %v", req.URL.Path, err)
		}
	}
	return a
}

func card(object, id string, params map[string]string) widget.CardRequest {
	return widget.CardRequest{Object: object, RecordID: id, Params: params}
}

var acmeParams = map[string]string{"name": "Acme", "location": "Chicago"}

func memberRef(id string) override.EntityRef {
	return override.EntityRef{Kind: override.Member, ID: id}
}
