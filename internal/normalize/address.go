package normalize

import (
	"strings"
	"unicode/utf8"
)

// Address is a postal address split into its parts, each in its search form
// (folded). Parts the text does not give are "".
type Address struct {
	// HouseNumber is the number on the street: "12", "221b", "12 14" (a
	// range "12-14" folds to two numbers).
	HouseNumber string
	// Street is the street with its type and direction words in their
	// short canonical forms ("n main st" of "North Main Street", "ansbacher
	// st" of "Ansbacher Straße", "howarth pl" of "Howarth Place").
	Street string
	// StreetName is Street without its type and direction words ("main",
	// "ansbacher"): two spellings of a street meet on it even when one
	// writes the type or direction differently or not at all.
	StreetName string
	// StreetJoined is the street's words as written (folded, type and
	// direction words not shortened) without spaces: "clarksonstreet" of
	// "Clarkson Street" and of "clarkso nstreet", so that a space put in
	// the wrong place or a misspelt type word still meets the street.
	StreetJoined string
	// Unit is the unit, suite, apartment, flat or villa number ("296" of
	// "Suite 296" or "#296"); a unit word without a number is kept as
	// written ("penthouse").
	Unit string
	// POBox is the number of a post-office box ("12987" of "P.O. Box
	// 12987").
	POBox string
	// Locality is the city, town or suburb; a known city is given its
	// canonical English name, as [Location.City].
	Locality string
	// Region is as [Location.Region]: an ISO 3166-2 code of a US state,
	// Canadian province or Australian state, or the folded region text.
	Region string
	// Postcode is the postal code without spaces, folded ("94105",
	// "le111uu", "m1s1t4"); a US ZIP+4 keeps its first five digits.
	Postcode string
	// Country is the ISO 3166-1 alpha-2 code ("US"), from the text or
	// implied by a region or by a postcode of a shape only one country uses
	// (Canada, the United Kingdom).
	Country string
	// Extra holds the other lines (building or estate names, a second
	// address line), folded and joined by spaces.
	Extra string
}

// Postal reports whether a holds more than a place: a street, a house
// number, a postcode, a unit or a post-office box.
func (a *Address) Postal() bool {
	return a.Street != "" || a.HouseNumber != "" || a.Postcode != "" || a.Unit != "" || a.POBox != ""
}

// Location returns the place part of a (locality, region and country) as a
// [Location].
func (a *Address) Location() Location {
	return Location{City: a.Locality, Region: a.Region, Country: a.Country}
}

// addrWord is one word of an address: its raw text (for upper-case codes)
// and its folded form.
type addrWord struct {
	raw, f string
	hash   bool // written with a leading '#'
	pc     bool // a postcode with a country prefix ("FL-2198", "D-80331")
}

// ParseAddress splits a free-text address, with its parts in any order and
// format, into house number, street, unit, post-office box, locality,
// region, postcode and country: "12 N. Main St, Springfield, IL 62701",
// "Ansbacher Straße 23, 40213 Düsseldorf, Deutschland", "18 Danver Place,
// Loughborough, Leicestershire, LE11 1UU, United Kingdom", "122 howarth
// place, villa 19, alice springs, 2028, vic", "Suite 900, 1450 N City Rd,
// Arlington, VA 23208", "3212 W. 32nd St Palm Harbor, FL 60527". Street
// types and directions are given short canonical forms for the major
// countries (US, CA, UK, AU, DE, FR and others: St/Street/Straße, Ave, Rd,
// Cres, Pl, N/North/Nord ...). A text with no street, number, postcode or
// unit is a place and parses as [ParseLocation] does ("San Francisco, CA,
// USA"). Only the first [MaxInput] bytes are read.
func ParseAddress(s string) Address {
	if len(s) > MaxInput {
		s = s[:MaxInput]
	}
	var a Address
	if !mayBePostal(s) {
		// A place: no need to look for postal parts.
		l := ParseLocation(s)
		return Address{Locality: l.City, Region: l.Region, Country: l.Country}
	}
	if strings.TrimSpace(s) == "" || notALocation(Fold(s)) {
		return a
	}
	parts := splitAddress(s)
	if len(parts) == 0 {
		return a
	}
	pcLen := a.takePostcode(parts)
	parts = a.takeUnits(parts)
	si, pre, rest := a.takeStreet(parts)
	if !a.Postal() {
		l := ParseLocation(s)
		return Address{Locality: l.City, Region: l.Region, Country: l.Country}
	}
	if si >= 0 && a.HouseNumber == "" && si+1 < len(parts) && len(parts[si+1]) == 1 && len(rest) == 0 &&
		isHouseNumber(parts[si+1][0].f) && !hasDigit(a.Street) {
		// The house number in the part after the street ("Ross Street,
		// 310").
		a.HouseNumber = parts[si+1][0].f
		parts[si+1] = nil
	}
	var extra, tail [][]addrWord
	for i, p := range parts {
		switch {
		case len(p) == 0:
		case si >= 0 && i < si:
			extra = append(extra, p)
		case i != si:
			tail = append(tail, p)
		}
	}
	if len(pre) > 0 {
		extra = append(extra, pre)
	}
	if len(rest) > 0 {
		// Words after the street in its own part ("3212 W 32nd St Palm
		// Harbor, FL"): the locality, unless later parts give one.
		tail = append([][]addrWord{rest}, tail...)
	}
	a.parsePlace(tail, &extra, pcLen)
	if len(extra) > 0 {
		var b strings.Builder
		for _, p := range extra {
			for _, w := range p {
				if b.Len()+1+len(w.f) > MaxInput {
					break
				}
				if b.Len() > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(w.f)
			}
		}
		a.Extra = b.String()
	}
	return a
}

