package boltstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
)

// errReaders says a scrub found read transactions open and left the file as it
// was.
var errReaders = errors.New("read transactions open")

// scrub overwrites the file's free pages with zeros, so that what a purge (or
// any delete) freed is gone from the bytes on disk, not only unreachable.
//
// bbolt never rewrites a free page until it reuses it for new data. scrub
// runs inside a write transaction, which keeps every other writer out, at a
// moment when no read transaction is open: then no reader can reach a free
// page (a reader that starts meanwhile reads only pages of the committed
// tree, and the write transaction allocates nothing, since it changes
// nothing). It writes zeros over each free page through its own file handle
// and syncs the file before the transaction ends. If readers stay open, it
// retries for about a second and then gives up with an error; the bytes stay
// until the next Purge or [Driver.Scrub].
func (d *Driver) scrub(ctx context.Context) error {
	var err error
	for try := 0; try < 100; try++ {
		err = d.update(ctx, "scrub", d.zeroFree)
		if !errors.Is(err, errReaders) {
			return err
		}
		if serr := sleep(ctx, 10*time.Millisecond); serr != nil {
			return serr
		}
	}
	return err
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// zeroFree writes zeros over every free page of the file; see scrub.
func (d *Driver) zeroFree(tx *bolt.Tx) error {
	if d.db.Stats().OpenTxN > 0 {
		return errReaders
	}
	pageSize := int64(d.db.Info().PageSize)
	pages := int(tx.Size() / pageSize)
	var runs [][2]int // [first, count)
	for id := 2; id < pages; id++ {
		info, err := tx.Page(id)
		if err != nil {
			return err
		}
		if info == nil || info.Type != "free" {
			continue
		}
		if n := len(runs); n > 0 && runs[n-1][0]+runs[n-1][1] == id {
			runs[n-1][1]++
		} else {
			runs = append(runs, [2]int{id, 1})
		}
	}
	if len(runs) == 0 {
		return nil
	}
	f, err := os.OpenFile(d.db.Path(), os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	zero := make([]byte, 64*pageSize)
	for _, r := range runs {
		off, n := int64(r[0])*pageSize, int64(r[1])*pageSize
		for n > 0 {
			c := min(n, int64(len(zero)))
			if _, err := f.WriteAt(zero[:c], off); err != nil {
				_ = f.Close()
				return err
			}
			off += c
			n -= c
		}
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// Scrub overwrites the free pages of the file with zeros, so that deleted
// mappings leave no bytes behind; [Driver.Purge] calls it. It waits (about a
// second at most) for a moment with no read transaction open, and returns an
// error if none came.
func (d *Driver) Scrub(ctx context.Context) error {
	if err := d.scrub(ctx); err != nil {
		return fmt.Errorf("boltstore: scrub: %w", err)
	}
	return nil
}
