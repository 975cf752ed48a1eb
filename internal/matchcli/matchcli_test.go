package matchcli_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/internal/matchcli"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// run runs the command and returns its exit status, stdout and stderr.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := matchcli.Main(t.Context(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// line is one output line.
type line struct {
	QueryID    string `json:"query_id"`
	Decision   string `json:"decision"`
	Candidates []struct {
		ID    string  `json:"id"`
		Score float64 `json:"score"`
	} `json:"candidates"`
}

func parseLines(t *testing.T, out string) []line {
	t.Helper()
	var ls []line
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var l line
		require.NoError(t, json.Unmarshal(sc.Bytes(), &l), "line %q", sc.Text())
		require.NotNil(t, l.Candidates, "candidates is [] not null: %q", sc.Text())
		ls = append(ls, l)
	}
	return ls
}

func TestGolden(t *testing.T) {
	tests := []struct {
		name, kind, dir, queries string
		k                        string
		// top is the expected best candidate per query ID ("" for no candidate
		// above the decision none): robust to score tuning, unlike the golden.
		top map[string]string
	}{
		{"company", "company", "companies.csv", "company_queries.csv", "3",
			map[string]string{"q1": "c1", "q2": "c2", "q3": "c4", "q4": "c5", "q6": "c8", "q10": "c12"}},
		{"member", "member", "members.csv", "member_queries.csv", "3",
			map[string]string{"q1": "m1", "q3": "m4", "q4": "m5", "q6": "m7", "q7": "m10", "q10": "m9"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := run(t, "-kind", tc.kind, "-directory", filepath.Join("testdata", tc.dir),
				"-queries", filepath.Join("testdata", tc.queries), "-k", tc.k)
			require.Equal(t, matchcli.ExitOK, code, stderr)
			assert.Empty(t, stderr)
			golden := filepath.Join("testdata", tc.name+".golden.jsonl")
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(out), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err)
			assert.Equal(t, string(want), out, "output differs from %s (go test -update after a deliberate engine change)", golden)

			ls := parseLines(t, out)
			qs, err := os.ReadFile(filepath.Join("testdata", tc.queries))
			require.NoError(t, err)
			assert.Len(t, ls, strings.Count(string(qs), "\n")-1, "one line per query")
			for i, l := range ls {
				assert.LessOrEqual(t, len(l.Candidates), 3, l.QueryID)
				for j, c := range l.Candidates {
					assert.GreaterOrEqual(t, c.Score, 0.0)
					assert.LessOrEqual(t, c.Score, 1.0)
					if j > 0 {
						prev := l.Candidates[j-1]
						assert.True(t, prev.Score > c.Score || prev.Score == c.Score && prev.ID < c.ID,
							"%s: candidates best first, ties by id", l.QueryID)
					}
				}
				if want, ok := tc.top[l.QueryID]; ok {
					require.NotEmpty(t, l.Candidates, l.QueryID)
					assert.Equal(t, want, l.Candidates[0].ID, "query %s (line %d)", l.QueryID, i+2)
				}
			}
		})
	}
}

func TestOutputDetails(t *testing.T) {
	code, out, stderr := run(t, "-kind", "company", "-directory", "testdata/companies.csv",
		"-queries", "testdata/company_queries.csv", "-k", "1")
	require.Equal(t, matchcli.ExitOK, code, stderr)
	ls := parseLines(t, out)
	require.Len(t, ls, 11)
	for _, l := range ls {
		assert.LessOrEqual(t, len(l.Candidates), 1)
	}
	assert.Equal(t, "q9", ls[8].QueryID)
	assert.Equal(t, "none", ls[8].Decision, "empty query")
	assert.Empty(t, ls[8].Candidates)
	assert.Equal(t, `q"11`, ls[10].QueryID, "id escaped in JSON")
	assert.Contains(t, out, `{"query_id":"q9","decision":"none","candidates":[]}`+"\n")
}

