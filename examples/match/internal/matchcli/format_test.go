package matchcli

import (
	"encoding/json"
	"strconv"
	"testing"
	"unicode/utf8"

	"github.com/crmlink/crmlink/matcher"
)

// FuzzAppendResult checks that any query and entity ID (valid UTF-8, as the
// CSV reader guarantees) and any score give one valid JSON line that reads
// back to the same values, candidates in the engine's order.
func FuzzAppendResult(f *testing.F) {
	f.Add("q1", "c9", 0.97)
	f.Add(`q"1\`, "c\n\t\x00\x7f", 1.0)
	f.Add("ключ", "\u2028", 0.00004)
	f.Fuzz(func(t *testing.T, qid, cid string, score float64) {
		if !utf8.ValidString(qid) || !utf8.ValidString(cid) || !(score >= 0 && score <= 1) {
			t.Skip()
		}
		res := matcher.Result{Decision: matcher.Match, Candidates: []matcher.Candidate{
			{Entity: matcher.EntityRef{Kind: matcher.KindCompany, ID: cid}, Score: score},
			{Entity: matcher.EntityRef{Kind: matcher.KindCompany, ID: "z"}, Score: score},
		}}
		b := appendResult(nil, qid, res)
		if len(b) == 0 || b[len(b)-1] != '\n' {
			t.Fatalf("appendResult = %q: want one line", b)
		}
		var got struct {
			QueryID    string `json:"query_id"`
			Decision   string `json:"decision"`
			Candidates []struct {
				ID    string  `json:"id"`
				Score float64 `json:"score"`
			} `json:"candidates"`
		}
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("appendResult = %q: %v", b, err)
		}
		want, _ := strconv.ParseFloat(FormatScore(score), 64)
		if got.QueryID != qid || got.Decision != "match" || len(got.Candidates) != 2 || got.Candidates[0].Score != want {
			t.Fatalf("appendResult(%q, %q, %v) reads back as %+v", qid, cid, score, got)
		}
		if a, b := got.Candidates[0].ID, got.Candidates[1].ID; a != cid || b != "z" {
			t.Fatalf("candidates %q, %q: want the engine's order %q, %q", a, b, cid, "z")
		}
	})
}
