package normalize

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// fuzzSeeds are shared seed inputs for the fuzz targets.
var fuzzSeeds = []string{
	"", " ", "Acme, Inc.", "Иван Петров", "ＡＣＭＥ", "İstanbul", "Straße", "O'Brien",
	"Smith, John", "J. Robert Smith", "Dr. Jane Doe Jr.", "de la Cruz", "Sr. VP of Sales & Marketing",
	"jane+x@Acme.COM", "mailto:a@b.co.uk", "https://www.shop.acme.co.uk:8080/x", "bücher.de",
	"192.168.0.1", "[::1]", "San Francisco, CA, USA", "München, Deutschland", "Москва",
	"a\x00b\xffc", "ﷺ", "Ελληνικά ΟΔΥΣΣΕΥΣ", "Acme GmbH & Co. KG", "ООО «Ромашка»", "x(", "Acme Inc. (", "Acme (UK",
	"\u0301\u0301", "ǅ", "ﬃ", "㍿", "Ⅻ", "ß", "ΐ", "İı", "AT&T Labs", "Ä & Ö&Ü", "&&x&", "Palm, The (LA)",
	"St. Mt. Ft. Ste", "Ft. Worth, TX", "Saint", "a-b.c", "A--b.COM", "-a.com", "a.-b", "ab.c-", "xn--bcher-kva.de", "x.y.z.example.co.uk:443",
}

// checkFolded asserts the invariants of a folded string.
func checkFolded(t *testing.T, what, in, out string, maxLen int) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("%s(%q) = %q: invalid UTF-8", what, in, out)
	}
	if len(out) > maxLen {
		t.Fatalf("%s(%q): output %d bytes > %d", what, in, len(out), maxLen)
	}
	if strings.Contains(out, "  ") || strings.HasPrefix(out, " ") || strings.HasSuffix(out, " ") {
		t.Fatalf("%s(%q) = %q: spaces not collapsed", what, in, out)
	}
	if strings.ContainsRune(out, 0) {
		t.Fatalf("%s(%q) = %q: contains NUL", what, in, out)
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Fold(s)
		checkFolded(t, "Fold", s, out, MaxInput)
		if again := Fold(out); again != out {
			t.Fatalf("Fold not idempotent: Fold(%q) = %q, Fold(%q) = %q", s, out, out, again)
		}
		if app := string(AppendFold([]byte("x"), s)); app != "x"+out {
			t.Fatalf("AppendFold(%q) = %q, want %q", s, app, "x"+out)
		}
		for _, r := range out {
			if r != ' ' && !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.Is(unicode.Mc, r) {
				t.Fatalf("Fold(%q) = %q: contains %q", s, out, r)
			}
			if r < utf8.RuneSelf && r >= 'A' && r <= 'Z' {
				t.Fatalf("Fold(%q) = %q: upper case", s, out)
			}
		}
	})
}

func FuzzCompany(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := Company(s)
		checkFolded(t, "Company.Folded", s, c.Folded, MaxInput)
		checkFolded(t, "Company.Core", s, c.Core, MaxInput)
		if c.Core != strings.Join(c.Tokens, " ") {
			t.Fatalf("Company(%q): Core %q != Tokens %q", s, c.Core, c.Tokens)
		}
		if c.Folded != "" && c.Core == "" {
			t.Fatalf("Company(%q): empty Core from non-empty name %q", s, c.Folded)
		}
		if c.Acronym != "" && !IsAcronymOf(c.Acronym, c) {
			t.Fatalf("Company(%q): IsAcronymOf(own acronym %q) = false", s, c.Acronym)
		}
		if c.InnerLegalForm != "" && (c.LegalForm == "" || LegalFormCode(c.InnerLegalForm) == 0) {
			t.Fatalf("Company(%q): inner legal form %q of %q", s, c.InnerLegalForm, c.LegalForm)
		}
	})
}