// mayBePostal reports, without allocating, whether s may hold postal parts:
// a digit, a '#', a word that is a street type, unit word or post-office
// box word, or one that holds "stra" ("Straße"). Other scripts' street and
// unit words without a number are not seen. A true answer is checked by
// parsing.
func mayBePostal(s string) bool {
	var buf [16]byte
	n, long := 0, false
	check := func() bool {
		if n == 0 || long {
			return false
		}
		w := string(buf[:n]) // does not escape: the compiler avoids the copy for switch lookups
		if isStreetType(w) || isUnitWord(w) || strings.Contains(w, "stra") {
			return true
		}
		switch w {
		case "po", "pobox", "box", "postfach":
			return true
		}
		_, _, ok := compoundStreet(w)
		return ok
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9', c == '#':
			return true
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= 0x80:
			if n == len(buf) {
				long = true
				continue
			}
			if c < 0x80 {
				c |= 0x20
			}
			buf[n] = c
			n++
		case c == '.' || c == '\'':
		default:
			if check() {
				return true
			}
			n, long = 0, false
		}
	}
	return check()
}

// splitAddress splits s into parts at commas and other separators (a slash
// only between non-digits: "1/23" is a unit and a number) and each part into
// words.
func splitAddress(s string) [][]addrWord {
	var parts [][]addrWord
	start := 0
	flush := func(end int) {
		var ws []addrWord
		for w := range strings.FieldsSeq(s[start:end]) {
			if w == "-" || w == "–" || w == "—" {
				if len(ws) > 0 {
					parts = append(parts, ws)
				}
				ws = nil
				continue
			}
			ws = appendAddrWords(ws, w)
		}
		if len(ws) > 0 && !hasPart(parts, ws) {
			parts = append(parts, ws)
		}
		start = end
	}
	for i, r := range s {
		sep := false
		switch r {
		case ',', ';', '\n', '\r', '(', ')', '[', ']', '|', '·', '，', '、':
			sep = true
		case '/':
			sep = !(i > 0 && isDigit(s[i-1]) && i+1 < len(s) && isDigit(s[i+1]))
		}
		if sep {
			flush(i)
			start = i + utf8.RuneLen(r)
		}
	}
	flush(len(s))
	return parts
}

// hasPart reports whether parts already holds a part with the words of p
// (an address pasted twice: "..., San Francisco, CA 94105, San Francisco,
// CA 94105").
func hasPart(parts [][]addrWord, p []addrWord) bool {
outer:
	for _, q := range parts {
		if len(q) != len(p) {
			continue
		}
		for i := range q {
			if q[i].f != p[i].f {
				continue outer
			}
		}
		return true
	}
	return false
}

// appendAddrWords appends the folded words of the raw word w.
func appendAddrWords(ws []addrWord, w string) []addrWord {
	hash := strings.HasPrefix(w, "#")
	if d, ok := prefixedPostcode(w); ok {
		return append(ws, addrWord{raw: w, f: d, pc: true})
	}
	if d, ok := dashedPostcode(w); ok {
		return append(ws, addrWord{raw: w, f: d, pc: true})
	}
	f := Fold(w)
	if f == "" {
		return ws
	}
	if !strings.Contains(f, " ") {
		return append(ws, addrWord{raw: w, f: f, hash: hash})
	}
	for sub := range strings.FieldsSeq(f) {
		ws = append(ws, addrWord{raw: sub, f: sub, hash: hash})
		hash = false
	}
	return ws
}

// prefixedPostcode recognises a postcode written with a country prefix
// ("FL-9490", "D-80331", "CH-8001") and returns its digits.
func prefixedPostcode(w string) (string, bool) {
	i := strings.IndexByte(w, '-')
	if i < 1 || i > 2 {
		return "", false
	}
	for j := 0; j < i; j++ {
		if !(w[j] >= 'A' && w[j] <= 'Z') {
			return "", false
		}
	}
	d := w[i+1:]
	if len(d) < 4 || len(d) > 5 || !allDigits(d) {
		return "", false
	}
	return d, true
}

// dashedPostcode recognises a postcode written as two groups of digits
// with a dash, in the shapes no house-number range takes: Portugal's
// 1100-053, Japan's 100-0001, Brazil's 01310-100. It returns the digits.
func dashedPostcode(w string) (string, bool) {
	i := strings.IndexByte(w, '-')
	if i < 0 {
		return "", false
	}
	a, b := w[:i], w[i+1:]
	if !allDigits(a) || !allDigits(b) {
		return "", false
	}
	switch {
	case len(a) == 4 && len(b) == 3, len(a) == 3 && len(b) == 4, len(a) == 5 && len(b) == 3:
		return a + b, true
	}
	return "", false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// hasDigit reports whether s holds an ASCII digit.
func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			return true
		}
	}
	return false
}

// isHouseNumber reports whether f is a house number: digits, optionally
// followed by one or two letters ("12", "221b"), or an ordinal-free
// letter-digit mix it cannot be anything else but ("12a").
func isHouseNumber(f string) bool {
	n := 0
	for n < len(f) && isDigit(f[n]) {
		n++
	}
	if n == 0 || n > 6 {
		return false
	}
	suf := f[n:]
	if len(suf) > 2 {
		return false
	}
	switch suf {
	case "st", "nd", "rd", "th": // an ordinal street name ("32nd")
		return false
	}
	for i := 0; i < len(suf); i++ {
		if !(suf[i] >= 'a' && suf[i] <= 'z') {
			return false
		}
	}
	return true
}

