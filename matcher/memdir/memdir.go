package memdir

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sync"

	"github.com/crmlink/crmlink/matcher"
)

// ErrDuplicate is returned when adding an entity whose ID is already present.
var ErrDuplicate = errors.New("memdir: duplicate id")

// ErrNoID is returned when adding an entity without an ID.
var ErrNoID = errors.New("memdir: empty id")

// DefaultPostingBudget is the default number of postings one query may
// visit (see [WithPostingBudget]).
const DefaultPostingBudget = 10000

// lengthPenalty is the index weight an entity loses per key it holds.
const lengthPenalty = 0.02

// exactBoost is the index weight added for an exact-identity key (email
// hash, website domain), so that such a hit ranks before any fuzzy one.
const exactBoost = 24

// Option configures a [Dir].
type Option func(*Dir)

// WithPostingBudget caps how many postings one query visits (default
// [DefaultPostingBudget]). Keys are visited rarest first, so the budget cuts
// the least selective keys (common tokens and names) first; a smaller
// budget is faster and may lose recall on queries made only of common words.
func WithPostingBudget(n int) Option { return func(d *Dir) { d.budget = max(n, 1) } }

// WithVocabulary makes the directory keep the words of its entities' names
// in a vocabulary and look up with typo tolerance the query words it does
// not hold, and the words one edit from its rare ones (see the package
// documentation, # Vocabulary): names with two typos in a word, or a typo
// in any word, and joined or split words are found. It is off by default: it costs index memory, build time and query
// time on queries with unknown words (measured on 100,000 synthetic
// companies on a shared machine, same run: candidate recall of hard
// name-only queries 0.887 to 0.977; p50 of the standard benchmark queries
// 68 to 122 µs; build 0.86 to 2.7 s). Given kinds, it keeps the words of
// entities of those kinds only, and only their queries look words up: a
// directory of companies and members may keep the company names' words,
// where most typos of CRM records fall, and leave people's names to their
// deletion and nickname keys.
func WithVocabulary(kinds ...matcher.Kind) Option {
	return func(d *Dir) {
		d.vocabOn = true
		d.vocabKinds = 0
		for _, k := range kinds {
			d.vocabKinds |= 1 << k
		}
	}
}

// vocabFor reports whether the directory keeps a vocabulary for entities
// and queries of kind k.
func (d *Dir) vocabFor(k matcher.Kind) bool {
	return d.vocabOn && (d.vocabKinds == 0 || d.vocabKinds&(1<<k) != 0)
}

// WithCapacity pre-sizes the directory for n entities. The key index is
// not pre-sized: how many distinct keys n entities have depends on their
// names (a guess of eight an entity held 200 MiB more than needed at a
// million members), and it grows a table at a time as keys arrive.
func WithCapacity(n int) Option {
	return func(d *Dir) {
		d.ents = slices.Grow(d.ents, n)
		d.nkeys = slices.Grow(d.nkeys, n)
		d.byRef = make(map[matcher.EntityRef]int32, n)
	}
}

// Dir is an in-memory [matcher.Directory]: an inverted index from the
// entities' [matcher.Key]s to their slots. It is safe for concurrent use;
// Add, Upsert and Remove may run while queries do (a sync.RWMutex: queries
// share the lock, changes take it alone).
type Dir struct {
	budget     int
	vocabOn    bool  // see WithVocabulary
	vocabKinds uint8 // the kinds WithVocabulary names, by bit; 0 for all
	hashMin    int   // hashAccumMin, but in tests
	// closeHook, set in tests, is called when a query closes entry
	// (closeEntry).
	closeHook func()
	// visitAlike, set in tests, visits lists alike one by one, as
	// cutLists did before it merged them.
	visitAlike bool

	mu    sync.RWMutex
	ents  []matcher.Entity // by slot; the zero Entity marks a free slot
	nkeys []uint16         // by slot: how many keys the entity has
	free  []int32
	byRef map[matcher.EntityRef]int32
	// post maps a key to its postings: a value v >= 0 is the only slot
	// holding the key (most keys: no list), v < 0 is ^off for the list at
	// off in lists.
	post   keyTable
	lists  postArena
	counts [3]int // live entities by kind
	// intern shares the features of an employer among its members.
	intern matcher.Interner
	// vocabs are the vocabularies of the entities' terms, by class
	// ([matcher.Term.Class]); termBuf is the buffer of addTerms.
	vocabs  [matcher.TermClasses]*vocab
	termBuf []matcher.Term

	// scratches are reused query buffers. Not a sync.Pool: a pool is
	// emptied at every GC, and the accumulator is as long as the directory.
	smu       sync.Mutex
	scratches []*scratch
}

var (
	_ matcher.Directory  = (*Dir)(nil)
	_ matcher.KeyCounter = (*Dir)(nil)
)

// New returns an empty directory.
func New(opts ...Option) *Dir {
	d := &Dir{
		budget:  DefaultPostingBudget,
		hashMin: hashAccumMin,
		byRef:   make(map[matcher.EntityRef]int32),
	}
	for _, o := range opts {
		o(d)
	}
	return d
}

// AddCompany adds a company. It fails with [ErrNoID] or [ErrDuplicate].
func (d *Dir) AddCompany(c matcher.Company) error {
	return d.add(matcher.NewCompanyEntity(c), false)
}

