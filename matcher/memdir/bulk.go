package memdir

import (
	"context"
	"iter"
	"runtime"
	"sync"

	"github.com/crmlink/crmlink/matcher"
)

// bulkBatch is how many entities a bulk load normalises per task and indexes
// per lock.
const bulkBatch = 512

// AddCompanies adds companies in bulk: they are normalised on GOMAXPROCS
// goroutines and indexed in input order, one lock per batch. It stops at the
// first error (an [*IDError], or ctx.Err()); the companies before it are
// added. cs is ranged over once, from another goroutine. Queries may run
// meanwhile and see a prefix of the companies.
func (d *Dir) AddCompanies(ctx context.Context, cs iter.Seq[matcher.Company]) error {
	return bulkAdd(ctx, d, cs, matcher.NewCompanyEntity)
}

// AddMembers adds members in bulk, as [Dir.AddCompanies] does companies.
func (d *Dir) AddMembers(ctx context.Context, ms iter.Seq[matcher.Member]) error {
	return bulkAdd(ctx, d, ms, matcher.NewMemberEntity)
}

type prepared struct {
	ent  matcher.Entity
	keys []matcher.Key
}

type bulkJob[T any] struct {
	vs  []T
	res chan []prepared
}

func bulkAdd[T any](ctx context.Context, d *Dir, seq iter.Seq[T], mk func(T) matcher.Entity) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := runtime.GOMAXPROCS(0)
	jobs := make(chan bulkJob[T])
	order := make(chan chan []prepared, 2*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				r := make([]prepared, len(j.vs))
				for i, v := range j.vs {
					e := mk(v)
					r[i] = prepared{ent: e, keys: e.Keys(nil)}
				}
				j.res <- r // buffered: never blocks
			}
		}()
	}
	go func() {
		defer close(order)
		defer close(jobs)
		vs := make([]T, 0, bulkBatch)
		flush := func() bool {
			res := make(chan []prepared, 1)
			select {
			case order <- res:
			case <-ctx.Done():
				return false
			}
			select {
			case jobs <- bulkJob[T]{vs: vs, res: res}:
			case <-ctx.Done():
				return false
			}
			vs = make([]T, 0, bulkBatch)
			return true
		}
		for v := range seq {
			vs = append(vs, v)
			if len(vs) == bulkBatch && !flush() {
				return
			}
		}
		if len(vs) > 0 {
			flush()
		}
	}()
	var err error
	for res := range order {
		if err != nil {
			continue // drain: the producer stops at the cancellation
		}
		select {
		case r := <-res:
			err = d.insertBatch(r)
		case <-ctx.Done():
			err = ctx.Err()
		}
		if err != nil {
			cancel()
		}
	}
	wg.Wait()
	d.mu.Lock()
	if d.lists.wasted(4) {
		// Growing lists leave free blocks and unused capacity behind.
		d.lists.compact(&d.post, false)
	}
	for _, v := range d.vocabs {
		if v != nil {
			v.compact()
		}
	}
	d.mu.Unlock()
	if err == nil {
		// The producer may have stopped at a cancellation before the
		// consumer saw it.
		err = ctx.Err()
	}
	return err
}

func (d *Dir) insertBatch(r []prepared) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, p := range r {
		if err := d.addLocked(p.ent, p.keys, false); err != nil {
			return err
		}
	}
	return nil
}
