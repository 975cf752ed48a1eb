package matcher

import (
	"math"
	"strings"

	"github.com/crmlink/crmlink/internal/normalize"
)

// Field names of the parts of a postal address in [FieldScore.Field].
const (
	FieldStreet   = "street"   // street and house number
	FieldPostcode = "postcode" // postal code
	FieldLocality = "locality" // city, town or suburb of a postal address, with its country
)

// Levels of postal-address parts in [FieldScore.Level].
const (
	LevelPartial = "partial" // part of the value agrees (same street, other number; same postal district; locality named in another line; one company name's words among many more of the other's)
	LevelMissing = "missing" // a number on one side only, the street agreeing
)

// AddressWeights are the levels of the parts of a postal address. They
// apply when both the query and the candidate give a postal address (a
// street, house number, postcode, unit or post-office box); a location that
// is only a place ("Berlin, Germany") on either side is compared with
// [Weights].CompanyLocation or MemberLocation as before. A part missing on
// either side adds nothing: missing is not disagreement.
type AddressWeights struct {
	// Street compares street and house number: Exact (same street and
	// number; its U is replaced by the address's frequency in the directory
	// when the directory implements [KeyCounter]), High (a typo in the
	// street, same number), Equivalent (same street, a number on one side
	// only), Medium (same or near street, another number; or the same
	// street and number, another unit), Disagree. Two post-office boxes,
	// when the streets are not compared, are Exact or Disagree.
	Street FieldWeights
	// Postcode compares postal codes: Exact (U by term frequency as for
	// Street), Medium (same postal district: the first three characters of
	// a code of five or more, the first two of a shorter one), Disagree.
	// When the streets agree, a postcode agreement counts only as much as
	// it tells apart the directory's holders of the same street and
	// number.
	Postcode FieldWeights
	// Locality compares cities, towns and suburbs: Exact, High (a typo),
	// Medium (one side's locality is another line of the other's address),
	// Equivalent (one side gives no locality, same country), Disagree
	// (another locality, or another country). It is not scored when the
	// postcodes agree: the locality then says little more.
	Locality FieldWeights
}

// DefaultAddressWeights returns the default address levels. They are
// reasoned estimates, not fitted to labelled data: M from the share of true
// pairs of CRM records and profiles expected at each level (a typo in a
// street word in one pair of ten, a stale address in one of ten, the
// locality named differently or misspelt in one of ten); U from the chance
// that two random people share the value in a country-sized directory (a
// street and number 5e-5; a near street and the same number 2e-5: one in a
// hundred numbers, a near street name in one pair of five hundred; a
// postcode 2e-4; a locality 0.01). The Exact U of street and postcode are
// replaced at query time by term frequencies; [EstimateU] re-estimates the
// U side on a directory sample, and a fitted model may replace them all.
func DefaultAddressWeights() AddressWeights {
	return AddressWeights{
		Street: FieldWeights{
			Exact:      Level{0.70, 5e-5},
			High:       Level{0.10, 2e-5},
			Equivalent: Level{0.06, 2e-3},
			Medium:     Level{0.02, 4e-3},
			Disagree:   Level{0.12, 0.99},
		},
		Postcode: FieldWeights{
			Exact:    Level{0.85, 2e-4},
			Medium:   Level{0.05, 0.01},
			Disagree: Level{0.10, 0.99},
		},
		Locality: FieldWeights{
			Exact:      Level{0.80, 0.01},
			High:       Level{0.06, 1e-3},
			Medium:     Level{0.03, 2e-3},
			Equivalent: Level{0.17, 0.109},
			Disagree:   Level{0.06, 0.88},
		},
	}
}

// Address key tags (a range of their own, apart from the name keys).
const (
	tagAddrNumStreet       byte = 0x40 + iota // house number and street name
	tagAddrPcStreet                           // postcode and street name
	tagAddrPcNum                              // postcode and house number
	tagAddrPostcode                           // postcode alone
	tagAddrStreetCity                         // street name and locality (addresses without number or postcode)
	tagAddrNumStreetStart                     // house number and the start of the street written without spaces
	tagAddrPcCity                             // postcode and locality
	tagAddrStreetStartCity                    // the start of the street written without spaces and locality
)

