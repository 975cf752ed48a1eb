package dirtest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/crmlink/crmlink/matcher"
)

// CommonNames returns members whose first name and city are each held by
// more than a thousand of them, a query for one of them, "Maria Nowak" in
// Warsaw, and that member's ID. Nine hundred others share the last name
// "Nowak", in other cities. memdir and pgdir read the long lists of a
// member query only for the members its rarer lists found (the Nowaks), so
// that no "Maria" of Warsaw with another last name, whose two common
// lists together outweigh the last name's, is among their candidates.
func CommonNames() (members []matcher.Member, q matcher.MemberQuery, id string) {
	for i := range 1500 {
		members = append(members, matcher.Member{ID: fmt.Sprintf("w%04d", i), FirstName: "Maria",
			LastName: word(i, "k"), Location: "Warsaw, Poland"})
	}
	for i := range 900 {
		members = append(members, matcher.Member{ID: fmt.Sprintf("n%04d", i), FirstName: word(i, "j"),
			LastName: "Nowak", Location: "Kraków, Poland"})
	}
	members = append(members, matcher.Member{ID: "truth", FirstName: "Maria", LastName: "Nowak", Location: "Warsaw, Poland"})
	return members, matcher.MemberQuery{FirstName: "Maria", LastName: "Nowak", Location: "Warsaw"}, "truth"
}

// CheckCommonNames checks candidates es returned for CommonNames' query:
// the member id is among them and every one of them is a Nowak. what says
// which directory and limit gave them.
func CheckCommonNames(t testing.TB, es []matcher.Entity, id string, what string) {
	t.Helper()
	assert.True(t, slices.ContainsFunc(es, func(e matcher.Entity) bool { return e.Ref.ID == id }),
		"%s: %s among the candidates", what, id)
	for _, e := range es {
		// CommonNames gives the Nowaks IDs "n…" and the Nowak it looks for id.
		assert.True(t, e.Ref.ID == id || strings.HasPrefix(e.Ref.ID, "n"), "%s: candidate %s is not a Nowak", what, e.Ref.ID)
	}
}

// word returns a made-up name for i, distinct for each i and start.
func word(i int, start string) string {
	const v, c = "aeiou", "bdfglmnprstvz"
	b := []byte(start)
	for range 3 {
		b = append(b, v[i%len(v)], c[i/len(v)%len(c)])
		i /= len(v) * len(c) / 3
	}
	return string(b)
}
