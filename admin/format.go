package admin

import (
	"strconv"
	"strings"
)

func fmtPct(f float64) string { return strconv.FormatFloat(f*100, 'f', 1, 64) + "%" }

// fmtMoney formats an amount with thousands separators and no decimals.
func fmtMoney(f float64) string {
	s := strconv.FormatFloat(f, 'f', 0, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
