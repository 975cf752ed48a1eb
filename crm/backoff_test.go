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

func throttled(after time.Duration) error {
	return &crm.APIError{Op: "query Contact", Status: 429, Code: "0x80072322", RetryAfter: after, Class: crm.ErrRateLimited}
}

// recorder returns a Sleep that records the delays instead of waiting.
func recorder(delays *[]time.Duration) func(context.Context, time.Duration) error {
	return func(ctx context.Context, d time.Duration) error {
		*delays = append(*delays, d)
		return ctx.Err()
	}
}

func TestBackoffDo(t *testing.T) {
	unavailable := &crm.APIError{Op: "query Account", Status: 503, Class: crm.ErrUnavailable}
	notFound := &crm.APIError{Op: "query Account", Status: 404, Class: crm.ErrNotFound}
	tests := []struct {
		name       string
		policy     crm.Backoff
		errs       []error // returned by successive calls; nil after the end
		wantCalls  int
		wantErr    error
		wantDelays []time.Duration
	}{
		{
			name:       "success first",
			policy:     crm.Backoff{Jitter: -1},
			wantCalls:  1,
			wantDelays: nil,
		},
		{
			name:       "429 then success honours Retry-After",
			policy:     crm.Backoff{Jitter: -1},
			errs:       []error{throttled(3 * time.Second)},
			wantCalls:  2,
			wantDelays: []time.Duration{3 * time.Second},
		},
		{
			name:       "exponential without Retry-After",
			policy:     crm.Backoff{Base: 100 * time.Millisecond, Jitter: -1},
			errs:       []error{unavailable, unavailable, throttled(0)},
			wantCalls:  4,
			wantDelays: []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond},
		},
		{
			name:       "capped by Max",
			policy:     crm.Backoff{Base: time.Second, Max: 3 * time.Second, Retries: 4, Jitter: -1},
			errs:       []error{unavailable, unavailable, unavailable, unavailable},
			wantCalls:  5,
			wantDelays: []time.Duration{time.Second, 2 * time.Second, 3 * time.Second, 3 * time.Second},
		},
		{
			name:       "retries spent",
			policy:     crm.Backoff{Retries: 2, Base: time.Millisecond, Jitter: -1},
			errs:       []error{throttled(0), throttled(0), throttled(0)},
			wantCalls:  3,
			wantErr:    crm.ErrRateLimited,
			wantDelays: []time.Duration{time.Millisecond, 2 * time.Millisecond},
		},
		{
			name:       "budget spent by Retry-After",
			policy:     crm.Backoff{Budget: 50 * time.Second, Jitter: -1},
			errs:       []error{throttled(34 * time.Second), throttled(34 * time.Second)},
			wantCalls:  2,
			wantErr:    crm.ErrRateLimited,
			wantDelays: []time.Duration{34 * time.Second},
		},
		{
			name:       "ignore Retry-After",
			policy:     crm.Backoff{Base: time.Second, IgnoreRetryAfter: true, Jitter: -1},
			errs:       []error{throttled(34 * time.Second)},
			wantCalls:  2,
			wantDelays: []time.Duration{time.Second},
		},
		{
			name:      "not retryable",
			policy:    crm.Backoff{Jitter: -1},
			errs:      []error{notFound},
			wantCalls: 1,
			wantErr:   crm.ErrNotFound,
		},
		{
			name:      "no retries",
			policy:    crm.Backoff{Retries: -1},
			errs:      []error{throttled(time.Second)},
			wantCalls: 1,
			wantErr:   crm.ErrRateLimited,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var delays []time.Duration
			tc.policy.Sleep = recorder(&delays)
			calls := 0
			err := tc.policy.Do(t.Context(), func(context.Context) error {
				calls++
				if calls <= len(tc.errs) {
					return tc.errs[calls-1]
				}
				return nil
			})
			if tc.wantErr != nil {
				assert.ErrorIs(t, err, tc.wantErr)
				var ae *crm.APIError
				assert.ErrorAs(t, err, &ae, "the last error is returned unchanged")
			} else {
				assert.NoError(t, err)
			}
			assert.Equal(t, tc.wantCalls, calls, "calls")
			assert.Equal(t, tc.wantDelays, delays, "delays")
		})
	}
}

