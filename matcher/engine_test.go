package matcher_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

func newDir(t testing.TB, cs []matcher.Company, ms []matcher.Member) *memdir.Dir {
	t.Helper()
	d := memdir.New()
	for _, c := range cs {
		require.NoError(t, d.AddCompany(c))
	}
	for _, m := range ms {
		require.NoError(t, d.AddMember(m))
	}
	return d
}

func newEngine(t testing.TB, d matcher.Directory, opts ...matcher.Option) *matcher.Engine {
	t.Helper()
	e, err := matcher.New(d, opts...)
	require.NoError(t, err)
	return e
}

func field(c matcher.Candidate, name string) (matcher.FieldScore, bool) {
	for _, f := range c.Fields {
		if f.Field == name {
			return f, true
		}
	}
	return matcher.FieldScore{}, false
}

func TestDecisionString(t *testing.T) {
	for _, tc := range []struct {
		d    matcher.Decision
		want string
	}{{matcher.None, "none"}, {matcher.Ambiguous, "ambiguous"}, {matcher.Match, "match"}, {matcher.Decision(9), "Decision(9)"}} {
		assert.Equal(t, tc.want, tc.d.String(), "Decision(%d).String()", tc.d)
	}
	assert.Equal(t, "company", matcher.KindCompany.String())
	assert.Equal(t, "member", matcher.KindMember.String())
}

func TestHashEmail(t *testing.T) {
	a, ok := matcher.HashEmail("Jane.Doe+crm@Example.COM")
	require.True(t, ok)
	b, ok := matcher.HashEmail(" jane.doe@example.com ")
	require.True(t, ok)
	assert.Equal(t, a, b, "HashEmail ignores case and plus-addressing")
	c, _ := matcher.HashEmail("john@example.com")
	assert.NotEqual(t, a, c)
	for _, bad := range []string{"", "not an email", "@example.com", "jane@"} {
		_, ok := matcher.HashEmail(bad)
		assert.False(t, ok, "HashEmail(%q) ok", bad)
	}
}

func TestNewErrors(t *testing.T) {
	d := memdir.New()
	for _, tc := range []struct {
		name string
		dir  matcher.Directory
		opts []matcher.Option
	}{
		{"nil directory", nil, nil},
		{"limit 0", d, []matcher.Option{matcher.WithLimit(0)}},
		{"concurrency 0", d, []matcher.Option{matcher.WithConcurrency(0)}},
		{"prior 1", d, []matcher.Option{matcher.WithPrior(1)}},
		{"threshold 2", d, []matcher.Option{matcher.WithThresholds(matcher.Thresholds{Match: 2})}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := matcher.New(tc.dir, tc.opts...)
			assert.Error(t, err)
		})
	}
}

func TestEmptyQuery(t *testing.T) {
	eng := newEngine(t, newDir(t, []matcher.Company{{ID: "c1", Name: "Acme"}}, nil))
	ctx := t.Context()
	for _, q := range []matcher.CompanyQuery{{}, {Name: "  "}, {Name: "!!!", Website: "not a site"}, {Industry: "Software"}, {Location: "Paris"}} {
		_, err := eng.MatchCompany(ctx, q)
		assert.ErrorIs(t, err, matcher.ErrEmptyQuery, "MatchCompany(%+v)", q)
	}
	for _, q := range []matcher.MemberQuery{{}, {Title: "CEO"}, {Location: "Berlin"}, {Email: "not-an-email"}} {
		_, err := eng.MatchMember(ctx, q)
		assert.ErrorIs(t, err, matcher.ErrEmptyQuery, "MatchMember(%+v)", q)
	}
}

