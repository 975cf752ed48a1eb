// Package chart draws the pictures of the admin reports on the server with gonum/plot: the score
// histogram and the linked share per object of a [report.Match], and the ROI per month of a
// [report.ROI]. Nothing is fetched at run time: the fonts are compiled in.
//
// Each function writes one image in the chosen [Format] to w.
//
// # Concurrency
//
// The functions hold no state and are safe for concurrent use.
package chart

import (
	"fmt"
	"image/color"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/crmlink/crmlink/report"
)

// Format is an image format.
type Format string

// The image formats.
const (
	SVG Format = "svg"
	PNG Format = "png"
)

// Size is the size of every chart.
const (
	Width  = 16 * vg.Centimeter
	Height = 9 * vg.Centimeter
)

// palette holds the colours of the series, in order.
var palette = [...]color.RGBA{
	{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff},
	{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff},
	{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff},
	{R: 0xd6, G: 0x27, B: 0x28, A: 0xff},
	{R: 0x94, G: 0x67, B: 0xbd, A: 0xff},
	{R: 0x8c, G: 0x56, B: 0x4b, A: 0xff},
}

// ScoreHistogram draws the best-candidate score histogram of every object of m as grouped bars.
func ScoreHistogram(w io.Writer, m *report.Match, f Format) error {
	p := plot.New()
	p.Title.Text = "Match scores"
	p.X.Label.Text = "best candidate score"
	p.Y.Label.Text = "records"
	objs := m.SortedObjects()
	width := vg.Points(24 / float64(max(len(objs), 1)))
	for i, om := range objs {
		vals := make(plotter.Values, report.Bins)
		for b, n := range om.Scores {
			vals[b] = float64(n)
		}
		bars, err := plotter.NewBarChart(vals, width)
		if err != nil {
			return fmt.Errorf("chart: score histogram of %s: %w", om.Object, err)
		}
		bars.Color = palette[i%len(palette)]
		bars.LineStyle.Width = 0
		bars.Offset = vg.Length(float64(i)-float64(len(objs)-1)/2) * width
		p.Add(bars)
		p.Legend.Add(string(om.Object), bars)
	}
	names := make([]string, report.Bins)
	for b := range names {
		names[b] = fmt.Sprintf("%.1f", float64(b)/report.Bins)
	}
	p.NominalX(names...)
	p.Legend.Top = true
	return write(w, p, f, "score histogram")
}

// LinkedShare draws, per object, the share of the considered records (read, less those filtered
// out or invalid) linked via a manual or a sync mapping, rejected, ambiguous and matching none, as
// stacked bars summing to 1.
func LinkedShare(w io.Writer, m *report.Match, f Format) error {
	p := plot.New()
	p.Title.Text = "Outcome share per object"
	p.Y.Label.Text = "share of records considered"
	objs := m.SortedObjects()
	series := []struct {
		name string
		get  func(report.Counts) int
	}{
		{"manual", func(c report.Counts) int { return c.Manual }},
		{"sync", func(c report.Counts) int { return c.Sync }},
		{"rejected", func(c report.Counts) int { return c.Rejected }},
		{"ambiguous", func(c report.Counts) int { return c.Ambiguous }},
		{"none", func(c report.Counts) int { return c.None }},
	}
	var below *plotter.BarChart
	for i, s := range series {
		vals := make(plotter.Values, len(objs))
		for j, om := range objs {
			if n := om.Counts.Considered(); n > 0 {
				vals[j] = float64(s.get(om.Counts)) / float64(n)
			}
		}
		bars, err := plotter.NewBarChart(vals, vg.Points(40))
		if err != nil {
			return fmt.Errorf("chart: linked share %s: %w", s.name, err)
		}
		bars.Color = palette[i%len(palette)]
		bars.LineStyle.Width = 0
		if below != nil {
			bars.StackOn(below)
		}
		below = bars
		p.Add(bars)
		p.Legend.Add(s.name, bars)
	}
	names := make([]string, len(objs))
	for j, om := range objs {
		names[j] = string(om.Object)
	}
	p.NominalX(names...)
	p.Y.Min, p.Y.Max = 0, 1
	p.Legend.Top = true
	return write(w, p, f, "linked share")
}

// ROIPerMonth draws, per month of close date, the won revenue and the open pipeline of the
// opportunities with and without a written-back activity, as grouped bars.
func ROIPerMonth(w io.Writer, r *report.ROI, f Format) error {
	p := plot.New()
	p.Title.Text = "Influenced revenue per month (stage " + r.Stage + ")"
	p.Y.Label.Text = "amount"
	series := []struct {
		name string
		get  func(report.Month) float64
	}{
		{"won, influenced", func(m report.Month) float64 { return m.Influenced.WonRevenue }},
		{"won, not influenced", func(m report.Month) float64 { return m.NotInfluenced.WonRevenue }},
		{"pipeline, influenced", func(m report.Month) float64 { return m.Influenced.Pipeline }},
		{"pipeline, not influenced", func(m report.Month) float64 { return m.NotInfluenced.Pipeline }},
	}
	width := vg.Points(10)
	if len(r.Months) > 0 {
		for i, s := range series {
			vals := make(plotter.Values, len(r.Months))
			for j, m := range r.Months {
				vals[j] = s.get(m)
			}
			bars, err := plotter.NewBarChart(vals, width)
			if err != nil {
				return fmt.Errorf("chart: ROI per month %s: %w", s.name, err)
			}
			bars.Color = palette[i%len(palette)]
			bars.LineStyle.Width = 0
			bars.Offset = vg.Length(float64(i)-float64(len(series)-1)/2) * width
			p.Add(bars)
			p.Legend.Add(s.name, bars)
		}
	}
	if len(r.Months) == 0 {
		p.Title.Text += ": no opportunities"
		return write(w, p, f, "ROI per month")
	}
	names := make([]string, len(r.Months))
	for j, m := range r.Months {
		names[j] = m.Month
	}
	p.NominalX(names...)
	p.Legend.Top = true
	return write(w, p, f, "ROI per month")
}

// headroom makes room above the bars for the legend, and on both sides for the outer bars of a
// group.
func headroom(p *plot.Plot) {
	p.Legend.TextStyle.Font.Size = vg.Points(8)
	p.Y.Min = 0
	p.Y.Max = max(p.Y.Max, 1) * 1.3
	p.X.Min -= 0.25
	p.X.Max += 0.25
}

func write(w io.Writer, p *plot.Plot, f Format, what string) error {
	switch f {
	case SVG, PNG:
	default:
		return fmt.Errorf("chart: %s: unknown format %q (want svg or png)", what, f)
	}
	headroom(p)
	wt, err := p.WriterTo(Width, Height, string(f))
	if err != nil {
		return fmt.Errorf("chart: %s: %w", what, err)
	}
	if _, err := wt.WriteTo(w); err != nil {
		return fmt.Errorf("chart: %s: write: %w", what, err)
	}
	return nil
}