func FuzzPerson(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, s)
		f.Add(s, "")
	}
	f.Fuzz(func(t *testing.T, first, last string) {
		p := Person(first, last)
		for _, part := range []string{p.First, p.Middle, p.Last} {
			checkFolded(t, "Person", first+"|"+last, part, 2*MaxInput)
			if Fold(part) != part {
				t.Fatalf("Person(%q, %q): part %q not folded", first, last, part)
			}
		}
		if p.First == "" && (p.Middle != "") {
			t.Fatalf("Person(%q, %q) = %+v: middle without first", first, last, p)
		}
		roots := NicknameRoots(p.First)
		if p.First != "" && (len(roots) == 0 || roots[0] != p.First) {
			t.Fatalf("NicknameRoots(%q) = %q: must start with the name", p.First, roots)
		}
		if p.First != "" && !IsNickname(p.First, p.First) {
			t.Fatalf("IsNickname(%q, itself) = false", p.First)
		}
	})
}

func FuzzTitle(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Title(s)
		checkFolded(t, "Title", s, out, MaxInput)
		if again := Title(out); again != out {
			t.Fatalf("Title not idempotent: Title(%q) = %q, Title(%q) = %q", s, out, out, again)
		}
	})
}

func FuzzParseEmail(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, ok := ParseEmail(s)
		if !ok {
			if e != (Email{}) {
				t.Fatalf("ParseEmail(%q) = %+v, false: want zero Email", s, e)
			}
			return
		}
		if !utf8.ValidString(e.Address) || len(e.Address) > 2*MaxInput {
			t.Fatalf("ParseEmail(%q): bad address %q", s, e.Address)
		}
		if e.Local == "" || e.Domain == "" || !strings.HasPrefix(e.Address, e.Local+"@") {
			t.Fatalf("ParseEmail(%q) = %+v: inconsistent", s, e)
		}
		if !strings.HasSuffix(e.Address, e.Domain) || strings.Contains(e.Local, "+") {
			t.Fatalf("ParseEmail(%q) = %+v: inconsistent", s, e)
		}
		again, ok := ParseEmail(e.Address)
		if !ok || again.Address != e.Address {
			t.Fatalf("ParseEmail not idempotent: %q -> %q -> %q (%v)", s, e.Address, again.Address, ok)
		}
	})
}

func FuzzDomain(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if h, ok := plainASCIIHost(s); ok {
			want, err := idna.Lookup.ToASCII(s)
			if err != nil || strings.ToLower(want) != h {
				t.Fatalf("plainASCIIHost(%q) = %q, IDNA gives %q, %v", s, h, want, err)
			}
		}
		d, ok := Domain(s)
		if !ok {
			if d != "" {
				t.Fatalf("Domain(%q) = %q, false", s, d)
			}
			return
		}
		for i := 0; i < len(d); i++ {
			if c := d[i]; c >= utf8.RuneSelf || (c >= 'A' && c <= 'Z') {
				t.Fatalf("Domain(%q) = %q: not lower-case ASCII", s, d)
			}
		}
		if len(d) > 255 || !strings.Contains(d, ".") {
			t.Fatalf("Domain(%q) = %q: not a registrable domain", s, d)
		}
		if again, ok := Domain(d); !ok || again != d {
			t.Fatalf("Domain not idempotent: %q -> %q -> %q (%v)", s, d, again, ok)
		}
		_ = DomainLabel(s)
	})
}

func FuzzParseLocation(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l := ParseLocation(s)
		checkFolded(t, "ParseLocation.City", s, l.City, MaxInput)
		if !utf8.ValidString(l.Region) || len(l.Region) > MaxInput {
			t.Fatalf("ParseLocation(%q).Region = %q", s, l.Region)
		}
		if l.Country != "" && CountryName(l.Country) == "" {
			t.Fatalf("ParseLocation(%q).Country = %q: unknown code", s, l.Country)
		}
	})
}
