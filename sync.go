package crmlink

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"math"
	"slices"
	"time"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/report"
)

// DefaultSyncBatch is the number of records a [Syncer] matches and writes at once (one
// [override.Store.Load] and one [override.Store.Write] per batch) unless [WithBatchSize] says
// otherwise.
const DefaultSyncBatch = 1000

// SyncOption configures a [Syncer].
type SyncOption func(*syncOptions)

type syncOptions struct {
	stage    string
	since    time.Time
	batch    int
	log      *slog.Logger
	access   *Access
	defaults crm.OrgDefaults
	seats    []string
	fit      bool
	progress func(Progress)

	checkpoints bool          // WithCheckpoints
	incremental bool          // WithIncremental
	margin      time.Duration // WithIncremental's margin
}

// Progress is what a [Syncer] reports after each batch it writes (see [WithProgress]):
// counts and IDs only, never record data.
type Progress struct {
	Object  override.Object // the object being synced
	Stats   ObjectStats     // its counts so far in this run
	Batches int             // its batches written so far
	Elapsed time.Duration   // since the object's sync started
	// Resumed says the object's sync went on after a checkpoint of an earlier, interrupted
	// attempt of the same run (see [WithCheckpoints]): Stats count the records read since.
	Resumed bool
}

// WithProgress makes the Syncer call f after each batch it writes, from the goroutine that
// called [Syncer.Run]; f should return quickly. A command shows it as a progress line on a
// terminal, or as periodic structured log lines otherwise.
func WithProgress(f func(Progress)) SyncOption { return func(o *syncOptions) { o.progress = f } }

// WithAccess makes every run fill a with the org's visibility (see [Access]): before reading
// records it reads the CRM's users, roles (or business units) and, when the source is a
// [crm.TeamLister], teams, and maps users to seats by seatEmails ([crm.MapSeats]); as it reads
// records it keeps each one's owner ID. defaults are the org-wide default access per object
// (missing objects are private). Give the same a to a [Resolver] with [WithVisibility].
func WithAccess(a *Access, defaults crm.OrgDefaults, seatEmails []string) SyncOption {
	return func(o *syncOptions) {
		o.access, o.defaults, o.seats = a, defaults, seatEmails
	}
}

// WithStage limits the sync to the accounts and contacts tied to an open opportunity whose
// stage is at or past stage (see [crm.TiedToOpenOpportunities]). Leads are tied to no
// opportunity, so a run with a stage reads none. An unknown stage fails the run with an error
// matching [crm.ErrUnknownStage].
func WithStage(stage string) SyncOption { return func(o *syncOptions) { o.stage = stage } }

// WithModifiedSince makes the run incremental: only records modified at or after t are read
// (see [crm.Filter]). [SyncStats.Started] of a previous run is a safe value for t when this
// machine's clock agrees with the CRM's; subtract a margin if it may not.
func WithModifiedSince(t time.Time) SyncOption { return func(o *syncOptions) { o.since = t } }

// WithBatchSize sets how many records are matched and written at once (default
// [DefaultSyncBatch]); a value below 1 keeps the default. Record data is held in memory for
// one batch at most.
func WithBatchSize(n int) SyncOption { return func(o *syncOptions) { o.batch = n } }

// WithLogger sets the logger of the Syncer's progress (default: nothing is logged). It logs
// the org, object names and counts only, never record data.
func WithLogger(l *slog.Logger) SyncOption { return func(o *syncOptions) { o.log = l } }

// WithFitting makes the Syncer fit the engine's model to each batch of records before
// matching it ([matcher.Engine.FitCompanies], [matcher.Engine.FitMembers]): the first batch of
// each kind also re-estimates chance agreement on the directory, later ones refine the
// in-directory prior and the M of the levels, starting from the model the last batch left.
// The fitted model stays in the engine, so a [Resolver] sharing it decides with what the
// CRM's own records taught it. Fitting costs about one more pass over each batch.
func WithFitting() SyncOption { return func(o *syncOptions) { o.fit = true } }

