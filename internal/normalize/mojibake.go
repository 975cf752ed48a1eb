package normalize

import (
	"html"
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
// twice is repaired twice. Text without the byte 0xC3 (all mojibake holds
// it) costs one scan for it and no allocation.
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
// bytes and reads them as UTF-8, keeping a run that does not spell valid
// UTF-8 as it is. The UTF-8 of a character holds no ASCII byte, so its
// mojibake is always within one run.
func repairOnce(s string) (string, bool) {
	if !mayBeMojibake(s) {
		return "", false
	}
	var b []byte
	var buf [64]byte // a run's bytes, on the stack unless longer
	done := 0        // bytes of s copied to b
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] >= utf8.RuneSelf {
			j++
		}
		if fixed, ok := repairRun(buf[:0], s[i:j]); ok {
			if b == nil {
				b = make([]byte, 0, len(s))
			}
			b = append(append(b, s[done:i]...), fixed...)
			done = j
		}
		i = j
	}
	if b == nil {
		return "", false
	}
	return string(append(b, s[done:]...)), true
}

// repairRun appends to dst the bytes that run, all non-ASCII runes, spells
// as Windows-1252 (or Latin-1), and reports whether they are valid UTF-8.
// Every byte is then at least 0x80, so they spell the run in fewer runes.
func repairRun(dst []byte, run string) ([]byte, bool) {
	if !mayBeMojibake(run) {
		return dst, false
	}
	for _, r := range run {
		c, ok := mojibakeByte(r)
		if !ok {
			return dst, false
		}
		dst = append(dst, c)
	}
	return dst, utf8.Valid(dst)
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

// unescapeEntities writes HTML character references as the characters
// they stand for ("Procter &amp; Gamble", "M&uuml;ller", "O&#39;Brien"),
// as text that passed through a web form or an XML export holds them.
// Text without an ampersand followed by a semicolon is returned as it is.
func unescapeEntities(s string) string {
	i := strings.IndexByte(s, '&')
	if i < 0 || strings.IndexByte(s[i:], ';') < 0 {
		return s
	}
	return html.UnescapeString(s)
}
