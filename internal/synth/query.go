package synth

import (
	"hash/fnv"
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode"
)

// QueryOptions shapes a set of corrupted queries.
type QueryOptions struct {
	Seed uint64 // same seed (and world), same queries
	// AbsentRate is the share of queries whose true entity is not in the
	// directory (drawn from held-out entities generated like the real ones).
	AbsentRate float64
}

// CompanyQuery is a CRM account as a sales team typed it, with its ground truth.
type CompanyQuery struct {
	ID, Name, Industry, Location, Website string
	TruthID                               string   // the directory company it is, "" if absent
	Noise                                 []string // the corruptions applied, e.g. "name:typo"
}

// MemberQuery is a CRM lead or contact as a sales team typed it, with its ground truth.
type MemberQuery struct {
	ID, FirstName, LastName, Company, Title, Email, Location string
	TruthID                                                  string   // the directory member it is, "" if absent
	Noise                                                    []string // the corruptions applied, e.g. "first:nickname"
}

// severity scales corruption rates per query, so that the set mixes clean,
// typical and badly kept records.
func severity(rng *rand.Rand) float64 {
	switch r := rng.IntN(100); {
	case r < 35:
		return 0.5
	case r < 80:
		return 1
	default:
		return 1.7
	}
}

// chance reports true with probability p*s (capped at 0.95).
func chance(rng *rand.Rand, p, s float64) bool { return rng.Float64() < min(p*s, 0.95) }

// fnvKey hashes parts into a set key.
func fnvKey(parts ...string) uint64 {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(strings.ToLower(foldASCII(p))))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// buildKeys indexes the directory so that held-out entities never duplicate it.
func (w *World) buildKeys() {
	w.keysOnce.Do(func() {
		w.companyKeys = make(map[uint64]struct{}, len(w.companies))
		for i := range w.companies {
			w.companyKeys[fnvKey(w.cmeta[i].base)] = struct{}{}
			if d := w.cmeta[i].domain; d != "" {
				w.companyKeys[fnvKey("domain", d)] = struct{}{}
			}
		}
		w.memberKeys = make(map[uint64]struct{}, 2*len(w.members))
		for i, m := range w.members {
			w.memberKeys[fnvKey(m.FirstName, m.LastName, w.mmeta[i].emp.base)] = struct{}{}
			if m.Email != "" {
				w.memberKeys[fnvKey("email", m.Email)] = struct{}{}
			}
		}
	})
}

// CompanyQueries returns n corrupted company queries with their ground truth.
// The same World and QueryOptions give the same queries.
func (w *World) CompanyQueries(n int, o QueryOptions) []CompanyQuery {
	rng := rand.New(rand.NewPCG(o.Seed, 0xc2b2ae3d27d4eb4f))
	// The brand corruption draws from its own stream, so that adding it
	// left every other query, and the other fields of a brand query, as
	// they were.
	brng := rand.New(rand.NewPCG(o.Seed, 0x94d049bb133111eb))
	held := &gen{w: w, rng: rand.New(rand.NewPCG(o.Seed, 0x165667b19e3779f9))}
	arng := rand.New(rand.NewPCG(o.Seed, addrSeed^0xc0))
	if o.AbsentRate > 0 {
		w.buildKeys()
	}
	qs := make([]CompanyQuery, 0, n)
	for i := range n {
		var co Company
		var m companyMeta
		j := -1
		if len(w.companies) == 0 || rng.Float64() < o.AbsentRate {
			for try := 0; ; try++ {
				co, m = held.company("")
				_, dupName := w.companyKeys[fnvKey(m.base)]
				_, dupDomain := w.companyKeys[fnvKey("domain", m.domain)]
				if (!dupName && !dupDomain) || try > 20 {
					break
				}
			}
			co.ID = ""
		} else {
			j = rng.IntN(len(w.companies))
			co, m = w.companies[j], w.cmeta[j]
		}
		q := corruptCompany(rng, brng, co, &m)
		if w.opts.Addresses {
			c := &countries[m.country]
			var p postal
			if j >= 0 {
				p = w.caddr[j]
			} else {
				p = newPostal(arng, c, m.city, true)
			}
			q.Location = queryAddress(arng, severity(arng), p, c, m.city, q.Location, true, &q.Noise)
		}
		q.ID = "q" + strconv.Itoa(i+1)
		q.TruthID = co.ID
		qs = append(qs, q)
	}
	return qs
}

