package quality

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/hbollon/go-edlib"

	"github.com/crmlink/crmlink/internal/normalize"
	"github.com/crmlink/crmlink/internal/synth"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

func envInt(t *testing.T, name string, def int) int {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		t.Fatalf("%s=%q: want a positive integer", name, s)
	}
	return n
}

// recall counts queries whose truth is at rank 1 and within the top 10.
type recall struct {
	n, at1, at10 int
}

func (r *recall) add(rank int) {
	r.n++
	if rank == 0 {
		r.at1++
	}
	if rank >= 0 && rank < 10 {
		r.at10++
	}
}

func (r recall) String() string {
	return fmt.Sprintf("recall@1 %.4f recall@10 %.4f (n=%d)", float64(r.at1)/float64(r.n), float64(r.at10)/float64(r.n), r.n)
}

// decisions scores the match decisions of a batch: a match is correct when
// its best candidate is the query's truth; absent queries (no truth in the
// directory) should not be matched.
type decisions struct {
	present, absent          int // queries with and without their truth in the directory
	matched, correct         int // match decisions, and those whose best candidate is the truth
	absentMatched, ambiguous int
	// absentAmbiguous are the ambiguous decisions of absent queries, and
	// noneListed the none decisions of present queries whose truth was
	// among the candidates.
	absentAmbiguous, noneListed int
}

func (d *decisions) add(truth string, res matcher.Result) {
	if truth == "" {
		d.absent++
	} else {
		d.present++
	}
	switch res.Decision {
	case matcher.Ambiguous:
		d.ambiguous++
		if truth == "" {
			d.absentAmbiguous++
		}
	case matcher.None:
		if truth != "" && slices.ContainsFunc(res.Candidates, func(c matcher.Candidate) bool { return c.Entity.ID == truth }) {
			d.noneListed++
		}
	case matcher.Match:
		d.matched++
		if truth == "" {
			d.absentMatched++
		} else if res.Best != nil && res.Best.Entity.ID == truth {
			d.correct++
		}
	}
}

func (d decisions) String() string {
	p, r := ratio(d.correct, d.matched), ratio(d.correct, d.present)
	f1 := 0.0
	if p+r > 0 {
		f1 = 2 * p * r / (p + r)
	}
	return fmt.Sprintf("match precision %.4f recall %.4f F1 %.4f; absent matched %.4f (%d/%d); ambiguous %.4f of all %d (%d absent); none with the truth listed %d",
		p, r, f1, ratio(d.absentMatched, d.absent), d.absentMatched, d.absent, ratio(d.ambiguous, d.present+d.absent), d.present+d.absent,
		d.absentAmbiguous, d.noneListed)
}

// absentShare is the share of the world's companies left out of the
// directory, so that the queries for them are absent.
const absentShare = 10 // percent

