package crmlink

import (
	"context"
	"fmt"
	"iter"
	"time"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/override"
)

// syncObjects are the objects a sync run reads, in its order.
var syncObjects = []override.Object{override.Account, override.Contact, override.Lead}

// WithCheckpoints makes every run record in the store where it stands, so that a run that
// stops part-way (a crash, a SIGKILL, a canceled context, a failed batch) is resumed by the
// next run instead of starting over. The store's driver must keep checkpoints
// ([override.Checkpointer]: the memory, bolt and PostgreSQL drivers do); over another, Run
// fails with an error matching [override.ErrUnsupported] before reading anything.
//
// A run keeps one [override.Checkpoint] per object: its start time, the lower bound of
// modification times it reads, and the ID of the last record of the last batch it fully wrote
// (IDs and times only). A run that starts finds the checkpoints of the org:
//
//   - When one is unfinished, the run resumes that interrupted run: same start time (its
//     [SyncStats.Started]) and same modification bound, whatever this Syncer's
//     [WithModifiedSince] says; the objects that run finished are skipped, and the object it
//     stopped in goes on after the checkpoint's record when the source has [crm.Resumer] (the
//     CSV source does, in file order), or from the object's start otherwise.
//   - Otherwise the run is a new one: it marks every object as started, then moves each
//     object's checkpoint after every batch it writes, and marks the object done at its end.
//
// Resuming loses and duplicates nothing: a batch is written (one atomic store write) before its
// checkpoint moves, so a run stopped between the two writes that batch again, and writing a
// batch again stores the same mappings (a sync mapping is a put under (record, sync), which
// replaces). The records the source yields before the checkpoint's record were written by the
// interrupted attempt; a source whose order changed, or that no longer holds that record,
// yields every record again (see [crm.Resumer]). Resume with the same options (the batch size
// does not matter; a stage is applied again, to the opportunities as they are now).
//
// With [WithAccess], whose index lives in the process, a resumed run also reads the records
// the interrupted attempt wrote, for their owners only (no matching, no write), so that the new
// process's index knows every record.
//
// [override.Store.Purge] of the org (and [PurgeOrg]) removes its checkpoints, so the next run
// reads everything again. Run one sync of an org at a time: a second run started while one is
// going takes it for interrupted and works on the same checkpoints; both still store the same
// mappings.
func WithCheckpoints() SyncOption { return func(o *syncOptions) { o.checkpoints = true } }

// WithIncremental makes a run read only the records modified since the last complete run, as
// [WithModifiedSince] with that run's start minus margin (a margin covers a CRM clock behind
// this machine's, and records saved while that run was reading). It implies [WithCheckpoints],
// which tells a complete run from an interrupted one: a run after an interrupted one resumes
// it, and a run with no complete one before reads everything. An explicit [WithModifiedSince]
// wins over it. With [WithStage] there is no bound: the run reads every record tied to an open
// opportunity, since a record that became tied without changing would be missed by a bound on
// modification times.
func WithIncremental(margin time.Duration) SyncOption {
	return func(o *syncOptions) {
		o.checkpoints, o.incremental, o.margin = true, true, max(margin, 0)
	}
}

// runPlan is what a run with checkpoints knows of its own progress: which run it is and where
// each object stands. A nil *runPlan (no checkpoints) does nothing.
type runPlan struct {
	s       *Syncer
	run     time.Time // the run's start: this attempt's, or the interrupted attempt's
	since   time.Time // the run's modification bound
	resumed bool      // the run goes on from an interrupted attempt
	cps     map[override.Object]override.Checkpoint
}

