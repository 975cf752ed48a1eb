package crm

import "time"

// Object is a CRM object type.
type Object string

// The CRM objects crmlink reads.
const (
	ObjectLead        Object = "lead"
	ObjectContact     Object = "contact"
	ObjectAccount     Object = "account"
	ObjectOpportunity Object = "opportunity"
	ObjectUser        Object = "user"
	ObjectRole        Object = "role"
	ObjectStage       Object = "stage"
)

// RecordRef names one CRM record of one org.
type RecordRef struct {
	Org    string // the CRM org (tenant) ID
	Object Object // the object type of the record
	ID     string // the CRM record ID
}

// Lead is a CRM lead (matched to a member).
type Lead struct {
	ID, FirstName, LastName, Company, Title, Email string
	City, Country                                  string
	OwnerID                                        string // the owning user's ID
	ModifiedAt                                     time.Time
}

// Contact is a CRM contact (matched to a member). AccountID relates it to its [Account].
type Contact struct {
	ID, AccountID, FirstName, LastName, Title, Email string
	City, Country                                    string
	OwnerID                                          string // the owning user's ID
	ModifiedAt                                       time.Time
}

// Account is a CRM account (matched to a company).
type Account struct {
	ID, Name, Industry, Website, City, Country string
	OwnerID                                    string // the owning user's ID
	ModifiedAt                                 time.Time
}

// Opportunity is a CRM opportunity, tied to an account and optionally to contacts.
// Stage is the name of an [OpportunityStage].
//
// The fields after ModifiedAt feed reports (ROI): how much, in which currency, when it was
// created and closes, whether it was won, and when it moved between stages. Each driver's
// documentation says which CRM fields they come from and what its CRM cannot say.
type Opportunity struct {
	ID, Name, AccountID, Stage string
	ContactIDs                 []string // contact roles (Salesforce OpportunityContactRole, Dynamics connections/parent contact)
	IsClosed                   bool
	OwnerID                    string // the owning user's ID
	ModifiedAt                 time.Time

	// Amount is the opportunity's value in Currency: the expected value of an open or lost one,
	// the actual value of a won one where the CRM keeps both. 0 when the CRM holds none.
	Amount float64
	// Currency is the ISO 4217 code of Amount; "" when the CRM does not say (a Salesforce org
	// without multiple currencies keeps every amount in its one corporate currency).
	Currency string
	// IsWon is true for a closed opportunity that was won; IsClosed && !IsWon is a lost one.
	IsWon bool
	// CreatedAt is when the opportunity was created.
	CreatedAt time.Time
	// CloseDate is the day (at 00:00 UTC) a closed opportunity closed, or the day an open one is
	// expected to close; zero when the CRM holds none.
	CloseDate time.Time
	// History lists the stage changes the CRM recorded, oldest first; see the driver for how
	// complete it is. Empty when none is recorded.
	History []StageChange
}

// StageChange is an opportunity entering the stage named Stage at At.
type StageChange struct {
	Stage string
	At    time.Time
}

// OpportunityStage is one value of the stage picklist, in pipeline order.
type OpportunityStage struct {
	Name      string
	SortOrder int // position in the pipeline; a larger value is further along
	IsClosed  bool
	IsWon     bool
}

// User is a CRM user. RoleID is a Salesforce UserRole ID; BusinessUnitID a Dynamics business unit.
// A user with a RoleID is placed in the role hierarchy; otherwise BusinessUnitID places it in the
// business-unit tree (see [Visibility]).
//
// IsActive is false when the CRM does not say the user is active: every driver reads a missing or
// null active flag (Salesforce IsActive, Dataverse isdisabled) as inactive, the safe reading, since
// an inactive user sees nothing.
type User struct {
	ID, Name, Email, RoleID, BusinessUnitID string
	IsActive                                bool
}

// Role is a node of the Salesforce role hierarchy or a Dynamics business unit.
// ParentID is empty at the root.
type Role struct {
	ID, Name, ParentID string
}

// Team is a group of CRM users that can own records: a Dataverse owner team (or a Microsoft Entra
// group team). Its records belong to its business unit, and every member sees them (see
// [Visibility]). MemberIDs are user IDs.
type Team struct {
	ID, Name, BusinessUnitID string
	MemberIDs                []string
}
