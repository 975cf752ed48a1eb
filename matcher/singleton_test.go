package matcher_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

// madeUpName returns a distinct two-word name of made-up syllables for
// each i, free of dictionary words and legal forms.
func madeUpName(i int) string {
	const cons, vow = "bdfgklmnprstvz", "aeiou"
	word := func(n int) string {
		b := []byte{}
		for range 3 {
			b = append(b, cons[n%len(cons)], vow[(n/len(cons))%len(vow)])
			n /= len(cons) * len(vow)
		}
		return string(b)
	}
	return word(i*7919+13) + " " + word(i*104729+101)
}

// singletonWorld is a directory of 602 companies: 600 names held once and
// one name held twice, and a batch of exact-name queries, 100 for names
// held once and 20 for companies the directory does not hold.
func singletonWorld(t *testing.T) (*memdir.Dir, []matcher.CompanyQuery) {
	t.Helper()
	dir := memdir.New()
	for i := range 600 {
		require.NoError(t, dir.AddCompany(matcher.Company{ID: fmt.Sprintf("u%03d", i), Name: madeUpName(i)}))
	}
	for i := range 1 {
		for j := range 2 {
			require.NoError(t, dir.AddCompany(matcher.Company{ID: fmt.Sprintf("d%02d-%d", i, j), Name: madeUpName(1000 + i)}))
		}
	}
	var qs []matcher.CompanyQuery
	for i := range 100 {
		qs = append(qs, matcher.CompanyQuery{Name: madeUpName(i)})
	}
	for i := range 20 {
		qs = append(qs, matcher.CompanyQuery{Name: madeUpName(2000 + i)})
	}
	return dir, qs
}

// TestFitSingletons checks that fitting measures the Good–Turing count of a
// name held once on the directory and that the report carries it.
func TestFitSingletons(t *testing.T) {
	ctx := context.Background()
	dir, qs := singletonWorld(t)
	eng, err := matcher.New(dir)
	require.NoError(t, err)
	rep, err := eng.FitCompanies(ctx, qs, nil)
	require.NoError(t, err)

	require.Len(t, rep.Singletons, 1)
	s := rep.Singletons[0]
	assert.Equal(t, matcher.FieldName, s.Field)
	assert.Equal(t, 600, s.Once)
	assert.Equal(t, 2, s.Twice)
	assert.InDelta(t, 3.0/601, s.Count, 1e-12)
	assert.InDelta(t, 3.0/601, rep.Weights.CompanyName.Singleton, 1e-12)

	// The report carries it to another engine.
	back := roundTrip(t, rep)
	assert.Equal(t, rep.Weights.CompanyName.Singleton, back.Weights.CompanyName.Singleton)
}

// TestSingletonScore checks that the count of a value held once strengthens
// an exact name no other company holds, and only such a name: a name two
// companies hold weighs the same with or without it, and stays ambiguous.
func TestSingletonScore(t *testing.T) {
	ctx := context.Background()
	dir, _ := singletonWorld(t)
	plain, err := matcher.New(dir)
	require.NoError(t, err)
	w := matcher.DefaultWeights()
	w.CompanyName.Singleton = 3.0 / 601
	eng, err := matcher.New(dir, matcher.WithWeights(w))
	require.NoError(t, err)

	unique := matcher.CompanyQuery{Name: madeUpName(7)}
	got, err := eng.MatchCompany(ctx, unique)
	require.NoError(t, err)
	was, err := plain.MatchCompany(ctx, unique)
	require.NoError(t, err)
	require.NotEmpty(t, got.Candidates)
	require.NotEmpty(t, was.Candidates)
	assert.Equal(t, "u007", got.Candidates[0].Entity.ID)
	assert.Equal(t, "u007", was.Candidates[0].Entity.ID)
	g, v := got.Candidates[0].Fields[0], was.Candidates[0].Fields[0]
	require.Equal(t, matcher.LevelExact, g.Level)
	// One over the directory's size, and then 601/3 times rarer (less
	// what the High level's floor had already added).
	assert.Greater(t, g.Contribution, v.Contribution+5)
	assert.Greater(t, got.Candidates[0].Score, was.Candidates[0].Score)
	assert.Equal(t, matcher.Match, got.Decision)

	twice := matcher.CompanyQuery{Name: madeUpName(1000)}
	gotTwice, err := eng.MatchCompany(ctx, twice)
	require.NoError(t, err)
	wasTwice, err := plain.MatchCompany(ctx, twice)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(gotTwice.Candidates), 2)
	assert.Equal(t, wasTwice.Candidates[0].Fields[0].Contribution, gotTwice.Candidates[0].Fields[0].Contribution)
	assert.Equal(t, matcher.Ambiguous, gotTwice.Decision)
	assert.InDelta(t, gotTwice.Candidates[0].Score, gotTwice.Candidates[1].Score, 1e-9)
}

