package normalize

import "testing"

var (
	benchPlaces = []string{"San Francisco, CA, USA", "München, Deutschland", "London UK", "Greater Seattle Area",
		"Toronto, ON, Canada", "Москва"}
	benchAddresses = []string{"12 N. Main St, Springfield, IL 62701", "Ansbacher Straße 23, 40213 Düsseldorf, Deutschland",
		"Flat 2, 10 Downing St, London SW1A 2AA", "122 howarth place, villa 19, alice springs, 0870, nt",
		"Suite 900, 1450 N City Rd, Arlington, VA 23208", "15 rue de la Paix, 75002 Paris, France"}
)

// BenchmarkParseAddress measures ParseAddress on places (which it hands to
// ParseLocation after a scan that does not allocate) and on postal
// addresses, against ParseLocation on the same texts as the baseline.
func BenchmarkParseAddress(b *testing.B) {
	for _, bc := range []struct {
		name string
		in   []string
		f    func(string)
	}{
		{"places/ParseLocation", benchPlaces, func(s string) { _ = ParseLocation(s) }},
		{"places/ParseAddress", benchPlaces, func(s string) { _ = ParseAddress(s) }},
		{"addresses/ParseLocation", benchAddresses, func(s string) { _ = ParseLocation(s) }},
		{"addresses/ParseAddress", benchAddresses, func(s string) { _ = ParseAddress(s) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, s := range bc.in {
					bc.f(s)
				}
			}
		})
	}
}
