package pgdir

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/crmlink/crmlink/matcher"
)

// DefaultSchema is the PostgreSQL schema the directory lives in unless
// [WithSchema] names another.
const DefaultSchema = "crmlink_dir"

// DefaultPostingBudget is the default number of postings one query may visit
// (see [WithPostingBudget]); it is memdir's default, so that both return the
// same candidates.
const DefaultPostingBudget = 10000

// lengthPenalty, exactBoost and commonList are memdir's ranking constants:
// an entity loses lengthPenalty per key it holds, an exact-identity key adds
// exactBoost, and a member query's lists of commonList postings or more only
// add to the entities met before them.
const (
	lengthPenalty = 0.02
	exactBoost    = 24
	commonList    = 1000
)

// maxIdentifier is PostgreSQL's NAMEDATALEN-1.
const maxIdentifier = 63

// ErrNoID is returned when adding an entity without an ID.
var ErrNoID = errors.New("pgdir: empty id")

// ErrDuplicate is returned by a bulk load holding an ID already present (in
// the directory or earlier in the load).
var ErrDuplicate = errors.New("pgdir: duplicate id")

// ErrInvalid is returned by [Open] for an invalid option.
var ErrInvalid = errors.New("pgdir: invalid option")

// Option configures [Open] and [OpenPool].
type Option func(*options)

type options struct {
	schema     string
	budget     int
	cache      int
	postCache  int
	countReuse bool
}

// WithSchema puts the directory's tables in the PostgreSQL schema name
// (default [DefaultSchema]), creating it if needed. Directories in different
// schemas share nothing, which isolates tenants, tests and experiments on one
// database; replicas serving one directory open the same schema. The name is
// quoted, so it is used exactly as given; it must be 1 to 63 bytes without NUL.
func WithSchema(name string) Option { return func(o *options) { o.schema = name } }

// WithPostingBudget caps how many postings one query visits (default
// [DefaultPostingBudget]), as memdir.WithPostingBudget does: keys are visited
// rarest first, so the budget cuts the least selective keys first. Give both
// directories the same budget for the same candidates.
func WithPostingBudget(n int) Option { return func(o *options) { o.budget = max(n, 1) } }

// DefaultEntityCache is the default number of prepared entities a [Dir]
// keeps (see [WithEntityCache]).
const DefaultEntityCache = 100_000

// WithEntityCache keeps up to n prepared (normalised) entities in memory,
// keyed by sequence number, so that a query's winners are not normalised
// again: each is checked against the row's current version (its xmin) in
// the query that reads the winners, so a change by any replica is seen at
// once, and only changed or unknown winners' profiles are sent and
// normalised. Past n entries, entries are dropped at random. A cached company
// takes less than the 0.9 KiB memdir holds per company with its index.
// n <= 0 disables the cache; the default is
// [DefaultEntityCache].
func WithEntityCache(n int) Option { return func(o *options) { o.cache = max(n, 0) } }

// DefaultPostingCache is the default number of postings a [Dir] keeps in
// memory (8 bytes each; see [WithPostingCache]).
const DefaultPostingCache = 4 << 20

// WithPostingCache keeps up to n postings in memory (8 bytes each), by key:
// the lists, or their first postings, that queries read, each with the
// version (xmin) of the key's count row, which every change to the key's
// postings rewrites. A query sends the versions and lengths it holds, and
// the server skips the lists that have not changed since and are long
// enough, so common keys (name words, industries) are read once; a change
// by any replica is seen at once. Past n postings, lists are dropped at
// random. n <= 0 disables the cache; the default is [DefaultPostingCache].
func WithPostingCache(n int) Option { return func(o *options) { o.postCache = max(n, 0) } }

// WithCountReuse sets whether the engine's [Dir.KeyCounts] call that follows
// [Dir.Candidates] for the same query is answered from the counts read with
// the query's own keys in Candidates' first round trip (default true):
// the counts are read once per match instead of twice. A reused answer is
// used once, is at most 250 ms old, and is dropped by any write
// through the same Dir; without a matching one KeyCounts reads the database.
func WithCountReuse(on bool) Option { return func(o *options) { o.countReuse = on } }

