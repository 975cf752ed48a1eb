package admin

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"sync"
)

// ErrUnauthorized is returned by an [Authenticator] for a request without a valid admin
// credential.
var ErrUnauthorized = errors.New("admin: no valid admin credential")

// Authenticator checks a request's admin-scoped credential and returns the org it administers.
// A credential of any other scope (a widget viewer token, a partner key) must be refused with an
// error matching [ErrUnauthorized].
type Authenticator interface {
	AdminOrg(r *http.Request) (org string, err error)
}

// CookieName is the cookie that carries the admin token in a browser session.
const CookieName = "crmlink_admin"

// Tokens is an [Authenticator] of admin tokens kept as SHA-256 hashes: a token is shown once,
// when issued, and cannot be read back. A request carries it as "Authorization: Bearer <token>"
// or in the [CookieName] cookie. Tokens is safe for concurrent use; the zero value is not
// usable, call [NewTokens].
type Tokens struct {
	mu   sync.Mutex
	orgs map[[32]byte]string // hash of the token -> org
}

// NewTokens returns an empty set of admin tokens.
func NewTokens() *Tokens { return &Tokens{orgs: map[[32]byte]string{}} }

// tokenPrefix marks admin tokens, so that one is never taken for a credential of another scope.
const tokenPrefix = "cla_"

// Issue creates an admin token for org and returns it; only its hash is kept.
func (t *Tokens) Issue(org string) (string, error) {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", errors.New("admin: issue token: no randomness")
	}
	tok := tokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	t.mu.Lock()
	defer t.mu.Unlock()
	t.orgs[sha256.Sum256([]byte(tok))] = org
	return tok, nil
}

// Revoke forgets token; it reports whether it was known.
func (t *Tokens) Revoke(token string) bool {
	h := sha256.Sum256([]byte(token))
	t.mu.Lock()
	defer t.mu.Unlock()
	_, ok := t.orgs[h]
	delete(t.orgs, h)
	return ok
}

// AdminOrg implements [Authenticator].
func (t *Tokens) AdminOrg(r *http.Request) (string, error) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		c, err := r.Cookie(CookieName)
		if err != nil {
			return "", ErrUnauthorized
		}
		tok = c.Value
	}
	if !strings.HasPrefix(tok, tokenPrefix) {
		return "", ErrUnauthorized
	}
	t.mu.Lock()
	org, ok := t.orgs[sha256.Sum256([]byte(tok))]
	t.mu.Unlock()
	if !ok {
		return "", ErrUnauthorized
	}
	return org, nil
}