// Term-frequency slots of address keys in Query.tfKeys.
const (
	tfAddrStreet   = 3
	tfAddrPostcode = 4
	tfEmail        = 5 // member queries: how many members hold the address
	nTFSlots       = 7 // and tfAcronymWord (company queries)
)

// postalFeat holds the postal parts of a location.
type postalFeat struct {
	number, street, streetName string
	streetJoined               string
	streetToks                 []string
	unit, pobox, postcode      string
	extra                      string
}

func newPostalFeat(a *normalize.Address) *postalFeat {
	if !a.Postal() {
		return nil
	}
	p := &postalFeat{
		number:       capRunes(a.HouseNumber, maxCompareRunes),
		street:       capRunes(a.Street, maxCompareRunes),
		streetName:   capRunes(a.StreetName, maxCompareRunes),
		streetJoined: capRunes(a.StreetJoined, maxCompareRunes),
		unit:         capRunes(a.Unit, maxCompareRunes),
		pobox:        capRunes(a.POBox, maxCompareRunes),
		postcode:     capRunes(a.Postcode, maxCompareRunes),
		extra:        capRunes(a.Extra, 4*maxCompareRunes),
	}
	if p.streetName != "" {
		p.streetToks = normalize.Tokens(p.streetName)
		if len(p.streetToks) > maxTokens {
			p.streetToks = p.streetToks[:maxTokens:maxTokens]
		}
	}
	return p
}

// appendAddrKeys appends the address keys of l: house number with street,
// postcode with street, postcode with house number, street with locality,
// the street's start with the house number and with the locality, postcode
// with locality and the postcode alone, so that a record whose name
// changed but whose address agrees is a candidate, whichever part has a
// typo or is missing. The postcode alone is the commonest of them, which a
// directory visits after the rarer keys, within its posting budget.
func appendAddrKeys(dst []Key, l *locFeat) []Key {
	p := l.postal
	if p == nil {
		return dst
	}
	if p.number != "" && p.streetName != "" {
		dst = append(dst, makeKey3(tagAddrNumStreet, p.number, "|", p.streetName))
	}
	if p.postcode != "" && p.streetName != "" {
		dst = append(dst, makeKey3(tagAddrPcStreet, p.postcode, "|", p.streetName))
	}
	if p.postcode != "" && p.number != "" {
		dst = append(dst, makeKey3(tagAddrPcNum, p.postcode, "|", p.number))
	}
	if p.streetName != "" && l.city != "" {
		dst = append(dst, makeKey3(tagAddrStreetCity, p.streetName, "|", l.city))
	}
	if p.number != "" && runeLen(p.streetJoined) >= minStreetStartRunes+2 {
		// The street's first letters with its number: a typo later in
		// the street's name ("O'Sulliva Street"), or its words run
		// together or split elsewhere ("Weipap Lace" for "Weipa
		// Place"), breaks every key above that holds the street, and
		// the postcode's keys with a typo in the postcode.
		dst = append(dst, makeKey3(tagAddrNumStreetStart, p.number, "|", runePrefix(p.streetJoined, minStreetStartRunes)))
	}
	if p.postcode != "" && l.city != "" {
		// Postcode and locality: an address whose street is missing,
		// misspelt past recognition or not read as a street ("Matinavstreet"
		// without a number), and whose name changed, still meets its
		// record when both agree.
		dst = append(dst, makeKey3(tagAddrPcCity, p.postcode, "|", l.city))
	}
	if l.city != "" && runeLen(p.streetJoined) >= minStreetStartRunes+2 {
		// The street's start with the locality, for a postcode with a
		// typo as well as the number.
		dst = append(dst, makeKey3(tagAddrStreetStartCity, runePrefix(p.streetJoined, minStreetStartRunes), "|", l.city))
	}
	if p.pobox != "" && p.postcode != "" {
		dst = append(dst, makeKey3(tagAddrPcNum, p.postcode, "|box ", p.pobox))
	}
	if p.postcode != "" {
		dst = append(dst, makeKey(tagAddrPostcode, p.postcode))
	}
	return dst
}

// minStreetStartRunes is how many first letters of a street the key of a
// house number and the street's start holds.
const minStreetStartRunes = 4