func TestCompanyLevels(t *testing.T) {
	companies := []matcher.Company{
		{ID: "c1", Name: "Acme Corporation", Website: "https://www.acme.com", Industry: "Software Development", Location: "Paris, France"},
		{ID: "c2", Name: "International Business Machines Corporation", Website: "ibm.com"},
		{ID: "c3", Name: "Zyxelqor Networks GmbH", Website: "zyxelqor.de"},
	}
	eng := newEngine(t, newDir(t, companies, nil))
	tests := []struct {
		name          string
		q             matcher.CompanyQuery
		id, fld, want string
	}{
		{"exact after legal form", matcher.CompanyQuery{Name: "ACME Corp."}, "c1", "name", matcher.LevelExact},
		{"acronym", matcher.CompanyQuery{Name: "IBM"}, "c2", "name", matcher.LevelAcronym},
		{"typo is high", matcher.CompanyQuery{Name: "Zyxelqor Netwroks"}, "c3", "name", matcher.LevelHigh},
		{"website exact", matcher.CompanyQuery{Name: "Acme", Website: "acme.com/contact"}, "c1", "website", matcher.LevelExact},
		{"website label", matcher.CompanyQuery{Name: "Zyxelqor", Website: "www.zyxelqor.com"}, "c3", "website", matcher.LevelDomain},
		{"website disagrees", matcher.CompanyQuery{Name: "Acme", Website: "other.org"}, "c1", "website", matcher.LevelDisagree},
		{"industry", matcher.CompanyQuery{Name: "Acme", Industry: "software development"}, "c1", "industry", matcher.LevelExact},
		{"city", matcher.CompanyQuery{Name: "Acme", Location: "Paris"}, "c1", "location", matcher.LevelExact},
		{"country only", matcher.CompanyQuery{Name: "Acme", Location: "Lyon, France"}, "c1", "location", matcher.LevelCountry},
		{"other country", matcher.CompanyQuery{Name: "Acme", Location: "Berlin, Germany"}, "c1", "location", matcher.LevelDisagree},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := eng.MatchCompany(t.Context(), tc.q)
			require.NoError(t, err)
			require.NotNil(t, res.Best)
			var cand *matcher.Candidate
			for i := range res.Candidates {
				if res.Candidates[i].Entity.ID == tc.id {
					cand = &res.Candidates[i]
				}
			}
			require.NotNil(t, cand, "candidate %s not found", tc.id)
			f, ok := field(*cand, tc.fld)
			require.True(t, ok, "field %s missing", tc.fld)
			assert.Equal(t, tc.want, f.Level, "MatchCompany(%+v) %s level", tc.q, tc.fld)
			if tc.want == matcher.LevelDisagree {
				assert.Less(t, f.Contribution, 0.0)
			} else {
				assert.Greater(t, f.Contribution, 0.0)
			}
		})
	}
}

func TestMemberLevels(t *testing.T) {
	h, _ := matcher.HashEmail("william.turner@initech.example")
	members := []matcher.Member{
		{ID: "m1", FirstName: "William", LastName: "Turner", Company: "Initech LLC", Title: "Chief Executive Officer", EmailHash: h, Location: "London, United Kingdom"},
	}
	eng := newEngine(t, newDir(t, nil, members))
	tests := []struct {
		name     string
		q        matcher.MemberQuery
		fld, lvl string
	}{
		{"nickname", matcher.MemberQuery{FirstName: "Bill", LastName: "Turner"}, "first_name", matcher.LevelNickname},
		{"initial", matcher.MemberQuery{FirstName: "W.", LastName: "Turner"}, "first_name", matcher.LevelInitial},
		{"typo last", matcher.MemberQuery{FirstName: "William", LastName: "Tunrer"}, "last_name", matcher.LevelHigh},
		{"swapped", matcher.MemberQuery{FirstName: "Turner", LastName: "William"}, "last_name", matcher.LevelExact},
		{"title variant", matcher.MemberQuery{LastName: "Turner", Title: "CEO"}, "title", matcher.LevelExact},
		{"employer", matcher.MemberQuery{LastName: "Turner", Company: "Initech"}, "company", matcher.LevelExact},
		{"email", matcher.MemberQuery{Email: "William.Turner+x@INITECH.example"}, "email", matcher.LevelExact},
		{"email pattern", matcher.MemberQuery{LastName: "Turner", Email: "wturner@initech.example"}, "email_pattern", matcher.LevelPattern},
		{"email domain", matcher.MemberQuery{LastName: "Turner", Email: "wturner@initech.example"}, "email_domain", matcher.LevelExact},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := eng.MatchMember(t.Context(), tc.q)
			require.NoError(t, err)
			require.NotNil(t, res.Best)
			f, ok := field(*res.Best, tc.fld)
			require.True(t, ok, "field %s missing in %+v", tc.fld, res.Best.Fields)
			assert.Equal(t, tc.lvl, f.Level, "MatchMember(%+v) %s level", tc.q, tc.fld)
		})
	}
	// A free-mail address carries no employer evidence.
	res, err := eng.MatchMember(t.Context(), matcher.MemberQuery{LastName: "Turner", Email: "wturner@gmail.com"})
	require.NoError(t, err)
	_, ok := field(*res.Best, "email_domain")
	assert.False(t, ok, "free-mail domain compared to the employer")
}

