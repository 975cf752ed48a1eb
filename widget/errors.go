package widget

import (
	"errors"
	"net/http"
)

// The classes of the handler's refusals, matched with errors.Is. Each maps to one HTTP status
// and one machine-readable "error" code in the JSON body (see [StatusOf]). Messages never hold
// a key, a token or a record value.
var (
	// ErrInvalidRequest: a malformed body, an unknown field, a field outside the allowlist,
	// a bad record reference (400, "invalid_request").
	ErrInvalidRequest = errors.New("widget: invalid request")
	// ErrUnauthenticated: no viewer token or API key where one is needed (401, "unauthenticated").
	ErrUnauthenticated = errors.New("widget: unauthenticated")
	// ErrBadToken: a viewer token that does not verify (401, "bad_token").
	ErrBadToken = errors.New("widget: bad viewer token")
	// ErrTokenExpired: a viewer token past its expiry (401, "token_expired").
	ErrTokenExpired = errors.New("widget: viewer token expired")
	// ErrUnknownKey: an API key that is not one of the handler's (401, "unknown_key").
	ErrUnknownKey = errors.New("widget: unknown API key")
	// ErrRevokedKey: a revoked or rotated API key, or a token it minted (401, "revoked_key").
	ErrRevokedKey = errors.New("widget: revoked API key")
	// ErrForbidden: an org the key was not issued for, an environment it cannot reach, an
	// origin that is not a configured CRM origin, or plain HTTP (403, "forbidden").
	ErrForbidden = errors.New("widget: forbidden")
	// ErrNotVisible: the viewer could not see the record in the CRM (403, "not_visible"). It
	// says nothing of whether the record has a mapping.
	ErrNotVisible = errors.New("widget: record not visible to this viewer")
	// ErrDisabled: the integration is disabled for the record's org (403, "disabled").
	ErrDisabled = errors.New("widget: integration disabled for this org")
	// ErrTooLarge: a request body over the limit (413, "too_large").
	ErrTooLarge = errors.New("widget: request too large")
	// ErrRateLimited: the key's rate limit is exhausted (429, "rate_limited").
	ErrRateLimited = errors.New("widget: rate limited")
)

var errorCodes = []struct {
	err    error
	status int
	code   string
}{
	{ErrInvalidRequest, http.StatusBadRequest, "invalid_request"},
	{ErrUnauthenticated, http.StatusUnauthorized, "unauthenticated"},
	{ErrBadToken, http.StatusUnauthorized, "bad_token"},
	{ErrTokenExpired, http.StatusUnauthorized, "token_expired"},
	{ErrUnknownKey, http.StatusUnauthorized, "unknown_key"},
	{ErrRevokedKey, http.StatusUnauthorized, "revoked_key"},
	{ErrNotVisible, http.StatusForbidden, "not_visible"},
	{ErrDisabled, http.StatusForbidden, "disabled"},
	{ErrForbidden, http.StatusForbidden, "forbidden"},
	{ErrTooLarge, http.StatusRequestEntityTooLarge, "too_large"},
	{ErrRateLimited, http.StatusTooManyRequests, "rate_limited"},
}

// StatusOf returns the HTTP status and the JSON error code the handler answers err with:
// 500 and "internal" for an error of none of the classes above.
func StatusOf(err error) (status int, code string) {
	for _, c := range errorCodes {
		if errors.Is(err, c.err) {
			return c.status, c.code
		}
	}
	return http.StatusInternalServerError, "internal"
}