// takePostcode finds the postcode, removes its words from parts and
// returns the number of digits of a numeric postcode (0 otherwise).
func (a *Address) takePostcode(parts [][]addrWord) int {
	for pi, p := range parts {
		for i := 0; i < len(p); i++ {
			w := p[i]
			if w.pc {
				a.Postcode = w.f
				parts[pi] = cut(p, i, 1)
				return len(w.f)
			}
			// Two-word British and Canadian codes.
			if i+1 < len(p) {
				if isUKOutward(w.f) && isUKInward(p[i+1].f) {
					a.Postcode = w.f + p[i+1].f
					a.setCountry("GB")
					parts[pi] = cut(p, i, 2)
					return 0
				}
				if isCAHalf(w.f, true) && isCAHalf(p[i+1].f, false) {
					a.Postcode = w.f + p[i+1].f
					a.setCountry("CA")
					parts[pi] = cut(p, i, 2)
					return 0
				}
			}
			if len(w.f) == 6 && isCAHalf(w.f[:3], true) && isCAHalf(w.f[3:], false) {
				a.Postcode = w.f
				a.setCountry("CA")
				parts[pi] = cut(p, i, 1)
				return 0
			}
			if len(w.f) >= 5 && len(w.f) <= 7 && isUKOutward(w.f[:len(w.f)-3]) && isUKInward(w.f[len(w.f)-3:]) && hasLetter(w.f[:2]) {
				a.Postcode = w.f
				a.setCountry("GB")
				parts[pi] = cut(p, i, 1)
				return 0
			}
			if len(w.f) == 4 && allDigits(w.f) && i+1 < len(p) && isNLLetters(p[i+1].raw) {
				// Dutch "1015 CJ".
				a.Postcode = w.f + p[i+1].f
				a.setCountry("NL")
				parts[pi] = cut(p, i, 2)
				return 0
			}
			if !allDigits(w.f) {
				continue
			}
			n := len(w.f)
			last := i == len(p)-1
			switch {
			case n == 9 && last && i > 0: // ZIP+4 written without its dash
				a.Postcode = w.f[:5]
				parts[pi] = cut(p, i, 1)
				return 5
			case n == 5 && i+1 < len(p) && len(p[i+1].f) == 4 && allDigits(p[i+1].f) && i+2 == len(p):
				a.Postcode = w.f // ZIP+4 "90210-1234"
				parts[pi] = cut(p, i, 2)
				return 5
			case n < 4 || n > 6:
				continue
			case len(p) == 1 && (pi > 0 || len(parts) == 1):
				// A part of its own ("2028", "56244"), unless it is the
				// house number of the street before it ("Ross Street,
				// 310, 15219", as OpenStreetMap writes addresses).
				if pi > 0 && n <= 5 && numberAfterStreet(parts, pi) {
					continue
				}
			case last && i > 0 && n <= 5 && (!isStreetType(p[i-1].f) || pi > 0 && isStateCode(p[i-1].raw)) && !isNumberWord(p[i-1].f) && !(pi == 0 && len(parts) > 1 && !anyStreetType(p[:i])):
				// After a locality or region ("Las Vegas NV 89132",
				// "Sydney NSW 2000"), never right after a street type
				// ("Street 128") unless it is a state's code in a later
				// part ("Wethersfield, CT 06109": CT, not Court).
			case i == 0 && len(p) > 1 && pi > 0 && n <= 5 && !anyStreetType(p[1:]) && !isUnitWord(p[1].f):
				// Before the locality ("40213 Düsseldorf", "75008 Paris").
			default:
				continue
			}
			a.Postcode = w.f
			parts[pi] = cut(p, i, 1)
			return n
		}
	}
	return 0
}

// isNLLetters reports whether raw is the letter pair of a Dutch postcode:
// two upper-case letters that are no country's code and no US, Canadian or
// Australian region's ("6000 WA" is Western Australia).
func isNLLetters(raw string) bool {
	if len(raw) != 2 {
		return false
	}
	code, ok := upperCode(raw)
	if !ok {
		return false
	}
	g := geo()
	if _, ok := g.regionByCode[code]; ok {
		return false
	}
	if _, ok := g.countryByCode[code]; ok {
		return false // "2000 AU"
	}
	_, ok = g.regionByFull["AU-"+code]
	return !ok
}

// numberAfterStreet reports whether parts[pi], a lone number, is the house
// number of a street written without one in the part before it, with the
// postcode, if any, in a later part ("Ross Street, 310, 15219";
// "McKnight Road, 7675"), rather than a postcode after the street
// ("torrens street, 5700").
func numberAfterStreet(parts [][]addrWord, pi int) bool {
	prev := parts[pi-1]
	if len(prev) < 2 || !isStreetType(prev[len(prev)-1].f) || hasDigit(prev[0].f) {
		return false
	}
	for _, p := range parts[pi+1:] {
		for _, w := range p {
			if allDigits(w.f) && len(w.f) >= 4 || w.pc {
				return true // the postcode comes later
			}
		}
	}
	// No other postcode: a lone number of five digits or more is one.
	return len(parts[pi][0].f) <= 4 && pi == len(parts)-1
}

