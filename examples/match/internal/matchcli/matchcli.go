package matchcli

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/crmlink/crmlink/internal/csvrec"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

// Exit statuses of [Main].
const (
	ExitOK       = 0 // every query matched
	ExitFailure  = 1 // an unexpected failure (I/O on stdout, matching error)
	ExitBadInput = 2 // bad flags or bad input files
)

// latencySample is how many queries -stats re-matches one at a time to
// measure latency percentiles.
const latencySample = 2000

// The query CSV columns (DESIGN.md); other columns are ignored.
var (
	companyQueryColumns = []string{"id", "name", "industry", "location", "website"}
	memberQueryColumns  = []string{"id", "first_name", "last_name", "company", "title", "email", "location"}
)

// config is the parsed command line.
type config struct {
	kind      matcher.Kind
	directory string
	queries   string
	k         int
	stats     bool
	fit       bool
	vocab     bool
}

// usageError is a bad command line (or -h).
type usageError struct {
	msg  string
	help bool
}

func (e usageError) Error() string { return e.msg }

// parseFlags parses args (without the program name).
func parseFlags(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("match", flag.ContinueOnError)
	fs.SetOutput(stderr)
	kind := fs.String("kind", "", "entity kind: company or member")
	var c config
	fs.StringVar(&c.directory, "directory", "", "directory CSV file")
	fs.StringVar(&c.queries, "queries", "", "queries CSV file")
	fs.IntVar(&c.k, "k", matcher.DefaultLimit, "candidates per query (at most)")
	fs.BoolVar(&c.stats, "stats", false, "print timing and memory statistics, and the fitted model, to stderr")
	fs.BoolVar(&c.fit, "fit", true, "fit the model to the directory and the whole batch of queries before matching (reads every query first)")
	fs.BoolVar(&c.vocab, "vocab", true, "company directories: keep the names' words and look up a query's unknown words one and two edits away, joined and split (memdir.WithVocabulary): finds more typos, slower; member directories ignore it")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: match -kind company|member -directory DIR.csv -queries Q.csv [-k 10] [-stats] [-fit=false] [-vocab=false]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return c, usageError{msg: err.Error(), help: errors.Is(err, flag.ErrHelp)}
	}
	switch {
	case fs.NArg() > 0:
		return c, usageError{msg: fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	case *kind == "company":
		c.kind = matcher.KindCompany
	case *kind == "member":
		c.kind = matcher.KindMember
	default:
		return c, usageError{msg: "-kind must be company or member"}
	}
	switch {
	case c.directory == "":
		return c, usageError{msg: "-directory is required"}
	case c.queries == "":
		return c, usageError{msg: "-queries is required"}
	case c.k < 1:
		return c, usageError{msg: "-k must be at least 1"}
	}
	return c, nil
}

// Main runs the match command with args (without the program name), writing
// results to stdout and diagnostics to stderr, and returns the exit status:
// [ExitOK], [ExitBadInput] for bad flags or input files (missing file, no id
// column, malformed CSV, invalid UTF-8; the message names the file and the
// line) or [ExitFailure]. Results of the queries before a bad query line are
// written; nothing is written for the bad line or after it.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if err != nil {
		var ue usageError
		if errors.As(err, &ue) && ue.help {
			return ExitOK // -h: the usage was asked for
		}
		fmt.Fprintln(stderr, "match:", err)
		return ExitBadInput
	}
	err = run(ctx, c, stdout, stderr)
	switch {
	case err == nil:
		return ExitOK
	case isBadInput(err):
		fmt.Fprintln(stderr, "match:", err)
		return ExitBadInput
	default:
		fmt.Fprintln(stderr, "match:", err)
		return ExitFailure
	}
}

// isBadInput reports whether err is the input's fault. A failure to write the
// results (a full disk, a closed pipe) is not, even when it is an
// *os.PathError.
func isBadInput(err error) bool {
	var oe outputError
	if errors.As(err, &oe) {
		return false
	}
	var pe *csvrec.ParseError
	var pathErr *os.PathError
	var ke kindError
	return errors.As(err, &pe) || errors.As(err, &pathErr) || errors.As(err, &ke)
}

