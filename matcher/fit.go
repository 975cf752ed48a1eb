package matcher

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"
)

// defaultInDirectory is the prior probability that a query's entity is in
// the directory before any fitting: even odds, which says nothing either
// way.
const defaultInDirectory = 0.5

// FitOptions tune [Engine.FitCompanies] and [Engine.FitMembers]. The zero
// value (or nil) gives the defaults.
type FitOptions struct {
	// MaxIterations bounds the EM iterations (default 200).
	MaxIterations int
	// Tolerance stops the iterations when no M nor the in-directory prior
	// moves by more than it (default 1e-5).
	Tolerance float64
	// PriorPairs is how many pseudo-pairs the current model's M, and
	// pseudo-queries its in-directory prior, weigh as in the estimates (a
	// Dirichlet prior), so that a small batch or a level it never shows
	// does not swing the model, and fits of successive batches refine one
	// model (default 20).
	PriorPairs float64
	// SamplePairs is how many random pairs of directory entities estimate
	// the U probabilities (chance agreement) when the directory implements
	// [Sampler] (default 200,000; negative keeps the current U).
	SamplePairs int
	// PriorSamplePairs is how many pseudo-pairs the current U weigh as
	// against the directory's pairs: a directory of a hundred entities
	// holds too few distinct pairs to tell a rare agreement's chance on its
	// own (default 2,000).
	PriorSamplePairs float64
	// Seed seeds the directory sample (default 1).
	Seed uint64
}

func (o *FitOptions) withDefaults() FitOptions {
	var r FitOptions
	if o != nil {
		r = *o
	}
	if r.MaxIterations <= 0 {
		r.MaxIterations = 200
	}
	if r.Tolerance <= 0 {
		r.Tolerance = 1e-5
	}
	if r.PriorPairs <= 0 {
		r.PriorPairs = 20
	}
	if r.SamplePairs == 0 {
		r.SamplePairs = 200_000
	}
	if r.PriorSamplePairs <= 0 {
		r.PriorSamplePairs = 2000
	}
	if r.Seed == 0 {
		r.Seed = 1
	}
	return r
}

// Sampler is an optional interface of a [Directory]: a uniform random sample
// of its entities, from which [Engine.FitCompanies] and [Engine.FitMembers]
// estimate chance agreement (the U probabilities) on the directory itself.
type Sampler interface {
	// Sample returns at most n entities of kind k drawn uniformly without
	// replacement; the same directory and seed give the same sample.
	Sample(ctx context.Context, k Kind, n int, seed uint64) ([]Entity, error)
}

// FitReport describes a model fitted by [Engine.FitCompanies] or
// [Engine.FitMembers].
type FitReport struct {
	// Kind is the kind of entity the model was fitted for.
	Kind Kind
	// Queries is the number of usable queries fitted on; Pairs the number
	// of query–candidate pairs among them.
	Queries, Pairs int
	// SampledEntities is the size of the directory sample U was estimated
	// on (0 when U was kept).
	SampledEntities int
	// Iterations is the number of EM iterations run; Converged tells
	// whether they stopped under the tolerance.
	Iterations int
	Converged  bool
	// InDirectory is the fitted prior probability that a query's entity is
	// in the directory; InDirectoryBefore the one before fitting.
	InDirectory, InDirectoryBefore float64
	// Household is [Weights].Household as measured on the directory
	// (members only).
	Household float64
	// SameLast is [Weights].FirstNameSameLast as measured on the
	// directory (members only; zero when U was kept).
	SameLast FittedSameLast
	// Singletons are the names' [FieldWeights].Singleton as measured on
	// the directory sample (none when U was kept or the directory is no
	// [KeyCounter]).
	Singletons []FittedSingleton `json:",omitempty"`
	// NearNames is how often the directory's company names have a near
	// neighbour by length ([Weights].NearNameScale; companies only, none
	// when U was kept).
	NearNames []FittedNearNames `json:",omitempty"`
	// LogLikelihood is the log2 likelihood of the batch under the fitted
	// model, per query.
	LogLikelihood float64
	// Levels lists every comparison level of the kind's fields: its M and
	// U before and after fitting and how many pairs the fitted model
	// expects at that level among true pairs of the batch. Company names'
	// High level is listed by bin of similarity ("high 0.92–0.94"; see
	// [Weights].NearNameBins), each with its share of the level's M and U.
	Levels []FittedLevel
	// Weights is the whole fitted model (the other kind's fields as they
	// were). With InDirectory and Kind it is all [WithFit] needs to use the
	// model in another engine or process: a FitReport encodes to JSON.
	Weights Weights
}

// FittedNearNames is one class of name length of [Weights].NearNameScale
// in a [FitReport]: how many of the sampled companies' names of that
// length were looked up in the directory, how many other companies' names
// they found at the High level, and the factor of High's U.
type FittedNearNames struct {
	Class     int // [NearNameClass]
	Names     int
	Neighbors int
	Scale     float64
}

// FittedLevel is one comparison level in a [FitReport].
type FittedLevel struct {
	Field, Level string
	// Before and After are the level's probabilities before and after
	// fitting; their Weight is the evidence the level adds.
	Before, After Level
	// Expected is the expected number of true pairs of the batch at this
	// level under the fitted model.
	Expected float64
}

// FittedSingleton is one name field's Good–Turing count of a value held
// once, in a [FitReport].
type FittedSingleton struct {
	Field string // "name", "first_name" or "last_name"
	// Once and Twice are how many sampled entities hold a value no other
	// entity of the directory holds, and one other holds.
	Once, Twice int
	// Count is the [FieldWeights].Singleton set: (Twice+1)/(Once+1), at
	// most 1.
	Count float64
}

// FitCompanies fits the engine's company model to the directory and a batch
// of company queries, without labels, and installs it: later queries of
// every method are scored with it. See [Engine.FitMembers].
func (e *Engine) FitCompanies(ctx context.Context, qs []CompanyQuery, opts *FitOptions) (*FitReport, error) {
	return fitBatch(ctx, e, KindCompany, qs, opts, func(q *Query, cq CompanyQuery) bool { return q.prepareCompany(cq) })
}