// plan reads the org's checkpoints and decides the run: resume an unfinished one, or start a
// new one at now (marking every object started).
func (s *Syncer) plan(ctx context.Context, now time.Time) (*runPlan, error) {
	fail := func(err error) error { return fmt.Errorf("crmlink: sync %s: checkpoints: %w", s.org, err) }
	if !s.store.Checkpoints() {
		return nil, fail(override.ErrUnsupported)
	}
	p := &runPlan{s: s, cps: make(map[override.Object]override.Checkpoint, len(syncObjects))}
	for _, obj := range syncObjects {
		c, ok, err := s.store.Checkpoint(ctx, s.org, obj)
		if err != nil {
			return nil, fail(err)
		}
		if ok {
			p.cps[obj] = c
		}
	}
	for _, c := range p.cps {
		if !c.Done && c.Run.After(p.run) {
			p.run, p.since = c.Run, c.Since
		}
	}
	if !p.run.IsZero() {
		p.resumed = true
		s.o.log.InfoContext(ctx, "crmlink: sync resumes an interrupted run", "org", s.org, "run", p.run, "since", p.since)
		return p, nil
	}
	p.run, p.since = now, s.o.since
	if s.o.incremental && p.since.IsZero() && s.o.stage == "" {
		if last, ok := p.lastComplete(); ok {
			p.since = last.Add(-s.o.margin)
		}
	}
	for _, obj := range syncObjects {
		if err := p.put(ctx, obj, "", false); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// lastComplete returns the start of the last run that finished every object: the checkpoints
// of all objects are done and of that run.
func (p *runPlan) lastComplete() (time.Time, bool) {
	var run time.Time
	for i, obj := range syncObjects {
		c, ok := p.cps[obj]
		if !ok || !c.Done || (i > 0 && !c.Run.Equal(run)) {
			return time.Time{}, false
		}
		run = c.Run
	}
	return run, true
}

// skip reports whether the run skips obj: an interrupted attempt finished it, and there is no
// access index to tell its owners to.
func (p *runPlan) skip(obj override.Object) bool {
	return p.done(obj) && p.s.o.access == nil
}

// done reports whether this run already finished obj (in an interrupted attempt).
func (p *runPlan) done(obj override.Object) bool {
	if p == nil {
		return false
	}
	c, ok := p.cps[obj]
	return ok && c.Run.Equal(p.run) && c.Done
}

// readObject returns the records of b's object that the run reads: all of them (read), or,
// when the run resumes the object after a checkpoint and the source is a [crm.Resumer]
// (readAfter is not nil), those after the checkpoint's record. With [WithAccess] the access index
// needs the owner of every record, and this process may not have read the ones before the
// checkpoint: the object is then read from its start in the same order, the records up to the
// checkpoint's giving their owners only, and an object the interrupted attempt finished is read
// for its owners only. key returns a record's ID and owner.
func readObject[R, Q any](ctx context.Context, p *runPlan, b *batch[Q], read func() iter.Seq2[R, error],
	readAfter func(after string) iter.Seq2[R, error], key func(R) (id, owner string)) iter.Seq2[R, error] {
	var ownerOnly func(R) // with an access index: tells it a record's owner
	if p == nil {
		return read()
	}
	b.cp = p
	access := p.s.o.access
	if access != nil {
		ref := [1]override.RecordRef{{Org: p.s.org, Object: b.obj}}
		var owner [1]string
		ownerOnly = func(r R) {
			ref[0].ID, owner[0] = key(r)
			if ref[0].Validate() == nil {
				access.SetOwners(ref[:], owner[:])
			}
		}
	}
	if p.done(b.obj) && ownerOnly != nil {
		// Finished by an interrupted attempt: only the owners are read again.
		return func(yield func(R, error) bool) {
			for r, err := range read() {
				if err != nil {
					yield(r, err)
					return
				}
				ownerOnly(r)
			}
		}
	}
	c, ok := p.cps[b.obj]
	if !ok || !c.Run.Equal(p.run) || c.After == "" || readAfter == nil {
		if ok && c.Run.Equal(p.run) && c.After != "" {
			p.s.o.log.InfoContext(ctx, "crmlink: sync object starts over: the source cannot resume", "org", p.s.org, "object", string(b.obj))
		}
		return read()
	}
	b.resumed = true
	p.s.o.log.InfoContext(ctx, "crmlink: sync object resumes after a checkpoint", "org", p.s.org, "object", string(b.obj))
	if access == nil {
		return readAfter(c.After)
	}
	return crm.ResumeAfterFunc(read, func(r R) string { id, _ := key(r); return id }, c.After, ownerOnly)
}

// put stores the checkpoint of obj in this run: after the record after, or done.
func (p *runPlan) put(ctx context.Context, obj override.Object, after string, done bool) error {
	if p == nil {
		return nil
	}
	c := override.Checkpoint{Org: p.s.org, Object: obj, Run: p.run, Since: p.since, After: after, Done: done}
	if err := p.s.store.PutCheckpoint(ctx, c); err != nil {
		return fmt.Errorf("crmlink: sync %s: %ss: checkpoint: %w", p.s.org, obj, err)
	}
	p.cps[obj] = c
	return nil
}

// finish marks done the objects the run did not read (a stage reads no leads, and no accounts
// or contacts when no opportunity ties any), so that the run counts as complete.
func (p *runPlan) finish(ctx context.Context) error {
	if p == nil {
		return nil
	}
	for _, obj := range syncObjects {
		if !p.done(obj) {
			if err := p.put(ctx, obj, "", true); err != nil {
				return err
			}
		}
	}
	return nil
}
