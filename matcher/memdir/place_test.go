package memdir_test

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

// TestMemberNamesakeInCity checks that among many namesakes of a member,
// the one in the query's city is a candidate: the name alone ties them all,
// and without the key of the last name in its city the limit would cut it
// off as readily as any other.
func TestMemberNamesakeInCity(t *testing.T) {
	d := memdir.New()
	for i := range 60 {
		require.NoError(t, d.AddMember(matcher.Member{ID: fmt.Sprintf("a%03d", i), FirstName: "Line", LastName: "Nielsen", Location: "Aarhus, Denmark"}))
	}
	require.NoError(t, d.AddMember(matcher.Member{ID: "z-kbh", FirstName: "Line", LastName: "Nielsen", Location: "København, Denmark"}))
	for _, loc := range []string{"København, Denmark", "Kobenhavn"} {
		assertMemberCandidate(t, d, matcher.MemberQuery{FirstName: "Line", LastName: "Nielsen", Location: loc}, "z-kbh")
	}
}

func containsID(es []matcher.Entity, id string) bool {
	return slices.ContainsFunc(es, func(e matcher.Entity) bool { return e.Ref.ID == id })
}

// assertMemberCandidate asserts that the member id is among d's ten
// candidates for mq.
func assertMemberCandidate(t *testing.T, d *memdir.Dir, mq matcher.MemberQuery, id string) {
	t.Helper()
	q, err := matcher.NewMemberQuery(mq)
	require.NoError(t, err)
	got, err := d.Candidates(context.Background(), q, 10, nil)
	require.NoError(t, err)
	assert.True(t, containsID(got, id), "%q %q at %q: %s is not among %d candidates", mq.FirstName, mq.LastName, mq.Location, id, len(got))
}

// TestMemberAddressOutweighsNameVariants checks that a member whose street
// address agrees with the query's, under another name, is a candidate
// among namesakes of the query who live elsewhere: the one-letter
// deletions of a name count once for each name (matcher.Query.VariantGroups),
// not once each, so that a dozen of them do not outweigh an address.
func TestMemberAddressOutweighsNameVariants(t *testing.T) {
	d := memdir.New()
	for i := range 2000 {
		require.NoError(t, d.AddMember(matcher.Member{ID: fmt.Sprintf("f%04d", i), FirstName: fmt.Sprintf("Filler%c%c", 'a'+i%26, 'a'+i/26%26),
			LastName: fmt.Sprintf("Person%c%c", 'a'+i/26%26, 'a'+i%26), Location: fmt.Sprintf("%d Other Street, Perth, %d, WA", i, 6000+i%100)}))
	}
	for i := range 30 {
		require.NoError(t, d.AddMember(matcher.Member{ID: fmt.Sprintf("n%02d", i), FirstName: "Samuel", LastName: "Webb",
			Location: fmt.Sprintf("%d Long Road, Brisbane, %d, QLD", i+1, 4000+i)}))
	}
	require.NoError(t, d.AddMember(matcher.Member{ID: "t", FirstName: "Webbo", LastName: "Jasper", Location: "16 Balala Place, Osborne Park, 5032, VIC"}))
	assertMemberCandidate(t, d, matcher.MemberQuery{FirstName: "Samuel", LastName: "Webb", Location: "16 Balala Place, Osborne Park, 5032, VIC"}, "t")
}

// TestMemberStreetTypo checks that a member whose house number and street
// agree with the query's but for a typo late in the street's name and
// another in the postcode is a candidate under another name: every other
// key of the address holds the whole street name or the postcode.
func TestMemberStreetTypo(t *testing.T) {
	d := memdir.New()
	for i := range 200 {
		require.NoError(t, d.AddMember(matcher.Member{ID: fmt.Sprintf("f%03d", i), FirstName: "Jayden", LastName: fmt.Sprintf("Person%c%c", 'a'+i%26, 'a'+i/26),
			Location: fmt.Sprintf("%d Other Street, Perth, %d, WA", i, 6000+i%100)}))
	}
	require.NoError(t, d.AddMember(matcher.Member{ID: "t", FirstName: "Delaney", Location: "3 O'Sullivan Street, The Lodge, Mount Evelyn, 2166, NSW"}))
	for _, loc := range []string{"3 O'Sulliva Street, The Lodge, Mount Evelyn, 2169, NSW", "3 O'Sullivanstreet, Mount Evelyn, 2196"} {
		assertMemberCandidate(t, d, matcher.MemberQuery{FirstName: "Jayden", Location: loc}, "t")
	}
}

