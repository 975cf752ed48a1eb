package main

import (
	"context"
	"fmt"
	"html"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/csvsource"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/override/boltstore"
	"github.com/crmlink/crmlink/widget"
)

// DemoOrg is the CRM org of the demo.
const DemoOrg = "00DDEMO0000000001"

// demoUsers are the users of the demo CRM, each holding a seat. Ada heads sales; Bob and Eve are
// peers under her, so Ada sees every record, and Bob and Eve only their own (the org-wide
// defaults are Private).
var demoUsers = []crm.User{
	{ID: "005DEMO00000ADA", Name: "Ada (VP Sales)", Email: "ada@partner.example", RoleID: "00EVP", IsActive: true},
	{ID: "005DEMO00000BOB", Name: "Bob (Account Executive)", Email: "bob@partner.example", RoleID: "00EREP", IsActive: true},
	{ID: "005DEMO00000EVE", Name: "Eve (Account Executive)", Email: "eve@partner.example", RoleID: "00EREP", IsActive: true},
}

var demoRoles = []crm.Role{{ID: "00EVP", Name: "VP Sales"}, {ID: "00EREP", Name: "Account Executive", ParentID: "00EVP"}}

// demoSeats maps seat emails to the seat holders' own member profiles in the sample directory
// (only Ada has one there).
var demoSeats = map[string]string{"ada@partner.example": "m1"}

// demoRecord is a record of the demo CRM: the CRM holds these fields; the widget gets only the
// allowlisted ones, and stores only the record's ID.
type demoRecord struct {
	Object override.Object
	ID     string
	Owner  string
	Title  string
	Fields [][2]string // data attribute name (allowlisted parameter) and value, in display order
	Extra  [][2]string // CRM fields the widget never sees
}

var demoRecords = []demoRecord{
	{Object: override.Account, ID: "001DEMO00000001", Owner: "005DEMO00000BOB", Title: "DIYX MEDIA",
		Fields: [][2]string{{"name", "DIYX MEDIA"}, {"location", "NL"}},
		Extra:  [][2]string{{"Annual revenue", "$12M"}, {"Phone", "+31 20 555 0100"}}},
	{Object: override.Account, ID: "001DEMO00000002", Owner: "005DEMO00000BOB", Title: "Garcia Hermanos SL",
		Fields: [][2]string{{"name", "Garcia Hermanos SL"}, {"website", "https://garcia-hermanos.es/contacto"}},
		Extra:  [][2]string{{"Annual revenue", "$40M"}}},
	{Object: override.Contact, ID: "003DEMO00000001", Owner: "005DEMO00000ADA", Title: "Raj Nair",
		Fields: [][2]string{{"first_name", "Raj"}, {"last_name", "Nair"}, {"company", "Sharma & Sons"}, {"title", "Project Manager"}},
		Extra:  [][2]string{{"Phone", "+91 20 5550 1234"}, {"Lead source", "Webinar"}}},
	{Object: override.Lead, ID: "00QDEMO00000001", Owner: "005DEMO00000EVE", Title: "Erik Gustafsson",
		Fields: [][2]string{{"first_name", "Erik"}, {"last_name", "Gustafsson"}, {"email", "Erik.Gustafsson@LuyxGames.se"}},
		Extra:  [][2]string{{"Status", "Working"}}},
}

// config is what the demo is built from.
type config struct {
	Companies, Members, Connections string // CSV files
	StorePath                       string // the bolt file of overrides
	Env                             widget.Env
	Partner                         string
	// CRMDir is the directory of the demo CRM's opportunities and the activities crmlink wrote
	// back (csvsource files), read by the admin console's ROI report; "" shows none.
	CRMDir string
}

// demo is the widget with its backend, and the demo CRM record pages that embed it.
type demo struct {
	Handler *widget.Handler
	Keys    *widget.Keys
	Access  *crmlink.Access
	Store   *override.Store
	CRM     crm.Source // the demo CRM's opportunities and written-back activities; nil without
	KeyID   string
	apiKey  string // the partner's key: held by the partner's server (the CRM page), never sent to a browser
}

