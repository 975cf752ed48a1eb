package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/override"
)

// syncedObjects are the objects a run syncs, in the order it syncs them.
var syncedObjects = []override.Object{override.Account, override.Contact, override.Lead}

// objectProgress is what is known of one object's sync.
type objectProgress struct {
	stats   crmlink.ObjectStats
	batches int
	total   int  // records to read, when known
	seen    bool // a report came for the object
}

// progress shows a run's progress on w, from the first phase (counting the CRM records,
// loading the directory) to the end of the sync. On a terminal it is one line rewritten in
// place, at most every redrawEvery and on a timer; otherwise it is a structured log line every
// `every` (a heartbeat that says the run is alive even when no batch finished) and one line
// with the final counts of each object when the run moves past it. It is safe for concurrent
// use: the Syncer reports from its goroutine, the timer from its own.
type progress struct {
	mu       sync.Mutex
	w        io.Writer
	terminal bool
	log      *slog.Logger
	every    time.Duration
	now      func() time.Time

	phase     string    // what the run is doing: "counting CRM records", "loading directory", "syncing"
	phaseAt   time.Time // when the phase began
	syncStart time.Time // when the first object's sync began (phase "syncing")
	objects   map[override.Object]*objectProgress
	current   override.Object // the object being synced
	totals    bool            // totals are known for every object
	noTotals  string          // why they are not, shown instead of the time left
	drawn     time.Time       // when the terminal line was last drawn
	lineOpen  bool            // a terminal line is on screen

	stop     chan struct{}
	done     chan struct{}
	finished sync.Once
}

// redrawEvery is the least time between two terminal redraws caused by reports.
const redrawEvery = 100 * time.Millisecond

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// newProgress starts showing progress on w: a terminal line when terminal is true, else log
// lines every `every`. Call finish when the run ends.
func newProgress(w io.Writer, terminal bool, every time.Duration) *progress {
	p := &progress{
		w: w, terminal: terminal, log: slog.New(slog.NewTextHandler(w, nil)), every: every, now: time.Now,
		objects: make(map[override.Object]*objectProgress), stop: make(chan struct{}), done: make(chan struct{}),
	}
	for _, o := range syncedObjects {
		p.objects[o] = &objectProgress{}
	}
	p.phaseAt = p.now()
	tick := every
	if terminal {
		tick = time.Second // the elapsed time and time left move on between batches
	}
	go p.run(tick)
	return p
}

// run is the timer goroutine.
func (p *progress) run(tick time.Duration) {
	defer close(p.done)
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.mu.Lock()
			if p.terminal {
				p.draw()
			} else {
				p.logState()
			}
			p.mu.Unlock()
		}
	}
}

// setPhase records what the run does now.
func (p *progress) setPhase(phase string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.phase, p.phaseAt = phase, p.now()
	if p.terminal {
		p.draw()
	}
}

// setTotals records how many records each object has; a missing object has none.
func (p *progress) setTotals(totals map[override.Object]int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, o := range syncedObjects {
		p.objects[o].total = totals[o]
	}
	p.totals = true
}

// setNoTotals records that totals are unknown, and why: only the rate is shown.
func (p *progress) setNoTotals(why string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.totals, p.noTotals = false, why
}

// report is the Syncer's progress callback.
func (p *progress) report(pr crmlink.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.syncStart.IsZero() {
		p.syncStart = p.now().Add(-pr.Elapsed)
	}
	if p.current != "" && p.current != pr.Object && !p.terminal {
		p.logObject(p.current) // the object before is done: its final counts
	}
	p.current = pr.Object
	o := p.objects[pr.Object]
	if o == nil {
		o = &objectProgress{}
		p.objects[pr.Object] = o
	}
	o.stats, o.batches, o.seen = pr.Stats, pr.Batches, true
	if p.terminal && p.now().Sub(p.drawn) >= redrawEvery {
		p.draw()
	}
}

// finish stops the timer and ends the output: the terminal line is drawn a last time and
// closed; the log gets the final counts of the last object synced. Calls after the first do
// nothing.
func (p *progress) finish() { p.finished.Do(p.end) }

func (p *progress) end() {
	close(p.stop)
	<-p.done
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.terminal {
		if p.lineOpen {
			p.draw()
			fmt.Fprintln(p.w)
			p.lineOpen = false
		}
		return
	}
	if p.current != "" {
		p.logObject(p.current)
	}
}

// rate returns the records read per second since the sync began, and the records read.
func (p *progress) rate() (perSecond float64, read int) {
	for _, o := range p.objects {
		read += o.stats.Read
	}
	if p.syncStart.IsZero() {
		return 0, read
	}
	if s := p.now().Sub(p.syncStart).Seconds(); s > 0 {
		perSecond = float64(read) / s
	}
	return perSecond, read
}

// left returns the time left, ok false when it is not known.
func (p *progress) left() (time.Duration, bool) {
	rate, read := p.rate()
	if !p.totals || rate <= 0 {
		return 0, false
	}
	total := 0
	for _, o := range p.objects {
		total += max(o.total, o.stats.Read)
	}
	return time.Duration(float64(total-read) / rate * float64(time.Second)), true
}

// draw rewrites the terminal line: the phase, then per object the records read (of the
// total), the rate and the time left.
func (p *progress) draw() {
	var b strings.Builder
	b.WriteString("\r\033[K")
	if p.syncStart.IsZero() {
		fmt.Fprintf(&b, "%s... %s", p.phase, p.now().Sub(p.phaseAt).Round(time.Second))
	} else {
		for i, obj := range syncedObjects {
			o := p.objects[obj]
			if i > 0 {
				b.WriteString("  ")
			}
			fmt.Fprintf(&b, "%ss %d", obj, o.stats.Read)
			if p.totals {
				fmt.Fprintf(&b, "/%d", max(o.total, o.stats.Read))
			}
		}
		rate, _ := p.rate()
		fmt.Fprintf(&b, " | %.0f/s", rate)
		if d, ok := p.left(); ok {
			fmt.Fprintf(&b, " | %s left", d.Round(time.Second))
		} else if p.noTotals != "" {
			fmt.Fprintf(&b, " | time left unknown (%s)", p.noTotals)
		}
	}
	io.WriteString(p.w, b.String())
	p.drawn, p.lineOpen = p.now(), true
}

// logState writes the periodic log line: the phase and, while syncing, the current object.
func (p *progress) logState() {
	if p.syncStart.IsZero() || p.current == "" {
		p.log.Info("sync progress", "phase", p.phase, "elapsed", p.now().Sub(p.phaseAt).Round(time.Second).String())
		return
	}
	p.logObject(p.current)
}

// logObject writes a log line with obj's counts, the rate and the time left.
func (p *progress) logObject(obj override.Object) {
	o := p.objects[obj]
	rate, _ := p.rate()
	attrs := []any{"phase", "syncing", "object", string(obj), "read", o.stats.Read}
	if p.totals {
		attrs = append(attrs, "total", max(o.total, o.stats.Read))
	}
	attrs = append(attrs, "matched", o.stats.Matched, "written", o.stats.Written, "batches", o.batches,
		"per_second", int(rate))
	if d, ok := p.left(); ok {
		attrs = append(attrs, "left", d.Round(time.Second).String())
	} else if p.noTotals != "" {
		attrs = append(attrs, "left", "unknown: "+p.noTotals)
	}
	p.log.Info("sync progress", attrs...)
}