// FitMembers fits the engine's member model to the directory and a batch of
// member queries, without labels, and installs it, as Splink does for
// record linkage:
//
//   - U (chance agreement of each comparison level) from random pairs of
//     directory entities when the directory implements [Sampler], blended
//     with the current U by [FitOptions.PriorSamplePairs];
//   - M (how true pairs compare) and the prior probability that a query's
//     entity is in the directory by expectation–maximisation over the
//     candidates the engine retrieves for the queries. Each query is either
//     one of its candidates or none of them (the candidates exclude each
//     other), so a sister entity with the same evidence shares, rather than
//     doubles, the weight of a query. The current M act as a Dirichlet
//     prior of [FitOptions.PriorPairs] pseudo-pairs.
//
// With a fitted model the prior spreads over the directory's real size
// (not [MinUniverse]): the fitted in-directory probability already says
// how often a query's entity is there. [WithPrior] fixes the prior and
// overrides the fitted one. Two fits at once: the one that finishes first
// is installed, the other's report is returned but not used. Queries with no usable field are
// skipped. Fitting a batch of 10,000 queries costs about as much as
// matching it, plus the directory sample.
func (e *Engine) FitMembers(ctx context.Context, qs []MemberQuery, opts *FitOptions) (*FitReport, error) {
	return fitBatch(ctx, e, KindMember, qs, opts, func(q *Query, mq MemberQuery) bool { return q.prepareMember(mq) })
}

// fitPair is one query–candidate pair of a fitting batch.
type fitPair struct {
	base  float64 // log2 Bayes factor under the starting weights
	slots []int32 // the fitted levels the pair compares at
}

// fitQuery is one query of a fitting batch.
type fitQuery struct {
	usable      bool    // the query had a field to match on
	logUniverse float64 // log2 of the universe the prior spreads over
	// nearScale is the factor of the U of company names' High level for
	// the query's name ([Weights].NearNameScale).
	nearScale float64
	pairs     []fitPair
}

// slotKey names a fittable level: a field of a kind and the level's slot in
// its FieldWeights.
type slotKey struct {
	field string
	slot  string
}

