package memdir

import (
	"math/bits"

	"github.com/crmlink/crmlink/matcher"
)

// keyTable maps keys to their postings value (see Dir.post): an
// open-addressing hash table with linear probing, in one array of 12-byte
// entries. A look-up reads one entry, most often in one cache line, where a
// Go map of millions of keys reads its directory, a table header, a group's
// control word and the slot (a query looks up each of its keys, and at a
// million entities each read misses the cache). Its entries hold no
// pointers, so the collector does not scan it.
//
// Keys are never 0 (a key's low byte is its tag, and tags start at 1), so
// 0 marks an empty entry; a zero key is kept aside all the same.
type keyTable struct {
	ents    []keyEntry
	shift   uint32 // 64 - log2(len(ents))
	n       int    // keys held, the zero key aside
	zero    int32  // the value of the zero key, when hasZero
	hasZero bool
}

// keyEntry is a key, as two halves so that an entry takes 12 bytes rather
// than 16, and its value.
type keyEntry struct {
	lo, hi uint32
	val    int32
}

func (e *keyEntry) key() uint64 { return uint64(e.lo) | uint64(e.hi)<<32 }

// minKeyTable is the length of a new table.
const minKeyTable = 1 << 10

func (t *keyTable) home(k uint64) uint32 {
	return uint32((k * 0x9e3779b97f4a7c15) >> t.shift)
}

// get returns the value of k and whether k is held.
func (t *keyTable) get(key matcher.Key) (int32, bool) {
	k := uint64(key)
	if k == 0 {
		return t.zero, t.hasZero
	}
	if len(t.ents) == 0 {
		return 0, false
	}
	mask := uint32(len(t.ents) - 1)
	for i := t.home(k); ; i = (i + 1) & mask {
		e := &t.ents[i]
		if e.lo == uint32(k) && e.hi == uint32(k>>32) {
			return e.val, true
		}
		if e.lo == 0 && e.hi == 0 {
			return 0, false
		}
	}
}

// set sets the value of k, adding k when it is not held.
func (t *keyTable) set(key matcher.Key, v int32) {
	k := uint64(key)
	if k == 0 {
		t.zero, t.hasZero = v, true
		return
	}
	// Grow at a load of 4/5: at a million members (3.2 million keys) a
	// table grown at 3/4 would be twice as long, 50 MiB more.
	if 5*(t.n+1) > 4*len(t.ents) {
		t.grow()
	}
	mask := uint32(len(t.ents) - 1)
	for i := t.home(k); ; i = (i + 1) & mask {
		e := &t.ents[i]
		if e.lo == uint32(k) && e.hi == uint32(k>>32) {
			e.val = v
			return
		}
		if e.lo == 0 && e.hi == 0 {
			*e = keyEntry{lo: uint32(k), hi: uint32(k >> 32), val: v}
			t.n++
			return
		}
	}
}

// grow doubles the table (or makes the first one) and moves the entries.
func (t *keyTable) grow() {
	old := t.ents
	size := max(2*len(old), minKeyTable)
	t.ents = make([]keyEntry, size)
	t.shift = uint32(64 - bits.TrailingZeros(uint(size)))
	mask := uint32(size - 1)
	for j := range old {
		e := &old[j]
		if e.lo == 0 && e.hi == 0 {
			continue
		}
		i := t.home(e.key())
		for t.ents[i].lo != 0 || t.ents[i].hi != 0 {
			i = (i + 1) & mask
		}
		t.ents[i] = *e
	}
}

// remove removes k, if held. The entries after it in its run move back so
// that no look-up stops short of its key (backward-shift deletion).
func (t *keyTable) remove(key matcher.Key) {
	k := uint64(key)
	if k == 0 {
		t.zero, t.hasZero = 0, false
		return
	}
	if len(t.ents) == 0 {
		return
	}
	mask := uint32(len(t.ents) - 1)
	i := t.home(k)
	for {
		e := &t.ents[i]
		if e.lo == 0 && e.hi == 0 {
			return
		}
		if e.lo == uint32(k) && e.hi == uint32(k>>32) {
			break
		}
		i = (i + 1) & mask
	}
	// i is the hole. An entry at j may fill it when its home is not in
	// (i, j] cyclically: a look-up from its home then passes i.
	j := i
	for {
		j = (j + 1) & mask
		e := &t.ents[j]
		if e.lo == 0 && e.hi == 0 {
			break
		}
		h := t.home(e.key())
		if (j-h)&mask >= (j-i)&mask {
			t.ents[i] = *e
			i = j
		}
	}
	t.ents[i] = keyEntry{}
	t.n--
}

// len returns the number of keys held.
func (t *keyTable) len() int {
	n := t.n
	if t.hasZero {
		n++
	}
	return n
}