// ObjectStats counts what a sync run did with the records of one object.
type ObjectStats struct {
	Read            int // records read from the CRM
	Invalid         int // records whose ID the store cannot hold (empty, too long, ...): skipped
	Empty           int // records with nothing to match on (matcher.ErrEmptyQuery)
	Matched         int // decision match
	Ambiguous       int // decision ambiguous: nothing written
	None            int // decision none: nothing written
	Written         int // sync mappings written
	Removed         int // sync mappings of earlier runs deleted: the record no longer matches, or matches a rejected entity
	SkippedManual   int // matched, but the record has a manual mapping, which stays authoritative
	SkippedRejected int // matched, but a user rejected that entity for the record: its sync mapping is deleted
}

// String returns the counts as "read=16 invalid=0 empty=0 matched=9 ...", in field order.
func (s ObjectStats) String() string {
	return fmt.Sprintf("read=%d invalid=%d empty=%d matched=%d ambiguous=%d none=%d written=%d removed=%d skipped_manual=%d skipped_rejected=%d",
		s.Read, s.Invalid, s.Empty, s.Matched, s.Ambiguous, s.None, s.Written, s.Removed, s.SkippedManual, s.SkippedRejected)
}

func (s *ObjectStats) add(o ObjectStats) {
	s.Read += o.Read
	s.Invalid += o.Invalid
	s.Empty += o.Empty
	s.Matched += o.Matched
	s.Ambiguous += o.Ambiguous
	s.None += o.None
	s.Written += o.Written
	s.Removed += o.Removed
	s.SkippedManual += o.SkippedManual
	s.SkippedRejected += o.SkippedRejected
}

// SyncStats is the outcome of one [Syncer.Run], per object.
type SyncStats struct {
	// Started is when the run started reading; pass it to [WithModifiedSince] for the next
	// incremental run. A run resumed from checkpoints (see [WithCheckpoints]) has the start of
	// the attempt that began it.
	Started time.Time
	// Since is the lower bound of modification times the run read: [WithModifiedSince], the
	// bound [WithIncremental] took from the last complete run, or a resumed run's; zero when
	// the run read every record.
	Since time.Time
	// Resumed says the run went on from the checkpoints of an interrupted attempt (see
	// [WithCheckpoints]); the counts and Report are of the records this attempt read.
	Resumed  bool
	Accounts ObjectStats
	Contacts ObjectStats
	Leads    ObjectStats
	// Report is the match report of the run: per object, the outcome of every record read and a
	// histogram of best-candidate scores, aggregates and record IDs only. A run that failed
	// reports the records it got through. Keep reports with a [report.History].
	Report report.Match
}

// Total returns the sum of the per-object counts.
func (s SyncStats) Total() ObjectStats {
	var t ObjectStats
	t.add(s.Accounts)
	t.add(s.Contacts)
	t.add(s.Leads)
	return t
}

// Syncer is the CRM-sync flow of one org: it reads the accounts, contacts and leads of a CRM
// source (optionally only those tied to open opportunities past a stage, optionally only those
// modified since a time), minimises each record to the few parameters the engine matches on,
// matches them in batches and stores a sync mapping for every record decided
// [matcher.Match]. It never overrides a manual mapping and never writes an entity a user
// rejected for the record; the sync mapping of an earlier run is replaced when the record
// matches another entity now, and deleted when it matches none or only an entity a user
// rejected for it. Nothing else of a record is kept: its query lives in memory for the
// duration of one batch.
//
// A Syncer is safe for concurrent use: it holds only its configuration, and each
// [Syncer.Run] works on its own state. Two runs of the same org at once do redundant work but
// store the same mappings.
type Syncer struct {
	src   crm.Source
	eng   *matcher.Engine
	store *override.Store
	org   string
	o     syncOptions
}

// NewSyncer returns a Syncer reading src and writing the mappings of org to store. src, eng
// and store are required; org must be a valid org ID ([override.ValidateOrg]).
func NewSyncer(src crm.Source, eng *matcher.Engine, store *override.Store, org string, opts ...SyncOption) (*Syncer, error) {
	if src == nil || eng == nil || store == nil {
		return nil, fmt.Errorf("crmlink: new syncer: %w", ErrNilArgument)
	}
	if err := override.ValidateOrg(org); err != nil {
		return nil, fmt.Errorf("crmlink: new syncer: %w", err)
	}
	s := &Syncer{src: src, eng: eng, store: store, org: org, o: syncOptions{batch: DefaultSyncBatch}}
	for _, opt := range opts {
		opt(&s.o)
	}
	if s.o.batch < 1 {
		s.o.batch = DefaultSyncBatch
	}
	if s.o.log == nil {
		s.o.log = slog.New(slog.DiscardHandler)
	}
	return s, nil
}

