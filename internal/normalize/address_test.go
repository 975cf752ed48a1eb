package normalize

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseAddress(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Address
	}{
		{"us abbreviated", "12 N. Main St, Springfield, IL 62701",
			Address{HouseNumber: "12", Street: "n main st", StreetName: "main", Locality: "springfield", Region: "US-IL", Postcode: "62701", Country: "US"}},
		{"us spelled out, zip+4", "12 North Main Street, Springfield IL 62701-1234",
			Address{HouseNumber: "12", Street: "n main st", StreetName: "main", Locality: "springfield", Region: "US-IL", Postcode: "62701", Country: "US"}},
		{"us suite line first", "Suite 900, 1450 N City Rd, Arlington, VA 23208",
			Address{HouseNumber: "1450", Street: "n city rd", StreetName: "city", Unit: "900", Locality: "arlington", Region: "US-VA", Postcode: "23208", Country: "US"}},
		{"us suite after street", "1450 N City Rd Suite 900, Arlington, VA 23208",
			Address{HouseNumber: "1450", Street: "n city rd", StreetName: "city", Unit: "900", Locality: "arlington", Region: "US-VA", Postcode: "23208", Country: "US"}},
		{"us city in street part", "3212 W. 32nd St Palm Harbor, FL 34683",
			Address{HouseNumber: "3212", Street: "w 32nd st", StreetName: "32nd", Locality: "palm harbor", Region: "US-FL", Postcode: "34683", Country: "US"}},
		{"us cross street", "2 Harrison St.  near Hudson St., New York",
			Address{HouseNumber: "2", Street: "harrison st", StreetName: "harrison", Locality: "new york", Region: "US-NY", Country: "US"}},
		{"us between two streets", "42 E. 20th St.  between Park Ave. S and Broadway, New York",
			Address{HouseNumber: "42", Street: "e 20th st", StreetName: "20th", Locality: "new york", Region: "US-NY", Country: "US"}},
		{"us between two streets after an untyped street", "2450 Broadway  between 90th and 91st Sts., New York",
			Address{HouseNumber: "2450", Street: "broadway", StreetName: "broadway", Locality: "new york", Region: "US-NY", Country: "US"}},
		{"us one line", "80 Delaware Ave SE Washington DC 20003",
			Address{HouseNumber: "80", Street: "delaware ave se", StreetName: "delaware", Locality: "washington", Region: "US-DC", Postcode: "20003", Country: "US"}},
		{"us zip+4 without dash", "445 Overpass Rd, San Ramon, CA 945830000",
			Address{HouseNumber: "445", Street: "overpass rd", StreetName: "overpass", Locality: "san ramon", Region: "US-CA", Postcode: "94583", Country: "US"}},
		{"us building name first", "Adventura Apartments 638 Downey St, Salem, OR",
			Address{HouseNumber: "638", Street: "downey st", StreetName: "downey", Locality: "salem", Region: "US-OR", Country: "US", Extra: "adventura apartments"}},
		{"us po box", "P.O. Box 12987, Chicago, IL 60611",
			Address{POBox: "12987", Locality: "chicago", Region: "US-IL", Postcode: "60611", Country: "US"}},
		{"us pasted twice", "1602 Brenville Pl, San Francisco, CA 94105, San Francisco, CA 94105",
			Address{HouseNumber: "1602", Street: "brenville pl", StreetName: "brenville", Locality: "san francisco", Region: "US-CA", Postcode: "94105", Country: "US"}},
		{"us hash unit", "1231 Las Vegas Blvd #1402, Las Vegas, NV 89109",
			Address{HouseNumber: "1231", Street: "las vegas blvd", StreetName: "las vegas", Unit: "1402", Locality: "las vegas", Region: "US-NV", Postcode: "89109", Country: "US"}},
		{"canada", "100 Queen St W, Toronto, ON M5H 2N2, Canada",
			Address{HouseNumber: "100", Street: "queen st w", StreetName: "queen", Locality: "toronto", Region: "CA-ON", Postcode: "m5h2n2", Country: "CA"}},
		{"canada postcode implies country", "Skyline Apartments, 705 Sheppard Ave, Toronto, M1S 1T4",
			Address{HouseNumber: "705", Street: "sheppard ave", StreetName: "sheppard", Locality: "toronto", Postcode: "m1s1t4", Country: "CA", Extra: "skyline apartments"}},
		{"uk", "18 Danver Place, Loughborough, Leicestershire, LE11 1UU, United Kingdom",
			Address{HouseNumber: "18", Street: "danver pl", StreetName: "danver", Locality: "loughborough", Region: "leicestershire", Postcode: "le111uu", Country: "GB"}},
		{"uk flat and postcode after city", "Flat 2, 10 Downing St, London SW1A 2AA",
			Address{HouseNumber: "10", Street: "downing st", StreetName: "downing", Unit: "2", Locality: "london", Postcode: "sw1a2aa", Country: "GB"}},
		{"uk house letter", "221B Baker Street, London NW1 6XE, UK",
			Address{HouseNumber: "221b", Street: "baker st", StreetName: "baker", Locality: "london", Postcode: "nw16xe", Country: "GB"}},
		{"australia lower case", "122 howarth place, villa 19, alice springs, 0870, nt",
			Address{HouseNumber: "122", Street: "howarth pl", StreetName: "howarth", Unit: "19", Locality: "alice springs", Region: "AU-NT", Postcode: "0870", Country: "AU"}},
		{"australia second line", "6 bootle place, lillydale, mount stuart, 7109, tas",
			Address{HouseNumber: "6", Street: "bootle pl", StreetName: "bootle", Locality: "mount stuart", Region: "AU-TAS", Postcode: "7109", Country: "AU", Extra: "lillydale"}},
		{"australia unit slash", "Unit 3/45 George St, Sydney NSW 2000, Australia",
			Address{HouseNumber: "45", Street: "george st", StreetName: "george", Unit: "3", Locality: "sydney", Region: "AU-NSW", Postcode: "2000", Country: "AU"}},
		{"germany", "Ansbacher Straße 23, 40213 Düsseldorf, Deutschland",
			Address{HouseNumber: "23", Street: "ansbacher st", StreetName: "ansbacher", Locality: "dusseldorf", Postcode: "40213", Country: "DE"}},
		{"germany compound", "Hauptstr. 5, 10115 Berlin",
			Address{HouseNumber: "5", Street: "haupt st", StreetName: "haupt", Locality: "berlin", Postcode: "10115", Country: "DE"}},
		{"germany english order", "23 Ansbacher Street, Dusseldorf, 40213, Germany",
			Address{HouseNumber: "23", Street: "ansbacher st", StreetName: "ansbacher", Locality: "dusseldorf", Postcode: "40213", Country: "DE"}},
		{"numbered street, number before", "#321, Street 128, Phnom Penh, Cambodia",
			Address{HouseNumber: "321", Street: "st 128", StreetName: "128", Locality: "phnom penh", Country: "KH"}},
		{"numbered street, No before", "No 321, Street 128 Phnom Penh Cambodia",
			Address{HouseNumber: "321", Street: "st 128", StreetName: "128", Locality: "phnom penh", Country: "KH"}},
		{"country from CLDR names", "12 Peace Avenue, Ulaanbaatar, Mongolia",
			Address{HouseNumber: "12", Street: "peace ave", StreetName: "peace", Locality: "ulaanbaatar", Country: "MN"}},
		{"france", "15 rue de la Paix, 75002 Paris, France",
			Address{HouseNumber: "15", Street: "rue de la paix", StreetName: "paix", Locality: "paris", Postcode: "75002", Country: "FR"}},
		{"france boulevard", "8 bd Haussmann, 75009 Paris",
			Address{HouseNumber: "8", Street: "blvd haussmann", StreetName: "haussmann", Locality: "paris", Postcode: "75009", Country: "FR"}},
		{"liechtenstein prefixed postcode", "Fieldstrasse 10, FL-9495 Triesen, Liechtenstein",
			Address{HouseNumber: "10", Street: "field st", StreetName: "field", Locality: "triesen", Postcode: "9495", Country: "LI"}},
		{"us state code that is also a street type", "500 Ridge Road Suite 12, Wethersfield, CT 06109",
			Address{HouseNumber: "500", Street: "ridge rd", StreetName: "ridge", Unit: "12", Locality: "wethersfield", Region: "US-CT", Postcode: "06109", Country: "US"}},
		{"us state spelled out, ending like a country", "3001 US Highway 9, Freehold Township, New Jersey 07728-1234",
			Address{HouseNumber: "3001", Street: "us hwy 9", StreetName: "9", Locality: "freehold township", Region: "US-NJ", Postcode: "07728", Country: "US"}},
		{"us numbered route", "3001 Route 9, Freehold, NJ 07728",
			Address{HouseNumber: "3001", Street: "rte 9", StreetName: "9", Locality: "freehold", Region: "US-NJ", Postcode: "07728", Country: "US"}},
		{"us state route", "12 State Route 17, Paramus, NJ 07652",
			Address{HouseNumber: "12", Street: "state rte 17", StreetName: "17", Locality: "paramus", Region: "US-NJ", Postcode: "07652", Country: "US"}},
		{"us county road", "455 County Road 12, Avon, NY 14414",
			Address{HouseNumber: "455", Street: "county rd 12", StreetName: "county 12", Locality: "avon", Region: "US-NY", Postcode: "14414", Country: "US"}},
		{"us house number spelled out", "One Microsoft Way, Redmond, WA 98052",
			Address{HouseNumber: "1", Street: "microsoft way", StreetName: "microsoft", Locality: "redmond", Region: "US-WA", Postcode: "98052", Country: "US"}},
		{"australia state code without the country", "12 Hay St, Perth WA 6000",
			Address{HouseNumber: "12", Street: "hay st", StreetName: "hay", Locality: "perth", Region: "AU-WA", Postcode: "6000", Country: "AU"}},
		{"australia state code that is a country's", "1 King William St, Adelaide SA 5000",
			Address{HouseNumber: "1", Street: "king william st", StreetName: "king william", Locality: "adelaide", Region: "AU-SA", Postcode: "5000", Country: "AU"}},
		{"australia state ending like a country", "12 Hay St, Perth, Western Australia 6000",
			Address{HouseNumber: "12", Street: "hay st", StreetName: "hay", Locality: "perth", Region: "AU-WA", Postcode: "6000", Country: "AU"}},
		{"spain type first, number after", "Calle Mayor 5, 28013 Madrid, Spain",
			Address{HouseNumber: "5", Street: "calle mayor", StreetName: "mayor", Locality: "madrid", Postcode: "28013", Country: "ES"}},
		{"portugal dashed postcode", "Rua Augusta 100, 1100-053 Lisboa, Portugal",
			Address{HouseNumber: "100", Street: "rua augusta", StreetName: "augusta", Locality: "lisbon", Postcode: "1100053", Country: "PT"}},
		{"netherlands canal and postcode", "Keizersgracht 123, 1015 CJ Amsterdam",
			Address{HouseNumber: "123", Street: "keizers gracht", StreetName: "keizers", Locality: "amsterdam", Postcode: "1015cj", Country: "NL"}},
		{"house number after the street, in its own part", "East Carson Street, 2401, 15203",
			Address{HouseNumber: "2401", Street: "e carson st", StreetName: "carson", Postcode: "15203"}},
		{"house number after the street, no postcode", "McKnight Road, 7675",
			Address{HouseNumber: "7675", Street: "mcknight rd", StreetName: "mcknight"}},
		{"postcode after a street without number", "torrens street, 5700, sa",
			Address{Street: "torrens st", StreetName: "torrens", Region: "AU-SA", Postcode: "5700", Country: "AU"}},
		{"street only", "37 Campfire St.",
			Address{HouseNumber: "37", Street: "campfire st", StreetName: "campfire"}},
		{"russia type after name", "Tolmacheva Ul., bld. 8, appt. 71, Smolensk",
			Address{Street: "tolmacheva st", StreetName: "tolmacheva", Unit: "8", Locality: "smolensk"}},
		{"place only", "San Francisco, CA, USA",
			Address{Locality: "san francisco", Region: "US-CA", Country: "US"}},
		{"city only", "München, Deutschland", Address{Locality: "munich", Country: "DE"}},
		{"city named like a street", "Mountain View, California, United States",
			Address{Locality: "mountain view", Region: "US-CA", Country: "US"}},
		{"street without number", "torrens street, moorillyah, port augusta, 5700, sa",
			Address{Street: "torrens st", StreetName: "torrens", Locality: "port augusta", Region: "AU-SA", Postcode: "5700", Country: "AU", Extra: "moorillyah"}},
		{"area", "Greater Seattle Area", Address{Locality: "seattle", Country: "US"}},
		{"remote", "Remote", Address{}},
		{"empty", "  ", Address{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ParseAddress(tc.in)
			if got.Street != "" {
				assert.NotEmpty(t, got.StreetJoined, "ParseAddress(%q).StreetJoined", tc.in)
				assert.NotContains(t, got.StreetJoined, " ", "ParseAddress(%q).StreetJoined", tc.in)
			}
			got.StreetJoined = ""
			assert.Equal(t, tc.want, got, "ParseAddress(%q)", tc.in)
		})
	}
}

