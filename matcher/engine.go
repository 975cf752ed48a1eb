package matcher

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/crmlink/crmlink/internal/normalize"
)

// Directory finds entities worth scoring for a query; the [Engine] does the
// scoring, so every Directory gives the same scores for the same candidates.
// Implementations must be safe for concurrent use by multiple goroutines.
type Directory interface {
	// Candidates appends to dst at most limit entities that may match q, and returns dst.
	Candidates(ctx context.Context, q *Query, limit int, dst []Entity) ([]Entity, error)
	// Entity returns the entity with the given ref; ok is false if there is none.
	Entity(ctx context.Context, ref EntityRef) (e Entity, ok bool, err error)
}

// KeyCounter is an optional interface of a [Directory]: how many entities of
// a kind carry each key. The engine uses it for term-frequency adjustment
// (agreeing on a rare name is worth more than on "John" or "Global") and for
// the prior (one over the number of entities). Without it the engine uses
// the default U of [FieldWeights.Exact] and [DefaultPrior].
type KeyCounter interface {
	// KeyCounts sets counts[i] to the number of entities of kind k indexed
	// under keys[i] (len(counts) >= len(keys)) and returns the number of
	// entities of kind k.
	KeyCounts(ctx context.Context, k Kind, keys []Key, counts []int) (total int, err error)
}

// NearCounter is an optional interface of a [KeyCounter] whose directory
// keeps the words of its entities' names: how many entities hold a known
// word near a word it does not hold. The engine weighs a query word that
// no entity holds by it, so that a typo of a common word ("Holdinsg")
// weighs like the word rather than as the rarest.
type NearCounter interface {
	// NearCount returns the number of entities indexed under the known
	// words one edit from t, summed over the words, and false when the
	// directory knows no such word.
	NearCount(ctx context.Context, t Term) (n int, ok bool)
}

// Thresholds are the decision thresholds on match probabilities.
type Thresholds struct {
	// Match is the probability the best candidate must reach to be a match.
	Match float64
	// MinMargin is how far the best must be ahead of the second best.
	MinMargin float64
	// Candidate is the probability from which a candidate, or the
	// candidates together, make the result ambiguous rather than none.
	Candidate float64
}

// DefaultThresholds returns the default decision thresholds: Match 0.8,
// MinMargin 0.1, Candidate 0.2. They were calibrated on internal/synth
// (20,000 companies and members, 3,000 corrupted queries of each kind, 10%
// of them for absent entities): a match threshold of 0.8 gave a precision
// of "match" of 0.998 (companies) and 0.996 (members) for 70% and 81% of
// the queries decided "match"; 0.9 gave 0.999 and 0.997 for 67% and 80%.
// Scores of exclusive candidates sum to at most 1, so a best score of 0.8
// already leads the second by 0.6: MinMargin matters only for a lower
// Match threshold.
func DefaultThresholds() Thresholds {
	return Thresholds{Match: 0.8, MinMargin: 0.1, Candidate: 0.2}
}

// Decide applies the decision rule to candidates ordered best first: Match when
// the best reaches t.Match and leads the second by t.MinMargin, Ambiguous when
// the best reaches t.Candidate or the candidates' scores together do (the
// record is likely one of them, but which is unclear: ten entities that
// share the record's name and website score a tenth each), None otherwise
// (and for no candidates). The
// Engine decides with it; a caller that removes candidates from a Result (for
// example entities a user rejected) decides again with it, using
// [Engine.Thresholds].
func (t Thresholds) Decide(cs []Candidate) Decision {
	if len(cs) == 0 {
		return None
	}
	best, second := cs[0].Score, 0.0
	if len(cs) > 1 {
		second = cs[1].Score
	}
	in := 0.0 // the chance that the record is one of cs
	for _, c := range cs {
		in += c.Score
	}
	switch {
	case best >= t.Match && best-second >= t.MinMargin:
		return Match
	case best >= t.Candidate || in >= t.Candidate:
		return Ambiguous
	default:
		return None
	}
}