// Dir is a [matcher.Directory] on PostgreSQL. It is safe for concurrent use;
// any number of Dir values, in one process or many, may serve and change one
// schema at once.
type Dir struct {
	pool   *pgxpool.Pool
	own    bool
	name   string // the schema's name
	schema string // quoted
	budget int
	ents   *entityCache // nil when disabled
	posts  *postingCache
	memo   *countMemo // nil when disabled

	// SQL texts, with the schema filled in.
	qCounts, qKind, qRead, qPost, qWinners, qEntity string
}

var (
	_ matcher.Directory  = (*Dir)(nil)
	_ matcher.KeyCounter = (*Dir)(nil)
	_ matcher.Sampler    = (*Dir)(nil)
)

// Open connects to the database at dsn (a pgx connection string), creates or
// migrates the schema, and returns the directory. Close releases the pool.
func Open(ctx context.Context, dsn string, opts ...Option) (*Dir, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// The DSN may hold a password: do not repeat it.
		return nil, errors.New("pgdir: open: cannot parse the connection string")
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("pgdir: open: %w", err)
	}
	d, err := newDir(ctx, pool, true, opts)
	if err != nil {
		pool.Close()
		return nil, err
	}
	return d, nil
}

// OpenPool is [Open] on a pool the caller owns: Close leaves it open.
func OpenPool(ctx context.Context, pool *pgxpool.Pool, opts ...Option) (*Dir, error) {
	return newDir(ctx, pool, false, opts)
}

func newDir(ctx context.Context, pool *pgxpool.Pool, own bool, opts []Option) (*Dir, error) {
	o := options{schema: DefaultSchema, budget: DefaultPostingBudget, cache: DefaultEntityCache,
		postCache: DefaultPostingCache, countReuse: true}
	for _, f := range opts {
		f(&o)
	}
	switch {
	case o.schema == "":
		return nil, fmt.Errorf("pgdir: empty schema name: %w", ErrInvalid)
	case len(o.schema) > maxIdentifier:
		return nil, fmt.Errorf("pgdir: schema name longer than %d bytes: %w", maxIdentifier, ErrInvalid)
	case slices.Contains([]byte(o.schema), 0):
		return nil, fmt.Errorf("pgdir: schema name contains NUL: %w", ErrInvalid)
	}
	if err := migrator.Migrate(ctx, pool, o.schema); err != nil {
		return nil, err
	}
	s := pgx.Identifier{o.schema}.Sanitize()
	d := &Dir{pool: pool, own: own, name: o.schema, schema: s, budget: o.budget}
	if o.cache > 0 {
		d.ents = newEntityCache(o.cache)
	}
	if o.countReuse {
		d.memo = newCountMemo()
	}
	if o.postCache > 0 {
		d.posts = newPostingCache(o.postCache)
	}
	d.qCounts = "SELECT key, n FROM " + s + ".key_counts WHERE key = ANY($1) AND n > 0"
	d.qKind = "SELECT n FROM " + s + ".kind_counts WHERE kind = $1"
	// The key counts of a query's keys ($1, $2 whether each is exact),
	// each with the postings the visit may need, and the counts of more keys
	// ($4), with the version of each count row. Whatever the order of lists
	// of equal count (exact first, then rarest first), the lists before a
	// list hold the sum of the counts of the lists ordered strictly before
	// it; a list is read up to what the budget ($3) leaves after them,
	// unless the client holds ($5, $6) as many postings of the same version.
	// A posting packs the entity's sequence number and key count (capped
	// at 65535, as memdir's uint16) into one bigint.
	d.qRead = `WITH c AS (
	SELECT t.key, k.n, t.ex, k.xmin::text::bigint AS v, t.cv, t.cl
	FROM unnest($1::bigint[], $2::bool[], $5::bigint[], $6::int[]) AS t(key, ex, cv, cl)
	JOIN ` + s + `.key_counts k ON k.key = t.key WHERE k.n > 0),
o AS (
	SELECT key, n, v, cv, cl,
		least(n, $3 - (sum(n) OVER (ORDER BY ex DESC, n) - sum(n) OVER (PARTITION BY ex, n))) AS need
	FROM c)
SELECT key, n, v, CASE WHEN need > 0 AND NOT (v = cv AND cl >= need) THEN array(
	SELECT seq << 16 | nkeys FROM ` + s + `.postings p WHERE p.key = o.key ORDER BY seq LIMIT need) END
FROM o
UNION ALL
SELECT key, n, 0, NULL FROM ` + s + `.key_counts WHERE key = ANY($4) AND n > 0`
	// Lists a query found cached but were dropped since, read again.
	d.qPost = `SELECT array(SELECT seq << 16 | nkeys FROM ` + s + `.postings WHERE key = t.key ORDER BY seq LIMIT t.lim)
FROM unnest($1::bigint[], $2::int[]) WITH ORDINALITY AS t(key, lim, ord) ORDER BY t.ord`
	// The winners: $2 holds the version (xmin) of each one's cached
	// entity, 0 for none; a winner whose row still has that version comes
	// back without its profile (hit), the others with it.
	d.qWinners = `SELECT e.seq, e.kind, e.id,
	CASE WHEN h THEN '' ELSE e.name END, CASE WHEN h THEN '' ELSE e.industry END,
	CASE WHEN h THEN '' ELSE e.location END, CASE WHEN h THEN '' ELSE e.website END,
	CASE WHEN h THEN '' ELSE e.first_name END, CASE WHEN h THEN '' ELSE e.last_name END,
	CASE WHEN h THEN '' ELSE e.company END, CASE WHEN h THEN '' ELSE e.title END,
	CASE WHEN h THEN NULL ELSE e.email_hash END, v, h
FROM unnest($1::bigint[], $2::bigint[]) AS t(seq, ver)
JOIN ` + s + `.entities e ON e.seq = t.seq,
LATERAL (SELECT e.xmin::text::bigint AS v) x,
LATERAL (SELECT x.v = t.ver AS h) y`
	d.qEntity = "SELECT " + entityCols + " FROM " + s + ".entities WHERE kind = $1 AND id = $2"
	return d, nil
}

