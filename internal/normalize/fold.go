package normalize

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/unicode/norm"
)

// MaxInput is the number of input bytes each normaliser reads from one field.
// Bytes beyond it are ignored, so the work done per field is bounded. Folded
// output is capped at the same number of bytes.
const MaxInput = 1024

// Fold returns the search form of s: compatibility decomposition (NFKD, which
// also folds full-width and other width variants), combining marks removed,
// case folded, Cyrillic and Greek transliterated to Latin, special Latin
// letters spelled out (ß→ss, æ→ae, ø→o, ł→l, đ→d, þ→th ...), apostrophes
// removed ("O'Brien"→"obrien"), every other punctuation or symbol turned into
// a space, runs of spaces collapsed and the ends trimmed. Letters and digits of
// any script are kept.
//
// HTML character references ("Procter &amp; Gamble", "O&#39;Brien") are
// read as the characters they stand for, and text corrupted by a
// Windows-1252 reading of UTF-8 ("MÃ¼ller") is repaired (see
// [RepairMojibake]), first. Only the first [MaxInput] bytes of
// s are read; invalid UTF-8 and NUL bytes are dropped. Fold is idempotent:
// Fold(Fold(s)) == Fold(s).
func Fold(s string) string {
	if isFolded(s) {
		return s
	}
	b := AppendFold(make([]byte, 0, min(len(s), MaxInput)+8), s)
	if len(b) == 0 {
		return ""
	}
	// b is not referenced elsewhere, so the string may share its memory
	// (as strings.Builder does).
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// isFolded reports whether s is already in folded form and ASCII, so Fold can
// return it without allocating.
func isFolded(s string) bool {
	if len(s) > MaxInput || s == "" {
		return s == ""
	}
	prevSpace := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			prevSpace = false
		case c == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
		default:
			return false
		}
	}
	return !prevSpace
}

// AppendFold appends the folded form of s (see [Fold]) to dst and returns the
// extended buffer. It allocates only when dst lacks capacity.
func AppendFold(dst []byte, s string) []byte {
	if len(s) > MaxInput {
		s = s[:MaxInput]
	}
	s = RepairMojibake(unescapeEntities(s))
	// One pass suffices: every rune folds to text that folds to itself
	// (TestFoldEveryRuneIsIdempotent checks all of Unicode), so Fold is
	// idempotent.
	return appendFoldOnce(dst, s)
}

// folder accumulates folded output, inserting single spaces between words and
// enforcing the output cap.
type folder struct {
	dst     []byte
	start   int
	pending bool // a separator was seen since the last written letter
	full    bool
	// prevGreek is the previous Greek vowel written (α, ε, ο), for the
	// digraphs αυ, ευ, ου.
	prevGreek rune
}

func (f *folder) sep() { f.pending = true }

func (f *folder) writeString(s string) {
	for i := 0; i < len(s); i++ {
		f.writeByte(s[i])
	}
}

// writeFolded writes already folded text, spaces as separators.
func (f *folder) writeFolded(s string) {
	for _, r := range s {
		if r == ' ' {
			f.sep()
		} else {
			f.writeRune(r)
		}
	}
}

func (f *folder) writeByte(c byte) {
	if f.full {
		return
	}
	need := 1
	if f.pending && len(f.dst) > f.start {
		need++
	}
	if len(f.dst)-f.start+need > MaxInput {
		f.full = true
		return
	}
	if f.pending && len(f.dst) > f.start {
		f.dst = append(f.dst, ' ')
	}
	f.pending = false
	f.dst = append(f.dst, c)
}

func (f *folder) writeRune(r rune) {
	if r < utf8.RuneSelf {
		f.writeByte(byte(r))
		return
	}
	if f.full {
		return
	}
	n := utf8.RuneLen(r)
	need := n
	if f.pending && len(f.dst) > f.start {
		need++
	}
	if len(f.dst)-f.start+need > MaxInput {
		f.full = true
		return
	}
	if f.pending && len(f.dst) > f.start {
		f.dst = append(f.dst, ' ')
	}
	f.pending = false
	f.dst = utf8.AppendRune(f.dst, r)
}

// asciiFold maps an ASCII byte to its folded letter or digit, 0 for a
// separator and 1 for a byte that is dropped (apostrophe, backquote, NUL).
func asciiFold(c byte) byte {
	switch {
	case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		return c
	case c >= 'A' && c <= 'Z':
		return c + 'a' - 'A'
	case c == '\'' || c == '`' || c == 0:
		return 1
	}
	return 0
}

// tableEnd bounds the runes folded through [foldTable]: Latin-1, Latin
// Extended, IPA, Greek and Cyrillic.
const tableEnd = 0x530

