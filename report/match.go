package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"time"
)

// Object names the CRM object a row of a [Match] counts. Its values are those of
// override.Object and crm.Object.
type Object string

// The objects a sync run reads, in the order a [Match] lists them.
const (
	Account Object = "account"
	Contact Object = "contact"
	Lead    Object = "lead"
)

// objectOrder lists the objects in report order.
var objectOrder = [...]Object{Account, Contact, Lead}

// Outcome is what a sync run did with one record.
type Outcome int

// The outcomes of one record.
const (
	// Filtered: left out by the stage rule (not tied to an open opportunity past the stage).
	Filtered Outcome = iota
	// Invalid: the record's ID cannot be stored, or there was nothing to match on.
	Invalid
	// Manual: linked by a manual mapping, which stays authoritative.
	Manual
	// Sync: matched and linked by a sync mapping.
	Sync
	// Rejected: matched an entity a user rejected for this record; not linked.
	Rejected
	// Ambiguous: several candidates too close to call; not linked.
	Ambiguous
	// None: no candidate good enough; not linked.
	None
	numOutcomes
)

var outcomeNames = [numOutcomes]string{"filtered", "invalid", "manual", "sync", "rejected", "ambiguous", "none"}

// String returns the outcome's lower-case name, as used in CSV headers and JSON.
func (o Outcome) String() string {
	if o < 0 || o >= numOutcomes {
		return "outcome(" + strconv.Itoa(int(o)) + ")"
	}
	return outcomeNames[o]
}

// Bins is the number of bins of a score [Histogram]: [0,0.1), [0.1,0.2), ... [0.9,1].
const Bins = 10

// Histogram counts best-candidate scores in [Bins] equal bins over [0,1]. Bin i counts the scores
// s with i/Bins <= s < (i+1)/Bins; a score of exactly 1 falls in the last bin.
type Histogram [Bins]int

// Add counts score s; scores outside [0,1] are clamped, NaN is ignored.
func (h *Histogram) Add(s float64) {
	if math.IsNaN(s) {
		return
	}
	i := int(math.Floor(s * Bins))
	h[min(max(i, 0), Bins-1)]++
}

// Total returns the number of scores counted.
func (h Histogram) Total() int {
	n := 0
	for _, v := range h {
		n += v
	}
	return n
}

// Counts are the per-outcome record counts of one object.
type Counts struct {
	Read      int `json:"read"`      // records read from the CRM
	Filtered  int `json:"filtered"`  // left out by the stage rule
	Invalid   int `json:"invalid"`   // unstorable ID or nothing to match on
	Manual    int `json:"manual"`    // linked via a manual mapping
	Sync      int `json:"sync"`      // linked via a sync mapping
	Rejected  int `json:"rejected"`  // matched a rejected entity
	Ambiguous int `json:"ambiguous"` // too close to call
	None      int `json:"none"`      // nothing good enough
}

// Linked returns the records linked to an entity: Manual + Sync.
func (c Counts) Linked() int { return c.Manual + c.Sync }

// Considered returns the records that went to matching: Read - Filtered - Invalid.
func (c Counts) Considered() int { return c.Read - c.Filtered - c.Invalid }

// LinkedShare returns Linked / Considered, or 0 when nothing was considered.
func (c Counts) LinkedShare() float64 {
	if n := c.Considered(); n > 0 {
		return float64(c.Linked()) / float64(n)
	}
	return 0
}

func (c *Counts) inc(o Outcome, d int) {
	c.Read += d
	switch o {
	case Filtered:
		c.Filtered += d
	case Invalid:
		c.Invalid += d
	case Manual:
		c.Manual += d
	case Sync:
		c.Sync += d
	case Rejected:
		c.Rejected += d
	case Ambiguous:
		c.Ambiguous += d
	case None:
		c.None += d
	}
}

func (c Counts) add(p Counts) Counts {
	return Counts{
		Read: c.Read + p.Read, Filtered: c.Filtered + p.Filtered, Invalid: c.Invalid + p.Invalid,
		Manual: c.Manual + p.Manual, Sync: c.Sync + p.Sync, Rejected: c.Rejected + p.Rejected,
		Ambiguous: c.Ambiguous + p.Ambiguous, None: c.None + p.None,
	}
}