// corruptCompany turns a directory company into what a CRM account may hold.
// brng decides the brand corruption alone.
func corruptCompany(rng, brng *rand.Rand, co Company, m *companyMeta) CompanyQuery {
	s := severity(rng)
	// A CRM account holding only the brand: "Bosch" for "Robert Bosch GmbH".
	brandOnly := m.brand != "" && chance(brng, 0.04, s)
	c := &countries[m.country]
	var q CompanyQuery
	var noise []string
	add := func(tag string) { noise = append(noise, tag) }

	// Name.
	base, legal := m.base, m.legal
	if legal != "" && chance(rng, 0.35, s) {
		legal = ""
		add("name:legal_drop")
	} else if legal != "" && chance(rng, 0.12, s) {
		if vs := legalVariants[legal]; len(vs) > 0 {
			legal = pick(rng, vs)
			add("name:legal_change")
		}
	} else if legal == "" && chance(rng, 0.12, s) {
		legal = c.legal[0]
		add("name:legal_add")
	}
	if strings.HasPrefix(base, "The ") && chance(rng, 0.4, s) {
		base = base[4:]
		add("name:the_drop")
	}
	if nw := len(strings.Fields(base)); nw >= 3 && chance(rng, 0.04, s) {
		base = initials(base)
		add("name:acronym")
	}
	if chance(rng, 0.25, s) {
		if b := abbreviate(rng, base); b != base {
			base = b
			add("name:abbrev")
		}
	}
	name := composeName(c, base, legal)
	if c.script != latin && chance(rng, 0.3, s) {
		name = translitIn(c, name)
		add("name:translit")
	}
	if hasNonASCII(name) && isLatin(name) && chance(rng, 0.3, s) {
		if hasUmlaut(name) && rng.IntN(2) == 0 {
			name = germanFold.Replace(name)
			add("name:umlaut")
		} else {
			name = foldASCII(name)
			add("name:diacritics")
		}
	}
	for range 1 + rng.IntN(2) {
		if chance(rng, 0.22, s) {
			name = typo(rng, name)
			add("name:typo")
		}
	}
	if chance(rng, 0.15, s) {
		name = stripPunct(name)
		add("name:punct")
	}
	switch {
	case chance(rng, 0.08, s):
		name = strings.ToUpper(name)
		add("name:upper")
	case chance(rng, 0.05, s):
		name = strings.ToLower(name)
		add("name:lower")
	}
	if chance(rng, 0.02, s) {
		name = ""
		add("name:missing")
	}
	if brandOnly {
		name, noise = brandName(brng, c, m.brand, noise)
	}
	q.Name = name

	// Industry.
	switch {
	case co.Industry == "" || chance(rng, 0.45, s):
		add("industry:missing")
	case chance(rng, 0.08, s):
		q.Industry = industries[pick(rng, industryKeys)]
		add("industry:other")
	default:
		q.Industry = co.Industry
	}

	// Location.
	q.Location = location(rng, s, c, m.city, &noise)

	// Website.
	switch {
	case m.domain == "" || co.Website == "":
		if co.Website == "" {
			add("website:missing")
		}
	case chance(rng, 0.45, s):
		add("website:missing")
	case chance(rng, 0.03, s):
		q.Website = "www." + strings.SplitN(m.domain, ".", 2)[0] + "." + pick(rng, genericTLDs)
		add("website:other")
	case chance(rng, 0.3, s):
		q.Website = pick(rng, []string{"https://www.", "http://", "www.", "HTTPS://WWW.", "https://"}) + m.domain +
			pick(rng, []string{"/", "/en/", "/contact", "/about-us", "/index.html", "?utm_source=crm"})
		add("website:decorated")
	default:
		q.Website = co.Website
	}
	q.Noise = noise
	return q
}

// brandName is the brand alone, as a CRM account may hold it, with the
// corruptions of the full name that apply to one word redone on it (typos
// from brng): the full name's corruptions were drawn all the same, so the
// main stream, and every other query, is as without the brand corruption.
// It returns the name and the noise tags that replace the name's.
func brandName(brng *rand.Rand, c *country, brand string, noise []string) (string, []string) {
	tags := []string{"name:brand"}
	for _, n := range noise {
		switch n {
		case "name:translit":
			brand = translitIn(c, brand)
		case "name:umlaut":
			brand = germanFold.Replace(brand)
		case "name:diacritics":
			brand = foldASCII(brand)
		case "name:typo":
			brand = typo(brng, brand)
		case "name:punct":
			brand = stripPunct(brand)
		case "name:upper":
			brand = strings.ToUpper(brand)
		case "name:lower":
			brand = strings.ToLower(brand)
		case "name:missing":
			brand = ""
		default: // legal form, "The", acronym, shorthand: not in a brand
			continue
		}
		tags = append(tags, n)
	}
	return brand, tags
}

