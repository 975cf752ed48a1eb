package normalize

import (
	"slices"
	"strings"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Location is a parsed free-text location.
type Location struct {
	// City is the folded city name; a known city is given its canonical
	// English name ("München" → "munich", "Москва" → "moscow").
	City string
	// Region is the ISO 3166-2 code of a US state, Canadian province or
	// Australian state ("US-CA", "CA-ON", "AU-NSW"), or the folded text of
	// another region ("bayern"); "" if none was given.
	Region string
	// Country is the ISO 3166-1 alpha-2 code, upper-case ("US", "DE"), or ""
	// when unknown.
	Country string
}

type cityInfo struct{ name, country string }

type regionInfo struct{ country, code string }

type geoTables struct {
	countryByName map[string]string // folded name or alias → alpha-2
	countryByCode map[string]string // alpha-2 or alpha-3 (upper) → alpha-2
	countryName   map[string]string // alpha-2 → English name
	regionByName  map[string]regionInfo
	regionByCode  map[string]regionInfo // US and Canadian codes: "CA" → US-CA ...
	regionByFull  map[string]regionInfo // "AU-NSW" → AU-NSW ...
	cityByName    map[string]cityInfo
}

var geo = sync.OnceValue(func() *geoTables {
	g := &geoTables{
		countryByName: make(map[string]string, 512),
		countryByCode: make(map[string]string, 256),
		countryName:   make(map[string]string, 128),
		regionByName:  make(map[string]regionInfo, 64),
		regionByCode:  make(map[string]regionInfo, 64),
		regionByFull:  make(map[string]regionInfo, 80),
		cityByName:    make(map[string]cityInfo, 1024),
	}
	for line := range strings.Lines(countryData) {
		f := strings.Split(strings.TrimSpace(line), "|")
		a2, a3 := f[0], f[1]
		g.countryByCode[a2] = a2
		g.countryByCode[a3] = a2
		g.countryName[a2] = f[2]
		for _, n := range f[2:] {
			if k := placeLong(Fold(n)); k != "" {
				if _, dup := g.countryByName[k]; !dup {
					g.countryByName[k] = a2
				}
			}
		}
	}
	for line := range strings.Lines(regionData) {
		f := strings.Split(strings.TrimSpace(line), "|")
		r := regionInfo{country: f[0], code: f[0] + "-" + f[1]}
		if f[0] == "US" || f[0] == "CA" {
			g.regionByCode[f[1]] = r
		}
		g.regionByFull[r.code] = r
		g.regionByName[placeLong(Fold(f[2]))] = r
	}
	for line := range strings.Lines(cityData) {
		f := strings.Split(strings.TrimSpace(line), "|")
		c := cityInfo{name: placeLong(Fold(f[1])), country: f[0]}
		for _, n := range f[1:] {
			if k := placeLong(Fold(n)); k != "" {
				if _, dup := g.cityByName[k]; !dup {
					g.cityByName[k] = c
				}
			}
		}
	}
	addDisplayCountries(g)
	return g
})

// addDisplayCountries adds the countries countryData does not list, by their
// English names in CLDR (through x/text's display tables): "Cambodia",
// "Mongolia". A name that is also a region or a city of the tables is left
// out, as is a code that is also a US state or Canadian province code, so
// that "Jersey City, NJ" and "AL" keep their meaning.
func addDisplayCountries(g *geoTables) {
	names := display.English.Regions()
	var code [2]byte
	for a := byte('A'); a <= 'Z'; a++ {
		for b := byte('A'); b <= 'Z'; b++ {
			code[0], code[1] = a, b
			a2 := string(code[:])
			if _, known := g.countryByCode[a2]; known {
				continue
			}
			r, err := language.ParseRegion(a2)
			if err != nil || !r.IsCountry() || r.String() != a2 {
				continue
			}
			name := names.Name(r)
			k := placeLong(Fold(name))
			if name == "" || k == "" {
				continue
			}
			if _, clash := g.regionByName[k]; clash {
				continue
			}
			if _, clash := g.cityByName[k]; clash {
				continue
			}
			if _, dup := g.countryByName[k]; !dup {
				g.countryByName[k] = a2
			}
			g.countryName[a2] = name
			if _, clash := g.regionByCode[a2]; !clash {
				g.countryByCode[a2] = a2
			}
		}
	}
}

// CountryName returns the English name of the country with the ISO 3166-1
// alpha-2 or alpha-3 code (any case): "DE" → "Germany". It returns "" for an
// unknown code.
func CountryName(code string) string {
	g := geo()
	a2, ok := g.countryByCode[strings.ToUpper(strings.TrimSpace(code))]
	if !ok {
		return ""
	}
	return g.countryName[a2]
}

// locWord is one whitespace-separated word of a location, with its folded
// form.
type locWord struct{ raw, folded string }

// ParseLocation parses a free-text location such as "San Francisco, CA,
// USA", "München, Deutschland", "London UK", "Toronto (ON)", "FR", "Paris"
// or "Москва". Countries are recognised by English, native and common names
// (USA, U.S., UK, Great Britain, Deutschland, España ...) and by upper-case
// alpha-2 or alpha-3 codes; US state, Canadian province and Australian state
// names and codes imply their country (Australian codes only after the
// country: "Sydney NSW Australia"); a table of several hundred major cities
// gives the country when none is written ("Paris" → FR). Words such as
// "Greater" and "Area" are dropped ("Greater Seattle Area"), and "Remote",
// "N/A" and the like give an empty Location. Unknown parts are kept folded.
// A lone code is a country ("CA" is Canada; "San Diego, CA" is California).
// Only the first [MaxInput] bytes are read.
func ParseLocation(s string) Location {
	if len(s) > MaxInput {
		s = s[:MaxInput]
	}
	g := geo()
	var parts [][]locWord
	for p := range strings.FieldsFuncSeq(s, func(r rune) bool {
		switch r {
		case ',', ';', '\n', '\r', '(', ')', '[', ']', '|', '/', '·', '，', '、':
			return true
		}
		return false
	}) {
		var ws []locWord
		for w := range strings.FieldsSeq(p) {
			if w == "-" || w == "–" || w == "—" { // "São Paulo - SP"
				if len(ws) > 0 {
					parts = append(parts, ws)
				}
				ws = nil
				continue
			}
			if f := Fold(w); f != "" {
				ws = append(ws, locWord{raw: w, folded: f})
			}
		}
		if len(ws) > 0 {
			parts = append(parts, ws)
		}
	}
	// "Remote - US", "Remote, Germany": the country stands, "remote" goes.
	parts = slices.DeleteFunc(parts, func(ws []locWord) bool { return notALocation(joinFolded(ws)) })
	if len(parts) > 0 {
		parts[0] = trimAreaWords(parts[0])
	}
	var loc Location
	if len(parts) == 0 || notALocation(Fold(s)) {
		return loc
	}
	single := len(parts) == 1

	// A single part that names a known city is a city, even if it also
	// names a region ("New York", "Washington").
	if single {
		if c, ok := g.cityByName[joinFolded(parts[0])]; ok {
			loc.City, loc.Country = c.name, c.country
			if _, isCountry := g.countryByName[joinFolded(parts[0])]; isCountry {
				loc.Country = g.countryByName[joinFolded(parts[0])]
			}
			return loc
		}
	}

	// Country: the last part, or a suffix of its words.
	last := parts[len(parts)-1]
	cityOf := func() (cityInfo, bool) {
		c, ok := g.cityByName[joinFolded(parts[0])]
		return c, ok
	}
	if cc, n := matchCountry(g, last, len(parts), cityOf); cc != "" {
		loc.Country = cc
		last = last[:len(last)-n]
		if len(last) == 0 {
			parts = parts[:len(parts)-1]
		} else {
			parts[len(parts)-1] = last
		}
	}
	if len(parts) == 0 {
		return loc
	}

	// Region: a US state, Canadian province or Australian state (name or
	// code) in the last remaining part, or free text between city and
	// country.
	last = parts[len(parts)-1]
	if loc.Country == "" || loc.Country == "US" || loc.Country == "CA" || loc.Country == "AU" {
		var r regionInfo
		var n int
		if au, ok := auState(g, parts, loc.Country, 0); ok {
			r, n = au, 1
		} else {
			r, n = matchRegion(g, last, loc.Country)
		}
		if r.code != "" {
			loc.Region = r.code
			loc.Country = r.country
			last = last[:len(last)-n]
			if len(last) == 0 {
				parts = parts[:len(parts)-1]
			} else {
				parts[len(parts)-1] = last
			}
		}
	}
	if loc.Region == "" && len(parts) >= 2 {
		loc.Region = joinFolded(parts[len(parts)-1])
		parts = parts[:len(parts)-1]
	}
	if len(parts) == 0 {
		return loc
	}

	// City: what remains of the first part.
	city := joinFolded(parts[0])
	if c, ok := g.cityByName[city]; ok && (loc.Country == "" || loc.Country == c.country) {
		loc.City = c.name
		loc.Country = c.country
	} else {
		loc.City = city
	}
	return loc
}

// matchCountry finds a country at the end of the words ws of the last part
// and returns its code and the number of words it covers. nparts is the
// number of parts; city looks up the first part in the city table.
func matchCountry(g *geoTables, ws []locWord, nparts int, city func() (cityInfo, bool)) (string, int) {
	for n := min(len(ws), 4); n >= 1; n-- {
		suffix := ws[len(ws)-n:]
		name := joinFolded(suffix)
		cc, isCountry := g.countryByName[name]
		if !isCountry && n > 1 {
			if _, isRegion := g.regionByName[name]; isRegion {
				// A region whose name ends with a country's: "New
				// Jersey", "New Mexico", "Western Australia".
				return "", 0
			}
		}
		if isCountry {
			// "Atlanta, Georgia": a US state spelled like a country.
			if r, isRegion := g.regionByName[name]; isRegion && nparts+len(ws)-n > 1 {
				if c, ok := city(); ok && c.country == r.country {
					continue
				}
			}
			return cc, n
		}
		if n != 1 {
			continue
		}
		code, ok := upperCode(suffix[0].raw)
		if !ok {
			continue
		}
		cc, ok = g.countryByCode[code]
		if !ok {
			continue
		}
		// "Adelaide SA" and "Adelaide, SA" are South Australia, "Riyadh,
		// SA" Saudi Arabia.
		if _, isState := g.regionByFull["AU-"+code]; isState {
			if c, ok := city(); auCityBefore(g, [][]locWord{ws}) || ok && c.country == "AU" && nparts > 1 {
				continue
			}
		}
		// "Wilmington, DE" is Delaware, "Berlin, DE" Germany; "CA" alone
		// is Canada.
		if _, isState := g.regionByCode[code]; isState && (nparts > 1 || len(ws) > 1) && nparts <= 2 {
			if c, known := city(); !known || c.country != cc {
				continue
			}
		}
		return cc, n
	}
	return "", 0
}

// matchRegion finds a US state or Canadian province at the end of ws.
// country, if set, restricts the match; codes are accepted only in
// upper case.
func matchRegion(g *geoTables, ws []locWord, country string) (regionInfo, int) {
	for n := min(len(ws), 4); n >= 1; n-- {
		suffix := ws[len(ws)-n:]
		if r, ok := g.regionByName[joinFolded(suffix)]; ok && (country == "" || r.country == country) {
			return r, n
		}
		if n == 1 {
			if code, ok := upperCode(suffix[0].raw); ok {
				if country != "" {
					if r, ok := g.regionByFull[country+"-"+code]; ok {
						return r, n
					}
				} else if r, ok := g.regionByCode[code]; ok {
					return r, n
				}
			}
		}
	}
	return regionInfo{}, 0
}

// upperCode returns raw without dots if it is a 2- or 3-letter upper-case
// ASCII code ("US", "U.S.", "DEU").
func upperCode(raw string) (string, bool) {
	var b [3]byte
	n := 0
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '.':
		case c >= 'A' && c <= 'Z' && n < 3:
			b[n] = c
			n++
		default:
			return "", false
		}
	}
	if n < 2 {
		return "", false
	}
	return string(b[:n]), true
}

