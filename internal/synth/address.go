package synth

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strconv"
	"strings"
)

// postal is a generated street address.
type postal struct {
	number   string
	dir      int    // index into directions, -1 for none
	name     string // street name without type ("Main", "Haupt")
	stype    int    // index into the country style's types
	unit     string // "" or the unit number
	unitWord string // "Suite", "Apt", ...
	postcode string
}

// addrStyle is how a country writes its addresses.
type addrStyle int

const (
	styleEN     addrStyle = iota // 12 N Main St, City, POSTCODE, Country
	styleGB                      // 12 Main Street, City POSTCODE, Country
	styleDE                      // Hauptstraße 12, 10115 City, Country
	styleFR                      // 12 rue de la Paix, 75002 City, Country
	styleLatin                   // Calle Mayor 12, 28013 City, Country (ES, IT, BR, PT)
	styleNumber                  // number after the street, postcode before the city (NL, Nordics, PL ...)
)

func styleOf(code string) addrStyle {
	switch code {
	case "US", "IN", "JP", "CN":
		return styleEN
	case "GB":
		return styleGB
	case "DE":
		return styleDE
	case "FR":
		return styleFR
	case "ES", "IT", "BR", "PT", "MX", "AR":
		return styleLatin
	}
	return styleNumber
}

// Street types: the long form, then the short forms a CRM may hold.
var (
	enTypes = [][]string{
		{"Street", "St", "St."}, {"Avenue", "Ave", "Ave.", "Av"}, {"Road", "Rd", "Rd."}, {"Drive", "Dr", "Dr."},
		{"Lane", "Ln"}, {"Boulevard", "Blvd", "Blvd."}, {"Court", "Ct"}, {"Place", "Pl"}, {"Way"},
		{"Crescent", "Cres"}, {"Close", "Cl"}, {"Terrace", "Tce"}, {"Parkway", "Pkwy"},
	}
	deTypes    = [][]string{{"straße", "str.", "strasse"}, {"weg"}, {"platz", "pl."}, {"allee"}}
	frTypes    = [][]string{{"rue", "r."}, {"avenue", "av.", "ave"}, {"boulevard", "bd", "blvd"}, {"place", "pl."}, {"chemin", "ch."}}
	latinTypes = [][]string{{"Calle", "C/"}, {"Via", "V."}, {"Avenida", "Av.", "Avda."}, {"Rua", "R."}}
	directions = [][]string{{"North", "N", "N."}, {"South", "S", "S."}, {"East", "E", "E."}, {"West", "W", "W."}}
	// streetNames are common street names; the rest come from the country's surnames.
	streetNames = []string{"Main", "Oak", "Maple", "Cedar", "Park", "Washington", "Lake", "Hill", "Church",
		"Station", "High", "King", "Queen", "Victoria", "Elm", "Pine", "Mill", "River", "Spring", "Bridge",
		"Market", "Union", "Garden", "Forest", "Sunset", "Meadow", "Highland", "Willow", "Chestnut", "Harbor"}
	deNames = []string{"Haupt", "Bahnhof", "Schul", "Garten", "Kirch", "Berg", "Wald", "Ring", "Linden", "Markt"}
	frNames = []string{"de la Paix", "du Moulin", "de l'Église", "Victor Hugo", "de la République", "Jean Jaurès",
		"du Général de Gaulle", "Pasteur", "des Écoles", "de la Gare"}
)

// addrSeed is the stream of the addresses of a world's entities: its own,
// so that a world with addresses has the same names, emails and cities as
// one without.
const addrSeed = 0x2545f4914f6cdd1d