// Entries of foldTable that are not folded text.
const (
	tableSep  = ""     // the rune separates words
	tableDrop = "\x00" // the rune is dropped
)

// foldTable holds the folded form of every rune below tableEnd, computed once
// by the general path, so that common accented letters and Cyrillic skip the
// Unicode tables. Greek is left out: its digraphs depend on context.
var foldTable = sync.OnceValue(func() *[tableEnd]string {
	var t [tableEnd]string
	for r := rune(utf8.RuneSelf); r < tableEnd; r++ {
		if isGreek(r) {
			continue
		}
		one := string(appendFoldSlow(nil, "a"+string(r)+"b"))
		switch {
		case one == "ab":
			t[r] = tableDrop
		case one == "a b":
			t[r] = tableSep
		default:
			// Keep the spaces at either end: they separate the rune's
			// letters from its neighbours ("ŀ" is "l" then a separator).
			t[r] = one[1 : len(one)-1]
		}
	}
	return &t
})

func isGreek(r rune) bool { return r >= 0x370 && r <= 0x3FF }

func appendFoldOnce(dst []byte, s string) []byte {
	return appendFold(dst, s, foldTable())
}

func appendFoldSlow(dst []byte, s string) []byte {
	return appendFold(dst, s, nil)
}

func appendFold(dst []byte, s string, table *[tableEnd]string) []byte {
	f := folder{dst: dst, start: len(dst)}
	for i := 0; i < len(s) && !f.full; {
		c := s[i]
		if c < utf8.RuneSelf {
			f.prevGreek = 0
			switch k := asciiFold(c); k {
			case 0:
				f.sep()
			case 1:
			default:
				f.writeByte(k)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			i++ // invalid UTF-8: dropped
			continue
		}
		if table != nil && r < tableEnd && !isGreek(r) {
			switch t := table[r]; t {
			case tableDrop: // like a combining mark: Greek context kept
			case tableSep:
				f.prevGreek = 0
				f.sep()
			default:
				f.prevGreek = 0
				f.writeFolded(t)
			}
			i += size
			continue
		}
		if t, ok := preDecompose(r); ok {
			f.writeString(t)
			f.prevGreek = 0
			i += size
			continue
		}
		if isApostrophe(r) {
			i += size
			continue
		}
		if unicode.IsSymbol(r) || unicode.IsPunct(r) {
			// "™" and "℡" decompose to letters; as symbols they separate.
			f.sep()
			f.prevGreek = 0
			i += size
			continue
		}
		if d := norm.NFKD.PropertiesString(s[i:]).Decomposition(); d != nil {
			for j := 0; j < len(d); {
				dr, dsize := utf8.DecodeRune(d[j:])
				j += dsize
				foldRune(&f, dr)
			}
		} else {
			foldRune(&f, r)
		}
		i += size
	}
	return f.dst
}

// preDecompose handles the few precomposed letters whose transliteration
// differs from that of their base letter (й is not и).
func preDecompose(r rune) (string, bool) {
	switch r {
	case 'й', 'Й':
		return "y", true
	case 'ё', 'Ё':
		return "e", true
	case 'ї', 'Ї':
		return "yi", true
	case 'ў', 'Ў':
		return "u", true
	}
	return "", false
}

// foldRune writes the folded form of one decomposed rune.
func foldRune(f *folder, r rune) {
	if r < utf8.RuneSelf {
		f.prevGreek = 0
		switch k := asciiFold(byte(r)); k {
		case 0:
			f.sep()
		case 1:
		default:
			f.writeByte(k)
		}
		return
	}
	switch {
	case unicode.Is(unicode.Mn, r), unicode.Is(unicode.Me, r), unicode.Is(unicode.Cf, r):
		return // combining marks and format characters (ZWJ, soft hyphen...)
	case isApostrophe(r):
		return
	}
	r = unicode.ToLower(r)
	prev := f.prevGreek
	f.prevGreek = 0
	switch r {
	case 'α', 'ε', 'ο':
		f.prevGreek = r
	case 'υ':
		switch prev {
		case 'ο':
			f.writeByte('u') // ου → ou
			return
		case 'α', 'ε':
			f.writeByte('v') // αυ → av, ευ → ev
			return
		}
	}
	if t, ok := translit(r); ok {
		if t == "" { // ъ, ь: dropped like a mark
			f.prevGreek = prev
		}
		f.writeString(t)
		return
	}
	if unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Mc, r) {
		f.writeRune(r)
		return
	}
	f.sep()
}

func isApostrophe(r rune) bool {
	switch r {
	case '\u2019', '\u2018', '\u02bc', '\u02b9', '\u00b4', '\u2032', '\uff07':
		return true
	}
	return false
}