// AddMember adds a member. It fails with [ErrNoID] or [ErrDuplicate].
func (d *Dir) AddMember(m matcher.Member) error {
	return d.add(matcher.NewMemberEntity(m), false)
}

// UpsertCompany adds a company or replaces the one with the same ID.
func (d *Dir) UpsertCompany(c matcher.Company) error {
	return d.add(matcher.NewCompanyEntity(c), true)
}

// UpsertMember adds a member or replaces the one with the same ID.
func (d *Dir) UpsertMember(m matcher.Member) error {
	return d.add(matcher.NewMemberEntity(m), true)
}

// IDError is an add or upsert that failed for one entity. Err is [ErrNoID]
// or [ErrDuplicate]. Its text holds the kind and ID, never record data.
type IDError struct {
	Ref matcher.EntityRef
	Err error
}

// Error names the class, the kind and the ID.
func (e *IDError) Error() string {
	return fmt.Sprintf("%v: %s %q", e.Err, e.Ref.Kind, e.Ref.ID)
}

// Unwrap returns Err.
func (e *IDError) Unwrap() error { return e.Err }

func (d *Dir) add(ent matcher.Entity, upsert bool) error {
	if ent.Ref.ID == "" {
		return &IDError{Ref: ent.Ref, Err: ErrNoID}
	}
	// Normalise and derive keys outside the lock.
	keys := ent.Keys(nil)
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.addLocked(ent, keys, upsert)
}

// addLocked indexes ent under keys; d.mu is held.
func (d *Dir) addLocked(ent matcher.Entity, keys []matcher.Key, upsert bool) error {
	if ent.Ref.ID == "" {
		return &IDError{Ref: ent.Ref, Err: ErrNoID}
	}
	added := keys
	slot, ok := d.byRef[ent.Ref]
	if ok {
		if !upsert {
			return &IDError{Ref: ent.Ref, Err: ErrDuplicate}
		}
		// Only the keys the entity loses leave their lists, and only those
		// it gains are added: finding the slot in a list costs the list's
		// length (a country's, a common word's), and a refreshed profile
		// keeps most of its keys, often all.
		old := d.ents[slot].Keys(nil)
		d.unindexKeys(slot, keysWithout(old, keys))
		added = keysWithout(keys, old)
	} else {
		if n := len(d.free); n > 0 {
			slot = d.free[n-1]
			d.free = d.free[:n-1]
		} else {
			if len(d.ents) >= maxSlots {
				return errors.New("memdir: directory full")
			}
			slot = int32(len(d.ents))
			d.ents = append(d.ents, matcher.Entity{})
			d.nkeys = append(d.nkeys, 0)
		}
		d.byRef[ent.Ref] = slot
		d.counts[ent.Ref.Kind]++
	}
	d.ents[slot] = d.intern.Share(ent)
	d.nkeys[slot] = uint16(min(len(keys), math.MaxUint16))
	for _, k := range added {
		d.addPosting(k, slot)
	}
	if d.vocabFor(ent.Ref.Kind) {
		d.addTerms(ent)
	}
	return nil
}

// keysWithout returns the keys of a that b does not hold (both are sets:
// an entity's keys are distinct), a itself when b holds none of them.
func keysWithout(a, b []matcher.Key) []matcher.Key {
	var out []matcher.Key
	for i, k := range a {
		if slices.Contains(b, k) {
			if out == nil {
				out = append(make([]matcher.Key, 0, len(a)), a[:i]...)
			}
			continue
		}
		if out != nil {
			out = append(out, k)
		}
	}
	if out == nil {
		return a
	}
	return out
}

func (d *Dir) addPosting(k matcher.Key, slot int32) {
	v, ok := d.post.get(k)
	switch {
	case !ok:
		d.post.set(k, slot)
	case v >= 0:
		d.post.set(k, ^d.lists.newList(v, slot))
	default:
		if off := d.lists.add(^v, slot); off != ^v {
			d.post.set(k, ^off)
			if d.lists.wasted(2) {
				d.lists.compact(&d.post, true)
			}
		}
	}
}

// postings returns the slots holding k; one is storage for a single slot.
func (d *Dir) postings(k matcher.Key, one *[1]int32) []int32 {
	v, ok := d.post.get(k)
	switch {
	case !ok:
		return nil
	case v >= 0:
		one[0] = v
		return one[:]
	default:
		return d.lists.list(^v)
	}
}

// unindex removes slot from the posting lists of its entity's keys.
func (d *Dir) unindex(slot int32) { d.unindexKeys(slot, d.ents[slot].Keys(nil)) }

// unindexKeys removes slot from the posting lists of keys.
func (d *Dir) unindexKeys(slot int32, keys []matcher.Key) {
	for _, k := range keys {
		v, ok := d.post.get(k)
		switch {
		case !ok:
		case v >= 0:
			if v == slot {
				d.post.remove(k)
			}
		default:
			l := d.lists.list(^v)
			if i := slices.Index(l, slot); i >= 0 {
				d.lists.removeAt(^v, i)
				l = l[:len(l)-1]
			}
			if len(l) <= 1 {
				// Back to the inline form; the block is reused.
				if len(l) == 1 {
					d.post.set(k, l[0])
				} else {
					d.post.remove(k)
				}
				d.lists.release(^v)
			}
		}
	}
}

