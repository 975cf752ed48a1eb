package widget

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/privacy"
)

// FuzzDecodeCard feeds arbitrary bodies to the card request decoding: it never panics, refuses
// with ErrInvalidRequest, and what it accepts is a valid record of the token's org with only
// allowlisted, bounded parameters.
func FuzzDecodeCard(f *testing.F) {
	for _, s := range []string{
		`{"object":"account","record_id":"001A","params":{"name":"Acme","website":"acme.com"}}`,
		`{"object":"contact","record_id":"003A","params":{"first_name":"Ada","email":"ada@x.org"}}`,
		`{"object":"lead","record_id":"00QA","params":{"last_name":"L","email_sha256":"` + strings.Repeat("ab", 32) + `"}}`,
		`{"object":"account","record_id":"001A","params":{"phone":"1"}}`,
		`{"object":"case","record_id":"","params":null}`,
		`{"object":"account","record_id":"001A","params":{"name":"x"},"x":1}`,
		`[1,2,3]`, `{"object":"account"} {}`, "\x00\xff", ``,
	} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, body []byte, hashOnly bool) {
		rec, q, err := decodeCard(body, "00DORG", hashOnly)
		if err != nil {
			if !errors.Is(err, ErrInvalidRequest) {
				t.Fatalf("error %v is not ErrInvalidRequest", err)
			}
			if rec.ID != "" || q != nil {
				t.Fatal("a refusal returned a record")
			}
			return
		}
		if rec.Org != "00DORG" || rec.Validate() != nil {
			t.Fatalf("accepted an invalid record %+v", rec)
		}
		switch q := q.(type) {
		case matcher.CompanyQuery:
			for _, v := range []string{q.Name, q.Industry, q.Location, q.Website} {
				if len(v) > maxParamLen {
					t.Fatal("accepted an over-long parameter")
				}
			}
		case matcher.MemberQuery:
			if hashOnly && q.Email != "" {
				t.Fatal("a clear email passed with hash-only")
			}
		default:
			t.Fatalf("query of type %T", q)
		}
	})
}

// FuzzDecodeChoice does the same for choose and reject bodies.
func FuzzDecodeChoice(f *testing.F) {
	f.Add([]byte(`{"object":"account","record_id":"001A","entity_id":"c1"}`))
	f.Add([]byte(`{"object":"lead","record_id":"00QA","entity_id":""}`))
	f.Add([]byte(`{"object":"account","record_id":"001A","entity_id":"c1","by":"x"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		rec, e, err := decodeChoice(body, "00DORG")
		if err != nil {
			if !errors.Is(err, ErrInvalidRequest) {
				t.Fatalf("error %v is not ErrInvalidRequest", err)
			}
			return
		}
		if rec.Validate() != nil || e.Validate() != nil || rec.Org != "00DORG" {
			t.Fatalf("accepted %+v %+v", rec, e)
		}
	})
}

// FuzzParseToken checks that no input but a token signed with the key verifies.
func FuzzParseToken(f *testing.F) {
	key := []byte(strings.Repeat("k", 32))
	now := time.Unix(1_800_000_000, 0)
	good := signToken(key, claims{Key: "id", Org: "o", Usr: "u", Env: Production, Iat: now.Unix(), Exp: now.Unix() + 60})
	f.Add(good)
	f.Add(good + "x")
	f.Add("a.b")
	f.Add("")
	f.Fuzz(func(t *testing.T, tok string) {
		c, err := parseToken(key, tok, now)
		if err != nil {
			if !errors.Is(err, ErrBadToken) && !errors.Is(err, ErrTokenExpired) {
				t.Fatalf("error %v of no class", err)
			}
			return
		}
		// The only token signed with key is good: whatever verifies carries its payload.
		p, _, _ := strings.Cut(tok, ".")
		gp, _, _ := strings.Cut(good, ".")
		if p != gp || c.Org != "o" || c.Usr != "u" {
			t.Fatalf("verified a payload the key never signed: %q", tok)
		}
	})
}

func TestAllowlistFollowsPrivacy(t *testing.T) {
	for _, k := range []privacy.Kind{privacy.KindCompany, privacy.KindMember} {
		params := map[string]string{}
		for _, name := range privacy.Fields(k) {
			params[name] = "x"
		}
		if err := checkAllowed(k, params, false); err != nil {
			t.Errorf("%s: the privacy allowlist is refused: %v", k, err)
		}
	}
}
