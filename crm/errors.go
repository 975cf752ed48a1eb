package crm

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Error classes, matched with errors.Is. The package documentation (# Errors) lists which HTTP
// statuses and vendor codes map to each, and which ones the retry policy retries.
var (
	// ErrUnauthorized: bad, expired or missing credentials, or a missing privilege (401, 403).
	ErrUnauthorized = errors.New("crm: unauthorized")
	// ErrRateLimited: the CRM throttled the caller for a short while (429,
	// REQUEST_LIMIT_EXCEEDED for concurrent requests) and the retry budget is spent. Retryable.
	ErrRateLimited = errors.New("crm: rate limited")
	// ErrQuotaExceeded: the org's API request allowance is spent for its rolling 24-hour window
	// (Salesforce REQUEST_LIMIT_EXCEEDED "TotalRequests Limit exceeded"). Not retryable: no
	// retry within minutes can succeed, so a sync stops at once.
	ErrQuotaExceeded = errors.New("crm: daily API request limit exceeded")
	// ErrUnavailable: the CRM or the network is temporarily unavailable (502, 503, 504,
	// transport errors) and the retry budget is spent. Retryable.
	ErrUnavailable = errors.New("crm: unavailable")
	// ErrNotReady: what was asked for is not ready yet (412 JOB_NOT_COMPLETE: a Bulk job's
	// results before the job completed) and waiting did not make it ready. Retryable.
	ErrNotReady = errors.New("crm: not ready")
	// ErrConflict: the request conflicts with the state of the resource (409, e.g. Bulk results
	// asked for on another API version than the job's; 412 other than JOB_NOT_COMPLETE, e.g.
	// Dataverse ConcurrencyVersionMismatch). Not retryable.
	ErrConflict = errors.New("crm: conflict")
	// ErrNotFound: the object or record does not exist (404).
	ErrNotFound = errors.New("crm: not found")
	// ErrMalformedQuery: the CRM refused the request as malformed (400 and the other 4xx
	// statuses not listed here, MALFORMED_QUERY, INVALID_FIELD).
	ErrMalformedQuery = errors.New("crm: malformed query")
	// ErrServer: the CRM failed (5xx other than unavailability), or did not serve what it said
	// it holds (a Bulk job's results answered 204 No Content or short of the job's count).
	ErrServer = errors.New("crm: server error")
	// ErrInsecure: the endpoint is not HTTPS and plain HTTP was not explicitly allowed.
	ErrInsecure = errors.New("crm: insecure endpoint")
	// ErrMalformed: the CRM's answer could not be decoded, or has a status no call expects
	// (1xx, 3xx).
	ErrMalformed = errors.New("crm: malformed response")
	// ErrUnknownStage is the class of a [*StageError]: the stage is not in the picklist.
	ErrUnknownStage = errors.New("crm: unknown opportunity stage")
	// ErrInvalid is the class of bad input data, such as a [*ParseError].
	ErrInvalid = errors.New("crm: invalid input")
)

// APIError is a failed call to a CRM API. Its text never contains record data or secrets.
type APIError struct {
	Op         string        // "query Contact", "create Task"
	Status     int           // HTTP status, 0 if none
	Code       string        // vendor code, e.g. REQUEST_LIMIT_EXCEEDED
	RetryAfter time.Duration // zero if the server gave none
	Class      error         // ErrRateLimited, ErrUnauthorized, ... or nil
	Cause      error         // the transport or vendor error, if any
}

// Error returns "crm: <op>: HTTP <status> <code>: <cause>", omitting what is unknown.
func (e *APIError) Error() string {
	s := "crm: " + e.Op
	if e.Status != 0 {
		s += ": HTTP " + strconv.Itoa(e.Status)
	}
	if e.Code != "" {
		s += " " + e.Code
	}
	if e.Cause != nil {
		s += ": " + e.Cause.Error()
	}
	return s
}

// Unwrap returns the class and the cause, so errors.Is and errors.As see both.
func (e *APIError) Unwrap() []error {
	var out []error
	if e.Class != nil {
		out = append(out, e.Class)
	}
	if e.Cause != nil {
		out = append(out, e.Cause)
	}
	return out
}

// RetryAfter reports whether err is worth retrying (its class is [ErrRateLimited],
// [ErrUnavailable] or [ErrNotReady]) and the wait the server asked for, zero if it gave none. Context errors are
// never retryable.
func RetryAfter(err error) (time.Duration, bool) {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return 0, false
	}
	if !errors.Is(err, ErrRateLimited) && !errors.Is(err, ErrUnavailable) && !errors.Is(err, ErrNotReady) {
		return 0, false
	}
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.RetryAfter, true
	}
	return 0, true
}

// ParseRetryAfter parses an HTTP Retry-After header value: delay-seconds or an HTTP date
// (relative to now). It returns zero for an empty, malformed or past value.
func ParseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 {
			return 0
		}
		const maxSeconds = int64(24 * time.Hour / time.Second)
		return time.Duration(min(n, maxSeconds)) * time.Second
	}
	for _, layout := range []string{time.RFC1123, time.RFC850, time.ANSIC} {
		if t, err := time.Parse(layout, v); err == nil {
			if d := t.Sub(now); d > 0 {
				return d
			}
			return 0
		}
	}
	return 0
}

// ParseError is bad input in a file, such as a CSV file read by csvsource. It names where the
// problem is, never the offending value, so it is safe to log.
type ParseError struct {
	File   string // base name of the file, e.g. "contacts.csv"
	Line   int    // 1-based line, 0 if unknown
	Column int    // 1-based column, 0 if unknown or the whole line
	Err    error  // what is wrong, e.g. [ErrInvalid] wrapped with the column name
}

// Error returns "crm: <file>:<line>:<column>: <err>".
func (e *ParseError) Error() string {
	s := "crm: " + e.File
	if e.Line > 0 {
		s += ":" + strconv.Itoa(e.Line)
		if e.Column > 0 {
			s += ":" + strconv.Itoa(e.Column)
		}
	}
	return s + ": " + fmt.Sprint(e.Err)
}

// Unwrap returns Err and [ErrInvalid].
func (e *ParseError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrInvalid}
	}
	return []error{e.Err, ErrInvalid}
}

// StageError reports a stage that is not in the org's stage picklist. The stage name is picklist
// metadata, not record data, so it is part of the message.
type StageError struct {
	Stage string
}

// Error returns "crm: unknown opportunity stage <quoted stage>".
func (e *StageError) Error() string {
	return fmt.Sprintf("crm: unknown opportunity stage %q", e.Stage)
}

// Unwrap returns [ErrUnknownStage].
func (e *StageError) Unwrap() error { return ErrUnknownStage }
