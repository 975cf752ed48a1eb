package widget

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/override"
)

// CardRequest is the body of POST /v1/card: a CRM record of the token's org and the allowlisted
// parameters of it the page sent (company: name, industry, location, website; member:
// first_name, last_name, company, title, email or email_sha256, location).
type CardRequest struct {
	Object   string            `json:"object"`    // lead, contact, account or opportunity
	RecordID string            `json:"record_id"` // the CRM record's ID
	Params   map[string]string `json:"params"`
}

// ChoiceRequest is the body of POST /v1/choose and POST /v1/reject.
type ChoiceRequest struct {
	Object   string `json:"object"`
	RecordID string `json:"record_id"`
	EntityID string `json:"entity_id"`
}

// Card is the answer of POST /v1/card.
type Card struct {
	// State is "match", "ambiguous" or "none".
	State string `json:"state"`
	// Via says how the best profile was found: "manual", "sync" or "match".
	Via string `json:"via"`
	// Best is the profile the record links to, or the best candidate of an ambiguous
	// match; nil when there is none.
	Best *CardProfile `json:"best,omitempty"`
	// Candidates are the other options to pick from, best first.
	Candidates []CardProfile `json:"candidates"`
}

// CardProfile is one profile on a card.
type CardProfile struct {
	Kind       string      `json:"kind"` // member or company
	ID         string      `json:"id"`
	Name       string      `json:"name"`
	Headline   string      `json:"headline,omitempty"`
	Company    string      `json:"company,omitempty"`
	Location   string      `json:"location,omitempty"`
	Website    string      `json:"website,omitempty"`
	Score      *float64    `json:"score,omitempty"` // the match probability; absent for a stored mapping
	Why        []string    `json:"why,omitempty"`   // the engine's field explanations, in words
	Connection *Connection `json:"connection,omitempty"`
}

// MarshalJSON writes a Connection as {"degree":n,"shared":n}.
func (c Connection) MarshalJSON() ([]byte, error) {
	return fmt.Appendf(nil, `{"degree":%d,"shared":%d}`, c.Degree, c.Shared), nil
}

// decodeStrict decodes one JSON object into v, refusing unknown fields and trailing data.
func decodeStrict(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("widget: decode request: %w: malformed JSON", ErrInvalidRequest)
	}
	if dec.More() {
		return fmt.Errorf("widget: decode request: %w: trailing data", ErrInvalidRequest)
	}
	return nil
}

// decodeCard decodes and checks a card request of org: a valid record and allowlisted
// parameters. It returns the record and the engine's query (a CompanyQuery or MemberQuery).
func decodeCard(body []byte, org string, hashOnly bool) (override.RecordRef, any, error) {
	var req CardRequest
	if err := decodeStrict(body, &req); err != nil {
		return override.RecordRef{}, nil, err
	}
	rec, kind, err := recordOf(org, req.Object, req.RecordID)
	if err != nil {
		return override.RecordRef{}, nil, err
	}
	var q any
	if kind == override.Company {
		q, err = companyQuery(req.Params)
	} else {
		q, err = memberQuery(req.Params, hashOnly)
	}
	if err != nil {
		return override.RecordRef{}, nil, err
	}
	return rec, q, nil
}

// decodeChoice decodes and checks a choose or reject request of org.
func decodeChoice(body []byte, org string) (override.RecordRef, override.EntityRef, error) {
	var req ChoiceRequest
	if err := decodeStrict(body, &req); err != nil {
		return override.RecordRef{}, override.EntityRef{}, err
	}
	rec, kind, err := recordOf(org, req.Object, req.RecordID)
	if err != nil {
		return override.RecordRef{}, override.EntityRef{}, err
	}
	e := override.EntityRef{Kind: kind, ID: req.EntityID}
	if err := e.Validate(); err != nil {
		return override.RecordRef{}, override.EntityRef{}, fmt.Errorf("widget: %w: bad entity ID", ErrInvalidRequest)
	}
	return rec, e, nil
}

func recordOf(org, object, id string) (override.RecordRef, override.EntityKind, error) {
	rec := override.RecordRef{Org: org, Object: override.Object(object), ID: id}
	if err := rec.Validate(); err != nil {
		return override.RecordRef{}, "", fmt.Errorf("widget: %w: bad record reference", ErrInvalidRequest)
	}
	switch rec.Object {
	case override.Account, override.Opportunity:
		return rec, override.Company, nil
	case override.Lead, override.Contact:
		return rec, override.Member, nil
	}
	return override.RecordRef{}, "", fmt.Errorf("widget: %w: unknown object", ErrInvalidRequest)
}

// card resolves one record for the viewer and builds its card.
func (h *Handler) card(ctx context.Context, v Viewer, b Backend, body []byte) (any, error) {
	rec, q, err := decodeCard(body, v.Org, h.o.hashOnly)
	if err != nil {
		return nil, err
	}
	var res crmlink.Resolution
	switch q := q.(type) {
	case matcher.CompanyQuery:
		res, err = b.Resolver.ResolveCompany(ctx, viewerOf(v), rec, q)
	case matcher.MemberQuery:
		res, err = b.Resolver.ResolveMember(ctx, viewerOf(v), rec, q)
	}
	if err != nil {
		return nil, classify(err)
	}
	return h.buildCard(ctx, v, b, res)
}