// location renders a city and country the way a CRM may hold them.
func location(rng *rand.Rand, s float64, c *country, city string, noise *[]string) string {
	cname := c.name
	if n, ok := countryLatin[c.code]; ok && rng.IntN(2) == 0 {
		cname = n
	}
	if c.script != latin && rng.IntN(2) == 0 {
		city = translitIn(c, city)
	}
	switch {
	case chance(rng, 0.35, s):
		*noise = append(*noise, "location:missing")
		return ""
	case chance(rng, 0.2, s):
		*noise = append(*noise, "location:city")
		return city
	case chance(rng, 0.15, s):
		*noise = append(*noise, "location:country")
		return cname
	case chance(rng, 0.1, s):
		*noise = append(*noise, "location:code")
		return c.code
	case chance(rng, 0.1, s):
		*noise = append(*noise, "location:city_code")
		return city + ", " + c.code
	}
	return city + ", " + cname
}

// abbreviate applies one CRM shorthand to s, if one fits.
func abbreviate(rng *rand.Rand, s string) string {
	start := rng.IntN(len(abbreviations))
	for k := range abbreviations {
		a := abbreviations[(start+k)%len(abbreviations)]
		if strings.Contains(s, a[0]) {
			return strings.Replace(s, a[0], a[1], 1)
		}
	}
	return s
}

// MemberQueries returns n corrupted member queries with their ground truth.
// The same World and QueryOptions give the same queries.
func (w *World) MemberQueries(n int, o QueryOptions) []MemberQuery {
	rng := rand.New(rand.NewPCG(o.Seed, 0x27d4eb2f165667c5))
	held := &gen{w: w, rng: rand.New(rand.NewPCG(o.Seed, 0x85ebca77c2b2ae63))}
	arng := rand.New(rand.NewPCG(o.Seed, addrSeed^0x3e))
	if o.AbsentRate > 0 {
		w.buildKeys()
	}
	qs := make([]MemberQuery, 0, n)
	for i := range n {
		var mem Member
		var m memberMeta
		j := -1
		if len(w.members) == 0 || rng.Float64() < o.AbsentRate {
			for try := 0; ; try++ {
				emp := -1
				if len(w.companies) > 0 && held.rng.IntN(100) < 70 {
					emp = held.rng.IntN(len(w.companies))
				}
				mem, m = held.member("", emp)
				_, dupName := w.memberKeys[fnvKey(mem.FirstName, mem.LastName, m.emp.base)]
				_, dupMail := w.memberKeys[fnvKey("email", mem.Email)]
				if (!dupName && !(dupMail && mem.Email != "")) || try > 20 {
					break
				}
			}
			mem.ID = ""
		} else {
			j = rng.IntN(len(w.members))
			mem, m = w.members[j], w.mmeta[j]
		}
		q := held.corruptMember(rng, mem, &m)
		if w.opts.Addresses {
			c := &countries[m.locCountry]
			var p postal
			if j >= 0 {
				p = w.maddr[j]
			} else {
				p = newPostal(arng, c, m.city, false)
			}
			q.Location = queryAddress(arng, severity(arng), p, c, m.city, q.Location, false, &q.Noise)
		}
		q.ID = "q" + strconv.Itoa(i+1)
		q.TruthID = mem.ID
		qs = append(qs, q)
	}
	return qs
}

