package override

import (
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxIDLen is the longest org, record, entity or user ID accepted, in bytes.
const MaxIDLen = 255

// minTime and maxTime bound UpdatedAt so that every driver can store it.
var (
	minTime = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC)
)

// ValidateID checks an identifier: non-empty, at most [MaxIDLen] bytes, valid
// UTF-8, no control characters. field names it in the error.
func ValidateID(field, id string) error {
	switch {
	case id == "":
		return &ValidationError{Field: field, Reason: "empty"}
	case len(id) > MaxIDLen:
		return &ValidationError{Field: field, Reason: "longer than " + strconv.Itoa(MaxIDLen) + " bytes"}
	}
	// Fast path: most IDs are printable ASCII.
	ascii := true
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c < 0x20 || c == 0x7f {
			return &ValidationError{Field: field, Reason: "contains a control character"}
		}
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return nil
	}
	switch {
	case !utf8.ValidString(id):
		return &ValidationError{Field: field, Reason: "not valid UTF-8"}
	}
	for _, r := range id {
		if unicode.IsControl(r) {
			return &ValidationError{Field: field, Reason: "contains a control character"}
		}
	}
	return nil
}

// ValidateOrg checks an org ID with the rules of [ValidateID].
func ValidateOrg(org string) error { return ValidateID("org", org) }

// Validate checks r: a valid org and record ID and a known object.
func (r RecordRef) Validate() error {
	if err := ValidateID("Record.Org", r.Org); err != nil {
		return err
	}
	if !r.Object.Valid() {
		return &ValidationError{Field: "Record.Object", Reason: "unknown object"}
	}
	return ValidateID("Record.ID", r.ID)
}

// Validate checks e: a known kind and a valid ID.
func (e EntityRef) Validate() error {
	if !e.Kind.Valid() {
		return &ValidationError{Field: "Entity.Kind", Reason: "unknown kind"}
	}
	return ValidateID("Entity.ID", e.ID)
}

// Validate checks s is a known source.
func (s Source) Validate() error {
	if !s.Valid() {
		return &ValidationError{Field: "Source", Reason: "unknown source"}
	}
	return nil
}

// Validate checks every field of m. A zero UpdatedAt is accepted (stores set
// it); otherwise it must lie in years 1 to 9999. UpdatedBy may be empty.
func (m Mapping) Validate() error {
	if err := m.Record.Validate(); err != nil {
		return err
	}
	if err := m.Entity.Validate(); err != nil {
		return err
	}
	if err := m.Source.Validate(); err != nil {
		return err
	}
	if !m.UpdatedAt.IsZero() && (m.UpdatedAt.Before(minTime) || m.UpdatedAt.After(maxTime)) {
		return &ValidationError{Field: "UpdatedAt", Reason: "outside years 1 to 9999"}
	}
	if m.UpdatedBy != "" {
		return ValidateID("UpdatedBy", m.UpdatedBy)
	}
	return nil
}
