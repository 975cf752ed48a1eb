package sourcetest

import (
	"fmt"
	"slices"
	"time"

	"github.com/crmlink/crmlink/crm"
)

// Dataset is the logical content of one CRM org, fed to every [Harness], and the answers the
// suite expects from it. Record values are synthetic.
type Dataset struct {
	Org           string
	Accounts      []crm.Account
	Contacts      []crm.Contact
	Leads         []crm.Lead
	Opportunities []crm.Opportunity
	Stages        []crm.OpportunityStage // deliberately not in pipeline order
	Users         []crm.User
	Roles         []crm.Role // a hierarchy 4 levels deep (roles, or business units)
	// Defaults are the org-wide defaults the visibility answers assume.
	Defaults crm.OrgDefaults
	Expected Expected
}

// Expected holds the answers the suite checks a [crm.Source] against.
type Expected struct {
	// ModifiedSince is a cutoff equal to one record's ModifiedAt, so that inclusiveness is
	// tested; some but not all records of each object are modified at or after it.
	ModifiedSince time.Time
	// Stages are stage-filter answers, including an unknown stage.
	Stages []StageCase
	// Visibility are "can user see a record owned by owner" answers.
	Visibility []VisibilityCase
}

// StageCase is one expected stage-filter answer.
type StageCase struct {
	Stage    string
	Accounts []string // sorted
	Contacts []string // sorted
	Unknown  bool     // the stage is not in the picklist: crm.ErrUnknownStage
}

// VisibilityCase is one expected visibility answer, under the role hierarchy (Want) and under the
// business-unit tree (WantBusinessUnit): they differ for peers in the same node.
type VisibilityCase struct {
	Name             string
	User, Owner      string
	Object           crm.Object
	Want             bool
	WantBusinessUnit bool
}

// IDs in the Salesforce shape (18 characters, real key prefixes); drivers treat IDs as opaque.
func id(prefix string, i int) string { return fmt.Sprintf("%s%012dAAA", prefix, i) }

// AccountID returns the ID of the i-th (1-based) fixture account; likewise for the others.
func AccountID(i int) string { return id("001", i) }

// ContactID returns the ID of the i-th (1-based) fixture contact.
func ContactID(i int) string { return id("003", i) }

// LeadID returns the ID of the i-th (1-based) fixture lead.
func LeadID(i int) string { return id("00Q", i) }

// OpportunityID returns the ID of the i-th (1-based) fixture opportunity.
func OpportunityID(i int) string { return id("006", i) }

// UserID returns the ID of the i-th (1-based) fixture user.
func UserID(i int) string { return id("005", i) }

// RoleID returns the ID of the i-th (1-based) fixture role.
func RoleID(i int) string { return id("00E", i) }

// Sizes of the fixture: with 7 records per page, contacts span 4 pages, accounts and leads 3.
const (
	NumAccounts      = 16
	NumContacts      = 24
	NumLeads         = 15
	NumOpportunities = 12
	NumUsers         = 8
)

// modified is the fixture's clock: every ModifiedAt is a whole minute, in UTC.
func modified(i int) time.Time {
	return time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(i*37) * time.Minute)
}