// newDemo builds the demo: the sample directory, the engine, a bolt store, the resolver, the
// profiles, the CRM's visibility, seats and connections, one partner key, and the handler.
// opts are added to the handler's options.
func newDemo(ctx context.Context, cfg config, opts ...widget.Option) (*demo, error) {
	dir := memdir.New()
	profiles := &widget.MemoryProfiles{}
	// The directory keeps normalised features; the profiles keep what a card shows.
	if err := loadFile(cfg.Companies, func(r *os.File) error {
		if _, err := dir.LoadCompaniesCSV(ctx, r, cfg.Companies); err != nil {
			return err
		}
		if _, err := r.Seek(0, io.SeekStart); err != nil {
			return err
		}
		_, err := profiles.LoadCompaniesCSV(r, cfg.Companies)
		return err
	}); err != nil {
		return nil, err
	}
	if err := loadFile(cfg.Members, func(r *os.File) error {
		if _, err := dir.LoadMembersCSV(ctx, r, cfg.Members); err != nil {
			return err
		}
		if _, err := r.Seek(0, io.SeekStart); err != nil {
			return err
		}
		_, err := profiles.LoadMembersCSV(r, cfg.Members)
		return err
	}); err != nil {
		return nil, err
	}
	conns := &widget.MemoryConnections{}
	if cfg.Connections != "" {
		if err := loadFile(cfg.Connections, func(r *os.File) error {
			_, err := conns.LoadCSV(r, cfg.Connections)
			return err
		}); err != nil {
			return nil, err
		}
	}
	eng, err := matcher.New(dir)
	if err != nil {
		return nil, err
	}
	store, err := boltstore.Open(cfg.StorePath)
	if err != nil {
		return nil, err
	}
	access := crmlink.NewAccess()
	res, err := crmlink.NewResolver(store, eng, crmlink.WithVisibility(access))
	if err != nil {
		store.Close()
		return nil, err
	}
	users := demoUsers
	// The CRM's visibility, as a sync fills it: users, roles, seats and record owners (IDs).
	var seatEmails []string
	for _, u := range demoUsers {
		seatEmails = append(seatEmails, u.Email)
	}
	access.SetRules(DemoOrg, users, demoRoles, nil, nil, seatEmails)
	refs := make([]override.RecordRef, len(demoRecords))
	owners := make([]string, len(demoRecords))
	for i, r := range demoRecords {
		refs[i], owners[i] = override.RecordRef{Org: DemoOrg, Object: r.Object, ID: r.ID}, r.Owner
	}
	access.SetOwners(refs, owners)
	seats := &widget.SeatMap{}
	seats.SetOrg(DemoOrg, users, demoSeats)

	keys := &widget.Keys{}
	apiKey, info, err := keys.Create(cfg.Partner, cfg.Env, []string{DemoOrg}, time.Now())
	if err != nil {
		store.Close()
		return nil, err
	}
	backend := widget.Backend{Resolver: res, Profiles: profiles, Seats: seats, Connections: conns}
	h, err := widget.New(keys, append([]widget.Option{widget.WithEnvironment(cfg.Env, backend)}, opts...)...)
	if err != nil {
		store.Close()
		return nil, err
	}
	var src crm.Source
	if cfg.CRMDir != "" {
		if src, err = csvsource.Open(cfg.CRMDir); err != nil {
			store.Close()
			return nil, err
		}
	}
	return &demo{Handler: h, Keys: keys, Access: access, Store: store, CRM: src, KeyID: info.ID, apiKey: apiKey}, nil
}

// Close closes the store.
func (d *demo) Close() error { return d.Store.Close() }

// loadFile opens path and reads it with fn; its errors are [badInput].
func loadFile(path string, fn func(*os.File) error) error {
	if err := readFile(path, fn); err != nil {
		return badInput{err}
	}
	return nil
}

func readFile(path string, fn func(*os.File) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return fn(f)
}

