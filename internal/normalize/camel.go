package normalize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// minCamelPart is the fewest letters each side of a camel-case joint must
// have for the joint to part two words: "Mc" of "McDonald", "In" of
// "LinkedIn" and "Ms" of "ATMs" are too short to be words of their own.
const minCamelPart = 3

// SplitCamel writes apart the words a company name joins in camel case:
// "AlcatelLucent" as "Alcatel Lucent", "AsiaPacific" as "Asia Pacific",
// "BIIGroup" as "BII Group", "JPMorgan" as "JP Morgan". Exports, email
// signatures and text taken from documents drop the space or hyphen
// between a name's words and keep their capitals, so that the name, its
// acronym and its words read as the spaced name's do. A joint parts two
// words when the word after it is a capital followed by small letters,
// and either side has at least minCamelPart letters; a run of capitals
// before it parts when it has two letters or more and starts its word.
// Short humps stay: "McDonald", "LinkedIn", "eBay", "iPhone", "KGaA",
// "GmbH", "VMware".
//
// A number of one or two digits that ends a word of minCamelPart letters
// or more parts from it, in capitals or not ("Article19", "Forever21",
// "AREA51"), so that it is read as the spaced name's number is: a word of
// its own, spelt out. A number that starts a word stays joined ("3Com",
// "7Eleven"): spelt out, "three" and "com" are common words, where "3com"
// tells the name; "Go6", "B2B", "Web3D" and "Win2000" stay too. Names
// without a joint are returned as they are, without allocating.
func SplitCamel(s string) string {
	at := nextCamelJoint(s, 0)
	if at < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 4)
	last := 0
	for ; at >= 0; at = nextCamelJoint(s, at) {
		b.WriteString(s[last:at])
		b.WriteByte(' ')
		last = at
	}
	b.WriteString(s[last:])
	return b.String()
}

// maxJoinedDigits is the most digits a number joined to a word may have
// for SplitCamel to part it: the numbers normalize spells out.
const maxJoinedDigits = 2

// nextCamelJoint returns the byte offset, after from, of the next capital
// that starts a word joined to the one before it, or of the next number
// joined to a word (see [SplitCamel]), or -1.
func nextCamelJoint(s string, from int) int {
	start := 0       // where the current run of letters starts
	allUpper := true // while the run so far is capitals only
	var prev rune = -1
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if isDigitRune(r) {
			if prev >= 0 && !isDigitRune(prev) && i > from &&
				utf8.RuneCountInString(s[start:i]) >= minCamelPart && endingNumber(s[i:]) {
				return i // a number after letters: "Article19"
			}
			start, allUpper, prev = i+size, true, r
			i += size
			continue
		}
		if !unicode.IsLetter(r) {
			start, allUpper, prev = i+size, true, -1
			i += size
			continue
		}
		if isDigitRune(prev) {
			prev = -1 // a word after a number ("3Com", "7Eleven") stays joined to it
		}
		if i > from && prev >= 0 && unicode.IsUpper(r) && humpLen(s[i:]) >= minCamelPart {
			before := utf8.RuneCountInString(s[start:i])
			switch {
			case unicode.IsLower(prev) && before >= minCamelPart:
				return i
			case unicode.IsUpper(prev) && allUpper && before >= 2:
				return i
			}
		}
		if !unicode.IsUpper(r) {
			allUpper = false
		}
		prev = r
		i += size
	}
	return -1
}

// isDigitRune reports whether r is an ASCII digit (see isDigit).
func isDigitRune(r rune) bool { return r < utf8.RuneSelf && isDigit(byte(r)) }

// endingNumber reports whether s starts with a number of at most
// maxJoinedDigits digits that ends its word: followed by neither a letter
// nor another digit.
func endingNumber(s string) bool {
	n := 0
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	if n == 0 || n > maxJoinedDigits {
		return false
	}
	if n == len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[n:])
	return !unicode.IsLetter(r)
}

// humpLen returns how many letters s starts with when it is one capital
// followed by small letters, 0 otherwise.
func humpLen(s string) int {
	n := 0
	for i, r := range s {
		switch {
		case i == 0:
			if !unicode.IsUpper(r) {
				return 0
			}
		case !unicode.IsLower(r):
			if n == 1 {
				return 0
			}
			return n
		}
		n++
	}
	if n == 1 {
		return 0
	}
	return n
}
