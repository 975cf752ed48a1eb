package pgdir

import (
	"hash/maphash"
	"slices"
	"sync"
	"time"

	"github.com/crmlink/crmlink/matcher"
)

// entityCache holds prepared entities by sequence number, each with the
// version (xmin) of the row it was made from. It is safe for concurrent
// use.
type entityCache struct {
	mu  sync.RWMutex
	max int
	m   map[int64]cachedEntity
}

type cachedEntity struct {
	ver int64
	e   matcher.Entity
}

func newEntityCache(n int) *entityCache {
	return &entityCache{max: n, m: make(map[int64]cachedEntity, min(n, 1024))}
}

// versions sets vers[i] to the version of the cached entity of seqs[i], 0
// for none (no xmin is 0).
func (c *entityCache) versions(seqs []int64, vers []int64) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for i, s := range seqs {
		vers[i] = c.m[s].ver
	}
}

// get returns the cached entity of seq if its version is ver.
func (c *entityCache) get(seq, ver int64) (matcher.Entity, bool) {
	c.mu.RLock()
	ce, ok := c.m[seq]
	c.mu.RUnlock()
	if !ok || ce.ver != ver {
		return matcher.Entity{}, false
	}
	return ce.e, true
}

// put caches e, version ver, under seq, dropping an arbitrary entry when
// full.
func (c *entityCache) put(seq, ver int64, e matcher.Entity) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[seq]; !ok && len(c.m) >= c.max {
		for k := range c.m { // map order: an arbitrary victim
			delete(c.m, k)
			break
		}
	}
	c.m[seq] = cachedEntity{ver: ver, e: e}
}

// drop forgets seq.
func (c *entityCache) drop(seq int64) {
	c.mu.Lock()
	delete(c.m, seq)
	c.mu.Unlock()
}

// postingCache holds posting lists (or their first postings) by key, each
// with the version (xmin) of the key's count row when read. It holds at
// most max postings in all. It is safe for concurrent use.
type postingCache struct {
	mu   sync.RWMutex
	max  int
	size int
	m    map[matcher.Key]cachedPostings
}

type cachedPostings struct {
	ver int64
	ps  []int64 // never changed once cached
}

func newPostingCache(n int) *postingCache {
	return &postingCache{max: n, m: make(map[matcher.Key]cachedPostings)}
}

// versions sets vers[i] and lens[i] to the version and length of the cached
// postings of keys[i], 0 and 0 for none.
func (c *postingCache) versions(keys []matcher.Key, vers []int64, lens []int32) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for i, k := range keys {
		e := c.m[k]
		vers[i], lens[i] = e.ver, int32(len(e.ps))
	}
}

// get returns the first n cached postings of key if they are of version ver.
func (c *postingCache) get(key matcher.Key, ver int64, n int) ([]int64, bool) {
	c.mu.RLock()
	e, ok := c.m[key]
	c.mu.RUnlock()
	if !ok || e.ver != ver || len(e.ps) < n {
		return nil, false
	}
	return e.ps[:n:n], true
}

// put caches ps, version ver, as the postings of key, unless as many or
// more of that version are cached; entries are dropped at random to keep
// the size under max.
func (c *postingCache) put(key matcher.Key, ver int64, ps []int64) {
	if len(ps) > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[key]; ok {
		if e.ver == ver && len(e.ps) >= len(ps) {
			return
		}
		c.size -= len(e.ps)
		delete(c.m, key)
	}
	for k, e := range c.m { // map order: arbitrary victims
		if c.size+len(ps) <= c.max {
			break
		}
		c.size -= len(e.ps)
		delete(c.m, k)
	}
	c.m[key] = cachedPostings{ver: ver, ps: ps}
	c.size += len(ps)
}

// countReuseTTL bounds the age of the counts [Dir.KeyCounts] may reuse from
// a [Dir.Candidates] call.
const countReuseTTL = 250 * time.Millisecond

// memoSlots is how many recent queries' counts a countMemo holds.
const memoSlots = 256

// countMemo holds the counts of the keys the engine will ask for, read by
// recent Candidates calls, until KeyCounts takes them (once). It is safe for
// concurrent use.
type countMemo struct {
	seed maphash.Seed
	mu   sync.Mutex
	m    map[uint64]*memoEntry
	ring [memoSlots]*memoEntry // oldest entries are overwritten
	next int
}

type memoEntry struct {
	h      uint64
	kind   matcher.Kind
	keys   []matcher.Key
	counts []int
	total  int
	at     time.Time
}

func newCountMemo() *countMemo {
	return &countMemo{seed: maphash.MakeSeed(), m: make(map[uint64]*memoEntry)}
}

func (c *countMemo) hash(k matcher.Kind, keys []matcher.Key) uint64 {
	var h maphash.Hash
	h.SetSeed(c.seed)
	var b [8]byte
	b[0] = byte(k)
	h.Write(b[:1])
	for _, key := range keys {
		for i := range b {
			b[i] = byte(uint64(key) >> (8 * i))
		}
		h.Write(b[:])
	}
	return h.Sum64()
}

// put records the counts of keys (counts[i] of keys[i]) and the number of
// entities of kind k.
func (c *countMemo) put(k matcher.Kind, keys []matcher.Key, counts []int, total int) {
	e := &memoEntry{h: c.hash(k, keys), kind: k, keys: keys, counts: counts, total: total, at: time.Now()}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.ring[c.next]; old != nil && c.m[old.h] == old {
		delete(c.m, old.h)
	}
	c.ring[c.next] = e
	c.next = (c.next + 1) % memoSlots
	c.m[e.h] = e
}

// take copies into counts the recorded counts of exactly keys and kind k,
// if there are any younger than countReuseTTL, and forgets them.
func (c *countMemo) take(k matcher.Kind, keys []matcher.Key, counts []int) (total int, ok bool) {
	h := c.hash(k, keys)
	c.mu.Lock()
	e := c.m[h]
	if e == nil || e.kind != k || !slices.Equal(e.keys, keys) {
		c.mu.Unlock()
		return 0, false
	}
	delete(c.m, h)
	c.mu.Unlock()
	if time.Since(e.at) > countReuseTTL {
		return 0, false
	}
	copy(counts, e.counts)
	return e.total, true
}

// clear forgets every record.
func (c *countMemo) clear() {
	c.mu.Lock()
	clear(c.m)
	c.ring = [memoSlots]*memoEntry{}
	c.mu.Unlock()
}
