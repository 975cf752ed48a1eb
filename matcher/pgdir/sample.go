package pgdir

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/jackc/pgx/v5"

	"github.com/crmlink/crmlink/matcher"
)

// Sample implements [matcher.Sampler] as memdir does: reservoir sampling of
// the entities of kind k in sequence order with a PCG generator seeded by
// seed, so that a directory loaded in the same order as a memdir.Dir gives
// the same sample. It reads every entity of the kind once (a sequential scan:
// fitting is rare); only the sampled profiles are normalised.
func (d *Dir) Sample(ctx context.Context, k matcher.Kind, n int, seed uint64) ([]matcher.Entity, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if n <= 0 {
		return nil, nil
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x6a09e667f3bcc909))
	rows, err := d.pool.Query(ctx, "SELECT "+entityCols+" FROM "+d.schema+".entities WHERE kind = $1 ORDER BY seq", int16(k))
	if err != nil {
		return nil, fmt.Errorf("pgdir: sample %s: %w", k, err)
	}
	var out []row
	seen := 0
	var r row
	_, err = pgx.ForEachRow(rows, r.dest(), func() error {
		seen++
		if len(out) < n {
			out = append(out, r)
		} else if j := rng.IntN(seen); j < n {
			out[j] = r
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("pgdir: sample %s: %w", k, err)
	}
	es := make([]matcher.Entity, len(out))
	for i := range out {
		es[i] = out[i].entity()
	}
	return es, nil
}