// Run syncs the org once: accounts, then contacts, then leads. A disabled org (see
// [override.Store.Disable]) gives an error matching [override.ErrOrgDisabled] before anything
// is read, and a run stops at the next batch when its org is disabled meanwhile. It returns the counts so far
// with any error. Errors name the org, the object and record IDs, never record data; a
// canceled ctx stops the run within one batch with an error matching context.Canceled.
// Mappings written before an error stay written (each batch is one atomic
// [override.Store.Write] of its new sync mappings and of the deletes of stale ones, after one
// [override.Store.Load] of the batch's records); running again is harmless.
//
// With [WithCheckpoints] a run records where it stands after every batch it writes, and a run
// that finds the checkpoints of an interrupted one goes on from there (see [WithCheckpoints]).
func (s *Syncer) Run(ctx context.Context) (stats SyncStats, err error) {
	stats = SyncStats{Started: time.Now().UTC(), Since: s.o.since}
	var rep *report.MatchBuilder
	defer func() {
		if rep == nil {
			rep = report.NewMatchBuilder(s.org, stats.Started)
		}
		stats.Report = rep.Finish(time.Now().UTC())
	}()
	if err := s.store.CheckEnabled(ctx, "sync", s.org); err != nil {
		return stats, fmt.Errorf("crmlink: %w", err)
	}
	var plan *runPlan
	if s.o.checkpoints {
		stats.Started = stats.Started.Truncate(time.Microsecond)
		if plan, err = s.plan(ctx, stats.Started); err != nil {
			return stats, err
		}
		stats.Started, stats.Since, stats.Resumed = plan.run, plan.since, plan.resumed
	}
	rep = report.NewMatchBuilder(s.org, stats.Started)
	if s.o.access != nil {
		if err := s.readAccess(ctx); err != nil {
			return stats, err
		}
	}
	f := crm.Filter{ModifiedSince: stats.Since}
	var accountIDs, contactIDs []string
	if s.o.stage != "" {
		accountIDs, contactIDs, err = crm.TiedToOpenOpportunities(ctx, s.src, s.o.stage)
		if err != nil {
			return stats, fmt.Errorf("crmlink: sync %s: stage filter: %w", s.org, err)
		}
	}
	// With a stage, an empty ID list means no record at all (an empty Filter.IDs reads all).
	if (s.o.stage == "" || len(accountIDs) > 0) && !plan.skip(override.Account) {
		b := s.newCompanyBatch(&stats.Accounts)
		b.rep = rep
		af := f
		af.IDs = accountIDs
		var after func(string) iter.Seq2[crm.Account, error]
		if r, ok := s.src.(crm.Resumer); ok {
			after = func(id string) iter.Seq2[crm.Account, error] { return r.AccountsAfter(ctx, af, id) }
		}
		seq := readObject(ctx, plan, b, func() iter.Seq2[crm.Account, error] { return s.src.Accounts(ctx, af) }, after,
			func(a crm.Account) (string, string) { return a.ID, a.OwnerID })
		if err := drain(ctx, b, seq, func(a crm.Account) (string, matcher.CompanyQuery, string, string) {
			return a.ID, CompanyQuery(accountParams(a)), "", a.OwnerID
		}); err != nil {
			return stats, err
		}
		logDone(ctx, b)
	}
	if (s.o.stage == "" || len(contactIDs) > 0) && !plan.skip(override.Contact) {
		b := s.newMemberBatch(override.Contact, &stats.Contacts)
		b.rep = rep
		b.enrich = s.contactCompanies
		cf := f
		cf.IDs = contactIDs
		var after func(string) iter.Seq2[crm.Contact, error]
		if r, ok := s.src.(crm.Resumer); ok {
			after = func(id string) iter.Seq2[crm.Contact, error] { return r.ContactsAfter(ctx, cf, id) }
		}
		seq := readObject(ctx, plan, b, func() iter.Seq2[crm.Contact, error] { return s.src.Contacts(ctx, cf) }, after,
			func(c crm.Contact) (string, string) { return c.ID, c.OwnerID })
		if err := drain(ctx, b, seq, func(c crm.Contact) (string, matcher.MemberQuery, string, string) {
			return c.ID, MemberQuery(contactParams(c)), c.AccountID, c.OwnerID
		}); err != nil {
			return stats, err
		}
		logDone(ctx, b)
	}
	if s.o.stage == "" && !plan.skip(override.Lead) {
		b := s.newMemberBatch(override.Lead, &stats.Leads)
		b.rep = rep
		var after func(string) iter.Seq2[crm.Lead, error]
		if r, ok := s.src.(crm.Resumer); ok {
			after = func(id string) iter.Seq2[crm.Lead, error] { return r.LeadsAfter(ctx, f, id) }
		}
		seq := readObject(ctx, plan, b, func() iter.Seq2[crm.Lead, error] { return s.src.Leads(ctx, f) }, after,
			func(l crm.Lead) (string, string) { return l.ID, l.OwnerID })
		if err := drain(ctx, b, seq, func(l crm.Lead) (string, matcher.MemberQuery, string, string) {
			return l.ID, MemberQuery(leadParams(l)), "", l.OwnerID
		}); err != nil {
			return stats, err
		}
		logDone(ctx, b)
	}
	if err := plan.finish(ctx); err != nil {
		return stats, err
	}
	return stats, nil
}