// The header columns that tell the two schemas apart: the other columns (id, location) are
// in both.
var (
	companyOnlyColumns = []string{"name", "industry", "website"}
	memberOnlyColumns  = []string{"first_name", "last_name", "company", "title", "email"}
)

// kindError is a file whose header is that of the other kind of entity than -kind says.
type kindError struct{ msg string }

func (e kindError) Error() string { return e.msg }

// fileKind reads the header of the CSV file at path and tells which schema it has: the kind
// and the columns that show it, ok false if it cannot tell (a header with columns of both
// kinds or of neither, or a file it cannot read, which the reader reports).
func fileKind(path string) (kind matcher.Kind, shown []string, ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return 0, nil, false
	}
	defer f.Close()
	br := bufio.NewReader(f)
	if bom, err := br.Peek(3); err == nil && string(bom) == "\uFEFF" {
		_, _ = br.Discard(3)
	}
	header, err := csv.NewReader(br).Read()
	if err != nil {
		return 0, nil, false
	}
	has := func(cols []string) []string {
		var out []string
		for _, h := range header {
			h = strings.ToLower(strings.TrimSpace(h))
			if slices.Contains(cols, h) {
				out = append(out, h)
			}
		}
		return out
	}
	companyCols, memberCols := has(companyOnlyColumns), has(memberOnlyColumns)
	switch {
	case len(companyCols) > 0 && len(memberCols) == 0:
		return matcher.KindCompany, companyCols, true
	case len(memberCols) > 0 && len(companyCols) == 0:
		return matcher.KindMember, memberCols, true
	}
	return 0, nil, false
}

// checkKinds refuses a directory or queries file whose header is that of the other kind of
// entity than -kind: matching members against companies finds nothing, so every query would
// print none. The check reads the headers only.
func checkKinds(c config) error {
	other := matcher.KindMember
	if c.kind == matcher.KindMember {
		other = matcher.KindCompany
	}
	var wrong []string
	for _, f := range []struct{ flag, path string }{{"-directory", c.directory}, {"-queries", c.queries}} {
		if k, cols, ok := fileKind(f.path); ok && k == other {
			wrong = append(wrong, fmt.Sprintf("%s %s looks like a %s file (it has %s and none of %s)",
				f.flag, f.path, other, strings.Join(cols, ", "), strings.Join(columnsOf(c.kind), ", ")))
		}
	}
	switch len(wrong) {
	case 0:
		return nil
	case 2:
		return kindError{fmt.Sprintf("-kind %s, but both files look like %s files: %s; %s. Use -kind %s",
			c.kind, other, wrong[0], wrong[1], other)}
	}
	return kindError{fmt.Sprintf("-kind %s wants %s files, but %s. Are the %s and %s files swapped?",
		c.kind, c.kind, wrong[0], other, c.kind)}
}

// columnsOf returns the header columns only files of kind k have.
func columnsOf(k matcher.Kind) []string {
	if k == matcher.KindMember {
		return memberOnlyColumns
	}
	return companyOnlyColumns
}

// outputError is a failure to write the results to stdout.
type outputError struct{ err error }

func (e outputError) Error() string { return "write results: " + e.err.Error() }
func (e outputError) Unwrap() error { return e.err }

