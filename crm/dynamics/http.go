package dynamics

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/internal/httpx"
)

// preferAnnotations asks for every annotation (formatted values, lookup logical names).
const preferAnnotations = `odata.include-annotations="*"`

// request describes one HTTP call; body is re-sent on retries.
type request struct {
	op     string // "query contacts", "create task": names the call in errors, never data
	method string
	url    string // absolute
	body   []byte // JSON, or nil
	prefer string
}

// do sends r through the Source's [httpx.Client]: with authentication, refreshing the token once
// on 401 and retrying throttled (429) and unavailable (502/503/504) answers under the Source's
// [crm.Backoff], honouring Retry-After; GETs are also retried after transport errors. On success
// the caller owns resp.Body. Every failure is a *crm.APIError whose text holds no record data,
// token or response body.
func (s *Source) do(ctx context.Context, r request) (*http.Response, error) {
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequest(r.method, r.url, body)
	if err != nil {
		return nil, &crm.APIError{Op: r.op, Class: crm.ErrMalformedQuery}
	}
	h := req.Header
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
	// A transport error on a write may have reached the server: only reads are sent again.
	return s.http.Do(ctx, r.op, req, r.method == http.MethodGet)
}

// transportError keeps the cause (so context.Canceled stays reachable) but not its text, which
// may quote the URL and its filter values.
func transportError(ctx context.Context, op string, err error) error {
	return httpx.TransportError(ctx, op, err)
}

// errorBody is Dataverse's error shape: {"error":{"code":"0x80040217","message":"..."}}.
// The message is never kept: it may quote record values.
type errorBody struct {
	Error struct {
		Code string `json:"code"`
	} `json:"error"`
}

// parseError reads the Dataverse error code of a failed answer; the status alone gives the
// class (see the crm package documentation, # Errors).
func parseError(_ int, body []byte) (string, error) {
	var b errorBody
	if json.Unmarshal(body, &b) != nil {
		return "", nil
	}
	return b.Error.Code, nil
}