// setAddrTF sets the term-frequency keys of the query's address.
func (q *Query) setAddrTF() {
	p := q.loc.postal
	if p == nil {
		return
	}
	if p.number != "" && p.streetName != "" {
		q.tfKeys[tfAddrStreet] = makeKey3(tagAddrNumStreet, p.number, "|", p.streetName)
	}
	if p.postcode != "" {
		q.tfKeys[tfAddrPostcode] = makeKey(tagAddrPostcode, p.postcode)
	}
	if q.tfKeys[tfAddrStreet] != 0 || q.tfKeys[tfAddrPostcode] != 0 {
		q.nTF = max(q.nTF, tfAddrPostcode+1)
	}
}

// hasAddrKeys reports whether the query has address lookup keys.
func (q *Query) hasAddrKeys() bool {
	p := q.loc.postal
	return p != nil && (p.streetName != "" && (p.number != "" || p.postcode != "" || q.loc.city != "") ||
		p.postcode != "" && (p.number != "" || p.pobox != ""))
}

// place appends the location field scores of candidate location c: the
// postal parts when both sides give a postal address, else the place as
// [scorer.location] compares it with fw.
func (s *scorer) place(dst []FieldScore, fw *FieldWeights, q, c *locFeat) []FieldScore {
	if q.postal == nil || c.postal == nil {
		if fs, ok := s.location(fw, q, c); ok {
			dst = append(dst, fs)
		}
		return dst
	}
	aw := &s.w.Address
	qp, cp := q.postal, c.postal
	streetLevel := ""
	if (qp.streetName != "" || qp.number != "") && (cp.streetName != "" || cp.number != "") {
		fs := s.street(&aw.Street, qp, cp)
		streetLevel = fs.Level
		if fs.Field != "" {
			dst = append(dst, fs)
		}
	}
	if streetLevel == "" && qp.pobox != "" && cp.pobox != "" {
		// Post-office boxes, when the street is not compared: a box and
		// its postcode are one holder's (a business's box and its street
		// address are both common, so a box on one side only says
		// nothing).
		fs := FieldScore{Field: FieldStreet}
		if qp.pobox == cp.pobox {
			fs.Level, fs.Similarity, fs.Contribution = LevelExact, 1, aw.Street.Exact.Weight()
		} else {
			fs.Level, fs.Contribution = LevelDisagree, aw.Street.Disagree.Weight()
		}
		dst = append(dst, fs)
	}
	pcExact := false
	if qp.postcode != "" && cp.postcode != "" {
		fs := FieldScore{Field: FieldPostcode}
		switch {
		case qp.postcode == cp.postcode:
			pcExact = true
			fs.Level, fs.Similarity = LevelExact, 1
			fs.Contribution = s.tfWeight(aw.Postcode.Exact, s.tfU[tfAddrPostcode])
			if streetLevel == LevelExact || streetLevel == LevelHigh ||
				streetLevel == LevelPartial && qp.number != "" && qp.number == cp.number {
				// The street and number nearly fix the postcode: it adds
				// only what tells apart the directory's other holders of
				// the same street and number.
				n := max(s.addrCount, 1)
				fs.Contribution = math.Max(0, math.Min(fs.Contribution, math.Log2(aw.Postcode.Exact.M*float64(n))))
			}
		case samePostalDistrict(qp.postcode, cp.postcode):
			fs.Level, fs.Similarity, fs.Contribution = LevelPartial, 0.5, aw.Postcode.Medium.Weight()
		default:
			fs.Level, fs.Contribution = LevelDisagree, aw.Postcode.Disagree.Weight()
		}
		dst = append(dst, fs)
	}
	if !pcExact {
		if fs, ok := s.locality(&aw.Locality, q, c); ok {
			dst = append(dst, fs)
		}
	}
	return dst
}