// DefaultPrior is the prior match probability of one candidate when the
// directory does not tell its size (see [KeyCounter]). With a size N the
// prior odds are 1/max(N, [MinUniverse]): the query's entity is one of N.
const DefaultPrior = 1e-5

// MinUniverse is the smallest number of entities the prior and term
// frequencies assume: a small directory does not make its few entities
// likely a priori (a CRM record may be any company of the world), and a
// name held once in a directory of ten is not common.
const MinUniverse = 10000

// Default limits.
const (
	DefaultLimit          = 10 // candidates returned
	DefaultCandidateLimit = 30 // candidates asked from the directory and scored
)

type options struct {
	th        Thresholds
	limit     int
	candLimit int
	w         Weights
	conc      int
	prior     float64
	fits      []*FitReport
}

// Option configures an [Engine].
type Option func(*options)

// WithThresholds sets the decision thresholds (default [DefaultThresholds]).
func WithThresholds(t Thresholds) Option { return func(o *options) { o.th = t } }

// WithLimit sets how many candidates a [Result] holds at most (default 10).
func WithLimit(k int) Option { return func(o *options) { o.limit = k } }

// WithCandidateLimit sets how many candidates the engine asks the directory
// for and scores (default [DefaultCandidateLimit], at least the limit). More
// costs time and raises recall.
func WithCandidateLimit(n int) Option { return func(o *options) { o.candLimit = n } }

// WithWeights sets the model (default [DefaultWeights]).
func WithWeights(w Weights) Option { return func(o *options) { o.w = w } }

// WithConcurrency sets how many queries batch matching runs at once (default
// GOMAXPROCS).
func WithConcurrency(n int) Option { return func(o *options) { o.conc = n } }

// WithPrior fixes the prior match probability of one candidate instead of
// deriving it from the directory size.
func WithPrior(p float64) Option { return func(o *options) { o.prior = p } }

// Engine scores, ranks and explains the candidates a [Directory] finds, and
// decides match, ambiguous or none. An Engine is safe for concurrent use by
// multiple goroutines; it holds no resource and needs no Close.
type Engine struct {
	dir     Directory
	counter KeyCounter
	near    NearCounter
	o       options
	pool    sync.Pool // *scratch
	// model is the model queries are scored with: the options' weights
	// until [Engine.FitCompanies] or [Engine.FitMembers] installs a fitted
	// one. It is replaced whole, never modified, so a query reads one
	// consistent model.
	model atomic.Pointer[model]
}

// model is what scoring reads: the weights, and per kind the prior
// probability that a query's entity is in the directory and the smallest
// universe the prior and term frequencies assume.
type model struct {
	w           Weights
	inDir       [3]float64 // by Kind; 0.5 unless fitted
	minUniverse [3]int     // by Kind; MinUniverse unless fitted
	fit         [3]*FitReport
}

// New returns an engine over dir.
func New(dir Directory, opts ...Option) (*Engine, error) {
	if dir == nil {
		return nil, errors.New("matcher: nil directory")
	}
	o := options{th: DefaultThresholds(), limit: DefaultLimit, candLimit: DefaultCandidateLimit,
		w: DefaultWeights(), conc: runtime.GOMAXPROCS(0)}
	for _, opt := range opts {
		opt(&o)
	}
	switch {
	case o.limit < 1:
		return nil, fmt.Errorf("matcher: limit %d < 1", o.limit)
	case o.conc < 1:
		return nil, fmt.Errorf("matcher: concurrency %d < 1", o.conc)
	case o.prior < 0 || o.prior >= 1:
		return nil, fmt.Errorf("matcher: prior %g not in [0,1)", o.prior)
	case !(o.th.Match >= 0 && o.th.Match <= 1 && o.th.Candidate >= 0 && o.th.Candidate <= 1 && o.th.MinMargin >= 0):
		return nil, errors.New("matcher: thresholds not in [0,1]")
	}
	o.candLimit = max(o.candLimit, o.limit)
	e := &Engine{dir: dir, o: o}
	e.counter, _ = dir.(KeyCounter)
	e.near, _ = dir.(NearCounter)
	m := &model{w: o.w}
	for k := range m.inDir {
		m.inDir[k], m.minUniverse[k] = defaultInDirectory, MinUniverse
	}
	for _, r := range o.fits {
		if !(r.InDirectory > 0 && r.InDirectory < 1) {
			return nil, fmt.Errorf("matcher: fitted in-directory probability %g not in (0,1)", r.InDirectory)
		}
		m.w = r.Weights
		m.inDir[r.Kind], m.minUniverse[r.Kind], m.fit[r.Kind] = r.InDirectory, 1, r
	}
	e.model.Store(m)
	e.pool.New = func() any { return new(scratch) }
	return e, nil
}

