package normalize

import (
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

var benchNames = []string{
	"Acme Corporation", "Crème Brûlée Café, Inc.", "Иван Петров", "ＡＣＭＥ Ｃｏｒｐ",
	"International Business Machines Corp", "already folded text",
}

// naiveFold is the straightforward x/text pipeline (NFKD, remove marks, case
// fold, then split on non-letters), the baseline Fold is measured against.
func naiveFold(s string) string {
	t := transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn)), cases.Fold(), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		return ""
	}
	return strings.Join(strings.FieldsFunc(out, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

func BenchmarkFold(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range benchNames {
			_ = Fold(s)
		}
	}
}

func BenchmarkFoldASCIIFolded(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = Fold("acme corporation")
	}
}

func BenchmarkAppendFold(b *testing.B) {
	b.ReportAllocs()
	buf := make([]byte, 0, 256)
	for b.Loop() {
		for _, s := range benchNames {
			buf = AppendFold(buf[:0], s)
		}
	}
}

func BenchmarkFoldNaiveBaseline(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range benchNames {
			_ = naiveFold(s)
		}
	}
}

func BenchmarkCompany(b *testing.B) {
	b.ReportAllocs()
	Company("warm up")
	for b.Loop() {
		_ = Company("International Business Machines Corp")
	}
}

func BenchmarkCompanyNonLatin(b *testing.B) {
	b.ReportAllocs()
	Company("warm up")
	for b.Loop() {
		_ = Company("ООО «Ромашка»")
	}
}

func BenchmarkPerson(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = Person("Dr. J. Robert", "van der Berg Jr.")
	}
}

func BenchmarkNicknameRoots(b *testing.B) {
	b.ReportAllocs()
	NicknameRoots("warm up")
	for b.Loop() {
		_ = NicknameRoots("Bob")
	}
}

func BenchmarkTitle(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = Title("Sr. VP of Sales & Marketing")
	}
}

func BenchmarkDomain(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _ = Domain("https://www.shop.acme.co.uk:8080/x")
	}
}

func BenchmarkParseEmail(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _ = ParseEmail("Jane.Doe+crm@Acme.COM")
	}
}

func BenchmarkParseLocation(b *testing.B) {
	b.ReportAllocs()
	ParseLocation("warm up")
	for b.Loop() {
		_ = ParseLocation("San Francisco, CA, USA")
	}
}
