package pgdir_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/dirtest"
	"github.com/crmlink/crmlink/matcher/memdir"
	"github.com/crmlink/crmlink/matcher/pgdir"
)

// TestCommonListsAsMemdir checks that pgdir reads a member query's long
// posting lists as memdir does, only for the members its rarer lists found:
// the same candidates, all of them Nowaks, for "Maria Nowak" in Warsaw among
// fifteen hundred Marias of Warsaw (dirtest.CommonNames). The posting
// budget is lifted so that it does not cut the long lists first.
func TestCommonListsAsMemdir(t *testing.T) {
	ms, mq, id := dirtest.CommonNames()
	const budget = 1 << 20
	md := memdir.New(memdir.WithPostingBudget(budget))
	require.NoError(t, md.AddMembers(t.Context(), slices.Values(ms)))
	pd, _, _ := open(t, pgdir.WithPostingBudget(budget))
	load(t, pd, nil, ms)
	q, err := matcher.NewMemberQuery(mq)
	require.NoError(t, err)
	for _, limit := range []int{5, matcher.DefaultCandidateLimit} {
		want, err := md.Candidates(t.Context(), q, limit, nil)
		require.NoError(t, err)
		got, err := pd.Candidates(t.Context(), q, limit, nil)
		require.NoError(t, err)
		require.Equal(t, ids(want), ids(got), "limit %d", limit)
		dirtest.CheckCommonNames(t, got, id, fmt.Sprintf("limit %d", limit))
	}
}
