package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/privacy"
)

// progressView shows a sync's progress: on a terminal one bar per object (records, rate, and
// the time left when the total is known), otherwise a structured log line at most every
// `every` and the last one of each object.
type progressView struct {
	w        io.Writer
	terminal bool
	totals   map[override.Object]int // records per object, when known
	every    time.Duration

	bar    *progressbar.ProgressBar
	object override.Object

	log     *slog.Logger
	last    time.Time
	pending *crmlink.Progress
}

func newProgressView(w io.Writer, totals map[override.Object]int, every time.Duration) *progressView {
	p := &progressView{w: w, totals: totals, every: every}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.terminal = true
	}
	p.log = slog.New(privacy.NewHandler(slog.NewTextHandler(w, nil)))
	return p
}

// total returns the records of pr's object in the export, or -1 when unknown: also when the
// object's sync resumed an interrupted one (its counts start at the checkpoint).
func (p *progressView) total(pr crmlink.Progress) int64 {
	if n, ok := p.totals[pr.Object]; ok && !pr.Resumed {
		return int64(n)
	}
	return -1
}

func (p *progressView) report(pr crmlink.Progress) {
	if p.terminal {
		if p.bar == nil || p.object != pr.Object {
			p.finishBar()
			p.object = pr.Object
			// The bar shows the count and the share; the rate and the time left come from the
			// Syncer's own clock (the bar starts with the first batch, so its rate would not).
			p.bar = progressbar.NewOptions64(p.total(pr),
				progressbar.OptionSetWriter(p.w),
				progressbar.OptionShowCount(),
				progressbar.OptionSetElapsedTime(false),
				progressbar.OptionSetPredictTime(false),
				progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionSetWidth(30),
			)
		}
		p.bar.Describe(p.describe(pr))
		_ = p.bar.Set(pr.Stats.Read)
		return
	}
	if p.pending != nil && p.pending.Object != pr.Object {
		p.logged(*p.pending) // the last report of the object before
	}
	if now := time.Now(); now.Sub(p.last) >= p.every {
		p.last = now
		p.logged(pr)
		return
	}
	p.pending = &pr
}

// rate returns the records read per second so far, and the time left when the total is known
// (else -1).
func (p *progressView) rate(pr crmlink.Progress) (float64, time.Duration) {
	rate := 0.0
	if s := pr.Elapsed.Seconds(); s > 0 {
		rate = float64(pr.Stats.Read) / s
	}
	left := time.Duration(-1)
	if total := p.total(pr); total >= 0 && rate > 0 {
		left = 0
		if rest := total - int64(pr.Stats.Read); rest > 0 {
			left = time.Duration(float64(rest) / rate * float64(time.Second)).Round(time.Second)
		}
	}
	return rate, left
}

// describe is the text before the bar: the object, the rate, the time left when known.
func (p *progressView) describe(pr crmlink.Progress) string {
	rate, left := p.rate(pr)
	d := fmt.Sprintf("%-8s %6.0f records/s", string(pr.Object)+"s", rate)
	if left >= 0 {
		d += fmt.Sprintf(", %s left", left)
	}
	return d
}

func (p *progressView) finishBar() {
	if p.bar != nil {
		_ = p.bar.Finish()
		fmt.Fprintln(p.w)
		p.bar = nil
	}
}

// logged writes the log line of pr.
func (p *progressView) logged(pr crmlink.Progress) {
	p.pending = nil
	rate, left := p.rate(pr)
	attrs := []any{"object", string(pr.Object), "read", pr.Stats.Read, "per_second", int(rate),
		"matched", pr.Stats.Matched, "written", pr.Stats.Written, "batches", pr.Batches}
	if pr.Resumed {
		attrs = append(attrs, "resumed", true)
	}
	if total := p.total(pr); total >= 0 {
		attrs = append(attrs, "total", total)
		if left >= 0 {
			attrs = append(attrs, "left", left.String())
		}
	}
	p.log.Info("sync progress", attrs...)
}

// done ends the output: the bar is closed, and the last report not logged yet is logged.
func (p *progressView) done() {
	if p.terminal {
		p.finishBar()
		return
	}
	if p.pending != nil {
		p.logged(*p.pending)
	}
}
