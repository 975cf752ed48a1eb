package chart_test

import (
	"bytes"
	"encoding/xml"
	"flag"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/report"
	"github.com/crmlink/crmlink/report/chart"
)

var updateDocs = flag.Bool("update-docs", false, "write the charts of the README to docs/images")

func sampleMatch() *report.Match {
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	b := report.NewMatchBuilder("00D1", start)
	outcomes := []report.Outcome{report.Sync, report.Sync, report.Sync, report.Manual, report.Ambiguous, report.None, report.Rejected}
	for i := range 300 {
		for j, o := range []report.Object{report.Account, report.Contact, report.Lead} {
			out := outcomes[(i*(j+1))%len(outcomes)]
			score := math.Mod(float64(i)*0.618+float64(j)*0.1, 1)
			switch out {
			case report.Sync, report.Manual, report.Rejected:
				score = 0.8 + score/5
			case report.None:
				score /= 2
			}
			b.Add(o, "r", out, score)
		}
	}
	b.AddCount(report.Account, report.Filtered, 40)
	m := b.Finish(start.Add(time.Minute))
	return &m
}

func sampleROI(t *testing.T) *report.ROI {
	t.Helper()
	month := func(m int) time.Time { return time.Date(2026, time.Month(m), 15, 0, 0, 0, 0, time.UTC) }
	var opps []report.Opportunity
	var acts []report.Activity
	stages := []string{"Closed Won", "Closed Lost", "Negotiation/Review", "Closed Won"}
	for i := range 48 {
		id := string(rune('A'+i%26)) + string(rune('a'+i/26))
		opps = append(opps, report.Opportunity{
			ID: "006" + id, AccountID: "001" + id, Stage: stages[i%len(stages)],
			Amount: float64(1000 * (1 + i%7)), CreatedAt: month(1+i%6).AddDate(0, -1, 0), CloseDate: month(1 + i%6),
		})
		if i%3 != 0 {
			acts = append(acts, report.Activity{Object: report.Account, ID: "001" + id, At: month(1).AddDate(0, -3, 0)})
		}
	}
	r, err := report.ComputeROI(report.ROIInput{
		Stages: []crm.OpportunityStage{
			{Name: "Prospecting", SortOrder: 1}, {Name: "Qualification", SortOrder: 2}, {Name: "Negotiation/Review", SortOrder: 3},
			{Name: "Closed Won", SortOrder: 4, IsClosed: true, IsWon: true}, {Name: "Closed Lost", SortOrder: 5, IsClosed: true},
		},
		Stage: "Qualification", Opportunities: opps, Activities: acts, AsOf: month(12),
	})
	require.NoError(t, err)
	require.NotEmpty(t, r.Months)
	return &r
}

func TestCharts(t *testing.T) {
	m := sampleMatch()
	r := sampleROI(t)
	charts := []struct {
		name string
		draw func(io.Writer, chart.Format) error
	}{
		{"score-histogram", func(w io.Writer, f chart.Format) error { return chart.ScoreHistogram(w, m, f) }},
		{"linked-share", func(w io.Writer, f chart.Format) error { return chart.LinkedShare(w, m, f) }},
		{"roi-per-month", func(w io.Writer, f chart.Format) error { return chart.ROIPerMonth(w, r, f) }},
	}
	for _, c := range charts {
		t.Run(c.name+"/png", func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, c.draw(&buf, chart.PNG))
			img, err := png.Decode(bytes.NewReader(buf.Bytes()))
			require.NoError(t, err, "png.Decode(%s)", c.name)
			b := img.Bounds()
			require.Positive(t, b.Dx())
			require.Positive(t, b.Dy())
			// Not blank: the bars paint pixels of the first series' colour.
			colours := map[[4]uint32]bool{}
			for y := b.Min.Y; y < b.Max.Y; y += 2 {
				for x := b.Min.X; x < b.Max.X; x += 2 {
					r, g, bl, a := img.At(x, y).RGBA()
					colours[[4]uint32{r, g, bl, a}] = true
				}
			}
			assert.Greater(t, len(colours), 4, "%s: distinct colours", c.name)
			if *updateDocs {
				require.NoError(t, os.WriteFile(filepath.Join("..", "..", "docs", "images", c.name+".png"), buf.Bytes(), 0o644))
			}
		})
		t.Run(c.name+"/svg", func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, c.draw(&buf, chart.SVG))
			root, paths := parseSVG(t, buf.Bytes())
			assert.Equal(t, "svg", root)
			assert.Greater(t, paths, 10, "%s: drawn elements", c.name)
			if *updateDocs {
				require.NoError(t, os.WriteFile(filepath.Join("..", "..", "docs", "images", c.name+".svg"), buf.Bytes(), 0o644))
			}
		})
	}
}

func TestChartsUnknownFormat(t *testing.T) {
	err := chart.ScoreHistogram(io.Discard, sampleMatch(), "gif")
	assert.ErrorContains(t, err, "unknown format")
}

func TestChartsEmptyReports(t *testing.T) {
	m := report.NewMatchBuilder("00D1", time.Time{}).Finish(time.Time{})
	var buf bytes.Buffer
	require.NoError(t, chart.LinkedShare(&buf, &m, chart.SVG))
	_, _ = parseSVG(t, buf.Bytes())
	buf.Reset()
	require.NoError(t, chart.ROIPerMonth(&buf, &report.ROI{Stage: "Qualification"}, chart.SVG))
	_, _ = parseSVG(t, buf.Bytes())
}

// parseSVG checks that data is well-formed XML and returns its root element's name and the
// number of path elements.
func parseSVG(t *testing.T, data []byte) (root string, paths int) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err, "SVG does not parse")
		if se, ok := tok.(xml.StartElement); ok {
			if root == "" {
				root = se.Name.Local
			}
			if se.Name.Local == "path" {
				paths++
			}
		}
	}
	return root, paths
}
