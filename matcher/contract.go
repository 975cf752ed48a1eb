package matcher

import "errors"

// Kind is the kind of a directory entity.
type Kind uint8

// The entity kinds.
const (
	KindCompany Kind = iota + 1
	KindMember
)

// Company is a company profile of the directory. Fields are read as CRM
// exports write them: Website may be a URL or list several sites (the
// first counts; a page on a platform such as linkedin.com/company/… is no
// website), a status or role beside Name ("(Inactive)", "- HQ") is not
// part of the name, and words Name joins in camel case ("AlcatelLucent",
// "AsiaPacific") are words, as the same name in capitals or spaced reads
// them.
type Company struct {
	ID, Name, Industry, Location, Website string
}

// EmailHash is the SHA-256 of a normalised email address; members never hold an address in clear.
type EmailHash [32]byte

// Member is a member profile of the directory. Email is held only as a hash.
type Member struct {
	ID, FirstName, LastName, Company, Title, Location string
	EmailHash                                         EmailHash // zero when unknown
}

// CompanyQuery is what a CRM account tells about a company.
type CompanyQuery struct {
	Name, Industry, Location, Website string
}

// MemberQuery is what a CRM lead or contact tells about a member. Email
// may list several addresses (the first valid one counts); a Company that
// names no employer ("N/A", "Self-employed", "Retired") and a name field
// that says the name is unknown ("Unknown", "N/A") count as empty.
type MemberQuery struct {
	FirstName, LastName, Company, Title, Email, Location string
	// EmailHash is the SHA-256 of the normalised address ([HashEmail]), for
	// a caller that never holds the address in clear. It is used when Email
	// is empty; it finds and scores the member as the address would, but
	// tells nothing of the address's local part or domain.
	EmailHash EmailHash
}

// EntityRef names a directory entity.
type EntityRef struct {
	Kind Kind
	ID   string
}

// Decision is the engine's verdict on a query.
type Decision uint8

// The decisions. String() gives "none", "ambiguous", "match".
const (
	None Decision = iota
	Ambiguous
	Match
)

// FieldScore explains one field's contribution to a candidate's score.
type FieldScore struct {
	Field        string  // "name", "website", "first_name", "email", ...
	Level        string  // "exact", "nickname", "acronym", "spelled_out", "high", "medium", "disagree", "missing", ...
	Similarity   float64 // the raw similarity in [0,1] the level was chosen from
	Contribution float64 // log2 Bayes factor added to the total (0 when missing)
}

// Candidate is one scored entity.
type Candidate struct {
	Entity EntityRef
	Score  float64 // match probability in [0,1]
	Fields []FieldScore
}

// Result is the outcome of matching one query: candidates best first (equal
// scores by the sum of their fields' similarities, then companies with the
// query's legal form first, then by entity ID; company names both near the
// query's, at level High, by the share of letters an edit changes first).
type Result struct {
	Decision   Decision
	Best       *Candidate // nil when there are no candidates
	Candidates []Candidate
}

// ErrEmptyQuery is returned for a query with no usable field.
var ErrEmptyQuery = errors.New("matcher: empty query")