// isStateCode reports whether raw is a US state's or Canadian province's
// code as written in an address: two upper-case letters ("CT", "ON",
// "C.T.").
func isStateCode(raw string) bool {
	code, ok := upperCode(raw)
	if !ok || len(code) != 2 {
		return false
	}
	_, ok = geo().regionByCode[code]
	return ok
}

func hasLetter(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'a' && s[i] <= 'z' {
			return true
		}
	}
	return false
}

// cut returns p without its n words from i.
func cut(p []addrWord, i, n int) []addrWord {
	return append(p[:i:i], p[i+n:]...)
}

func (a *Address) setCountry(cc string) {
	if a.Country == "" {
		a.Country = cc
	}
}

// isUKOutward reports whether f is the outward half of a British postcode:
// A9, A99, AA9, AA99, A9A, AA9A.
func isUKOutward(f string) bool {
	if len(f) < 2 || len(f) > 4 || !(f[0] >= 'a' && f[0] <= 'z') {
		return false
	}
	i := 1
	if f[i] >= 'a' && f[i] <= 'z' {
		i++
	}
	if i >= len(f) || !isDigit(f[i]) {
		return false
	}
	i++
	if i < len(f) && (isDigit(f[i]) || f[i] >= 'a' && f[i] <= 'z') {
		i++
	}
	return i == len(f)
}

// isUKInward reports whether f is the inward half of a British postcode
// (9AA).
func isUKInward(f string) bool {
	return len(f) == 3 && isDigit(f[0]) && f[1] >= 'a' && f[1] <= 'z' && f[2] >= 'a' && f[2] <= 'z'
}

// isCAHalf reports whether f is the first (A9A) or second (9A9) half of a
// Canadian postal code.
func isCAHalf(f string, first bool) bool {
	if len(f) != 3 {
		return false
	}
	l := func(c byte) bool { return c >= 'a' && c <= 'z' }
	if first {
		return l(f[0]) && isDigit(f[1]) && l(f[2])
	}
	return isDigit(f[0]) && l(f[1]) && isDigit(f[2])
}

// takeUnits removes unit and post-office box words from parts.
func (a *Address) takeUnits(parts [][]addrWord) [][]addrWord {
	for pi, p := range parts {
		for i := 0; i < len(p); i++ {
			w := p[i]
			// "P.O. Box 12987", "PO Box", "Postfach 12", "BP 57".
			if n := poBoxWords(p[i:]); n > 0 {
				if i+n < len(p) && hasDigit(p[i+n].f) {
					if a.POBox == "" {
						a.POBox = p[i+n].f
					}
					p = cut(p, i, n+1)
				} else {
					p = cut(p, i, n)
				}
				i--
				continue
			}
			if w.hash && hasDigit(w.f) {
				if pi == 0 && i == 0 && len(p) == 1 && a.HouseNumber == "" {
					a.HouseNumber = w.f // "#321, Street 128"
				} else if a.Unit == "" {
					a.Unit = w.f
				}
				p = cut(p, i, 1)
				i--
				continue
			}
			if !isUnitWord(w.f) {
				continue
			}
			switch {
			case i+1 < len(p) && (hasDigit(p[i+1].f) || len(p[i+1].f) == 1):
				if a.Unit == "" {
					a.Unit = p[i+1].f
				}
				p = cut(p, i, 2)
			case w.f == "penthouse" || w.f == "ph":
				if a.Unit == "" {
					a.Unit = "penthouse"
				}
				p = cut(p, i, 1)
			default:
				continue
			}
			i--
		}
		parts[pi] = p
	}
	return parts
}

// poBoxWords returns how many words at the start of ws say "post-office
// box" (0 if they do not).
func poBoxWords(ws []addrWord) int {
	if len(ws) == 0 {
		return 0
	}
	switch ws[0].f {
	case "pobox", "postfach", "apartado", "casilla":
		return 1
	case "bp", "cp":
		if len(ws) > 1 && allDigits(ws[1].f) {
			return 1
		}
	case "po":
		if len(ws) > 1 && ws[1].f == "box" {
			return 2
		}
	case "p":
		if len(ws) > 2 && ws[1].f == "o" && ws[2].f == "box" {
			return 3
		}
	case "post":
		if len(ws) > 2 && ws[1].f == "office" && ws[2].f == "box" {
			return 3
		}
	}
	return 0
}

// isUnitWord reports whether f introduces a unit number.
func isUnitWord(f string) bool {
	switch f {
	case "suite", "ste", "apt", "apartment", "appt", "app", "unit", "flat", "villa", "room", "rm",
		"floor", "flr", "level", "lvl", "bldg", "bld", "building", "shop", "office", "ofc",
		"penthouse", "ph", "lot", "dept", "wohnung", "whg", "etage", "bureau", "piso", "kv", "kvartira",
		"korpus", "stroenie":
		return true
	}
	return false
}

// isNumberWord reports whether f means "number" before a house number.
func isNumberWord(f string) bool {
	switch f {
	case "no", "nr", "num", "number", "n", "dom", "d":
		return true
	}
	return false
}

