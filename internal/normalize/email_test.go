package normalize

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseEmail(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Email
		ok   bool
	}{
		{"plain", "jane@acme.com", Email{"jane@acme.com", "jane", "acme.com", false}, true},
		{"upper case", "Jane.Doe@ACME.COM", Email{"jane.doe@acme.com", "jane.doe", "acme.com", false}, true},
		{"plus addressing", "jane+crm@acme.com", Email{"jane@acme.com", "jane", "acme.com", false}, true},
		{"mailto", "mailto:Jane@Acme.com", Email{"jane@acme.com", "jane", "acme.com", false}, true},
		{"mailto with query", "mailto:jane@acme.com?subject=hi", Email{"jane@acme.com", "jane", "acme.com", false}, true},
		{"display name", "Jane Doe <jane@acme.com>", Email{"jane@acme.com", "jane", "acme.com", false}, true},
		{"several addresses", "jane@acme.com; jane.doe@gmail.com", Email{"jane@acme.com", "jane", "acme.com", false}, true},
		{"several with display names", "Jane Doe <jane@acme.com>, Joe <joe@x.org>", Email{"jane@acme.com", "jane", "acme.com", false}, true},
		{"first of several invalid", "jane@@acme; jane@acme.com", Email{"jane@acme.com", "jane", "acme.com", false}, true},
		{"mailto with an address in its query", "mailto:jane@acme.com?cc=joe@x.org", Email{"jane@acme.com", "jane", "acme.com", false}, true},
		{"spaces", "  jane@acme.com \t", Email{"jane@acme.com", "jane", "acme.com", false}, true},
		{"trailing dot", "jane@acme.com.", Email{"jane@acme.com", "jane", "acme.com", false}, true},
		{"subdomain", "jane@mail.acme.co.uk", Email{"jane@mail.acme.co.uk", "jane", "acme.co.uk", false}, true},
		{"gmail dots", "J.O.H.N@gmail.com", Email{"john@gmail.com", "john", "gmail.com", true}, true},
		{"googlemail", "john+x@googlemail.com", Email{"john@gmail.com", "john", "gmail.com", true}, true},
		{"free mail", "someone@web.de", Email{"someone@web.de", "someone", "web.de", true}, true},
		{"idn domain", "info@bücher.de", Email{"info@xn--bcher-kva.de", "info", "xn--bcher-kva.de", false}, true},
		{"unicode local", "δοκιμή@acme.com", Email{"δοκιμή@acme.com", "δοκιμή", "acme.com", false}, true},
		{"no at", "jane.acme.com", Email{}, false},
		{"empty local", "@acme.com", Email{}, false},
		{"empty domain", "jane@", Email{}, false},
		{"single label", "jane@localhost", Email{}, false},
		{"ip literal", "jane@[192.168.0.1]", Email{}, false},
		{"ip", "jane@192.168.0.1", Email{}, false},
		{"space in local", "ja ne@acme.com", Email{}, false},
		{"double dot", "ja..ne@acme.com", Email{}, false},
		{"only tag", "+tag@acme.com", Email{}, false},
		{"public suffix", "jane@co.uk", Email{}, false},
		{"empty", "", Email{}, false},
		{"invalid utf8", "ja\xffne@acme.com", Email{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := ParseEmail(tc.in)
			assert.Equal(t, tc.ok, ok, "ParseEmail(%q) ok", tc.in)
			assert.Equal(t, tc.want, got, "ParseEmail(%q)", tc.in)
		})
	}
}

func TestEmailKey(t *testing.T) {
	same := []string{"Jane.Doe+news@Acme.com", "mailto:jane.doe@ACME.COM", "<jane.doe@acme.com.>", "jane.doe@acme.com"}
	want, ok := EmailKey(same[0])
	assert.True(t, ok)
	assert.Equal(t, "jane.doe@acme.com", want)
	for _, s := range same[1:] {
		got, ok := EmailKey(s)
		assert.True(t, ok, "EmailKey(%q) ok", s)
		assert.Equal(t, want, got, "EmailKey(%q)", s)
	}
	_, ok = EmailKey("not an address")
	assert.False(t, ok)
}

func TestIsFreeMail(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"gmail.com", true}, {"GMAIL.COM", true}, {"outlook.com", true}, {"hotmail.com", true},
		{"yahoo.com", true}, {"icloud.com", true}, {"gmx.de", true}, {"web.de", true},
		{"mail.ru", true}, {"yandex.ru", true}, {"qq.com", true}, {"163.com", true},
		{"acme.com", false}, {"", false}, {"gmail.com.evil.com", false},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, IsFreeMail(tc.in), "IsFreeMail(%q)", tc.in)
	}
}