// Fixture returns the dataset every Source is fed. It is deterministic and freshly allocated by
// each call, so callers may modify it.
func Fixture() *Dataset {
	ds := &Dataset{Org: "00D000000000001AAA"}
	firstNames := []string{"Ada", "Zoë", "Łukasz", "Seán", "Mei", "José", "Anne-Marie", "Olu", "Priya", "Jürgen", "Ines", "Tomás"}
	lastNames := []string{"Example", "O'Brien", "Müller", "Nakamura", "García-López", "Smith", "Van der Berg", "Okafor", "Ivanova", "Dubois", "Kowalski", "Ng"}
	companies := []string{"Acme, Inc.", "Globex Corporation", "Initech GmbH", "Umbrella \"Labs\" Ltd", "Soylent S.A.", "Hooli", "Vehement Capital Partners", "Massive Dynamic", "Stark Industries", "Wayne Enterprises", "Tyrell Corp.", "Cyberdyne Systems KK", "Wonka Industries", "Aperture Science", "Nakatomi Trading", "Oscorp"}
	industries := []string{"Consulting", "Financial", "", "Insurance", "Durable Manufacturing", "Business Services"}
	titles := []string{"VP Engineering", "Head of Sales", "", "Chief Executive Officer", "Procurement Manager", "Data Scientist, ML"}
	cities := []string{"Paris", "München", "São Paulo", "", "New York", "Kraków", "Tokyo"}
	countries := []string{"France", "Germany", "Brazil", "", "United States", "Poland", "Japan"}
	ds.Roles = []crm.Role{
		{ID: RoleID(1), Name: "CEO"},
		{ID: RoleID(2), Name: "VP Sales", ParentID: RoleID(1)},
		{ID: RoleID(3), Name: "Sales Manager EMEA", ParentID: RoleID(2)},
		{ID: RoleID(4), Name: "Sales Rep EMEA", ParentID: RoleID(3)},
		{ID: RoleID(5), Name: "Sales Manager US", ParentID: RoleID(2)},
		{ID: RoleID(6), Name: "Marketing", ParentID: RoleID(1)},
	}
	userRole := []int{1, 2, 3, 4, 4, 5, 6, 4}
	for i := 1; i <= NumUsers; i++ {
		ds.Users = append(ds.Users, crm.User{
			ID:       UserID(i),
			Name:     firstNames[i%len(firstNames)] + " " + lastNames[i%len(lastNames)],
			Email:    fmt.Sprintf("user%d@crm-fixture.example", i),
			RoleID:   RoleID(userRole[i-1]),
			IsActive: i != 8,
		})
	}
	owners := []int{3, 4, 5, 6, 7, 4, 8}
	owner := func(i int) string { return UserID(owners[i%len(owners)]) }
	for i := 1; i <= NumAccounts; i++ {
		ds.Accounts = append(ds.Accounts, crm.Account{
			ID:         AccountID(i),
			Name:       companies[i-1],
			Industry:   industries[i%len(industries)],
			Website:    fmt.Sprintf("https://www.account%d.example", i),
			City:       cities[i%len(cities)],
			Country:    countries[i%len(countries)],
			OwnerID:    owner(i),
			ModifiedAt: modified(i),
		})
	}
	for i := 1; i <= NumContacts; i++ {
		c := crm.Contact{
			ID:         ContactID(i),
			FirstName:  firstNames[i%len(firstNames)],
			LastName:   lastNames[(i*5)%len(lastNames)],
			Title:      titles[i%len(titles)],
			Email:      fmt.Sprintf("contact%d@account%d.example", i, 1+i%NumAccounts),
			City:       cities[(i+1)%len(cities)],
			Country:    countries[(i+1)%len(countries)],
			OwnerID:    owner(i + 1),
			ModifiedAt: modified(i + 3),
		}
		if i%6 != 0 {
			c.AccountID = AccountID(1 + i%NumAccounts)
		}
		if i%5 == 0 {
			c.Email = ""
		}
		ds.Contacts = append(ds.Contacts, c)
	}
	for i := 1; i <= NumLeads; i++ {
		ds.Leads = append(ds.Leads, crm.Lead{
			ID:         LeadID(i),
			FirstName:  firstNames[(i+3)%len(firstNames)],
			LastName:   lastNames[(i*7)%len(lastNames)],
			Company:    companies[(i*3)%len(companies)],
			Title:      titles[(i+2)%len(titles)],
			Email:      fmt.Sprintf("lead%d@lead.example", i),
			City:       cities[(i+2)%len(cities)],
			Country:    countries[(i+2)%len(countries)],
			OwnerID:    owner(i + 2),
			ModifiedAt: modified(2 * i),
		})
	}
	ds.Stages = []crm.OpportunityStage{
		{Name: "Negotiation/Review", SortOrder: 5},
		{Name: "Prospecting", SortOrder: 1},
		{Name: "Closed Won", SortOrder: 6, IsClosed: true, IsWon: true},
		{Name: "Qualification", SortOrder: 2},
		{Name: "Closed Lost", SortOrder: 7, IsClosed: true},
		{Name: "Needs Analysis", SortOrder: 3},
		{Name: "Proposal/Price Quote", SortOrder: 4},
	}
	type opp struct {
		account  int // 0: none
		stage    string
		closed   bool
		contacts []int
	}
	opps := []opp{
		1:  {1, "Prospecting", false, []int{1}},
		2:  {2, "Qualification", false, []int{2, 3}},
		3:  {3, "Needs Analysis", false, []int{4}},
		4:  {4, "Proposal/Price Quote", false, []int{5, 6}},
		5:  {5, "Negotiation/Review", false, []int{7}},
		6:  {6, "Closed Won", true, []int{8}},
		7:  {7, "Closed Lost", true, []int{9}},
		8:  {4, "Negotiation/Review", false, []int{6, 10}},
		9:  {9, "Prospecting", false, nil},
		10: {0, "Needs Analysis", false, []int{11}},
		11: {10, "Qualification", false, []int{12, 2}},
		12: {3, "Closed Won", true, nil},
	}
	for i := 1; i <= NumOpportunities; i++ {
		o := opps[i]
		op := crm.Opportunity{
			ID:         OpportunityID(i),
			Name:       fmt.Sprintf("%s – deal %d", companies[max(o.account, 1)-1], i),
			Stage:      o.stage,
			IsClosed:   o.closed,
			OwnerID:    owner(i + 3),
			ModifiedAt: modified(3 * i),
		}
		if o.account != 0 {
			op.AccountID = AccountID(o.account)
		}
		// What reports read: amounts in two currencies (one opportunity without an amount),
		// creation a month before the last change, a close date, and the stage history.
		if i != 9 {
			op.Amount = float64(i)*1500 + 0.25
		}
		op.Currency = "EUR"
		if i%3 == 0 {
			op.Currency = "USD"
		}
		op.IsWon = o.stage == "Closed Won"
		op.CreatedAt = op.ModifiedAt.Add(-30*24*time.Hour - 17*time.Minute)
		op.CloseDate = time.Date(2024, 4, 1+i*2, 0, 0, 0, 0, time.UTC)
		op.History = []crm.StageChange{{Stage: "Prospecting", At: op.CreatedAt}}
		switch {
		case o.closed:
			op.History = append(op.History,
				crm.StageChange{Stage: "Proposal/Price Quote", At: op.CreatedAt.Add(time.Duration(i) * 24 * time.Hour)},
				crm.StageChange{Stage: o.stage, At: op.CloseDate})
		case o.stage != "Prospecting":
			op.History = append(op.History, crm.StageChange{Stage: o.stage, At: op.CreatedAt.Add(time.Duration(i)*24*time.Hour + 3*time.Hour)})
		}
		for _, c := range o.contacts {
			op.ContactIDs = append(op.ContactIDs, ContactID(c))
		}
		ds.Opportunities = append(ds.Opportunities, op)
	}
	ds.Defaults = crm.OrgDefaults{crm.ObjectAccount: crm.PublicRead}
	ds.Expected = Expected{
		ModifiedSince: modified(12),
		Stages: []StageCase{
			{Stage: "Prospecting",
				Accounts: ids(AccountID, 1, 10, 2, 3, 4, 5, 9),
				Contacts: ids(ContactID, 1, 10, 11, 12, 2, 3, 4, 5, 6, 7)},
			{Stage: "Needs Analysis",
				Accounts: ids(AccountID, 3, 4, 5),
				Contacts: ids(ContactID, 10, 11, 4, 5, 6, 7)},
			{Stage: "Negotiation/Review",
				Accounts: ids(AccountID, 4, 5),
				Contacts: ids(ContactID, 10, 6, 7)},
			{Stage: "Closed Won", Accounts: []string{}, Contacts: []string{}},
			{Stage: "No Such Stage", Unknown: true},
			{Stage: "prospecting", Unknown: true}, // stage names are exact
		},
		Visibility: []VisibilityCase{
			{"owner sees own", UserID(4), UserID(4), crm.ObjectContact, true, true},
			{"peer in same node", UserID(4), UserID(5), crm.ObjectContact, false, true},
			{"manager sees report", UserID(3), UserID(4), crm.ObjectLead, true, true},
			{"two levels up", UserID(2), UserID(5), crm.ObjectOpportunity, true, true},
			{"three levels up", UserID(1), UserID(4), crm.ObjectContact, true, true},
			{"sibling branch", UserID(3), UserID(6), crm.ObjectContact, false, false},
			{"report cannot see manager", UserID(4), UserID(3), crm.ObjectContact, false, false},
			{"other branch", UserID(7), UserID(4), crm.ObjectLead, false, false},
			{"inactive owner below", UserID(3), UserID(8), crm.ObjectLead, true, true},
			{"inactive viewer own record", UserID(8), UserID(8), crm.ObjectContact, false, false},
			{"inactive viewer public object", UserID(8), UserID(4), crm.ObjectAccount, false, false},
			{"public read object", UserID(7), UserID(4), crm.ObjectAccount, true, true},
			{"unknown viewer", UserID(99), UserID(4), crm.ObjectAccount, false, false},
			{"unknown owner", UserID(1), UserID(99), crm.ObjectContact, false, false},
			{"no owner", UserID(1), "", crm.ObjectContact, false, false},
		},
	}
	return ds
}

