package crm_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/crm"
)

func TestAPIError(t *testing.T) {
	cause := errors.New("vendor said no")
	err := fmt.Errorf("sync org1: %w", &crm.APIError{Op: "query Contact", Status: 401, Code: "INVALID_SESSION_ID", Class: crm.ErrUnauthorized, Cause: cause})
	assert.ErrorIs(t, err, crm.ErrUnauthorized)
	assert.ErrorIs(t, err, cause)
	assert.NotErrorIs(t, err, crm.ErrRateLimited)
	var ae *crm.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "INVALID_SESSION_ID", ae.Code)
	assert.Equal(t, "sync org1: crm: query Contact: HTTP 401 INVALID_SESSION_ID: vendor said no", err.Error())
	assert.Equal(t, "crm: create Task", (&crm.APIError{Op: "create Task"}).Error())
	assert.Empty(t, (&crm.APIError{}).Unwrap())
}

func TestParseError(t *testing.T) {
	inner := errors.New("column email: invalid UTF-8")
	tests := []struct {
		err  *crm.ParseError
		want string
	}{
		{&crm.ParseError{File: "contacts.csv", Line: 3, Column: 7, Err: inner}, "crm: contacts.csv:3:7: column email: invalid UTF-8"},
		{&crm.ParseError{File: "contacts.csv", Line: 3, Err: inner}, "crm: contacts.csv:3: column email: invalid UTF-8"},
		{&crm.ParseError{File: "contacts.csv", Err: inner}, "crm: contacts.csv: column email: invalid UTF-8"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, tc.err.Error())
		assert.ErrorIs(t, tc.err, inner)
		assert.ErrorIs(t, tc.err, crm.ErrInvalid)
	}
	assert.ErrorIs(t, &crm.ParseError{File: "x.csv"}, crm.ErrInvalid)
}

func TestStageError(t *testing.T) {
	err := fmt.Errorf("sync: %w", &crm.StageError{Stage: "Closed \"Won\""})
	assert.ErrorIs(t, err, crm.ErrUnknownStage)
	assert.Equal(t, `sync: crm: unknown opportunity stage "Closed \"Won\""`, err.Error())
}

func TestRetryableClasses(t *testing.T) {
	tests := []struct {
		class error
		want  bool
	}{
		{crm.ErrRateLimited, true},
		{crm.ErrUnavailable, true},
		{crm.ErrNotReady, true},
		{crm.ErrQuotaExceeded, false},
		{crm.ErrConflict, false},
		{crm.ErrUnauthorized, false},
		{crm.ErrNotFound, false},
		{crm.ErrMalformedQuery, false},
		{crm.ErrServer, false},
		{crm.ErrMalformed, false},
	}
	for _, tc := range tests {
		t.Run(tc.class.Error(), func(t *testing.T) {
			err := fmt.Errorf("sync: %w", &crm.APIError{Op: "query Contact", Status: 403, RetryAfter: 3, Class: tc.class})
			d, ok := crm.RetryAfter(err)
			assert.Equal(t, tc.want, ok)
			if tc.want {
				assert.EqualValues(t, 3, d)
			}
			var waited int
			b := crm.Backoff{Retries: 2, Jitter: -1, Sleep: func(context.Context, time.Duration) error { waited++; return nil }}
			_ = b.Do(t.Context(), func(context.Context) error { return err })
			assert.Equal(t, map[bool]int{true: 2, false: 0}[tc.want], waited, "the policy retries exactly the retryable classes")
		})
	}
}
