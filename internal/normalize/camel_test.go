package normalize

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestSplitCamel checks which camel-case joints part words.
func TestSplitCamel(t *testing.T) {
	for in, want := range map[string]string{
		"AlcatelLucent":                          "Alcatel Lucent",
		"AlcatelLucent Bell Labs":                "Alcatel Lucent Bell Labs",
		"AsiaPacific Network Information Centre": "Asia Pacific Network Information Centre",
		"BIIGroup":                               "BII Group",
		"JPMorgan Chase":                         "JP Morgan Chase",
		"CentecNetworks":                         "Centec Networks",
		"ExxonMobil":                             "Exxon Mobil",
		"GlaxoSmithKline plc":                    "Glaxo Smith Kline plc",
		"CATRMIITChina":                          "CATRMIIT China",
		"ÉcoleNormale":                           "École Normale",
		"McDonald's":                             "McDonald's",
		"LinkedIn":                               "LinkedIn",
		"eBay Inc":                               "eBay Inc",
		"iPhone":                                 "iPhone",
		"Acme GmbH & Co. KGaA":                   "Acme GmbH & Co. KGaA",
		"VMware":                                 "VMware",
		"ATMs Direct":                            "ATMs Direct",
		"PhD Consulting":                         "PhD Consulting",
		"FedEx":                                  "FedEx",
		"ACME":                                   "ACME",
		"acme":                                   "acme",
		"":                                       "",
		"PwC":                                    "PwC",
		"SàRL":                                   "SàRL",
		"Article19":                              "Article 19",
		"Forever21 Inc":                          "Forever 21 Inc",
		"AREA51":                                 "AREA 51",
		"Studio54, Ltd":                          "Studio 54, Ltd",
		"7Eleven":                                "7Eleven",
		"3Com Europe":                            "3Com Europe",
		"3M":                                     "3M",
		"3com centre":                            "3com centre",
		"4thDimension":                           "4thDimension",
		"7eleven":                                "7eleven",
		"Go6":                                    "Go6",
		"B2B Partners":                           "B2B Partners",
		"21st Century":                           "21st Century",
		"21stCentury":                            "21stCentury",
		"Web3D":                                  "Web3D",
		"Win2000":                                "Win2000",
		"A1Bank":                                 "A1Bank",
		"Huawei3COM":                             "Huawei3COM",
		"Vodafone360":                            "Vodafone360",
	} {
		assert.Equal(t, want, SplitCamel(in), "SplitCamel(%q)", in)
	}
	assert.Zero(t, testing.AllocsPerRun(10, func() { _ = SplitCamel("Acme Holdings GmbH") }))
}

// FuzzSplitCamel checks that SplitCamel only inserts spaces, within the
// name, and that parting a parted name changes nothing.
func FuzzSplitCamel(f *testing.F) {
	for _, s := range []string{"AlcatelLucent", "BIIGroup", "McDonald's", "KGaA", "ÉcoleNormale", "ABCDefGhiJKLmno", "a\xffBcdEfg", "Article19", "7Eleven", "x1Y22Zzz333"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := SplitCamel(s)
		i := 0
		for j := 0; j < len(out); j++ {
			if i < len(s) && out[j] == s[i] {
				i++
				continue
			}
			if out[j] != ' ' || i == 0 || i >= len(s) {
				t.Fatalf("SplitCamel(%q) = %q: more than spaces within it", s, out)
			}
		}
		if i != len(s) {
			t.Fatalf("SplitCamel(%q) = %q: lost text", s, out)
		}
		if again := SplitCamel(out); again != out {
			t.Fatalf("SplitCamel not idempotent: %q, then %q", out, again)
		}
	})
}