// joinFolded joins the folded words, keeping at most MaxInput bytes of
// whole words.
func joinFolded(ws []locWord) string {
	if len(ws) == 1 {
		if long := placeWordLong(ws[0].folded); long != "" {
			return long
		}
		return ws[0].folded
	}
	var b strings.Builder
	for i, w := range ws {
		f := w.folded
		if long := placeWordLong(f); long != "" {
			f = long
		}
		if b.Len()+1+len(f) > MaxInput {
			break
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(f)
	}
	return b.String()
}

// placeWordLong is the word a short form in a place name stands for ("St.
// Louis", "Ft Worth", "Mt Vernon"), or "": place names are read and kept
// with their words written out, so that either spelling meets the other.
func placeWordLong(f string) string {
	switch f {
	case "st":
		return "saint"
	case "ste":
		return "sainte"
	case "ft":
		return "fort"
	case "mt":
		return "mount"
	}
	return ""
}

// placeLong is the folded place name s with its short words written out,
// as joinFolded writes them.
func placeLong(s string) string {
	ws := strings.Fields(s)
	changed := false
	for i, w := range ws {
		if long := placeWordLong(w); long != "" {
			ws[i], changed = long, true
		}
	}
	if !changed {
		return s
	}
	return strings.Join(ws, " ")
}

// trimAreaWords removes the words that turn a city into a metropolitan area
// ("Greater London", "San Francisco Bay Area", "Greater Seattle Area").
func trimAreaWords(ws []locWord) []locWord {
	if len(ws) > 1 && ws[0].folded == "greater" {
		ws = ws[1:]
	}
	area := false
	for len(ws) > 1 {
		switch ws[len(ws)-1].folded {
		case "area", "metropolitan", "metro", "region":
			ws = ws[:len(ws)-1]
			area = true
			continue
		case "bay":
			if area {
				ws = ws[:len(ws)-1]
				continue
			}
		}
		break
	}
	return ws
}

// StateCode returns the US state that s, a location written as a code
// alone, also names when the code is a country's too ("MA": Morocco or
// Massachusetts; "DE", "IN", "PA", "CA"), as state fields are exported
// alone as often as country fields: "US-MA" for "MA". [ParseLocation]
// reads such a code as the country; ok is false for any other location.
func StateCode(s string) (region string, ok bool) {
	s = strings.TrimSpace(s)
	if len(s) < 2 || len(s) > 5 {
		return "", false
	}
	code, ok := upperCode(s)
	if !ok || len(code) != 2 {
		return "", false
	}
	g := geo()
	r, state := g.regionByCode[code]
	_, nation := g.countryByCode[code]
	if !state || !nation || r.country != "US" {
		return "", false
	}
	return r.code, true
}

// notALocation reports whether a folded location says there is none.
func notALocation(s string) bool {
	switch s {
	case "remote", "remote only", "fully remote", "worldwide", "global", "anywhere", "n a",
		"na", "none", "unknown", "tbd", "various", "multiple locations", "multiple",
		"home office", "earth", "international", "online", "virtual":
		return true
	}
	return false
}
