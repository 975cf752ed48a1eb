package httpx

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/crmlink/crmlink/crm"
)

func TestTokenError(t *testing.T) {
	retrieve := func(status int, code string) error {
		return &oauth2.RetrieveError{Response: &http.Response{StatusCode: status}, ErrorCode: code,
			Body: []byte(`{"error":"` + code + `","error_description":"AADSTS7000215: Invalid client secret s3cr3t"}`)}
	}
	own := &crm.APIError{Op: "authenticate", Class: crm.ErrMalformed}
	sentinel := errors.New("keychain locked")
	tests := []struct {
		name   string
		err    error
		class  error
		status int
		code   string
	}{
		{"invalid client", retrieve(401, "invalid_client"), crm.ErrUnauthorized, 401, "invalid_client"},
		{"invalid grant", retrieve(400, "invalid_grant"), crm.ErrUnauthorized, 400, "invalid_grant"},
		{"throttled", retrieve(429, ""), crm.ErrRateLimited, 429, ""},
		{"token endpoint down", retrieve(503, "temporarily_unavailable"), crm.ErrUnavailable, 503, "temporarily_unavailable"},
		{"free-text code dropped", retrieve(400, "jane@acme.example said no"), crm.ErrUnauthorized, 400, ""},
		{"transport", &url.Error{Op: "Post", URL: "https://login.example/token?user=jane", Err: errors.New("connection refused")}, crm.ErrUnavailable, 0, ""},
		{"other", sentinel, crm.ErrUnauthorized, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := TokenError(t.Context(), "fetch token", tc.err)
			require.ErrorIs(t, err, tc.class)
			var ae *crm.APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, "fetch token", ae.Op)
			assert.Equal(t, tc.status, ae.Status)
			assert.Equal(t, tc.code, ae.Code)
			assert.NotContains(t, err.Error(), "s3cr3t", "no token endpoint body")
			assert.NotContains(t, err.Error(), "jane", "no URL or free text")
		})
	}
	assert.ErrorIs(t, TokenError(t.Context(), "fetch token", sentinel), sentinel, "the cause stays reachable")
	assert.Same(t, own, TokenError(t.Context(), "fetch token", own), "a classified error passes unchanged")

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err := TokenError(ctx, "fetch token", retrieve(401, "invalid_client"))
	require.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, crm.ErrUnauthorized, "a canceled fetch is not a credentials problem")
	err = TokenError(t.Context(), "fetch token", &url.Error{Op: "Post", URL: "x", Err: context.DeadlineExceeded})
	require.ErrorIs(t, err, context.DeadlineExceeded)
	_, retryable := crm.RetryAfter(err)
	assert.False(t, retryable)
}
