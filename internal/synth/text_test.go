package synth

import (
	"math/rand/v2"
	"testing"
	"unicode/utf8"

	"github.com/hbollon/go-edlib"
	"github.com/stretchr/testify/assert"
)

func TestTextHelpers(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{"fold umlaut", foldASCII("Müller & Söhne"), "Muller & Sohne"},
		{"fold specials", foldASCII("Groß Øre Łódź"), "Gross Ore Lodz"},
		{"fold leaves Cyrillic", foldASCII("Иванов"), "Иванов"},
		{"translit Russian", translit("Александр Фёдоров"), "Aleksandr Fedorov"},
		{"translit Ukrainian", translit("Київ"), "Kyiv"},
		{"translit Ukrainian by country", translitAs("Мельник Олександр", true), "Melnyk Oleksandr"},
		{"translit Russian by default", translit("Мельник"), "Melnik"},
		{"translit Greek", translit("Παπαδόπουλος"), "Papadopoulos"},
		{"slug", slug("Blue Ridge Analytics", ""), "blueridgeanalytics"},
		{"slug hyphen", slug("O'Brien & Co.", "-"), "obrien-co"},
		{"slug Cyrillic", slug("Северный Ветер", "-"), "severnyy-veter"},
		{"slugDE", slugDE("Müller & Söhne", "-"), "mueller-soehne"},
		{"initials", initials("blue ridge analytics"), "BRA"},
		{"stripPunct", stripPunct(`ООО «Ромашка», S.p.A.`), "ООО Ромашка SpA"},
		{"germanFold", germanFold.Replace("Jürgen Groß"), "Juergen Gross"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.got)
		})
	}
}

func TestTypo(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	changed := 0
	for range 1000 {
		got := typo(rng, "Schneider")
		d := edlib.DamerauLevenshteinDistance("Schneider", got)
		assert.LessOrEqual(t, d, 1, "typo(%q) = %q", "Schneider", got)
		assert.Equal(t, byte('S'), got[0], "first letter kept")
		if got != "Schneider" {
			changed++
		}
	}
	assert.Greater(t, changed, 900, "a typo almost always changes the word")
	assert.Equal(t, "Li", typo(rng, "Li"), "short words are left alone")
}

func FuzzTypo(f *testing.F) {
	f.Add("Müller & Söhne GmbH", uint64(1))
	f.Add("Иванов", uint64(2))
	f.Add("a\xffb", uint64(3))
	f.Fuzz(func(t *testing.T, s string, seed uint64) {
		if !utf8.ValidString(s) {
			t.Skip()
		}
		rng := rand.New(rand.NewPCG(seed, 0))
		got := typo(rng, s)
		if !utf8.ValidString(got) {
			t.Fatalf("typo(%q) = %q: invalid UTF-8", s, got)
		}
		if d := edlib.DamerauLevenshteinDistance(s, got); d > 1 {
			t.Fatalf("typo(%q) = %q: distance %d > 1", s, got, d)
		}
		for _, f := range []func(string) string{foldASCII, translit, stripPunct} {
			if out := f(s); !utf8.ValidString(out) {
				t.Fatalf("helper(%q) = %q: invalid UTF-8", s, out)
			}
		}
	})
}
