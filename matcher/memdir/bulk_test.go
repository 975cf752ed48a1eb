package memdir_test

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/dirtest"
	"github.com/crmlink/crmlink/matcher/memdir"
)

func TestBulkConformance(t *testing.T) {
	dirtest.Run(t, func(t *testing.T, cs []matcher.Company, ms []matcher.Member) matcher.Directory {
		d := memdir.New()
		require.NoError(t, d.AddCompanies(t.Context(), slices.Values(cs)))
		require.NoError(t, d.AddMembers(t.Context(), slices.Values(ms)))
		return d
	})
}

func TestBulkSameAsAdd(t *testing.T) {
	cs, ms, _ := dirtest.Fixture()
	a, b := memdir.New(), memdir.New()
	for _, c := range cs {
		require.NoError(t, a.AddCompany(c))
	}
	for _, m := range ms {
		require.NoError(t, a.AddMember(m))
	}
	require.NoError(t, b.AddCompanies(t.Context(), slices.Values(cs)))
	require.NoError(t, b.AddMembers(t.Context(), slices.Values(ms)))
	assert.Equal(t, a.Len(), b.Len())
	ea, _ := matcher.New(a)
	eb, _ := matcher.New(b)
	for _, c := range cs[:200] {
		ra, err := ea.MatchCompany(t.Context(), matcher.CompanyQuery{Name: c.Name})
		require.NoError(t, err)
		rb, err := eb.MatchCompany(t.Context(), matcher.CompanyQuery{Name: c.Name})
		require.NoError(t, err)
		assert.Equal(t, ra.Candidates, rb.Candidates, "MatchCompany(%s)", c.ID)
	}
}

func TestBulkErrors(t *testing.T) {
	var cs []matcher.Company
	for i := range 2000 {
		cs = append(cs, matcher.Company{ID: fmt.Sprint("c", i), Name: fmt.Sprint("Company ", i)})
	}
	dup := append(slices.Clone(cs), matcher.Company{ID: "c5", Name: "Secret Name"})
	d := memdir.New()
	err := d.AddCompanies(t.Context(), slices.Values(dup))
	assert.ErrorIs(t, err, memdir.ErrDuplicate)
	assert.NotContains(t, err.Error(), "Secret")
	assert.Equal(t, len(cs), d.Len(), "everything before the duplicate is added")

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	assert.ErrorIs(t, memdir.New().AddCompanies(ctx, slices.Values(cs)), context.Canceled)

	// Cancelled midway by the source: no goroutine left blocked.
	ctx, cancel = context.WithCancel(t.Context())
	defer cancel()
	var seq iter.Seq[matcher.Company] = func(yield func(matcher.Company) bool) {
		for i, c := range cs {
			if i == 1500 {
				cancel()
			}
			if !yield(c) {
				return
			}
		}
	}
	err = memdir.New().AddCompanies(ctx, seq)
	assert.ErrorIs(t, err, context.Canceled)
}
