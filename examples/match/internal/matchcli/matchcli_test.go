package matchcli_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/examples/match/internal/matchcli"
	"github.com/crmlink/crmlink/internal/synth"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
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

// scoreRE matches the scores of an output line, which move whenever the
// engine is tuned; the golden files pin everything else.
var scoreRE = regexp.MustCompile(`"score":[0-9.]+`)

// TestGolden pins the output format, byte for byte but for the scores, on
// clear-cut queries (exact websites, emails, names) whose decision and best
// candidate do not depend on tuning. Regenerate with go test -update.
func TestGolden(t *testing.T) {
	tests := []struct{ name, kind, dir, queries string }{
		{"company", "company", "companies.csv", "golden_company_queries.csv"},
		{"member", "member", "members.csv", "golden_member_queries.csv"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := run(t, "-kind", tc.kind, "-directory", filepath.Join("testdata", tc.dir),
				"-queries", filepath.Join("testdata", tc.queries), "-k", "1")
			require.Equal(t, matchcli.ExitOK, code, stderr)
			assert.Empty(t, stderr)
			got := scoreRE.ReplaceAllString(out, `"score":S`)
			golden := filepath.Join("testdata", tc.name+".golden.jsonl")
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err)
			assert.Equal(t, string(want), got, "output differs from %s", golden)
		})
	}
}