// Pool returns the directory's connection pool.
func (d *Dir) Pool() *pgxpool.Pool { return d.pool }

// Schema returns the name of the directory's PostgreSQL schema.
func (d *Dir) Schema() string { return d.name }

// Close closes the pool if [Open] made it.
func (d *Dir) Close() {
	if d.own {
		d.pool.Close()
	}
}

// entityCols are the columns row.dest scans, in order.
const entityCols = "seq, kind, id, name, industry, location, website, first_name, last_name, company, title, email_hash"

// row is an entities row.
type row struct {
	seq                               int64
	kind                              int16
	id                                string
	name, industry, location, website string
	first, last, company, title       string
	emailHash                         []byte
}

func (r *row) dest() []any {
	return []any{&r.seq, &r.kind, &r.id, &r.name, &r.industry, &r.location, &r.website,
		&r.first, &r.last, &r.company, &r.title, &r.emailHash}
}

// entity builds the matcher entity of r, as memdir builds it from the profile.
func (r *row) entity() matcher.Entity {
	switch matcher.Kind(r.kind) {
	case matcher.KindCompany:
		return matcher.NewCompanyEntity(matcher.Company{ID: r.id, Name: r.name, Industry: r.industry,
			Location: r.location, Website: r.website})
	case matcher.KindMember:
		m := matcher.Member{ID: r.id, FirstName: r.first, LastName: r.last, Company: r.company,
			Title: r.title, Location: r.location}
		copy(m.EmailHash[:], r.emailHash)
		return matcher.NewMemberEntity(m)
	}
	return matcher.Entity{}
}

// Entity implements [matcher.Directory].
func (d *Dir) Entity(ctx context.Context, ref matcher.EntityRef) (matcher.Entity, bool, error) {
	if ref.Kind != matcher.KindCompany && ref.Kind != matcher.KindMember || ref.ID == "" {
		return matcher.Entity{}, false, ctx.Err()
	}
	var r row
	err := d.pool.QueryRow(ctx, d.qEntity, int16(ref.Kind), ref.ID).Scan(r.dest()...)
	if errors.Is(err, pgx.ErrNoRows) {
		return matcher.Entity{}, false, nil
	}
	if err != nil {
		return matcher.Entity{}, false, fmt.Errorf("pgdir: entity %s %q: %w", ref.Kind, ref.ID, err)
	}
	return r.entity(), true, nil
}

