package normalize

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

// scriptSeeds are names in the scripts that Latin transliterates.
var scriptSeeds = []string{
	"北京", "深圳市大疆创新科技有限公司", "王秀英", "株式会社ユニクロ", "トヨタ自動車", "김민수",
	"삼성전자", "محمد عباس", "عبد الله", "משה כהן", "मोहन दास", "สมชาย ใจดี", "តារា គឹម",
	"Alexopoulos,", "Smith, Jr.", "JRR", "Mme Hélène", "ー", "ａ北ｂ", "北\u0301京",
}

// FuzzLatin checks that Latin gives folded, ASCII-only text whenever its
// input holds no letter it keeps (Latin, Cyrillic and Greek fold to ASCII
// or stay), is idempotent, and that Person gives folded parts and a known
// suffix for names in any script.
func FuzzLatin(f *testing.F) {
	for _, s := range append(scriptSeeds, fuzzSeeds...) {
		f.Add(s, "")
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		out := Latin(a)
		checkFolded(t, "Latin", a, out, MaxInput)
		if Fold(out) != out {
			t.Fatalf("Latin(%q) = %q: not folded", a, out)
		}
		if Latin(out) != out {
			t.Fatalf("Latin(Latin(%q)) = %q, want %q", a, Latin(out), out)
		}
		if HasOtherScript(out) && utf8.ValidString(a) && len(a) < MaxInput/4 {
			// unidecode covers the Basic Multilingual Plane; letters
			// beyond it may stay.
			for _, r := range out {
				if r <= 0xFFFF && IsOtherScript(r) {
					t.Fatalf("Latin(%q) = %q: letter %q of another script left", a, out, r)
				}
			}
		}
		p := Person(a, b)
		for _, part := range []string{p.First, p.Middle, p.Last} {
			checkFolded(t, "Person", a+"|"+b, part, 2*MaxInput)
		}
		switch p.Suffix {
		case "", "jr", "sr", "ii", "iii", "iv":
		default:
			t.Fatalf("Person(%q, %q).Suffix = %q", a, b, p.Suffix)
		}
	})
}

// FuzzAppendGrams checks that grams are substrings of their input of one
// or two runes, at most max of them, and that Skeleton keeps no vowel.
func FuzzAppendGrams(f *testing.F) {
	for _, s := range append(scriptSeeds, fuzzSeeds...) {
		f.Add(s, 8)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		max = max & 31
		s = Fold(s)
		gs := AppendGrams(nil, s, max)
		if len(gs) > max {
			t.Fatalf("AppendGrams(%q, %d): %d grams", s, max, len(gs))
		}
		for _, g := range gs {
			if n := utf8.RuneCountInString(g); n < 1 || n > 2 || !strings.Contains(s, g) {
				t.Fatalf("AppendGrams(%q) gives %q", s, g)
			}
			for _, r := range g {
				if !IsUnspaced(r) {
					t.Fatalf("AppendGrams(%q) gives %q with %q", s, g, r)
				}
			}
		}
		sk := Skeleton(Latin(s))
		if strings.ContainsAny(sk, "aeiouy cqw") {
			t.Fatalf("Skeleton(Latin(%q)) = %q", s, sk)
		}
		for i := 1; i < len(sk); i++ {
			if sk[i] == sk[i-1] {
				t.Fatalf("Skeleton(Latin(%q)) = %q: doubled letter", s, sk)
			}
		}
	})
}

// TestLatinPart checks which words of a name in two scripts are its Latin
// name.
func TestLatinPart(t *testing.T) {
	for in, want := range map[string]string{
		"Tencent 腾讯":               "Tencent",
		"华为 Huawei Technologies":   "Huawei Technologies",
		"Sony ソニー株式会社":             "Sony",
		"BII | 天地互连":               "BII |",
		"Huawei华为 Shenzhen":        "Shenzhen",
		"Яндекс Yandex":            "",
		"Acme GmbH":                "",
		"腾讯":                       "",
		"腾讯 | 123":                 "",
		"Samsung 삼성전자 Electronics": "Samsung Electronics",
	} {
		assert.Equal(t, want, LatinPart(in), "LatinPart(%q)", in)
	}
}

// FuzzLatinPart checks that LatinPart keeps words of its input only, none
// with a letter of another script, and gives "" for a name in one script.
func FuzzLatinPart(f *testing.F) {
	for _, s := range append(scriptSeeds, "Tencent 腾讯", "华为 Huawei", "Sony ソニー") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := LatinPart(s)
		if out == "" {
			return
		}
		if !HasOtherScript(s) {
			t.Fatalf("LatinPart(%q) = %q for a name in one script", s, out)
		}
		for w := range strings.FieldsSeq(out) {
			if !strings.Contains(s, w) {
				t.Fatalf("LatinPart(%q) = %q: word %q not in the input", s, out, w)
			}
			for _, r := range w {
				if IsOtherScript(r) {
					t.Fatalf("LatinPart(%q) = %q: letter %q of another script", s, out, r)
				}
			}
		}
	})
}