// Remove removes the entity ref; it reports whether there was one.
func (d *Dir) Remove(ref matcher.EntityRef) (bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	slot, ok := d.byRef[ref]
	if !ok {
		return false, nil
	}
	d.unindex(slot)
	d.ents[slot] = matcher.Entity{}
	delete(d.byRef, ref)
	d.free = append(d.free, slot)
	d.counts[ref.Kind]--
	return true, nil
}

// Len returns the number of entities (companies and members).
func (d *Dir) Len() int {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return len(d.byRef)
}

// Entity returns the entity ref; ok is false if there is none.
func (d *Dir) Entity(ctx context.Context, ref matcher.EntityRef) (matcher.Entity, bool, error) {
	if err := ctx.Err(); err != nil {
		return matcher.Entity{}, false, err
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	slot, ok := d.byRef[ref]
	if !ok {
		return matcher.Entity{}, false, nil
	}
	return d.ents[slot], true, nil
}

// KeyCounts implements [matcher.KeyCounter].
func (d *Dir) KeyCounts(ctx context.Context, k matcher.Kind, keys []matcher.Key, counts []int) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	var one [1]int32
	for i, key := range keys {
		counts[i] = len(d.postings(key, &one))
	}
	if int(k) >= len(d.counts) {
		return 0, nil
	}
	return d.counts[k], nil
}

func (d *Dir) getScratch() *scratch {
	d.smu.Lock()
	defer d.smu.Unlock()
	if n := len(d.scratches); n > 0 {
		s := d.scratches[n-1]
		d.scratches = d.scratches[:n-1]
		return s
	}
	return new(scratch)
}

func (d *Dir) putScratch(s *scratch) {
	d.smu.Lock()
	defer d.smu.Unlock()
	d.scratches = append(d.scratches, s)
}

type keyList struct {
	key   matcher.Key
	list  []int32
	mult  float32 // weight factor: 1 for the query's own keys
	group uint8   // variant group ([matcher.Query.VariantGroups]), 0 for none
}

type scratch struct {
	ones    [][1]int32 // storage of single-slot posting lists
	acc     []accum    // by slot (topDense)
	tab     accTable   // by slot (topHashed)
	live    accTable   // by slot: the entities that can still enter (topLive)
	liveAt  []int32    // positions in live
	filter  slotFilter // the slots in live
	cut     []cutList  // the lists topHashed visits
	pick    []topItem  // pickTop's entities that can be among the best
	touched []int32    // slots (topDense) or positions in tab (topHashed)
	lists   []keyList
	top     topHeap
	terms   []matcher.Term
	extra   []extraKey
	joinBuf []byte
	prev    nearWords   // the one-edit hits of the query word before
	split   joinedWords // the known joining of the two query words before
	fuzzy   fuzzyState
	byID    []idOrder        // see sortByID
	sorted  []matcher.Entity // see sortByID and rerank
	sims    []float64        // see rerank
}

// Candidates implements [matcher.Directory]: it visits the posting lists of
// q's keys rarest first within the posting budget, accumulates for every
// entity touched the inverse document frequency log2(1+N/df) of the keys it
// shares with q (plus a large boost for an exact key: email hash or website
// domain), and appends the limit best, in ID order.
func (d *Dir) Candidates(ctx context.Context, q *matcher.Query, limit int, dst []matcher.Entity) ([]matcher.Entity, error) {
	if err := ctx.Err(); err != nil {
		return dst, err
	}
	if limit <= 0 {
		return dst, nil
	}
	s := d.getScratch()
	defer d.putScratch(s)
	kind := q.Kind()

	d.mu.RLock()
	defer d.mu.RUnlock()
	if int(kind) >= len(d.counts) {
		return dst, nil
	}
	n := float64(d.counts[kind])
	s.lists = s.lists[:0]
	keys := q.Keys()
	s.extra = s.extra[:0]
	vocab := d.vocabFor(kind)
	if vocab {
		d.expandTerms(s, q)
	}
	if nk := len(keys) + len(s.extra); cap(s.ones) < nk {
		s.ones = make([][1]int32, nk)
	}
	ones := s.ones[:len(keys)+len(s.extra)]
	groups := q.VariantGroups()
	for i, k := range keys {
		if l := d.postings(k, &ones[i]); len(l) > 0 {
			s.lists = append(s.lists, keyList{k, l, 1, groups[i]})
		}
	}
	ones = ones[len(keys):]
extra:
	for i, x := range s.extra {
		for _, kl := range s.lists {
			if kl.key == x.key {
				continue extra
			}
		}
		if l := d.postings(x.key, &ones[i]); len(l) > 0 {
			s.lists = append(s.lists, keyList{x.key, l, x.mult, 0})
		}
	}
	slices.SortFunc(s.lists, func(a, b keyList) int {
		if a.key.Exact() != b.key.Exact() {
			if a.key.Exact() {
				return -1
			}
			return 1
		}
		return cmp.Compare(len(a.list), len(b.list))
	})
	pool := limit
	if vocab {
		pool = max(limit, completePool*limit)
	}
	if visits := visitCount(s.lists, d.budget); len(d.ents) >= d.hashMin && visits <= len(d.ents)/8 {
		d.topHashed(s, n, pool, visits, kind == matcher.KindMember)
	} else {
		d.topDense(s, n, pool, kind == matcher.KindMember)
	}
	if pool > limit {
		d.complete(s, n)
		d.rerank(s, q, limit)
	}
	h := &s.top
	start := len(dst)
	for _, it := range h.items {
		// Keys are tagged by kind: another kind only meets the query
		// through a 64-bit hash collision.
		if e := d.ents[it.slot]; e.Ref.Kind == kind {
			dst = append(dst, e)
		}
	}
	sortByID(s, dst[start:])
	return dst, nil
}