// Len returns the number of entities of kind k.
func (d *Dir) Len(ctx context.Context, k matcher.Kind) (int, error) {
	var n int64
	err := d.pool.QueryRow(ctx, d.qKind, int16(k)).Scan(&n)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("pgdir: count %s: %w", k, err)
	}
	return int(n), nil
}

// KeyCounts implements [matcher.KeyCounter] from the key_counts table: the
// counts memdir gives for the same content (entities of any kind per key).
// Called by the engine after [Dir.Candidates] for the same query, it is
// answered from the counts Candidates read (see [WithCountReuse]).
func (d *Dir) KeyCounts(ctx context.Context, k matcher.Kind, keys []matcher.Key, counts []int) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if d.memo != nil {
		if total, ok := d.memo.take(k, keys, counts); ok {
			return total, nil
		}
	}
	df, total, err := d.counts(ctx, k, keys)
	if err != nil {
		return 0, err
	}
	for i, key := range keys {
		counts[i] = df[key]
	}
	return total, nil
}

// forget drops what the Dir remembers of the entity seq (its cached entity)
// and every reusable count: called after a write through this Dir.
func (d *Dir) forget(seq int64) {
	if d.ents != nil && seq >= 0 {
		d.ents.drop(seq)
	}
	if d.memo != nil {
		d.memo.clear()
	}
}

// counts reads the document frequencies of keys and the number of entities
// of kind k in one round trip.
func (d *Dir) counts(ctx context.Context, k matcher.Kind, keys []matcher.Key) (map[matcher.Key]int, int, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	b := &pgx.Batch{}
	b.Queue(d.qKind, int16(k))
	ks := make([]int64, len(keys))
	for i, key := range keys {
		ks[i] = int64(key)
	}
	if len(ks) > 0 {
		b.Queue(d.qCounts, ks)
	}
	br := d.pool.SendBatch(ctx, b)
	defer br.Close()
	var total int64
	if err := br.QueryRow().Scan(&total); err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return nil, 0, fmt.Errorf("pgdir: key counts: %w", err)
	}
	df := make(map[matcher.Key]int, len(keys))
	if len(ks) > 0 {
		rows, err := br.Query()
		if err != nil {
			return nil, 0, fmt.Errorf("pgdir: key counts: %w", err)
		}
		var key int64
		var n int32
		_, err = pgx.ForEachRow(rows, []any{&key, &n}, func() error {
			df[matcher.Key(key)] = int(n)
			return nil
		})
		if err != nil {
			return nil, 0, fmt.Errorf("pgdir: key counts: %w", err)
		}
	}
	if err := br.Close(); err != nil {
		return nil, 0, fmt.Errorf("pgdir: key counts: %w", err)
	}
	return df, int(total), nil
}

type keyList struct {
	key   matcher.Key
	n     int   // document frequency
	group uint8 // variant group, 0 for none
}

// plan is the visit of a query's posting lists, in visiting order.
type plan struct {
	keys  []int64   // the lists' keys
	lims  []int     // how many postings of each to visit
	lists [][]int64 // the postings to visit, packed (seq << 16 | nkeys)
	ws    []float32 // each list's weight
	gs    []uint8   // each key's variant group, 0 for none
	dfs   []int     // how many entities hold each key (the whole list)
}