// scored is one candidate being scored.
type scored struct {
	ref   EntityRef
	logit float64 // log2 posterior odds
	// sim is the sum of the fields' similarities, a continuous measure
	// that orders candidates of equal logit (levels are coarse, so sister
	// entities often tie) before their IDs do.
	sim float64
	// legal is set when the query's company name and the candidate's
	// have the same legal form, or neither has one: between candidates
	// of equal logit and similarity ("Acme Inc" and "Acme GmbH" for
	// "ACME, INC.", "Acme" and "Acme Corp." for "Acme"), the one the
	// query names the same way comes first. A record drops a legal form
	// more often than it writes one that is not there.
	legal bool
	// spell is one minus the edit similarity of the query's core name and
	// the candidate's, spaces included, or -1 until a tie needs it (see
	// rank).
	spell float64
	// ent is the candidate's index in the scratch's entities.
	ent    int32
	fields [maxFields]FieldScore
	nf     int
}

// maxFields bounds the field scores of one candidate: a member compares at
// most ten fields today (names, employer, title, three email fields,
// street, postcode, locality); two spare.
const maxFields = 12

type scratch struct {
	q     Query
	ents  []Entity
	sc    []scored
	order []int32
	// near and nearAt are breakNearTies' scratch.
	near   []nearTie
	nearAt []int
	counts [nTFSlots + maxTokens]int
	keys   [nTFSlots + maxTokens]Key
	// logPrior is the prior log2 odds the last score used.
	logPrior float64
	// memo holds the employer and title comparisons of the member query
	// being scored.
	memo memberMemo
	// levels remembers level weights from query to query (see levelCache).
	levels levelCache
	// touch keeps the sum touchFeatures returns.
	touch int
}

// touchFeatures reads the first bytes of the candidates' names, employers
// and titles before they are scored: the reads of all candidates,
// independent of one another, wait for memory together rather than one
// candidate at a time as the comparisons would (a large directory's
// entities are far apart in memory and seldom in the cache). It returns a
// sum of what it read, which the caller keeps so that the reads stay.
func touchFeatures(ents []Entity) int {
	n := 0
	for _, e := range ents {
		switch {
		case e.c != nil:
			n += touchCompany(&e.c.company)
		case e.m != nil:
			n += touchString(e.m.person.first) + touchString(e.m.person.last) + touchString(e.m.title.norm)
			if roots := e.m.person.roots; len(roots) > 0 {
				// The nickname roots are compared with the query's
				// first name for most candidates (sharesRoot).
				n += touchString(roots[0])
			}
			if emp := e.m.employer; emp != nil {
				n += touchCompany(emp)
			}
		}
	}
	return n
}

// touchCompany reads the start of a company name's core, joined form and
// tokens.
func touchCompany(f *companyFeat) int {
	n := touchString(f.core) + touchString(f.joined)
	if len(f.tokens) > 0 {
		n += len(f.tokens[0])
	}
	return n
}

// touchString reads the first byte of s.
func touchString(s string) int {
	if s == "" {
		return 0
	}
	return int(s[0])
}

// MatchCompany ranks the directory's companies against q.
func (e *Engine) MatchCompany(ctx context.Context, q CompanyQuery) (Result, error) {
	s := e.pool.Get().(*scratch)
	defer e.pool.Put(s)
	if !s.q.prepareCompany(q) {
		return Result{}, ErrEmptyQuery
	}
	return e.match(ctx, s)
}

