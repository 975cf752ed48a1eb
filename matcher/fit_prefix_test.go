package matcher_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

// TestFitPrefixOnBatch checks that fitting measures the Prefix level's U (a
// name within the other) on the batch, not on random pairs of the
// directory's names: in a directory where half the organisations are
// listed with two sister names of their own ("Bakiru Lotesa", "Bakiru
// Lotesa Networks", "Bakiru Lotesa Labs"), random pairs hold one name
// within the other far more often than a record that is not in the
// directory does. After the fit, records naming an organisation listed
// alone with a word added ("Fomevi Darusa Communications") still find it
// first at the Prefix level and are matched, and the absent records stay
// unmatched.
func TestFitPrefixOnBatch(t *testing.T) {
	ctx := context.Background()
	dir := memdir.New()
	for i := range 200 {
		name := madeUpName(i)
		require.NoError(t, dir.AddCompany(matcher.Company{ID: fmt.Sprintf("o%03d", i), Name: name}))
		if i < 100 {
			require.NoError(t, dir.AddCompany(matcher.Company{ID: fmt.Sprintf("o%03dn", i), Name: name + " Networks"}))
			require.NoError(t, dir.AddCompany(matcher.Company{ID: fmt.Sprintf("o%03dl", i), Name: name + " Labs"}))
		}
	}
	var qs []matcher.CompanyQuery
	for i := 100; i < 200; i++ {
		qs = append(qs, matcher.CompanyQuery{Name: madeUpName(i) + " Communications"})
	}
	for i := range 40 {
		// Spelt backwards: no name of the directory is near.
		r := []byte(madeUpName(5000 + i))
		slices.Reverse(r)
		qs = append(qs, matcher.CompanyQuery{Name: string(r)})
	}

	eng, err := matcher.New(dir)
	require.NoError(t, err)
	rep, err := eng.FitCompanies(ctx, qs, nil)
	require.NoError(t, err)
	var prefix *matcher.FittedLevel
	for i, l := range rep.Levels {
		if l.Field == matcher.FieldName && l.Level == matcher.LevelPrefix {
			prefix = &rep.Levels[i]
		}
	}
	require.NotNil(t, prefix, "the batch holds names within others")
	// Random pairs: 200 of the 80,000 pairs of names hold one within the
	// other. The batch's absent records hold none.
	assert.Less(t, prefix.After.U, 0.25*200.0/80_000, "U measured on the batch, not on random pairs")

	matched := 0
	for _, q := range qs[:100] {
		res, err := eng.MatchCompany(ctx, q)
		require.NoError(t, err)
		require.NotEmpty(t, res.Candidates, q.Name)
		require.Equal(t, matcher.LevelPrefix, res.Candidates[0].Fields[0].Level, q.Name)
		if res.Decision == matcher.Match {
			matched++
		}
	}
	assert.GreaterOrEqual(t, matched, 90, "records naming an organisation listed alone, with a word added")
	for _, q := range qs[100:] {
		res, err := eng.MatchCompany(ctx, q)
		require.NoError(t, err)
		assert.NotEqual(t, matcher.Match, res.Decision, q.Name)
	}
}