// batch holds the minimised queries of at most one batch of records of one object.
type batch[Q any] struct {
	s      *Syncer
	obj    override.Object
	st     *ObjectStats
	match  func(context.Context, iter.Seq[Q]) iter.Seq2[matcher.Result, error]
	fit    func(context.Context, []Q, *matcher.FitOptions) (*matcher.FitReport, error) // nil without WithFitting
	enrich func(ctx context.Context, qs []Q, accounts []string) error                  // contacts: company names
	rep    *report.MatchBuilder                                                        // the run's match report; nil keeps none

	refs     []override.RecordRef
	qs       []Q
	accounts []string // the record's account ID, for enrich
	owners   []string // the record's owner ID, for the access index
	stored   []override.Record
	batches  int
	started  time.Time // when the object's sync started, for Progress
	cp       *runPlan  // the run's checkpoints; nil without WithCheckpoints
	resumed  bool      // the object went on after a checkpoint
}

func (s *Syncer) newCompanyBatch(st *ObjectStats) *batch[matcher.CompanyQuery] {
	b := &batch[matcher.CompanyQuery]{s: s, obj: override.Account, st: st, match: s.eng.MatchCompanies, started: time.Now()}
	if s.o.fit {
		b.fit = s.eng.FitCompanies
	}
	return b
}

func (s *Syncer) newMemberBatch(obj override.Object, st *ObjectStats) *batch[matcher.MemberQuery] {
	b := &batch[matcher.MemberQuery]{s: s, obj: obj, st: st, match: s.eng.MatchMembers, started: time.Now()}
	if s.o.fit {
		b.fit = s.eng.FitMembers
	}
	return b
}

// drain reads a record stream into b, minimising each record with minimise as it comes, and
// flushes the last batch.
func drain[R, Q any](ctx context.Context, b *batch[Q], seq iter.Seq2[R, error], minimise func(R) (id string, q Q, account, owner string)) error {
	for r, err := range seq {
		if err != nil {
			b.reset()
			return fmt.Errorf("crmlink: sync %s: read %ss: %w", b.s.org, b.obj, err)
		}
		id, q, account, owner := minimise(r)
		if err := b.add(ctx, id, q, account, owner); err != nil {
			return err
		}
	}
	if err := b.flush(ctx); err != nil {
		return err
	}
	return b.cp.put(ctx, b.obj, "", true)
}

func (b *batch[Q]) add(ctx context.Context, id string, q Q, account, owner string) error {
	b.st.Read++
	ref := override.RecordRef{Org: b.s.org, Object: b.obj, ID: id}
	if ref.Validate() != nil {
		b.st.Invalid++
		b.report(ref.ID, report.Invalid, math.NaN())
		return nil
	}
	b.refs = append(b.refs, ref)
	b.qs = append(b.qs, q)
	b.accounts = append(b.accounts, account)
	b.owners = append(b.owners, owner)
	if len(b.refs) >= b.s.o.batch {
		return b.flush(ctx)
	}
	return nil
}