// corruptMember turns a directory member into what a CRM lead or contact may hold.
func (g *gen) corruptMember(rng *rand.Rand, mem Member, m *memberMeta) MemberQuery {
	w := g.w
	s := severity(rng)
	c := &countries[m.country]
	var noise []string
	add := func(tag string) { noise = append(noise, tag) }
	q := MemberQuery{}

	first, last := mem.FirstName, mem.LastName
	if nn := nicknames[first]; len(nn) > 0 && chance(rng, 0.18, s) {
		first = pick(rng, nn)
		add("first:nickname")
	}
	if c.script != latin && chance(rng, 0.3, s) {
		first, last = translitIn(c, first), translitIn(c, last)
		add("name:translit")
	}
	if hasNonASCII(first+last) && isLatin(first+last) && chance(rng, 0.3, s) {
		if hasUmlaut(first+last) && rng.IntN(2) == 0 {
			first, last = germanFold.Replace(first), germanFold.Replace(last)
			add("name:umlaut")
		} else {
			first, last = foldASCII(first), foldASCII(last)
			add("name:diacritics")
		}
	}
	if chance(rng, 0.1, s) {
		first = typo(rng, first)
		add("first:typo")
	}
	if chance(rng, 0.12, s) {
		last = typo(rng, last)
		add("last:typo")
	}
	if chance(rng, 0.05, s) {
		r := []rune(first)
		first = string(r[0]) + "."
		add("first:initial")
	} else if chance(rng, 0.06, s) {
		first += " " + string(rune('A'+rng.IntN(26))) + "."
		add("first:middle_initial")
	}
	if f := strings.Fields(last); len(f) > 1 && chance(rng, 0.2, s) {
		last = f[len(f)-1]
		add("last:partial")
	}
	switch {
	case chance(rng, 0.06, s):
		first, last = strings.ToUpper(first), strings.ToUpper(last)
		add("name:upper")
	case chance(rng, 0.04, s):
		first, last = strings.ToLower(first), strings.ToLower(last)
		add("name:lower")
	}
	if chance(rng, 0.04, s) {
		first, last = last, first
		add("name:swap")
	}
	if chance(rng, 0.02, s) {
		first = ""
		add("first:missing")
	}
	q.FirstName, q.LastName = first, last

	// Company.
	switch {
	case mem.Company == "" || chance(rng, 0.18, s):
		add("company:missing")
	case len(w.companies) > 0 && chance(rng, 0.1, s):
		q.Company = w.companies[rng.IntN(len(w.companies))].Name
		add("company:stale")
	default:
		co := mem.Company
		if chance(rng, 0.3, s) && m.emp.legal != "" {
			co = m.emp.base
			add("company:legal_drop")
		}
		if chance(rng, 0.12, s) {
			if b := abbreviate(rng, co); b != co {
				co = b
				add("company:abbrev")
			}
		}
		if countries[m.emp.country].script != latin && chance(rng, 0.3, s) {
			co = translitIn(&countries[m.emp.country], co)
			add("company:translit")
		}
		if chance(rng, 0.1, s) {
			co = typo(rng, co)
			add("company:typo")
		}
		if chance(rng, 0.08, s) {
			co = strings.ToUpper(co)
			add("company:upper")
		}
		q.Company = co
	}

	// Title.
	switch {
	case mem.Title == "" || chance(rng, 0.35, s):
		add("title:missing")
	case chance(rng, 0.12, s):
		q.Title = pick(rng, titles)[0]
		add("title:stale")
	case chance(rng, 0.25, s):
		q.Title = pick(rng, titles[m.title])
		add("title:variant")
	default:
		q.Title = mem.Title
	}

	// Email.
	switch {
	case chance(rng, 0.4, s):
		add("email:missing")
	case chance(rng, 0.15, s) || mem.Email == "":
		if lp := g.mailbox(rng.IntN(len(emailPatterns)), mem.FirstName, mem.LastName); lp != "" {
			q.Email = lp + strconv.Itoa(rng.IntN(1000)) + "@" + pick(rng, personalDomains)
			add("email:personal")
		} else {
			add("email:missing")
		}
	case chance(rng, 0.05, s) && m.emp.domain != "":
		p := (int(m.emp.pattern) + 1 + rng.IntN(len(emailPatterns)-1)) % len(emailPatterns)
		if lp := g.mailbox(p, mem.FirstName, mem.LastName); lp != "" {
			q.Email = lp + "@" + m.emp.domain
			add("email:other_pattern")
		}
	default:
		q.Email = mem.Email
		if chance(rng, 0.1, s) {
			q.Email = upperFirst(q.Email)
			add("email:case")
		}
	}

	q.Location = location(rng, s, &countries[m.locCountry], m.city, &noise)
	q.Noise = noise
	return q
}

// upperFirst capitalises the first letter of each dot-separated part of a mailbox.
func upperFirst(s string) string {
	b := []rune(s)
	up := true
	for i, r := range b {
		if up {
			b[i] = unicode.ToUpper(r)
		}
		up = r == '.' || r == '@'
	}
	return string(b)
}
