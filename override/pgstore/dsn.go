package pgstore

import (
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/privacy"
)

// parseDSN parses dsn into a pool configuration and returns with it the
// strings that must never appear in an error: the password and anything that
// looks like one.
func parseDSN(dsn string) (*pgxpool.Config, []string, error) {
	if err := checkScheme(dsn); err != nil {
		return nil, nil, err
	}
	secrets := dsnSecrets(dsn)
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgx redacts the password in the DSN its error quotes, but not always
		// in the error underneath (a URL with a space quotes the user info), so
		// keep only the redacted text, not the error chain.
		msg := privacy.Redact(err.Error(), secrets...)
		if quotesURLPassword(msg, dsn) {
			msg = "details withheld: they would quote the password"
		}
		return nil, nil, fmt.Errorf("pgstore: open: bad DSN: %s: %w", msg, override.ErrInvalid)
	}
	// pgx sends settings it does not know to the server as run-time
	// parameters; one holding "password=" comes from a misread DSN (such as
	// "application_name= password=...") and would show the password to the
	// server's logs and pg_stat_activity.
	// Likewise for what looks like a URL's password when pgx did not read
	// it as the password ("postgres:///?:secret@host" has it in the query).
	for k, v := range cfg.ConnConfig.RuntimeParams {
		misread := strings.Contains(strings.ToLower(k+"="+v), "password=")
		for _, c := range secrets {
			misread = misread || (c != cfg.ConnConfig.Password && strings.Contains(k+"="+v, c))
		}
		if misread {
			return nil, nil, fmt.Errorf("pgstore: open: bad DSN: a password would be sent as a run-time parameter: %w", override.ErrInvalid)
		}
	}
	return cfg, append(secrets, cfg.ConnConfig.Password), nil
}

// checkScheme refuses a URL whose scheme is not postgres or postgresql. pgx
// would read it as key=value pairs and send the unknown "keys" (holding the
// password) to the server as run-time parameters, whose error quotes them back.
func checkScheme(dsn string) error {
	scheme, _, isURL := strings.Cut(dsn, "://")
	if !isURL || strings.ContainsAny(scheme, " =\t\n") {
		return nil // key=value form, parsed by pgx
	}
	if scheme != "postgres" && scheme != "postgresql" {
		return fmt.Errorf("pgstore: open: DSN URL scheme must be postgres or postgresql: %w", override.ErrInvalid)
	}
	return nil
}

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
		// A value with spaces may be split into words by a parser that
		// reads the quoting differently (an unterminated quote before it).
		if words := strings.Fields(v); len(words) > 1 {
			for _, w := range words {
				if w = strings.Trim(w, `'\`); len(w) >= 3 {
					out = append(out, w)
				}
			}
		}
	}
	return out
}

// quotesURLPassword reports whether text quotes 4 consecutive bytes (or all,
// if shorter) of what may be the password of a URL DSN: everything between the
// first colon after "://" and the last "@". A malformed URL leaves no reliable
// way to tell where the password ends, so this errs on the side of silence.
func quotesURLPassword(text, dsn string) bool {
	_, rest, ok := strings.Cut(dsn, "://")
	if !ok {
		return false
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return false
	}
	_, region, ok := strings.Cut(rest[:at], ":")
	if !ok || region == "" {
		return false
	}
	n := min(4, len(region))
	for i := 0; i+n <= len(region); i++ {
		if strings.Contains(text, region[i:i+n]) {
			return true
		}
	}
	return false
}
