package admin

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
)

// CSRFField is the form field that carries the console's anti-forgery token in every POST.
const CSRFField = "csrf"

// csrfKey makes the anti-forgery tokens of one [Handler]; it never leaves memory.
type csrfKey [32]byte

func newCSRFKey() (csrfKey, error) {
	var k csrfKey
	if _, err := rand.Read(k[:]); err != nil {
		return k, errors.New("admin: no randomness for the CSRF key")
	}
	return k, nil
}

// session returns what identifies the admin session of r: the credential the request carries
// (the Authorization header, else the admin cookie). An [Authenticator] that reads neither ties
// the token to the org alone.
func session(r *http.Request) string {
	if a := r.Header.Get("Authorization"); a != "" {
		return "h:" + a
	}
	if c, err := r.Cookie(CookieName); err == nil {
		return "c:" + c.Value
	}
	return ""
}

// token returns the anti-forgery token of the session of r for org: an HMAC of the org and a
// hash of the session's credential under the handler's key (a synchronizer token kept by no
// one: it is recomputed, so it lives as long as the session's credential and the handler).
func (k *csrfKey) token(r *http.Request, org string) string {
	cred := sha256.Sum256([]byte(session(r)))
	m := hmac.New(sha256.New, k[:])
	m.Write([]byte(org))
	m.Write([]byte{0})
	m.Write(cred[:])
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// valid reports whether r carries the anti-forgery token of its session in its form body,
// compared in constant time.
func (k *csrfKey) valid(r *http.Request, org string) bool {
	got := r.PostFormValue(CSRFField)
	if got == "" {
		return false
	}
	return hmac.Equal([]byte(got), []byte(k.token(r, org)))
}