// street compares street and house number.
func (s *scorer) street(fw *FieldWeights, q, c *postalFeat) FieldScore {
	fs := FieldScore{Field: FieldStreet}
	if q.streetName == "" || c.streetName == "" {
		// Numbers alone say nothing without their street.
		return FieldScore{}
	}
	same := q.street == c.street || q.streetJoined == c.streetJoined
	near := false
	if !same && q.streetName == c.streetName {
		// The same name with other type or direction words: "E Main St"
		// and "W Main St" are two streets; "Oak St" and "Oak Ave" likely
		// two as well, or a slip; "Main St" and "N Main St", one.
		qd, qt := streetWords(q)
		cd, ct := streetWords(c)
		switch {
		case qd.pre != "" && cd.pre != "" && qd.pre != cd.pre, qd.post != "" && cd.post != "" && qd.post != cd.post:
			return FieldScore{Field: FieldStreet, Level: LevelDisagree, Contribution: fw.Disagree.Weight()}
		case qt != "" && ct != "" && qt != ct:
			near = true
		default:
			same = true
		}
	}
	sim := 1.0
	if !same {
		sim = streetSim(q, c)
	}
	near = near || same || sim >= s.w.HighSimilarity || leadingWords(q.street, c.street)
	numSame := q.number != "" && q.number == c.number
	numMissing := q.number == "" || c.number == ""
	unitsDiffer := q.unit != "" && c.unit != "" && q.unit != c.unit
	switch {
	case same && numSame && !unitsDiffer:
		fs.Level, fs.Similarity = LevelExact, 1
		if s.addrCount > 1 {
			// Several entities live there (an office building, a
			// family's home): the address counts by its frequency, and
			// the same unit on both sides by its share of them.
			u := s.tfU[tfAddrStreet]
			if q.unit != "" && q.unit == c.unit {
				u /= float64(s.addrCount)
			}
			fs.Contribution = s.tfWeight(fw.Exact, u)
		} else {
			fs.Contribution = s.exact(fw, s.tfU[tfAddrStreet])
		}
	case near && numSame && unitsDiffer:
		// Another unit of the same building (an office block's suites,
		// a block of flats): a neighbour more often than the same
		// holder moved within the building.
		fs.Level, fs.Similarity, fs.Contribution = LevelPartial, sim, fw.Medium.Weight()
		if same && s.addrCount > 1 {
			// Not above what sharing the building is worth.
			fs.Contribution = math.Min(fs.Contribution, s.tfWeight(fw.Exact, s.tfU[tfAddrStreet]))
		}
	case near && numSame:
		fs.Level, fs.Similarity, fs.Contribution = LevelHigh, sim, fw.High.Weight()
	case same && numMissing:
		fs.Level, fs.Similarity, fs.Contribution = LevelMissing, sim, fw.Equivalent.Weight()
	case near:
		fs.Level, fs.Similarity, fs.Contribution = LevelPartial, sim, fw.Medium.Weight()
	default:
		fs.Level, fs.Similarity, fs.Contribution = LevelDisagree, sim, fw.Disagree.Weight()
	}
	return fs
}

// leadingWords reports whether the words of one of a and b are the first
// words of the other: a street line that goes on with a place ("2290
// Peachtree Rd, Peachtree Square Shopping Center" read as one street).
func leadingWords(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	return a != "" && len(b) > len(a) && b[len(a)] == ' ' && strings.HasPrefix(b, a)
}

// streetDirs are the direction words of a street before and after its
// name ("e" and "ne" of "e paces ferry rd ne"); "" for none.
type streetDirs struct{ pre, post string }

// streetWords returns the direction and type words of p.street, the words
// not in its name ("n" and "st" of "n main st"); "" for none. A direction
// one side gives and the other omits ("E Paces Ferry Rd NE" and "E Paces
// Ferry Rd") is no disagreement; only directions in the same place are
// compared.
func streetWords(p *postalFeat) (dir streetDirs, typ string) {
	named := false
	for w := range strings.FieldsSeq(p.street) {
		if inLine(w, p.streetName) {
			named = true
			continue
		}
		switch w {
		case "n", "s", "e", "w", "ne", "nw", "se", "sw":
			if named {
				dir.post = w
			} else {
				dir.pre = w
			}
		default:
			typ = w
		}
	}
	return dir, typ
}

// streetSim is the similarity of two street names: the soft token-set
// coefficient, or Jaro-Winkler of the names without spaces ("bellchambe rs"
// and "bellchambers"), or of the streets as written without spaces
// ("hainessdtreet" and "hainesstreet").
func streetSim(q, c *postalFeat) float64 {
	sim := softDice(q.streetToks, c.streetToks)
	if j := jw(q.streetJoined, c.streetJoined); j > sim {
		sim = j
	}
	if sim < 1 && (len(q.streetToks) != len(c.streetToks) || len(q.streetToks) == 1) {
		a, b := strings.ReplaceAll(q.streetName, " ", ""), strings.ReplaceAll(c.streetName, " ", "")
		if j := jw(capRunes(a, maxCompareRunes), capRunes(b, maxCompareRunes)); j > sim {
			sim = j
		}
		if sim < tokenMatchMin && oneEdit(a, b) {
			sim = tokenMatchMin
		}
	}
	return sim
}

