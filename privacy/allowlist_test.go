package privacy_test

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/crmlink/crmlink/privacy"
)

// TestAllowlistTypes pins the shape of what may leave: a new field in Company
// or Member is a change of the privacy promise and must be deliberate.
func TestAllowlistTypes(t *testing.T) {
	fields := func(v any) []string {
		var out []string
		rt := reflect.TypeOf(v)
		for i := range rt.NumField() {
			out = append(out, rt.Field(i).Name)
		}
		return out
	}
	assert.Equal(t, []string{"Name", "Industry", "Location", "Website"}, fields(privacy.Company{}))
	assert.Equal(t, []string{"FirstName", "LastName", "Company", "Title", "Email", "EmailHash", "Location"}, fields(privacy.Member{}))
}

func TestFilterFields(t *testing.T) {
	rec := map[string]string{"Name": "Acme", "industry": "Software", "phone": "555", "Description": "secret plans",
		"website": "acme.example", "OwnerId": "005A", " location ": "Paris"}
	got := privacy.FilterFields(privacy.KindCompany, rec)
	assert.Equal(t, map[string]string{"name": "Acme", "industry": "Software", "website": "acme.example", "location": "Paris"}, got)
	assert.Empty(t, privacy.FilterFields(privacy.Kind("other"), rec))
	m := privacy.MemberFromFields(map[string]string{"first_name": "Jane", "email": "j@x.example", "mobile": "555", "title": "CTO"})
	assert.Equal(t, privacy.Member{FirstName: "Jane", Email: "j@x.example", Title: "CTO"}, m)
	c := privacy.CompanyFromFields(rec)
	assert.Equal(t, privacy.Company{Name: "Acme", Industry: "Software", Location: "Paris", Website: "acme.example"}, c)
	assert.True(t, privacy.Allowed(privacy.KindMember, "First_Name"))
	assert.False(t, privacy.Allowed(privacy.KindMember, "phone"))
}

func TestEmailHash(t *testing.T) {
	a, ok := privacy.HashEmail("  Jane.Doe+crm@Example.COM ")
	assert.True(t, ok)
	b, _ := privacy.HashEmail("jane.doe@example.com")
	assert.Equal(t, b, a, "normalised before hashing")
	assert.Len(t, a.String(), 64)
	_, ok = privacy.HashEmail("not an address")
	assert.False(t, ok)
	n, ok := privacy.NormalizeEmail("Jane.Doe+x@Example.com")
	assert.True(t, ok)
	assert.Equal(t, "jane.doe@example.com", n)

	m := privacy.Member{FirstName: "Jane", Email: "jane.doe@example.com"}.HashOnly()
	assert.Empty(t, m.Email)
	assert.Equal(t, b, m.EmailHash)
	assert.False(t, m.Empty())
	bad := privacy.Member{Email: "nope"}.HashOnly()
	assert.True(t, bad.EmailHash.IsZero())
	assert.True(t, bad.Empty())
}