func (h *Handler) buildCard(ctx context.Context, v Viewer, b Backend, res crmlink.Resolution) (*Card, error) {
	c := &Card{Via: res.Via.String(), Candidates: []CardProfile{}}
	viewerMember := ""
	if b.Seats != nil && b.Connections != nil {
		m, ok, err := b.Seats.MemberID(ctx, v.Org, v.CRMUser)
		if err != nil {
			return nil, fmt.Errorf("widget: seat of the viewer: %w", err)
		}
		if ok {
			viewerMember = m
		}
	}
	profile := func(ref override.EntityRef, cand *matcher.Candidate) (*CardProfile, error) {
		p, ok, err := b.Profiles.Profile(ctx, ref)
		if err != nil {
			return nil, fmt.Errorf("widget: profile %s: %w", ref, err)
		}
		if !ok {
			p = Profile{Ref: ref, Name: ref.ID}
		}
		cp := &CardProfile{Kind: string(ref.Kind), ID: ref.ID, Name: p.Name, Headline: p.Headline,
			Company: p.Company, Location: p.Location, Website: p.Website}
		if cand != nil {
			s := cand.Score
			cp.Score = &s
			cp.Why = why(cand.Fields)
		}
		if viewerMember != "" && ref.Kind == override.Member {
			conn, ok, err := b.Connections.Connection(ctx, viewerMember, ref.ID)
			if err != nil {
				return nil, fmt.Errorf("widget: connection: %w", err)
			}
			if ok {
				cp.Connection = &conn
			}
		}
		return cp, nil
	}
	if res.Result == nil { // a stored mapping
		c.State = "match"
		p, err := profile(res.Entity, nil)
		if err != nil {
			return nil, err
		}
		c.Best = p
		return c, nil
	}
	c.State = res.Result.Decision.String()
	for i := range res.Result.Candidates {
		cand := &res.Result.Candidates[i]
		if i > h.o.candidateShow {
			break
		}
		ref, ok := entityRef(cand.Entity)
		if !ok {
			continue
		}
		p, err := profile(ref, cand)
		if err != nil {
			return nil, err
		}
		if i == 0 && res.Result.Decision != matcher.None {
			c.Best = p
			continue
		}
		c.Candidates = append(c.Candidates, *p)
	}
	return c, nil
}

func entityRef(e matcher.EntityRef) (override.EntityRef, bool) {
	switch e.Kind {
	case matcher.KindCompany:
		return override.EntityRef{Kind: override.Company, ID: e.ID}, true
	case matcher.KindMember:
		return override.EntityRef{Kind: override.Member, ID: e.ID}, true
	}
	return override.EntityRef{}, false
}

// fieldLabels and levelWords turn the engine's field explanations into words.
var fieldLabels = map[string]string{
	matcher.FieldName: "Name", matcher.FieldLegalForm: "Legal form", matcher.FieldWebsite: "Website",
	matcher.FieldIndustry: "Industry", matcher.FieldLocation: "Location",
	matcher.FieldFirstName: "First name", matcher.FieldLastName: "Last name", matcher.FieldCompany: "Company",
	matcher.FieldTitle: "Title", matcher.FieldEmail: "Email", matcher.FieldEmailPattern: "Email address",
	matcher.FieldEmailDomain: "Email domain", matcher.FieldStreet: "Street", matcher.FieldPostcode: "Postcode",
	matcher.FieldLocality: "Town",
}

var levelWords = map[string]string{
	matcher.LevelExact: "matches exactly", matcher.LevelNickname: "matches as a nickname",
	matcher.LevelAcronym: "matches as an acronym", matcher.LevelSpelledOut: "spells out the acronym",
	matcher.LevelPrefix: "matches as a shorter form",
	matcher.LevelDomain: "matches under another domain suffix", matcher.LevelCountry: "is in the same country",
	matcher.LevelPattern: "follows the name", matcher.LevelInitial: "matches as an initial",
	matcher.LevelPartial: "partly matches",
	matcher.LevelHigh:    "is very similar", matcher.LevelMedium: "is similar", matcher.LevelDisagree: "differs",
}

// why returns one phrase per field that counted, the strongest evidence first.
func why(fields []matcher.FieldScore) []string {
	fs := slices.Clone(fields)
	slices.SortStableFunc(fs, func(a, b matcher.FieldScore) int {
		switch {
		case a.Contribution > b.Contribution:
			return -1
		case a.Contribution < b.Contribution:
			return 1
		}
		return 0
	})
	var out []string
	for _, f := range fs {
		if f.Level == "missing" || f.Contribution == 0 {
			continue
		}
		label := fieldLabels[f.Field]
		if label == "" {
			label = f.Field
		}
		word := levelWords[f.Level]
		if word == "" {
			word = "agrees (" + f.Level + ")"
			if f.Contribution < 0 {
				word = "differs (" + f.Level + ")"
			}
		}
		out = append(out, label+" "+word)
	}
	return out
}

