package crm

// CONTRACT written by the lead so that the salesforce, dynamics and csvsource helpers can start
// at once. The crm-core helper owns this file: it may move these declarations into better-named
// files, add doc, fields and helpers, but must not change or remove these names and signatures.

import (
	"context"
	"errors"
	"iter"
	"strconv"
	"time"
)

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
	Org    string
	Object Object
	ID     string
}

// Lead is a CRM lead (matched to a member).
type Lead struct {
	ID, FirstName, LastName, Company, Title, Email string
	City, Country                                  string
	OwnerID                                        string
	ModifiedAt                                     time.Time
}

// Contact is a CRM contact (matched to a member).
type Contact struct {
	ID, AccountID, FirstName, LastName, Title, Email string
	City, Country                                    string
	OwnerID                                          string
	ModifiedAt                                       time.Time
}

// Account is a CRM account (matched to a company).
type Account struct {
	ID, Name, Industry, Website, City, Country string
	OwnerID                                    string
	ModifiedAt                                 time.Time
}

// Opportunity is a CRM opportunity, tied to an account and optionally to contacts.
type Opportunity struct {
	ID, Name, AccountID, Stage string
	ContactIDs                 []string // contact roles (Salesforce OpportunityContactRole, Dynamics connections/parent contact)
	IsClosed                   bool
	OwnerID                    string
	ModifiedAt                 time.Time
}

// OpportunityStage is one value of the stage picklist, in pipeline order.
type OpportunityStage struct {
	Name      string
	SortOrder int
	IsClosed  bool
	IsWon     bool
}

// User is a CRM user. RoleID is a Salesforce UserRole ID; BusinessUnitID a Dynamics business unit.
type User struct {
	ID, Name, Email, RoleID, BusinessUnitID string
	IsActive                                bool
}

// Role is a node of the Salesforce role hierarchy or a Dynamics business unit.
type Role struct {
	ID, Name, ParentID string
}

// Filter narrows a read. The zero Filter reads everything.
type Filter struct {
	// ModifiedSince, when non-zero, keeps records modified at or after it (incremental sync).
	ModifiedSince time.Time
	// IDs, when non-empty, keeps only these record IDs.
	IDs []string
}

// Source streams records from one CRM org. Each iterator runs a fresh query; on failure it yields
// one zero value with the error and stops; breaking out is always safe. Safe for concurrent use.
type Source interface {
	Leads(ctx context.Context, f Filter) iter.Seq2[Lead, error]
	Contacts(ctx context.Context, f Filter) iter.Seq2[Contact, error]
	Accounts(ctx context.Context, f Filter) iter.Seq2[Account, error]
	Opportunities(ctx context.Context, f Filter) iter.Seq2[Opportunity, error]
	Stages(ctx context.Context) iter.Seq2[OpportunityStage, error]
	Users(ctx context.Context) iter.Seq2[User, error]
	Roles(ctx context.Context) iter.Seq2[Role, error]
}

// StageFilterer is an optional Source ability: the accounts and contacts tied to open
// opportunities whose stage is at or past stage, computed by the CRM (SOQL semi-join, OData any()).
// Consumers fall back to computing it in memory with [FilterByStage].
type StageFilterer interface {
	TiedToOpenOpportunities(ctx context.Context, stage string) (accounts, contacts []string, err error)
}

// ActivityKind is the kind of activity written back to the CRM.
type ActivityKind string

// The activity kinds.
const (
	InMail  ActivityKind = "inmail"
	Message ActivityKind = "message"
	Note    ActivityKind = "note"
)

// Activity is one InMail, message or note to write back to a CRM record.
type Activity struct {
	Kind        ActivityKind
	Record      RecordRef
	Subject     string
	Body        string
	OccurredAt  time.Time
	Author      string // CRM user ID
	ExternalKey string // idempotency key: an activity with the same key is written once
}

// WriteResult is the outcome of writing one activity.
type WriteResult struct {
	ExternalKey string
	ID          string // CRM ID of the created (or already existing) activity
	Created     bool   // false when it already existed
	Err         error
}

// Writer writes activities back to the CRM, in batches, reporting a result per activity.
type Writer interface {
	WriteActivities(ctx context.Context, acts []Activity) ([]WriteResult, error)
}

// Error classes, matched with errors.Is.
var (
	ErrUnauthorized   = errors.New("crm: unauthorized")
	ErrRateLimited    = errors.New("crm: rate limited")
	ErrUnavailable    = errors.New("crm: unavailable")
	ErrNotFound       = errors.New("crm: not found")
	ErrMalformedQuery = errors.New("crm: malformed query")
	ErrServer         = errors.New("crm: server error")
	ErrInsecure       = errors.New("crm: insecure endpoint")
	ErrMalformed      = errors.New("crm: malformed response")
)

// APIError is a failed call to a CRM API. Its text never contains record data or secrets.
type APIError struct {
	Op         string        // "query Contact", "create Task"
	Status     int           // HTTP status, 0 if none
	Code       string        // vendor code, e.g. REQUEST_LIMIT_EXCEEDED
	RetryAfter time.Duration // zero if the server gave none
	Class      error         // ErrRateLimited, ErrUnauthorized, ... or nil
	Cause      error         // the transport or vendor error, if any
}

func (e *APIError) Error() string {
	s := "crm: " + e.Op
	if e.Status != 0 {
		s += ": HTTP " + strconv.Itoa(e.Status)
	}
	if e.Code != "" {
		s += " " + e.Code
	}
	if e.Cause != nil {
		s += ": " + e.Cause.Error()
	}
	return s
}

// Unwrap returns the class and the cause, so errors.Is and errors.As see both.
func (e *APIError) Unwrap() []error {
	var out []error
	if e.Class != nil {
		out = append(out, e.Class)
	}
	if e.Cause != nil {
		out = append(out, e.Cause)
	}
	return out
}
