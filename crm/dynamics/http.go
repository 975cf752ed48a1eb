package dynamics

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/crmlink/crmlink/crm"
)

// preferAnnotations asks for every annotation (formatted values, lookup logical names).
const preferAnnotations = `odata.include-annotations="*"`

// maxErrorBody bounds how much of an error body is read to find the Dataverse error code.
const maxErrorBody = 64 << 10

// request describes one HTTP call; body is re-sent on retries.
type request struct {
	op     string // "query contacts", "create task": names the call in errors, never data
	method string
	url    string // absolute
	body   []byte // JSON, or nil
	prefer string
}

// do sends r with authentication, refreshing the token once on 401 and retrying throttled
// (429) and unavailable (502/503/504) answers under the Source's [crm.Backoff], honouring
// Retry-After; GETs are also retried after transport errors. On success the caller owns
// resp.Body. Every failure is a *crm.APIError whose text holds no record data, token or
// response body.
func (s *Source) do(ctx context.Context, r request) (*http.Response, error) {
	retrier := s.opts.backoff.Retrier()
	refreshed := false
	for {
		resp, used, err := s.send(ctx, r)
		if err == nil && resp.StatusCode < 300 {
			return resp, nil
		}
		var apiErr *crm.APIError
		if err == nil {
			apiErr = s.readError(r.op, resp)
			if resp.StatusCode == http.StatusUnauthorized && !refreshed {
				refreshed = true
				s.log.DebugContext(ctx, "dynamics: token rejected, refreshing", "op", r.op, "code", apiErr.Code)
				if _, err := s.token(ctx, used); err != nil {
					return nil, err
				}
				continue
			}
			err = apiErr
		} else if r.method != http.MethodGet || !errors.As(err, &apiErr) || apiErr.Status != 0 {
			return nil, err // a transport error on a write may have reached the server
		}
		wait, ok := retrier.Next(err)
		if !ok {
			if _, retryable := crm.RetryAfter(err); retryable {
				s.log.WarnContext(ctx, "dynamics: retries spent", "op", r.op, "status", apiErr.Status, "code", apiErr.Code, "retries", retrier.Retries())
			}
			return nil, err
		}
		s.log.DebugContext(ctx, "dynamics: retrying", "op", r.op, "status", apiErr.Status, "code", apiErr.Code, "wait", wait)
		pause := crm.Sleep
		if s.opts.backoff.Sleep != nil {
			pause = s.opts.backoff.Sleep
		}
		if err := pause(ctx, wait); err != nil {
			return nil, &crm.APIError{Op: r.op, Cause: err}
		}
	}
}

// send performs one attempt.
func (s *Source) send(ctx context.Context, r request) (resp *http.Response, token string, err error) {
	tok, err := s.token(ctx, "")
	if err != nil {
		return nil, "", err
	}
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, r.url, body)
	if err != nil {
		return nil, tok, &crm.APIError{Op: r.op, Class: crm.ErrMalformedQuery}
	}
	h := req.Header
	h.Set("Authorization", "Bearer "+tok)
	h.Set("Accept", "application/json")
	h.Set("OData-MaxVersion", "4.0")
	h.Set("OData-Version", "4.0")
	if r.body != nil {
		h.Set("Content-Type", "application/json; charset=utf-8")
	}
	if r.method == http.MethodGet {
		h.Set("If-None-Match", "null") // never a cached result
	}
	if r.prefer != "" {
		h.Set("Prefer", r.prefer)
	}
	resp, err = s.client.Do(req)
	if err != nil {
		return nil, tok, transportError(ctx, r.op, err)
	}
	return resp, tok, nil
}

// transportError keeps the cause (so context.Canceled stays reachable) but drops the URL,
// whose query may carry filter values.
func transportError(ctx context.Context, op string, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return &crm.APIError{Op: op, Cause: cerr}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return &crm.APIError{Op: op, Class: crm.ErrUnavailable, Cause: err}
}

// errorBody is Dataverse's error shape: {"error":{"code":"0x80040217","message":"..."}}.
// The message is never kept: it may quote record values.
type errorBody struct {
	Error struct {
		Code string `json:"code"`
	} `json:"error"`
}

// readError consumes and closes resp.Body and maps the status to an error class.
func (s *Source) readError(op string, resp *http.Response) *crm.APIError {
	defer resp.Body.Close()
	e := &crm.APIError{Op: op, Status: resp.StatusCode, RetryAfter: crm.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())}
	var b errorBody
	if data, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody)); err == nil && json.Unmarshal(data, &b) == nil {
		e.Code = sanitizeCode(b.Error.Code)
	}
	e.Class = classify(resp.StatusCode)
	return e
}

func classify(status int) error {
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return crm.ErrUnauthorized
	case status == http.StatusTooManyRequests:
		return crm.ErrRateLimited
	case status == http.StatusNotFound:
		return crm.ErrNotFound
	case status == http.StatusServiceUnavailable || status == http.StatusBadGateway || status == http.StatusGatewayTimeout:
		return crm.ErrUnavailable
	case status >= 500:
		return crm.ErrServer
	case status >= 400:
		return crm.ErrMalformedQuery
	}
	return crm.ErrServer
}

// sanitizeCode keeps a vendor code only if it looks like one (0x80040217, PrivilegeDenied):
// a short token of letters, digits and a few separators, so that no free text leaks.
func sanitizeCode(code string) string {
	if len(code) > 64 {
		return ""
	}
	for _, c := range code {
		ok := c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '-' || c == '.'
		if !ok {
			return ""
		}
	}
	return code
}
