package privacy

import (
	"regexp"
	"strings"
)

// Redacted is what replaces a secret or a record value in a scrubbed text.
const Redacted = "[redacted]"

// The patterns of Scrub. They are compiled once and never change.
var (
	rePEM = regexp.MustCompile(`-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|$)`)
	// scheme://user:password@ — the password goes, the user (an ID) stays.
	reUserinfo = regexp.MustCompile(`([a-zA-Z][a-zA-Z0-9+.-]*://[^:@/\s]*):[^@/\s]*@`)
	reAuth     = regexp.MustCompile(`(?i)\b(bearer|basic|negotiate)(\s+)[A-Za-z0-9._~+/=!-]{4,}`)
	// key=value, key: value, "key":"value" and key='value' for keys that name a secret.
	reKeyValue = regexp.MustCompile(`(?i)("?\b(?:password|passwd|pwd|passphrase|secret|client_secret|clientsecret|token|access_token|accesstoken|refresh_token|refreshtoken|id_token|session_?id|sid|api_?key|assertion|authorization|signature|sig|private_?key|credentials?)"?)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&;,"'}]+)`)
	reJWT      = regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.?[A-Za-z0-9_-]*`)
	reSFToken  = regexp.MustCompile(`\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._]+`)
	reEmail    = regexp.MustCompile(`[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`)
	reQuoted   = regexp.MustCompile("\"(?:[^\"\\\\]|\\\\.)*\"|`[^`]*`")
	reLong     = regexp.MustCompile(`[A-Za-z0-9+_=-]{40,}`)
)

// Scrub returns s with secrets and record values removed and the rest kept,
// so that the text still says what happened:
//
//   - PEM blocks (private keys), JWTs, Salesforce session IDs, bearer and basic
//     credentials, and opaque tokens of 40 or more letters and digits;
//   - the password of a URL (postgres://user:PASSWORD@host) and the value of any
//     key=value, key: value or "key":"value" whose key names a secret (password,
//     secret, token, assertion, api_key, signature, private_key ...);
//   - email addresses, which become "[email]";
//   - double-quoted and back-quoted strings, where Go's %q and most libraries put
//     the value they complain about, which become "…".
//
// IDs (Salesforce 15/18-character IDs, GUIDs), HTTP statuses, vendor codes,
// operation names, host names and paths are kept. Scrub is idempotent.
func Scrub(s string) string {
	if s == "" {
		return s
	}
	s = rePEM.ReplaceAllString(s, "[redacted key]")
	s = reUserinfo.ReplaceAllString(s, "${1}:"+Redacted+"@")
	s = reJWT.ReplaceAllString(s, Redacted)
	s = reSFToken.ReplaceAllString(s, Redacted)
	s = reAuth.ReplaceAllString(s, "${1}${2}"+Redacted)
	s = reKeyValue.ReplaceAllStringFunc(s, func(m string) string {
		sub := reKeyValue.FindStringSubmatch(m)
		v := sub[3]
		q := ""
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') {
			q, v = v[:1], v[1:len(v)-1]
		}
		if v == Redacted || v == "…" {
			return m
		}
		return sub[1] + sub[2] + q + Redacted + q
	})
	s = reEmail.ReplaceAllString(s, "[email]")
	s = scrubQuoted(s)
	s = reLong.ReplaceAllStringFunc(s, func(m string) string {
		if hasDigitAndLetter(m) {
			return Redacted
		}
		return m
	})
	return s
}

// scrubQuoted replaces the content of quoted strings with "…", except for
// JSON object keys (a quoted string followed by a colon), which name a field
// and say what the text is about.
func scrubQuoted(s string) string {
	locs := reQuoted.FindAllStringIndex(s, -1)
	if locs == nil {
		return s
	}
	var b strings.Builder
	prev := 0
	for _, l := range locs {
		m := s[l[0]:l[1]]
		b.WriteString(s[prev:l[0]])
		prev = l[1]
		inner := m[1 : len(m)-1]
		if inner == "" || inner == "…" || inner == Redacted || jsonKey(s, l[0], l[1]) {
			b.WriteString(m)
			continue
		}
		b.WriteString(m[:1] + "…" + m[len(m)-1:])
	}
	b.WriteString(s[prev:])
	return b.String()
}

