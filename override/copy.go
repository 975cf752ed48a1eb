package override

import (
	"context"
	"fmt"
)

// DefaultCopyBatch is the batch size [Copy] uses when given 0 or less.
const DefaultCopyBatch = 10_000

// Copy copies every mapping of org (rejections included, times kept) from src
// to dst in batches of batchSize, each one [Store.PutBatch] and so atomic, and
// returns how many it copied. It is how a program moves from one store to
// another, e.g. from the embedded boltstore to pgstore. It is not atomic as a
// whole; copying again is harmless (Puts replace), but mappings deleted from
// src since an earlier copy are not deleted from dst.
func Copy(ctx context.Context, dst, src *Store, org string, batchSize int) (int, error) {
	if err := ValidateOrg(org); err != nil {
		return 0, err
	}
	if batchSize <= 0 {
		batchSize = DefaultCopyBatch
	}
	n := 0
	batch := make([]Mapping, 0, min(batchSize, 1024))
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := dst.PutBatch(ctx, batch); err != nil {
			return fmt.Errorf("override: copy: %w", err)
		}
		n += len(batch)
		batch = batch[:0]
		return nil
	}
	for m, err := range src.Mappings(ctx, org) {
		if err != nil {
			return n, fmt.Errorf("override: copy: %w", err)
		}
		if batch = append(batch, m); len(batch) == batchSize {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	return n, flush()
}
