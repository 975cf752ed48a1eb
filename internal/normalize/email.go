package normalize

import (
	"strings"
)

// Email is a parsed, canonical e-mail address.
type Email struct {
	// Address is the canonical address Local + "@" + host, where host is the
	// full lower-case ASCII (punycode) host name of the address. It is the key
	// [EmailKey] returns.
	Address string
	// Local is the lower-cased local part with any "+tag" removed. For
	// Gmail addresses dots are removed too, as Gmail ignores them.
	Local string
	// Domain is the registrable domain of the host ([Domain]).
	Domain string
	// Free reports whether Domain is a free webmail provider ([IsFreeMail]).
	Free bool
}

// ParseEmail parses an e-mail address as found in CRM fields: surrounding
// space, a "mailto:" prefix, a display name ("Jane <jane@acme.com>") and a
// trailing dot in the domain are tolerated; the result is lower-cased and
// plus-addressing is removed ("A+News@Acme.COM" → "a@acme.com"). ok is false
// when s is not an address with a non-empty local part and a registrable
// domain (IP-literal domains are rejected). A field that lists several
// addresses ("jane@acme.com; jane.doe@gmail.com") gives its first valid
// one.
func ParseEmail(s string) (e Email, ok bool) {
	if len(s) > MaxInput {
		s = s[:MaxInput]
	}
	if strings.Count(s, "@") < 2 {
		return parseOneEmail(s)
	}
	for p := range strings.FieldsFuncSeq(s, func(r rune) bool { return r == '/' || isListSep(r) }) {
		if e, ok = parseOneEmail(p); ok {
			return e, true
		}
	}
	return Email{}, false
}

// parseOneEmail is ParseEmail for a field holding one address.
func parseOneEmail(s string) (e Email, ok bool) {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '<'); i >= 0 {
		if j := strings.IndexByte(s[i:], '>'); j > 0 {
			s = strings.TrimSpace(s[i+1 : i+j])
		}
	}
	if len(s) > 7 && strings.EqualFold(s[:7], "mailto:") {
		s = s[7:]
		if i := strings.IndexByte(s, '?'); i >= 0 {
			s = s[:i]
		}
	}
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return Email{}, false
	}
	local, host := s[:at], s[at+1:]
	if !validLocal(local) || strings.ContainsAny(host, "/?#[]:@ \t") {
		return Email{}, false
	}
	host, ok = hostOf(host)
	if !ok {
		return Email{}, false
	}
	domain, ok := registrable(host)
	if !ok {
		return Email{}, false
	}
	local = strings.ToLower(local)
	if i := strings.IndexByte(local, '+'); i >= 0 {
		local = local[:i]
	}
	if host == "googlemail.com" {
		host, domain = "gmail.com", "gmail.com"
	}
	if host == "gmail.com" {
		local = strings.ReplaceAll(local, ".", "")
	}
	if local == "" {
		return Email{}, false
	}
	return Email{
		Address: local + "@" + host,
		Local:   local,
		Domain:  domain,
		Free:    IsFreeMail(domain),
	}, true
}

// validLocal accepts the characters of an unquoted local part (RFC 5322
// dot-atom) plus any non-ASCII letter (RFC 6531).
func validLocal(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune(".!#$%&'*+-/=?^_`{|}~", r):
		case r >= 0x80 && r != 0xFFFD:
		default:
			return false
		}
	}
	return true
}

// EmailKey returns the canonical form of an e-mail address, the string that
// is hashed to compare addresses without storing them (see [ParseEmail]). The
// same function must be used on the directory and the query side. ok is false
// when s is not a valid address.
func EmailKey(s string) (string, bool) {
	e, ok := ParseEmail(s)
	return e.Address, ok
}

// IsFreeMail reports whether domain (a registrable domain, any case) belongs
// to a free webmail provider such as gmail.com, outlook.com, yahoo.com,
// gmx.de or mail.ru. A match on such a domain says nothing about a person's
// employer.
func IsFreeMail(domain string) bool {
	d := strings.ToLower(strings.TrimSuffix(domain, "."))
	switch d {
	case "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk",
		"hotmail.fr", "hotmail.de", "hotmail.it", "hotmail.es", "live.com", "live.co.uk",
		"live.fr", "msn.com", "passport.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr",
		"yahoo.de", "yahoo.es", "yahoo.it", "yahoo.co.jp", "yahoo.co.in", "yahoo.com.br",
		"ymail.com", "rocketmail.com", "aol.com", "aim.com", "icloud.com", "me.com",
		"mac.com", "gmx.de", "gmx.net", "gmx.com", "gmx.at", "gmx.ch", "web.de",
		"t-online.de", "freenet.de", "mail.ru", "inbox.ru", "list.ru", "bk.ru",
		"yandex.ru", "yandex.com", "ya.ru", "rambler.ru", "qq.com", "163.com", "126.com",
		"yeah.net", "sina.com", "sohu.com", "aliyun.com", "foxmail.com", "naver.com",
		"daum.net", "hanmail.net", "protonmail.com", "proton.me", "pm.me", "tutanota.com",
		"zoho.com", "mail.com", "email.com", "usa.com", "fastmail.com", "hushmail.com",
		"orange.fr", "wanadoo.fr", "free.fr", "laposte.net", "sfr.fr", "libero.it",
		"virgilio.it", "tiscali.it", "alice.it", "seznam.cz", "wp.pl", "o2.pl",
		"onet.pl", "interia.pl", "ukr.net", "rediffmail.com", "comcast.net",
		"verizon.net", "att.net", "sbcglobal.net", "bellsouth.net", "btinternet.com",
		"sky.com", "bigpond.com", "shaw.ca", "rogers.com", "sympatico.ca", "uol.com.br",
		"bol.com.br", "terra.com.br", "gmx.fr", "hey.com", "duck.com":
		return true
	}
	return false
}
