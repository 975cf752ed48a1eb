package pgstore

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/override"
)

func TestParseDSN(t *testing.T) {
	const pw = "s3cr3t-Pw"
	tests := []struct {
		name, dsn string
		ok        bool
		password  string // want cfg.ConnConfig.Password when ok
	}{
		{"url", "postgres://u:" + pw + "@h:5432/db?sslmode=disable", true, pw},
		{"postgresql url", "postgresql://u:" + pw + "@h/db", true, pw},
		{"url, password like app name", "postgres://u:crmlink@h/db?application_name=crmlink-api", true, "crmlink"},
		{"url, escaped password", "postgres://u:p%40ss%20w@h/db", true, "p@ss w"},
		{"url, no password", "postgres://u@h/db", true, ""},
		{"key value", "host=h user=u password=" + pw + " application_name=myapp", true, pw},
		{"key value, quoted", "host=h user=u password='" + pw + " x' dbname=db", true, pw + " x"},
		{"misspelled scheme", "postgress://u:" + pw + "@h/db", false, ""},
		{"driver scheme", "postgresql+pgx://u:" + pw + "@h/db", false, ""},
		{"space in host", "postgres://u:" + pw + "@h ost/db", false, ""},
		{"password in the query", "postgres:///?:" + pw + "@h/db?=", false, ""},
		{"empty value swallows password", "host=h application_name= password=" + pw, false, ""},
		{"bad port", "postgres://u:" + pw + "@h:port/db", false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, _, err := parseDSN(tc.dsn)
			if !tc.ok {
				require.Error(t, err)
				assert.ErrorIs(t, err, override.ErrInvalid)
				assert.NotContains(t, err.Error(), pw)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.password, cfg.ConnConfig.Password)
		})
	}
}

func TestDSNSecrets(t *testing.T) {
	tests := []struct {
		dsn  string
		want []string
	}{
		{"postgres://u:pw@h/db", []string{"pw"}},
		{"postgres://u:p@w@h/db", []string{"p@w"}},
		{"postgres://u@h/db", nil},
		{"host=h password=pw", []string{"pw"}},
		{"host=h password = 'a\\'b' x=y", []string{"a'b", "a\\'b"}},
		{"host=h password='one two' x=y", []string{"one two", "one", "two"}},
		{"postgres://h/db?password=pw&x=y", []string{"pw"}},
		{"password='unterminated", []string{"unterminated"}},
		{"password=", nil},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, dsnSecrets(tc.dsn), "dsnSecrets(%q)", tc.dsn)
	}
}
