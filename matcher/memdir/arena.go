package memdir

import (
	"math"
	"math/bits"
	"slices"
)

// postArena holds the posting lists of the keys that more than one entity
// holds, in one array: the list at offset off has its length at a[off],
// its capacity at a[off+1] and its slots from a[off+2]. A query reads a
// list's length and first slots in one place, where a slice per list adds
// the read of its header in an array as long as the number of lists (1.9
// million at a million members), and the lists cost no slice header and no
// allocation of their own.
//
// A list that outgrows its block moves to a larger one; the blocks left
// behind are reused by lists that fit them, and the array is compacted
// when half of it holds no posting (free blocks and unused capacity), and
// at the end of a bulk load when a quarter does.
type postArena struct {
	a []int32
	// free holds the offsets of free blocks by the log2 of their
	// capacity, rounded down.
	free [32][]int32
	used int // elements of live lists: their headers and postings
	// compactions counts the calls of compact.
	compactions int
}

// minCompact is the arena length below which it is not compacted.
const minCompact = 1 << 16

// list returns the slots of the list at off.
func (p *postArena) list(off int32) []int32 {
	n := p.a[off]
	return p.a[off+2 : off+2+n : off+2+n]
}

// alloc returns the offset of an empty block of capacity at least n.
func (p *postArena) alloc(n int32) int32 {
	// Free blocks of class c hold at least 1<<c slots: n fits any block of
	// the class of n rounded up to a power of two.
	c := bits.Len32(uint32(n - 1))
	if k := len(p.free[c]); k > 0 {
		off := p.free[c][k-1]
		p.free[c] = p.free[c][:k-1]
		p.a[off] = 0
		return off
	}
	off := len(p.a)
	size := 2 + int(n)
	if off+size > math.MaxInt32 {
		panic("memdir: more than 2^31 postings")
	}
	p.a = slices.Grow(p.a, size)[:off+size]
	p.a[off], p.a[off+1] = 0, n
	return int32(off)
}

// release frees the block at off; its postings no longer count as used.
func (p *postArena) release(off int32) {
	c := bits.Len32(uint32(p.a[off+1])) - 1
	p.free[c] = append(p.free[c], off)
	p.used -= 2 + int(p.a[off])
}

// newList returns the offset of a new list of the slots x and y.
func (p *postArena) newList(x, y int32) int32 {
	off := p.alloc(2)
	p.a[off] = 2
	p.a[off+2], p.a[off+3] = x, y
	p.used += 4
	return off
}

// add appends slot to the list at off and returns the list's offset, which
// changes when the list moves to a larger block.
func (p *postArena) add(off, slot int32) int32 {
	n := p.a[off]
	if n == p.a[off+1] {
		// Twice as large while short, then by a quarter, as append does.
		grow := n
		if n >= 256 {
			grow = n/4 + 192
		}
		to := p.alloc(n + grow)
		copy(p.a[to+2:to+2+n], p.a[off+2:off+2+n])
		p.a[to] = n
		p.used += 2 + int(n)
		p.release(off)
		off = to
	}
	p.a[off+2+n] = slot
	p.a[off] = n + 1
	p.used++
	return off
}

// removeAt removes the i-th posting of the list at off, moving the last
// one into its place.
func (p *postArena) removeAt(off int32, i int) {
	n := p.a[off]
	p.a[off+2+int32(i)] = p.a[off+1+n]
	p.a[off] = n - 1
	p.used--
}

// wasted reports whether at least 1/frac of the arena holds no posting.
func (p *postArena) wasted(frac int) bool {
	return len(p.a) >= minCompact && frac*(len(p.a)-p.used) >= len(p.a)
}

// compact moves the lists that t refers to (values < 0) to a new array
// that holds only them, in table order, and updates t. With room unset
// each block is cut to its list's length (the next posting added to a
// list moves it), for a directory done loading. With room set each block
// keeps a quarter of its list's length free: while lists grow, blocks cut
// to their length would all move at their next posting, leaving half the
// arena free again at once, and a directory whose lists all grow (many
// people of one name) would be copied whole every few postings.
func (p *postArena) compact(t *keyTable, room bool) {
	p.compactions++
	need := p.used
	if room {
		need += p.used / 4
	}
	a := make([]int32, 0, need)
	move := func(v *int32) {
		if *v >= 0 {
			return
		}
		off := ^*v
		n := p.a[off]
		c := n
		if room {
			c += n / 4
		}
		*v = ^int32(len(a))
		a = append(a, n, c)
		a = append(a, p.a[off+2:off+2+n]...)
		a = append(a, make([]int32, c-n)...)
	}
	for i := range t.ents {
		if e := &t.ents[i]; e.lo != 0 || e.hi != 0 {
			move(&e.val)
		}
	}
	if t.hasZero {
		move(&t.zero)
	}
	p.a = a
	p.free = [32][]int32{}
}
