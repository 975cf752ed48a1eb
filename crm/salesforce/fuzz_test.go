package salesforce

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/internal/httpx"
)

// unquote parses a SOQL string literal as Salesforce does, for the round trip below.
func unquote(s string) (string, bool) {
	if len(s) < 2 || s[0] != '\'' || s[len(s)-1] != '\'' {
		return "", false
	}
	var b strings.Builder
	for i := 1; i < len(s)-1; i++ {
		c := s[i]
		switch c {
		case '\'':
			return "", false // an unescaped quote would end the literal early
		case '\\':
			i++
			if i >= len(s)-1 {
				return "", false
			}
			b.WriteByte(map[byte]byte{'n': '\n', 'r': '\r', 't': '\t', '\'': '\'', '\\': '\\'}[s[i]])
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}

func FuzzQuote(f *testing.F) {
	for _, s := range []string{"", "Needs Analysis", "O'Brien", `a\'b`, "line\nbreak", `\`, "'); DELETE"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		got, ok := unquote(quote(s))
		require.True(t, ok, "quote(%q) = %s is not one literal", s, quote(s))
		assert.Equal(t, s, got)
	})
}

func FuzzReadCSV(f *testing.F) {
	f.Add("\"Id\",\"Name\"\n\"001R0000000UyrWIAS\",\"Acme, Inc.\"\n")
	f.Add("Id,Name\n1,2,3\n")
	f.Add("")
	f.Add("\"unterminated\n")
	f.Fuzz(func(t *testing.T, in string) {
		n := 0
		_, err := readCSV(context.Background(), "bulk query Account", strings.NewReader(in), func(r *csvRow) (bool, error) {
			_, derr := decodeAccount(r)
			if derr != nil {
				return false, derr
			}
			n++
			return true, nil
		})
		if err != nil {
			var ae *crm.APIError
			require.True(t, errors.As(err, &ae), "error %v is not an APIError", err)
			assert.ErrorIs(t, err, crm.ErrMalformed)
			if len(in) > 12 {
				assert.NotContains(t, err.Error(), in, "the input is not quoted")
			}
		}
	})
}

func FuzzTagged(f *testing.F) {
	f.Add("InMail: Intro", "key-1", 255)
	f.Add(strings.Repeat("é", 200), "k", 255)
	f.Add("", "", 80)
	f.Fuzz(func(t *testing.T, subject, key string, max int) {
		if !utf8.ValidString(subject) || max < 60 || max > 1000 {
			return
		}
		m := marker(key)
		got := tagged(subject, m, max)
		assert.LessOrEqual(t, len(got), max)
		assert.True(t, utf8.ValidString(got))
		assert.Equal(t, m, markerOf(got))
		if len(subject)+len(m)+3 <= max {
			assert.True(t, strings.HasPrefix(got, subject))
		}
	})
}

func FuzzErrorCode(f *testing.F) {
	f.Add(`[{"message":"x","errorCode":"MALFORMED_QUERY"}]`)
	f.Add(`[]`)
	f.Add(`{"error":"invalid_grant","error_description":"expired"}`)
	f.Add(`[{"errorCode":"jane@acme.example"}]`)
	f.Fuzz(func(t *testing.T, body string) {
		code := errorCode([]byte(body))
		assert.Equal(t, code, httpx.SanitizeCode(code), "codes are sanitised")
		assert.NotContains(t, code, "@")
		assert.NotContains(t, code, " ")
	})
}

func FuzzSOQLFilter(f *testing.F) {
	f.Add("001R0000000UyrWIAS", "003R000000A1BCDFXX")
	f.Add("x' OR Id != '", "")
	f.Fuzz(func(t *testing.T, a, b string) {
		qs, err := soql(accountSpec, crm.Filter{IDs: []string{a, b}}, "", "Id")
		if err != nil {
			assert.ErrorIs(t, err, crm.ErrInvalid)
			assert.False(t, validID(a) && validID(b))
			return
		}
		require.Len(t, qs, 1)
		want := 4
		if a == b {
			want = 2
		}
		assert.Equal(t, want, strings.Count(qs[0], "'"), "plain literals only: %s", qs[0])
	})
}

func FuzzDecodeOpportunity(f *testing.F) {
	f.Add("12500.25", "2024-05-01", "2013-05-20T20:49:32.000+0000", "true", "EUR")
	f.Add("", "", "", "", "")
	f.Add("1e400", "2024-13-01", "yesterday", "TRUE", "")
	f.Add("NaN", "2024-05-01T00:00:00Z", "2024-05-01T10:00:00Z", "false", "USD")
	f.Fuzz(func(t *testing.T, amount, closeDate, created, won, currency string) {
		in := "Id,StageName,IsClosed,IsWon,Amount,CloseDate,CreatedDate,CurrencyIsoCode\n"
		row := []string{"006R0000000UyrWIAS", "Closed Won", "true", won, amount, closeDate, created, currency}
		for i, v := range row {
			row[i] = `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
		}
		in += strings.Join(row, ",") + "\n"
		var got crm.Opportunity
		_, err := readCSV(context.Background(), "bulk query Opportunity", strings.NewReader(in), func(r *csvRow) (bool, error) {
			var derr error
			got, derr = decodeOpportunity(r)
			return derr == nil, derr
		})
		if err != nil {
			var ae *crm.APIError
			require.True(t, errors.As(err, &ae), "error %v is not an APIError", err)
			assert.ErrorIs(t, err, crm.ErrMalformed)
			for _, v := range []string{amount, closeDate, created} {
				if len(v) > 6 {
					assert.NotContains(t, err.Error(), v, "the value is not quoted")
				}
			}
			return
		}
		assert.False(t, math.IsNaN(got.Amount) || math.IsInf(got.Amount, 0), "amount is a finite number")
		if !got.CloseDate.IsZero() {
			assert.Equal(t, got.CloseDate, got.CloseDate.Truncate(24*time.Hour), "a close date is a day")
			assert.Equal(t, time.UTC, got.CloseDate.Location())
		}
		assert.Equal(t, won == "true", got.IsWon)
		assert.Equal(t, currency, got.Currency)
	})
}
