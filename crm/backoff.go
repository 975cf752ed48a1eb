package crm

import (
	"context"
	"math/rand/v2"
	"time"
)

// Backoff is a retry policy for throttled or unavailable CRM calls, shared by the drivers. The
// zero value is usable: 4 retries, 500ms base, 30s cap, 2m budget, Retry-After honoured, 20%
// jitter. A Backoff is a value; [Backoff.Do] keeps its state per call, so one policy is safe for
// concurrent use.
type Backoff struct {
	// Retries is the maximum number of retries after the first attempt (default 4; negative
	// means none).
	Retries int
	// Base is the first exponential delay (default 500ms); it doubles per retry.
	Base time.Duration
	// Max caps one computed delay (default 30s). A server's Retry-After is not capped by Max,
	// only by Budget.
	Max time.Duration
	// Budget caps the total time spent waiting across retries (default 2m). A retry whose wait
	// would exceed what is left is not attempted: the last error is returned.
	Budget time.Duration
	// IgnoreRetryAfter makes the policy use its own delays even when the server asked for one.
	IgnoreRetryAfter bool
	// Jitter is the fraction (0 to 1) of each computed delay that is randomised: a delay d
	// becomes d×(1±Jitter) (default 0.2; negative means none). A server's Retry-After is never
	// shortened, only lengthened by up to Jitter/4 of it, so that clients do not return in step.
	Jitter float64
	// Seed, when non-zero, seeds the jitter so that delays are deterministic (tests).
	Seed uint64
	// Sleep waits d or until ctx is done. Nil uses a timer. Tests set it to record delays.
	Sleep func(ctx context.Context, d time.Duration) error
}

func (b Backoff) withDefaults() Backoff {
	if b.Retries == 0 {
		b.Retries = 4
	}
	if b.Base <= 0 {
		b.Base = 500 * time.Millisecond
	}
	if b.Max <= 0 {
		b.Max = 30 * time.Second
	}
	if b.Budget <= 0 {
		b.Budget = 2 * time.Minute
	}
	if b.Jitter == 0 {
		b.Jitter = 0.2
	}
	if b.Jitter > 1 {
		b.Jitter = 1
	}
	if b.Sleep == nil {
		b.Sleep = Sleep
	}
	return b
}

// Sleep waits for d or until ctx is done, whichever comes first; it returns ctx.Err() in the
// second case. It is the default [Backoff.Sleep], shared by the adapters' own waits.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Do calls fn until it returns nil or an error that [RetryAfter] does not call retryable, or until
// the retries or the budget are spent; it then returns fn's last error unchanged, so callers see
// the typed [*APIError] ([ErrRateLimited] ...). A done ctx stops the waiting and returns
// ctx.Err().
func (b Backoff) Do(ctx context.Context, fn func(ctx context.Context) error) error {
	r := b.Retrier()
	for {
		err := fn(ctx)
		if err == nil {
			return nil
		}
		d, ok := r.Next(err)
		if !ok {
			return err
		}
		if serr := r.b.Sleep(ctx, d); serr != nil {
			return serr
		}
	}
}

// Retrier returns the per-call state of the policy, for loops that cannot use [Backoff.Do].
// A Retrier is not safe for concurrent use.
func (b Backoff) Retrier() *Retrier {
	b = b.withDefaults()
	seed := b.Seed
	if seed == 0 {
		seed = rand.Uint64()
	}
	return &Retrier{b: b, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// Retrier tracks the retries of one call under a [Backoff] policy.
type Retrier struct {
	b       Backoff
	rng     *rand.Rand
	retries int
	waited  time.Duration
}

// Next reports whether err should be retried and after what delay. It counts the retry against
// the policy's limits, so call it once per failure.
func (r *Retrier) Next(err error) (time.Duration, bool) {
	after, ok := RetryAfter(err)
	if !ok || r.b.Retries < 0 || r.retries >= r.b.Retries {
		return 0, false
	}
	d := r.b.Base << r.retries
	if d <= 0 || d > r.b.Max {
		d = r.b.Max
	}
	if r.b.Jitter > 0 {
		// Full range [d*(1-j), d*(1+j)].
		d = time.Duration(float64(d) * (1 - r.b.Jitter + 2*r.b.Jitter*r.rng.Float64()))
	}
	if after > 0 && !r.b.IgnoreRetryAfter {
		d = after
		if r.b.Jitter > 0 {
			d += time.Duration(float64(after) * r.b.Jitter * r.rng.Float64() / 4)
		}
	}
	if r.waited+d > r.b.Budget {
		return 0, false
	}
	r.retries++
	r.waited += d
	return d, true
}

// Retries returns how many retries were granted so far.
func (r *Retrier) Retries() int { return r.retries }