// completePool is, with the vocabulary, how many times the limit best
// entities within the posting budget the completion pass (Dir.complete)
// chooses from, and completeBudget how many postings it reads at most, as
// a multiple of the posting budget.
const (
	completePool   = 4
	completeBudget = 4
)

// complete is the pass of a directory with a vocabulary after the posting
// budget: the lists the budget cut or left out (the query's most common
// words, and the most common words near its unknown ones) are read on,
// but only for the entities already among the pool best (s.top), as a
// search engine scores the lists that cannot bring a new entity among the
// best only for the entities the others found (MaxScore). A query of
// three common words then ranks the entity with all three above those
// with the first two. Variant lists are left out: an entity counts the
// rarest variant it shares, which the budget has read. It leaves the
// limit best in s.top.
func (d *Dir) complete(s *scratch, n float64) {
	items := s.top.items
	t := &s.live
	f := &s.filter
	t.initExact(len(items))
	f.init(len(items))
	for _, it := range items {
		t.find(it.slot)
		f.add(it.slot)
	}
	budget, more := d.budget, completeBudget*d.budget
	for _, kl := range s.lists {
		l := kl.list
		skip := min(len(l), budget)
		budget -= skip
		if skip == len(l) || kl.group != 0 {
			continue
		}
		l = l[skip:]
		if len(l) > more {
			l = l[:more]
		}
		more -= len(l)
		w := kl.weight(n)
		for _, slot := range l {
			if !f.has(slot) {
				continue
			}
			if i := t.get(slot); i >= 0 {
				t.ents[i].sum += w
			}
		}
		if more == 0 {
			break
		}
	}
	for i := range items {
		items[i].score += t.ents[t.get(items[i].slot)].sum
	}
	clear(t.ents)
	slices.SortFunc(items, func(a, b topItem) int {
		if a.score != b.score {
			return cmp.Compare(b.score, a.score)
		}
		return cmp.Compare(a.slot, b.slot)
	})
}

// keepByIndex is the share of the limit that rerank keeps by index weight
// (the rest by name similarity).
const keepByIndex = 2.0 / 3

// rerank leaves in s.top the limit best of its items (best first): the
// first keepByIndex of the limit by index weight, and the rest by the
// similarity of their names to the query's ([matcher.NameSimilarity]),
// as a search engine rescores a window of its best hits with a costlier
// measure. Index weights sum what an entity shares with the query; among
// a dense neighbourhood of names one edit from the query's words, which
// share alike, the names nearest the query's whole come first.
func (d *Dir) rerank(s *scratch, q *matcher.Query, limit int) {
	items := s.top.items
	if len(items) <= limit {
		return
	}
	if q.Kind() != matcher.KindCompany {
		// Members: index weight alone.
		s.top.items = items[:limit]
		return
	}
	rest := items[int(keepByIndex*float64(limit)):]
	s.sorted = s.sorted[:0]
	for _, it := range rest {
		s.sorted = append(s.sorted, d.ents[it.slot])
	}
	s.sims = slices.Grow(s.sims[:0], len(rest))[:len(rest)]
	matcher.NameSimilarities(q, s.sorted, s.sims)
	clear(s.sorted) // no references kept between queries
	for i := range rest {
		rest[i].score = float32(s.sims[i])
	}
	slices.SortStableFunc(rest, func(a, b topItem) int { return cmp.Compare(b.score, a.score) })
	s.top.items = items[:limit]
}

// idOrder is an entity's place in a list and the first eight bytes of its
// ID, big-endian and padded with zeros: IDs whose prefixes differ are in
// the order of their prefixes.
type idOrder struct {
	prefix uint64
	i      int32
}

// idPrefix is the first eight bytes of id, big-endian, padded with zeros.
func idPrefix(id string) uint64 {
	var p uint64
	for i := range 8 {
		p <<= 8
		if i < len(id) {
			p |= uint64(id[i])
		}
	}
	return p
}

// sortByID sorts ents by ID. The IDs are scattered over the heap: their
// first bytes are read in one loop, whose cache misses overlap, and the
// sort compares those as integers, the whole IDs only when they agree.
func sortByID(s *scratch, ents []matcher.Entity) {
	s.byID = s.byID[:0]
	for i := range ents {
		s.byID = append(s.byID, idOrder{idPrefix(ents[i].Ref.ID), int32(i)})
	}
	slices.SortFunc(s.byID, func(a, b idOrder) int {
		if a.prefix != b.prefix {
			return cmp.Compare(a.prefix, b.prefix)
		}
		return cmp.Compare(ents[a.i].Ref.ID, ents[b.i].Ref.ID)
	})
	s.sorted = s.sorted[:0]
	for _, o := range s.byID {
		s.sorted = append(s.sorted, ents[o.i])
	}
	copy(ents, s.sorted)
	clear(s.sorted) // no references kept between queries
}

