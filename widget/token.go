package widget

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Viewer is who a viewer token speaks for: a CRM user of an org, in an environment.
type Viewer struct {
	Org     string // the CRM org (tenant) ID
	CRMUser string // the viewing CRM user's ID
	Env     Env    // the environment of the key that minted the token
	KeyID   string // the key that minted the token
}

// claims is the signed payload of a viewer token.
type claims struct {
	Key string `json:"k"`
	Org string `json:"o"`
	Usr string `json:"u"`
	Env Env    `json:"e"`
	Iat int64  `json:"iat"`
	Exp int64  `json:"exp"`
}

// MaxTokenTTL is the longest life a viewer token may be minted with; DefaultTokenTTL the one
// used when none is asked for.
const (
	MaxTokenTTL     = time.Hour
	DefaultTokenTTL = 10 * time.Minute
)

// signToken returns "<payload>.<mac>", both base64url, the MAC an HMAC-SHA256 under key.
func signToken(key []byte, c claims) string {
	payload, _ := json.Marshal(c) // cannot fail: strings and integers
	p := base64.RawURLEncoding.EncodeToString(payload)
	m := hmac.New(sha256.New, key)
	m.Write([]byte(p))
	return p + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// parseToken verifies tok's MAC under key and its expiry at now, and returns its claims.
func parseToken(key []byte, tok string, now time.Time) (claims, error) {
	if len(tok) > 1024 {
		return claims{}, fmt.Errorf("widget: viewer token: %w: too long", ErrBadToken)
	}
	p, mac, ok := strings.Cut(tok, ".")
	if !ok {
		return claims{}, fmt.Errorf("widget: viewer token: %w: not two parts", ErrBadToken)
	}
	got, err := base64.RawURLEncoding.DecodeString(mac)
	if err != nil {
		return claims{}, fmt.Errorf("widget: viewer token: %w: signature encoding", ErrBadToken)
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(p))
	if !hmac.Equal(got, m.Sum(nil)) {
		return claims{}, fmt.Errorf("widget: viewer token: %w: signature", ErrBadToken)
	}
	payload, err := base64.RawURLEncoding.DecodeString(p)
	if err != nil {
		return claims{}, fmt.Errorf("widget: viewer token: %w: payload encoding", ErrBadToken)
	}
	var c claims
	if err := json.Unmarshal(payload, &c); err != nil || c.Key == "" || c.Org == "" || c.Usr == "" || !c.Env.Valid() {
		return claims{}, fmt.Errorf("widget: viewer token: %w: payload", ErrBadToken)
	}
	if now.Unix() >= c.Exp {
		return claims{}, fmt.Errorf("widget: viewer token of key %s: %w", c.Key, ErrTokenExpired)
	}
	return c, nil
}