// plan reads the document frequencies of q's keys with the postings
// their visit may need, in one statement (one snapshot) and one round trip,
// then orders the posting lists as memdir does (exact keys first, then
// rarest first, by the same sort on the same input, so that equal lengths
// keep the same order), cuts them to the posting budget and weighs them as
// memdir does, in float32. ok is false when no list is visited.
//
// The server cannot know how Go's sort orders lists of equal length, so it
// reads each list as far as any order of the equal ones may visit it: a
// list all of whose equals fit the budget in full, and a list before which
// the budget is spent, are read whole or not at all whatever the order; the
// equals at the cut are read up to what the budget leaves before them.
func (d *Dir) plan(ctx context.Context, q *matcher.Query) (p plan, ok bool, err error) {
	keys := q.Keys()
	var ck []matcher.Key
	if d.memo != nil {
		// The keys the engine will count next, read in the same round trip.
		ck = q.CountKeys(nil)
	}
	res, err := d.read(ctx, q.Kind(), keys, ck)
	if err != nil {
		return p, false, err
	}
	df, total := res.df, res.total
	if d.memo != nil {
		cs := make([]int, len(ck))
		for i, k := range ck {
			cs[i] = df[k]
		}
		d.memo.put(q.Kind(), ck, cs, total)
	}
	lists := make([]keyList, 0, len(keys))
	groups := q.VariantGroups()
	for i, k := range keys {
		if n := df[k]; n > 0 {
			lists = append(lists, keyList{key: k, n: n, group: groups[i]})
		}
	}
	slices.SortFunc(lists, func(a, b keyList) int {
		if a.key.Exact() != b.key.Exact() {
			if a.key.Exact() {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.n, b.n)
	})
	budget := d.budget
	n := float64(total)
	var again []int
	for _, kl := range lists {
		if budget <= 0 {
			break
		}
		lim := min(kl.n, budget)
		budget -= lim
		w := float32(math.Log2(1 + n/float64(kl.n)))
		if kl.key.Exact() {
			w += exactBoost
		}
		ps, ok := res.post[kl.key]
		if !ok && d.posts != nil {
			ps, ok = d.posts.get(kl.key, res.vers[kl.key], lim)
		}
		if !ok {
			// Cached when the query was sent, dropped since.
			again = append(again, len(p.lists))
			ps = nil
		} else if len(ps) < lim {
			return p, false, fmt.Errorf("pgdir: candidates: %d postings read for a key counted %d", len(ps), kl.n)
		}
		p.lists = append(p.lists, ps[:min(lim, len(ps))])
		p.lims = append(p.lims, lim)
		p.keys = append(p.keys, int64(kl.key))
		p.ws = append(p.ws, w)
		p.gs = append(p.gs, kl.group)
		p.dfs = append(p.dfs, kl.n)
	}
	if len(again) > 0 {
		if err := d.readAgain(ctx, &p, again); err != nil {
			return p, false, err
		}
	}
	return p, len(p.lists) > 0, nil
}

// readAgain reads the lists at indices at of p in a round trip of their
// own: the lists the posting cache held when the query was sent, and has
// dropped since.
func (d *Dir) readAgain(ctx context.Context, p *plan, at []int) error {
	ks := make([]int64, len(at))
	ls := make([]int32, len(at))
	for i, j := range at {
		ks[i], ls[i] = p.keys[j], int32(p.lims[j])
	}
	rows, err := d.pool.Query(ctx, d.qPost, ks, ls)
	if err != nil {
		return fmt.Errorf("pgdir: candidates: postings: %w", err)
	}
	i := 0
	var ps []int64
	_, err = pgx.ForEachRow(rows, []any{&ps}, func() error {
		if i == len(at) {
			return errors.New("more posting lists than keys")
		}
		p.lists[at[i]] = ps
		ps = nil
		i++
		return nil
	})
	if err != nil {
		return fmt.Errorf("pgdir: candidates: postings: %w", err)
	}
	return nil
}

// readResult is what [Dir.read] returns.
type readResult struct {
	df    map[matcher.Key]int
	post  map[matcher.Key][]int64 // postings read, in sequence order
	vers  map[matcher.Key]int64   // versions of the keys' count rows
	total int                     // entities of the kind
}

// read returns the document frequencies of keys and of more (more's
// postings are not read), the postings of keys that the visit may need (see
// [Dir.plan]) and that the posting cache does not hold, and the number of
// entities of kind k, in one round trip.
func (d *Dir) read(ctx context.Context, k matcher.Kind, keys, more []matcher.Key) (res readResult, err error) {
	if err := ctx.Err(); err != nil {
		return res, err
	}
	ks := make([]int64, len(keys))
	ex := make([]bool, len(keys))
	for i, key := range keys {
		ks[i] = int64(key)
		ex[i] = key.Exact()
	}
	cv := make([]int64, len(keys))
	cl := make([]int32, len(keys))
	if d.posts != nil {
		d.posts.versions(keys, cv, cl)
	}
	b := &pgx.Batch{}
	b.Queue(d.qKind, int16(k))
	b.Queue(d.qRead, ks, ex, int32(d.budget), keyArray(more), cv, cl)
	br := d.pool.SendBatch(ctx, b)
	defer br.Close()
	var n64 int64
	if err := br.QueryRow().Scan(&n64); err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return res, fmt.Errorf("pgdir: candidates: entity count: %w", err)
	}
	rows, err := br.Query()
	if err != nil {
		return res, fmt.Errorf("pgdir: candidates: key counts and postings: %w", err)
	}
	res.df = make(map[matcher.Key]int, len(keys)+len(more))
	res.post = make(map[matcher.Key][]int64, len(keys))
	res.vers = make(map[matcher.Key]int64, len(keys))
	var key, ver int64
	var n int32
	var ps []int64
	_, err = pgx.ForEachRow(rows, []any{&key, &n, &ver, &ps}, func() error {
		res.df[matcher.Key(key)] = int(n)
		if ver != 0 {
			res.vers[matcher.Key(key)] = ver
		}
		if ps != nil {
			res.post[matcher.Key(key)] = ps
			ps = nil // the next row's array is a new one
		}
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("pgdir: candidates: key counts and postings: %w", err)
	}
	if err := br.Close(); err != nil {
		return res, fmt.Errorf("pgdir: candidates: %w", err)
	}
	res.total = int(n64)
	if d.posts != nil {
		for key, ps := range res.post {
			d.posts.put(key, res.vers[key], ps)
		}
	}
	return res, nil
}

// accum is the weight an entity gathers for a query: the sum, which holds
// the weight of the best key it shares of each variant group
// ([matcher.Query.VariantGroups]) once, and the flags of those groups.
type accum struct {
	seq   int64
	sum   float32
	vars  uint8
	nkeys int32
}

// topSeqs returns the sequence numbers of the limit best entities of acc:
// highest score (sum less the length penalty, as memdir computes it), then
// lowest sequence number. A min-heap of the best so far, as memdir keeps.
func topSeqs(acc []accum, limit int) []int64 {
	type item struct {
		seq   int64
		score float32
	}
	less := func(a, b item) bool { // a ranks below b
		if a.score != b.score {
			return a.score < b.score
		}
		return a.seq > b.seq
	}
	h := make([]item, 0, min(limit, len(acc)))
	for i := range acc {
		a := &acc[i]
		if len(h) == limit && a.sum < h[0].score {
			continue // the penalty only lowers a score
		}
		it := item{a.seq, a.sum - lengthPenalty*float32(a.nkeys)}
		switch {
		case len(h) < limit:
			h = append(h, it)
			for j := len(h) - 1; j > 0; {
				k := (j - 1) / 2
				if !less(h[j], h[k]) {
					break
				}
				h[j], h[k] = h[k], h[j]
				j = k
			}
		case less(h[0], it):
			h[0] = it
			for j := 0; ; {
				c := 2*j + 1
				if c >= len(h) {
					break
				}
				if c+1 < len(h) && less(h[c+1], h[c]) {
					c++
				}
				if !less(h[c], h[j]) {
					break
				}
				h[j], h[c] = h[c], h[j]
				j = c
			}
		}
	}
	top := make([]int64, len(h))
	for i, it := range h {
		top[i] = it.seq
	}
	return top
}

// Candidates implements [matcher.Directory] with memdir's selection, so that
// both return the same candidates for the same content loaded in the same
// order: the posting lists of q's keys are visited rarest first (exact keys
// first) within the posting budget, each in entity sequence order; every
// entity touched gathers log2(1+N/df) per key it shares with q (plus a boost
// for an exact key, and one variant key at most of each variant group), less
// 0.02 per key it holds; the limit best (ties to the earlier entity) are
// returned in ID order.
//
// It takes two round trips: the document frequencies (with the number of
// entities) together with the postings the visit may need that the posting
// cache does not hold (one array per key, read from the primary key index
// alone), and the winners, whose profiles are sent only when the entity
// cache does not hold them. A third is taken only when a cached list was
// dropped from the cache meanwhile. The arithmetic is memdir's, in Go and
// float32.
func (d *Dir) Candidates(ctx context.Context, q *matcher.Query, limit int, dst []matcher.Entity) ([]matcher.Entity, error) {
	if err := ctx.Err(); err != nil {
		return dst, err
	}
	if limit <= 0 {
		return dst, nil
	}
	p, ok, err := d.plan(ctx, q)
	if err != nil || !ok {
		return dst, err
	}
	visits := 0
	for _, l := range p.lists {
		visits += len(l)
	}
	// Entities touched, in order of first touch, and their index there.
	acc := make([]accum, 0, min(visits, 4096))
	index := make(map[int64]int32, min(visits, 4096))
	member := q.Kind() == matcher.KindMember
	frozen := false
	for i, packed := range p.lists {
		w, group := p.ws[i], p.gs[i]
		// memdir's rule for a member query's common lists: from the first
		// whole list of commonList postings or more, once limit entities
		// are met, the lists only add to those.
		frozen = frozen || member && p.dfs[i] >= commonList && len(acc) >= limit
		for _, pk := range packed {
			seq := pk >> 16
			j, ok := index[seq]
			if !ok && frozen {
				continue
			}
			if !ok {
				j = int32(len(acc))
				index[seq] = j
				acc = append(acc, accum{seq: seq, nkeys: int32(pk & 0xffff)})
			}
			a := &acc[j]
			if group != 0 {
				// Variants count once a group: the first visited is the
				// rarest.
				if bit := uint8(1) << group; a.vars&bit == 0 {
					if w != 0 {
						a.vars |= bit
					}
					a.sum += w
				}
				continue
			}
			a.sum += w
		}
	}
	top := topSeqs(acc, limit)
	vers := make([]int64, len(top))
	if d.ents != nil {
		d.ents.versions(top, vers)
	}
	rows, err := d.pool.Query(ctx, d.qWinners, top, vers)
	if err != nil {
		return dst, fmt.Errorf("pgdir: candidates: %w", err)
	}
	kind := q.Kind()
	start := len(dst)
	var r row
	var ver int64
	var hit bool
	var missed []int64
	_, err = pgx.ForEachRow(rows, append(r.dest(), &ver, &hit), func() error {
		// Keys are tagged by kind: another kind only meets the query
		// through a 64-bit hash collision.
		if matcher.Kind(r.kind) != kind {
			return nil
		}
		if hit {
			if e, ok := d.ents.get(r.seq, ver); ok {
				dst = append(dst, e)
			} else {
				missed = append(missed, r.seq) // dropped since: read again below
			}
			return nil
		}
		e := r.entity()
		if d.ents != nil {
			d.ents.put(r.seq, ver, e)
		}
		dst = append(dst, e)
		return nil
	})
	if err != nil {
		return dst[:start], fmt.Errorf("pgdir: candidates: %w", err)
	}
	if len(missed) > 0 {
		rows, err = d.pool.Query(ctx, "SELECT "+entityCols+" FROM "+d.schema+".entities WHERE seq = ANY($1)", missed)
		if err != nil {
			return dst[:start], fmt.Errorf("pgdir: candidates: %w", err)
		}
		_, err = pgx.ForEachRow(rows, r.dest(), func() error {
			if matcher.Kind(r.kind) == kind {
				dst = append(dst, r.entity())
			}
			return nil
		})
		if err != nil {
			return dst[:start], fmt.Errorf("pgdir: candidates: %w", err)
		}
	}
	slices.SortFunc(dst[start:], func(a, b matcher.Entity) int { return cmp.Compare(a.Ref.ID, b.Ref.ID) })
	return dst, nil
}
