package normalize

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gosimple/unidecode"
	"golang.org/x/text/unicode/norm"
)

// Scripts other than Latin, Cyrillic and Greek ([Fold] transliterates those
// two itself) are transliterated by github.com/gosimple/unidecode, a port of
// Sean Burke's Text::Unidecode tables: Han as pinyin syllables (Mandarin
// readings, also for Japanese kanji), kana as Hepburn-like romaji, Hangul as
// Revised Romanization, Arabic and Hebrew as their consonants (the vowels
// are not written), Devanagari, Thai, Khmer and others letter by letter.
// The result is a search form, not a standard romanisation: it exists so
// that a name in one script meets its Latin spelling under fuzzy comparison.

// IsOtherScript reports whether r is a letter of a script that [Fold] keeps
// as it is (not Latin, Cyrillic or Greek), which [Latin] transliterates.
func IsOtherScript(r rune) bool {
	return r >= 0x530 && unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) &&
		!unicode.Is(unicode.Cyrillic, r) && !unicode.Is(unicode.Greek, r)
}

// HasOtherScript reports whether s holds a letter of a script that [Latin]
// transliterates (see [IsOtherScript]).
func HasOtherScript(s string) bool {
	for _, r := range s {
		if r >= 0x530 && IsOtherScript(r) {
			return true
		}
	}
	return false
}

// LatinPart returns the words of s written in Latin, Cyrillic or Greek
// letters when s also holds words in another script ("Tencent 腾讯",
// "Sony ソニー株式会社", "华为 Huawei Technologies"): a name written in two
// scripts gives its own Latin name beside the native one. It returns ""
// when s is in one script only, or holds no such word. A word that mixes
// the scripts is left out with the other script's.
func LatinPart(s string) string {
	if len(s) > MaxInput {
		s = s[:MaxInput]
	}
	if !HasOtherScript(s) {
		return ""
	}
	var b strings.Builder
	letters := false
	for w := range strings.FieldsSeq(s) {
		if HasOtherScript(w) {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
		if !letters {
			letters = strings.IndexFunc(w, unicode.IsLetter) >= 0
		}
	}
	if !letters {
		return ""
	}
	return b.String()
}

// IsUnspaced reports whether r belongs to a script written without spaces
// between words (Han, Hiragana, Katakana, Hangul syllables as names are
// written, Thai, Lao, Khmer, Myanmar): runs of such letters are words of
// unknown length, compared and indexed by character n-grams.
func IsUnspaced(r rune) bool {
	switch {
	case r < 0x0E00:
		return false
	case r <= 0x0EFF, // Thai, Lao
		r >= 0x1000 && r <= 0x109F, // Myanmar
		r >= 0x1780 && r <= 0x17FF: // Khmer
		return unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		r == 'ー' // the long-vowel mark of Katakana is Common script
}

// Latin returns the folded search form of s (see [Fold]) with letters of
// other scripts transliterated to Latin and folded again, so that "北京" is
// "beijing", "Москва" "moskva", "ユニクロ" "yunikuro" and "محمد" "mhmd".
// A run of letters of a script written without spaces ([IsUnspaced]) becomes
// one Latin word ("大疆创新" → "dajiangchuangxin", as pinyin joins a name's
// syllables); other words keep their boundaries. Text without such letters
// is returned as Fold returns it. Only the first [MaxInput] bytes of s are
// read, and the output is capped at MaxInput bytes.
func Latin(s string) string {
	if len(s) > MaxInput {
		s = s[:MaxInput]
	}
	s = RepairMojibake(s) // before the script test: "ä¸­" is Han
	if !HasOtherScript(s) {
		return Fold(s)
	}
	// Transliterate before folding: folding drops the combining marks that
	// Japanese voicing, Thai vowels and Devanagari vowel signs are written
	// with, and the transliteration needs them.
	s = norm.NFC.String(strings.ToValidUTF8(s, ""))
	var b strings.Builder
	b.Grow(2 * len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !IsOtherScript(r) && !IsUnspaced(r) {
			b.WriteString(s[i : i+n])
			i += n
			continue
		}
		// A run of letters of other scripts and their combining marks.
		j := i + n
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if !IsOtherScript(r) && !IsUnspaced(r) && !unicode.In(r, unicode.Mn, unicode.Mc) {
				break
			}
			j += n
		}
		t := unidecode.Unidecode(s[i:j])
		if isUnspacedRun(s[i:j]) {
			// Syllables of one unspaced run make one word.
			t = strings.ReplaceAll(t, " ", "")
		}
		b.WriteByte(' ')
		b.WriteString(t)
		b.WriteByte(' ')
		i = j
	}
	return Fold(b.String())
}

// isUnspacedRun reports whether s has a rune of an unspaced script.
func isUnspacedRun(s string) bool {
	for _, r := range s {
		if IsUnspaced(r) {
			return true
		}
	}
	return false
}

// AppendGrams appends to dst the character bigrams of the runs of unspaced
// letters ([IsUnspaced]) in the folded text s, as substrings of s, and
// returns dst; a run of one letter gives itself. "深圳市大疆" gives "深圳",
// "圳市", "市大", "大疆". Other text gives nothing. At most max grams are
// appended.
func AppendGrams(dst []string, s string, max int) []string {
	n := 0
	prev, prevAt := false, 0 // whether the previous rune is unspaced, and where it starts
	runStart := -1
	for i, r := range s {
		u := IsUnspaced(r)
		switch {
		case u && prev:
			if n == max {
				return dst
			}
			dst = append(dst, s[prevAt:i+utf8.RuneLen(r)])
			n++
			runStart = -1
		case u:
			runStart = i
		case runStart >= 0:
			if n == max {
				return dst
			}
			dst = append(dst, s[runStart:i]) // a run of one letter
			n++
			runStart = -1
		}
		prev, prevAt = u, i
	}
	if runStart >= 0 && n < max {
		dst = append(dst, s[runStart:])
	}
	return dst
}

// HasAbjad reports whether s holds a letter of a script that leaves most
// vowels unwritten (Arabic, Hebrew, Syriac, Thaana), whose transliteration
// ([Latin]) is a consonant skeleton to be compared with [Skeleton].
func HasAbjad(s string) bool {
	for _, r := range s {
		if r >= 0x590 && r <= 0x7BF || r >= 0x8A0 && r <= 0x8FF ||
			r >= 0xFB1D && r <= 0xFDFF || r >= 0xFE70 && r <= 0xFEFF {
			if unicode.IsLetter(r) {
				return true
			}
		}
	}
	return false
}

// Skeleton returns the consonant skeleton of a folded Latin word, the form
// in which an abjad writes it: vowels (a, e, i, o, u, y) dropped, c and q
// read as k, w as v, and doubled letters written once, so that "mohammed",
// "muhammad" and the transliteration of "محمد" ("mhmd") are all "mhmd", and
// "cohen" and "כהן" ("khn") are "khn". Spaces are dropped too. The result
// is "" when s has no consonant.
func Skeleton(s string) string {
	var buf [64]byte
	return string(AppendSkeleton(buf[:0], s))
}

// AppendSkeleton appends the consonant skeleton of s (see [Skeleton]) to
// dst and returns the extended buffer.
func AppendSkeleton(dst []byte, s string) []byte {
	start := len(dst)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case 'a', 'e', 'i', 'o', 'u', 'y', ' ':
			continue
		case 'c', 'q':
			c = 'k'
		case 'w':
			c = 'v'
		}
		if len(dst) > start && dst[len(dst)-1] == c {
			continue
		}
		dst = append(dst, c)
	}
	return dst
}
