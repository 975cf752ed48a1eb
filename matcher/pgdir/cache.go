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

// clear forgets every entry.
func (c *entityCache) clear() {
	c.mu.Lock()
	clear(c.m)
	c.mu.Unlock()
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