// MatchMember ranks the directory's members against q.
func (e *Engine) MatchMember(ctx context.Context, q MemberQuery) (Result, error) {
	s := e.pool.Get().(*scratch)
	defer e.pool.Put(s)
	if !s.q.prepareMember(q) {
		return Result{}, ErrEmptyQuery
	}
	return e.match(ctx, s)
}

func (e *Engine) match(ctx context.Context, s *scratch) (Result, error) {
	if err := e.score(ctx, s, e.model.Load()); err != nil {
		return Result{}, err
	}
	return e.rank(s), nil
}

// score retrieves the candidates of s.q and scores them with m into s.sc,
// each logit the candidate's log2 posterior odds against "the query's
// entity is not in the directory".
func (e *Engine) score(ctx context.Context, s *scratch, m *model) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	q := &s.q
	var err error
	s.ents, err = e.dir.Candidates(ctx, q, e.o.candLimit, s.ents[:0])
	if err != nil {
		return fmt.Errorf("matcher: candidates: %w", err)
	}
	s.memo.reset()
	sc := scorer{w: &m.w, q: q, memo: &s.memo, levels: &s.levels}
	sc.scaleNearName()
	// The prior: the query's entity is in the directory with probability
	// inDir, and then any of the universe's entities alike, so a candidate's
	// prior odds against "none" are inDir / (1-inDir) / universe.
	universe := 1 / DefaultPrior
	if e.counter != nil {
		keys := q.CountKeys(s.keys[:0])
		total, err := e.counter.KeyCounts(ctx, q.kind, keys, s.counts[:])
		if err != nil {
			return fmt.Errorf("matcher: key counts: %w", err)
		}
		if total > 0 {
			universe = float64(max(total, m.minUniverse[q.kind]))
			// An industry label no company of the directory carries is
			// from another vocabulary (a CRM picklist): comparing it with
			// the directory's labels is no evidence either way.
			sc.foreignIndustry = q.kind == KindCompany && q.tfKeys[tfIndustry] != 0 && s.counts[tfIndustry] == 0 &&
				(q.tfKeys[tfIndustry2] == 0 || s.counts[tfIndustry2] == 0)
			for i := range q.nTF {
				if q.tfKeys[i] != 0 {
					c := float64(max(s.counts[i], 1))
					if s.counts[i] == 1 {
						if g := m.w.singleton(q.kind, i); g > 0 {
							c = g
						}
					}
					sc.tfU[i] = c / universe
				}
			}
			if q.tfKeys[tfAddrStreet] != 0 {
				sc.addrCount = s.counts[tfAddrStreet]
			}
			if q.kind == KindCompany && q.tfKeys[tfAcronym] != 0 {
				sc.acronymCount = s.counts[tfAcronym]
				if q.tfKeys[tfAcronymWord] != 0 {
					sc.acronymCount += s.counts[tfAcronymWord]
				}
			}
			if q.kind == KindCompany {
				sc.prefix.universe, sc.prefix.singleton = universe, m.w.CompanyName.Singleton
			}
			if q.kind == KindCompany && q.nTok == 1 && len(q.company.tokens) == 1 {
				// A one-word name is the brand of the companies whose
				// names hold the word or start with it: their number,
				// less the candidate, is how many could match it by
				// chance (see prefixCounts). The directory counts the
				// first; the candidates tell the second.
				sc.prefix.word = s.counts[q.nTF]
				for _, ent := range s.ents {
					if ent.c != nil && startsWithWord(&ent.c.company, q.company.tokens[0]) {
						sc.prefix.start++
					}
				}
			}
			if q.nTok > 0 && q.nTok == len(q.company.tokens) {
				// A name's words weigh by how rare they are in the
				// directory: "First National Bank of" says little,
				// "Omaha" much.
				for i, n := range s.counts[q.nTF : q.nTF+q.nTok] {
					if n == 0 && i < 16 && misspeltScope(q.company.tokens[i]) {
						// A word of scope misspelt ("Intrnational"):
						// scope, as the word spelt right would be.
						q.company.scope |= 1 << i
					}
					if n == 0 && e.near != nil {
						// A word no entity holds is most often a
						// typo of a word one edit away: agreeing on
						// it is as likely by chance as holding one
						// of those words.
						if c, ok := e.near.NearCount(ctx, Term{Text: q.company.tokens[i], Key: q.tokKeys[i]}); ok {
							n = c
							if c > 0 {
								sc.prefix.typos |= 1 << i
							}
						}
					}
					sc.tokW[i] = math.Log2((universe + 1) / float64(n+1))
					sc.prefix.tokN[i] = n
					if normalize.IsStopword(q.company.tokens[i]) {
						sc.prefix.stop |= 1 << i
					}
				}
				sc.nTokW = q.nTok
				sc.prefix.nTok = q.nTok
			}
			if q.kind == KindMember && q.tfKeys[tfEmail] != 0 && s.counts[tfEmail] > 1 {
				// An address several members hold (a family's, an
				// office's info@) identifies none of them: the chance
				// that another member holds it is the other holders'
				// share of the directory.
				sc.emailU = float64(s.counts[tfEmail]-1) / universe
			}
			if q.kind == KindMember && q.tfKeys[tfLast] != 0 && m.w.Household > 0 {
				sc.household = m.w.Household / float64(max(s.counts[tfLast]-1, 1))
			} else if q.kind == KindMember && q.person.last == "" && m.w.Household > 0 {
				// No last name to count holders of: the chance that
				// another member of the household lives at the address
				// is the household rate itself.
				sc.household = m.w.Household
			}
		}
	}
	inDir := m.inDir[q.kind]
	logPrior := math.Log2(inDir/(1-inDir)) - math.Log2(universe)
	if p := e.o.prior; p > 0 {
		logPrior = math.Log2(p / (1 - p))
	}
	s.logPrior = logPrior

	s.touch = touchFeatures(s.ents)
	s.sc = s.sc[:0]
	for i, ent := range s.ents {
		if !ent.ok() || ent.Ref.Kind != q.kind {
			continue
		}
		s.sc = append(s.sc, scored{ref: ent.Ref, ent: int32(i), spell: -1})
		c := &s.sc[len(s.sc)-1]
		var fs []FieldScore
		if q.kind == KindCompany {
			fs = sc.company(c.fields[:0], ent.c)
			c.legal = sameLegalForm(&q.company, &ent.c.company) // no form on both sides agrees too
		} else {
			fs = sc.member(c.fields[:0], ent.m)
		}
		c.nf = len(fs)
		c.logit = logPrior
		for _, f := range fs {
			c.logit += f.Contribution
			c.sim += f.Similarity
		}
	}
	return nil
}