// TestFitSingletonsMembers checks the first- and last-name counts: every
// member's first name is shared with one other, every last name is unique.
func TestFitSingletonsMembers(t *testing.T) {
	ctx := context.Background()
	dir := memdir.New()
	var qs []matcher.MemberQuery
	for i := range 100 {
		first := "Fn" + madeUpName(i / 2)[:6]
		last := "Ln" + madeUpName(i)[7:]
		require.NoError(t, dir.AddMember(matcher.Member{ID: fmt.Sprintf("m%03d", i), FirstName: first, LastName: last}))
		qs = append(qs, matcher.MemberQuery{FirstName: first, LastName: last})
	}
	eng, err := matcher.New(dir)
	require.NoError(t, err)
	rep, err := eng.FitMembers(ctx, qs, nil)
	require.NoError(t, err)
	require.Len(t, rep.Singletons, 2)
	byField := map[string]matcher.FittedSingleton{}
	for _, s := range rep.Singletons {
		byField[s.Field] = s
	}
	first, last := byField[matcher.FieldFirstName], byField[matcher.FieldLastName]
	assert.Equal(t, 0, first.Once)
	assert.Equal(t, 100, first.Twice)
	assert.Equal(t, 1.0, first.Count, "never above the count itself")
	assert.Equal(t, 100, last.Once)
	assert.Equal(t, 0, last.Twice)
	assert.InDelta(t, 1.0/101, last.Count, 1e-12)
	assert.Equal(t, first.Count, rep.Weights.FirstName.Singleton)
	assert.Equal(t, last.Count, rep.Weights.LastName.Singleton)
}

// TestSingletonDefault checks that an engine that was never fitted keeps the
// count of a value held once at one.
func TestSingletonDefault(t *testing.T) {
	w := matcher.DefaultWeights()
	assert.Zero(t, w.CompanyName.Singleton)
	assert.Zero(t, w.FirstName.Singleton)
	assert.Zero(t, w.LastName.Singleton)
}

// TestPrefixTermFrequency checks the Prefix level's term-frequency U: a
// one-word name that many companies hold, or start with, is weak evidence
// for each of them, and one that a single company holds is as strong as a
// name held once.
func TestPrefixTermFrequency(t *testing.T) {
	ctx := context.Background()
	dir := memdir.New()
	for i := range 300 {
		require.NoError(t, dir.AddCompany(matcher.Company{ID: fmt.Sprintf("u%03d", i), Name: madeUpName(i)}))
	}
	require.NoError(t, dir.AddCompany(matcher.Company{ID: "brand", Name: "Vendrix Holdings Limited"}))
	for i := range 12 {
		require.NoError(t, dir.AddCompany(matcher.Company{ID: fmt.Sprintf("k%02d", i), Name: "Kaldor " + madeUpName(500+i)}))
	}
	require.NoError(t, dir.AddCompany(matcher.Company{ID: "kstart", Name: "Kaldorsoft"}))

	w := matcher.DefaultWeights()
	base := w.CompanyName.Prefix.Weight()
	eng, err := matcher.New(dir)
	require.NoError(t, err)
	w.CompanyName.Singleton = 0.01
	fitted, err := matcher.New(dir, matcher.WithWeights(w))
	require.NoError(t, err)

	prefix := func(res matcher.Result, id string) float64 {
		t.Helper()
		for _, c := range res.Candidates {
			if c.Entity.ID == id {
				require.Equal(t, matcher.LevelPrefix, c.Fields[0].Level, id)
				return c.Fields[0].Contribution
			}
		}
		t.Fatalf("%s not a candidate of %v", id, res.Candidates)
		return 0
	}

	// Thirteen companies are "Kaldor" (twelve hold the word, one starts
	// with it): each is one of them, the others twelve chances out of the
	// universe (MinUniverse entities for this small directory).
	res, err := eng.MatchCompany(ctx, matcher.CompanyQuery{Name: "Kaldor"})
	require.NoError(t, err)
	want := math.Log2(w.CompanyName.Prefix.M * matcher.MinUniverse / 12)
	assert.InDelta(t, want, prefix(res, "k03"), 1e-9)
	assert.InDelta(t, want, prefix(res, "kstart"), 1e-9)
	assert.Less(t, want, base-3)
	assert.NotEqual(t, matcher.Match, res.Decision)

	// One company is "Vendrix": no other could match it by chance, so it
	// weighs as a name held once: one over the universe, or the
	// singleton count when the model has one.
	res, err = eng.MatchCompany(ctx, matcher.CompanyQuery{Name: "Vendrix"})
	require.NoError(t, err)
	assert.InDelta(t, math.Log2(w.CompanyName.Prefix.M*matcher.MinUniverse), prefix(res, "brand"), 1e-9)
	res, err = fitted.MatchCompany(ctx, matcher.CompanyQuery{Name: "Vendrix"})
	require.NoError(t, err)
	assert.InDelta(t, math.Log2(w.CompanyName.Prefix.M*matcher.MinUniverse/0.01), prefix(res, "brand"), 1e-9)
	assert.Greater(t, prefix(res, "brand"), base)
}
