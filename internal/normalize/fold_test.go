package normalize

import (
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFold(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"already folded", "acme corp", "acme corp"},
		{"upper ascii", "ACME Corp.", "acme corp"},
		{"punctuation", "  Acme,,, Inc.!! ", "acme inc"},
		{"accents", "Crème Brûlée Café", "creme brulee cafe"},
		{"cyrillic", "Иван Петров", "ivan petrov"},
		{"cyrillic short i", "Андрей Чайковский", "andrey chaykovskiy"},
		{"ukrainian", "Їжак Євген", "yizhak yevgen"},
		{"greek", "Αλέξανδρος Παπαδόπουλος", "alexandros papadopoulos"},
		{"greek digraph ou", "Μουσείο", "mouseio"},
		{"greek final sigma", "ΟΔΥΣΣΕΥΣ", "odyssevs"},
		{"full width", "ＡＣＭＥ　Ｃｏｒｐ", "acme corp"},
		{"turkish dotted capital I", "İSTANBUL", "istanbul"},
		{"turkish dotless i", "Işık", "isik"},
		{"german sharp s", "Straße GROẞ", "strasse gross"},
		{"nordic", "Ærø Ødegård", "aero odegard"},
		{"polish", "Łódź Wałęsa", "lodz walesa"},
		{"icelandic", "Þórr Eðvarðsson", "thorr edvardsson"},
		{"croatian", "Đorđe", "dorde"},
		{"ligature", "ﬁnance", "finance"},
		{"apostrophe ascii", "O'Brien", "obrien"},
		{"apostrophe typographic", "D’Angelo", "dangelo"},
		{"hyphen", "Jean-Pierre", "jean pierre"},
		{"digits kept", "3M 2nd", "3m 2nd"},
		{"superscript", "E=mc²", "e mc2"},
		{"cjk kept", "北京 公司", "北京 公司"},
		{"arabic kept", "شركة", "شركة"},
		{"arabic vowel marks dropped", "شَرِكَة", "شركة"},
		{"hangul kept", "한국 서울", "한국 서울"},
		{"half width katakana", "ｶﾀｶﾅ", "カタカナ"},
		{"devanagari vowel signs dropped", "मुंबई", "मबई"},
		{"roman numeral", "Ⅻ", "xii"},
		{"dz digraph", "Ǆemal", "dzemal"},
		{"nul and invalid utf8 dropped", "a\x00b\xffc", "abc"},
		{"control characters separate", "a\tb\nc\rd", "a b c d"},
		{"zero width joiner dropped", "ac\u200dme", "acme"},
		{"soft hyphen dropped", "ac\u00adme", "acme"},
		{"only punctuation", "!!! ---", ""},
		{"symbols", "Ben & Jerry's™ ©", "ben jerrys"},
		{"emoji", "acme 🚀 rocket", "acme rocket"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Fold(tc.in)
			assert.Equal(t, tc.want, got, "Fold(%q)", tc.in)
			assert.Equal(t, got, Fold(got), "Fold not idempotent on %q", tc.in)
			assert.Equal(t, got, string(AppendFold(nil, tc.in)), "AppendFold(%q)", tc.in)
		})
	}
}

func TestAppendFoldAppends(t *testing.T) {
	dst := []byte("prefix:")
	got := AppendFold(dst, "Héllo World")
	assert.Equal(t, "prefix:hello world", string(got))
}

func TestFoldFastPathDoesNotAllocate(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() { _ = Fold("already folded text 42") })
	assert.Zero(t, allocs)
	buf := make([]byte, 0, 64)
	allocs = testing.AllocsPerRun(100, func() { buf = AppendFold(buf[:0], "Crème Brûlée, Inc.") })
	assert.Zero(t, allocs)
	big := make([]byte, 0, 256)
	for _, s := range []string{"Иван Петров", "Αλέξανδρος", "北京 公司", "شركة", "ＡＣＭＥ"} {
		allocs = testing.AllocsPerRun(100, func() { big = AppendFold(big[:0], s) })
		assert.Zero(t, allocs, "AppendFold(%q)", s)
	}
}

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"  ", nil},
		{"Jean-Pierre  DUPONT", []string{"jean", "pierre", "dupont"}},
		{"Иван", []string{"ivan"}},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, Tokens(tc.in), "Tokens(%q)", tc.in)
	}
}

// TestHugeAndHostileInput checks that every normaliser caps its work: 100 KB
// fields, invalid UTF-8 and NUL bytes are handled quickly and yield bounded,
// valid output.
func TestHugeAndHostileInput(t *testing.T) {
	inputs := map[string]string{
		"ascii":   strings.Repeat("Acme Corporation ", 6000),
		"unicode": strings.Repeat("Щелкунчик ﷺ Ærø ", 6000),
		"invalid": strings.Repeat("\xff\xfe\x00\xc0", 25000),
		"nul":     strings.Repeat("\x00", 100000),
		"marks":   "a" + strings.Repeat("\u0301", 50000),
		"commas":  strings.Repeat(",", 100000),
		"at":      strings.Repeat("a@", 50000),
	}
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			require.GreaterOrEqual(t, len(in), 100000)
			start := time.Now()
			f := Fold(in)
			assert.LessOrEqual(t, len(f), MaxInput)
			assert.True(t, utf8.ValidString(f))
			c := Company(in)
			assert.LessOrEqual(t, len(c.Core), MaxInput)
			p := Person(in, in)
			assert.LessOrEqual(t, len(p.Full()), 3*MaxInput)
			assert.LessOrEqual(t, len(Title(in)), MaxInput)
			_, _ = ParseEmail(in)
			_, _ = Domain(in)
			l := ParseLocation(in)
			assert.LessOrEqual(t, len(l.City), MaxInput)
			_ = NicknameRoots(in)
			// Generous bound: the cap makes this take microseconds; without
			// it a quadratic path would take seconds.
			assert.Less(t, time.Since(start), 2*time.Second)
		})
	}
}

// TestFoldTableMatchesSlowPath checks the precomputed table for every rune it
// covers against the general path, alone and between letters, spaces and
// Greek vowels.
func TestFoldTableMatchesSlowPath(t *testing.T) {
	for r := rune(0x80); r < tableEnd+16; r++ {
		for _, ctx := range [][2]string{{"", ""}, {"a", "b"}, {" ", " "}, {"ο", "υ"}, {"x", ""}} {
			s := ctx[0] + string(r) + ctx[1]
			fast := string(appendFoldOnce(nil, s))
			slow := string(appendFoldSlow(nil, s))
			if fast != slow {
				t.Errorf("fold %q (U+%04X): table %q, general %q", s, r, fast, slow)
			}
		}
	}
}

// TestFoldEveryRuneIsIdempotent checks, for every Unicode code point alone
// and between letters, spaces and Greek vowels, that folding the folded text
// changes nothing. Fold relies on this to fold in one pass.
func TestFoldEveryRuneIsIdempotent(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("walks all of Unicode; pure computation, nothing for -race to see")
	}
	var buf1, buf2 []byte
	bad := 0
	for r := rune(0x80); r <= unicode.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		for _, ctx := range [...][2]string{{"a", "b"}, {"ο", "υ"}} {
			s := ctx[0] + string(r) + ctx[1]
			buf1 = AppendFold(buf1[:0], s)
			buf2 = AppendFold(buf2[:0], string(buf1))
			if string(buf1) != string(buf2) && bad < 10 {
				t.Errorf("Fold(%q) = %q, Fold of that = %q", s, buf1, buf2)
				bad++
			}
		}
	}
}