func TestStats(t *testing.T) {
	code, out, stderr := run(t, "-kind", "member", "-directory", "testdata/members.csv",
		"-queries", "testdata/member_queries.csv", "-stats")
	require.Equal(t, matchcli.ExitOK, code, stderr)
	assert.Len(t, parseLines(t, out), 10)
	var names []string
	for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
		name, value, ok := strings.Cut(l, ": ")
		require.True(t, ok, l)
		assert.NotEmpty(t, value, name)
		names = append(names, name)
	}
	assert.Equal(t, []string{"entities", "build", "heap_mib", "queries", "match", "queries_per_second", "p50", "p95", "p99"}, names)
	assert.Contains(t, stderr, "entities: 10\n")
	assert.Contains(t, stderr, "queries: 10\n")
	assert.NotContains(t, stderr, "@", "no record data")
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
		return p
	}
	goodDir := "testdata/companies.csv"
	goodQ := "testdata/company_queries.csv"
	noID := write("noid.csv", "name,website\nSecret Corp,secret.com\n")
	badUTF8 := write("utf8.csv", "id,name\nc1,A\nc2,Secr\xe9t\n")
	dup := write("dup.csv", "id,name\nc1,A\nc1,Secret\n")
	malformedQ := write("q.csv", "id,name\nq1,Acme\nq2,Blue Ridge\nq3,Sec\"ret\nq4,Acme\n")
	emptyID := write("qe.csv", "id,name\nq1,Acme\n,Secret\n")

	tests := []struct {
		name     string
		args     []string
		code     int
		stderr   []string // substrings
		stdoutQs []string // query IDs written before the error
	}{
		{"no flags", nil, matchcli.ExitBadInput, []string{"-kind"}, nil},
		{"bad kind", []string{"-kind", "lead", "-directory", goodDir, "-queries", goodQ}, matchcli.ExitBadInput, []string{"-kind"}, nil},
		{"bad k", []string{"-kind", "company", "-directory", goodDir, "-queries", goodQ, "-k", "0"}, matchcli.ExitBadInput, []string{"-k"}, nil},
		{"unknown flag", []string{"-kind", "company", "-nope"}, matchcli.ExitBadInput, []string{"nope"}, nil},
		{"missing directory", []string{"-kind", "company", "-directory", filepath.Join(dir, "none.csv"), "-queries", goodQ},
			matchcli.ExitBadInput, []string{"none.csv"}, nil},
		{"missing queries", []string{"-kind", "company", "-directory", goodDir, "-queries", filepath.Join(dir, "nq.csv")},
			matchcli.ExitBadInput, []string{"nq.csv"}, nil},
		{"no id column in directory", []string{"-kind", "company", "-directory", noID, "-queries", goodQ},
			matchcli.ExitBadInput, []string{"noid.csv:1", `"id"`}, nil},
		{"no id column in queries", []string{"-kind", "company", "-directory", goodDir, "-queries", noID},
			matchcli.ExitBadInput, []string{"noid.csv:1", `"id"`}, nil},
		{"invalid UTF-8", []string{"-kind", "company", "-directory", badUTF8, "-queries", goodQ},
			matchcli.ExitBadInput, []string{"utf8.csv:3", "UTF-8"}, nil},
		{"duplicate id", []string{"-kind", "company", "-directory", dup, "-queries", goodQ},
			matchcli.ExitBadInput, []string{"dup.csv:3", "duplicate"}, nil},
		{"member directory without id", []string{"-kind", "member", "-directory", noID, "-queries", goodQ},
			matchcli.ExitBadInput, []string{"noid.csv:1"}, nil},
		{"malformed query line", []string{"-kind", "company", "-directory", goodDir, "-queries", malformedQ},
			matchcli.ExitBadInput, []string{"q.csv:4", "malformed"}, []string{"q1", "q2"}},
		{"empty query id", []string{"-kind", "company", "-directory", goodDir, "-queries", emptyID},
			matchcli.ExitBadInput, []string{"qe.csv:3", `"id"`}, []string{"q1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := run(t, tc.args...)
			assert.Equal(t, tc.code, code, stderr)
			for _, s := range tc.stderr {
				assert.Contains(t, stderr, s)
			}
			assert.NotContains(t, stderr, "Secret")
			assert.NotContains(t, stderr, "secret")
			var ids []string
			for _, l := range parseLines(t, out) {
				ids = append(ids, l.QueryID)
			}
			assert.Equal(t, tc.stdoutQs, ids, "complete lines for the queries before the bad one, nothing after")
			assert.True(t, out == "" || strings.HasSuffix(out, "\n"), "no half-written line")
		})
	}
}

func TestFormatScore(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0.97, "0.97"}, {1, "1"}, {0, "0"}, {0.123456, "0.1235"}, {0.99999, "1"}, {0.5, "0.5"}, {0.00004, "0"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, matchcli.FormatScore(tc.in), "FormatScore(%v)", tc.in)
	}
}