// TestParseAddressSameAs checks that spellings of one address agree on the
// parts a matcher compares.
func TestParseAddressSameAs(t *testing.T) {
	groups := [][]string{
		{"12 N. Main St, Springfield, IL 62701", "12 North Main Street, Springfield IL 62701", "12 n main street springfield il 62701"},
		{"1450 N City Rd Suite 900, Arlington, VA 23208", "Suite 900, 1450 N City Rd, Arlington, VA 23208", "1450 North City Road, Ste. 900, Arlington VA 23208"},
		{"Ansbacher Straße 23, 40213 Düsseldorf", "Ansbacher Str. 23, 40213 Duesseldorf", "23 Ansbacher Strasse, Dusseldorf 40213"},
		{"16 mceachern crescent, chelsea heights, 3196, vic", "16 McEachern Cres, Chelsea Heights VIC 3196"},
		{"156 2nd Ave. at 10th St., New York", "156 Second Ave., New York City"},
	}
	for _, pair := range [][2]string{
		{"2 clarkson street, burrell creek, 3094, vic", "2 clarkso nstreet, burrell creek, 3094, vic"},
		{"86 bussau close, klemzig, 4095, nsw", "86 bussau c lose, klemzig, 4095, nsw"},
	} {
		a, b := ParseAddress(pair[0]), ParseAddress(pair[1])
		assert.Equal(t, a.StreetJoined, b.StreetJoined, "StreetJoined of %q and %q", pair[0], pair[1])
	}
	for _, g := range groups {
		first := ParseAddress(g[0])
		for _, s := range g[1:] {
			a := ParseAddress(s)
			assert.Equal(t, first.HouseNumber, a.HouseNumber, "HouseNumber of %q and %q", g[0], s)
			assert.Equal(t, first.StreetName, a.StreetName, "StreetName of %q and %q", g[0], s)
			assert.Equal(t, first.Postcode, a.Postcode, "Postcode of %q and %q", g[0], s)
			assert.Equal(t, first.Unit, a.Unit, "Unit of %q and %q", g[0], s)
		}
	}
}