// hashAccumMin is the directory size from which Candidates accumulates in
// a hash table (accTable) rather than in an array as long as the
// directory: a query touches at most its posting budget of entities, and
// at a million entities the array's random reads and writes miss the
// cache on most postings. (A query that visits more postings than an
// eighth of the directory, under a large WithPostingBudget, keeps the
// array.)
const hashAccumMin = 1 << 18

// visitCount is how many postings the lists, in order, yield within budget.
func visitCount(lists []keyList, budget int) int {
	n := 0
	for _, kl := range lists {
		if budget <= 0 {
			break
		}
		l := min(len(kl.list), budget)
		budget -= l
		n += l
	}
	return n
}

// weight is the index weight of a key whose list is kl, among n entities.
func (kl *keyList) weight(n float64) float32 {
	w := kl.mult * float32(math.Log2(1+n/float64(len(kl.list))))
	if kl.key.Exact() {
		w += exactBoost
	}
	return w
}

// cutLists fills s.cut with s.lists as the accumulation visits them among
// n entities: in order, each cut to what is left of the posting budget
// (the lists after it is spent are left out), with its weight.
func (d *Dir) cutLists(s *scratch, n float64) []cutList {
	s.cut = s.cut[:0]
	budget := d.budget
	for _, kl := range s.lists {
		if budget <= 0 {
			break
		}
		l := kl.list
		if len(l) > budget {
			l = l[:budget]
		}
		budget -= len(l)
		c := cutList{list: l, w: kl.weight(n), n: 1, group: kl.group, common: len(kl.list) >= commonList}
		if k := len(s.cut) - 1; k >= 0 && !d.visitAlike && sameList(&s.cut[k], &c) {
			// A word's deletions are mostly held by the word's holders
			// alone: lists alike are visited once, for all of them.
			s.cut[k].n++
			continue
		}
		s.cut = append(s.cut, c)
	}
	return s.cut
}

// sameList reports whether a and b add the same weights to the same
// entities.
func sameList(a, b *cutList) bool {
	if a.w != b.w || a.group != b.group || a.common != b.common || len(a.list) != len(b.list) || len(a.list) == 0 {
		return false
	}
	last := len(a.list) - 1
	return a.list[0] == b.list[0] && a.list[last] == b.list[last] && slices.Equal(a.list, b.list)
}

// topDense accumulates the index weights of s.lists among n entities in an
// array by slot and leaves the limit best in s.top. With common set (a
// member query), a list of commonList postings or more met after limit
// entities only adds to those.
func (d *Dir) topDense(s *scratch, n float64, limit int, common bool) {
	if cap(s.acc) < len(d.ents) {
		s.acc = make([]accum, len(d.ents)+len(d.ents)/4)
	}
	acc := s.acc[:len(d.ents)]
	s.touched = s.touched[:0]
	frozen := false
	for _, c := range d.cutLists(s, n) {
		l, w := c.list, c.w
		// See commonList: once frozen, the entities met so far only.
		frozen = frozen || common && c.common && len(s.touched) >= limit
		if c.group != 0 {
			// Variants count once a group: the best (rarest) shared one.
			// Lists are visited rarest first, so the first is the best
			// (and lists alike after it add nothing).
			bit := variantFlag(w, c.group)
			for _, slot := range l {
				a := &acc[slot]
				if a.vars&bit == 0 {
					if a.sum == 0 {
						if frozen {
							continue
						}
						s.touched = append(s.touched, slot)
					}
					a.vars |= bit
					a.sum += w
				}
			}
			continue
		}
		for _, slot := range l {
			a := &acc[slot]
			if a.sum == 0 {
				if frozen {
					continue
				}
				s.touched = append(s.touched, slot)
			}
			a.sum = add(a.sum, w, c.n)
		}
	}
	// Keep the limit best in a min-heap.
	h := &s.top
	h.items = h.items[:0]
	for _, slot := range s.touched {
		if len(h.items) == limit && acc[slot].sum < h.items[0].score {
			// The length penalty only lowers a score: this entity cannot
			// enter the heap, and its key count (a random read in an
			// array as long as the directory) is not needed.
			acc[slot] = accum{}
			continue
		}
		// Among entities sharing the same keys with the query, prefer those
		// with fewer keys of their own (BM25's length normalisation, kept
		// small so that it only orders near-ties).
		it := topItem{slot: slot, score: acc[slot].sum - lengthPenalty*float32(d.nkeys[slot])}
		acc[slot] = accum{}
		if len(h.items) < limit {
			h.items = append(h.items, it)
			h.up(len(h.items) - 1)
		} else if h.less(h.items[0], it) {
			h.items[0] = it
			h.down(0)
		}
	}
}

