package report

import "sync"

// DefaultKeep is how many reports a [History] keeps per org unless told otherwise.
const DefaultKeep = 10

// History keeps the last match reports of each org in memory: aggregates and review IDs only,
// like the reports themselves. Purge forgets an org, as purging its data must. A History is safe
// for concurrent use; the zero value is not usable, call [NewHistory].
type History struct {
	keep int
	mu   sync.Mutex
	runs map[string][]Match // org -> reports, oldest first
}

// NewHistory returns a History keeping the last keep reports per org (keep < 1: [DefaultKeep]).
func NewHistory(keep int) *History {
	if keep < 1 {
		keep = DefaultKeep
	}
	return &History{keep: keep, runs: map[string][]Match{}}
}

// Add records m as the latest report of m.Org, dropping the oldest past the limit.
func (h *History) Add(m Match) {
	h.mu.Lock()
	defer h.mu.Unlock()
	rs := append(h.runs[m.Org], m)
	if len(rs) > h.keep {
		rs = append([]Match(nil), rs[len(rs)-h.keep:]...)
	}
	h.runs[m.Org] = rs
}

// Latest returns the latest report of org and the one before it (nil when there is none); ok is
// false when org has no report.
func (h *History) Latest(org string) (latest Match, previous *Match, ok bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	rs := h.runs[org]
	if len(rs) == 0 {
		return Match{}, nil, false
	}
	if len(rs) > 1 {
		p := rs[len(rs)-2]
		previous = &p
	}
	return rs[len(rs)-1], previous, true
}

// All returns the reports of org, oldest first.
func (h *History) All(org string) []Match {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Match(nil), h.runs[org]...)
}

// Purge forgets every report of org and returns how many there were.
func (h *History) Purge(org string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := len(h.runs[org])
	delete(h.runs, org)
	return n
}