// TestHardCompanies measures recall@1 and recall@10 of the engine over memdir
// on hard name-only company queries, and of the trigram baseline on the same
// queries, and the quality of the engine's match decisions (precision,
// recall, F1, absent queries matched) with the default model and after
// fitting it to the batch without labels. A random absentShare of the
// world's companies is left out of the directory: queries for them are
// absent, and recall counts the other queries only. It fails only when the
// engine's recall@10 falls below the baseline's, which the baseline's own
// figures make meaningful at any size.
func TestHardCompanies(t *testing.T) {
	if os.Getenv("CRMLINK_SCALE") != "1" {
		t.Skip("scale harness: set CRMLINK_SCALE=1 to run (CRMLINK_SCALE_N companies, CRMLINK_SCALE_Q queries)")
	}
	n := envInt(t, "CRMLINK_SCALE_N", 1_000_000)
	nq := envInt(t, "CRMLINK_SCALE_Q", 5_000)
	ctx := context.Background()

	w := synth.New(synth.Options{Seed: 1, Companies: n})
	qs := w.HardCompanyQueries(nq, synth.QueryOptions{Seed: 7})
	// Leave a random absentShare of the companies out of the directory
	// (same seed, same companies); queries for them become absent.
	rng := rand.New(rand.NewPCG(3, 0))
	var cs []synth.Company
	left := map[string]bool{}
	for _, c := range w.Companies() {
		if rng.IntN(100) < absentShare {
			left[c.ID] = true
			continue
		}
		cs = append(cs, c)
	}
	present := make([]synth.CompanyQuery, 0, len(qs))
	for i := range qs {
		if left[qs[i].TruthID] {
			qs[i].TruthID = ""
		} else {
			present = append(present, qs[i])
		}
	}

	start := time.Now()
	d := memdir.New(memdir.WithCapacity(len(cs)), memdir.WithVocabulary())
	mc := make([]matcher.Company, len(cs))
	for i, c := range cs {
		mc[i] = matcher.Company{ID: c.ID, Name: c.Name, Industry: c.Industry, Location: c.Location, Website: c.Website}
	}
	if err := d.AddCompanies(ctx, slices.Values(mc)); err != nil {
		t.Fatal(err)
	}
	t.Logf("memdir build %v for %d companies (%d of %d left out); %d queries, %d absent",
		time.Since(start).Round(time.Millisecond), len(cs), n-len(cs), n, len(qs), len(qs)-len(present))
	eng, err := matcher.New(d)
	if err != nil {
		t.Fatal(err)
	}
	mq := make([]matcher.CompanyQuery, len(qs))
	for i, q := range qs {
		mq[i] = matcher.CompanyQuery{Name: q.Name, Website: q.Website}
	}

	var eRec, dRec recall
	var dec decisions
	byNoise := map[string]*recall{}
	dirByNoise := map[string]*recall{}
	var misses []string
	// CRMLINK_SCALE_DUMP names a file that receives one line per present
	// query not at rank 1: truth, query, corruptions, rank, the truth's name
	// and the first candidate's, with their name similarities; then, after
	// fitting, one line per absent query matched ("absent"), per present
	// query at rank 1 but not matched ("undecided", with the second
	// candidate) and per present query not at rank 1 ("fittedmiss"), with
	// the field scores; then one per truth not among the directory's
	// candidates.
	var dump []string
	// CRMLINK_SCALE_EXPLAIN lists truth IDs whose queries' candidates are
	// logged with their field scores.
	explain := map[string]bool{}
	for _, id := range strings.Split(os.Getenv("CRMLINK_SCALE_EXPLAIN"), ",") {
		explain[id] = id != ""
	}
	names := make(map[string]string, len(cs))
	for _, c := range cs {
		names[c.ID] = c.Name
	}
	start = time.Now()
	near := nearTally{w: matcher.DefaultWeights()}
	for i, q := range qs {
		res, err := eng.MatchCompany(ctx, mq[i])
		if err != nil {
			t.Fatalf("query %s: %v", q.ID, err)
		}
		dec.add(q.TruthID, res)
		near.add(q.TruthID, res)
		if explain[q.TruthID] {
			t.Logf("explain %s %q (truth %q):", q.TruthID, q.Name, names[q.TruthID])
			for _, c := range res.Candidates {
				t.Logf("  %-9s %.4f %q %v", c.Entity.ID, c.Score, names[c.Entity.ID], c.Fields)
			}
		}
		if q.TruthID == "" {
			continue
		}
		rank := -1
		for i, c := range res.Candidates {
			if c.Entity.ID == q.TruthID {
				rank = i
				break
			}
		}
		eRec.add(rank)
		for _, tag := range noiseTags(q.Noise) {
			r := byNoise[tag]
			if r == nil {
				r = new(recall)
				byNoise[tag] = r
			}
			r.add(rank)
		}
		if rank != 0 {
			top, tsim, fsim := "", -1.0, -1.0
			if len(res.Candidates) > 0 {
				top = res.Candidates[0].Entity.ID
				fsim = nameSim(res.Candidates[0])
			}
			if rank > 0 {
				tsim = nameSim(res.Candidates[rank])
			}
			dump = append(dump, fmt.Sprintf("%s\t%q\t%v\trank=%d\ttruth=%q %.3f\tfirst=%q %.3f", q.TruthID, q.Name, q.Noise, rank, names[q.TruthID], tsim, names[top], fsim))
		}
		if rank < 0 && len(misses) < 40 {
			misses = append(misses, fmt.Sprintf("%s %q %v", q.TruthID, q.Name, q.Noise))
		}
	}
	engTime := time.Since(start)

	// The same batch after fitting the model to it without labels.
	start = time.Now()
	fit, err := eng.FitCompanies(ctx, mq, nil)
	if err != nil {
		t.Fatal(err)
	}
	fitTime := time.Since(start)
	var fRec recall
	var fDec decisions
	var cal calibration
	for i, q := range qs {
		res, err := eng.MatchCompany(ctx, mq[i])
		if err != nil {
			t.Fatalf("query %s: %v", q.ID, err)
		}
		fDec.add(q.TruthID, res)
		if len(res.Candidates) > 0 {
			cal.add(res.Candidates[0].Score, res.Candidates[0].Entity.ID == q.TruthID)
		}
		if q.TruthID == "" {
			if res.Decision == matcher.Match {
				c := res.Candidates[0]
				dump = append(dump, fmt.Sprintf("absent\t%q\t%v\tmatched after fitting\tfirst=%q %.3f %v", q.Name, q.Noise, names[c.Entity.ID], c.Score, c.Fields))
			}
			continue
		}
		rank := slices.IndexFunc(res.Candidates, func(c matcher.Candidate) bool { return c.Entity.ID == q.TruthID })
		fRec.add(rank)
		if rank == 0 && res.Decision != matcher.Match {
			c := res.Candidates[0]
			sec := "-"
			if len(res.Candidates) > 1 {
				sec = fmt.Sprintf("%q %.3f %v", names[res.Candidates[1].Entity.ID], res.Candidates[1].Score, res.Candidates[1].Fields)
			}
			dump = append(dump, fmt.Sprintf("undecided\t%q\t%v\t%s\tfirst=%q %.3f %v\tsecond=%s", q.Name, q.Noise, res.Decision, names[c.Entity.ID], c.Score, c.Fields, sec))
		}
		if rank != 0 && len(res.Candidates) > 0 {
			c := res.Candidates[0]
			tr := "-"
			if rank > 0 {
				tr = fmt.Sprintf("%.3f %v", res.Candidates[rank].Score, res.Candidates[rank].Fields)
			}
			dump = append(dump, fmt.Sprintf("fittedmiss\t%s\t%q\trank=%d\tfirst=%q %.3f %v\ttruth=%q %s", q.TruthID, q.Name, rank, names[c.Entity.ID], c.Score, c.Fields, names[q.TruthID], tr))
		}
	}

	var dst []matcher.Entity
	var dirMisses []string
	for _, q := range present {
		p, err := matcher.NewCompanyQuery(matcher.CompanyQuery{Name: q.Name, Website: q.Website})
		if err != nil {
			dRec.add(-1)
			continue
		}
		dst, err = d.Candidates(ctx, p, matcher.DefaultCandidateLimit, dst[:0])
		if err != nil {
			t.Fatal(err)
		}
		rank := -1
		if slices.ContainsFunc(dst, func(e matcher.Entity) bool { return e.Ref.ID == q.TruthID }) {
			rank = 5 // inside the candidates: counts for recall@10 only
		}
		dRec.add(rank)
		for _, tag := range noiseTags(q.Noise) {
			r := dirByNoise[tag]
			if r == nil {
				r = new(recall)
				dirByNoise[tag] = r
			}
			r.add(rank)
		}
		if rank < 0 {
			dump = append(dump, fmt.Sprintf("%s\t%q\t%v\tnot a candidate\ttruth=%q", q.TruthID, q.Name, q.Noise, names[q.TruthID]))
		}
		if rank < 0 && len(dirMisses) < 30 {
			dirMisses = append(dirMisses, fmt.Sprintf("%s %q for %q %v", q.TruthID, q.Name, names[q.TruthID], q.Noise))
		}
	}
	if f := os.Getenv("CRMLINK_SCALE_DUMP"); f != "" {
		if err := os.WriteFile(f, []byte(strings.Join(dump, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("engine:   %v; %v/query", eRec, (engTime / time.Duration(len(qs))).Round(time.Microsecond))
	t.Logf("decisions, default model: %v", dec)
	t.Logf("decisions, fitted model:  %v", fDec)
	t.Logf("calibration of the fitted first candidates' scores:\n%v", &cal)
	t.Logf("fitted:   %v (fit %v; in directory %.3f, was %.3f; %d iterations)", fRec,
		fitTime.Round(time.Millisecond), fit.InDirectory, fit.InDirectoryBefore, fit.Iterations)
	// CRMLINK_SCALE_FITLOG=1 logs the fitted company name levels and the
	// near names the default model's candidates show.
	if os.Getenv("CRMLINK_SCALE_FITLOG") == "1" {
		t.Logf("near names %+v", fit.NearNames)
		t.Logf("%v", &near)
		for _, l := range fit.Levels {
			t.Logf("level %s/%s before m=%.4g u=%.4g after m=%.4g u=%.4g w=%.2f expected %.1f", l.Field, l.Level, l.Before.M, l.Before.U, l.After.M, l.After.U, l.After.Weight(), l.Expected)
		}
	}
	t.Logf("memdir candidates (%d): recall %.4f", matcher.DefaultCandidateLimit, float64(dRec.at10)/float64(dRec.n))
	tags := make([]string, 0, len(byNoise))
	for k := range byNoise {
		tags = append(tags, k)
	}
	sort.Strings(tags)
	for _, k := range tags {
		t.Logf("  %-14s %v; candidates %.4f", k, *byNoise[k], float64(dirByNoise[k].at10)/float64(dirByNoise[k].n))
	}
	for _, m := range misses {
		t.Logf("  miss %s", m)
	}
	for _, m := range dirMisses {
		t.Logf("  not a candidate: %s", m)
	}

	// The baseline, same queries, same run.
	if os.Getenv("CRMLINK_SCALE_BASELINE") == "0" {
		return
	}
	runtime.GC()
	start = time.Now()
	tri := newTrigramIndex(cs)
	t.Logf("trigram build %v", time.Since(start).Round(time.Millisecond))
	var bRec recall
	start = time.Now()
	for _, q := range present {
		bRec.add(tri.rank(q.Name, q.TruthID))
	}
	t.Logf("baseline: %v; %v/query (trigram top %d, Jaro-Winkler re-rank)", bRec,
		(time.Since(start) / time.Duration(len(present))).Round(time.Microsecond), triTopN)
	if eRec.at10 < bRec.at10 {
		t.Errorf("engine recall@10 %d/%d below the trigram baseline's %d/%d", eRec.at10, eRec.n, bRec.at10, bRec.n)
	}
}

// nameSim is the similarity of a candidate's name field, -1 without one.
func nameSim(c matcher.Candidate) float64 {
	for _, f := range c.Fields {
		if f.Field == "name" {
			return f.Similarity
		}
	}
	return -1
}

// noiseTags returns the distinct corruption tags of a query, "clean" when
// there is none and "typo:2" for two typos.
func noiseTags(noise []string) []string {
	if len(noise) == 0 {
		return []string{"clean"}
	}
	var out []string
	typos := 0
	for _, s := range noise {
		if s == "name:typo" {
			typos++
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	if typos == 2 {
		out = append(out, "name:typo×2")
	}
	return out
}

// triTopN is how many trigram candidates the baseline re-ranks.
const triTopN = 50

// trigramIndex is the baseline: character trigrams of the folded name
// (padded with spaces) to postings; a query takes the triTopN names sharing
// the most trigrams with it and orders them by Jaro-Winkler similarity.
//
// Trigrams are packed into integers and the postings laid out in one array
// (counted first, then filled), and a query counts shared trigrams in an
// array as long as the directory: at a million names a map of strings took
// minutes to build and a map of counts tens of milliseconds a query, which
// kept the baseline from running at the size the targets are set for.
type trigramIndex struct {
	names  []string
	ids    []string
	span   map[uint64]triSpan // trigram to its postings in post
	post   []int32            // postings, grouped by trigram
	counts []int32            // per name, reset after each query
}

// triSpan is a trigram's postings: post[lo:hi].
type triSpan struct{ lo, hi int32 }

func triNorm(s string) string {
	s = normalize.Fold(s)
	var b strings.Builder
	space := true
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			space = false
		} else if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSpace(b.String())
}

// trigrams calls f once for each distinct trigram of s padded with two
// spaces in front and one behind, each packed in an integer (21 bits a
// rune). buf is reused between calls.
func trigrams(s string, buf *[]uint64, f func(uint64)) {
	rs := []rune("  " + s + " ")
	seen := (*buf)[:0]
	for i := 0; i+3 <= len(rs); i++ {
		g := uint64(rs[i])<<42 | uint64(rs[i+1])<<21 | uint64(rs[i+2])
		if slices.Contains(seen, g) {
			continue
		}
		seen = append(seen, g)
		f(g)
	}
	*buf = seen
}

func newTrigramIndex(cs []synth.Company) *trigramIndex {
	x := &trigramIndex{names: make([]string, len(cs)), ids: make([]string, len(cs)), span: map[uint64]triSpan{},
		counts: make([]int32, len(cs))}
	// First pass: how many names hold each trigram.
	var buf []uint64
	total := int32(0)
	for i, c := range cs {
		x.names[i], x.ids[i] = triNorm(c.Name), c.ID
		trigrams(x.names[i], &buf, func(g uint64) {
			sp := x.span[g]
			sp.hi++
			x.span[g] = sp
			total++
		})
	}
	next := int32(0)
	for g, sp := range x.span {
		x.span[g] = triSpan{lo: next, hi: next}
		next += sp.hi
	}
	// Second pass: postings in name order within each trigram; hi grows
	// from lo to the end of the trigram's postings.
	x.post = make([]int32, total)
	for i := range x.names {
		trigrams(x.names[i], &buf, func(g uint64) {
			sp := x.span[g]
			x.post[sp.hi] = int32(i)
			sp.hi++
			x.span[g] = sp
		})
	}
	return x
}

// rank returns the rank of the entity truth for query name q, -1 if it is
// not in the top ten.
func (x *trigramIndex) rank(q, truth string) int {
	qn := triNorm(q)
	var touched []int32
	var buf []uint64
	trigrams(qn, &buf, func(g uint64) {
		sp := x.span[g]
		for _, i := range x.post[sp.lo:sp.hi] {
			if x.counts[i] == 0 {
				touched = append(touched, i)
			}
			x.counts[i]++
		}
	})
	type cand struct {
		i      int32
		shared int32
		sim    float64
	}
	// Only names sharing at least bar trigrams can be among the triTopN
	// most: bar is the largest count that triTopN names reach.
	var hist []int
	for _, i := range touched {
		c := int(x.counts[i])
		for len(hist) <= c {
			hist = append(hist, 0)
		}
		hist[c]++
	}
	bar, above := 0, 0
	for c := len(hist) - 1; c > 0; c-- {
		above += hist[c]
		if above >= triTopN {
			bar = c
			break
		}
	}
	cands := make([]cand, 0, above)
	for _, i := range touched {
		if int(x.counts[i]) >= bar {
			cands = append(cands, cand{i: i, shared: x.counts[i]})
		}
		x.counts[i] = 0
	}
	slices.SortFunc(cands, func(a, b cand) int {
		if c := cmp.Compare(b.shared, a.shared); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	cands = cands[:min(len(cands), triTopN)]
	for k := range cands {
		s, _ := edlib.StringsSimilarity(qn, x.names[cands[k].i], edlib.JaroWinkler)
		cands[k].sim = float64(s)
	}
	slices.SortStableFunc(cands, func(a, b cand) int { return cmp.Compare(b.sim, a.sim) })
	for k := range cands[:min(len(cands), 10)] {
		if x.ids[cands[k].i] == truth {
			return k
		}
	}
	return -1
}

// nearTally counts the candidates whose names compare at the High level,
// by bin of [matcher.Weights].NearNameBins: the queries' entities, and the
// other companies of present and of absent queries. The last two show how
// often a name has another company's name that near by chance, with its
// own company in the directory or not.
type nearTally struct {
	w                             matcher.Weights
	truth, present, absent        [matcher.NearNameBinCount]int
	presentQueries, absentQueries int
}

func (n *nearTally) add(truth string, res matcher.Result) {
	if truth == "" {
		n.absentQueries++
	} else {
		n.presentQueries++
	}
	for _, c := range res.Candidates {
		if len(c.Fields) == 0 || c.Fields[0].Field != matcher.FieldName || c.Fields[0].Level != matcher.LevelHigh {
			continue
		}
		b := n.w.NearNameBin(c.Fields[0].Similarity)
		switch {
		case c.Entity.ID == truth:
			n.truth[b]++
		case truth == "":
			n.absent[b]++
		default:
			n.present[b]++
		}
	}
}

func (n *nearTally) String() string {
	sum := func(a [matcher.NearNameBinCount]int) (s int) {
		for _, v := range a {
			s += v
		}
		return s
	}
	return fmt.Sprintf("High candidates by bin: entities %v; others of %d present queries %v (%.3f a query); of %d absent queries %v (%.3f a query)",
		n.truth, n.presentQueries, n.present, float64(sum(n.present))/float64(max(n.presentQueries, 1)),
		n.absentQueries, n.absent, float64(sum(n.absent))/float64(max(n.absentQueries, 1)))
}

// calibration tallies first candidates by their score, in tenths, and how
// many of them are the query's entity: a calibrated model's share right
// in each tenth lies within it.
type calibration struct{ n, right [10]int }

func (c *calibration) add(score float64, right bool) {
	i := min(int(score*10), 9)
	c.n[i]++
	if right {
		c.right[i]++
	}
}

func (c *calibration) String() string {
	var b strings.Builder
	for i := range c.n {
		if c.n[i] > 0 {
			fmt.Fprintf(&b, "  %.1f-%.1f: %5d first candidates, %.3f right\n", float64(i)/10, float64(i+1)/10, c.n[i], float64(c.right[i])/float64(c.n[i]))
		}
	}
	return b.String()
}
