package pgstore

import (
	"strings"
)

// dsnSecrets returns the substrings of dsn that may be a password: the part of
// a URL's user info after the first colon, and every value of a password key
// (key=value form, or a URL query parameter). It is deliberately generous: it
// also works on DSNs too malformed for pgx to parse, whose errors may quote
// them.
func dsnSecrets(dsn string) []string {
	var out []string
	if _, rest, ok := strings.Cut(dsn, "://"); ok {
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			if _, pw, ok := strings.Cut(rest[:at], ":"); ok && pw != "" {
				out = append(out, pw)
			}
		}
	}
	for s := dsn; ; {
		i := strings.Index(s, "password")
		if i < 0 {
			break
		}
		s = strings.TrimLeft(s[i+len("password"):], " \t\n\r\f\v")
		if !strings.HasPrefix(s, "=") {
			continue
		}
		s = strings.TrimLeft(s[1:], " \t\n\r\f\v")
		var v string
		if strings.HasPrefix(s, "'") {
			// A quoted key=value password: up to the next unescaped quote.
			end := 1
			for end < len(s) && s[end] != '\'' {
				if s[end] == '\\' {
					end++
				}
				end++
			}
			v = s[1:min(end, len(s))]
			if strings.Contains(v, `\`) {
				out = append(out, strings.NewReplacer(`\'`, `'`, `\\`, `\`).Replace(v))
			}
		} else {
			end := strings.IndexAny(s, " \t\n\r\f\v&")
			if end < 0 {
				end = len(s)
			}
			v = s[:end]
		}
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// redact replaces every secret in text with "xxxxx".
func redact(text string, secrets []string) string {
	for _, s := range secrets {
		if s != "" {
			text = strings.ReplaceAll(text, s, "xxxxx")
		}
	}
	return text
}

// redactedError is an error whose text had secrets removed; the original
// stays reachable for errors.Is and errors.As (its own text is not redacted).
type redactedError struct {
	text string
	err  error
}

func (e *redactedError) Error() string { return e.text }
func (e *redactedError) Unwrap() error { return e.err }

// redactErr hides secrets in err's text, if it holds any.
func redactErr(err error, secrets []string) error {
	if err == nil {
		return nil
	}
	text := err.Error()
	if r := redact(text, secrets); r != text {
		return &redactedError{text: r, err: err}
	}
	return err
}