// TestMemberPostcodeLocality checks that a member under another name is a
// candidate when the query's address agrees on its postcode and locality
// but not on a street the other keys can read ("Studley Steet" without a
// number is not read as a street), on the street's start and the locality
// with another house number and a postcode with a typo, or on the postcode
// alone (the street not read as one, the locality misspelt): the keys of
// the postcode with the locality, of the street's start with the locality,
// and of the postcode.
func TestMemberPostcodeLocality(t *testing.T) {
	d := memdir.New()
	for i := range 200 {
		require.NoError(t, d.AddMember(matcher.Member{ID: fmt.Sprintf("f%03d", i), FirstName: "Jayden", LastName: fmt.Sprintf("Person%c%c", 'a'+i%26, 'a'+i/26),
			Location: fmt.Sprintf("%d Other Street, Perth, %d, WA", i, 6000+i%100)}))
	}
	require.NoError(t, d.AddMember(matcher.Member{ID: "t1", FirstName: "Jacobie", LastName: "Tilleq", Location: "Studley Steet, Rose Avle, Riverwood, 4869, QLD"}))
	require.NoError(t, d.AddMember(matcher.Member{ID: "t2", FirstName: "Tahni", Location: "2 Eaglemont Retreat, Hopetoun Quays, Scarborough, 5045, QLD"}))
	require.NoError(t, d.AddMember(matcher.Member{ID: "t3", FirstName: "Wilkins", LastName: "Zanke", Location: "Jervois Street, Cerbrus, Coolroo, 6208, NSW"}))
	for _, c := range []struct{ loc, want string }{
		{"Studley Street, Rose Vale, Riverwood, 4869, QLD", "t1"},
		{"8 Eaglemonturetreat, Hopetoun Quays, Scarborough, 5405, QLD", "t2"},
		{"Jervoisstreet, Coolar Oo, 6208, NSW", "t3"},
	} {
		assertMemberCandidate(t, d, matcher.MemberQuery{FirstName: "Jayden", Location: c.loc}, c.want)
	}
}

// TestMemberLastNameOfWords checks that a last name of several words meets
// the same written as one, and a compound given name written in the last
// name's field (first and last names swapped) meets the query's: among
// namesakes of the query's other name, the member is a candidate.
func TestMemberLastNameOfWords(t *testing.T) {
	d := memdir.New()
	for i := range 200 {
		// Namesakes holding fewer keys than the member: on an equal sum
		// they would come first.
		require.NoError(t, d.AddMember(matcher.Member{ID: fmt.Sprintf("f%03d", i), LastName: "White"}))
		require.NoError(t, d.AddMember(matcher.Member{ID: fmt.Sprintf("g%03d", i), FirstName: "Anna", LastName: fmt.Sprintf("Person%c%c", 'a'+i%26, 'a'+i/26)}))
	}
	require.NoError(t, d.AddMember(matcher.Member{ID: "t1", FirstName: "White", LastName: "Jean-Claude"}))
	require.NoError(t, d.AddMember(matcher.Member{ID: "t2", FirstName: "Anna", LastName: "van der Berg"}))
	for _, c := range []struct {
		q    matcher.MemberQuery
		want string
	}{
		{matcher.MemberQuery{FirstName: "Jean-Claude", LastName: "White"}, "t1"},
		{matcher.MemberQuery{FirstName: "Anna", LastName: "Vanderberg"}, "t2"},
	} {
		assertMemberCandidate(t, d, c.q, c.want)
	}
}
