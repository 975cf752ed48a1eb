package httpx

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"golang.org/x/oauth2"

	"github.com/crmlink/crmlink/crm"
)

// TokenError classifies a failure to obtain a token, keeping the OAuth error code but never the
// token endpoint's body (an oauth2.RetrieveError's text includes it):
//
//   - an error that already is a *crm.APIError is returned unchanged;
//   - a done ctx, or a context error in err, becomes an APIError carrying it, with no class;
//   - an OAuth error answer keeps its status and code, class [crm.ErrRateLimited] for 429,
//     [crm.ErrUnavailable] for 5xx and [crm.ErrUnauthorized] otherwise;
//   - a transport failure is [crm.ErrUnavailable];
//   - anything else is [crm.ErrUnauthorized].
//
// Causes are reduced with [SafeCause]. op names the call ("authenticate", "fetch token").
func TokenError(ctx context.Context, op string, err error) error {
	var ae *crm.APIError
	if errors.As(err, &ae) {
		return err
	}
	if cerr := ctx.Err(); cerr != nil {
		return &crm.APIError{Op: op, Cause: cerr}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &crm.APIError{Op: op, Cause: err}
	}
	e := &crm.APIError{Op: op, Class: crm.ErrUnauthorized}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		e.Code = SanitizeCode(re.ErrorCode)
		if re.Response != nil {
			e.Status = re.Response.StatusCode
			switch {
			case e.Status == http.StatusTooManyRequests:
				e.Class = crm.ErrRateLimited
			case e.Status >= 500:
				e.Class = crm.ErrUnavailable
			}
		}
		return e
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		e.Class = crm.ErrUnavailable
	}
	e.Cause = SafeCause(err)
	return e
}