// takeStreet finds the street part, sets the house number and street, and
// returns the part's index (-1 if none), the words before the street in
// that part (a building name) and the words after it.
func (a *Address) takeStreet(parts [][]addrWord) (si int, pre, rest []addrWord) {
	si = -1
	for _, p := range parts {
		// "One Microsoft Way": a house number spelled out, before a street
		// with its type.
		if len(p) < 3 {
			continue
		}
		if d := cardinal(p[0].f); d != "" && isAlphaWord(p[1].f) && streetTypeAt(p[1:]) > 0 {
			p[0].f = d
			break
		}
	}
	// A part that starts with a house number followed by a word, or holds a
	// street type after its first word.
	for i, p := range parts {
		if len(p) >= 2 && startsWithNumber(p) {
			si = i
			break
		}
	}
	if si < 0 {
		// No number: only a type word that names nothing but streets
		// ("Torrens Street", not "Mountain View" or "Forest Hill"), in a
		// part that is not a known city.
		g := geo()
		for i, p := range parts {
			if t := streetTypeAt(p); t >= 0 && strongStreetType(p[t].f) {
				var ws []locWord
				for _, w := range p {
					ws = append(ws, locWord{raw: w.raw, folded: w.f})
				}
				if _, city := g.cityByName[joinFolded(ws)]; !city {
					si = i
					break
				}
			}
		}
	}
	if si < 0 {
		// "#321, Street 128": a number alone, then its street.
		for i, p := range parts {
			if i > 0 && len(p) >= 2 && isStreetType(p[0].f) && allDigits(p[1].f) {
				si = i
				break
			}
		}
		if si < 0 {
			return -1, nil, nil
		}
	}
	p := parts[si]
	if len(p) >= 2 && isStreetType(p[0].f) && allDigits(p[1].f) {
		// A numbered street, type first ("Street 128 Phnom Penh"): the
		// house number is the lone number of an earlier part ("#321",
		// "No 321"), and what follows the street is the place.
		if a.HouseNumber == "" && si > 0 {
			if q := parts[si-1]; len(q) == 1 && isHouseNumber(q[0].f) {
				a.HouseNumber = q[0].f
			} else if len(q) == 2 && isNumberWord(q[0].f) && isHouseNumber(q[1].f) {
				a.HouseNumber = q[1].f
				parts[si-1] = nil
			}
		}
		a.setStreet(p[:2])
		return si, nil, p[2:]
	}
	// Words before the house number are a building name ("Adventura
	// Apartments 638 Downey St"); "No" before it is dropped.
	for j := 0; j+1 < len(p); j++ {
		if j == 0 && isNumberWord(p[j].f) && isHouseNumber(p[j+1].f) {
			p = p[1:]
			break
		}
		if isHouseNumber(p[j].f) && isAlphaWord(p[j+1].f) {
			pre, p = p[:j], p[j:]
			break
		}
	}
	words := p
	if len(words) > 0 && isHouseNumber(words[0].f) && a.HouseNumber == "" {
		a.HouseNumber = words[0].f
		words = words[1:]
	} else if len(words) > 0 && isHouseNumber(words[0].f) {
		words = words[1:]
	}
	// A cross street that guides add to an address ("2 Harrison St near
	// Hudson St", "42 E 20th St between Park Ave and Broadway") is
	// neither part of the street nor a locality.
	if k := crossStreetAt(words); k > 0 {
		words = words[:k]
	}
	// The street runs to its last type word (and a direction after it);
	// what follows is the locality ("... 32nd St Palm Harbor").
	end := len(words)
	if t := lastStreetType(words); t >= 0 {
		end = t + 1
		if end < len(words) && direction(words[end].f) != "" && (end+1 == len(words) || !isAlphaWord(words[end].f) || len(words[end].f) <= 2) {
			end++
		}
		if end < len(words) && a.HouseNumber != "" && numberedRoad(words[end-1].f) && isHouseNumber(words[end].f) {
			// A numbered road after the house number ("3001 US Highway
			// 9", "455 County Road 12"): the number is the road's.
			end++
			if end < len(words) && direction(words[end].f) != "" {
				end++
			}
		}
		// DE/FR order: the number after the street ("Ansbacher Straße 23").
		if end < len(words) && isHouseNumber(words[end].f) {
			if a.HouseNumber == "" {
				a.HouseNumber = words[end].f
			}
			words = cut(words, end, 1)
		}
	} else if n := len(words); n > 1 && isHouseNumber(words[n-1].f) && a.HouseNumber == "" {
		a.HouseNumber = words[n-1].f
		words = words[:n-1]
		end = len(words)
	}
	a.setStreet(words[:end])
	return si, pre, words[end:]
}

// crossStreetAt returns the index of a word that starts a cross-street
// note after a street type ("near", "at", "off", "corner") or after any
// street ("between"), or -1.
func crossStreetAt(ws []addrWord) int {
	for k := 1; k < len(ws)-1; k++ {
		switch ws[k].f {
		case "between", "btwn", "betw":
			// Unmistakable after any street, typed or not ("2450
			// Broadway between 90th and 91st Sts").
			return k
		case "near", "nr", "btw", "bet", "at", "off", "corner", "cnr":
			if anyStreetType(ws[:k]) {
				return k
			}
		}
	}
	return -1
}

// startsWithNumber reports whether p starts with a house number (after an
// optional building name or "No") followed by a word.
func startsWithNumber(p []addrWord) bool {
	for j := 0; j+1 < len(p) && j < 4; j++ {
		if isHouseNumber(p[j].f) && isAlphaWord(p[j+1].f) && !isUnitWord(p[j+1].f) {
			if j == 0 {
				return true
			}
			// "Adventura Apartments 638 Downey St": the words after the
			// number must look like a street.
			return streetTypeAt(p[j+1:]) >= 0
		}
	}
	return false
}

func isAlphaWord(f string) bool {
	return f != "" && !allDigits(f) && !isHouseNumber(f)
}

