package synth

import (
	"math/rand/v2"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// foldSpecial holds letters that do not decompose to ASCII under NFD.
var foldSpecial = map[rune]string{
	'ß': "ss", 'ø': "o", 'Ø': "O", 'æ': "ae", 'Æ': "AE", 'ł': "l", 'Ł': "L", 'đ': "d", 'Đ': "D",
	'œ': "oe", 'Œ': "OE", 'þ': "th", 'ı': "i",
}

// foldASCII drops diacritics the way a CRM export or a US keyboard does
// ("Müller" -> "Muller"); non-Latin scripts are left alone.
func foldASCII(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if t, ok := foldSpecial[r]; ok {
			b.WriteString(t)
			continue
		}
		b.WriteRune(r)
	}
	return norm.NFC.String(b.String())
}

// germanFold spells umlauts the German way on an ASCII keyboard ("Müller" -> "Mueller").
var germanFold = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "Ä", "Ae", "Ö", "Oe", "Ü", "Ue", "ß", "ss")

// hasUmlaut reports whether s has a German umlaut or ß.
func hasUmlaut(s string) bool { return strings.ContainsAny(s, "äöüÄÖÜß") }

// translitTable romanises Cyrillic (Russian and Ukrainian) and Greek letters.
var translitTable = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh", 'з': "z", 'и': "i",
	'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t",
	'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "", 'ы': "y",
	'ь': "", 'э': "e", 'ю': "yu", 'я': "ya", 'і': "i", 'ї': "yi", 'є': "ye", 'ґ': "g",
	'α': "a", 'ά': "a", 'β': "v", 'γ': "g", 'δ': "d", 'ε': "e", 'έ': "e", 'ζ': "z", 'η': "i", 'ή': "i",
	'θ': "th", 'ι': "i", 'ί': "i", 'ϊ': "i", 'κ': "k", 'λ': "l", 'μ': "m", 'ν': "n", 'ξ': "x", 'ο': "o",
	'ό': "o", 'π': "p", 'ρ': "r", 'σ': "s", 'ς': "s", 'τ': "t", 'υ': "y", 'ύ': "y", 'φ': "f", 'χ': "ch",
	'ψ': "ps", 'ω': "o", 'ώ': "o",
}

// ukrainianTable overrides translitTable for Ukrainian text (national system).
var ukrainianTable = map[rune]string{'и': "y", 'г': "h", 'ї': "i", 'є': "ie", 'й': "i"}

// greekDigraphs are romanised before single letters.
var greekDigraphs = strings.NewReplacer("ου", "ou", "Ου", "Ou", "ού", "ou", "ΟΥ", "OU", "αι", "ai", "αί", "ai", "ει", "ei", "εί", "ei")

// translit romanises Cyrillic (Russian, or Ukrainian when the text has a
// Ukrainian letter) and Greek text, keeping capitalisation of initials.
func translit(s string) string { return translitAs(s, false) }

// translitIn romanises s written in country c (Ukrainian rules for UA).
func translitIn(c *country, s string) string { return translitAs(s, c.code == "UA") }

// translitAs romanises s, with Ukrainian rules if ukrainian or if s has a
// Ukrainian letter.
func translitAs(s string, ukrainian bool) string {
	if !hasNonASCII(s) {
		return s
	}
	ukrainian = ukrainian || strings.ContainsAny(s, "іїєґІЇЄҐ")
	if strings.ContainsAny(s, "ουΟΥαιε") {
		s = greekDigraphs.Replace(s)
	}
	var b strings.Builder
	b.Grow(len(s) * 2)
	for _, r := range s {
		lr := unicode.ToLower(r)
		t, ok := translitTable[lr]
		if u, uok := ukrainianTable[lr]; ukrainian && uok {
			t, ok = u, true
		}
		if !ok {
			b.WriteRune(r)
			continue
		}
		if lr != r && t != "" {
			t = strings.ToUpper(t[:1]) + t[1:]
		}
		b.WriteString(t)
	}
	return b.String()
}

