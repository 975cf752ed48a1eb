package crmlink_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/crm/csvsource"
	"github.com/crmlink/crmlink/crm/sourcetest"
	"github.com/crmlink/crmlink/internal/synth"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
	"github.com/crmlink/crmlink/override"
)

// The directory built from the fixture holds the first dirAccounts accounts as companies, and
// the first dirContacts contacts and dirLeads leads as members; the others have no entity, so
// that the sync meets true matches and true non-matches.
const (
	dirAccounts = 12
	dirContacts = 18
	dirLeads    = 10
)

// synthWorld is a deterministic synthetic directory of n companies and n members (seed 7), and
// an engine over it.
func synthWorld(tb testing.TB, n int) (*synth.World, *matcher.Engine) {
	tb.Helper()
	w := synth.New(synth.Options{Seed: 7, Companies: n, Members: n})
	dir := memdir.New()
	for _, c := range w.Companies() {
		require.NoError(tb, dir.AddCompany(matcher.Company{ID: c.ID, Name: c.Name, Industry: c.Industry, Location: c.Location, Website: c.Website}))
	}
	for _, m := range w.Members() {
		h, _ := matcher.HashEmail(m.Email)
		require.NoError(tb, dir.AddMember(matcher.Member{ID: m.ID, FirstName: m.FirstName, LastName: m.LastName, Company: m.Company, Title: m.Title, Location: m.Location, EmailHash: h}))
	}
	eng, err := matcher.New(dir)
	require.NoError(tb, err)
	return w, eng
}

func companyID(recordID string) string { return "co-" + recordID }
func memberID(recordID string) string  { return "mb-" + recordID }

// truth maps each fixture record that has an entity in the directory to that entity.
type truth map[override.RecordRef]override.EntityRef

// syncFixture returns the sourcetest fixture with the people and companies that have no entity
// in the directory renamed to names of their own (the fixture repeats its names), so that they
// are true non-matches.
func syncFixture() *sourcetest.Dataset {
	ds := sourcetest.Fixture()
	for i := dirAccounts; i < len(ds.Accounts); i++ {
		ds.Accounts[i].Name = fmt.Sprintf("Quixotic Zeppelin Works %c", 'A'+i)
	}
	for i := dirContacts; i < len(ds.Contacts); i++ {
		ds.Contacts[i].FirstName = fmt.Sprintf("Xavera%c", 'a'+i)
		ds.Contacts[i].LastName = fmt.Sprintf("Quennell%c", 'a'+i)
	}
	for i := dirLeads; i < len(ds.Leads); i++ {
		ds.Leads[i].FirstName = fmt.Sprintf("Ysolde%c", 'a'+i)
		ds.Leads[i].LastName = fmt.Sprintf("Vandermolen%c", 'a'+i)
		ds.Leads[i].Company = fmt.Sprintf("Quixotic Zeppelin Works %c", 'A'+i)
	}
	return ds
}

// fixtureDirectory builds a directory whose entities are the profiles of the fixture's people
// and companies (as the network holds them, with the domain of the website only), and the
// ground truth of which record is which entity.
func fixtureDirectory(t testing.TB, ds *sourcetest.Dataset) (*memdir.Dir, truth) {
	t.Helper()
	dir := memdir.New()
	tr := truth{}
	accountName := map[string]string{}
	for _, a := range ds.Accounts {
		accountName[a.ID] = a.Name
	}
	join := func(city, country string) string {
		return strings.Trim(city+", "+country, ", ")
	}
	for _, a := range ds.Accounts[:dirAccounts] {
		require.NoError(t, dir.AddCompany(matcher.Company{
			ID: companyID(a.ID), Name: a.Name, Industry: a.Industry,
			Location: join(a.City, a.Country),
			Website:  strings.TrimPrefix(a.Website, "https://www."),
		}))
		tr[override.RecordRef{Org: ds.Org, Object: override.Account, ID: a.ID}] = override.EntityRef{Kind: override.Company, ID: companyID(a.ID)}
	}
	addMember := func(obj override.Object, id, first, last, company, title, email, loc string) {
		h, _ := matcher.HashEmail(email)
		require.NoError(t, dir.AddMember(matcher.Member{
			ID: memberID(id), FirstName: first, LastName: last, Company: company,
			Title: title, Location: loc, EmailHash: h,
		}))
		tr[override.RecordRef{Org: ds.Org, Object: obj, ID: id}] = override.EntityRef{Kind: override.Member, ID: memberID(id)}
	}
	for _, c := range ds.Contacts[:dirContacts] {
		addMember(override.Contact, c.ID, c.FirstName, c.LastName, accountName[c.AccountID], c.Title, c.Email, join(c.City, c.Country))
	}
	for _, l := range ds.Leads[:dirLeads] {
		addMember(override.Lead, l.ID, l.FirstName, l.LastName, l.Company, l.Title, l.Email, join(l.City, l.Country))
	}
	// Unrelated profiles, so that the directory is not made of true matches only.
	for i := range 50 {
		require.NoError(t, dir.AddCompany(matcher.Company{ID: fmt.Sprintf("other-c%d", i), Name: fmt.Sprintf("Other Holding %d", i)}))
		require.NoError(t, dir.AddMember(matcher.Member{ID: fmt.Sprintf("other-m%d", i), FirstName: "Pat", LastName: fmt.Sprintf("Other%d", i)}))
	}
	return dir, tr
}

// fixtureSource writes ds to a temporary directory and opens it with csvsource.
func fixtureSource(t testing.TB, ds *sourcetest.Dataset) (*csvsource.Source, string) {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, csvsource.Write(dir, &csvsource.Data{
		Accounts: ds.Accounts, Contacts: ds.Contacts, Leads: ds.Leads,
		Opportunities: ds.Opportunities, Stages: ds.Stages, Users: ds.Users, Roles: ds.Roles,
	}))
	src, err := csvsource.Open(dir)
	require.NoError(t, err)
	return src, dir
}

// viewer is the CRM user the tests resolve as, with a Resolver made WithoutVisibility unless the
// test is about visibility.
const viewer = "005U1"

// viewerOf returns viewer as a user of rec's org.
func viewerOf(rec override.RecordRef) crmlink.Viewer {
	return crmlink.Viewer{Org: rec.Org, User: viewer}
}
