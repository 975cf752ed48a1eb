package normalize

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// RepairMojibake undoes the commonest corruption of text in CRM exports:
// UTF-8 bytes decoded as Windows-1252 (or Latin-1) and stored again, so
// "Universität" reads "UniversitÃ¤t" and "Société" reads "SociÃ©tÃ©". It
// repairs each run of non-ASCII characters on its own, and only when every
// character of the run has a Windows-1252 (or Latin-1) byte and those bytes
// are valid UTF-8 that spells the run in fewer characters. A text corrupted
// twice is repaired twice.
//
// Text that only looks corrupted is left alone: a correct name holds a
// capital Ã or Â directly followed by a symbol such as ¤ or © almost never,
// and a run with a character Windows-1252 cannot encode (any letter outside
// Latin-1) is kept as it is.
func RepairMojibake(s string) string {
	for range 2 {
		r, ok := repairOnce(s)
		if !ok {
			break
		}
		s = r
	}
	return s
}

// mayBeMojibake reports cheaply whether s can hold mojibake: a two-byte
// UTF-8 sequence decoded as Windows-1252 always yields a rune from U+00C2 to
// U+00DF, a three- or four-byte one a rune from U+00E0 to U+00F4, and all of
// those are encoded in UTF-8 with the lead byte 0xC3.
func mayBeMojibake(s string) bool {
	return strings.IndexByte(s, 0xC3) >= 0
}

// repairOnce re-encodes each run of non-ASCII runes of s as Windows-1252
// bytes and reads them as UTF-8, keeping a run that does not spell valid,
// shorter UTF-8 as it is. The UTF-8 of a character holds no ASCII byte, so
// its mojibake is always within one run.
func repairOnce(s string) (string, bool) {
	if !mayBeMojibake(s) {
		return "", false
	}
	var b []byte
	done := 0 // bytes of s copied to b
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] >= utf8.RuneSelf {
			j++
		}
		if fixed, ok := repairRun(s[i:j]); ok {
			if b == nil {
				b = make([]byte, 0, len(s))
			}
			b = append(b, s[done:i]...)
			b = append(b, fixed...)
			done = j
		}
		i = j
	}
	if b == nil {
		return "", false
	}
	return string(append(b, s[done:]...)), true
}

// repairRun returns the UTF-8 text that run, all non-ASCII runes, spells as
// Windows-1252 (or Latin-1) bytes, and whether that is valid UTF-8 with
// fewer runes than run.
func repairRun(run string) ([]byte, bool) {
	if !mayBeMojibake(run) || !spellsUTF8(run) {
		return nil, false
	}
	b := make([]byte, 0, len(run))
	for _, r := range run {
		c, _ := mojibakeByte(r)
		b = append(b, c)
	}
	// Every byte is at least 0x80, so valid UTF-8 spells the run in fewer
	// characters.
	return b, utf8.Valid(b)
}

// mojibakeByte returns the byte that a Windows-1252 (or Latin-1) reading
// turned into r.
func mojibakeByte(r rune) (byte, bool) {
	if r < 0x100 {
		// Latin-1, and the C1 controls that lenient decoders keep for the
		// five bytes Windows-1252 leaves undefined.
		return byte(r), true
	}
	return charmap.Windows1252.EncodeRune(r)
}

// spellsUTF8 reports, without allocating, whether the bytes of run's
// characters (see mojibakeByte) form whole UTF-8 sequences: a lead byte
// followed by as many continuation bytes as it announces. Overlong forms
// and surrogates are left to utf8.Valid.
func spellsUTF8(run string) bool {
	need := 0
	for _, r := range run {
		c, ok := mojibakeByte(r)
		switch {
		case !ok:
			return false
		case need > 0:
			if c < 0x80 || c > 0xBF {
				return false
			}
			need--
		case c >= 0xC2 && c <= 0xDF:
			need = 1
		case c >= 0xE0 && c <= 0xEF:
			need = 2
		case c >= 0xF0 && c <= 0xF4:
			need = 3
		default:
			return false
		}
	}
	return need == 0
}
