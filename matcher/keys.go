package matcher

// Key is a lookup key of the candidate index: a 64-bit FNV-1a hash of a tag
// (what the key is about) and a normalised value. Entities and queries derive
// their keys with the same functions, so every [Directory] that indexes
// [Entity.Keys] and looks up [Query.Keys] finds the same candidates, and a
// persistent directory may store keys (they are stable across processes and
// releases of the same major version).
type Key uint64

// Key tags. The tag is the first byte hashed, and the low byte of the key.
const (
	tagCoCore       byte = 1 + iota // whole core company name (exact level, TF)
	tagCoToken                      // one core token of a company name
	tagCoGram                       // reserved (character trigrams: dropped, they cost recall and time)
	tagCoAcronym                    // acronym of a company name
	tagDomain                       // registrable website domain
	tagDomainLabel                  // the domain's distinctive label (acme of acme.co.uk)
	tagPerson                       // a first or last name token or nickname root
	tagPersonGram                   // reserved (trigrams of person names: dropped)
	tagEmail                        // email hash
	tagMemberCo                     // a core token of a member's employer
	tagFirst                        // exact first name (TF only)
	tagLast                         // exact last name (TF only)
	tagMemberCoCore                 // whole core of a member's employer (TF only)
	tagCoDel                        // a company token or one of its 1-deletions
	tagPersonDel                    // a person name or one of its 1-deletions
	tagCoPlace                      // city and industry of a company, together
)

// exactTags are tags whose agreement alone nearly identifies an entity.
func exactTag(tag byte) bool { return tag == tagEmail || tag == tagDomain }

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func makeKey(tag byte, s string) Key {
	h := uint64(fnvOffset)
	h ^= uint64(tag)
	h *= fnvPrime
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	// Keep the tag recoverable in the low byte so that a directory can tell
	// exact keys from fuzzy ones without a side table.
	return Key(h&^0xff | uint64(tag))
}

// Exact reports whether k is an exact-identity key (an email hash or a
// website domain): agreement on it alone nearly identifies an entity, so a
// directory should rank its postings before any fuzzy key's.
func (k Key) Exact() bool { return exactTag(byte(k)) }

// dedupKeys removes duplicate keys in place, keeping the first occurrence.
func dedupKeys(ks []Key) []Key {
	out := ks[:0]
outer:
	for _, k := range ks {
		for _, o := range out {
			if o == k {
				continue outer
			}
		}
		out = append(out, k)
	}
	return out
}

// Deletion keys (the symmetric-deletion idea of SymSpell): a token and each
// of its one-rune deletions. Two tokens within one edit (substitution,
// insertion, deletion, adjacent transposition) share at least one such key,
// and the keys are rare, so typo-tolerant lookup costs a few short posting
// lists (character trigrams were tried: they cost more time and recall).
const (
	minDelRunes = 3
	maxDelRunes = 16
)

// appendDeletes appends the deletion keys of tok.
func appendDeletes(dst []Key, tag byte, tok string) []Key {
	n := 0
	for range tok {
		n++
	}
	if n < minDelRunes || n > maxDelRunes {
		return dst
	}
	dst = append(dst, makeKey(tag, tok))
	for i, r := range tok {
		j := i + len(string(r))
		dst = append(dst, makeKey2(tag, tok[:i], tok[j:]))
	}
	return dst
}

// makeKey2 is makeKey(tag, a+b) without building a+b.
func makeKey2(tag byte, a, b string) Key {
	h := uint64(fnvOffset)
	h ^= uint64(tag)
	h *= fnvPrime
	for i := 0; i < len(a); i++ {
		h ^= uint64(a[i])
		h *= fnvPrime
	}
	for i := 0; i < len(b); i++ {
		h ^= uint64(b[i])
		h *= fnvPrime
	}
	return Key(h&^0xff | uint64(tag))
}
