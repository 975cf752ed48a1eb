package normalize

import (
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
