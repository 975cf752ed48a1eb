package normalize

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"golang.org/x/text/encoding/charmap"
)

func TestRepairMojibake(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"UniversitÃ¤t MÃ¼nchen", "Universität München"},
		{"SociÃ©tÃ© GÃ©nÃ©rale", "Société Générale"},
		{"Ã…land", "Åland"},
		{"Ð¡Ð±ÐµÑ€Ð±Ð°Ð½Ðº", "Сбербанк"},
		{"åŒ—äº¬å¤§å\u00ad¦", "北京大学"},
		{"NestlÃƒÂ©", "Nestlé"},                               // corrupted twice
		{"TelefÃ³nica S.A. – Perú", "Telefónica S.A. – Perú"}, // correct runs kept
		// Left alone: correct text, even with capitals that mojibake starts with.
		{"São Paulo", "São Paulo"},
		{"JOÃO", "JOÃO"},
		{"L’Oréal", "L’Oréal"},
		{"Ãrvore ©", "Ãrvore ©"},
		{"Acme", "Acme"},
		{"MÃ¼ller 北京", "Müller 北京"},
		{"MÃ¼北京", "MÃ¼北京"}, // a rune outside Windows-1252 in the run
		{"", ""},
	} {
		assert.Equal(t, c.want, RepairMojibake(c.in), "RepairMojibake(%q)", c.in)
	}
}

func TestFoldRepairsMojibake(t *testing.T) {
	assert.Equal(t, "universitat munchen", Fold("UniversitÃ¤t MÃ¼nchen"))
	assert.Equal(t, Fold("Société Générale"), Fold("SociÃ©tÃ© GÃ©nÃ©rale"))
	assert.Equal(t, Latin("Сбербанк"), Latin("Ð¡Ð±ÐµÑ€Ð±Ð°Ð½Ðº"))
	assert.Equal(t, Latin("北京大学"), Latin("åŒ—äº¬å¤§å\u00ad¦"))
	assert.Equal(t, Company("Müller GmbH").Core, Company("MÃ¼ller GmbH").Core)
	p := Person("JosÃ©", "MuÃ±oz")
	assert.Equal(t, "jose", p.First)
	assert.Equal(t, "munoz", p.Last)
}

// mojibake spells the UTF-8 bytes of s as Windows-1252 characters, the
// five bytes it leaves undefined as the C1 controls lenient decoders keep.
func mojibake(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if r := charmap.Windows1252.DecodeByte(c); r != utf8.RuneError {
			b.WriteRune(r)
		} else {
			b.WriteRune(rune(c))
		}
	}
	return b.String()
}

func FuzzRepairMojibake(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Add("Universität")
	f.Add("北京")
	f.Fuzz(func(t *testing.T, s string) {
		out := RepairMojibake(s)
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Fatalf("RepairMojibake(%q) = %q: invalid UTF-8", s, out)
		}
		if utf8.RuneCountInString(out) > utf8.RuneCountInString(s) {
			t.Fatalf("RepairMojibake(%q) = %q: longer", s, out)
		}
		if !utf8.ValidString(s) || mayBeMojibake(s) {
			return // s itself may be repairable
		}
		if out != s {
			t.Fatalf("RepairMojibake(%q) = %q: changed text without 0xC3", s, out)
		}
		if m := mojibake(s); RepairMojibake(m) != s {
			t.Fatalf("RepairMojibake(%q) = %q, want %q", m, RepairMojibake(m), s)
		}
	})
}