// hasNonASCII reports whether s has a byte outside ASCII.
func hasNonASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// isLatin reports whether s has no Cyrillic or Greek letter.
func isLatin(s string) bool {
	for _, r := range s {
		if unicode.In(r, unicode.Cyrillic, unicode.Greek) {
			return false
		}
	}
	return true
}

// keyboardRows is a QWERTY layout for adjacent-key typos.
var keyboardRows = []string{"qwertyuiop", "asdfghjkl", "zxcvbnm"}

// adjacentKey returns a key next to r on a QWERTY keyboard, or r itself.
func adjacentKey(rng *rand.Rand, r rune) rune {
	lr := unicode.ToLower(r)
	for i, row := range keyboardRows {
		j := strings.IndexRune(row, lr)
		if j < 0 {
			continue
		}
		var opts []byte
		if j > 0 {
			opts = append(opts, row[j-1])
		}
		if j+1 < len(row) {
			opts = append(opts, row[j+1])
		}
		if i > 0 && j < len(keyboardRows[i-1]) {
			opts = append(opts, keyboardRows[i-1][j])
		}
		if i+1 < len(keyboardRows) && j < len(keyboardRows[i+1]) {
			opts = append(opts, keyboardRows[i+1][j])
		}
		k := rune(opts[rng.IntN(len(opts))])
		if unicode.IsUpper(r) {
			k = unicode.ToUpper(k)
		}
		return k
	}
	return r
}

// typo applies one keyboard-style error to s: an adjacent-key substitution, a
// transposition, a deletion or a doubled letter. It never touches the first
// letter (people rarely get it wrong) and leaves strings of under 4 letters alone.
func typo(rng *rand.Rand, s string) string {
	rs := []rune(s)
	if len(rs) < 4 {
		return s
	}
	// Pick a letter position other than the first.
	var pos []int
	for i := 1; i < len(rs); i++ {
		if unicode.IsLetter(rs[i]) {
			pos = append(pos, i)
		}
	}
	if len(pos) == 0 {
		return s
	}
	i := pos[rng.IntN(len(pos))]
	switch rng.IntN(4) {
	case 0: // substitution
		if k := adjacentKey(rng, rs[i]); k != rs[i] {
			rs[i] = k
			break
		}
		fallthrough
	case 1: // deletion
		rs = append(rs[:i], rs[i+1:]...)
	case 2: // transposition
		if i+1 < len(rs) && rs[i+1] != rs[i] && unicode.IsLetter(rs[i+1]) {
			rs[i], rs[i+1] = rs[i+1], rs[i]
		} else {
			rs[i-1], rs[i] = rs[i], rs[i-1]
		}
	default: // doubled letter
		rs = append(rs[:i+1], rs[i:]...)
	}
	return string(rs)
}

// slug turns a name into a domain label: ASCII, lower case, words joined by sep.
func slug(s, sep string) string {
	if hasNonASCII(s) {
		s = foldASCII(translit(s))
	}
	var b strings.Builder
	b.Grow(len(s))
	pendingSep := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if pendingSep && b.Len() > 0 {
				b.WriteString(sep)
			}
			pendingSep = false
			b.WriteRune(r)
		case r == '\'' || r == '.':
			// "O'Brien" -> "obrien", "S.p.A." -> "spa"
		default:
			pendingSep = true
		}
	}
	return b.String()
}

// slugDE is slug for German names: mailboxes and domains spell umlauts the
// German way (mueller@, koeln.de).
func slugDE(s, sep string) string { return slug(germanFold.Replace(s), sep) }

// initials returns the upper-case first letters of the words of s ("Blue Ridge Analytics" -> "BRA").
func initials(s string) string {
	var b strings.Builder
	for _, f := range strings.Fields(s) {
		r, _ := utf8.DecodeRuneInString(f)
		if unicode.IsLetter(r) {
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return b.String()
}

// stripPunct removes punctuation and quotes, keeping letters, digits, spaces and '&'.
func stripPunct(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' ' || r == '&' {
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