// topHashed is topDense with the weights accumulated in s.tab, a hash table
// of the touched entities sized for visits postings: the same sums, added
// in the same order, and the same entities met in the same order.
//
// Once the heap's place is out of reach of an entity not met yet (see
// closeEntry), the remaining lists, the longest, only add to the entities
// that can still enter (topLive): the limit best are the same entities,
// with the same sums, as when every posting is accumulated. With common
// set (a member query), a list of commonList postings or more met after
// limit entities only adds to those, as in topDense.
func (d *Dir) topHashed(s *scratch, n float64, limit, visits int, common bool) {
	t := &s.tab
	t.init(visits)
	s.touched = s.touched[:0] // positions in t
	d.cutLists(s, n)
	// cut[j].rest is the weight of the lists cut[j:], cut[j].bound the most
	// of it an entity can gather (the lists of a variant group count once,
	// the heaviest), and cut[j].restLen how many postings those lists hold.
	// Entry is closed only when every weight is positive: sums then only
	// grow.
	prunable := true
	var rest, plain float64
	var groupMax [matcher.MaxVariantGroups + 1]float64
	restLen := 0
	for j := len(s.cut) - 1; j >= 0; j-- {
		c := &s.cut[j]
		if !(c.w > 0) || math.IsInf(float64(c.w), 0) {
			prunable = false
		}
		for range c.n {
			rest += float64(c.w)
			if c.group == 0 {
				plain += float64(c.w)
			}
		}
		if c.group != 0 {
			groupMax[c.group] = max(groupMax[c.group], float64(c.w))
		}
		restLen += len(c.list) * int(c.n)
		c.rest, c.restLen = rest, restLen
		c.bound = plain
		for _, g := range groupMax {
			c.bound += g
		}
	}
	// The limit-th largest sum is at most kth plus the weight of the lists
	// visited since rest was kthRest: entry cannot close while that is not
	// above the bound (a test that only saves closeEntry's work).
	attempts := 0
	kth, kthRest := 0.0, rest
	for j, c := range s.cut {
		if common && c.common && len(s.touched) >= limit {
			// Every entity met stays: the lists left add to them in
			// s.tab itself, rather than in a copy (keepLive).
			s.filter.init(len(s.touched))
			for _, i := range s.touched {
				s.filter.add(t.ents[i].slot())
			}
			d.addLive(s, t, s.cut[j:], s.touched, limit)
			return
		}
		if prunable && attempts < maxCloseAttempts && len(s.touched) >= limit && len(c.list) >= minCloseList &&
			c.restLen >= len(s.touched) && kth+(kthRest-c.rest) > c.bound {
			attempts++
			closed, k := d.closeEntry(s, limit, c.bound)
			kth, kthRest = float64(k), c.rest
			if closed {
				if d.closeHook != nil {
					d.closeHook()
				}
				d.topLive(s, s.cut[j:], limit)
				return
			}
		}
		l, w := c.list, c.w
		if c.group != 0 {
			varFlag := variantFlag(w, c.group)
			// Variants count once a group: see topDense.
			for _, slot := range l {
				i := t.find(slot)
				a := &t.ents[i]
				if a.key&varFlag == 0 {
					if a.sum == 0 {
						s.touched = append(s.touched, i)
					}
					a.key |= varFlag
					a.sum += w
				}
			}
			continue
		}
		for _, slot := range l {
			i := t.find(slot)
			a := &t.ents[i]
			if a.sum == 0 {
				s.touched = append(s.touched, i)
			}
			a.sum = add(a.sum, w, c.n)
		}
	}
	d.pickTop(s, t, s.touched, limit)
}

// pickTop leaves in s.top the limit best of the entries of t at positions
// at (as topDense's heap: sum minus the length penalty, ties by slot) and
// empties those entries.
//
// The key counts are random reads in an array as long as the directory.
// Only an entity whose sum reaches bar, the lowest score among the limit
// largest sums, can be among the best (a score is at most its sum, and
// limit entities score at least bar); their key counts are read in one
// loop, whose cache misses overlap, before the heap chooses among them.
func (d *Dir) pickTop(s *scratch, t *accTable, at []int32, limit int) {
	h := &s.top
	h.largestSums(t, at, limit)
	bar := float32(math.Inf(-1))
	if len(h.items) == limit {
		bar = d.lowestScore(h)
	}
	c := s.pick[:0]
	for _, i := range at {
		a := &t.ents[i]
		if a.sum >= bar {
			c = append(c, topItem{slot: a.slot(), score: a.sum})
		}
		*a = accEntry{}
	}
	for j := range c {
		c[j].score -= lengthPenalty * float32(d.nkeys[c[j].slot])
	}
	h.items = h.items[:0]
	for _, it := range c {
		if len(h.items) < limit {
			h.items = append(h.items, it)
			h.up(len(h.items) - 1)
		} else if h.less(h.items[0], it) {
			h.items[0] = it
			h.down(0)
		}
	}
	s.pick = c
}

// largestSums leaves in h the limit entries of t at positions at with the
// largest sums (their sums as scores; the first of equal sums kept).
func (h *topHeap) largestSums(t *accTable, at []int32, limit int) {
	h.items = h.items[:0]
	for _, i := range at {
		a := &t.ents[i]
		if len(h.items) == limit && a.sum <= h.items[0].score {
			continue
		}
		it := topItem{slot: a.slot(), score: a.sum}
		if len(h.items) < limit {
			h.items = append(h.items, it)
			h.up(len(h.items) - 1)
		} else {
			h.items[0] = it
			h.down(0)
		}
	}
}