// newPostal generates a street address in country c's city.
func newPostal(rng *rand.Rand, c *country, city string, company bool) postal {
	p := postal{dir: -1}
	st := styleOf(c.code)
	p.number = strconv.Itoa(1 + skewed(rng, 2000, 2.5))
	if rng.IntN(12) == 0 {
		p.number += string(rune('A' + rng.IntN(4)))
	}
	common := rng.IntN(100) < 45
	switch st {
	case styleDE:
		p.stype = skewed(rng, len(deTypes), 1.8)
		if common {
			p.name = pick(rng, deNames)
		} else {
			p.name = pick(rng, c.last)
		}
	case styleFR:
		p.stype = skewed(rng, len(frTypes), 1.8)
		if common {
			p.name = pick(rng, frNames)
		} else {
			p.name = pick(rng, c.last)
		}
	case styleLatin:
		p.stype = rng.IntN(len(latinTypes))
		p.name = pick(rng, c.last)
	default:
		p.stype = skewed(rng, len(enTypes), 1.6)
		if common {
			p.name = pick(rng, streetNames)
		} else {
			p.name = pick(rng, c.last)
		}
		if c.code == "US" && rng.IntN(4) == 0 {
			p.dir = rng.IntN(len(directions))
		}
	}
	p.name = translitIn(c, p.name)
	switch r := rng.IntN(100); {
	case company && r < 35:
		p.unitWord = pick(rng, []string{"Suite", "Floor", "Suite"})
		p.unit = strconv.Itoa(100 + rng.IntN(900))
	case !company && r < 20:
		p.unitWord = pick(rng, []string{"Apt", "Unit", "Flat", "Apt"})
		p.unit = strconv.Itoa(1 + rng.IntN(40))
	}
	p.postcode = postcodeIn(rng, c.code, city)
	return p
}

// postcodeIn makes a postcode of the country's shape; codes of one city
// share their district (the leading characters).
func postcodeIn(rng *rand.Rand, code, city string) string {
	h := fnv.New32a()
	h.Write([]byte(code + "|" + city))
	base := int(h.Sum32())
	switch code {
	case "GB":
		l := string(rune('A'+base%26)) + string(rune('A'+base/26%26))
		return fmt.Sprintf("%s%d %d%c%c", l, 1+base/676%20, rng.IntN(10), 'A'+rng.IntN(26), 'A'+rng.IntN(26))
	case "NL":
		return fmt.Sprintf("%02d%02d %c%c", 10+base%89, rng.IntN(100), 'A'+rng.IntN(26), 'A'+rng.IntN(26))
	case "SE", "NO", "DK", "FI":
		return fmt.Sprintf("%02d%02d", 10+base%89, rng.IntN(100))
	case "IN", "RU", "CN":
		return fmt.Sprintf("%03d%03d", 100+base%899, rng.IntN(1000))
	}
	return fmt.Sprintf("%02d%03d", 10+base%89, rng.IntN(1000))
}

// streetLine writes the street, number and (when withUnit) unit; short picks
// the short forms of type and direction.
func (p *postal) streetLine(c *country, short, withUnit bool, rng *rand.Rand) string {
	form := func(forms []string) string {
		if short && len(forms) > 1 {
			return forms[1+rng.IntN(len(forms)-1)]
		}
		return forms[0]
	}
	var s string
	switch styleOf(c.code) {
	case styleDE:
		t := form(deTypes[p.stype])
		if p.stype == 0 || rng.IntN(3) > 0 {
			s = p.name + t + " " + p.number // Hauptstraße 12
		} else {
			s = p.name + " " + strings.ToUpper(t[:1]) + t[1:] + " " + p.number
		}
	case styleFR:
		s = p.number + " " + form(frTypes[p.stype]) + " " + p.name
	case styleLatin:
		s = form(latinTypes[p.stype]) + " " + p.name + " " + p.number
	case styleNumber:
		s = p.name + " " + form(enTypes[p.stype]) + " " + p.number
	default:
		s = p.number + " "
		if p.dir >= 0 {
			s += form(directions[p.dir]) + " "
		}
		s += p.name + " " + form(enTypes[p.stype])
	}
	if withUnit && p.unit != "" {
		s += " " + p.unitWord + " " + p.unit
	}
	return s
}

// render writes the whole address in the country's usual order.
func (p *postal) render(c *country, city, cname string, short bool, rng *rand.Rand) string {
	line := p.streetLine(c, short, true, rng)
	switch styleOf(c.code) {
	case styleEN:
		return line + ", " + city + ", " + p.postcode + ", " + cname
	case styleGB:
		return line + ", " + city + " " + p.postcode + ", " + cname
	}
	return line + ", " + p.postcode + " " + city + ", " + cname
}