func fitBatch[Q any](ctx context.Context, e *Engine, kind Kind, qs []Q, opts *FitOptions,
	prepare func(*Query, Q) bool) (*FitReport, error) {
	o := opts.withDefaults()
	cur := e.model.Load()
	rep := &FitReport{Kind: kind, InDirectoryBefore: cur.inDir[kind]}

	// U from the directory itself.
	w := cur.w
	if sm, ok := e.dir.(Sampler); ok && o.SamplePairs > 0 {
		ents, err := sm.Sample(ctx, kind, sampleEntities, o.Seed)
		if err != nil {
			return nil, fmt.Errorf("matcher: fit: sample: %w", err)
		}
		rep.SampledEntities = len(ents)
		var initialChance float64
		if len(ents) >= 2 {
			if w, initialChance, err = blendU(ctx, w, kind, ents, o); err != nil {
				return nil, err
			}
			if kind == KindMember && initialChance > 0 {
				// The initial level's chance: a query gives an initial
				// (counted on the batch), and a random entity's first
				// name starts with it. A batch without initials keeps
				// the level as it was.
				var q Query
				init, usable := 0, 0
				for _, x := range qs {
					if prepare(&q, x) {
						usable++
						if len(q.person.first) == 1 { // as isInitialOf reads it
							init++
						}
					}
				}
				if init > 0 {
					w.FirstInitial.U = float64(init) / float64(usable) * initialChance
				}
			}
		}
		if kc, ok := e.dir.(KeyCounter); ok && len(ents) > 0 {
			if rep.Singletons, err = singletons(ctx, kc, kind, ents, &w); err != nil {
				return nil, err
			}
		}
		if kind == KindCompany && w.CompanyName.High.M > 0 {
			if rep.NearNames, err = e.nearNames(ctx, &w, ents); err != nil {
				return nil, err
			}
		}
		if kind == KindMember {
			hs, err := sm.Sample(ctx, KindMember, householdSample, 2)
			if err != nil {
				return nil, fmt.Errorf("matcher: fit: sample: %w", err)
			}
			if w.Household, err = e.household(ctx, hs); err != nil {
				return nil, err
			}
			rep.Household = w.Household
			if rep.SameLast, err = sameLastU(ctx, &w, hs, initialChance, o); err != nil {
				return nil, err
			}
		}
	}
	orderLevels(&w, kind)
	// Score the batch with these U and the real directory size.
	start := &model{w: w, inDir: cur.inDir, minUniverse: cur.minUniverse}
	start.minUniverse[kind] = 1
	fqs := make([]fitQuery, len(qs))
	slots := newSlotTable(&start.w, kind)
	slots.splitNearBins()
	// score's prior is the in-directory odds over the universe: take the
	// odds off to keep the universe.
	lo0 := math.Log2(start.inDir[kind] / (1 - start.inDir[kind]))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(e.o.conc)
	const chunk = 64
	for lo := 0; lo < len(qs); lo += chunk {
		hi := min(lo+chunk, len(qs))
		g.Go(func() error {
			s := e.pool.Get().(*scratch)
			defer e.pool.Put(s)
			for i := lo; i < hi; i++ {
				if !prepare(&s.q, qs[i]) {
					continue
				}
				if err := e.score(gctx, s, start); err != nil {
					return err
				}
				fq := fitQuery{usable: true, logUniverse: lo0 - s.logPrior, nearScale: start.w.nearScale(&s.q), pairs: make([]fitPair, len(s.sc))}
				for j := range s.sc {
					c := &s.sc[j]
					fq.pairs[j] = fitPair{base: c.logit - s.logPrior, slots: slots.lookup(c.fields[:c.nf])}
				}
				fqs[i] = fq
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	batch := fqs[:0]
	maxPairs := 0
	for _, fq := range fqs {
		if fq.usable {
			batch = append(batch, fq)
			rep.Pairs += len(fq.pairs)
			maxPairs = max(maxPairs, len(fq.pairs))
		}
	}
	rep.Queries = len(batch)
	if rep.Queries == 0 {
		return rep, nil // nothing to learn from: the model stays
	}

	m0 := slots.m()
	m := slices.Clone(m0)
	lambda := start.inDir[kind]
	// The U of the High level of company names, by bin of similarity, and
	// of the Prefix level are fitted too, on the batch: see nearSlots.
	near := nearSlots(slots, kind)
	u0 := make([]float64, len(m))
	u := make([]float64, len(m))
	uCount := make([]float64, len(m))
	// Pairs of the batch's queries with the directory's entities: of its
	// absent queries (for Prefix), and of all its queries at their names'
	// factors (for High's bins).
	var absentPairs, allPairs float64
	for _, i := range near {
		u0[i] = slots.value(i).U
		u[i] = u0[i]
	}
	counts := make([]float64, len(m))
	groupTotal := make([]float64, len(slots.groups))
	prior := make([]float64, len(slots.groups))
	for i, g := range slots.group {
		prior[g] += m0[i]
	}
	// The levels of a field are exclusive outcomes: their M sum to at
	// most 1 however the starting weights were set (a sum above 1 gave the
	// most frequent level an M above 1, which weighs nothing). mp are the
	// starting M as the prior of the fit takes them, scaled to that sum.
	mp := slices.Clone(m0)
	for i, g := range slots.group {
		if prior[g] > 1 {
			mp[i] /= prior[g]
		}
	}
	for g := range prior {
		prior[g] = min(prior[g], 1)
	}
	delta := make([]float64, len(m))
	logits := make([]float64, maxPairs) // one query's pairs, reused
	var ll float64
	for it := 1; it <= o.MaxIterations; it++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for i := range m {
			delta[i] = math.Log2(m[i] / m0[i])
			if u0[i] > 0 {
				delta[i] -= math.Log2(u[i] / u0[i])
			}
		}
		clear(counts)
		clear(groupTotal)
		clear(uCount)
		absentPairs, allPairs = 0, 0
		logOdds := math.Log2(lambda / (1 - lambda))
		var sumP float64
		ll = 0
		for _, fq := range batch {
			top := 0.0
			lp := logOdds - fq.logUniverse
			for j, p := range fq.pairs {
				logits[j] = pairLogit(p, lp, delta)
				top = max(top, logits[j])
			}
			sum := math.Exp2(-top)
			for j := range fq.pairs {
				logits[j] = math.Exp2(logits[j] - top)
				sum += logits[j]
			}
			ll += top + math.Log2(sum) + math.Log2(1-lambda)
			if len(near) > 0 {
				// Under "none of them" every candidate is a chance
				// neighbour of the query's name.
				absent := math.Exp2(-top) / sum
				universe := math.Exp2(fq.logUniverse)
				absentPairs += absent * universe
				allPairs += universe * fq.nearScale
				for j, p := range fq.pairs {
					for _, sl := range p.slots {
						switch {
						case u0[sl] <= 0:
						case slots.bin[sl] >= 0:
							// A candidate near the query's name that is
							// not its entity, whether the query's entity
							// is another candidate or none.
							uCount[sl] += 1 - logits[j]/sum
						default:
							uCount[sl] += absent
						}
					}
				}
			}
			for j, p := range fq.pairs {
				post := logits[j] / sum
				if post < 1e-9 {
					continue
				}
				sumP += post
				for _, sl := range p.slots {
					counts[sl] += post
					groupTotal[slots.group[sl]] += post
				}
			}
		}
		newLambda := (sumP + o.PriorPairs*rep.InDirectoryBefore) / (float64(len(batch)) + o.PriorPairs)
		newLambda = min(max(newLambda, 0.001), 0.999)
		moved := math.Abs(newLambda - lambda)
		lambda = newLambda
		for i := range m {
			g := slots.group[i]
			v := (counts[i] + o.PriorPairs*mp[i]) / (groupTotal[g] + o.PriorPairs*prior[g]) * prior[g]
			v = max(v, minFittedM)
			moved = max(moved, math.Abs(v-m[i]))
			m[i] = v
		}
		for _, i := range near {
			pairs := absentPairs
			if slots.bin[i] >= 0 {
				pairs = allPairs
			}
			v := (uCount[i] + nearPriorPairs) / (pairs + nearPriorPairs/u0[i])
			if math.Abs(v/u[i]-1) > nearTolerance {
				moved = max(moved, 2*o.Tolerance) // not converged while a U moves
			}
			u[i] = v
		}
		rep.Iterations = it
		if moved < o.Tolerance {
			rep.Converged = true
			break
		}
	}
	rep.LogLikelihood = ll / float64(len(batch))
	rep.InDirectory = lambda

	fitted := &model{w: w, inDir: cur.inDir, minUniverse: cur.minUniverse, fit: cur.fit}
	fitted.inDir[kind] = lambda
	fitted.minUniverse[kind] = 1
	fw := newSlotTable(&fitted.w, kind)
	var high Level // the sums of the bins of company names' High level
	for i, k := range slots.keys {
		if slots.bin[i] >= 0 {
			high.M += m[i]
			high.U += u[i]
			continue
		}
		l := fw.level(k)
		l.M = m[i]
		if u0[i] > 0 {
			l.U = u[i]
		}
	}
	if high.M > 0 && high.U > 0 {
		fitted.w.CompanyName.High = high
		for i, b := range slots.bin {
			if b >= 0 {
				fitted.w.NearNameBins[b] = Level{m[i] / high.M, u[i] / high.U}
			}
		}
	}
	orderLevels(&fitted.w, kind)
	was, after := newSlotTable(&cur.w, kind), newSlotTable(&fitted.w, kind)
	was.splitNearBins()
	after.splitNearBins()
	for i, k := range slots.keys {
		rep.Levels = append(rep.Levels, FittedLevel{Field: k.field, Level: k.slot, Before: was.valueOf(k), After: after.valueOf(k), Expected: counts[i]})
	}
	if kind == KindMember && fitted.w.ColleagueLocation.Exact.U > 0 {
		// Colleagues' locations differ from other pairs' by U only.
		cl, ml := &fitted.w.ColleagueLocation, &fitted.w.MemberLocation
		cl.Exact.M, cl.Equivalent.M, cl.Disagree.M = ml.Exact.M, ml.Equivalent.M, ml.Disagree.M
	}
	slices.SortFunc(rep.Levels, func(a, b FittedLevel) int {
		return cmp.Or(cmp.Compare(a.Field, b.Field), cmp.Compare(b.After.M, a.After.M))
	})
	rep.Weights = fitted.w
	fitted.fit[kind] = rep
	// Install unless another fit installed a model meanwhile: that one
	// stays (see [Engine.Fitted]), and this report is returned unused.
	e.model.CompareAndSwap(cur, fitted)
	return rep, nil
}

// orderLevels keeps every agreement level of kind's fields at or below its
// field's Exact level in weight, by raising the level's U where it is
// above. A near street or a misspelt locality is weaker evidence than the
// same one, but the random pairs that measure U reach the rarer levels
// zero or a few times, so their U can come out far below Exact's (a near
// street with the same number, never seen among the 55,000 pairs of a
// directory that holds about eight pairs at one address, weighed 3 bits more
// than the address itself, and the scorer lets an exact address held
// once weigh as much as its near levels: two restaurants of one casino
// hotel, one of them not in the directory, were matched on the address
// alone whatever their names).
//
// Company names are left out: their exact weight is the name's term
// frequency (far above the level's for a name held once), and the U of
// their near levels is fitted on the batch (see nearSlots). So are
// people: an address of the directory is shared by relatives far more
// often than by a stranger, and a near street with the same number (one
// person's address entered twice) rarely is, so for people a near street
// may rightly weigh more than the same one, and an address no one else
// holds as much.
func orderLevels(w *Weights, kind Kind) {
	if kind != KindCompany {
		return
	}
	t := newSlotTable(w, kind)
	for _, k := range t.keys {
		if k.field == FieldName || k.slot == LevelExact || k.slot == LevelDisagree {
			continue
		}
		ex := t.level(slotKey{k.field, LevelExact})
		if ex == nil || ex.M <= 0 || ex.U <= 0 {
			continue
		}
		top := ex.Weight()
		if l := t.level(k); l.Weight() > top {
			l.U = min(l.M/math.Exp2(top), 1)
		}
	}
}

// WithFit starts the engine with a model fitted earlier, by this or another
// engine (see [FitReport.Weights]), instead of [WithWeights]' weights. It
// can be given once per kind; the later report's weights are the ones used
// for both kinds, so give reports fitted in sequence on one engine, or the
// same report, for both. A nil report is ignored.
func WithFit(r *FitReport) Option {
	return func(o *options) {
		if r != nil && (r.Kind == KindCompany || r.Kind == KindMember) {
			o.fits = append(o.fits, r)
		}
	}
}

// householdSample is how many members Household and FirstNameSameLast
// are measured on.
const householdSample = 200_000

// household measures [Weights].Household on a sample of the directory's
// members: the pairs of distinct members of the same last name at the same
// street and house number, per member with such an address. A pair is in a
// uniform sample of a fraction f of the directory with probability f², a
// member with f, so the sample's count is divided by f once more.
func (e *Engine) household(ctx context.Context, ents []Entity) (float64, error) {
	f := 1.0
	if len(ents) == householdSample && e.counter != nil {
		total, err := e.counter.KeyCounts(ctx, KindMember, nil, nil)
		if err != nil {
			return 0, fmt.Errorf("matcher: fit: key counts: %w", err)
		}
		if total > len(ents) {
			f = float64(len(ents)) / float64(total)
		}
	}
	type home struct{ number, street, last string }
	homes := map[home]int{}
	withAddress := 0
	for _, en := range ents {
		m := en.m
		if m == nil || m.loc.postal == nil || m.person.last == "" {
			continue
		}
		p := m.loc.postal
		if p.number == "" || p.streetName == "" {
			continue
		}
		withAddress++
		homes[home{p.number, p.streetName, m.person.last}]++
	}
	if withAddress == 0 {
		return 0, nil
	}
	pairs := 0
	for _, n := range homes {
		pairs += n * (n - 1)
	}
	return float64(pairs) / float64(withAddress) / f, nil
}

// FittedSameLast is how [Weights].FirstNameSameLast was measured, in a
// [FitReport].
type FittedSameLast struct {
	// Pairs is how many pairs of sampled members share their last name;
	// Compared how many of them were compared (all, or a uniform sample).
	Pairs, Compared int
	// Levels are the first name's levels: Before with the U of random
	// pairs, After with the U of pairs of one surname.
	Levels []FittedLevel `json:",omitempty"`
}

// sameLastU measures [Weights].FirstNameSameLast on ents, a uniform sample
// of the directory's members, and sets it in w: the share of each first-name
// level among the pairs of members with the same last name (at most
// o.SamplePairs of them, drawn uniformly), blended with the level's U of
// random pairs as [blendU] blends: a directory with a few such pairs keeps
// the names independent.
//
// The initial level's U is scaled instead by how much more often the
// first names of such pairs start alike than those of random pairs
// (initialChance; see blendU).
func sameLastU(ctx context.Context, w *Weights, ents []Entity, initialChance float64, o FitOptions) (FittedSameLast, error) {
	var rep FittedSameLast
	groups := map[string][]int32{}
	for i, en := range ents {
		if m := en.m; en.Ref.Kind == KindMember && m != nil && m.person.first != "" && m.person.last != "" {
			groups[m.person.last] = append(groups[m.person.last], int32(i))
		}
	}
	var gs [][]int32
	for _, g := range groups {
		if len(g) > 1 {
			gs = append(gs, g)
		}
	}
	// Map order is random: sort the groups for a reproducible sample.
	slices.SortFunc(gs, func(a, b []int32) int { return cmp.Compare(a[0], b[0]) })
	cum := make([]int, len(gs)) // pairs in gs[:i+1]
	for i, g := range gs {
		rep.Pairs += len(g) * (len(g) - 1) / 2
		cum[i] = rep.Pairs
	}
	if rep.Pairs == 0 {
		return rep, nil
	}
	tab := map[string]int{}
	initPairs, initSame := 0, 0
	var fs [maxFields]FieldScore
	compare := func(a, b int32) {
		if fa, fb := ents[a].m.person.first, ents[b].m.person.first; len(fa) > 1 && len(fb) > 1 {
			initPairs++
			if fa[0] == fb[0] {
				initSame++
			}
		}
		q := queryFromEntity(ents[a])
		sc := scorer{w: w, q: &q}
		for _, f := range sc.member(fs[:0], ents[b].m) {
			if f.Field == FieldFirstName {
				tab[f.Level]++
				rep.Compared++
			}
		}
	}
	if rep.Pairs <= o.SamplePairs {
		for i, g := range gs {
			if i%64 == 0 && ctx.Err() != nil {
				return rep, ctx.Err()
			}
			for x := range g {
				for y := x + 1; y < len(g); y++ {
					compare(g[x], g[y])
				}
			}
		}
	} else {
		rng := rand.New(rand.NewPCG(o.Seed, o.Seed^0x5851f42d4c957f2d))
		for i := range o.SamplePairs {
			if i%1024 == 0 && ctx.Err() != nil {
				return rep, ctx.Err()
			}
			r := rng.IntN(rep.Pairs)
			gi, _ := slices.BinarySearch(cum, r+1)
			g := gs[gi]
			x := rng.IntN(len(g))
			y := rng.IntN(len(g) - 1)
			if y >= x {
				y++
			}
			compare(g[x], g[y])
		}
	}
	if rep.Compared == 0 {
		return rep, nil
	}
	obs := float64(min(rep.Compared, rep.Pairs))
	blend := func(level string, l Level) float64 {
		share := float64(tab[level]) / float64(rep.Compared)
		u := (share*obs + l.U*o.PriorSamplePairs) / (obs + o.PriorSamplePairs)
		rep.Levels = append(rep.Levels, FittedLevel{Field: FieldFirstName, Level: level, Before: l, After: Level{M: l.M, U: u}})
		return u
	}
	fw := &w.FirstName
	w.FirstNameSameLast = FirstNameU{
		Exact:    blend(LevelExact, fw.Exact),
		Nickname: blend(LevelNickname, fw.Equivalent),
		High:     blend(LevelHigh, fw.High),
		Medium:   blend(LevelMedium, fw.Medium),
		Disagree: blend(LevelDisagree, fw.Disagree),
	}
	if initPairs > 0 && initialChance > 0 {
		// Blended as the others, in proportion to the random pairs' chance.
		same := float64(initSame) / float64(initPairs)
		n := float64(min(initPairs, rep.Pairs))
		ratio := (same*n + initialChance*o.PriorSamplePairs) / (n + o.PriorSamplePairs) / initialChance
		l := w.FirstInitial
		w.FirstNameSameLast.Initial = l.U * ratio
		rep.Levels = append(rep.Levels, FittedLevel{Field: FieldFirstName, Level: LevelInitial, Before: l, After: Level{M: l.M, U: l.U * ratio}})
	}
	return rep, nil
}

// minFittedM keeps every fitted level possible: a level the batch never
// shows may still occur in the next one.
const minFittedM = 1e-3

// sampleEntities is how many directory entities U is estimated on.
const sampleEntities = 5000

func pairLogit(p fitPair, logPrior float64, delta []float64) float64 {
	l := p.base + logPrior
	for _, s := range p.slots {
		l += delta[s]
	}
	return l
}

// Fitted returns the report of the last model fitted for kind k, or nil if
// the engine still uses the model it was built with.
func (e *Engine) Fitted(k Kind) *FitReport {
	m := e.model.Load()
	if int(k) >= len(m.fit) {
		return nil
	}
	return m.fit[k]
}

// slotTable numbers the fittable levels of one kind's fields, as the
// scorer reports them in [FieldScore] (field and level names).
type slotTable struct {
	w      *Weights
	kind   Kind
	keys   []slotKey
	index  map[slotKey]int32
	group  []int    // by slot: its field's group
	groups []string // by group: field name
	// bin, by slot, is the bin of [Weights].NearNameBins the slot stands
	// for once splitNearBins has split company names' High level, -1 for
	// the other slots; binKeys are the bins' keys, by bin.
	bin     []int
	binKeys []slotKey
}

func newSlotTable(w *Weights, kind Kind) *slotTable {
	t := &slotTable{w: w, kind: kind, index: map[slotKey]int32{}}
	gi := map[string]int{}
	for _, f := range fieldsOf(kind) {
		fw := w.fieldWeights(kind, f)
		for _, lv := range slotsOf(f) {
			k := slotKey{f, lv}
			l := t.level(k)
			if fw == nil || l == nil || l.M <= 0 || l.U <= 0 {
				continue
			}
			g, ok := gi[f]
			if !ok {
				g = len(t.groups)
				gi[f] = g
				t.groups = append(t.groups, f)
			}
			t.index[k] = int32(len(t.keys))
			t.keys = append(t.keys, k)
			t.group = append(t.group, g)
			t.bin = append(t.bin, -1)
		}
	}
	return t
}

// splitNearBins replaces the slot of company names' High level by one slot
// per bin of [Weights].NearNameBins, each with its share of the level's M
// and U (an even share while the bins are unset), so that the fit tells
// how much more often a true pair than a chance one is that near. Other
// kinds, and a model without the level, keep their slots.
func (t *slotTable) splitNearBins() {
	i, ok := t.index[slotKey{FieldName, LevelHigh}]
	if t.kind != KindCompany || !ok {
		return
	}
	lo, step := t.w.HighSimilarity, (1-t.w.HighSimilarity)/NearNameBinCount
	keys := slices.Clone(t.keys[:i])
	group := slices.Clone(t.group[:i])
	bin := slices.Clone(t.bin[:i])
	for b := range NearNameBinCount {
		k := slotKey{FieldName, fmt.Sprintf("%s %.3g–%.3g", LevelHigh, lo+float64(b)*step, lo+float64(b+1)*step)}
		t.binKeys = append(t.binKeys, k)
		keys = append(keys, k)
		group = append(group, t.group[i])
		bin = append(bin, b)
	}
	t.keys = append(keys, t.keys[i+1:]...)
	t.group = append(group, t.group[i+1:]...)
	t.bin = append(bin, t.bin[i+1:]...)
	clear(t.index)
	for j, k := range t.keys {
		t.index[k] = int32(j)
	}
}

// nearBinShare returns bin b's shares of High's M and U in w: the fitted
// ones, or even shares while they are unset.
func nearBinShare(w *Weights, b int) Level {
	if l := w.NearNameBins[b]; l.M > 0 && l.U > 0 {
		return l
	}
	return Level{1.0 / NearNameBinCount, 1.0 / NearNameBinCount}
}

// valueOf returns the probabilities of the slot of key k in t.w, zero when
// t has no such slot.
func (t *slotTable) valueOf(k slotKey) Level {
	if i, ok := t.index[k]; ok {
		return t.value(int(i))
	}
	return Level{}
}

// value returns the probabilities of slot i in t.w: a bin's share of
// company names' High level for a bin (see splitNearBins).
func (t *slotTable) value(i int) Level {
	if b := t.bin[i]; b >= 0 {
		h, sh := t.w.CompanyName.High, nearBinShare(t.w, b)
		return Level{h.M * sh.M, h.U * sh.U}
	}
	return *t.level(t.keys[i])
}

// lookup returns the slots of the fitted levels among fs.
func (t *slotTable) lookup(fs []FieldScore) []int32 {
	var out []int32
	for _, f := range fs {
		k := slotKey{f.Field, slotOfLevel(f.Field, f.Level)}
		if t.binKeys != nil && k.field == FieldName && k.slot == LevelHigh {
			k = t.binKeys[t.w.NearNameBin(f.Similarity)]
		}
		if i, ok := t.index[k]; ok {
			out = append(out, i)
		}
	}
	return out
}

// m returns the current M of every slot.
func (t *slotTable) m() []float64 {
	out := make([]float64, len(t.keys))
	for i := range t.keys {
		out[i] = t.value(i).M
	}
	return out
}

// level returns the Level of t.w that slot key k names.
func (t *slotTable) level(k slotKey) *Level {
	if k.field == FieldFirstName && k.slot == LevelInitial {
		return &t.w.FirstInitial
	}
	fw := t.w.fieldWeights(t.kind, k.field)
	if fw == nil {
		return nil
	}
	switch k.slot {
	case LevelExact:
		return &fw.Exact
	case slotEquivalent:
		return &fw.Equivalent
	case LevelHigh:
		return &fw.High
	case LevelMedium:
		return &fw.Medium
	case LevelPrefix:
		return &fw.Prefix
	case LevelPartial:
		return &fw.Partial
	case LevelSpelledOut:
		return &fw.SpelledOut
	case LevelDisagree:
		return &fw.Disagree
	}
	return nil
}

const slotEquivalent = "equivalent"

// slotOfLevel maps a reported level name to its slot in [FieldWeights]:
// the equivalence levels (nickname, acronym, same domain label, same
// country) share the Equivalent slot, and an email local part following
// the names is the Exact slot of its field; the postal parts' "missing"
// (a house number on one side only) is their Equivalent slot and
// "partial" their Medium slot (a company name's is its Partial slot).
func slotOfLevel(field, level string) string {
	switch level {
	case LevelNickname, LevelAcronym, LevelDomain, LevelCountry, LevelMissing:
		return slotEquivalent
	case LevelPartial:
		if field == FieldName {
			return LevelPartial
		}
		return LevelMedium
	case LevelPattern:
		return LevelExact
	case LevelInitial:
		if field == FieldFirstName {
			return LevelInitial
		}
	}
	return level
}

// fieldsOf lists the fields of kind's queries.
func fieldsOf(kind Kind) []string {
	if kind == KindCompany {
		return []string{FieldName, FieldLegalForm, FieldWebsite, FieldIndustry, FieldLocation, FieldStreet, FieldPostcode, FieldLocality}
	}
	return []string{FieldFirstName, FieldLastName, FieldCompany, FieldTitle, FieldEmail,
		FieldEmailPattern, FieldEmailDomain, FieldLocation, FieldStreet, FieldPostcode, FieldLocality}
}

// slotsOf lists the slots a field may use.
func slotsOf(field string) []string {
	s := []string{LevelExact, slotEquivalent, LevelHigh, LevelMedium, LevelPrefix, LevelPartial, LevelSpelledOut, LevelDisagree}
	if field == FieldFirstName {
		s = append(s, LevelInitial)
	}
	return s
}

// fieldWeights returns the weights of kind's field, or nil.
func (w *Weights) fieldWeights(kind Kind, field string) *FieldWeights {
	switch field {
	case FieldStreet:
		return &w.Address.Street
	case FieldPostcode:
		return &w.Address.Postcode
	case FieldLocality:
		return &w.Address.Locality
	}
	if kind == KindCompany {
		switch field {
		case FieldName:
			return &w.CompanyName
		case FieldLegalForm:
			return &w.LegalForm
		case FieldWebsite:
			return &w.Website
		case FieldIndustry:
			return &w.Industry
		case FieldLocation:
			return &w.CompanyLocation
		}
		return nil
	}
	switch field {
	case FieldFirstName:
		return &w.FirstName
	case FieldLastName:
		return &w.LastName
	case FieldCompany:
		return &w.Employer
	case FieldTitle:
		return &w.Title
	case FieldEmail:
		return &w.Email
	case FieldEmailPattern:
		return &w.EmailPattern
	case FieldEmailDomain:
		return &w.EmailDomain
	case FieldLocation:
		return &w.MemberLocation
	}
	return nil
}

// blendU re-estimates the U of kind's fields from random pairs of ents, as
// [EstimateU] does, and blends each with the current U weighted as
// o.PriorSamplePairs pairs. The pairs are drawn with replacement from the
// sample's distinct pairs; their effective number is at most the number of
// distinct pairs.
//
// The initial level is left out: directory entities give their first
// names in full, so pairs of them almost never compare at it, and its
// chance is the share of queries that give an initial times initialChance,
// the share of pairs whose first names start alike (see fitBatch).
func blendU(ctx context.Context, w Weights, kind Kind, ents []Entity, o FitOptions) (Weights, float64, error) {
	rng := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	distinct := float64(len(ents)) * float64(len(ents)-1) / 2
	// Drawing more than a few times each distinct pair tells nothing new.
	pairs := int(math.Min(float64(o.SamplePairs), 20*distinct))
	tab, n, err := tallyU(ctx, &w, kind, ents, pairs, rng)
	if err != nil {
		return w, 0, err
	}
	initialChance := 0.0
	if n[initialPairs] > 0 {
		initialChance = float64(tab[slotKey{FieldFirstName, initialPairs}]) / float64(n[initialPairs])
	}
	eff := math.Min(float64(pairs), distinct)
	t := newSlotTable(&w, kind)
	for _, k := range t.keys {
		if k.field == FieldEmail || k.field == FieldEmailPattern || k.field == FieldEmailDomain {
			continue // see EstimateU: not observable between directory entities
		}
		if k.field == FieldFirstName && k.slot == LevelInitial {
			continue
		}
		total := n[k.field]
		if total == 0 {
			continue
		}
		l := t.level(k)
		share := float64(tab[k]) / float64(total)
		// The sample's share counts as eff pairs of which the field is
		// present in total/pairs.
		obs := eff * float64(total) / float64(pairs)
		l.U = (share*obs + l.U*o.PriorSamplePairs) / (obs + o.PriorSamplePairs)
	}
	return w, initialChance, nil
}

// initialPairs names, in tallyU's counts, the member pairs whose first
// names are both given in full (n) and those of them that start with the
// same letter (tab, under the first name).
const initialPairs = "initial-pairs"

// tallyU compares pairs random pairs of distinct entities of ents and
// counts the levels they reach, by slot, and the pairs where each field
// was compared.
func tallyU(ctx context.Context, w *Weights, kind Kind, ents []Entity, pairs int, rng *rand.Rand) (map[slotKey]int, map[string]int, error) {
	tab := map[slotKey]int{}
	n := map[string]int{}
	var fs [maxFields]FieldScore
	for i := range pairs {
		if i%1024 == 0 && ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		a := ents[rng.IntN(len(ents))]
		b := ents[rng.IntN(len(ents))]
		if a.Ref == b.Ref || !a.ok() || !b.ok() || a.Ref.Kind != kind || b.Ref.Kind != kind {
			continue
		}
		q := queryFromEntity(a)
		sc := scorer{w: w, q: &q}
		var out []FieldScore
		if kind == KindCompany {
			out = sc.company(fs[:0], b.c)
		} else {
			out = sc.member(fs[:0], b.m)
		}
		for _, f := range out {
			tab[slotKey{f.Field, slotOfLevel(f.Field, f.Level)}]++
			n[f.Field]++
		}
		if kind == KindMember {
			if fa, fb := a.m.person.first, b.m.person.first; len(fa) > 1 && len(fb) > 1 {
				n[initialPairs]++
				if fa[0] == fb[0] {
					tab[slotKey{FieldFirstName, initialPairs}]++
				}
			}
		}
	}
	return tab, n, nil
}

// nameField returns the FieldWeights of the name in kind's term-frequency
// slot, nil for a slot that holds no name.
func (w *Weights) nameField(kind Kind, slot int) *FieldWeights {
	switch {
	case kind == KindCompany && slot == tfCore:
		return &w.CompanyName
	case kind == KindMember && slot == tfFirst:
		return &w.FirstName
	case kind == KindMember && slot == tfLast:
		return &w.LastName
	}
	return nil
}

// singleton returns the Singleton of the name in kind's term-frequency
// slot, 0 when unset or when the slot holds no name.
func (w *Weights) singleton(kind Kind, slot int) float64 {
	if f := w.nameField(kind, slot); f != nil {
		return f.Singleton
	}
	return 0
}

// singletons measures the Good–Turing count of a name value held once, for
// each name of kind, on a sample of the directory's entities: with n1
// sampled entities whose value no other entity holds and n2 whose value
// one other holds, a value seen once is expected (n2+1)/(n1+1) times among
// other records (Good–Turing's 2·N2/N1 with N2 and N1 the numbers of
// values held twice and once, add-one smoothed so that a directory whose
// names are all distinct still gives a finite count). It sets the counts in
// w.
func singletons(ctx context.Context, kc KeyCounter, kind Kind, ents []Entity, w *Weights) ([]FittedSingleton, error) {
	type name struct {
		field string
		tag   byte
		fw    *FieldWeights
		value func(Entity) string
	}
	names := []name{{FieldName, tagCoCore, &w.CompanyName, func(e Entity) string { return e.c.company.core }}}
	if kind == KindMember {
		names = []name{
			{FieldFirstName, tagFirst, &w.FirstName, func(e Entity) string { return e.m.person.first }},
			{FieldLastName, tagLast, &w.LastName, func(e Entity) string { return e.m.person.last }},
		}
	}
	keys := make([]Key, 0, len(ents)*len(names))
	of := make([]int, 0, cap(keys)) // index in names of each key
	for _, e := range ents {
		if !e.ok() || e.Ref.Kind != kind {
			continue
		}
		for i, n := range names {
			if v := n.value(e); v != "" {
				keys = append(keys, makeKey(n.tag, v))
				of = append(of, i)
			}
		}
	}
	counts := make([]int, len(keys))
	if len(keys) > 0 {
		if _, err := kc.KeyCounts(ctx, kind, keys, counts); err != nil {
			return nil, fmt.Errorf("matcher: fit: key counts: %w", err)
		}
	}
	out := make([]FittedSingleton, len(names))
	for i, c := range counts {
		switch c {
		case 1:
			out[of[i]].Once++
		case 2:
			out[of[i]].Twice++
		}
	}
	for i, n := range names {
		out[i].Field = n.field
		out[i].Count = min(1, float64(out[i].Twice+1)/float64(out[i].Once+1))
		n.fw.Singleton = out[i].Count
	}
	return out, nil
}

// nearTolerance is the relative change of a fitted U of nearSlots under
// which it counts as converged.
const nearTolerance = 1e-4

// nearNameSample is how many of the sampled companies nearNames looks up.
const nearNameSample = 2000

// nearNamePrior is how many names of the pooled rate a class of name
// length starts from in nearNames: a class with few names stays near it.
const nearNamePrior = 20

// nearNames measures [Weights].NearNameScale on the directory's own names
// and sets it in w: it looks up the names of up to nearNameSample of the
// sampled companies ents in the directory, as queries of the name alone,
// and counts by the length of the name the other companies the engine
// finds at the High level. Each class's factor is its rate of such
// neighbours over the rate of all classes, each class's rate drawn towards
// the pooled one by nearNamePrior names. The batch's fit then scales the
// U it measures by the factors of its queries' names (see nearSlots).
// Directories without near names keep w as it is.
func (e *Engine) nearNames(ctx context.Context, w *Weights, ents []Entity) ([]FittedNearNames, error) {
	probe := &model{w: *w}
	probe.w.NearNameScale = [NearNameClasses]float64{}
	probe.inDir[KindCompany], probe.minUniverse[KindCompany] = DefaultPrior, 1
	var names, near [NearNameClasses]int
	s := e.pool.Get().(*scratch)
	defer e.pool.Put(s)
	looked := 0
	for _, ent := range ents {
		if looked == nearNameSample {
			break
		}
		if ent.c == nil || ent.c.company.empty() {
			continue
		}
		if !s.q.prepareCompany(CompanyQuery{Name: strings.Join(ent.c.company.tokens, " ")}) {
			continue
		}
		if err := e.score(ctx, s, probe); err != nil {
			return nil, err
		}
		looked++
		c := NearNameClass(runeLen(ent.c.company.joined))
		names[c]++
		for i := range s.sc {
			sc := &s.sc[i]
			if sc.ref != ent.Ref && sc.nf > 0 && sc.fields[0].Field == FieldName && sc.fields[0].Level == LevelHigh {
				near[c]++
			}
		}
	}
	var allNames, allNear int
	for c := range names {
		allNames += names[c]
		allNear += near[c]
	}
	if allNear == 0 {
		return nil, nil
	}
	pooled := float64(allNear) / float64(allNames)
	out := make([]FittedNearNames, NearNameClasses)
	for c := range out {
		rate := (float64(near[c]) + nearNamePrior*pooled) / (float64(names[c]) + nearNamePrior)
		w.NearNameScale[c] = rate / pooled
		out[c] = FittedNearNames{Class: c, Names: names[c], Neighbors: near[c], Scale: w.NearNameScale[c]}
	}
	return out, nil
}

// nearPriorPairs is how many chance neighbours the current U of a
// nearSlots level stands for: a batch with few absent queries cannot swing
// it.
const nearPriorPairs = 5

// nearSlots returns the slots whose U the fit estimates on the batch
// rather than on random pairs of the directory: the bins of the High level
// of company names (see splitNearBins) and the names' Prefix level. A random
// pair of companies reaches High about once in millions, so that the
// 200,000 pairs that measure the other levels see it zero to three times
// and its U swung a hundredfold between directory sizes (at 1M companies
// the fitted model put 3% of a batch in the directory, and matched almost
// nothing). The directory's index finds the entities near a query's name,
// so the candidates of the batch hold nearly all the pairs that reach
// High. Each candidate at High counts as a chance neighbour by the
// probability that it is not the query's entity, whether the query's
// entity is another candidate or none, and U is their number over the
// batch's pairs with the directory's entities, each query's at its name's
// factor ([Weights].NearNameScale), so that U is the one the factors
// scale. Counting the candidates of absent queries only, as this did
// before the bins, let the fit explain an absent query's near neighbour as
// its entity and keep U low: on a synthetic batch of a million companies
// its U stood for 0.12 chance neighbours a query, where the other
// companies near present queries' names numbered 0.9 a query and those
// near absent ones 1.0, and 15% of absent queries were matched. Sister
// companies near a present query's entity are counted too: an absent
// record's company has sisters in the directory as often.
//
// The Prefix level (a name within the other) is fitted on the absent
// queries' candidates, without the factors, which are about near
// spellings. Random pairs of a directory's names measure how often one
// canonical name holds another ("Nokia" and "Nokia Networks" both listed),
// not how often a record that is not in the directory has a name within
// it: on a register of organisation name variants the first put a name
// within the other at 0.79 whatever the evidence, where 94% of such
// queries were right. Counted on every candidate as High is, its weight
// fell from 23 to 18 bits on a synthetic batch of a million companies,
// fewer queries had their entity first after fitting (0.911 to 0.903) and
// no fewer absent ones were matched. The Partial level stays
// as random pairs measure it: fitted on the batch, its U rose with the
// queries it made absent, until its M fell to nothing.
func nearSlots(t *slotTable, kind Kind) []int {
	if kind != KindCompany {
		return nil
	}
	var out []int
	for i, k := range t.keys {
		if k.field == FieldName && (k.slot == LevelPrefix || t.bin[i] >= 0) {
			out = append(out, i)
		}
	}
	return out
}
