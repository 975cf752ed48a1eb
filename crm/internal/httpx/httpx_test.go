package httpx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/crmlink/crmlink/crm"
)

func TestCheckURL(t *testing.T) {
	tests := []struct {
		raw      string
		loopback bool
		want     error
	}{
		{"https://acme.my.salesforce.com", false, nil},
		{"http://127.0.0.1:8080", true, nil},
		{"http://[::1]:8080", true, nil},
		{"http://localhost", true, nil},
		{"http://127.0.0.1:8080", false, crm.ErrInsecure},
		{"http://acme.example", true, crm.ErrInsecure},
		{"ftp://acme.example", true, crm.ErrInsecure},
		{"acme.example/path", true, crm.ErrInvalid},
		{"https://", false, crm.ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.raw, func(t *testing.T) {
			u, err := CheckURL("test", "org URL", tc.raw, tc.loopback)
			if tc.want == nil {
				require.NoError(t, err)
				assert.Equal(t, tc.raw, u.String())
				return
			}
			require.ErrorIs(t, err, tc.want)
			assert.True(t, strings.HasPrefix(err.Error(), "test: org URL "), err.Error())
		})
	}
	_, err := CheckURL("test", "org URL", "http://acme.example/api?q=Ada+OBrien", false)
	assert.NotContains(t, err.Error(), "Ada", "the query is never quoted")
}

func TestClassifyStatus(t *testing.T) {
	tests := []struct {
		status int
		want   error
	}{
		{400, crm.ErrMalformedQuery}, {401, crm.ErrUnauthorized}, {403, crm.ErrUnauthorized},
		{404, crm.ErrNotFound}, {405, crm.ErrMalformedQuery}, {409, crm.ErrConflict},
		{412, crm.ErrConflict}, {414, crm.ErrMalformedQuery}, {429, crm.ErrRateLimited},
		{500, crm.ErrServer}, {501, crm.ErrServer}, {502, crm.ErrUnavailable},
		{503, crm.ErrUnavailable}, {504, crm.ErrUnavailable}, {302, crm.ErrMalformed},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, ClassifyStatus(tc.status), "status %d", tc.status)
	}
}

func FuzzSanitizeCode(f *testing.F) {
	f.Add("0x80040217")
	f.Add("PrivilegeDenied")
	f.Add("sf:INVALID_LOGIN")
	f.Add("Ada O'Brien <ada@example.com>")
	f.Fuzz(func(t *testing.T, code string) {
		got := SanitizeCode(code)
		if got == "" {
			return
		}
		assert.Equal(t, code, got)
		assert.LessOrEqual(t, len(got), 64)
		assert.NotContains(t, got, " ")
		assert.NotContains(t, got, "@")
	})
}

type closeRecorder struct {
	io.Reader
	closed bool
}

func (c *closeRecorder) Close() error { c.closed = true; return nil }

func TestResponseError(t *testing.T) {
	body := &closeRecorder{Reader: strings.NewReader(`{"code":"E_LIMIT","message":"Ada O'Brien"}`)}
	resp := &http.Response{StatusCode: 429, Header: http.Header{"Retry-After": {"34"}}, Body: body}
	var seen string
	e := ResponseError("query contacts", resp, func(status int, b []byte) (string, error) {
		seen = string(b)
		return "E_LIMIT", nil
	})
	assert.True(t, body.closed)
	assert.Contains(t, seen, "Ada", "the parser sees the body")
	assert.Equal(t, &crm.APIError{Op: "query contacts", Status: 429, Code: "E_LIMIT", RetryAfter: 34 * time.Second, Class: crm.ErrRateLimited}, e)
	assert.NotContains(t, e.Error(), "Ada")

	resp = &http.Response{StatusCode: 403, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("x"))}
	e = ResponseError("query contacts", resp, func(int, []byte) (string, error) { return "free text <a@b>", crm.ErrQuotaExceeded })
	assert.Empty(t, e.Code, "an unsanitary code is dropped")
	assert.ErrorIs(t, e, crm.ErrQuotaExceeded, "the parser's class wins over the status")
}