func (c Counts) sub(p Counts) Counts {
	return Counts{
		Read: c.Read - p.Read, Filtered: c.Filtered - p.Filtered, Invalid: c.Invalid - p.Invalid,
		Manual: c.Manual - p.Manual, Sync: c.Sync - p.Sync, Rejected: c.Rejected - p.Rejected,
		Ambiguous: c.Ambiguous - p.Ambiguous, None: c.None - p.None,
	}
}

// ObjectMatch is the match report of one object.
type ObjectMatch struct {
	Object Object    `json:"object"`
	Counts Counts    `json:"counts"`
	Scores Histogram `json:"scores"` // best-candidate scores of the records that were scored
	// Review holds, per outcome name ("ambiguous", "none", "rejected"), the IDs of records an
	// admin may want to look at, in the order they were added, at most MaxIDs of each.
	Review map[string][]string `json:"review,omitempty"`
	// Omitted counts the review IDs left out past the cap, per outcome name.
	Omitted map[string]int `json:"omitted,omitempty"`
}

// Match is the match report of one sync run of one org.
type Match struct {
	Org      string        `json:"org"`
	Started  time.Time     `json:"started"`
	Finished time.Time     `json:"finished"`
	Objects  []ObjectMatch `json:"objects"` // accounts, contacts, leads, each present
}

// Object returns the report of object o, or a zero report naming o when the run had none.
func (m *Match) Object(o Object) ObjectMatch {
	for _, om := range m.Objects {
		if om.Object == o {
			return om
		}
	}
	return ObjectMatch{Object: o}
}

// Total returns the counts summed over the objects.
func (m *Match) Total() Counts {
	var t Counts
	for _, om := range m.Objects {
		t = t.add(om.Counts)
	}
	return t
}

// DefaultMaxIDs is the default cap of review IDs kept per object and outcome.
const DefaultMaxIDs = 1000

// MatchBuilder accumulates the outcomes of a sync run. The zero value is not usable; call
// [NewMatchBuilder]. A MatchBuilder is not safe for concurrent use.
type MatchBuilder struct {
	// MaxIDs caps the review IDs kept per object and outcome; 0 keeps none.
	MaxIDs int
	m      Match
	idx    map[Object]int
}

// NewMatchBuilder starts the report of a run of org that started at started. MaxIDs is
// [DefaultMaxIDs].
func NewMatchBuilder(org string, started time.Time) *MatchBuilder {
	b := &MatchBuilder{MaxIDs: DefaultMaxIDs, m: Match{Org: org, Started: started}, idx: map[Object]int{}}
	for _, o := range objectOrder {
		b.object(o)
	}
	return b
}

func (b *MatchBuilder) object(o Object) *ObjectMatch {
	i, ok := b.idx[o]
	if !ok {
		i = len(b.m.Objects)
		b.idx[o] = i
		b.m.Objects = append(b.m.Objects, ObjectMatch{Object: o})
	}
	return &b.m.Objects[i]
}

// Add counts one record of object o with outcome out. score is the best candidate's score in
// [0,1] when the record was scored (Manual, Sync, Rejected, Ambiguous, None with a candidate),
// and NaN otherwise; it goes into the histogram. id is kept for review when out is Ambiguous,
// None or Rejected, within MaxIDs.
func (b *MatchBuilder) Add(o Object, id string, out Outcome, score float64) {
	om := b.object(o)
	om.Counts.inc(out, 1)
	om.Scores.Add(score)
	switch out {
	case Ambiguous, None, Rejected:
	default:
		return
	}
	name := out.String()
	if len(om.Review[name]) >= b.MaxIDs {
		if om.Omitted == nil {
			om.Omitted = map[string]int{}
		}
		om.Omitted[name]++
		return
	}
	if om.Review == nil {
		om.Review = map[string][]string{}
	}
	om.Review[name] = append(om.Review[name], id)
}