// lowestScore is the lowest score, a sum less the length penalty, among
// the sums in h.
func (d *Dir) lowestScore(h *topHeap) float32 {
	bar := float32(math.Inf(1))
	for _, it := range h.items {
		bar = min(bar, it.score-lengthPenalty*float32(d.nkeys[it.slot]))
	}
	return bar
}

// maxCloseAttempts is how many times one query tries closeEntry, and
// minCloseList the shortest list before which it tries (a try is a pass
// over the entities met, and the lists left must be worth it).
const (
	maxCloseAttempts = 6
	minCloseList     = 64
)

// cutList is a posting list as topHashed visits it: cut to the budget, its
// weight, and rest, bound and restLen: the weight of this list and those
// after it, the most of it an entity can gather, and their postings.
type cutList struct {
	list []int32
	w    float32
	// n is how many of the query's lists, one after another and alike
	// (the same postings, weight and kind), this one stands for.
	n       int32
	group   uint8 // variant group, 0 for none
	common  bool  // the whole list holds commonList postings or more
	rest    float64
	bound   float64
	restLen int
}

// add adds w, n times, to sum: as visiting n alike lists one after
// another would, addition by addition.
func add(sum, w float32, n int32) float32 {
	for range n {
		sum += w
	}
	return sum
}

// closeEntry decides whether an entity not in s.tab can still be among the
// limit best when the lists left weigh rest together: it cannot when limit
// entities already score more than rest (scores only grow, and the length
// penalty only lowers them). Then it moves the entities of s.tab that can
// still reach that score into s.live, empties s.tab and returns true. It
// returns the limit-th largest sum too.
//
// The sums are float32, added in list order; rest and the comparisons are
// float64 with a margin far above the rounding of those additions.
func (d *Dir) closeEntry(s *scratch, limit int, rest float64) (bool, float32) {
	t := &s.tab
	// The limit largest sums so far, and the lowest score among them.
	h := &s.top
	h.largestSums(t, s.touched, limit)
	if len(h.items) < limit {
		return false, float32(math.Inf(1))
	}
	kth := h.items[0].score
	low := float64(d.lowestScore(h))
	margin := 1e-4*(math.Abs(low)+rest) + 1e-2
	if rest+margin >= low {
		return false, kth
	}
	d.keepLive(s, low, rest+margin)
	return true, kth
}

// keepLive moves the entities of s.tab whose sum plus slack reaches low
// into s.live and empties s.tab.
func (d *Dir) keepLive(s *scratch, low, slack float64) {
	t := &s.tab
	live := 0
	for _, i := range s.touched {
		if float64(t.ents[i].sum)+slack >= low {
			live++
		}
	}
	s.live.initExact(live)
	s.filter.init(live)
	s.liveAt = s.liveAt[:0]
	for _, i := range s.touched {
		a := &t.ents[i]
		if float64(a.sum)+slack >= low {
			slot := a.slot()
			j := s.live.find(slot)
			s.live.ents[j] = *a
			s.liveAt = append(s.liveAt, j)
			s.filter.add(slot)
		}
		*a = accEntry{}
	}
}

// commonList is the length from which a member query's posting list (the
// whole list, not what the posting budget leaves of it) only adds to the
// entities met on the rarer lists before it, once they are as
// many as the candidates asked for, as a search engine's common-terms
// query scores its frequent terms only for the documents its rare terms
// found. A person's first name, or a city, held by thousands then orders
// the people its last name and employer found, rather than bringing
// thousands of namesakes to compete for the last places (most of a member
// query's postings at 1M). Company queries read such lists in full: a
// company is often found by the meeting of common words alone ("Pacific
// Bridge Properties").
const commonList = 1000

// slotFilter is a one-hash Bloom filter of slots: most postings that
// topLive reads are of entities it drops, and a bit tells so without the
// hash table's probe sequence (whose length the processor cannot predict).
type slotFilter struct {
	bits  []uint64
	shift uint32 // 32 - log2(bits in the filter)
}

// init empties f and sizes it for n slots, 32 bits a slot.
func (f *slotFilter) init(n int) {
	size := 64 // words
	for size*64 < 32*n {
		size <<= 1
	}
	if cap(f.bits) < size {
		f.bits = make([]uint64, size)
	}
	f.bits = f.bits[:size]
	clear(f.bits)
	f.shift = uint32(32 - bits.TrailingZeros(uint(size*64)))
}

func (f *slotFilter) add(slot int32) {
	h := (uint32(slot) * 0x9e3779b1) >> f.shift
	f.bits[h>>6] |= 1 << (h & 63)
}

// has reports false when slot was not added (and true when it was, or for
// a few others).
func (f *slotFilter) has(slot int32) bool {
	h := (uint32(slot) * 0x9e3779b1) >> f.shift
	return f.bits[h>>6]&(1<<(h&63)) != 0
}

// topLive adds the weights of lists to the entities of s.live, leaves the
// limit best in s.top and empties s.live.
func (d *Dir) topLive(s *scratch, lists []cutList, limit int) {
	d.addLive(s, &s.live, lists, s.liveAt, limit)
}