func TestTokenCacheSharesOneRefresh(t *testing.T) {
	var fetches atomic.Int64
	c := &TokenCache{Fetch: func(ctx context.Context) (*oauth2.Token, error) {
		n := fetches.Add(1)
		time.Sleep(5 * time.Millisecond)
		return &oauth2.Token{AccessToken: fmt.Sprintf("tok-%d", n)}, nil
	}}
	assert.Nil(t, c.Current(), "nothing cached, nothing fetched")
	assert.Zero(t, fetches.Load())
	first, err := c.Token(t.Context(), "")
	require.NoError(t, err)
	assert.Equal(t, first, c.Current())
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			tok, err := c.Token(t.Context(), first.AccessToken)
			assert.NoError(t, err)
			assert.Equal(t, "tok-2", tok.AccessToken)
		})
	}
	wg.Wait()
	assert.EqualValues(t, 2, fetches.Load(), "one refresh for all callers refused with the same token")

	expired := &TokenCache{Fetch: func(ctx context.Context) (*oauth2.Token, error) {
		n := fetches.Add(1)
		return &oauth2.Token{AccessToken: fmt.Sprintf("tok-%d", n), Expiry: time.Now().Add(-time.Minute)}, nil
	}}
	a, _ := expired.Token(t.Context(), "")
	b, _ := expired.Token(t.Context(), "")
	assert.NotEqual(t, a.AccessToken, b.AccessToken, "an expired token is replaced")

	failing := &TokenCache{Fetch: func(ctx context.Context) (*oauth2.Token, error) {
		return nil, &crm.APIError{Op: "fetch token", Class: crm.ErrUnauthorized}
	}}
	_, err = failing.Token(t.Context(), "")
	assert.ErrorIs(t, err, crm.ErrUnauthorized)
}

func TestClientDo(t *testing.T) {
	var calls atomic.Int64
	var mu sync.Mutex
	var script []int // statuses to answer, then 200
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		mu.Lock()
		st := http.StatusOK
		if len(script) > 0 {
			st, script = script[0], script[1:]
		}
		mu.Unlock()
		if st == http.StatusUnauthorized && r.Header.Get("Authorization") == "Bearer tok-2" {
			st = http.StatusOK // the refreshed token is accepted
		}
		if st == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "7")
		}
		w.WriteHeader(st)
		io.WriteString(w, `{"code":"X"}`)
	}))
	defer srv.Close()
	var fetches atomic.Int64
	var waits []time.Duration
	c := &Client{
		HTTP: srv.Client(),
		Tokens: &TokenCache{Fetch: func(ctx context.Context) (*oauth2.Token, error) {
			return &oauth2.Token{AccessToken: fmt.Sprintf("tok-%d", fetches.Add(1))}, nil
		}},
		Backoff: crm.Backoff{Retries: 2, Jitter: -1, Sleep: func(ctx context.Context, d time.Duration) error {
			waits = append(waits, d)
			return nil
		}},
	}
	run := func(statuses ...int) (*http.Response, error) {
		mu.Lock()
		script = statuses
		mu.Unlock()
		calls.Store(0)
		waits = nil
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/x", nil)
		require.NoError(t, err)
		return c.Do(t.Context(), "query x", req, true)
	}

	resp, err := run(http.StatusUnauthorized)
	require.NoError(t, err)
	resp.Body.Close()
	assert.EqualValues(t, 2, calls.Load(), "sent again after one refresh")
	assert.EqualValues(t, 2, fetches.Load())

	resp, err = run(http.StatusTooManyRequests, http.StatusServiceUnavailable)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, []time.Duration{7 * time.Second, time.Second}, waits, "Retry-After, then the policy's second delay")

	_, err = run(429, 429, 429, 429)
	require.ErrorIs(t, err, crm.ErrRateLimited)
	assert.EqualValues(t, 3, calls.Load(), "the first try and two retries")

	_, err = run(http.StatusConflict)
	require.ErrorIs(t, err, crm.ErrConflict)
	assert.EqualValues(t, 1, calls.Load(), "not retried")

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/x", nil)
	_, err = c.Do(ctx, "query x", req, true)
	require.ErrorIs(t, err, context.Canceled)
	_, retryable := crm.RetryAfter(err)
	assert.False(t, retryable)

	// A transport error: retried for a replayable request, not for a creation.
	var sent atomic.Int64
	dead := &Client{HTTP: &http.Client{Transport: failingTransport{n: &sent}}, Tokens: c.Tokens,
		Backoff: crm.Backoff{Retries: 2, Jitter: -1, Sleep: func(context.Context, time.Duration) error { return nil }}}
	req, _ = http.NewRequest(http.MethodPost, srv.URL+"/x?q=Ada", strings.NewReader("{}"))
	_, err = dead.Do(t.Context(), "create x", req, false)
	require.ErrorIs(t, err, crm.ErrUnavailable)
	assert.EqualValues(t, 1, sent.Load())
	assert.NotContains(t, err.Error(), "Ada", "no URL in the error")
	req, _ = http.NewRequest(http.MethodGet, srv.URL+"/x", nil)
	_, err = dead.Do(t.Context(), "query x", req, true)
	require.ErrorIs(t, err, crm.ErrUnavailable)
	assert.EqualValues(t, 4, sent.Load(), "one try and two retries")
}

type failingTransport struct{ n *atomic.Int64 }

func (f failingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	f.n.Add(1)
	return nil, errors.New("connection reset by peer at " + r.URL.String())
}
