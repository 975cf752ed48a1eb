package privacy

import (
	"maps"
	"slices"
	"strings"
)

// Company is everything of a CRM account (or opportunity's account) that may
// leave the CRM side to find its company: nothing else has a field here.
type Company struct {
	Name     string
	Industry string
	Location string
	Website  string
}

// Member is everything of a CRM lead or contact that may leave the CRM side to
// find its member: nothing else has a field here. Email is the clear address
// and EmailHash its [HashEmail]; after [Member.HashOnly] only the hash is left.
type Member struct {
	FirstName string
	LastName  string
	Company   string
	Title     string
	Email     string
	EmailHash EmailHash // set by HashOnly; zero when unknown
	Location  string
}

// HashOnly returns m with its email replaced by its hash: the clear address is
// dropped and EmailHash set (left zero when Email is not an address). Use it
// where a query crosses a boundary, so that only the hash leaves.
func (m Member) HashOnly() Member {
	if m.Email != "" {
		if h, ok := HashEmail(m.Email); ok {
			m.EmailHash = h
		}
		m.Email = ""
	}
	return m
}

// Empty reports whether c carries nothing to match on.
func (c Company) Empty() bool {
	return strings.TrimSpace(c.Name+c.Industry+c.Location+c.Website) == ""
}

// Empty reports whether m carries nothing to match on.
func (m Member) Empty() bool {
	return strings.TrimSpace(m.FirstName+m.LastName+m.Company+m.Title+m.Email+m.Location) == "" && m.EmailHash.IsZero()
}

// Kind names the two allowlists.
type Kind string

// The allowlists.
const (
	KindCompany Kind = "company"
	KindMember  Kind = "member"
)

// CompanyFields returns the field names a company query may carry, in the
// column spelling of the CSV contracts: name, industry, location, website.
func CompanyFields() []string { return []string{"name", "industry", "location", "website"} }

// MemberFields returns the field names a member query may carry: first_name,
// last_name, company, title, email, location.
func MemberFields() []string {
	return []string{"first_name", "last_name", "company", "title", "email", "location"}
}

// Fields returns the allowlist of k; nil for an unknown kind.
func Fields(k Kind) []string {
	switch k {
	case KindCompany:
		return CompanyFields()
	case KindMember:
		return MemberFields()
	}
	return nil
}

// Allowed reports whether a field named name (compared case-insensitively,
// spaces trimmed) may leave a record of kind k.
func Allowed(k Kind, name string) bool {
	return slices.Contains(Fields(k), strings.ToLower(strings.TrimSpace(name)))
}

// FilterFields returns a new map holding only the fields of rec the allowlist
// of k lets leave, under their canonical (lower-case) names; everything else,
// and every field of an unknown kind, is dropped. rec is not changed.
func FilterFields(k Kind, rec map[string]string) map[string]string {
	out := make(map[string]string, len(rec))
	for _, name := range slices.Sorted(maps.Keys(rec)) {
		if Allowed(k, name) {
			c := strings.ToLower(strings.TrimSpace(name))
			if _, dup := out[c]; !dup {
				out[c] = rec[name]
			}
		}
	}
	return out
}

// CompanyFromFields builds a Company from a field map through the allowlist.
func CompanyFromFields(rec map[string]string) Company {
	f := FilterFields(KindCompany, rec)
	return Company{Name: f["name"], Industry: f["industry"], Location: f["location"], Website: f["website"]}
}

// MemberFromFields builds a Member from a field map through the allowlist.
func MemberFromFields(rec map[string]string) Member {
	f := FilterFields(KindMember, rec)
	return Member{FirstName: f["first_name"], LastName: f["last_name"], Company: f["company"],
		Title: f["title"], Email: f["email"], Location: f["location"]}
}

// Location joins a record's city and country the way the engine reads a
// location: "city, country", or whichever of them is set.
func Location(city, country string) string {
	city, country = strings.TrimSpace(city), strings.TrimSpace(country)
	switch {
	case city == "":
		return country
	case country == "":
		return city
	default:
		return city + ", " + country
	}
}