func ids(f func(int) string, ns ...int) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = f(n)
	}
	slices.Sort(out)
	return out
}

// WithBusinessUnits returns a copy of ds for a CRM that places users in business units (Dynamics):
// every user's RoleID moves to BusinessUnitID and Roles are read as business units.
func (ds *Dataset) WithBusinessUnits() *Dataset {
	c := ds.Clone()
	for i := range c.Users {
		c.Users[i].BusinessUnitID, c.Users[i].RoleID = c.Users[i].RoleID, ""
	}
	return c
}

// Clone returns a deep copy of ds.
func (ds *Dataset) Clone() *Dataset {
	c := *ds
	c.Accounts = slices.Clone(ds.Accounts)
	c.Contacts = slices.Clone(ds.Contacts)
	c.Leads = slices.Clone(ds.Leads)
	c.Opportunities = slices.Clone(ds.Opportunities)
	for i := range c.Opportunities {
		c.Opportunities[i].ContactIDs = slices.Clone(c.Opportunities[i].ContactIDs)
		c.Opportunities[i].History = slices.Clone(c.Opportunities[i].History)
	}
	c.Stages = slices.Clone(ds.Stages)
	c.Users = slices.Clone(ds.Users)
	c.Roles = slices.Clone(ds.Roles)
	c.Defaults = make(crm.OrgDefaults, len(ds.Defaults))
	for k, v := range ds.Defaults {
		c.Defaults[k] = v
	}
	c.Expected.Stages = slices.Clone(ds.Expected.Stages)
	c.Expected.Visibility = slices.Clone(ds.Expected.Visibility)
	return &c
}

// WithCloseOnlyHistory returns a copy of ds as read from a CRM that records no stage history but
// the closing (Dynamics): a closed opportunity's History is its entry into its closed stage on its
// close date; an open one has none.
func (ds *Dataset) WithCloseOnlyHistory() *Dataset {
	c := ds.Clone()
	for i := range c.Opportunities {
		o := &c.Opportunities[i]
		o.History = nil
		if o.IsClosed {
			o.History = []crm.StageChange{{Stage: o.Stage, At: o.CloseDate}}
		}
	}
	return c
}
