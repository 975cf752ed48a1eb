package normalize

import (
	"net/netip"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// Domain returns the registrable domain (eTLD+1, in ASCII/punycode form) of a
// website, URL, host name or e-mail domain: scheme, user info, "www.", other
// subdomains, port, path, query and fragment are removed, and international
// names are converted with IDNA ("https://www.shop.acme.co.uk:8080/x" →
// "acme.co.uk", "bücher.de" → "xn--bcher-kva.de").
//
// ok is false when s holds no usable domain: empty input, an IP address, a
// single label such as "localhost", a bare public suffix such as "co.uk", or
// a name IDNA rejects.
func Domain(s string) (domain string, ok bool) {
	host, ok := hostOf(s)
	if !ok {
		return "", false
	}
	return registrable(host)
}

// Website returns the registrable domain of a company's website field, as
// [Domain] does, with what CRM website fields hold besides a site: of a
// field that lists several sites ("acme.com, acme.de") the first one, and
// none for a page on a platform that hosts many companies' pages
// ("linkedin.com/company/acme", "facebook.com/acme",
// "sites.google.com/view/acme"), whose domain is the platform's and would
// make every company with such a page agree. The platform's own site,
// without a path, is its domain.
func Website(s string) (domain string, ok bool) {
	if len(s) > MaxInput {
		s = s[:MaxInput]
	}
	for p := range strings.FieldsFuncSeq(s, isListSep) {
		if d, ok := Domain(p); ok {
			if platformDomain(d) && hasPath(p) {
				return "", false
			}
			return d, true
		}
	}
	return "", false
}

// isListSep reports whether r separates the values of a field that lists
// several (sites, addresses): a comma, a semicolon, a bar or a space.
func isListSep(r rune) bool {
	switch r {
	case ',', ';', '|', ' ', '\t', '\n', '\r':
		return true
	}
	return false
}

// platformDomain reports whether d is the domain of a platform that hosts
// pages of many companies under its own name (social networks, site
// builders, link shorteners). Platforms that give each page its own
// subdomain ("acme.wixsite.com") are public suffixes, which [Domain]
// already keeps apart.
func platformDomain(d string) bool {
	switch d {
	case "linkedin.com", "facebook.com", "fb.com", "twitter.com", "x.com", "instagram.com",
		"youtube.com", "tiktok.com", "xing.com", "crunchbase.com", "github.com", "medium.com",
		"angel.co", "wellfound.com", "yelp.com", "google.com", "goo.gl", "bit.ly", "linktr.ee",
		"wix.com", "squarespace.com", "weebly.com", "wordpress.com", "t.me", "wa.me", "vk.com",
		"glassdoor.com":
		return true
	}
	return false
}

// hasPath reports whether the URL-like s names a page below its host: a
// path other than "/", a query or a fragment.
func hasPath(s string) bool {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	i := strings.IndexAny(s, "/?#")
	return i >= 0 && strings.Trim(s[i:], "/") != ""
}

// hostOf extracts the lower-case ASCII host name from a URL-like string.
func hostOf(s string) (string, bool) {
	if len(s) > MaxInput {
		s = s[:MaxInput]
	}
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	} else if len(s) > 7 && strings.EqualFold(s[:7], "mailto:") {
		s = s[7:]
	} else {
		s = strings.TrimPrefix(s, "//") // scheme-relative URL
	}
	if i := strings.IndexAny(s, "/?#\\ \t"); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		s = s[i+1:]
	}
	if strings.HasPrefix(s, "[") { // IPv6 literal
		return "", false
	}
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimSuffix(s, ".")
	if s == "" || strings.ContainsAny(s, ":%\uFFFD") || !utf8.ValidString(s) {
		return "", false
	}
	if _, err := netip.ParseAddr(s); err == nil {
		return "", false
	}
	if h, ok := plainASCIIHost(s); ok {
		return h, true
	}
	host, err := idna.Lookup.ToASCII(s)
	if err != nil || host == "" {
		return "", false
	}
	return strings.ToLower(host), true
}

// plainASCIIHost lower-cases s if it is a host name made of ASCII letters,
// digits and inner hyphens, without punycode labels, which IDNA would
// return unchanged; ok is false for anything else (left to IDNA).
func plainASCIIHost(s string) (string, bool) {
	if len(s) > 253 {
		return "", false
	}
	upper := false
	label := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c >= 'A' && c <= 'Z':
			upper = true
		case c == '-':
			if label == 0 || i+1 == len(s) || s[i+1] == '.' {
				return "", false
			}
		case c == '.':
			if label == 0 {
				return "", false
			}
			label = 0
			continue
		default:
			return "", false
		}
		if c == '-' && s[i-1] == '-' {
			return "", false // "xn--" punycode and other "--" labels: IDNA decides
		}
		if label++; label > 63 {
			return "", false
		}
	}
	if label == 0 {
		return "", false
	}
	if upper {
		return strings.ToLower(s), true
	}
	return s, true
}

// registrable returns the eTLD+1 of an ASCII host name.
func registrable(host string) (string, bool) {
	dot := strings.LastIndexByte(host, '.')
	if dot < 0 || isNumericHost(host[dot+1:]) {
		return "", false // single label, IPv4 address or numeric TLD
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return "", false
	}
	return d, true
}

// isNumericHost reports whether host holds only digits and dots (an IPv4
// address, or a top-level label that cannot be one).
func isNumericHost(host string) bool {
	for i := 0; i < len(host); i++ {
		if c := host[i]; c != '.' && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// DomainLabel returns the registrable label of domain, without its public
// suffix: "acme.co.uk" → "acme". Subdomains are dropped as by [Domain]. The
// label is folded as one word, hyphens removed ("acme-corp.com" → "acmecorp"),
// and a punycode label is given in its Unicode form ("xn--bcher-kva.de" →
// "bucher"), so that it compares with a folded company name written without
// spaces. It returns "" when domain has no registrable part.
func DomainLabel(domain string) string {
	d, ok := Domain(domain)
	if !ok {
		return ""
	}
	suffix, _ := publicsuffix.PublicSuffix(d)
	label := strings.TrimSuffix(strings.TrimSuffix(d, suffix), ".")
	if strings.HasPrefix(label, "xn--") {
		if u, err := idna.Lookup.ToUnicode(label); err == nil {
			label = u
		}
	}
	return strings.ReplaceAll(Fold(label), " ", "")
}
