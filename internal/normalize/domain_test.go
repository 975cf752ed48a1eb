package normalize

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/idna"
)

func TestDomain(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"acme.com", "acme.com", true},
		{"ACME.COM", "acme.com", true},
		{"www.acme.com", "acme.com", true},
		{"https://www.shop.acme.co.uk:8080/x", "acme.co.uk", true},
		{"http://acme.com/path?q=1#frag", "acme.com", true},
		{"https://user:secret@acme.com/", "acme.com", true},
		{"acme.com.", "acme.com", true},
		{"  https://acme.com  ", "acme.com", true},
		{"//acme.com", "acme.com", true},
		{"acme.com/about", "acme.com", true},
		{"bücher.de", "xn--bcher-kva.de", true},
		{"https://BÜCHER.de/", "xn--bcher-kva.de", true},
		{"xn--bcher-kva.de", "xn--bcher-kva.de", true},
		{"example.github.io", "example.github.io", true},
		{"jane@acme.com", "acme.com", true},
		{"mailto:jane@acme.com", "acme.com", true},
		{"acme.ＣＯＭ", "acme.com", true},
		{"192.168.1.1", "", false},
		{"http://10.0.0.1:8080/", "", false},
		{"[::1]", "", false},
		{"http://[2001:db8::1]/", "", false},
		{"localhost", "", false},
		{"acme", "", false},
		{"co.uk", "", false},
		{"com", "", false},
		{"", "", false},
		{"http://", "", false},
		{"acme..com", "", false},
		{"ac me.com", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := Domain(tc.in)
			assert.Equal(t, tc.ok, ok, "Domain(%q) ok", tc.in)
			assert.Equal(t, tc.want, got, "Domain(%q)", tc.in)
		})
	}
}

func TestDomainLabel(t *testing.T) {
	tests := []struct{ in, want string }{
		{"acme.co.uk", "acme"},
		{"https://www.acme.com/", "acme"},
		{"shop.acme.com", "acme"},
		{"xn--bcher-kva.de", "bucher"},
		{"acme-corp.com", "acmecorp"},
		{"localhost", ""},
		{"", ""},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, DomainLabel(tc.in), "DomainLabel(%q)", tc.in)
	}
}

// TestPlainASCIIHostAgreesWithIDNA checks the ASCII fast path against the
// IDNA conversion it replaces.
func TestPlainASCIIHostAgreesWithIDNA(t *testing.T) {
	hosts := []string{"acme.com", "ACME.Com", "a-b.c", "a--b.com", "xn--bcher-kva.de", "-a.com",
		"a-.com", "a..b", ".a", "a.", "a_b.com", strings.Repeat("x", 63) + ".com",
		strings.Repeat("x", 64) + ".com", "1.2.3.4", "a.b.c.d.e.f", "www.shop.acme.co.uk"}
	for _, h := range hosts {
		got, ok := plainASCIIHost(h)
		if !ok {
			continue
		}
		want, err := idna.Lookup.ToASCII(h)
		require.NoError(t, err, "IDNA rejects %q, fast path accepts it", h)
		assert.Equal(t, strings.ToLower(want), got, "plainASCIIHost(%q)", h)
	}
}

// TestWebsite checks what a CRM website field gives beside a site: the
// first of several, and none for a company's page on a platform.
func TestWebsite(t *testing.T) {
	for in, want := range map[string]string{
		"https://www.acme.com/about":             "acme.com",
		"acme.com, acme.de":                      "acme.com",
		"www.acme.com; www.acme.de":              "acme.com",
		"linkedin.com":                           "linkedin.com", // the platform's own site
		"https://www.linkedin.com/":              "linkedin.com",
		"https://www.linkedin.com/company/acme/": "",
		"facebook.com/acme":                      "",
		"sites.google.com/view/acme":             "",
		"acme.wixsite.com/home":                  "acme.wixsite.com",
		"Acme Inc":                               "",
		"":                                       "",
	} {
		got, ok := Website(in)
		assert.Equal(t, want, got, "Website(%q)", in)
		assert.Equal(t, want != "", ok, "Website(%q) ok", in)
	}
}