func TestTermFrequency(t *testing.T) {
	var ms []matcher.Member
	for i := range 60 {
		ms = append(ms, matcher.Member{ID: fmt.Sprintf("s%02d", i), FirstName: fmt.Sprintf("Name%c%c", 'a'+i%26, 'a'+i/26), LastName: "Smith"})
	}
	ms = append(ms, matcher.Member{ID: "z1", FirstName: "Anna", LastName: "Zyxelqor"})
	eng := newEngine(t, newDir(t, nil, ms))
	common, err := eng.MatchMember(t.Context(), matcher.MemberQuery{LastName: "Smith"})
	require.NoError(t, err)
	rare, err := eng.MatchMember(t.Context(), matcher.MemberQuery{LastName: "Zyxelqor"})
	require.NoError(t, err)
	fc, _ := field(common.Candidates[0], "last_name")
	fr, _ := field(rare.Candidates[0], "last_name")
	require.Equal(t, matcher.LevelExact, fc.Level)
	require.Equal(t, matcher.LevelExact, fr.Level)
	assert.Greater(t, fr.Contribution, fc.Contribution+4, "rare surname must weigh more than a common one")
	assert.NotEqual(t, matcher.Match, common.Decision, "60 Smiths: not a match")
}

func TestScoreIsPosterior(t *testing.T) {
	eng := newEngine(t, newDir(t, []matcher.Company{{ID: "c1", Name: "Acme", Website: "acme.com"}, {ID: "c2", Name: "Acme Labs"},
		{ID: "c3", Name: "Acme Lab"}}, nil), matcher.WithPrior(0.01))
	res, err := eng.MatchCompany(t.Context(), matcher.CompanyQuery{Name: "Acme Labs", Website: "acme.com"})
	require.NoError(t, err)
	require.Len(t, res.Candidates, 3)
	// Each candidate's posterior odds: prior odds times 2^(sum of contributions);
	// the candidates exclude each other: P(i) = odds(i) / (1 + sum of odds).
	odds := make([]float64, len(res.Candidates))
	total := 1.0
	for i, c := range res.Candidates {
		l := math.Log2(0.01 / 0.99)
		for _, f := range c.Fields {
			l += f.Contribution
		}
		odds[i] = math.Exp2(l)
		total += odds[i]
	}
	sum := 0.0
	for i, c := range res.Candidates {
		assert.InDelta(t, odds[i]/total, c.Score, 1e-9, "score of %s", c.Entity.ID)
		sum += c.Score
	}
	assert.LessOrEqual(t, sum, 1.0+1e-9, "scores of exclusive candidates sum to at most 1")
}

func TestDecisionAndTies(t *testing.T) {
	companies := []matcher.Company{
		{ID: "b", Name: "Twin Peaks Trading"},
		{ID: "a", Name: "Twin Peaks Trading"},
		{ID: "u", Name: "Unique Quorbalt Holdings", Website: "quorbalt.example"},
	}
	eng := newEngine(t, newDir(t, companies, nil))
	res, err := eng.MatchCompany(t.Context(), matcher.CompanyQuery{Name: "Twin Peaks Trading"})
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(res.Candidates), 2)
	assert.Equal(t, "a", res.Candidates[0].Entity.ID, "ties broken by ID")
	assert.Equal(t, "b", res.Candidates[1].Entity.ID)
	assert.Equal(t, res.Candidates[0].Score, res.Candidates[1].Score)
	assert.NotEqual(t, matcher.Match, res.Decision, "a tie is never a match")

	res, err = eng.MatchCompany(t.Context(), matcher.CompanyQuery{Name: "Quorbalt Holdings", Website: "https://quorbalt.example/"})
	require.NoError(t, err)
	assert.Equal(t, matcher.Match, res.Decision)
	assert.Same(t, &res.Candidates[0], res.Best)

	res, err = eng.MatchCompany(t.Context(), matcher.CompanyQuery{Name: "Completely Different Name"})
	require.NoError(t, err)
	assert.Equal(t, matcher.None, res.Decision)

	// Thresholds are options.
	strict := newEngine(t, newDir(t, companies, nil), matcher.WithThresholds(matcher.Thresholds{Match: 1, Candidate: 1}))
	res, err = strict.MatchCompany(t.Context(), matcher.CompanyQuery{Name: "Quorbalt Holdings", Website: "quorbalt.example"})
	require.NoError(t, err)
	assert.Equal(t, matcher.None, res.Decision)
}

