package privacy_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/crmlink/crmlink/privacy"
)

func TestScrub(t *testing.T) {
	cases := []struct {
		name string
		in   string
		gone []string // must not be in the output
		kept []string // must still be there
	}{
		{"dsn url", `pgstore: open postgres://crm:S3cretPw@db.internal:5432/crm?sslmode=require: refused`,
			[]string{"S3cretPw"}, []string{"postgres://crm:", "db.internal:5432/crm", "refused"}},
		{"dsn key value", `cannot parse host=db user=crm password=S3cretPw dbname=x`,
			[]string{"S3cretPw"}, []string{"host=db", "user=crm", "dbname=x", "password="}},
		{"json secret", `{"access_token":"00Dxx0000001gPL!AQ4AQFpxl2dDzQ","instance_url":"https://x.my.salesforce.com"}`,
			[]string{"AQ4AQFpxl2dDzQ"}, []string{"access_token", "instance_url"}},
		{"bearer", `GET /services/data Authorization: Bearer abcDEF123456789xyz`,
			[]string{"abcDEF123456789xyz"}, []string{"GET /services/data", "Authorization"}},
		{"jwt", `assertion eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl refused`,
			[]string{"eyJpc3MiOiJ4In0", "c2lnbmF0dXJl"}, []string{"refused"}},
		{"pem", "key -----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY----- bad",
			[]string{"MIIEow"}, []string{"bad"}},
		{"email", `no member for jane.doe+crm@acme-corp.example.com in 003A`,
			[]string{"jane.doe", "acme-corp"}, []string{"no member for", "003A", "[email]"}},
		{"quoted value", `strconv.Atoi: parsing "Jane Doe": invalid syntax`,
			[]string{"Jane Doe"}, []string{"strconv.Atoi: parsing", "invalid syntax"}},
		{"ids kept", `crmlink: resolve company 00D1/account/001000000000001AAA: override: closed`,
			nil, []string{"00D1/account/001000000000001AAA", "override: closed"}},
		{"guid kept", `dynamics: query accounts(8f2d8d4e-1b6a-4f8e-9d7e-0a1b2c3d4e5f): HTTP 404 0x80040217`,
			nil, []string{"8f2d8d4e-1b6a-4f8e-9d7e-0a1b2c3d4e5f", "HTTP 404 0x80040217"}},
		{"long token", `token rotated to Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3A`,
			[]string{"Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3A"}, []string{"rotated"}},
		{"meaning", `crm: authenticate: salesforce: JWT config: no private key`,
			nil, []string{`crm: authenticate: salesforce: JWT config: no private key`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := privacy.Scrub(tc.in)
			for _, g := range tc.gone {
				assert.NotContains(t, got, g, "Scrub(%q) = %q", tc.in, got)
			}
			for _, k := range tc.kept {
				assert.Contains(t, got, k, "Scrub(%q) = %q", tc.in, got)
			}
			assert.Equal(t, got, privacy.Scrub(got), "Scrub is not idempotent on %q", tc.in)
		})
	}
}

func TestRedactSecrets(t *testing.T) {
	got := privacy.Redact("login as svc with hunter2hunter2 and hunter2", "hunter2", "hunter2hunter2")
	assert.Equal(t, "login as svc with [redacted] and [redacted]", got)
	assert.Equal(t, "x", privacy.Redact("x", ""))
}

func TestURLAndDSN(t *testing.T) {
	assert.Equal(t, "https://h.example/q?q=[redacted]&x=[redacted]#[redacted]",
		privacy.URL("https://h.example/q?q=SELECT+Name+FROM+Contact&x=1#frag"))
	assert.NotContains(t, privacy.URL("https://u:pw123456@h.example/p"), "pw123456")
	assert.NotContains(t, privacy.DSN("postgres://u:pw123456@h/db"), "pw123456")
	assert.NotContains(t, privacy.DSN("host=h password='pw 123456' user=u"), "pw 123456")
	assert.Contains(t, privacy.DSN("host=h password=pw123456 user=u"), "user=u")
}