// streetTypeAt returns the index of the first street type word of p that
// is not its first word (a German compound counts anywhere, and a type
// written before the name first: "Calle Mayor 5"), or -1.
func streetTypeAt(p []addrWord) int {
	for i, w := range p {
		if (i > 0 || len(p) > 1 && prefixType(w.f)) && isStreetType(w.f) {
			return i
		}
		if _, _, ok := compoundStreet(w.f); ok {
			return i
		}
	}
	return -1
}

// lastStreetType returns the index of the last street type word of ws
// after its first word (or a German compound anywhere), or -1.
func lastStreetType(ws []addrWord) int {
	for i := len(ws) - 1; i >= 0; i-- {
		if i > 0 && isStreetType(ws[i].f) {
			return i
		}
		if _, _, ok := compoundStreet(ws[i].f); ok {
			return i
		}
	}
	return -1
}

func anyStreetType(ws []addrWord) bool {
	for _, w := range ws {
		if isStreetType(w.f) {
			return true
		}
		if _, _, ok := compoundStreet(w.f); ok {
			return true
		}
	}
	return false
}

// numberedRoad reports whether the street type word f may be followed by
// the road's number ("Highway 9", "Route 66", "County Road 12").
func numberedRoad(f string) bool {
	switch streetType(f) {
	case "hwy", "rte", "rd", "fwy", "expy", "tpke", "pike":
		return true
	}
	return false
}

// routeQualifier returns the word that says which network a numbered road
// at the start of ws belongs to ("us" of "US Highway 9" and "U.S. Route 1",
// "state" of "State Route 17") and how many words of ws write it; "", 0
// for none. The qualifier is written or left out at will, so it is kept in
// Street but not in StreetName.
func routeQualifier(ws []addrWord) (string, int) {
	q, n := "", 0
	switch {
	case len(ws) > 2 && ws[0].f == "u" && ws[1].f == "s":
		q, n = "us", 2
	case len(ws) > 1 && (ws[0].f == "us" || ws[0].f == "state"):
		q, n = ws[0].f, 1
	default:
		return "", 0
	}
	if t := streetType(ws[n].f); t != "hwy" && t != "rte" {
		return "", 0
	}
	return q, n
}

// setStreet sets Street and StreetName from the street's words.
func (a *Address) setStreet(ws []addrWord) {
	if len(ws) == 0 {
		return
	}
	var full, name []string
	qual, skip := routeQualifier(ws)
	if skip > 0 {
		full = append(full, qual)
	}
	for i, w := range ws {
		if i < skip {
			continue
		}
		f := w.f
		if c, typ, ok := compoundStreet(f); ok {
			name = append(name, c)
			full = append(full, c, typ)
			continue
		}
		if t := streetType(f); t != "" && (i > 0 || len(ws) > 1 && (allDigits(ws[1].f) || prefixType(f))) {
			full = append(full, t)
			continue
		}
		if d := direction(f); d != "" && len(ws) > 1 && (i == 0 || i == len(ws)-1) {
			full = append(full, d)
			continue
		}
		if o := ordinal(f); o != "" {
			f = o
		}
		full = append(full, f)
		if !streetStopword(f) {
			name = append(name, f)
		}
	}
	if len(name) == 0 {
		// The street is only a type and a number ("Street 128").
		name = full
	}
	a.Street = capJoin(full)
	a.StreetName = capJoin(name)
	var b strings.Builder
	for _, w := range ws {
		if b.Len()+len(w.f) > MaxInput {
			break
		}
		b.WriteString(w.f)
	}
	a.StreetJoined = b.String()
}