// AddCount counts n records of object o with outcome out that were not scored one by one (for
// example the records the stage rule left out); no IDs are kept.
func (b *MatchBuilder) AddCount(o Object, out Outcome, n int) {
	b.object(o).Counts.inc(out, n)
}

// Finish returns the report, finished at finished. The builder may be used no more.
func (b *MatchBuilder) Finish(finished time.Time) Match {
	b.m.Finished = finished
	m := b.m
	b.m = Match{}
	b.idx = nil
	return m
}

// ObjectChange is the change of one object's counts since an earlier run: this run's minus the
// earlier one's.
type ObjectChange struct {
	Object      Object  `json:"object"`
	Counts      Counts  `json:"counts"`
	LinkedShare float64 `json:"linked_share"` // change of Counts.LinkedShare
}

// Compare returns the change of every object of m since prev (accounts, contacts, leads, then any
// other object in m's order). A nil prev compares with an empty run.
func (m *Match) Compare(prev *Match) []ObjectChange {
	var out []ObjectChange
	for _, om := range m.Objects {
		var p ObjectMatch
		if prev != nil {
			p = prev.Object(om.Object)
		}
		out = append(out, ObjectChange{
			Object:      om.Object,
			Counts:      om.Counts.sub(p.Counts),
			LinkedShare: om.Counts.LinkedShare() - p.Counts.LinkedShare(),
		})
	}
	return out
}

// csvHeader is the header of [Match.WriteCSV].
var csvHeader = []string{"object", "read", "filtered", "invalid", "manual", "sync", "rejected", "ambiguous", "none", "linked", "linked_share",
	"change_read", "change_linked", "change_linked_share"}

// WriteCSV writes one row per object: the counts, the linked count and share, and the change of
// read, linked and linked share since prev (nil: since an empty run). Shares have 4 decimals.
func (m *Match) WriteCSV(w io.Writer, prev *Match) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return fmt.Errorf("report: write match CSV: %w", err)
	}
	changes := m.Compare(prev)
	for i, om := range m.Objects {
		c, ch := om.Counts, changes[i]
		row := []string{string(om.Object)}
		for _, v := range []int{c.Read, c.Filtered, c.Invalid, c.Manual, c.Sync, c.Rejected, c.Ambiguous, c.None, c.Linked()} {
			row = append(row, strconv.Itoa(v))
		}
		row = append(row, share(c.LinkedShare()), strconv.Itoa(ch.Counts.Read), strconv.Itoa(ch.Counts.Linked()), share(ch.LinkedShare))
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("report: write match CSV: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("report: write match CSV: %w", err)
	}
	return nil
}

// WriteHistogramCSV writes the score histograms: a row per object and bin,
// "object,bin_low,bin_high,count".
func (m *Match) WriteHistogramCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	rows := [][]string{{"object", "bin_low", "bin_high", "count"}}
	for _, om := range m.Objects {
		for i, n := range om.Scores {
			rows = append(rows, []string{string(om.Object), binEdge(i), binEdge(i + 1), strconv.Itoa(n)})
		}
	}
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("report: write histogram CSV: %w", err)
	}
	return nil
}

func binEdge(i int) string { return strconv.FormatFloat(float64(i)/Bins, 'f', 1, 64) }

func share(f float64) string { return strconv.FormatFloat(f, 'f', 4, 64) }

// SortedObjects returns the objects of m in report order: accounts, contacts, leads, then others
// by name. It is what charts and pages list.
func (m *Match) SortedObjects() []ObjectMatch {
	out := slices.Clone(m.Objects)
	rank := func(o Object) int {
		if i := slices.Index(objectOrder[:], o); i >= 0 {
			return i
		}
		return len(objectOrder)
	}
	slices.SortStableFunc(out, func(a, b ObjectMatch) int {
		if ra, rb := rank(a.Object), rank(b.Object); ra != rb {
			return ra - rb
		}
		if a.Object < b.Object {
			return -1
		}
		if a.Object > b.Object {
			return 1
		}
		return 0
	})
	return out
}
