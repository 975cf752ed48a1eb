package crmlink_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/privacy"
)

func TestQueriesFromAllowlist(t *testing.T) {
	c := crmlink.CompanyQuery(privacy.CompanyFromFields(map[string]string{
		"name": "Acme", "industry": "Software", "location": "Paris, France", "website": "acme.example", "phone": "555", "description": "plans",
	}))
	assert.Equal(t, "Acme", c.Name)
	assert.Equal(t, "Software", c.Industry)
	assert.Equal(t, "Paris, France", c.Location)
	assert.Equal(t, "acme.example", c.Website)
	m := crmlink.MemberQuery(privacy.Member{FirstName: "Ada", LastName: "Lovelace", Email: "ada@acme.example"}.HashOnly())
	assert.Empty(t, m.Email, "a hash-only member sends no clear address")
	assert.Equal(t, "Ada", m.FirstName)
}
