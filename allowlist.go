package crmlink

import (
	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/privacy"
)

// CompanyQuery builds the engine's company query from the allowlisted parameters of a record
// ([privacy.Company]): name, industry, location, website and nothing else. The Syncer builds
// every company query through it.
func CompanyQuery(c privacy.Company) matcher.CompanyQuery {
	return matcher.CompanyQuery{Name: c.Name, Industry: c.Industry, Location: c.Location, Website: c.Website}
}

// MemberQuery builds the engine's member query from the allowlisted parameters of a record
// ([privacy.Member]): first and last name, company, title, email and location. A member made
// with [privacy.Member.HashOnly] carries no clear address, and the engine, which compares
// addresses by their parts as well as by their hash, then matches without the email.
func MemberQuery(m privacy.Member) matcher.MemberQuery {
	return matcher.MemberQuery{FirstName: m.FirstName, LastName: m.LastName, Company: m.Company,
		Title: m.Title, Email: m.Email, Location: m.Location}
}

// The allowlisted parameters of each CRM object: what the Syncer lets leave a record.

func accountParams(a crm.Account) privacy.Company {
	return privacy.Company{Name: a.Name, Industry: a.Industry, Website: a.Website, Location: privacy.Location(a.City, a.Country)}
}

func contactParams(c crm.Contact) privacy.Member {
	return privacy.Member{FirstName: c.FirstName, LastName: c.LastName, Title: c.Title, Email: c.Email, Location: privacy.Location(c.City, c.Country)}
}

func leadParams(l crm.Lead) privacy.Member {
	return privacy.Member{FirstName: l.FirstName, LastName: l.LastName, Company: l.Company, Title: l.Title, Email: l.Email, Location: privacy.Location(l.City, l.Country)}
}