// jsonKey reports whether the quoted string at s[i:j] is an object key: after
// '{' or ',' and before ':'.
func jsonKey(s string, i, j int) bool {
	before := strings.TrimRight(s[:i], " \t\n")
	after := strings.TrimLeft(s[j:], " \t\n")
	return strings.HasPrefix(after, ":") && (strings.HasSuffix(before, "{") || strings.HasSuffix(before, ","))
}

func hasDigitAndLetter(s string) bool {
	d, l := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			d = true
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			l = true
		}
	}
	return d && l
}

// Redact returns [Scrub] of s after every occurrence of each of secrets (a
// client secret, a DSN password, a token the caller holds) was replaced with
// [Redacted]. Empty secrets are ignored; longer secrets are replaced first, so
// that one that contains another goes whole.
func Redact(s string, secrets ...string) string {
	return Scrub(redactExact(s, secrets))
}

func redactExact(s string, secrets []string) string {
	if len(secrets) == 0 || s == "" {
		return s
	}
	ordered := make([]string, 0, len(secrets))
	for _, sec := range secrets {
		if sec != "" {
			ordered = append(ordered, sec)
		}
	}
	// Longest first; stable for equal lengths.
	for i := 1; i < len(ordered); i++ {
		for j := i; j > 0 && len(ordered[j]) > len(ordered[j-1]); j-- {
			ordered[j], ordered[j-1] = ordered[j-1], ordered[j]
		}
	}
	for _, sec := range ordered {
		if strings.Contains(s, sec) {
			s = strings.ReplaceAll(s, sec, "\x00")
		}
	}
	return strings.ReplaceAll(s, "\x00", Redacted)
}

// Error returns err with its text passed through [Redact] (with secrets) and
// err itself reachable with errors.Is and errors.As; nil for a nil err. The
// text keeps its meaning ("crm: authenticate: salesforce: JWT config: no
// private key") with secrets and record values taken out.
func Error(err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	if r, ok := err.(*redactedError); ok && len(secrets) == 0 {
		return r
	}
	return &redactedError{text: Redact(err.Error(), secrets...), err: err}
}

// redactedError is an error whose text was redacted; the original stays
// reachable (its own text is not redacted: never print it).
type redactedError struct {
	text string
	err  error
}

func (e *redactedError) Error() string { return e.text }
func (e *redactedError) Unwrap() error { return e.err }

// URL returns raw with the password of its user info and the values of its
// query removed ("https://h/p?q=[redacted]"); raw that does not parse is
// scrubbed whole.
func URL(raw string) string {
	s := reUserinfo.ReplaceAllString(raw, "${1}:"+Redacted+"@")
	if i := strings.IndexByte(s, '?'); i >= 0 {
		q := s[i+1:]
		frag := ""
		if j := strings.IndexByte(q, '#'); j >= 0 {
			q, frag = q[:j], q[j:]
		}
		parts := strings.Split(q, "&")
		for k, p := range parts {
			if name, _, ok := strings.Cut(p, "="); ok {
				parts[k] = name + "=" + Redacted
			}
		}
		s = s[:i+1] + strings.Join(parts, "&")
		if frag != "" {
			s += "#" + Redacted
		}
	}
	return Scrub(s)
}

// DSN returns a database connection string with its password removed, in
// either form: a URL (postgres://user:pw@host/db) or key/value pairs
// (host=h password=pw). Everything else stays, for the error to say which
// server and database it was about.
func DSN(dsn string) string { return Scrub(reUserinfo.ReplaceAllString(dsn, "${1}:"+Redacted+"@")) }