func TestLimit(t *testing.T) {
	var cs []matcher.Company
	for i := range 30 {
		cs = append(cs, matcher.Company{ID: fmt.Sprintf("c%02d", i), Name: fmt.Sprintf("Global Solutions %d", i)})
	}
	eng := newEngine(t, newDir(t, cs, nil), matcher.WithLimit(3))
	res, err := eng.MatchCompany(t.Context(), matcher.CompanyQuery{Name: "Global Solutions"})
	require.NoError(t, err)
	assert.Len(t, res.Candidates, 3)
	assert.True(t, slices.IsSortedFunc(res.Candidates, func(a, b matcher.Candidate) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Entity.ID, b.Entity.ID)
	}))
}

// failDir is a directory that fails, to check error wrapping.
type failDir struct{ err error }

func (f failDir) Candidates(context.Context, *matcher.Query, int, []matcher.Entity) ([]matcher.Entity, error) {
	return nil, f.err
}

func (f failDir) Entity(context.Context, matcher.EntityRef) (matcher.Entity, bool, error) {
	return matcher.Entity{}, false, f.err
}

func TestDirectoryErrors(t *testing.T) {
	boom := errors.New("boom")
	eng := newEngine(t, failDir{boom})
	_, err := eng.MatchMember(t.Context(), matcher.MemberQuery{FirstName: "Secretfirst", LastName: "Secretlast", Email: "secret@mail.example"})
	assert.ErrorIs(t, err, boom)
	for _, s := range []string{"Secretfirst", "Secretlast", "secret@", "mail.example"} {
		assert.NotContains(t, err.Error(), s, "error leaks record data")
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = newEngine(t, memdir.New()).MatchCompany(ctx, matcher.CompanyQuery{Name: "Acme"})
	assert.ErrorIs(t, err, context.Canceled)
}

func TestBadInput(t *testing.T) {
	eng := newEngine(t, newDir(t, []matcher.Company{{ID: "c1", Name: "Acme"}}, []matcher.Member{{ID: "m1", FirstName: "Jo", LastName: "Ng"}}))
	big := strings.Repeat("Acme Widgets International ", 4000) // ~100 KB
	inputs := []string{"\xff\xfe\xfd", "Ac\x00me", big, strings.Repeat("é", 50000), strings.Repeat("a", 100000)}
	for i, s := range inputs {
		start := time.Now()
		for _, q := range []matcher.CompanyQuery{{Name: s}, {Name: "Acme", Website: s, Industry: s, Location: s}} {
			res, err := eng.MatchCompany(t.Context(), q)
			if err != nil {
				assert.ErrorIs(t, err, matcher.ErrEmptyQuery)
				continue
			}
			for _, c := range res.Candidates {
				assert.True(t, c.Score >= 0 && c.Score <= 1)
			}
		}
		_, err := eng.MatchMember(t.Context(), matcher.MemberQuery{FirstName: s, LastName: s, Company: s, Title: s, Email: s, Location: s})
		if err != nil {
			assert.ErrorIs(t, err, matcher.ErrEmptyQuery)
		}
		t.Logf("input %d: %v", i, time.Since(start))
	}
}

func TestEstimateU(t *testing.T) {
	var ents []matcher.Entity
	for i := range 200 {
		ents = append(ents, matcher.NewCompanyEntity(matcher.Company{ID: fmt.Sprint("c", i), Name: fmt.Sprintf("Company %d Group", i%50),
			Industry: []string{"Banking", "Retail", "Software"}[i%3], Location: []string{"Paris, France", "Berlin, Germany"}[i%2]}))
		ents = append(ents, matcher.NewMemberEntity(matcher.Member{ID: fmt.Sprint("m", i), FirstName: []string{"John", "Anna", "Li"}[i%3], LastName: fmt.Sprint("Name", i%40)}))
	}
	w, err := matcher.EstimateU(t.Context(), matcher.DefaultWeights(), ents, 5000, 1)
	require.NoError(t, err)
	// One industry in three agrees by chance.
	assert.InDelta(t, 1.0/3, w.Industry.Exact.U, 0.05)
	assert.InDelta(t, 1.0/3, w.FirstName.Exact.U, 0.05)
	for _, l := range []matcher.Level{w.CompanyName.Exact, w.CompanyName.Disagree, w.LastName.Exact, w.CompanyLocation.Equivalent} {
		assert.True(t, l.U > 0 && l.U <= 1, "U %v out of (0,1]", l.U)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = matcher.EstimateU(ctx, matcher.DefaultWeights(), ents, 5000, 1)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestBatch(t *testing.T) {
	var cs []matcher.Company
	var qs []matcher.CompanyQuery
	for i := range 300 {
		name := fmt.Sprintf("Quorbalt %c%c%c Works", 'a'+i%26, 'a'+(i/26)%26, 'a'+i%7)
		cs = append(cs, matcher.Company{ID: fmt.Sprintf("c%03d", i), Name: name})
		if i%50 == 7 {
			qs = append(qs, matcher.CompanyQuery{}) // empty
		} else {
			qs = append(qs, matcher.CompanyQuery{Name: name})
		}
	}
	eng := newEngine(t, newDir(t, cs, nil), matcher.WithConcurrency(4))
	ctx := t.Context()
	i := 0
	for res, err := range eng.MatchCompanies(ctx, slices.Values(qs)) {
		want, wantErr := eng.MatchCompany(ctx, qs[i])
		if wantErr != nil {
			assert.ErrorIs(t, err, matcher.ErrEmptyQuery, "query %d", i)
			assert.Empty(t, res.Candidates)
		} else {
			require.NoError(t, err)
			assert.Equal(t, want.Candidates, res.Candidates, "query %d out of order", i)
		}
		i++
	}
	assert.Equal(t, len(qs), i)

	t.Run("break", func(t *testing.T) {
		before := runtime.NumGoroutine()
		n := 0
		for range eng.MatchCompanies(ctx, slices.Values(qs)) {
			n++
			if n == 5 {
				break
			}
		}
		// Poll by hand: assert.Eventually runs its condition in a goroutine.
		deadline := time.Now().Add(2 * time.Second)
		for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		assert.LessOrEqual(t, runtime.NumGoroutine(), before, "goroutines left after break")
	})
	t.Run("cancel", func(t *testing.T) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		n, errs := 0, 0
		for _, err := range eng.MatchCompanies(ctx, slices.Values(qs)) {
			n++
			if n == 3 {
				cancel()
			}
			if errors.Is(err, context.Canceled) {
				errs++
			}
		}
		assert.Equal(t, 1, errs, "ctx.Err() yielded once")
		assert.Less(t, n, len(qs), "iteration stopped")
	})
	t.Run("members", func(t *testing.T) {
		d := newDir(t, nil, []matcher.Member{{ID: "m1", FirstName: "Anna", LastName: "Quorbalt"}})
		e := newEngine(t, d)
		var got []matcher.Decision
		for res, err := range e.MatchMembers(ctx, slices.Values([]matcher.MemberQuery{{FirstName: "Anna", LastName: "Quorbalt"}, {}})) {
			if err == nil {
				got = append(got, res.Decision)
			}
		}
		assert.Len(t, got, 1)
	})
}

// TestEmailFieldWithSeveralAddresses checks that a query whose email field
// lists several addresses is compared on the first, where the field was
// read as no address at all.
func TestEmailFieldWithSeveralAddresses(t *testing.T) {
	h, ok := matcher.HashEmail("jane.roe@acme.com")
	require.True(t, ok)
	e := newEngine(t, newDir(t, nil, []matcher.Member{{ID: "jane", FirstName: "Jane", LastName: "Roe", EmailHash: h}}))
	f, ok := field(topMember(t, e, matcher.MemberQuery{FirstName: "Jane", LastName: "Roe", Email: "Jane.Roe@acme.com; jroe@gmail.com"}), matcher.FieldEmail)
	require.True(t, ok, "the email compared")
	assert.Equal(t, matcher.LevelExact, f.Level)
}

// TestWebsiteOnAPlatform checks that two companies whose website fields
// hold their pages on one platform ("linkedin.com/company/…") do not agree
// on the website, and that a field listing several sites is compared on
// the first.
func TestWebsiteOnAPlatform(t *testing.T) {
	e := newEngine(t, newDir(t, []matcher.Company{
		{ID: "northwind", Name: "Northwind Traders", Website: "https://www.linkedin.com/company/northwind-traders"},
		{ID: "contoso", Name: "Contoso Ltd", Website: "contoso.com"},
	}, nil))
	res, err := e.MatchCompany(t.Context(), matcher.CompanyQuery{Name: "Northwind Tradin", Website: "linkedin.com/company/other-co"})
	require.NoError(t, err)
	require.NotEmpty(t, res.Candidates)
	_, compared := field(res.Candidates[0], matcher.FieldWebsite)
	assert.False(t, compared, "a platform's page is no company's website")

	res, err = e.MatchCompany(t.Context(), matcher.CompanyQuery{Name: "Contoso", Website: "www.contoso.com; contoso.de"})
	require.NoError(t, err)
	require.NotEmpty(t, res.Candidates)
	f, ok := field(res.Candidates[0], matcher.FieldWebsite)
	require.True(t, ok, "the first site compared")
	assert.Equal(t, matcher.LevelExact, f.Level)
}