// reset drops the batch's record data, keeping the capacity.
func (b *batch[Q]) reset() {
	clear(b.qs)
	clear(b.accounts)
	clear(b.owners)
	clear(b.stored)
	b.refs, b.qs, b.accounts, b.owners, b.stored = b.refs[:0], b.qs[:0], b.accounts[:0], b.owners[:0], b.stored[:0]
}

// flush matches the batch, reads what the store holds for its records in one Load, and writes
// the sync mappings of its matches and the deletes of stale sync mappings in one atomic Write.
func (b *batch[Q]) flush(ctx context.Context) error {
	defer b.reset()
	if len(b.refs) == 0 {
		return nil
	}
	s := b.s
	fail := func(err error) error {
		return fmt.Errorf("crmlink: sync %s: %ss: %w", s.org, b.obj, err)
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	if s.o.access != nil {
		s.o.access.SetOwners(b.refs, b.owners)
	}
	if b.enrich != nil {
		if err := b.enrich(ctx, b.qs, b.accounts); err != nil {
			return fail(err)
		}
	}
	if b.fit != nil {
		var o *matcher.FitOptions
		if b.batches > 0 {
			o = &matcher.FitOptions{SamplePairs: -1} // the directory was sampled for the first batch
		}
		if _, err := b.fit(ctx, b.qs, o); err != nil {
			return fail(fmt.Errorf("fit: %w", err))
		}
	}
	// What the matches say of each record: an entity the sync may link, or none (the record
	// falls back to fuzzy matching, and a sync mapping of an earlier run goes).
	type outcome struct {
		e     override.EntityRef
		ok    bool
		empty bool             // nothing to match on
		dec   matcher.Decision // the engine's decision
		score float64          // the best candidate's score, NaN without one
	}
	out := make([]outcome, 0, len(b.refs))
	i := 0
	for res, err := range b.match(ctx, slices.Values(b.qs)) {
		if i >= len(b.refs) {
			break
		}
		ref := b.refs[i]
		i++
		switch {
		case err == nil:
		case errors.Is(err, matcher.ErrEmptyQuery):
			b.st.Empty++
			out = append(out, outcome{empty: true, score: math.NaN()})
			continue
		case ctx.Err() != nil:
			return fail(ctx.Err())
		default:
			return fail(fmt.Errorf("match %s: %w", ref, err))
		}
		switch res.Decision {
		case matcher.Match:
			b.st.Matched++
		case matcher.Ambiguous:
			b.st.Ambiguous++
		default:
			b.st.None++
		}
		score := math.NaN()
		if res.Best != nil {
			score = res.Best.Score
		}
		if res.Decision != matcher.Match {
			out = append(out, outcome{dec: res.Decision, score: score})
			continue
		}
		// A match that cannot be stored leaves the record with no entity the sync may link.
		e, ok := overrideEntity(res.Best.Entity)
		out = append(out, outcome{e: e, ok: ok, dec: res.Decision, score: score})
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	if i < len(b.refs) {
		return fail(fmt.Errorf("matched %d of %d records", i, len(b.refs)))
	}
	// One read gives the org's state and the batch's records: an org disabled during the
	// run stops it here, before anything of the batch is written.
	stored, err := s.store.LoadEnabled(ctx, "sync", b.refs, b.stored[:0])
	b.stored = stored
	if err != nil {
		if errors.Is(err, override.ErrOrgDisabled) {
			return fmt.Errorf("crmlink: %w", err)
		}
		return fail(err)
	}
	var w override.Batch
	written, removed := 0, 0
	for j, rec := range stored {
		o := out[j]
		_, hasSync := rec.Source(override.Sync)
		b.report(rec.Ref.ID, reportOutcome(rec, o.ok, o.empty, o.dec, o.e), o.score)
		switch {
		case o.ok && hasManual(rec):
			b.st.SkippedManual++
			continue
		case o.ok && rec.Rejected(o.e):
			// A user rejected the match: like a record that matches none, it falls back, and
			// the sync mapping of an earlier run goes (it points at another entity, or at the
			// rejected one, a rejection stored without Resolver.Reject, which no resolver
			// follows).
			b.st.SkippedRejected++
		case o.ok:
			w.Put(override.Mapping{Record: rec.Ref, Entity: o.e, Source: override.Sync})
			written++
			continue
		}
		if hasSync {
			w.Delete(rec.Ref, override.Sync)
			removed++
		}
	}
	if w.Len() > 0 {
		if err := s.store.Write(ctx, &w); err != nil {
			return fail(err)
		}
	}
	b.st.Written += written
	b.st.Removed += removed
	// The batch is written: a run that stops from here on goes on after its last record.
	if err := b.cp.put(ctx, b.obj, b.refs[len(b.refs)-1].ID, false); err != nil {
		return fail(err)
	}
	b.batches++
	s.o.log.DebugContext(ctx, "crmlink: sync batch written", "org", s.org, "object", string(b.obj),
		"records", len(b.refs), "written", written, "removed", removed)
	if s.o.progress != nil {
		s.o.progress(Progress{Object: b.obj, Stats: *b.st, Batches: b.batches, Elapsed: time.Since(b.started), Resumed: b.resumed})
	}
	return nil
}

// report adds one record to the run's match report, if any.
func (b *batch[Q]) report(id string, out report.Outcome, score float64) {
	if b.rep != nil {
		b.rep.Add(report.Object(b.obj), id, out, score)
	}
}

// reportOutcome classifies a matched record for the match report: a manual mapping wins whatever
// the engine decided; then a rejected match, a written sync mapping, nothing to match on, and
// the engine's ambiguous or none (a match the store cannot hold counts as none).
func reportOutcome(rec override.Record, ok, empty bool, dec matcher.Decision, e override.EntityRef) report.Outcome {
	switch {
	case hasManual(rec):
		return report.Manual
	case ok && rec.Rejected(e):
		return report.Rejected
	case ok:
		return report.Sync
	case empty:
		return report.Invalid
	case dec == matcher.Ambiguous:
		return report.Ambiguous
	default:
		return report.None
	}
}

// hasManual reports whether rec has a manual mapping, which stays authoritative over the sync.
func hasManual(rec override.Record) bool {
	_, ok := rec.Source(override.Manual)
	return ok
}

// contactCompanies fills in the company name of each contact query from its account, read
// from the source for this batch only.
func (s *Syncer) contactCompanies(ctx context.Context, qs []matcher.MemberQuery, accounts []string) error {
	ids := make([]string, 0, len(accounts))
	for _, id := range accounts {
		if id != "" {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	names := make(map[string]string, len(ids))
	defer clear(names)
	for a, err := range s.src.Accounts(ctx, crm.Filter{IDs: ids}) {
		if err != nil {
			return fmt.Errorf("read accounts of contacts: %w", err)
		}
		names[a.ID] = a.Name
	}
	for i, id := range accounts {
		if id != "" {
			qs[i].Company = names[id]
		}
	}
	return nil
}

// logDone logs the counts of one object once it is synced.
func logDone[Q any](ctx context.Context, b *batch[Q]) {
	st := b.st
	b.s.o.log.InfoContext(ctx, "crmlink: sync object done", "org", b.s.org, "object", string(b.obj),
		"batches", b.batches, "read", st.Read, "invalid", st.Invalid, "empty", st.Empty,
		"matched", st.Matched, "ambiguous", st.Ambiguous, "none", st.None, "written", st.Written, "removed", st.Removed,
		"skipped_manual", st.SkippedManual, "skipped_rejected", st.SkippedRejected)
}

// readAccess reads the org's users, roles and teams and hands them to the access index with the
// seats. Only IDs, active flags and the users' emails (for the seats, not kept) are used.
func (s *Syncer) readAccess(ctx context.Context) error {
	fail := func(what string, err error) error {
		return fmt.Errorf("crmlink: sync %s: read %s: %w", s.org, what, err)
	}
	users, err := crm.Collect(s.src.Users(ctx))
	if err != nil {
		return fail("users", err)
	}
	roles, err := crm.Collect(s.src.Roles(ctx))
	if err != nil {
		return fail("roles", err)
	}
	var teams []crm.Team
	if tl, ok := s.src.(crm.TeamLister); ok {
		if teams, err = crm.Collect(tl.Teams(ctx)); err != nil {
			return fail("teams", err)
		}
	}
	s.o.access.SetRules(s.org, users, roles, teams, s.o.defaults, s.o.seats)
	s.o.log.DebugContext(ctx, "crmlink: sync access rules read", "org", s.org, "users", len(users), "roles", len(roles), "teams", len(teams))
	return nil
}