func TestBackoffJitterDeterministic(t *testing.T) {
	run := func(seed uint64) []time.Duration {
		var delays []time.Duration
		b := crm.Backoff{Base: time.Second, Retries: 4, Seed: seed, Sleep: recorder(&delays)}
		err := b.Do(t.Context(), func(context.Context) error { return throttled(0) })
		require.ErrorIs(t, err, crm.ErrRateLimited)
		return delays
	}
	a, b, c := run(42), run(42), run(43)
	assert.Equal(t, a, b, "same seed, same delays")
	assert.NotEqual(t, a, c, "another seed, other delays")
	require.Len(t, a, 4)
	for i, d := range a {
		nominal := time.Second << i
		assert.InDelta(t, float64(nominal), float64(d), 0.2*float64(nominal), "delay %d = %v, want %v ± 20%%", i, d, nominal)
	}
}

func TestBackoffCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	calls := 0
	b := crm.Backoff{Base: time.Hour, Budget: 2 * time.Hour}
	done := make(chan error)
	go func() {
		done <- b.Do(ctx, func(context.Context) error { calls++; return throttled(0) })
	}()
	time.Sleep(10 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		assert.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, 1, calls)
	case <-time.After(5 * time.Second):
		t.Fatal("Do did not stop on cancel")
	}
}

func TestBackoffRealSleep(t *testing.T) {
	calls := 0
	start := time.Now()
	err := crm.Backoff{Base: 5 * time.Millisecond}.Do(t.Context(), func(context.Context) error {
		calls++
		if calls < 3 {
			return throttled(0)
		}
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, 3, calls)
	assert.GreaterOrEqual(t, time.Since(start), 10*time.Millisecond, "it waited")
}

func TestRetryAfter(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		want   time.Duration
		wantOK bool
	}{
		{"nil", nil, 0, false},
		{"rate limited with wait", throttled(7 * time.Second), 7 * time.Second, true},
		{"wrapped", fmt.Errorf("sync org: %w", throttled(2*time.Second)), 2 * time.Second, true},
		{"unavailable", &crm.APIError{Op: "q", Status: 503, Class: crm.ErrUnavailable}, 0, true},
		{"bare sentinel", crm.ErrRateLimited, 0, true},
		{"unauthorized", &crm.APIError{Op: "q", Status: 401, Class: crm.ErrUnauthorized}, 0, false},
		{"canceled", errors.Join(context.Canceled, crm.ErrUnavailable), 0, false},
		{"other", errors.New("boom"), 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := crm.RetryAfter(tc.err)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.wantOK, ok)
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"34", 34 * time.Second},
		{" 5 ", 5 * time.Second},
		{"0", 0},
		{"-3", 0},
		{"abc", 0},
		{"99999999999", 24 * time.Hour},
		{"Wed, 01 May 2024 12:00:30 GMT", 30 * time.Second},
		{"Wed, 01 May 2024 11:00:00 GMT", 0},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, crm.ParseRetryAfter(tc.in, now), "ParseRetryAfter(%q)", tc.in)
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"", "34", "Wed, 01 May 2024 12:00:30 GMT", "-1", "1e9"} {
		f.Add(s)
	}
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		if d := crm.ParseRetryAfter(s, now); d < 0 {
			t.Fatalf("ParseRetryAfter(%q) = %v, want >= 0", s, d)
		}
	})
}

func TestBackoffRetryAfterJitter(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		var delays []time.Duration
		b := crm.Backoff{Seed: seed, Retries: 1, Sleep: recorder(&delays)}
		_ = b.Do(t.Context(), func(context.Context) error { return throttled(10 * time.Second) })
		require.Len(t, delays, 1)
		assert.GreaterOrEqual(t, delays[0], 10*time.Second, "seed %d: never shorter than Retry-After", seed)
		assert.LessOrEqual(t, delays[0], 10*time.Second+500*time.Millisecond, "seed %d: at most Jitter/4 longer", seed)
	}
}

func TestRetrier(t *testing.T) {
	r := crm.Backoff{Retries: 2, Base: time.Second, Jitter: -1}.Retrier()
	d, ok := r.Next(throttled(0))
	assert.True(t, ok)
	assert.Equal(t, time.Second, d)
	_, ok = r.Next(errors.New("not retryable"))
	assert.False(t, ok)
	assert.Equal(t, 1, r.Retries(), "a refused error is not counted")
	_, ok = r.Next(throttled(0))
	assert.True(t, ok)
	_, ok = r.Next(throttled(0))
	assert.False(t, ok, "retries spent")
	assert.Equal(t, 2, r.Retries())
}
