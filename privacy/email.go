package privacy

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/crmlink/crmlink/internal/normalize"
)

// EmailHash is the SHA-256 of a normalised email address ([HashEmail]).
type EmailHash [sha256.Size]byte

// IsZero reports whether h is the zero hash (no address).
func (h EmailHash) IsZero() bool { return h == EmailHash{} }

// String returns h in lower-case hex.
func (h EmailHash) String() string { return hex.EncodeToString(h[:]) }

// NormalizeEmail returns the canonical form of an address, the string
// [HashEmail] hashes: trimmed, lower case, plus-addressing removed (see
// internal/normalize). ok is false when addr is not an email address.
func NormalizeEmail(addr string) (string, bool) { return normalize.EmailKey(addr) }

// HashEmail returns the SHA-256 of the normalised address; ok is false when
// addr is not an email address. It is the one hash of an email in crmlink:
// directories, queries and pages compare addresses only through it.
func HashEmail(addr string) (EmailHash, bool) {
	k, ok := NormalizeEmail(addr)
	if !ok {
		return EmailHash{}, false
	}
	return sha256.Sum256([]byte(k)), true
}
