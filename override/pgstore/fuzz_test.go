package pgstore

import (
	"errors"
	"strings"
	"testing"

	"github.com/crmlink/crmlink/override"
)

// FuzzDSNPassword builds URL DSNs around a password from fuzzed parts (the
// scheme, user, host and query a user might type, typos included) and checks
// what Open does before it connects: the password never shows in an error,
// and never travels anywhere but the password field (pgx sends unknown
// key=value pairs to the server as run-time parameters, whose errors quote
// them back).
func FuzzDSNPassword(f *testing.F) {
	f.Add("postgres", "alice", "127.0.0.1:5432", "sslmode=disable")
	f.Add("postgresql", "bob", "db.internal", "pool_max_conns=4")
	f.Add("postgress", "alice", "127.0.0.1:5432", "sslmode=disable")
	f.Add("postgresql+pgx", "alice", "h", "")
	f.Add("host=h user=u password", "", "h", "")
	f.Add("postgres", "a b", "h:notaport", "sslmode=bogus")
	f.Add("POSTGRES", "u", "[::1]:5432", "x=y")
	f.Add("postgres", "u", "h1,h2:5433", "target_session_attrs=primary")
	f.Fuzz(func(t *testing.T, scheme, user, host, query string) {
		const pw = "Pw-9f3c1e"
		if strings.Contains(scheme+user+host+query, pw[:4]) || strings.ContainsAny(scheme, "= \t\n\r\f\v") {
			// A scheme with '=' or a space makes a key=value DSN, whose
			// password is wherever its author put it.
			t.Skip()
		}
		dsn := scheme + "://" + user + ":" + pw + "@" + host + "/db?" + query
		cfg, _, err := parseDSN(dsn)
		if err != nil {
			if !errors.Is(err, override.ErrInvalid) || strings.Contains(err.Error(), pw) {
				t.Fatalf("parseDSN error %q", err)
			}
			return
		}
		for k, v := range cfg.ConnConfig.RuntimeParams {
			if strings.Contains(k, pw) || strings.Contains(v, pw) {
				t.Fatalf("password sent as run-time parameter %q", k)
			}
		}
	})
}

// FuzzKeyValuePassword is FuzzDSNPassword for key=value DSNs: the password,
// quoted or not, between fuzzed settings.
func FuzzKeyValuePassword(f *testing.F) {
	f.Add("host=127.0.0.1 user=alice", "dbname=crm sslmode=disable", false)
	f.Add("host=h port=x", "", true)
	f.Add("", "connect_timeout=oops", false)
	f.Add("host='unterminated", "user=u", true)
	f.Add("application_name=", "search_path=x", false)
	f.Fuzz(func(t *testing.T, before, after string, quoted bool) {
		const pw = "Pw-9f3c1e"
		if strings.Contains(before+after, pw[:4]) || strings.Contains(before+after, "password") {
			t.Skip()
		}
		v := pw
		if quoted {
			v = "'" + pw + " x'"
		}
		dsn := before + " password=" + v + " " + after
		cfg, _, err := parseDSN(dsn)
		if err != nil {
			if strings.Contains(err.Error(), pw) {
				t.Fatalf("parseDSN error holds the password: %q", err)
			}
			return
		}
		for k, v := range cfg.ConnConfig.RuntimeParams {
			if strings.Contains(k, pw) || strings.Contains(v, pw) {
				t.Fatalf("password sent as run-time parameter %q", k)
			}
		}
	})
}