func FuzzParseAddress(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	for _, s := range []string{
		"12 N. Main St, Springfield, IL 62701-1234", "Suite 900, 1450 N City Rd, Arlington, 23208",
		"Ansbacher Straße 23, 40213 Düsseldorf", "Flat 2, 10 Downing St, London SW1A 2AA",
		"122 howarth place, villa 19, alice springs, 0870, nt", "#321, Street 128, Phnom Penh, Cambodia",
		"FL-9495 Triesen", "P.O. Box 1, 1/23 x", "No 5 - 7 / rue", "12 12 12 12", "st st st",
		"3001 U.S. Highway 9 N, New Jersey 07728-1234", "One Two Way", "Calle 5", "Rua A 1, 1100-053",
		"Keizersgracht 1, 1015 CJ", "9 Rte 9 9 9, CT 06109", "1-1 2-2222 33333-333", "State Route",
		"Ross Street, 310, 15219", "St, 1, 2, 3", "a Road, 12ab, ,", "Carnegie Mellon's, 15213",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a := ParseAddress(s)
		for name, v := range map[string]string{
			"HouseNumber": a.HouseNumber, "Street": a.Street, "StreetName": a.StreetName, "Unit": a.Unit, "StreetJoined": a.StreetJoined,
			"POBox": a.POBox, "Locality": a.Locality, "Postcode": a.Postcode, "Extra": a.Extra,
		} {
			checkFolded(t, "ParseAddress."+name, s, v, MaxInput)
		}
		if a.Country != "" && CountryName(a.Country) == "" {
			t.Fatalf("ParseAddress(%q).Country = %q: unknown code", s, a.Country)
		}
		if a.StreetName != "" && a.Street == "" {
			t.Fatalf("ParseAddress(%q): street name %q without a street", s, a.StreetName)
		}
		if !a.Postal() {
			if l := ParseLocation(s); l != a.Location() {
				t.Fatalf("ParseAddress(%q) = %+v, not postal, but ParseLocation gives %+v", s, a, l)
			}
		}
	})
}