// translit returns the Latin spelling of a lower-case letter that is not
// decomposed by NFKD: special Latin letters, Cyrillic and Greek.
func translit(r rune) (string, bool) {
	if r < 0xC0 {
		return "", false
	}
	return translitRune(r)
}

func translitRune(r rune) (string, bool) {
	switch r {
	case 'ß':
		return "ss", true
	case 'æ':
		return "ae", true
	case 'œ':
		return "oe", true
	case 'ø':
		return "o", true
	case 'ł':
		return "l", true
	case 'đ':
		return "d", true
	case 'ð':
		return "d", true
	case 'þ':
		return "th", true
	case 'ı':
		return "i", true
	case 'ħ':
		return "h", true
	case 'ŀ':
		return "l", true
	case 'ŋ':
		return "n", true
	case 'ĸ':
		return "k", true
	case 'ƒ':
		return "f", true
	case 'ŧ':
		return "t", true
	case 'ɨ':
		return "i", true
	case 'ə':
		return "e", true
	case 'ɛ':
		return "e", true
	case 'ɔ':
		return "o", true
	case 'ƶ':
		return "z", true
	case 'ȥ':
		return "z", true
	case 'ɓ':
		return "b", true
	case 'ɗ':
		return "d", true
	case 'ƙ':
		return "k", true
	case 'ƴ':
		return "y", true
	case 'ĳ':
		return "ij", true
	case 'а':
		return "a", true
	case 'б':
		return "b", true
	case 'в':
		return "v", true
	case 'г':
		return "g", true
	case 'д':
		return "d", true
	case 'е':
		return "e", true
	case 'ж':
		return "zh", true
	case 'з':
		return "z", true
	case 'и':
		return "i", true
	case 'к':
		return "k", true
	case 'л':
		return "l", true
	case 'м':
		return "m", true
	case 'н':
		return "n", true
	case 'о':
		return "o", true
	case 'п':
		return "p", true
	case 'р':
		return "r", true
	case 'с':
		return "s", true
	case 'т':
		return "t", true
	case 'у':
		return "u", true
	case 'ф':
		return "f", true
	case 'х':
		return "kh", true
	case 'ц':
		return "ts", true
	case 'ч':
		return "ch", true
	case 'ш':
		return "sh", true
	case 'щ':
		return "shch", true
	case 'ъ':
		return "", true
	case 'ы':
		return "y", true
	case 'ь':
		return "", true
	case 'э':
		return "e", true
	case 'ю':
		return "yu", true
	case 'я':
		return "ya", true
	case 'є':
		return "ye", true
	case 'і':
		return "i", true
	case 'ґ':
		return "g", true
	case 'ђ':
		return "dj", true
	case 'ј':
		return "j", true
	case 'љ':
		return "lj", true
	case 'њ':
		return "nj", true
	case 'ћ':
		return "c", true
	case 'џ':
		return "dz", true
	case 'ѓ':
		return "gj", true
	case 'ќ':
		return "kj", true
	case 'ѕ':
		return "dz", true
	case 'ә':
		return "a", true
	case 'ғ':
		return "g", true
	case 'қ':
		return "k", true
	case 'ң':
		return "n", true
	case 'ө':
		return "o", true
	case 'ұ':
		return "u", true
	case 'ү':
		return "u", true
	case 'һ':
		return "h", true
	case 'α':
		return "a", true
	case 'β':
		return "v", true
	case 'γ':
		return "g", true
	case 'δ':
		return "d", true
	case 'ε':
		return "e", true
	case 'ζ':
		return "z", true
	case 'η':
		return "i", true
	case 'θ':
		return "th", true
	case 'ι':
		return "i", true
	case 'κ':
		return "k", true
	case 'λ':
		return "l", true
	case 'μ':
		return "m", true
	case 'ν':
		return "n", true
	case 'ξ':
		return "x", true
	case 'ο':
		return "o", true
	case 'π':
		return "p", true
	case 'ρ':
		return "r", true
	case 'σ':
		return "s", true
	case 'ς':
		return "s", true
	case 'τ':
		return "t", true
	case 'υ':
		return "y", true
	case 'φ':
		return "f", true
	case 'χ':
		return "ch", true
	case 'ψ':
		return "ps", true
	case 'ω':
		return "o", true
	case 'ϐ':
		return "v", true
	case 'ϑ':
		return "th", true
	case 'ϕ':
		return "f", true
	case 'ϖ':
		return "p", true
	case 'ϰ':
		return "k", true
	case 'ϱ':
		return "r", true
	case 'ϲ':
		return "s", true
	case 'ϳ':
		return "j", true
	case 'ϵ':
		return "e", true
	}
	return "", false
}

// Tokens returns the words of Fold(s).
func Tokens(s string) []string {
	f := Fold(s)
	if f == "" {
		return nil
	}
	return strings.Split(f, " ")
}