// addressesFor gives the world's entities street addresses (Options.Addresses).
func (w *World) addAddresses() {
	rng := rand.New(rand.NewPCG(w.opts.Seed, addrSeed))
	w.caddr = make([]postal, len(w.companies))
	for i := range w.companies {
		m := &w.cmeta[i]
		c := &countries[m.country]
		w.caddr[i] = newPostal(rng, c, m.city, true)
		if w.companies[i].Location != c.name {
			w.companies[i].Location = w.caddr[i].render(c, m.city, c.name, rng.IntN(2) == 0, rng)
		}
	}
	w.maddr = make([]postal, len(w.members))
	for i := range w.members {
		m := &w.mmeta[i]
		c := &countries[m.locCountry]
		w.maddr[i] = newPostal(rng, c, m.city, false)
		if w.members[i].Location != "" {
			w.members[i].Location = w.maddr[i].render(c, m.city, c.name, rng.IntN(2) == 0, rng)
		}
	}
}

// queryAddress renders a CRM's copy of an entity's address with the
// corruptions CRM data shows: another format and order, short or long
// street types and directions, missing parts, a unit line of its own, typos,
// one line without commas, and stale addresses. loc is the place the query
// already holds ("" when its location is missing, which stays missing).
func queryAddress(rng *rand.Rand, s float64, p postal, c *country, city, loc string, company bool, noise *[]string) string {
	if loc == "" {
		return ""
	}
	add := func(tag string) { *noise = append(*noise, tag) }
	if chance(rng, 0.3, s) {
		return loc // the place alone, as before
	}
	if chance(rng, 0.06, s) {
		p = newPostal(rng, c, city, company)
		add("address:stale")
	}
	if chance(rng, 0.12, s) {
		p.name = typo(rng, p.name)
		add("address:street_typo")
	}
	short := rng.IntN(2) == 0
	unitLine := ""
	withUnit := p.unit != ""
	switch {
	case withUnit && chance(rng, 0.3, s):
		withUnit = false
		add("address:unit_missing")
	case withUnit && chance(rng, 0.3, s):
		unitLine = p.unitWord + " " + p.unit
		withUnit = false
		if rng.IntN(2) == 0 {
			unitLine = "#" + p.unit
		}
		add("address:unit_line")
	}
	if chance(rng, 0.04, s) {
		p.number = ""
		add("address:number_missing")
	}
	line := strings.TrimSpace(p.streetLine(c, short, withUnit, rng))
	parts := []string{line}
	if unitLine != "" {
		if rng.IntN(2) == 0 {
			parts = append([]string{unitLine}, parts...)
		} else {
			parts = append(parts, unitLine)
		}
	}
	pc := p.postcode
	switch {
	case chance(rng, 0.25, s):
		pc = ""
		add("address:postcode_missing")
	case chance(rng, 0.04, s):
		pc = typo(rng, "x"+pc)[1:]
		add("address:postcode_typo")
	}
	cityPart := city
	if c.script != latin && rng.IntN(2) == 0 {
		cityPart = translitIn(c, city)
	}
	if chance(rng, 0.1, s) {
		cityPart = ""
		add("address:city_missing")
	}
	cname := c.name
	if n, ok := countryLatin[c.code]; ok && rng.IntN(2) == 0 {
		cname = n
	}
	if chance(rng, 0.4, s) {
		cname = ""
	} else if rng.IntN(4) == 0 {
		cname = c.code
	}
	switch st := styleOf(c.code); {
	case (st == styleEN || st == styleGB) && pc != "":
		if cityPart != "" {
			parts = append(parts, cityPart+" "+pc)
		} else {
			parts = append(parts, pc)
		}
	case pc != "":
		parts = append(parts, strings.TrimSpace(pc+" "+cityPart))
	case cityPart != "":
		parts = append(parts, cityPart)
	}
	if cname != "" {
		parts = append(parts, cname)
	}
	sep := ", "
	if chance(rng, 0.08, s) {
		sep = " "
		add("address:one_line")
	}
	out := strings.Join(parts, sep)
	switch {
	case chance(rng, 0.06, s):
		out = strings.ToUpper(out)
		add("address:upper")
	case chance(rng, 0.06, s):
		out = strings.ToLower(out)
		add("address:lower")
	}
	return out
}