// addLive adds the weights of lists to the entities of t, which are at
// positions at and in s.filter, leaves the limit best in s.top and
// empties t.
func (d *Dir) addLive(s *scratch, t *accTable, lists []cutList, at []int32, limit int) {
	f := &s.filter
	for _, c := range lists {
		w := c.w
		if c.group != 0 {
			varFlag := variantFlag(w, c.group)
			for _, slot := range c.list {
				if !f.has(slot) {
					continue
				}
				if i := t.get(slot); i >= 0 {
					if a := &t.ents[i]; a.key&varFlag == 0 {
						a.key |= varFlag
						a.sum += w
					}
				}
			}
			continue
		}
		for _, slot := range c.list {
			if !f.has(slot) {
				continue
			}
			if i := t.get(slot); i >= 0 {
				t.ents[i].sum = add(t.ents[i].sum, w, c.n)
			}
		}
	}
	d.pickTop(s, t, at, limit)
}

// accTable is an open-addressing hash table (linear probing) from slots to
// their accum. Its entries are empty (key 0) between queries: topHashed
// empties those it used.
type accTable struct {
	ents  []accEntry
	shift uint32 // 32 - log2(len(ents))
}

// accEntry is an entity's accum in an accTable, in 8 bytes: the variant
// groups an accum has counted are flags, kept in the top bits of its key.
type accEntry struct {
	key uint32 // slot+1, and variantBits; 0 for an empty entry
	sum float32
}

// variantBits are the flags of the variant groups 1 and 2 (bits 31 and 30)
// in an accEntry's key and an accum's vars: set once the entity shares a
// key of the group with a non-zero weight. Slots are below maxSlots, so
// slot+1 leaves the bits free.
const variantBits = 3 << 30

// maxSlots is the most entities a directory holds.
const maxSlots = 1<<30 - 1

// variantFlag is the flag that sharing a key of variant group g (1 or 2)
// of weight w sets: none for a weight of zero, which counts nothing.
func variantFlag(w float32, g uint8) uint32 {
	if w != 0 {
		return 1 << (32 - min(g, matcher.MaxVariantGroups))
	}
	return 0
}

// slot is the slot of a non-empty entry.
func (e *accEntry) slot() int32 { return int32(e.key&^variantBits) - 1 }

// init sizes t for up to n keys at a load of at most 2/3.
func (t *accTable) init(n int) {
	size := 64
	for size < n+n/2+1 {
		size <<= 1
	}
	if len(t.ents) < size {
		t.ents = make([]accEntry, size)
	}
	// A larger table than needed from an earlier query is used whole.
	t.shift = uint32(32 - bits.TrailingZeros(uint(len(t.ents))))
}

// initExact is init, but a larger table from an earlier query is cut to
// the size needed (its entries are empty), for a small table to stay in
// the nearest cache.
func (t *accTable) initExact(n int) {
	size := 64
	for size < n+n/2+1 {
		size <<= 1
	}
	if cap(t.ents) < size {
		t.ents = make([]accEntry, size)
	}
	t.ents = t.ents[:size]
	t.shift = uint32(32 - bits.TrailingZeros(uint(size)))
}

// find returns the position of slot's entry, inserting an empty accum for
// it when there is none.
func (t *accTable) find(slot int32) int32 {
	k := uint32(slot) + 1
	mask := uint32(len(t.ents) - 1)
	i := (k * 0x9e3779b1) >> t.shift
	for {
		e := &t.ents[i]
		if e.key&^variantBits == k {
			return int32(i)
		}
		if e.key == 0 {
			e.key = k
			return int32(i)
		}
		i = (i + 1) & mask
	}
}

// get returns the position of slot's entry, or -1 when there is none.
func (t *accTable) get(slot int32) int32 {
	k := uint32(slot) + 1
	mask := uint32(len(t.ents) - 1)
	i := (k * 0x9e3779b1) >> t.shift
	for {
		e := &t.ents[i]
		if e.key&^variantBits == k {
			return int32(i)
		}
		if e.key == 0 {
			return -1
		}
		i = (i + 1) & mask
	}
}

// accum is the index weight an entity gathers for a query: the sum, which
// holds the weight of the best key it shares of each variant group
// ([matcher.Query.VariantGroups]) once, and the flags of those groups
// (variantFlag).
type accum struct {
	sum  float32
	vars uint32
}

type topItem struct {
	slot  int32
	score float32
}

// topHeap is a min-heap of the best items so far: the root is the worst.
type topHeap struct {
	items []topItem
}

// less reports whether a ranks below b: lower score, or equal score and a
// later slot (deterministic for a directory built in the same order; the
// engine orders its results by score and ID).
func (h *topHeap) less(a, b topItem) bool {
	if a.score != b.score {
		return a.score < b.score
	}
	return a.slot > b.slot
}

func (h *topHeap) up(j int) {
	for j > 0 {
		i := (j - 1) / 2
		if !h.less(h.items[j], h.items[i]) {
			break
		}
		h.items[i], h.items[j] = h.items[j], h.items[i]
		j = i
	}
}

func (h *topHeap) down(i int) {
	n := len(h.items)
	for {
		j := 2*i + 1
		if j >= n {
			return
		}
		if j+1 < n && h.less(h.items[j+1], h.items[j]) {
			j++
		}
		if !h.less(h.items[j], h.items[i]) {
			return
		}
		h.items[i], h.items[j] = h.items[j], h.items[i]
		i = j
	}
}
