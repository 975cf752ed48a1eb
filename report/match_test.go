package report_test

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/report"
)

func sampleMatch(t *testing.T) report.Match {
	t.Helper()
	b := report.NewMatchBuilder("00D1", day("2026-03-01"))
	b.MaxIDs = 1
	b.AddCount(report.Account, report.Filtered, 3)
	b.Add(report.Account, "001A", report.Sync, 0.97)
	b.Add(report.Account, "001B", report.Sync, 1)
	b.Add(report.Account, "001C", report.Manual, 0.42)
	b.Add(report.Account, "001D", report.Ambiguous, 0.71)
	b.Add(report.Account, "001E", report.None, 0.05)
	b.Add(report.Account, "001F", report.None, 0.1)
	b.Add(report.Account, "001G", report.Invalid, math.NaN())
	b.Add(report.Contact, "003A", report.Rejected, 0.93)
	b.Add(report.Contact, "003B", report.Sync, 0.88)
	return b.Finish(day("2026-03-01").Add(time.Minute))
}

func TestMatchBuilder(t *testing.T) {
	m := sampleMatch(t)
	require.Len(t, m.Objects, 3)
	acc := m.Object(report.Account)
	assert.Equal(t, report.Counts{Read: 10, Filtered: 3, Invalid: 1, Manual: 1, Sync: 2, Ambiguous: 1, None: 2}, acc.Counts)
	assert.Equal(t, 3, acc.Counts.Linked())
	assert.Equal(t, 6, acc.Counts.Considered())
	assert.InDelta(t, 0.5, acc.Counts.LinkedShare(), 1e-12)
	// 0.97 and 1 in the last bin, 0.42 in bin 4, 0.71 in bin 7, 0.05 in bin 0, 0.1 in bin 1; NaN nowhere.
	assert.Equal(t, report.Histogram{1, 1, 0, 0, 1, 0, 0, 1, 0, 2}, acc.Scores)
	assert.Equal(t, map[string][]string{"ambiguous": {"001D"}, "none": {"001E"}}, acc.Review)
	assert.Equal(t, map[string]int{"none": 1}, acc.Omitted)

	con := m.Object(report.Contact)
	assert.Equal(t, report.Counts{Read: 2, Rejected: 1, Sync: 1}, con.Counts)
	assert.Equal(t, map[string][]string{"rejected": {"003A"}}, con.Review)
	assert.Equal(t, report.Counts{}, m.Object(report.Lead).Counts)
	assert.Equal(t, report.Counts{Read: 12, Filtered: 3, Invalid: 1, Manual: 1, Sync: 3, Rejected: 1, Ambiguous: 1, None: 2}, m.Total())
}

func TestMatchCompareAndCSV(t *testing.T) {
	prev := report.NewMatchBuilder("00D1", day("2026-02-01"))
	prev.Add(report.Account, "001A", report.Sync, 0.97)
	prev.Add(report.Account, "001D", report.None, 0.2)
	p := prev.Finish(day("2026-02-01"))
	m := sampleMatch(t)

	ch := m.Compare(&p)
	require.Len(t, ch, 3)
	assert.Equal(t, report.Account, ch[0].Object)
	assert.Equal(t, report.Counts{Read: 8, Filtered: 3, Invalid: 1, Manual: 1, Sync: 1, Ambiguous: 1, None: 1}, ch[0].Counts)
	assert.InDelta(t, 0.0, ch[0].LinkedShare, 1e-12, "account linked share 0.5 in both runs")
	assert.InDelta(t, 0.5, ch[1].LinkedShare, 1e-12)

	var buf bytes.Buffer
	require.NoError(t, m.WriteCSV(&buf, &p))
	assert.Equal(t, "object,read,filtered,invalid,manual,sync,rejected,ambiguous,none,linked,linked_share,change_read,change_linked,change_linked_share\n"+
		"account,10,3,1,1,2,0,1,2,3,0.5000,8,2,0.0000\n"+
		"contact,2,0,0,0,1,1,0,0,1,0.5000,2,1,0.5000\n"+
		"lead,0,0,0,0,0,0,0,0,0,0.0000,0,0,0.0000\n", buf.String())

	buf.Reset()
	require.NoError(t, m.WriteHistogramCSV(&buf))
	lines := bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n"))
	assert.Len(t, lines, 1+3*report.Bins)
	assert.Equal(t, "account,0.9,1.0,2", string(lines[10]))
}

func TestMatchJSONRoundTrip(t *testing.T) {
	m := sampleMatch(t)
	data, err := json.Marshal(m)
	require.NoError(t, err)
	var back report.Match
	require.NoError(t, json.Unmarshal(data, &back))
	assert.Equal(t, m.Objects, back.Objects)
	assert.True(t, m.Started.Equal(back.Started))
	assert.Contains(t, string(data), `"scores":[1,1,0,0,1,0,0,1,0,2]`)
}

func TestHistogramAdd(t *testing.T) {
	for _, tc := range []struct {
		name  string
		score float64
		bin   int
	}{
		{"zero", 0, 0}, {"just below a tenth", 0.0999, 0}, {"a tenth", 0.1, 1}, {"half", 0.5, 5},
		{"one", 1, 9}, {"above one", 1.5, 9}, {"negative", -0.2, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var h report.Histogram
			h.Add(tc.score)
			assert.Equal(t, 1, h[tc.bin], "Add(%v) = %v, want bin %d", tc.score, h, tc.bin)
			assert.Equal(t, 1, h.Total())
		})
	}
	var h report.Histogram
	h.Add(math.NaN())
	assert.Equal(t, 0, h.Total(), "Add(NaN)")
}
