package memdir

import (
	"math"
	"slices"
)

// postArena holds the posting lists of the keys that more than one entity
// holds, in one array: the list at offset off has its length at a[off],
// the log2 of its capacity at a[off+1] and its slots from a[off+2]. A query
// reads a list's length and first slots in one place, where a slice per
// list adds the read of its header in an array as long as the number of
// lists (1.9 million at a million members), and the lists cost no slice
// header and no allocation of their own.
//
// A list that outgrows its block moves to one twice as large; the blocks
// left behind are reused by lists of their size, and the array is compacted
// when they make up half of it.
type postArena struct {
	a     []int32
	free  [32][]int32 // offsets of free blocks, by log2 of their capacity
	waste int         // elements in free blocks
}

// minCompact is the arena length below which it is not compacted.
const minCompact = 1 << 16

// list returns the slots of the list at off.
func (p *postArena) list(off int32) []int32 {
	n := p.a[off]
	return p.a[off+2 : off+2+n : off+2+n]
}

// alloc returns the offset of an empty block of capacity 1<<c.
func (p *postArena) alloc(c int32) int32 {
	size := 2 + 1<<c
	if n := len(p.free[c]); n > 0 {
		off := p.free[c][n-1]
		p.free[c] = p.free[c][:n-1]
		p.waste -= size
		p.a[off] = 0
		return off
	}
	off := len(p.a)
	if off+size > math.MaxInt32 {
		panic("memdir: more than 2^31 postings")
	}
	p.a = slices.Grow(p.a, size)[:off+size]
	p.a[off], p.a[off+1] = 0, c
	return int32(off)
}

// release frees the block at off.
func (p *postArena) release(off int32) {
	c := p.a[off+1]
	p.free[c] = append(p.free[c], off)
	p.waste += 2 + 1<<c
}

// newList returns the offset of a new list of the slots x and y.
func (p *postArena) newList(x, y int32) int32 {
	off := p.alloc(1)
	p.a[off] = 2
	p.a[off+2], p.a[off+3] = x, y
	return off
}

// add appends slot to the list at off and returns the list's offset, which
// changes when the list moves to a larger block.
func (p *postArena) add(off, slot int32) int32 {
	n, c := p.a[off], p.a[off+1]
	if n == 1<<c {
		to := p.alloc(c + 1)
		copy(p.a[to+2:to+2+n], p.a[off+2:off+2+n])
		p.a[to] = n
		p.release(off)
		off = to
	}
	p.a[off+2+n] = slot
	p.a[off] = n + 1
	return off
}

// needsCompact reports whether the free blocks make up half the arena.
func (p *postArena) needsCompact() bool {
	return len(p.a) >= minCompact && 2*p.waste > len(p.a)
}

// compact moves the lists that t refers to (values < 0) to a new array
// without the free blocks, in table order, and updates t.
func (p *postArena) compact(t *keyTable) {
	live := len(p.a) - p.waste
	a := make([]int32, 0, live)
	move := func(v *int32) {
		if *v >= 0 {
			return
		}
		off := ^*v
		c := p.a[off+1]
		*v = ^int32(len(a))
		a = append(a, p.a[off:off+2+1<<c]...)
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
	p.waste = 0
}