func TestError(t *testing.T) {
	assert.NoError(t, privacy.Error(nil))
	base := fmt.Errorf("open store: %w", &fs.PathError{Op: "open", Path: "/tmp/x", Err: fs.ErrNotExist})
	err := privacy.Error(fmt.Errorf("login with password=Tiger123: %w", base), "Tiger123")
	assert.NotContains(t, err.Error(), "Tiger123")
	assert.Contains(t, err.Error(), "open store: open /tmp/x: file does not exist")
	assert.ErrorIs(t, err, fs.ErrNotExist)
	var pe *fs.PathError
	assert.True(t, errors.As(err, &pe))
}

type secretConfig struct{ Key string }

func (c secretConfig) LogValue() slog.Value {
	return slog.GroupValue(slog.String("private_key", c.Key), slog.String("user", "svc"))
}

func TestHandler(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(privacy.NewHandler(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}),
		privacy.WithSecrets("cl13nt-s3cret")))
	log = log.With("dsn", "postgres://u:pgPass99@db/x", "org", "00D1")
	log.Debug("token refresh with cl13nt-s3cret for jane@acme.example",
		"first_name", "Jane", "email", "jane@acme.example", "records", 12,
		"err", errors.New(`parse "Jane Doe": bad`),
		slog.Group("req", "authorization", "Bearer abcdefghijkl", "path", "/services/data/v60.0/query"),
		"cfg", secretConfig{Key: "k3y-material-123456"}, "empty_email", "")
	out := buf.String()
	for _, s := range []string{"cl13nt-s3cret", "jane@acme", "Jane", "pgPass99", "abcdefghijkl", "k3y-material"} {
		assert.NotContains(t, out, s)
	}
	for _, s := range []string{`"org":"00D1"`, `"records":12`, `"first_name":"[redacted]"`, `/services/data/v60.0/query`, `"cfg":{"private_key":"[redacted]","user":"svc"}`,
		`"msg":"token refresh with [redacted] for [email]"`, `"err":"parse \"…\": bad"`, `postgres://u:[redacted]@db/x`} {
		assert.Contains(t, out, s)
	}
	assert.True(t, log.Enabled(context.Background(), slog.LevelDebug))
	buf.Reset()
	log.WithGroup("g").Info("x", "password", "pw")
	assert.Contains(t, buf.String(), `"g":{"password":"[redacted]"}`)
}

// FuzzScrub checks that a secret in any secret-bearing position of any text
// never survives Scrub, that a named secret never survives Redact, and that
// Scrub is idempotent.
func FuzzScrub(f *testing.F) {
	f.Add("prefix ", " suffix", "S3cretValue9", uint8(0))
	f.Add("", "", "hunter2hunter2", uint8(3))
	f.Add("{\"a\":", "}", "tok_ABCDEFGH1234", uint8(5))
	f.Add("x\n", "\ty", "Zz99Zz99Zz99", uint8(7))
	f.Fuzz(func(t *testing.T, pre, post, secret string, form uint8) {
		if len(secret) < 8 || strings.Contains(secret, "redacted") {
			return
		}
		for _, c := range secret {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
				return
			}
		}
		forms := []string{
			"password=" + secret,
			"postgres://user:" + secret + "@host/db",
			"Authorization: Bearer " + secret,
			`"client_secret":"` + secret + `"`,
			"token: " + secret,
			`value "` + secret + `" refused`,
			secret + "@example.com",
			"api_key='" + secret + "'",
		}
		i := int(form) % len(forms)
		if i == 5 && strings.ContainsAny(pre+post, "\"`\\") {
			return // a stray quote outside pairs with ours: quoting is best effort for values
		}
		in := pre + " " + forms[i] + " " + post
		out := privacy.Scrub(in)
		if strings.Contains(out, secret) && !strings.Contains(pre+post, secret) {
			t.Fatalf("Scrub(%q) = %q keeps the secret", in, out)
		}
		if again := privacy.Scrub(out); again != out {
			t.Fatalf("Scrub not idempotent: %q -> %q -> %q", in, out, again)
		}
		if r := privacy.Redact(pre+secret+post, secret); strings.Contains(r, secret) {
			t.Fatalf("Redact(%q, %q) = %q keeps the secret", pre+secret+post, secret, r)
		}
	})
}
