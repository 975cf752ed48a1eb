package matcher

import (
	"context"
	"iter"

	"golang.org/x/sync/errgroup"
)

// MatchCompanies matches a stream of company queries with bounded
// concurrency (see [WithConcurrency]) and yields the results in input order.
// A per-query error (such as [ErrEmptyQuery]) is yielded with a zero Result
// and iteration goes on. When ctx is cancelled, ctx.Err() is yielded once and
// iteration stops. Breaking out of the loop stops the workers; no goroutine
// outlives the loop. qs is ranged over once, from another goroutine.
func (e *Engine) MatchCompanies(ctx context.Context, qs iter.Seq[CompanyQuery]) iter.Seq2[Result, error] {
	return batch(ctx, e, qs, e.MatchCompany)
}

// MatchMembers is [Engine.MatchCompanies] for member queries.
func (e *Engine) MatchMembers(ctx context.Context, qs iter.Seq[MemberQuery]) iter.Seq2[Result, error] {
	return batch(ctx, e, qs, e.MatchMember)
}

type pending struct {
	res  Result
	err  error
	done chan struct{}
}

func batch[Q any](ctx context.Context, e *Engine, qs iter.Seq[Q],
	match func(context.Context, Q) (Result, error)) iter.Seq2[Result, error] {
	return func(yield func(Result, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(Result{}, err)
			return
		}
		wctx, cancel := context.WithCancel(ctx)
		var g errgroup.Group
		g.SetLimit(e.o.conc)
		// order carries the queries' slots in input order; its capacity
		// bounds how far workers run ahead of the consumer.
		order := make(chan *pending, 2*e.o.conc)
		produced := make(chan struct{})
		go func() {
			defer close(produced)
			defer close(order)
			for q := range qs {
				if wctx.Err() != nil {
					return
				}
				p := &pending{done: make(chan struct{})}
				select {
				case order <- p:
				case <-wctx.Done():
					return
				}
				g.Go(func() error {
					defer close(p.done)
					p.res, p.err = match(wctx, q)
					return nil
				})
			}
		}()
		defer func() {
			cancel()
			for range order { // unblock the producer
			}
			<-produced
			_ = g.Wait()
		}()
		for p := range order {
			select {
			case <-p.done:
			case <-ctx.Done():
				yield(Result{}, ctx.Err())
				return
			}
			if ctx.Err() != nil {
				yield(Result{}, ctx.Err())
				return
			}
			if !yield(p.res, p.err) {
				return
			}
		}
	}
}