// capJoin joins words with spaces, keeping at most MaxInput bytes of whole
// words.
func capJoin(ws []string) string {
	var b strings.Builder
	for _, w := range ws {
		if b.Len()+1+len(w) > MaxInput {
			break
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	return b.String()
}

// parsePlace reads locality, region and country from the parts after the
// street; parts it cannot place go to extra. pcLen is the number of digits
// of a numeric postcode (4 suggests Australia before the United States).
func (a *Address) parsePlace(tail [][]addrWord, extra *[][]addrWord, pcLen int) {
	g := geo()
	tail = dropEmpty(tail)
	if len(tail) == 0 {
		return
	}
	ws := make([][]locWord, len(tail))
	for i, p := range tail {
		for _, w := range p {
			ws[i] = append(ws[i], locWord{raw: w.raw, folded: w.f})
		}
	}
	ws[0] = trimAreaWords(ws[0])
	cityOf := func() (cityInfo, bool) {
		c, ok := g.cityByName[joinFolded(ws[0])]
		return c, ok
	}
	// Country: the last part, or a suffix of its words; also a whole part
	// before the end ("Leicestershire, United Kingdom, LE11 1UU" after the
	// postcode went).
	if len(ws) > 0 {
		last := ws[len(ws)-1]
		if cc, n := matchCountry(g, last, len(ws), cityOf); cc != "" {
			a.Country = cc
			ws = trimLast(ws, n)
		}
	}
	if len(ws) == 0 {
		return
	}
	// Region: a code or name at the end of the last part. In an address a
	// lower-case code alone in its part is a region too ("..., 3931, qld").
	last := ws[len(ws)-1]
	if a.Country == "" || a.Country == "US" || a.Country == "CA" || a.Country == "AU" {
		if r, ok := auState(g, ws, a.Country, pcLen); ok {
			a.Region, a.Country = r.code, r.country
			ws = trimLast(ws, 1)
		} else if r, n := matchRegion(g, last, a.Country); r.code != "" {
			a.Region, a.Country = r.code, r.country
			named := joinFolded(last[len(last)-n:])
			ws = trimLast(ws, n)
			if c, ok := g.cityByName[named]; ok && len(ws) == 0 && c.country == a.Country {
				// A bare place that names a state and its city ("New
				// York", "Washington") names the city too.
				a.Locality = c.name
				return
			}
		} else if len(last) == 1 && len(last[0].folded) <= 3 {
			if r, ok := lowerRegion(g, last[0].folded, a.Country, pcLen); ok {
				a.Region, a.Country = r.code, r.country
				ws = ws[:len(ws)-1]
			}
		}
	}
	if a.Region == "" && len(ws) >= 2 && a.Country != "" && a.Country != "US" && a.Country != "CA" && a.Country != "AU" {
		a.Region = joinFolded(ws[len(ws)-1])
		ws = ws[:len(ws)-1]
	}
	if len(ws) == 0 {
		return
	}
	// Locality: the last part left that is not a number (a second
	// postcode); earlier ones are extra lines.
	for len(ws) > 1 && len(ws[len(ws)-1]) == 1 && allDigits(ws[len(ws)-1][0].folded) {
		ws = ws[:len(ws)-1]
	}
	for _, p := range ws[:len(ws)-1] {
		var ap []addrWord
		for _, w := range p {
			ap = append(ap, addrWord{raw: w.raw, f: w.folded})
		}
		*extra = append(*extra, ap)
	}
	city := joinFolded(ws[len(ws)-1])
	if c, ok := g.cityByName[city]; ok && (a.Country == "" || a.Country == c.country) {
		a.Locality = c.name
		a.Country = c.country
	} else {
		a.Locality = city
	}
}

func dropEmpty(ps [][]addrWord) [][]addrWord {
	out := ps[:0]
	for _, p := range ps {
		if len(p) > 0 {
			out = append(out, p)
		}
	}
	return out
}

// trimLast removes n words from the end of the last part of ws (and the
// part if it becomes empty).
func trimLast(ws [][]locWord, n int) [][]locWord {
	last := ws[len(ws)-1]
	last = last[:len(last)-n]
	if len(last) == 0 {
		return ws[:len(ws)-1]
	}
	ws[len(ws)-1] = last
	return ws
}

// auState finds an Australian state's code at the end of ws's last part,
// written after the suburb without a comma as Australian addresses are
// ("Sydney NSW", "Perth WA" before a postcode of pcLen digits), when
// something says Australia: the country, a four-digit postcode, a code no
// US state, Canadian province or country has ("NSW", "VIC", "QLD"), or an
// Australian city before it ("Perth WA", "Adelaide SA", "Darwin NT").
func auState(g *geoTables, ws [][]locWord, country string, pcLen int) (regionInfo, bool) {
	if country != "" && country != "AU" || len(ws) == 0 {
		return regionInfo{}, false
	}
	last := ws[len(ws)-1]
	code, ok := upperCode(last[len(last)-1].raw)
	if !ok {
		return regionInfo{}, false
	}
	r, ok := g.regionByFull["AU-"+code]
	if !ok {
		return regionInfo{}, false
	}
	if country == "AU" || pcLen == 4 {
		return r, true
	}
	_, state := g.regionByCode[code]
	_, nation := g.countryByCode[code]
	if !state && !nation {
		return r, true
	}
	return r, auCityBefore(g, ws)
}

// auCityBefore reports whether the words before the last one of ws's last
// part, or the part before it when the last holds one word, name an
// Australian city.
func auCityBefore(g *geoTables, ws [][]locWord) bool {
	last := ws[len(ws)-1]
	var before []locWord
	switch {
	case len(last) > 1:
		before = last[:len(last)-1]
	case len(ws) > 1:
		before = ws[len(ws)-2]
	default:
		return false
	}
	c, ok := g.cityByName[joinFolded(before)]
	return ok && c.country == "AU"
}

// lowerRegion looks up a region code written in any case ("qld", "nsw",
// "ca"); with no country, a four-digit postcode prefers Australia.
func lowerRegion(g *geoTables, f, country string, pcLen int) (regionInfo, bool) {
	code := strings.ToUpper(f)
	if country != "" {
		r, ok := g.regionByFull[country+"-"+code]
		return r, ok
	}
	if pcLen == 4 {
		if r, ok := g.regionByFull["AU-"+code]; ok {
			return r, true
		}
	}
	if r, ok := g.regionByCode[code]; ok {
		return r, true
	}
	r, ok := g.regionByFull["AU-"+code]
	return r, ok
}

// compoundStreet splits a German or Dutch compound street name
// ("hauptstrasse", "bahnhofstr", "marktplatz", "kerkstraat") into its name
// and its canonical type word ("st" of "hauptstrasse" and "kerkstraat",
// "pl" of "marktplatz", "gracht" of "keizersgracht") and reports whether
// it is one.
func compoundStreet(f string) (name, typ string, ok bool) {
	for _, suf := range [...]string{"strasse", "str", "straat", "gasse", "platz", "weg", "allee", "laan", "plein", "gracht", "kade", "singel"} {
		if len(f) >= len(suf)+3 && strings.HasSuffix(f, suf) {
			name = f[:len(f)-len(suf)]
			if suf == "str" && !isLetters(name) {
				return "", "", false
			}
			if typ = streetType(suf); typ == "" {
				typ = suf
			}
			return name, typ, true
		}
	}
	return "", "", false
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if !(s[i] >= 'a' && s[i] <= 'z') {
			return false
		}
	}
	return s != ""
}

// strongStreetType reports whether the street type word f (or a German
// compound) names only streets: words such as "view", "heights", "park",
// "way" or "row" also end the names of towns and districts, and mark a
// street only after a house number.
func strongStreetType(f string) bool {
	if _, _, ok := compoundStreet(f); ok {
		return true
	}
	switch streetType(f) {
	case "st", "ave", "rd", "dr", "ln", "blvd", "ct", "pl", "cres", "cl", "tce", "pde", "hwy", "pkwy", "cct",
		"expy", "fwy", "rue", "chemin", "impasse", "allee", "calle", "via", "viale", "weg", "gasse", "chaussee",
		"rua", "carrer":
		return true
	}
	return false
}

// isStreetType reports whether f is a street type word.
func isStreetType(f string) bool { return streetType(f) != "" }

// streetType returns the canonical short form of a street type word, or "".
func streetType(f string) string {
	switch f {
	case "street", "st", "str", "strasse", "strase", "straat", "ul", "ulitsa", "ulica":
		return "st"
	case "avenue", "ave", "av", "avda", "avenida", "aven", "avn":
		return "ave"
	case "road", "rd":
		return "rd"
	case "drive", "dr", "drv":
		return "dr"
	case "lane", "ln":
		return "ln"
	case "boulevard", "blvd", "bd", "boul", "bvd", "blv":
		return "blvd"
	case "court", "ct", "crt":
		return "ct"
	case "place", "pl", "plc", "platz":
		return "pl"
	case "crescent", "cres", "cr", "crs", "cresc":
		return "cres"
	case "close", "cl":
		return "cl"
	case "terrace", "tce", "terr", "ter":
		return "tce"
	case "parade", "pde":
		return "pde"
	case "highway", "hwy":
		return "hwy"
	case "parkway", "pkwy", "pky":
		return "pkwy"
	case "circle", "cir", "circ":
		return "cir"
	case "circuit", "cct":
		return "cct"
	case "square", "sq":
		return "sq"
	case "way", "wy":
		return "way"
	case "grove", "gr", "gro":
		return "gr"
	case "trail", "trl":
		return "trl"
	case "walk", "wlk":
		return "walk"
	case "gardens", "gdns":
		return "gdns"
	case "esplanade", "esp":
		return "esp"
	case "expressway", "expy":
		return "expy"
	case "freeway", "fwy":
		return "fwy"
	case "alley", "aly":
		return "aly"
	case "plaza", "plz":
		return "plz"
	case "route", "rte":
		return "rte"
	case "turnpike", "tpke":
		return "tpke"
	case "mews", "row", "loop", "path", "pike", "rise", "vale", "view", "wharf", "quay", "glen",
		"heights", "hts":
		if f == "heights" || f == "hts" {
			return "hts"
		}
		return f
	case "rue", "chemin", "ch", "impasse", "imp", "allee", "quai", "cours", "calle", "via", "viale",
		"piazza", "weg", "gasse", "ring", "damm", "ufer", "chaussee", "vej", "gatan", "gata", "rua", "carrer", "paseo":
		switch f {
		case "ch":
			return "chemin"
		case "imp":
			return "impasse"
		}
		return f
	}
	return ""
}

// prefixType reports whether the street type f comes before the name in
// its language ("rue de la Paix", "Calle Mayor", "Avenue des Champs").
func prefixType(f string) bool {
	switch f {
	case "rue", "avenue", "av", "avenida", "avda", "boulevard", "bd", "chemin", "ch", "impasse", "imp",
		"allee", "quai", "cours", "calle", "via", "viale", "piazza", "place", "route", "ul", "ulitsa", "ulica",
		"rua", "carrer", "paseo":
		return true
	}
	return false
}

// direction returns the canonical short form of a direction word, or "".
func direction(f string) string {
	switch f {
	case "n", "north", "nord", "norte":
		return "n"
	case "s", "south", "sud", "sur":
		return "s"
	case "e", "east", "est", "este", "ost":
		return "e"
	case "w", "west", "ouest", "oeste":
		return "w"
	case "ne", "northeast":
		return "ne"
	case "nw", "northwest":
		return "nw"
	case "se", "southeast":
		return "se"
	case "sw", "southwest":
		return "sw"
	}
	return ""
}

// cardinal returns the digits of a house number spelled out ("one" → "1"),
// or "".
func cardinal(f string) string {
	switch f {
	case "one":
		return "1"
	case "two":
		return "2"
	case "three":
		return "3"
	case "four":
		return "4"
	case "five":
		return "5"
	case "six":
		return "6"
	case "seven":
		return "7"
	case "eight":
		return "8"
	case "nine":
		return "9"
	case "ten":
		return "10"
	}
	return ""
}

// ordinal returns the numeric form of a spelled ordinal ("first" → "1st").
func ordinal(f string) string {
	switch f {
	case "first":
		return "1st"
	case "second":
		return "2nd"
	case "third":
		return "3rd"
	case "fourth":
		return "4th"
	case "fifth":
		return "5th"
	case "sixth":
		return "6th"
	case "seventh":
		return "7th"
	case "eighth":
		return "8th"
	case "ninth":
		return "9th"
	case "tenth":
		return "10th"
	}
	return ""
}

// streetStopword reports whether f is a particle left out of a street's
// name ("rue de la paix" → "paix").
func streetStopword(f string) bool {
	switch f {
	case "de", "du", "des", "la", "le", "les", "d", "l", "of", "the", "der", "die", "am", "an", "im", "del", "di":
		return true
	}
	return false
}
