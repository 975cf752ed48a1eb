package matcher_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

// TestSharedEmail checks that an email address several members hold (a
// family's, an office's info@) weighs less than one address of one member.
func TestSharedEmail(t *testing.T) {
	dir := memdir.New()
	for i, name := range []string{"Jim", "Jane", "Otto"} {
		h, _ := matcher.HashEmail("info@state.example")
		require.NoError(t, dir.AddMember(matcher.Member{ID: fmt.Sprint("s", i), FirstName: name, LastName: "Muir", EmailHash: h}))
	}
	h, _ := matcher.HashEmail("jim.muir@example.org")
	require.NoError(t, dir.AddMember(matcher.Member{ID: "own", FirstName: "Jim", LastName: "Muir", EmailHash: h}))
	eng, err := matcher.New(dir)
	require.NoError(t, err)
	ctx := t.Context()
	shared, err := eng.MatchMember(ctx, matcher.MemberQuery{Email: "info@state.example"})
	require.NoError(t, err)
	own, err := eng.MatchMember(ctx, matcher.MemberQuery{Email: "jim.muir@example.org"})
	require.NoError(t, err)
	require.NotEmpty(t, shared.Candidates)
	require.Equal(t, "own", own.Best.Entity.ID)
	fs, _ := fieldOf(*shared.Best, matcher.FieldEmail)
	fo, _ := fieldOf(*own.Best, matcher.FieldEmail)
	require.Equal(t, matcher.LevelExact, fs.Level)
	assert.Less(t, fs.Contribution, fo.Contribution-10, "a shared address identifies none of its holders")
	assert.NotEqual(t, matcher.Match, shared.Decision, "three members hold the address")
	assert.Equal(t, matcher.Match, own.Decision)
}

// TestHousehold checks that fitting measures how often people of one last
// name share an address in the directory, and that an absent relative at
// a member's address is then not taken for the member.
func TestHousehold(t *testing.T) {
	dir := memdir.New()
	firsts := []string{"Anna", "Boris", "Clara", "Dmitri", "Elena", "Fedor"}
	lasts := []string{"Kusha", "Pemberton", "Lindqvist", "Okafor", "Tanaka", "Moreau", "Novak", "Haddad"}
	var qs []matcher.MemberQuery
	for i, last := range lasts {
		addr := fmt.Sprintf("%d Poppy Hills Dr, Blacklick, OH 430%02d", 100+i, i)
		// Two relatives of each family in the directory, at one address.
		for j := range 2 {
			first := firsts[(i+j)%len(firsts)]
			require.NoError(t, dir.AddMember(matcher.Member{ID: fmt.Sprintf("m%d-%d", i, j), FirstName: first, LastName: last, Location: addr}))
			qs = append(qs, matcher.MemberQuery{FirstName: first, LastName: last, Location: addr})
		}
	}
	// One member whose relatives are not in the directory.
	require.NoError(t, dir.AddMember(matcher.Member{ID: "alone", FirstName: "Zoe", LastName: "Quist", Location: "900 Elm St, Columbus, OH 43215"}))
	eng, err := matcher.New(dir)
	require.NoError(t, err)
	ctx := t.Context()
	q := matcher.MemberQuery{FirstName: "Beau", LastName: "Kusha", Location: "100 Poppy Hills Dr, Blacklick, OH 43000"}
	before, err := eng.MatchMember(ctx, q)
	require.NoError(t, err)
	rep, err := eng.FitMembers(ctx, qs, nil)
	require.NoError(t, err)
	assert.InDelta(t, 16.0/17, rep.Household, 1e-9, "every member but one has one relative at home")
	assert.Equal(t, rep.Household, rep.Weights.Household)
	after, err := eng.MatchMember(ctx, q)
	require.NoError(t, err)
	require.NotEmpty(t, after.Candidates)
	t.Logf("absent relative: before %v %.3f, after %v %.3f", before.Decision, before.Best.Score, after.Decision, after.Best.Score)
	assert.Less(t, after.Best.Score, before.Best.Score)
	assert.NotEqual(t, matcher.Match, after.Decision, "a relative at the address is not the member")
	// The member herself still matches.
	self, err := eng.MatchMember(ctx, matcher.MemberQuery{FirstName: "Anna", LastName: "Kusha", Location: "100 Poppy Hills Dr, Blacklick, OH 43000"})
	require.NoError(t, err)
	assert.Equal(t, "m0-0", self.Best.Entity.ID)
	// A record with no last name and another first name at the address is
	// one of the household too, not the member.
	housemate, err := eng.MatchMember(ctx, matcher.MemberQuery{FirstName: "Beau", Location: "900 Elm St, Columbus, OH 43215"})
	require.NoError(t, err)
	assert.Equal(t, matcher.None, housemate.Decision, "another first name at the address, no last name")
	// With the member's own first name it is her.
	own, err := eng.MatchMember(ctx, matcher.MemberQuery{FirstName: "Zoe", Location: "900 Elm St, Columbus, OH 43215"})
	require.NoError(t, err)
	require.NotNil(t, own.Best)
	assert.Equal(t, "alone", own.Best.Entity.ID)
	assert.Equal(t, matcher.Match, own.Decision)
}

// TestEmailHashQuery checks that a query giving only its email's hash
// finds and scores the member as the clear address does.
func TestEmailHashQuery(t *testing.T) {
	dir := memdir.New()
	h, _ := matcher.HashEmail("Ada.Lovelace@Engines.example")
	require.NoError(t, dir.AddMember(matcher.Member{ID: "m1", FirstName: "Ada", LastName: "Lovelace", EmailHash: h}))
	require.NoError(t, dir.AddMember(matcher.Member{ID: "m2", FirstName: "Ada", LastName: "Lovelace"}))
	eng, err := matcher.New(dir)
	require.NoError(t, err)
	clear, err := eng.MatchMember(t.Context(), matcher.MemberQuery{FirstName: "Ada", LastName: "Lovelace", Email: "ada.lovelace@engines.example"})
	require.NoError(t, err)
	hashed, err := eng.MatchMember(t.Context(), matcher.MemberQuery{FirstName: "Ada", LastName: "Lovelace", EmailHash: h})
	require.NoError(t, err)
	require.Equal(t, "m1", hashed.Best.Entity.ID)
	fc, _ := fieldOf(*clear.Best, matcher.FieldEmail)
	fh, _ := fieldOf(*hashed.Best, matcher.FieldEmail)
	assert.Equal(t, fc, fh, "the hash compares as the address")
	assert.Equal(t, clear.Decision, hashed.Decision)
	only, err := eng.MatchMember(t.Context(), matcher.MemberQuery{EmailHash: h})
	require.NoError(t, err, "a hash alone is a query")
	assert.Equal(t, "m1", only.Best.Entity.ID)
}