// rank orders the scored candidates of s, turns their logits into
// probabilities and decides.
func (e *Engine) rank(s *scratch) Result {
	s.order = s.order[:0]
	for i := range s.sc {
		s.order = append(s.order, int32(i))
	}
	company := s.q.kind == KindCompany && !s.q.company.empty()
	slices.SortFunc(s.order, func(i, j int32) int {
		a, b := &s.sc[i], &s.sc[j]
		if c := cmp.Or(cmp.Compare(b.logit, a.logit), cmp.Compare(b.sim, a.sim), boolFirst(a.legal, b.legal)); c != 0 || !company {
			return cmp.Or(c, cmp.Compare(a.ref.ID, b.ref.ID))
		}
		// Company names that tie on every field: the one spelled nearest
		// the query's, spaces included ("ScarletWorks Ventures" before
		// "Scarlet Works Ventures" for "Scarletworks Ventures"), then by
		// ID.
		return cmp.Or(cmp.Compare(s.spelling(a), s.spelling(b)), cmp.Compare(a.ref.ID, b.ref.ID))
	})
	if company {
		breakNearTies(s)
	}
	// A directory must not return duplicates, but be safe: keep the first.
	s.order = slices.CompactFunc(s.order, func(i, j int32) bool { return s.sc[i].ref == s.sc[j].ref })

	// The candidates are mutually exclusive hypotheses (the query is at most
	// one entity), next to "none of them": a candidate's probability is its
	// posterior odds over 1 + the sum of all candidates' odds. lse is
	// log2(1 + sum), computed without overflow.
	lse := 0.0
	if len(s.order) > 0 {
		top := max(0, s.sc[s.order[0]].logit)
		sum := math.Exp2(-top)
		for _, i := range s.order {
			sum += math.Exp2(s.sc[i].logit - top)
		}
		lse = top + math.Log2(sum)
	}

	n := min(len(s.order), e.o.limit)
	if n == 0 {
		return Result{Decision: None}
	}
	nf := 0
	for _, i := range s.order[:n] {
		nf += s.sc[i].nf
	}
	res := Result{Candidates: make([]Candidate, n)}
	fields := make([]FieldScore, nf)
	for i := range n {
		c := &s.sc[s.order[i]]
		f := fields[:c.nf:c.nf]
		fields = fields[c.nf:]
		copy(f, c.fields[:c.nf])
		res.Candidates[i] = Candidate{Entity: c.ref, Score: probability(c.logit, lse), Fields: f}
	}
	res.Best = &res.Candidates[0]
	res.Decision = e.o.th.Decide(res.Candidates)
	return res
}

