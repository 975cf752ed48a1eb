package httpx

import (
	"context"
	"log/slog"
	"net/http"
	"sync"

	"golang.org/x/oauth2"

	"github.com/crmlink/crmlink/crm"
)

// TokenCache holds the bearer token of one CRM connection. It fetches a token when it has none,
// when the cached one has expired, or when a call was refused with it; fetches are serialised,
// so concurrent calls refused with the same token share one refresh. It is safe for concurrent
// use; the zero value needs Fetch set before use.
type TokenCache struct {
	// Fetch obtains a new token with ctx. It returns a classified error (a *crm.APIError) and a
	// token with a non-empty AccessToken.
	Fetch func(ctx context.Context) (*oauth2.Token, error)

	mu  sync.Mutex
	tok *oauth2.Token
}

// Token returns a valid token. rejected, when non-empty, is the access token a call was refused
// with: it is replaced unless another caller already replaced it.
func (c *TokenCache) Token(ctx context.Context, rejected string) (*oauth2.Token, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tok.Valid() && c.tok.AccessToken != rejected {
		return c.tok, nil
	}
	t, err := c.Fetch(ctx)
	if err != nil {
		return nil, err
	}
	c.tok = t
	return t, nil
}

// Current returns the cached token without fetching one, nil if there is none.
func (c *TokenCache) Current() *oauth2.Token {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.tok
}

// Client sends a driver's authenticated calls: it adds the bearer token, refreshes the token once
// when the CRM rejects it, and retries throttled and unavailable answers under a [crm.Backoff],
// honouring Retry-After. It is safe for concurrent use.
type Client struct {
	HTTP    *http.Client // sends every attempt
	Tokens  *TokenCache  // supplies the bearer token
	Backoff crm.Backoff  // the retry policy; its Sleep, when set, is used for the waits
	// Parse extracts the vendor code and class of a failed answer (see [ParseFunc]).
	Parse ParseFunc
	// Rejected reports whether a failed answer means the token was refused, so that a new token
	// is fetched and the call sent once more. Nil means "the status is 401".
	Rejected func(e *crm.APIError) bool
	// Log, when set, receives retries (debug), token refreshes (debug) and spent retries (warn),
	// with the operation, status and vendor code only.
	Log *slog.Logger
	// Name prefixes the log messages ("dynamics").
	Name string
}

// Do sends req (built without context; its GetBody must be set when it has a body) with ctx and
// the current token until it succeeds, fails for good, or the retry policy gives up. It returns
// a 2xx response, whose body the caller closes, or a *crm.APIError whose text holds no record
// data, token or response body. replayable says whether the request may be sent again after a
// transport error, when the server may have processed it: reads yes, creations no.
func (c *Client) Do(ctx context.Context, op string, req *http.Request, replayable bool) (*http.Response, error) {
	retrier := c.Backoff.Retrier()
	refreshed := false
	rejected := ""
	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return nil, &crm.APIError{Op: op, Cause: err}
		}
		tok, err := c.Tokens.Token(ctx, rejected)
		if err != nil {
			return nil, err
		}
		r := req.Clone(ctx)
		if attempt > 0 && req.GetBody != nil {
			if r.Body, err = req.GetBody(); err != nil {
				return nil, &crm.APIError{Op: op, Cause: err}
			}
		}
		r.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		resp, err := c.HTTP.Do(r)
		var aerr *crm.APIError
		switch {
		case err != nil:
			aerr = TransportError(ctx, op, err)
			if aerr.Class == nil || !replayable {
				return nil, aerr
			}
		case resp.StatusCode >= 200 && resp.StatusCode < 300:
			return resp, nil
		default:
			aerr = ResponseError(op, resp, c.Parse)
			if !refreshed && c.rejected(aerr) {
				refreshed = true
				rejected = tok.AccessToken
				c.debug(ctx, "token rejected, refreshing", "op", op, "code", aerr.Code)
				continue
			}
		}
		wait, ok := retrier.Next(aerr)
		if !ok {
			if _, retryable := crm.RetryAfter(aerr); retryable && c.Log != nil {
				c.Log.WarnContext(ctx, c.Name+": retries spent", "op", op, "status", aerr.Status, "code", aerr.Code, "retries", retrier.Retries())
			}
			return nil, aerr
		}
		c.debug(ctx, "retrying", "op", op, "status", aerr.Status, "code", aerr.Code, "wait", wait)
		pause := c.Backoff.Sleep
		if pause == nil {
			pause = crm.Sleep
		}
		if err := pause(ctx, wait); err != nil {
			return nil, &crm.APIError{Op: op, Cause: err}
		}
	}
}

func (c *Client) rejected(e *crm.APIError) bool {
	if c.Rejected != nil {
		return c.Rejected(e)
	}
	return e.Status == http.StatusUnauthorized
}

func (c *Client) debug(ctx context.Context, msg string, args ...any) {
	if c.Log != nil {
		c.Log.DebugContext(ctx, c.Name+": "+msg, args...)
	}
}