// run loads the directory, streams the queries through the engine and
// writes one JSON line per query.
func run(ctx context.Context, c config, stdout, stderr io.Writer) error {
	// Open both files and check the queries' header first: bad input fails
	// before a long directory build.
	qf, err := os.Open(c.queries)
	if err != nil {
		return err
	}
	defer qf.Close()
	cols := companyQueryColumns
	if c.kind == matcher.KindMember {
		cols = memberQueryColumns
	}
	qr, err := csvrec.NewReader(qf, c.queries, cols, "id")
	if err != nil {
		return err
	}
	df, err := os.Open(c.directory)
	if err != nil {
		return err
	}
	defer df.Close()
	if err := checkKinds(c); err != nil {
		return err
	}

	start := time.Now()
	var opts []memdir.Option
	if c.vocab {
		// Company names carry most typos a CRM holds, and the word look-ups
		// find the ones no deletion key reaches; on people (first and last
		// names, which deletion and nickname keys already cover) they
		// changed little and cost precision.
		opts = append(opts, memdir.WithVocabulary(matcher.KindCompany))
	}
	dir := memdir.New(opts...)
	var n int
	if c.kind == matcher.KindCompany {
		n, err = dir.LoadCompaniesCSV(ctx, df, c.directory)
	} else {
		n, err = dir.LoadMembersCSV(ctx, df, c.directory)
	}
	if err != nil {
		return err
	}
	build := time.Since(start)
	var heap uint64
	if c.stats {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		heap = ms.HeapAlloc
	}
	eng, err := matcher.New(dir, matcher.WithLimit(c.k))
	if err != nil {
		return err
	}

	src := &querySource{r: qr, kind: c.kind, keep: 0}
	if c.stats {
		src.keep = latencySample
	}
	companies, members := src.companies(), src.members()
	var fit *matcher.FitReport
	var fitTime time.Duration
	if c.fit {
		// Fitting needs the whole batch: read every query first (up to a
		// bad line, whose error is reported after the results before it).
		t := time.Now()
		if c.kind == matcher.KindCompany {
			qs := slices.Collect(companies)
			companies = slices.Values(qs)
			fit, err = eng.FitCompanies(ctx, qs, nil)
		} else {
			qs := slices.Collect(members)
			members = slices.Values(qs)
			fit, err = eng.FitMembers(ctx, qs, nil)
		}
		if err != nil {
			return fmt.Errorf("fit the model: %w", err)
		}
		fitTime = time.Since(t)
	}
	out := bufio.NewWriterSize(stdout, 64<<10)
	var line []byte
	start = time.Now()
	count := 0
	var matchErr error
	emit := func(res matcher.Result, err error) bool {
		if err != nil && ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			matchErr = err // cancelled: the batch stops, maybe before any query
			return false
		}
		id := src.pop()
		if err != nil && !errors.Is(err, matcher.ErrEmptyQuery) {
			matchErr = fmt.Errorf("query %q (%s line %d): %w", id.id, c.queries, id.line, err)
			return false
		}
		line = appendResult(line[:0], id.id, res)
		if _, err := out.Write(line); err != nil {
			matchErr = outputError{err}
			return false
		}
		count++
		return true
	}
	if c.kind == matcher.KindCompany {
		for res, err := range eng.MatchCompanies(ctx, companies) {
			if !emit(res, err) {
				break
			}
		}
	} else {
		for res, err := range eng.MatchMembers(ctx, members) {
			if !emit(res, err) {
				break
			}
		}
	}
	elapsed := time.Since(start)
	if err := out.Flush(); err != nil && matchErr == nil {
		matchErr = outputError{err}
	}
	if matchErr != nil {
		return matchErr
	}
	if err := src.error(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if c.stats {
		lat, err := latencies(ctx, eng, src)
		if err != nil {
			return err
		}
		qps := 0.0
		if elapsed > 0 {
			qps = float64(count) / elapsed.Seconds()
		}
		w := bufio.NewWriter(stderr)
		fmt.Fprintf(w, "entities: %d\n", n)
		fmt.Fprintf(w, "build: %v\n", roundDuration(build))
		fmt.Fprintf(w, "heap_mib: %d\n", heap>>20)
		fmt.Fprintf(w, "queries: %d\n", count)
		fmt.Fprintf(w, "match: %v\n", roundDuration(elapsed))
		fmt.Fprintf(w, "queries_per_second: %.0f\n", qps)
		for _, p := range []struct {
			name string
			q    float64
		}{{"p50", 0.50}, {"p95", 0.95}, {"p99", 0.99}} {
			fmt.Fprintf(w, "%s: %v\n", p.name, roundDuration(percentile(lat, p.q)))
		}
		if fit != nil {
			writeFit(w, fit, fitTime)
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// writeFit prints the fitted model: the batch it was fitted on, the prior
// probability that a query's entity is in the directory, and every level's
// M, U and the evidence it adds.
func writeFit(w io.Writer, r *matcher.FitReport, d time.Duration) {
	fmt.Fprintf(w, "fit: %v\n", roundDuration(d))
	fmt.Fprintf(w, "fit_queries: %d\n", r.Queries)
	fmt.Fprintf(w, "fit_pairs: %d\n", r.Pairs)
	fmt.Fprintf(w, "fit_sampled_entities: %d\n", r.SampledEntities)
	fmt.Fprintf(w, "fit_iterations: %d\n", r.Iterations)
	fmt.Fprintf(w, "fit_converged: %t\n", r.Converged)
	fmt.Fprintf(w, "fit_in_directory: %.4f\n", r.InDirectory)
	for _, s := range r.Singletons {
		fmt.Fprintf(w, "fit_singleton: %s once=%d twice=%d count=%.4g\n", s.Field, s.Once, s.Twice, s.Count)
	}
	for _, n := range r.NearNames {
		fmt.Fprintf(w, "fit_near_names: class=%d names=%d neighbors=%d scale=%.4g\n", n.Class, n.Names, n.Neighbors, n.Scale)
	}
	if r.SameLast.Pairs > 0 {
		fmt.Fprintf(w, "fit_same_last_pairs: %d\n", r.SameLast.Pairs)
	}
	for _, l := range r.SameLast.Levels {
		fmt.Fprintf(w, "fit_same_last: %s/%s u=%.4g (random pairs %.4g) bits=%+.2f\n",
			l.Field, l.Level, l.After.U, l.Before.U, l.After.Weight())
	}
	for _, l := range r.Levels {
		fmt.Fprintf(w, "fit_level: %s/%s m=%.4g (was %.4g) u=%.4g (was %.4g) bits=%+.2f expected=%.1f\n",
			l.Field, l.Level, l.After.M, l.Before.M, l.After.U, l.Before.U, l.After.Weight(), l.Expected)
	}
}

// queryID is a query's ID and line, queued between the reader and the writer.
type queryID struct {
	id   string
	line int
}

// querySource streams queries from a CSV and remembers, in input order, the
// IDs of the queries handed to the engine (the engine ranges over the
// sequence on another goroutine).
type querySource struct {
	r    *csvrec.Reader
	kind matcher.Kind
	keep int // how many queries to keep for latency measurement

	mu      sync.Mutex
	ids     []queryID // FIFO of queries handed out whose result is not written yet
	head    int
	err     error
	company []matcher.CompanyQuery // the first keep queries
	member  []matcher.MemberQuery
}

// next reads the next record and queues its ID; ok is false at the end or on error.
func (s *querySource) next() ([]string, bool) {
	rec, err := s.r.Read()
	if err != nil {
		if !errors.Is(err, io.EOF) {
			s.mu.Lock()
			s.err = err
			s.mu.Unlock()
		}
		return nil, false
	}
	s.mu.Lock()
	if s.head > 0 && s.head == len(s.ids) {
		s.ids, s.head = s.ids[:0], 0
	}
	s.ids = append(s.ids, queryID{id: rec[0], line: s.r.Line()})
	s.mu.Unlock()
	return rec, true
}

// pop returns the ID of the oldest query whose result is not written yet.
func (s *querySource) pop() queryID {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.ids[s.head]
	s.ids[s.head] = queryID{}
	s.head++
	return id
}

// error returns the input error that ended the stream, if any.
func (s *querySource) error() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// companies returns the company queries as a sequence that can be ranged once.
func (s *querySource) companies() iter.Seq[matcher.CompanyQuery] {
	return func(yield func(matcher.CompanyQuery) bool) {
		for {
			rec, ok := s.next()
			if !ok {
				return
			}
			q := matcher.CompanyQuery{Name: rec[1], Industry: rec[2], Location: rec[3], Website: rec[4]}
			if len(s.company) < s.keep {
				s.company = append(s.company, q)
			}
			if !yield(q) {
				return
			}
		}
	}
}

// members returns the member queries as a sequence that can be ranged once.
func (s *querySource) members() iter.Seq[matcher.MemberQuery] {
	return func(yield func(matcher.MemberQuery) bool) {
		for {
			rec, ok := s.next()
			if !ok {
				return
			}
			q := matcher.MemberQuery{FirstName: rec[1], LastName: rec[2], Company: rec[3], Title: rec[4],
				Email: rec[5], Location: rec[6]}
			if len(s.member) < s.keep {
				s.member = append(s.member, q)
			}
			if !yield(q) {
				return
			}
		}
	}
}

// latencies re-matches the kept sample one query at a time and returns the
// sorted durations: batch matching overlaps queries, so it cannot time one.
func latencies(ctx context.Context, eng *matcher.Engine, s *querySource) ([]time.Duration, error) {
	var lat []time.Duration
	for _, q := range s.company {
		t := time.Now()
		if _, err := eng.MatchCompany(ctx, q); err != nil && !errors.Is(err, matcher.ErrEmptyQuery) {
			return nil, err
		}
		lat = append(lat, time.Since(t))
	}
	for _, q := range s.member {
		t := time.Now()
		if _, err := eng.MatchMember(ctx, q); err != nil && !errors.Is(err, matcher.ErrEmptyQuery) {
			return nil, err
		}
		lat = append(lat, time.Since(t))
	}
	slices.Sort(lat)
	return lat, nil
}

// percentile returns the q-quantile of sorted (nearest rank), 0 if empty.
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// roundDuration keeps about three significant digits ("6.21s", "95.1ms", "80.3µs").
func roundDuration(d time.Duration) time.Duration {
	for unit := time.Duration(1); unit < time.Hour; unit *= 10 {
		if d < 1000*unit {
			return d.Round(unit)
		}
	}
	return d.Round(time.Second)
}

// FormatScore formats a score for the output: rounded to 4 decimals,
// trailing zeros dropped ("0.97", "1", "0.1235").
func FormatScore(s float64) string {
	b := strconv.AppendFloat(nil, s, 'f', 4, 64)
	for len(b) > 1 && b[len(b)-1] == '0' {
		b = b[:len(b)-1]
	}
	if b[len(b)-1] == '.' {
		b = b[:len(b)-1]
	}
	return string(b)
}

// outCandidate is a candidate as printed.
type outCandidate struct {
	id    string
	score string
}

// appendResult appends one output line for a query's result:
// {"query_id":"q1","decision":"match","candidates":[{"id":"c9","score":0.97}]}.
// Candidates keep the engine's order, best first: the engine breaks ties of
// score by a continuous similarity and then by id, so two candidates whose
// scores print alike may still be in an order that is not the order of their
// ids (re-sorting them by the rounded score would undo the engine's ranking).
func appendResult(b []byte, queryID string, res matcher.Result) []byte {
	cs := make([]outCandidate, len(res.Candidates))
	for i, c := range res.Candidates {
		cs[i] = outCandidate{id: c.Entity.ID, score: FormatScore(c.Score)}
	}
	b = append(b, `{"query_id":`...)
	b = appendJSONString(b, queryID)
	b = append(b, `,"decision":"`...)
	b = append(b, res.Decision.String()...)
	b = append(b, `","candidates":[`...)
	for i, c := range cs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = appendJSONString(b, c.id)
		b = append(b, `,"score":`...)
		b = append(b, c.score...)
		b = append(b, '}')
	}
	return append(b, "]}\n"...)
}

// appendJSONString appends s as a JSON string. s is valid UTF-8 (the CSV
// reader checked it); quotes, backslashes and control characters are escaped.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c == '\t':
			b = append(b, '\\', 't')
		case c < 0x20 || c == 0x7f:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}
