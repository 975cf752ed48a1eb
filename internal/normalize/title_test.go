package normalize

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTitle(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Sr. VP of Sales & Marketing", "senior vice president sales marketing"},
		{"Senior Vice President, Sales and Marketing", "senior vice president sales marketing"},
		{"SVP Sales", "senior vice president sales"},
		{"EVP, Operations", "executive vice president operations"},
		{"AVP", "assistant vice president"},
		{"V.P. Ops", "vice president operations"},
		{"Vice-President", "vice president"},
		{"CEO", "chief executive officer"},
		{"Chief Executive Officer", "chief executive officer"},
		{"CEO & Co-Founder", "chief executive officer cofounder"},
		{"Co-Founder and CTO", "cofounder chief technology officer"},
		{"CFO", "chief financial officer"},
		{"COO", "chief operating officer"},
		{"CMO", "chief marketing officer"},
		{"CIO", "chief information officer"},
		{"CISO", "chief information security officer"},
		{"Head of Engineering", "head engineering"},
		{"Jr. Software Eng.", "junior software engineer"},
		{"Mgr, Cust. Svc", "manager customer services"},
		{"Dir. of Mktg", "director marketing"},
		{"Exec. Asst. to the CEO", "executive assistant chief executive officer"},
		{"HR Business Partner", "human resources business partner"},
		{"Directeur Général", "directeur general"},
		{"Генеральный директор", "generalnyy direktor"},
		{"ＣＴＯ", "chief technology officer"},
		{"Chief Executive Officer (CEO)", "chief executive officer"},
		{"VP, VP Sales", "vice president sales"},
		{"", ""},
		{"&", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got := Title(tc.in)
			assert.Equal(t, tc.want, got, "Title(%q)", tc.in)
			assert.Equal(t, got, Title(got), "Title not idempotent on %q", tc.in)
		})
	}
}

func TestTitleOutputIsCapped(t *testing.T) {
	in := strings.Repeat("CEO CFO ", 200) // expands to far more than MaxInput
	got := Title(in)
	assert.LessOrEqual(t, len(got), MaxInput)
	assert.True(t, strings.HasSuffix(got, "officer"), "Title cut inside a word: ...%q", got[max(0, len(got)-20):])
	assert.Equal(t, got, Title(got))
}

func TestTitleWords(t *testing.T) {
	tests := []struct{ in, want string }{
		{"GVP", "group vice president"}, {"RVP", "regional vice president"},
		{"Acct Exec", "account executive"}, {"Sales Rep", "sales representative"},
		{"Ops Coord", "operations coordinator"}, {"Mktg Spec", "marketing specialist"},
		{"Supv", "supervisor"}, {"Sys Admin", "sys administrator"}, {"Biz Dev", "business development"},
		{"Tech Lead", "technical lead"}, {"GM", "general manager"}, {"MD", "managing director"},
		{"CRO", "chief revenue officer"}, {"CPO", "chief product officer"}, {"CDO", "chief data officer"},
		{"CHRO", "chief human resources officer"}, {"CCO", "chief commercial officer"},
		{"SWE II", "software engineer ii"}, {"Pres.", "president"}, {"Vice Pres.", "vice president"},
		{"Intl Sales Mgr", "international sales manager"}, {"Natl Acct Mgr", "national account manager"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, Title(tc.in), "Title(%q)", tc.in)
	}
}
