package matcher

import "unicode/utf8"

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
	tagCoGram                       // a character bigram of a company name in an unspaced script (Han, Thai ...)
	tagCoAcronym                    // acronym of a company name
	tagDomain                       // registrable website domain
	tagDomainLabel                  // the domain's distinctive label (acme of acme.co.uk)
	tagPerson                       // a first or last name token or nickname root
	tagPersonGram                   // a character bigram of a name in an unspaced script, or "~" and a consonant skeleton
	tagEmail                        // email hash
	tagMemberCo                     // a core token of a member's employer
	tagFirst                        // exact first name (TF only)
	tagLast                         // exact last name (TF only)
	tagMemberCoCore                 // whole core of a member's employer (TF only)
	tagCoDel                        // a company token or one of its 1-deletions
	tagPersonDel                    // a person name or one of its 1-deletions
	tagCoPlace                      // city and industry of a company, together
	tagCoPair                       // a company name's first two words, one of them cut short
	tagIndustry                     // a company's industry label (vocabulary check only)
	tagCoPrefix                     // the first prefixKeyRunes runes of a company name without spaces
	tagMemberPlace                  // a member's last name and city, together
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

// Two-deletion keys, on the query side only: a long query token's
// two-rune deletions meet an entity's token or one-deletion keys, so that
// the entity is found despite two typos in the query's first word (two
// insertions, or an insertion and a substitution, or a transposition and a
// substitution...) with no index growth. Short tokens are left out: their
// two-deletions are too unspecific to be worth the lookups.
const (
	minDel2Runes = 7
	maxDel2Runes = 12
)

// appendDeletes2 appends the two-deletion keys of tok (query side only).
func appendDeletes2(dst []Key, tag byte, tok string) []Key {
	var offs [maxDel2Runes + 1]int
	n := 0
	for i := range tok {
		if n == maxDel2Runes {
			return dst
		}
		offs[n] = i
		n++
	}
	if n < minDel2Runes {
		return dst
	}
	offs[n] = len(tok)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			dst = append(dst, makeKey3(tag, tok[:offs[i]], tok[offs[i+1]:offs[j]], tok[offs[j+1]:]))
		}
	}
	return dst
}

// makeKey3 is makeKey(tag, a+b+c) without building the string.
func makeKey3(tag byte, a, b, c string) Key {
	h := uint64(fnvOffset)
	h ^= uint64(tag)
	h *= fnvPrime
	for _, s := range [3]string{a, b, c} {
		for i := 0; i < len(s); i++ {
			h ^= uint64(s[i])
			h *= fnvPrime
		}
	}
	return Key(h&^0xff | uint64(tag))
}

// appendPairKeys appends the pair keys of a company name's first two words
// a and b: a with the first three runes of b, a with the last three runes
// of b, and the first two runes of a with b. A typo in one of the two words
// leaves at least one of them intact ("golden clnsulting" meets "golden
// consulting" on golden|ing), and each is far rarer than either word, so
// that a typo in the second word no longer leaves the entity tied with every
// other company named after the first word (measured on 1,000,000 synthetic
// companies: company recall@10 0.948 to 0.952, for 16 MiB of index).
func appendPairKeys(dst []Key, a, b string) []Key {
	pa, sb, pb := runePrefix(a, 2), runeSuffix(b, 3), runePrefix(b, 3)
	dst = append(dst, makeKey3(tagCoPair, a, "|", pb))
	if sb != pb {
		dst = append(dst, makeKey3(tagCoPair, a, "|<", sb))
	}
	if pa != a {
		dst = append(dst, makeKey3(tagCoPair, pa, ">|", b))
	}
	return dst
}

// prefixKeyRunes is the length of a company name's prefix key: the name
// without spaces cut to five runes ("pepsi" of "pepsico"), so that a
// one-word query of at least that length finds the longer legal names that
// start with it ([Weights].CompanyName.Prefix). Common prefixes make long
// posting lists, which a directory visits last (rarest first).
const prefixKeyRunes = 5

// runePrefix returns the first n runes of s.
func runePrefix(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// runeSuffix returns the last n runes of s.
func runeSuffix(s string, n int) string {
	i := len(s)
	for ; i > 0 && n > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return s[i:]
}