// choose stores the viewer's pick as a manual mapping.
func (h *Handler) choose(ctx context.Context, v Viewer, b Backend, body []byte) (any, error) {
	rec, e, err := decodeChoice(body, v.Org)
	if err != nil {
		return nil, err
	}
	if err := b.Resolver.Correct(ctx, viewerOf(v), rec, e); err != nil {
		return nil, classify(err)
	}
	return map[string]string{"status": "chosen"}, nil
}

// reject stores the viewer's "not this one".
func (h *Handler) reject(ctx context.Context, v Viewer, b Backend, body []byte) (any, error) {
	rec, e, err := decodeChoice(body, v.Org)
	if err != nil {
		return nil, err
	}
	if err := b.Resolver.Reject(ctx, viewerOf(v), rec, e); err != nil {
		return nil, classify(err)
	}
	return map[string]string{"status": "rejected"}, nil
}

// TokenRequest is the body of POST /v1/tokens.
type TokenRequest struct {
	Org        string `json:"org"`
	CRMUser    string `json:"crm_user"`
	TTLSeconds int    `json:"ttl_seconds,omitempty"` // default DefaultTokenTTL, at most MaxTokenTTL
}

// TokenResponse is the answer of POST /v1/tokens.
type TokenResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
}

// Mint returns a viewer token for crmUser of org, valid for ttl (DefaultTokenTTL when 0, at
// most MaxTokenTTL), authenticated by the partner's API key. It is what POST /v1/tokens does,
// for a partner service that mounts the Handler in its own process. The key must not be
// revoked and must have been issued for org; the token reaches only the key's environment.
func (h *Handler) Mint(apiKey, org, crmUser string, ttl time.Duration) (token string, expires time.Time, err error) {
	info, err := h.keys.Verify(apiKey)
	if err != nil {
		return "", time.Time{}, err
	}
	return h.mint(info, org, crmUser, ttl)
}

func (h *Handler) mint(info KeyInfo, org, crmUser string, ttl time.Duration) (string, time.Time, error) {
	if org == "" || crmUser == "" || len(org) > 64 || len(crmUser) > 64 {
		return "", time.Time{}, fmt.Errorf("widget: mint token: %w: org and CRM user are required (at most 64 bytes)", ErrInvalidRequest)
	}
	if ttl == 0 {
		ttl = h.o.defaultTTL
	}
	if ttl < 0 || ttl > MaxTokenTTL {
		return "", time.Time{}, fmt.Errorf("widget: mint token: %w: life outside (0, %s]", ErrInvalidRequest, MaxTokenTTL)
	}
	if !slices.Contains(info.Orgs, org) {
		return "", time.Time{}, fmt.Errorf("widget: mint token with key %s: %w: org not granted to the key", info.ID, ErrForbidden)
	}
	if _, ok := h.o.backends[info.Env]; !ok {
		return "", time.Time{}, fmt.Errorf("widget: mint token with key %s: %w: environment %s not served here", info.ID, ErrForbidden, info.Env)
	}
	now := h.o.now()
	exp := now.Add(ttl)
	tok := signToken(h.o.signingKey, claims{Key: info.ID, Org: org, Usr: crmUser, Env: info.Env, Iat: now.Unix(), Exp: exp.Unix()})
	return tok, exp.UTC().Truncate(time.Second), nil
}

// tokens serves POST /v1/tokens: the partner's server, with its API key, mints a viewer token.
// A browser request (one with an Origin) is refused: the browser never holds an API key.
func (h *Handler) tokens(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if r.Header.Get("Origin") != "" {
		h.fail(w, r, "", fmt.Errorf("widget: %w: tokens are minted by the partner's server, not a browser", ErrForbidden))
		return
	}
	key, ok := bearer(r)
	if !ok {
		h.fail(w, r, "", fmt.Errorf("widget: %w: no API key", ErrUnauthenticated))
		return
	}
	info, err := h.keys.Verify(key)
	if err != nil {
		h.fail(w, r, "", err)
		return
	}
	if err := h.allow(info.ID); err != nil {
		h.fail(w, r, info.ID, err)
		return
	}
	body, err := h.readBody(w, r)
	if err != nil {
		h.fail(w, r, info.ID, err)
		return
	}
	var req TokenRequest
	if err := decodeStrict(body, &req); err != nil {
		h.fail(w, r, info.ID, err)
		return
	}
	if req.TTLSeconds < 0 || req.TTLSeconds > int(MaxTokenTTL/time.Second) {
		h.fail(w, r, info.ID, fmt.Errorf("widget: mint token: %w: life outside (0, %s]", ErrInvalidRequest, MaxTokenTTL))
		return
	}
	tok, exp, err := h.mint(info, req.Org, req.CRMUser, time.Duration(req.TTLSeconds)*time.Second)
	if err != nil {
		h.fail(w, r, info.ID, err)
		return
	}
	writeJSON(w, http.StatusOK, TokenResponse{Token: tok, ExpiresAt: exp})
}