// samePostalDistrict reports whether two different postcodes share their
// district: the first three characters of codes of five or more, the first
// two of shorter ones.
func samePostalDistrict(a, b string) bool {
	n := 3
	if len(a) < 5 || len(b) < 5 {
		n = 2
	}
	return len(a) >= n+1 && len(b) >= n+1 && a[:n] == b[:n]
}

// locality compares the places of two postal addresses.
func (s *scorer) locality(fw *FieldWeights, q, c *locFeat) (FieldScore, bool) {
	fs := FieldScore{Field: FieldLocality}
	if q.country != "" && c.country != "" && q.country != c.country {
		fs.Level, fs.Contribution = LevelDisagree, fw.Disagree.Weight()
		return fs, true
	}
	if q.city == "" || c.city == "" {
		if q.country != "" && q.country == c.country {
			fs.Level, fs.Similarity, fs.Contribution = LevelCountry, 0.5, fw.Equivalent.Weight()
			return fs, true
		}
		return FieldScore{}, false
	}
	if q.city == c.city {
		fs.Level, fs.Similarity, fs.Contribution = LevelExact, 1, fw.Exact.Weight()
		return fs, true
	}
	sim := jw(capRunes(q.city, maxCompareRunes), capRunes(c.city, maxCompareRunes))
	if sim < s.w.HighSimilarity && oneEdit(q.city, c.city) {
		sim = s.w.HighSimilarity
	}
	switch {
	case sim >= s.w.HighSimilarity:
		fs.Level, fs.Similarity, fs.Contribution = LevelHigh, sim, fw.High.Weight()
	case inLine(q.city, c.postal.extra) || inLine(c.city, q.postal.extra):
		fs.Level, fs.Similarity, fs.Contribution = LevelPartial, sim, fw.Medium.Weight()
	default:
		fs.Level, fs.Similarity, fs.Contribution = LevelDisagree, sim, fw.Disagree.Weight()
	}
	return fs, true
}

// estimateAddressU sets the U of w.Address from the level counts tab of
// random pairs ("kind:field" → level → count, as [EstimateU] tallies them),
// both kinds together. A field no pair compared keeps its U; the Exact U
// of street and postcode is estimated too, though term frequencies replace
// it at query time.
func estimateAddressU(w *Weights, tab map[string]map[string]int) {
	set := func(fw *FieldWeights, field string, levels map[*Level]string) {
		t := map[string]int{}
		n := 0
		for _, k := range [2]Kind{KindCompany, KindMember} {
			for lv, c := range tab[k.String()+":"+field] {
				t[lv] += c
				n += c
			}
		}
		if n == 0 {
			return
		}
		for l, name := range levels {
			if l.M > 0 {
				l.U = float64(t[name]+1) / float64(n+2)
			}
		}
	}
	a := &w.Address
	set(&a.Street, FieldStreet, map[*Level]string{&a.Street.Exact: LevelExact, &a.Street.High: LevelHigh,
		&a.Street.Equivalent: LevelMissing, &a.Street.Medium: LevelPartial, &a.Street.Disagree: LevelDisagree})
	set(&a.Postcode, FieldPostcode, map[*Level]string{&a.Postcode.Exact: LevelExact,
		&a.Postcode.Medium: LevelPartial, &a.Postcode.Disagree: LevelDisagree})
	set(&a.Locality, FieldLocality, map[*Level]string{&a.Locality.Exact: LevelExact, &a.Locality.High: LevelHigh,
		&a.Locality.Medium: LevelPartial, &a.Locality.Equivalent: LevelCountry, &a.Locality.Disagree: LevelDisagree})
}

// inLine reports whether the words of place appear, whole, in line.
func inLine(place, line string) bool {
	if place == "" || len(line) < len(place) {
		return false
	}
	i := strings.Index(line, place)
	for i >= 0 {
		end := i + len(place)
		if (i == 0 || line[i-1] == ' ') && (end == len(line) || line[end] == ' ') {
			return true
		}
		j := strings.Index(line[i+1:], place)
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}
