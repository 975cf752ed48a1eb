package memdir

import (
	"context"
	"math/rand/v2"

	"github.com/crmlink/crmlink/matcher"
)

var _ matcher.Sampler = (*Dir)(nil)

// Sample implements [matcher.Sampler]: at most n entities of kind k drawn
// uniformly without replacement (reservoir sampling over the live slots),
// with a PCG generator seeded by seed, so the same directory and seed give
// the same sample.
func (d *Dir) Sample(ctx context.Context, k matcher.Kind, n int, seed uint64) ([]matcher.Entity, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if n <= 0 {
		return nil, nil
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x6a09e667f3bcc909))
	d.mu.RLock()
	defer d.mu.RUnlock()
	out := make([]matcher.Entity, 0, min(n, len(d.byRef)))
	seen := 0
	for i, e := range d.ents {
		if i%65536 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if !e.Valid() || e.Ref.Kind != k {
			continue
		}
		seen++
		if len(out) < n {
			out = append(out, e)
		} else if j := rng.IntN(seen); j < n {
			out[j] = e
		}
	}
	return out, nil
}