// spelling returns c.spell, computing it the first time: the share of the
// query's core name an edit changes to give the company candidate's.
func (s *scratch) spelling(c *scored) float64 {
	if c.spell < 0 {
		c.spell = 1 - editSim(s.q.company.core, s.ents[c.ent].c.company.core, -1)
	}
	return c.spell
}

// breakNearTies orders the company candidates of equal logit whose names
// are both near spellings of the query's (level High) by the share of
// letters an edit changes, fewest first. Their similarity, which orders
// them otherwise, compares words by Jaro-Winkler, which favours a shorter
// name that shares a start ("Geva" over "Gecota" for "Gevota"); a tie
// among names at other levels stays ordered by similarity.
func breakNearTies(s *scratch) {
	q := s.q.company.joined
	for i := 0; i < len(s.order); {
		j := i + 1
		for j < len(s.order) && s.sc[s.order[j]].logit == s.sc[s.order[i]].logit {
			j++
		}
		if j-i > 1 {
			s.near = s.near[:0]
			s.nearAt = s.nearAt[:0]
			for k := i; k < j; k++ {
				c := &s.sc[s.order[k]]
				if c.nf == 0 || c.fields[0].Field != FieldName || c.fields[0].Level != LevelHigh {
					continue
				}
				// editSim's floor below zero: the share for any lengths.
				d := 1 - editSim(q, s.ents[c.ent].c.company.joined, -1)
				s.near = append(s.near, nearTie{at: s.order[k], d: d})
				s.nearAt = append(s.nearAt, k)
			}
			if len(s.near) > 1 {
				slices.SortStableFunc(s.near, func(a, b nearTie) int { return cmp.Compare(a.d, b.d) })
				for n, k := range s.nearAt {
					s.order[k] = s.near[n].at
				}
			}
		}
		i = j
	}
}

// nearTie is a candidate breakNearTies orders: its index in the scored
// candidates and the share of letters an edit changes.
type nearTie struct {
	at int32
	d  float64
}

// boolFirst orders true before false.
func boolFirst(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	}
	return 1
}

// probability maps log2 odds and the normaliser lse to a probability in
// [0,1].
func probability(logit, lse float64) float64 {
	p := math.Exp2(logit - lse)
	if math.IsNaN(p) {
		return 0
	}
	return min(max(p, 0), 1)
}

// Thresholds returns the decision thresholds the engine was built with.
func (e *Engine) Thresholds() Thresholds { return e.o.th }

// String returns "none", "ambiguous" or "match".
func (d Decision) String() string {
	switch d {
	case None:
		return "none"
	case Ambiguous:
		return "ambiguous"
	case Match:
		return "match"
	default:
		return fmt.Sprintf("Decision(%d)", uint8(d))
	}
}

// String returns "company" or "member".
func (k Kind) String() string {
	switch k {
	case KindCompany:
		return "company"
	case KindMember:
		return "member"
	default:
		return fmt.Sprintf("Kind(%d)", uint8(k))
	}
}