// TestRanking checks the lines of corrupted queries: one per query in input
// order, at most k candidates with scores in [0,1], best first,
// and the expected best candidate where the query says enough.
func TestRanking(t *testing.T) {
	tests := []struct {
		name, kind, dir, queries string
		top                      map[string]string // query ID -> expected best candidate
	}{
		{"company", "company", "companies.csv", "company_queries.csv",
			map[string]string{"q1": "c1", "q2": "c2", "q4": "c5", "q6": "c8", "q10": "c12"}},
		{"member", "member", "members.csv", "member_queries.csv",
			map[string]string{"q1": "m1", "q3": "m4", "q4": "m5", "q6": "m7", "q7": "m10", "q10": "m9"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := run(t, "-kind", tc.kind, "-directory", filepath.Join("testdata", tc.dir),
				"-queries", filepath.Join("testdata", tc.queries), "-k", "3")
			require.Equal(t, matchcli.ExitOK, code, stderr)
			ls := parseLines(t, out)
			qs, err := os.ReadFile(filepath.Join("testdata", tc.queries))
			require.NoError(t, err)
			require.Len(t, ls, strings.Count(string(qs), "\n")-1, "one line per query")
			for i, l := range ls {
				assert.Equal(t, "q", l.QueryID[:1], "line %d", i+1)
				assert.LessOrEqual(t, len(l.Candidates), 3, l.QueryID)
				for j, c := range l.Candidates {
					assert.GreaterOrEqual(t, c.Score, 0.0)
					assert.LessOrEqual(t, c.Score, 1.0)
					if j > 0 {
						prev := l.Candidates[j-1]
						assert.GreaterOrEqual(t, prev.Score, c.Score, "%s: candidates best first", l.QueryID)
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
	assert.Equal(t, []string{"entities", "build", "heap_mib", "queries", "match", "queries_per_second", "p50", "p95", "p99",
		"fit", "fit_queries", "fit_pairs", "fit_sampled_entities", "fit_iterations", "fit_converged", "fit_in_directory"}, names[:16])
	// The names' Good–Turing counts (the directory has both), then the levels.
	assert.Equal(t, []string{"fit_singleton", "fit_singleton"}, names[16:18])
	// The first name's chance agreement between people of one surname,
	// when the sample holds such pairs, then the levels.
	rest := names[18:]
	for len(rest) > 0 && (rest[0] == "fit_same_last_pairs" || rest[0] == "fit_same_last") {
		rest = rest[1:]
	}
	require.NotEmpty(t, rest)
	assert.Regexp(t, `fit_same_last: first_name/exact u=[0-9.e-]+ \(random pairs [0-9.e-]+\) bits=[-+][0-9.]+\n`, stderr)
	for _, n := range rest {
		assert.Equal(t, "fit_level", n)
	}
	assert.Regexp(t, `fit_singleton: first_name once=\d+ twice=\d+ count=[0-9.e-]+\n`, stderr)
	assert.Contains(t, stderr, "fit_level: first_name/exact m=")
	assert.Contains(t, stderr, "fit_queries: 9\n", "the empty query is not fitted on")
	assert.Contains(t, stderr, "entities: 10\n")
	assert.Contains(t, stderr, "queries: 10\n")
	assert.NotContains(t, stderr, "@", "no record data")

	// The values are real measurements in the promised notation.
	stats := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
		name, value, _ := strings.Cut(l, ": ")
		stats[name] = value
	}
	dur := func(name string) time.Duration {
		d, err := time.ParseDuration(stats[name])
		require.NoError(t, err, "%s: %q is not a Go duration", name, stats[name])
		assert.Positive(t, d, name)
		return d
	}
	dur("build")
	dur("match")
	p50, p95, p99 := dur("p50"), dur("p95"), dur("p99")
	assert.LessOrEqual(t, p50, p95)
	assert.LessOrEqual(t, p95, p99)
	for _, name := range []string{"heap_mib", "queries_per_second"} {
		n, err := strconv.Atoi(stats[name])
		require.NoError(t, err, "%s: %q is not an integer", name, stats[name])
		assert.GreaterOrEqual(t, n, 0, name)
	}
}

// failingWriter fails every write the way a full disk does for os.Stdout.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) {
	return 0, &os.PathError{Op: "write", Path: "/dev/stdout", Err: syscall.ENOSPC}
}

// TestOutputFailure checks that a failure to write the results is a failure
// (exit 1), not bad input (exit 2), although it is an *os.PathError.
func TestOutputFailure(t *testing.T) {
	var errb bytes.Buffer
	code := matchcli.Main(t.Context(), []string{"-kind", "company", "-directory", "testdata/companies.csv",
		"-queries", "testdata/company_queries.csv"}, failingWriter{}, &errb)
	assert.Equal(t, matchcli.ExitFailure, code, errb.String())
	assert.Contains(t, errb.String(), "write results")
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
	noIDMember := write("noid_member.csv", "first_name,last_name\nSecret,Person\n")
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
		{"member directory without id", []string{"-kind", "member", "-directory", noIDMember, "-queries", "testdata/member_queries.csv"},
			matchcli.ExitBadInput, []string{"noid_member.csv:1"}, nil},
		{"member directory for companies", []string{"-kind", "company", "-directory", "testdata/members.csv", "-queries", goodQ},
			matchcli.ExitBadInput, []string{"-directory testdata/members.csv looks like a member file", "swapped"}, nil},
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

func TestHelp(t *testing.T) {
	code, out, stderr := run(t, "-h")
	assert.Equal(t, matchcli.ExitOK, code)
	assert.Empty(t, out)
	assert.Contains(t, stderr, "usage: match -kind company|member")
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

// TestAgreesWithEngine runs the command on a synthetic world and checks every
// line against the engine called directly, one query at a time: same order,
// same decisions, same candidates.
func TestAgreesWithEngine(t *testing.T) {
	w := synth.New(synth.Options{Seed: 11, Companies: 3000, Members: 3000})
	dir := t.TempDir()
	writeFile := func(name string, write func(*os.File) error) string {
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		require.NoError(t, err)
		require.NoError(t, write(f))
		require.NoError(t, f.Close())
		return p
	}
	cq := w.CompanyQueries(600, synth.QueryOptions{Seed: 3, AbsentRate: 0.1})
	mq := w.MemberQueries(600, synth.QueryOptions{Seed: 3, AbsentRate: 0.1})
	cdir := writeFile("c.csv", func(f *os.File) error { return synth.WriteCompaniesCSV(f, w.Companies()) })
	mdir := writeFile("m.csv", func(f *os.File) error { return synth.WriteMembersCSV(f, w.Members()) })
	cqf := writeFile("cq.csv", func(f *os.File) error { return synth.WriteCompanyQueriesCSV(f, cq) })
	mqf := writeFile("mq.csv", func(f *os.File) error { return synth.WriteMemberQueriesCSV(f, mq) })

	ctx := t.Context()
	cd := memdir.New(memdir.WithVocabulary(matcher.KindCompany)) // as the command keeps a company directory
	for _, c := range w.Companies() {
		require.NoError(t, cd.AddCompany(matcher.Company{ID: c.ID, Name: c.Name, Industry: c.Industry, Location: c.Location, Website: c.Website}))
	}
	md := memdir.New()
	for _, m := range w.Members() {
		h, _ := matcher.HashEmail(m.Email)
		require.NoError(t, md.AddMember(matcher.Member{ID: m.ID, FirstName: m.FirstName, LastName: m.LastName,
			Company: m.Company, Title: m.Title, Location: m.Location, EmailHash: h}))
	}
	ce, err := matcher.New(cd, matcher.WithLimit(5))
	require.NoError(t, err)
	me, err := matcher.New(md, matcher.WithLimit(5))
	require.NoError(t, err)
	// The command fits the model on its batch before matching: so does
	// the engine it is compared with.
	var cqs []matcher.CompanyQuery
	for _, q := range cq {
		cqs = append(cqs, matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website})
	}
	_, err = ce.FitCompanies(ctx, cqs, nil)
	require.NoError(t, err)
	var mqs []matcher.MemberQuery
	for _, q := range mq {
		mqs = append(mqs, matcher.MemberQuery{FirstName: q.FirstName, LastName: q.LastName, Company: q.Company,
			Title: q.Title, Email: q.Email, Location: q.Location})
	}
	_, err = me.FitMembers(ctx, mqs, nil)
	require.NoError(t, err)

	tests := []struct {
		name, kind, dir, queries string
		n                        int
		direct                   func(i int) (matcher.Result, error)
		id                       func(i int) string
	}{
		{"company", "company", cdir, cqf, len(cq), func(i int) (matcher.Result, error) {
			q := cq[i]
			return ce.MatchCompany(ctx, matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website})
		}, func(i int) string { return cq[i].ID }},
		{"member", "member", mdir, mqf, len(mq), func(i int) (matcher.Result, error) {
			q := mq[i]
			return me.MatchMember(ctx, matcher.MemberQuery{FirstName: q.FirstName, LastName: q.LastName, Company: q.Company,
				Title: q.Title, Email: q.Email, Location: q.Location})
		}, func(i int) string { return mq[i].ID }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := run(t, "-kind", tc.kind, "-directory", tc.dir, "-queries", tc.queries, "-k", "5")
			require.Equal(t, matchcli.ExitOK, code, stderr)
			ls := parseLines(t, out)
			require.Len(t, ls, tc.n)
			for i, l := range ls {
				res, err := tc.direct(i)
				if err != nil {
					require.ErrorIs(t, err, matcher.ErrEmptyQuery)
				}
				assert.Equal(t, tc.id(i), l.QueryID, "line %d", i+1)
				assert.Equal(t, res.Decision.String(), l.Decision, "query %s", l.QueryID)
				require.Len(t, l.Candidates, len(res.Candidates), "query %s", l.QueryID)
				for j, c := range res.Candidates {
					assert.InDelta(t, c.Score, l.Candidates[j].Score, 0.00005+1e-9, "query %s candidate %d", l.QueryID, j)
				}
				if len(res.Candidates) > 0 && len(l.Candidates) > 0 && res.Candidates[0].Score-0.0001 > res.Candidates[min(1, len(res.Candidates)-1)].Score {
					assert.Equal(t, res.Candidates[0].Entity.ID, l.Candidates[0].ID, "query %s best", l.QueryID)
				}
			}
		})
	}
}

func TestCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var out, errb bytes.Buffer
	code := matchcli.Main(ctx, []string{"-kind", "company", "-directory", "testdata/companies.csv",
		"-queries", "testdata/company_queries.csv"}, &out, &errb)
	assert.Equal(t, matchcli.ExitFailure, code)
	assert.Contains(t, errb.String(), context.Canceled.Error())
	assert.Empty(t, out.String())
}

// TestCanceledBeforeMatching cancels the context once the directory is
// loaded, so that the batch stops before reading any query: the command
// fails cleanly, without a panic or a partial line.
func TestCanceledBeforeMatching(t *testing.T) {
	ctx := &cancelAfter{Context: t.Context(), n: 1, done: make(chan struct{})}
	var out, errb bytes.Buffer
	code := matchcli.Main(ctx, []string{"-kind", "company", "-directory", "testdata/companies.csv",
		"-queries", "testdata/company_queries.csv"}, &out, &errb)
	assert.Equal(t, matchcli.ExitFailure, code, errb.String())
	assert.Contains(t, errb.String(), context.Canceled.Error())
	assert.Empty(t, out.String())
}

// cancelAfter is a context that is cancelled once Err has been called n times.
type cancelAfter struct {
	context.Context
	mu   sync.Mutex
	n    int
	done chan struct{}
}

func (c *cancelAfter) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n > 0 {
		c.n--
		return nil
	}
	select {
	case <-c.done:
	default:
		close(c.done)
	}
	return context.Canceled
}

func (c *cancelAfter) Done() <-chan struct{} { return c.done }

// TestVocabulary checks that a company directory keeps its names' words, so
// that a name with two typos ("Hlavorsne": two letters swapped twice) finds
// its company, which no key of the name reaches, and that -vocab=false
// leaves the words out.
func TestVocabulary(t *testing.T) {
	dir := t.TempDir()
	d := filepath.Join(dir, "d.csv")
	q := filepath.Join(dir, "q.csv")
	require.NoError(t, os.WriteFile(d, []byte("id,name\nc0,Halvorsen\nc1,Northwind Traders\nc2,Contoso\n"), 0o600))
	require.NoError(t, os.WriteFile(q, []byte("id,name\nq1,Hlavorsne\n"), 0o600))
	best := func(args ...string) string {
		code, out, stderr := run(t, append([]string{"-kind", "company", "-directory", d, "-queries", q}, args...)...)
		require.Equal(t, matchcli.ExitOK, code, stderr)
		ls := parseLines(t, out)
		require.Len(t, ls, 1)
		if len(ls[0].Candidates) == 0 {
			return ""
		}
		return ls[0].Candidates[0].ID
	}
	assert.Equal(t, "c0", best(), "with the vocabulary")
	assert.Empty(t, best("-vocab=false"), "without it")
}