// crmPage returns the demo CRM: an index of records and users, and a record page per record
// that embeds the widget served at widgetURL, with a viewer token minted on the server side for
// the user the page is viewed as (?as=USER-ID; &ttl=SECONDS for a short-lived token).
func (d *demo) crmPage(widgetURL string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /crm.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		io.WriteString(w, crmCSS)
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		setPageHeaders(w, widgetURL)
		indexTmpl.Execute(w, map[string]any{"Records": demoRecords, "Users": demoUsers})
	})
	mux.HandleFunc("GET /record/{id}", func(w http.ResponseWriter, r *http.Request) {
		i := slices.IndexFunc(demoRecords, func(rec demoRecord) bool { return rec.ID == r.PathValue("id") })
		if i < 0 {
			http.NotFound(w, r)
			return
		}
		as := r.URL.Query().Get("as")
		if as == "" {
			as = demoUsers[0].ID
		}
		ttl := 10 * time.Minute
		if s := r.URL.Query().Get("ttl"); s != "" {
			n, err := time.ParseDuration(s + "s")
			if err != nil {
				http.Error(w, "bad ttl", http.StatusBadRequest)
				return
			}
			ttl = n
		}
		// The partner's server mints the viewer token with its API key: the key stays here.
		tok, _, err := d.Handler.Mint(d.apiKey, DemoOrg, as, ttl)
		if err != nil {
			status, code := widget.StatusOf(err)
			http.Error(w, "cannot mint a viewer token: "+code, status)
			return
		}
		setPageHeaders(w, widgetURL)
		recordTmpl.Execute(w, map[string]any{
			"Record": demoRecords[i], "Users": demoUsers, "As": as, "Token": tok,
			"Script": widgetURL + "/widget.js", "Kind": kindOf(demoRecords[i].Object),
			"Attrs": tagAttrs(demoRecords[i]),
		})
	})
	return mux
}

// tagAttrs returns the data attributes of rec's widget tag: its allowlisted fields only.
func tagAttrs(rec demoRecord) []template.HTMLAttr {
	out := make([]template.HTMLAttr, 0, len(rec.Fields))
	for _, f := range rec.Fields {
		name := strings.ReplaceAll(f[0], "_", "-")
		out = append(out, template.HTMLAttr(fmt.Sprintf(`data-%s="%s"`, html.EscapeString(name), html.EscapeString(f[1]))))
	}
	return out
}

func kindOf(o override.Object) string {
	if o == override.Account || o == override.Opportunity {
		return "company"
	}
	return "member"
}

// setPageHeaders gives the CRM page its own CSP: scripts, styles and calls only from itself and
// the widget's origin.
func setPageHeaders(w http.ResponseWriter, widgetURL string) {
	u, err := url.Parse(widgetURL)
	origin := ""
	if err == nil {
		origin = u.Scheme + "://" + u.Host
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", fmt.Sprintf("default-src 'self'; script-src %s; style-src 'self' %s; connect-src %s", origin, origin, origin))
	w.Header().Set("Strict-Transport-Security", "max-age=300")
}

var indexTmpl = template.Must(template.New("index").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Demo CRM</title><link rel="stylesheet" href="/crm.css"></head>
<body><h1>Demo CRM</h1>
<ul>{{range .Records}}<li><a href="/record/{{.ID}}">{{.Object}}: {{.Title}}</a></li>{{end}}</ul>
<p>View as: {{range .Users}}<code>?as={{.ID}}</code> ({{.Name}}) {{end}}</p>
</body></html>`))

var recordTmpl = template.Must(template.New("record").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Record.Title}} · Demo CRM</title>
<link rel="stylesheet" href="/crm.css"></head>
<body>
<header><strong>Demo CRM</strong> · viewing as <span id="viewer">{{.As}}</span>
 · {{range .Users}}<a href="?as={{.ID}}">{{.Name}}</a> {{end}}</header>
<main>
<h1>{{.Record.Object}}: {{.Record.Title}}</h1>
<table>
{{range .Record.Fields}}<tr><th>{{index . 0}}</th><td>{{index . 1}}</td></tr>{{end}}
{{range .Record.Extra}}<tr><th>{{index . 0}}</th><td>{{index . 1}}</td></tr>{{end}}
</table>
<aside id="profile"
 data-crmlink="{{.Kind}}" data-object="{{.Record.Object}}" data-record-id="{{.Record.ID}}"
 {{range .Attrs}} {{.}}{{end}}></aside>
</main>
<script src="{{.Script}}" data-token="{{.Token}}" defer></script>
</body></html>`))

// crmCSS styles the demo CRM page (the widget brings its own stylesheet).
const crmCSS = `body { margin: 0; font: 14px/1.45 system-ui, sans-serif; background: #f3f5f8; color: #1d2430; }
header { background: #0b2e4f; color: #fff; padding: 10px 20px; }
header a { color: #cfe3ff; margin-left: 8px; }
main { display: grid; grid-template-columns: minmax(320px, 1fr) 440px; gap: 20px; padding: 20px; }
main h1 { grid-column: 1 / -1; margin: 0; font-size: 22px; }
table { background: #fff; border: 1px solid #c9d1dc; border-radius: 6px; border-collapse: separate; padding: 8px; align-self: start; }
th { text-align: left; color: #5a6473; font-weight: 600; padding: 4px 14px 4px 4px; }
td { padding: 4px; }
`
