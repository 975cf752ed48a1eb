package normalize

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseLocation(t *testing.T) {
	tests := []struct {
		in   string
		want Location
	}{
		{"San Francisco, CA, USA", Location{"san francisco", "US-CA", "US"}},
		{"San Francisco, California, United States", Location{"san francisco", "US-CA", "US"}},
		{"San Francisco Bay Area", Location{"san francisco", "", "US"}},
		{"Austin TX", Location{"austin", "US-TX", "US"}},
		// Australian suburbs and states, written without a comma.
		{"Sydney NSW", Location{"sydney", "AU-NSW", "AU"}},
		{"Melbourne VIC", Location{"melbourne", "AU-VIC", "AU"}},
		{"Perth WA", Location{"perth", "AU-WA", "AU"}},
		{"Seattle WA", Location{"seattle", "US-WA", "US"}},
		{"Adelaide SA", Location{"adelaide", "AU-SA", "AU"}},
		{"Adelaide, SA", Location{"adelaide", "AU-SA", "AU"}},
		{"Riyadh, SA", Location{"riyadh", "", "SA"}},
		{"Darwin NT", Location{"darwin", "AU-NT", "AU"}},
		{"Yellowknife NT", Location{"yellowknife", "CA-NT", "CA"}},
		{"Ft. Worth, TX", Location{"fort worth", "US-TX", "US"}},
		{"St. Louis, MO", Location{"saint louis", "US-MO", "US"}},
		{"Saint Louis, Missouri", Location{"saint louis", "US-MO", "US"}},
		{"Mt Vernon, NY", Location{"mount vernon", "US-NY", "US"}},
		{"New York, NY", Location{"new york", "US-NY", "US"}},
		{"New York", Location{"new york", "", "US"}},
		{"NY", Location{"", "US-NY", "US"}},
		{"Wilmington, DE", Location{"wilmington", "US-DE", "US"}},
		{"Paris, TX", Location{"paris", "US-TX", "US"}},
		{"Atlanta, Georgia", Location{"atlanta", "US-GA", "US"}},
		{"Tbilisi, Georgia", Location{"tbilisi", "", "GE"}},
		{"Georgia", Location{"", "", "GE"}},
		{"Toronto, ON, Canada", Location{"toronto", "CA-ON", "CA"}},
		{"Toronto, CA", Location{"toronto", "", "CA"}},
		{"Montréal (QC)", Location{"montreal", "CA-QC", "CA"}},
		{"München, Deutschland", Location{"munich", "", "DE"}},
		{"München, Bayern, Deutschland", Location{"munich", "bayern", "DE"}},
		{"Berlin, DE", Location{"berlin", "", "DE"}},
		{"Berlin, Germany", Location{"berlin", "", "DE"}},
		{"London UK", Location{"london", "", "GB"}},
		{"London, U.K.", Location{"london", "", "GB"}},
		{"Greater London, England, United Kingdom", Location{"london", "england", "GB"}},
		{"Madrid, España", Location{"madrid", "", "ES"}},
		{"Zürich, Schweiz", Location{"zurich", "", "CH"}},
		{"Москва", Location{"moscow", "", "RU"}},
		{"Москва, Россия", Location{"moscow", "", "RU"}},
		{"Αθήνα", Location{"athens", "", "GR"}},
		{"東京", Location{"tokyo", "", "JP"}},
		{"Paris", Location{"paris", "", "FR"}},
		{"FR", Location{"", "", "FR"}},
		{"DEU", Location{"", "", "DE"}},
		{"USA", Location{"", "", "US"}},
		{"U.S.", Location{"", "", "US"}},
		{"CA", Location{"", "", "CA"}},
		{"MA", Location{"", "", "MA"}}, // Morocco, or Massachusetts: see StateCode
		{"DE", Location{"", "", "DE"}},
		{"MA, USA", Location{"", "US-MA", "US"}},
		{"Boston MA", Location{"boston", "US-MA", "US"}},
		{"Bengaluru, Karnataka, India", Location{"bengaluru", "karnataka", "IN"}},
		{"Bangalore", Location{"bengaluru", "", "IN"}},
		{"São Paulo - SP, Brasil", Location{"sao paulo", "sp", "BR"}},
		{"Singapore", Location{"singapore", "", "SG"}},
		{"Springfield", Location{"springfield", "", ""}},
		{"Springfield, IL", Location{"springfield", "US-IL", "US"}},
		{"Cordoba, Spain", Location{"cordoba", "", "ES"}},
		{"Tromsø", Location{"tromso", "", "NO"}},
		{"Sydney NSW Australia", Location{"sydney", "AU-NSW", "AU"}},
		{"Melbourne, Victoria", Location{"melbourne", "AU-VIC", "AU"}},
		{"Perth, WA, Australia", Location{"perth", "AU-WA", "AU"}},
		{"Seattle, WA", Location{"seattle", "US-WA", "US"}},
		{"Victoria, BC", Location{"victoria", "CA-BC", "CA"}},
		{"Ηράκλειο, Ελλάδα", Location{"heraklion", "", "GR"}},
		{"Санкт-Петербург, Россия", Location{"saint petersburg", "", "RU"}},
		{"Kharkiv, UA", Location{"kharkiv", "", "UA"}},
		{"Frankfurt am Main, DE", Location{"frankfurt", "", "DE"}},
		{"Den Haag", Location{"the hague", "", "NL"}},
		{"Remote", Location{}},
		{"Remote - US", Location{"", "", "US"}},
		{"Remote, Germany", Location{"", "", "DE"}},
		{"Washington, D.C.", Location{"washington", "US-DC", "US"}},
		{"San Diego, CA", Location{"san diego", "US-CA", "US"}},
		{"N/A", Location{}},
		{"", Location{}},
		{" , ,", Location{}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			assert.Equal(t, tc.want, ParseLocation(tc.in), "ParseLocation(%q)", tc.in)
		})
	}
}

func TestCountryName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"US", "United States"}, {"de", "Germany"}, {"GBR", "United Kingdom"},
		{"jp", "Japan"}, {"XX", ""}, {"", ""},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, CountryName(tc.in), "CountryName(%q)", tc.in)
	}
}

func TestLocationTables(t *testing.T) {
	g := geo()
	assert.GreaterOrEqual(t, len(g.countryName), 80, "countries")
	cities := map[string]bool{}
	for _, c := range g.cityByName {
		cities[c.country+"/"+c.name] = true
		_, known := g.countryName[c.country]
		assert.True(t, known, "city %s has unknown country %s", c.name, c.country)
	}
	assert.GreaterOrEqual(t, len(cities), 300, "cities")
	for code, r := range g.regionByCode {
		assert.Equal(t, r.country+"-"+code, r.code)
	}
}

// TestStateCode checks which codes alone also name a US state.
func TestStateCode(t *testing.T) {
	for in, want := range map[string]string{"MA": "US-MA", " DE ": "US-DE", "CA": "US-CA", "PA": "US-PA", "FR": "", "TX": "", "ma": "", "Boston, MA": "", "USA": ""} {
		got, ok := StateCode(in)
		assert.Equal(t, want, got, "StateCode(%q)", in)
		assert.Equal(t, want != "", ok, "StateCode(%q) ok", in)
	}
}
