package synth

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Options sizes a synthetic world. The zero value gives an empty world.
type Options struct {
	Seed      uint64 // same seed, same world
	Companies int    // number of directory companies
	Members   int    // number of directory members
	// Addresses gives every company and member a street address (house
	// number, street, unit, postcode) in its country's format before its
	// city and country, and makes queries hold CRM-style copies of it
	// (other formats and orders, short or long street types, missing
	// parts, typos, stale addresses). The addresses come from a stream of
	// their own: names, emails and cities are those of the same world
	// without addresses.
	Addresses bool
}

// Company is a directory company profile.
type Company struct {
	ID, Name, Industry, Location, Website string
}

// Member is a directory member profile. Email is in clear here: the CSV
// loaders hash it on load.
type Member struct {
	ID, FirstName, LastName string
	Company                 string // employer as the profile shows it
	CompanyID               string // the employer's directory ID, "" if it is not in the directory
	Title, Location, Email  string
}

// companyMeta is what the generator knows about a company beyond its profile.
type companyMeta struct {
	country  uint8
	city     string
	base     string // name without legal form
	legal    string // "" if none
	domain   string // "" if no website
	pattern  uint8  // e-mail pattern of the company
	industry string // industry key
	// brand is the one distinctive word a CRM may hold for the company
	// ("Bosch" for "Robert Bosch GmbH"), "" when its base name has fewer
	// than two significant words or no distinctive one.
	brand string
}

// memberMeta is what the generator knows about a member beyond its profile.
type memberMeta struct {
	country    uint8
	female     bool
	title      int32 // index in titles
	variant    int32 // index in titles[title]
	city       string
	locCountry uint8        // country of city
	company    int          // index of the employer in the directory, -1 if none
	emp        *companyMeta // the employer (points into World.cmeta when company >= 0)
}

// World is a deterministic synthetic directory of companies and members, and
// the source of corrupted CRM-style queries against it.
//
// A World is read-only after New and safe for concurrent use.
type World struct {
	opts      Options
	companies []Company
	cmeta     []companyMeta
	members   []Member
	mmeta     []memberMeta
	stems     []string
	surnames  [][]string // per country, the invented tail (see names.go)
	cumWeight []int

	caddr, maddr []postal // street addresses by entity, with Options.Addresses

	keysOnce    sync.Once
	companyKeys map[uint64]struct{}
	memberKeys  map[uint64]struct{}
}

// New generates the world described by o. The same Options give the same world.
func New(o Options) *World {
	w := &World{opts: o}
	total := 0
	for _, c := range countries {
		total += c.weight
		w.cumWeight = append(w.cumWeight, total)
	}
	w.surnames = buildSurnames(o.Seed, o.Companies+o.Members)
	rng := rand.New(rand.NewPCG(o.Seed, 0x9e3779b97f4a7c15))
	nStems := max(o.Companies/12, 24)
	w.stems = make([]string, nStems)
	for i := range w.stems {
		if rng.IntN(3) == 0 {
			w.stems[i] = pick(rng, adjectives) + pick(rng, []string{"", " "}) + pick(rng, nouns)
		} else {
			w.stems[i] = brand(rng)
		}
	}
	g := &gen{w: w, rng: rng}
	w.companies = make([]Company, o.Companies)
	w.cmeta = make([]companyMeta, o.Companies)
	for i := range w.companies {
		w.companies[i], w.cmeta[i] = g.company("c" + strconv.Itoa(i+1))
	}
	mrng := rand.New(rand.NewPCG(o.Seed, 0x51afd7ed558ccd6b))
	g = &gen{w: w, rng: mrng}
	w.members = make([]Member, o.Members)
	w.mmeta = make([]memberMeta, o.Members)
	for i := range w.members {
		w.members[i], w.mmeta[i] = g.member("m"+strconv.Itoa(i+1), -2)
	}
	if o.Addresses {
		w.addAddresses()
	}
	return w
}

// Companies returns the directory companies, in ID order. The slice is shared:
// callers must not modify it.
func (w *World) Companies() []Company { return w.companies }

// Members returns the directory members, in ID order. The slice is shared:
// callers must not modify it.
func (w *World) Members() []Member { return w.members }

// gen generates entities from one random stream.
type gen struct {
	w     *World
	rng   *rand.Rand
	slugs map[string]string // memo of slug(name, "") for person names
}

// nameSlug is slug(s, "") memoised: person names come from small pools.
func (g *gen) nameSlug(s string) string {
	if v, ok := g.slugs[s]; ok {
		return v
	}
	if g.slugs == nil {
		g.slugs = make(map[string]string)
	}
	v := slug(s, "")
	switch {
	case hasUmlaut(s) && isFrom("DE", s):
		v = slugDE(s, "")
	case isFrom("UA", s):
		v = slug(translitAs(s, true), "")
	}
	g.slugs[s] = v
	return v
}

// pick returns a uniformly chosen element of xs.
func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

// skewed returns an index in [0,n) where low indexes are much more likely
// (p > 1 skews harder): common names, big employers.
func skewed(rng *rand.Rand, n int, p float64) int {
	i := int(float64(n) * math.Pow(rng.Float64(), p))
	return min(i, n-1)
}

// isFrom reports whether name is one of the given names or surnames of the country with the code.
func isFrom(code, name string) bool {
	for i := range countries {
		if c := &countries[i]; c.code == code {
			return slices.Contains(c.first, name) || slices.Contains(c.last, name)
		}
	}
	return false
}

// brand invents a brand word such as "Zentora" or "Valtix".
func brand(rng *rand.Rand) string {
	n := 1 + rng.IntN(2)
	if rng.IntN(4) == 0 {
		n++
	}
	var b strings.Builder
	for range n {
		b.WriteString(pick(rng, syllables))
	}
	b.WriteString(pick(rng, brandEnds))
	s := b.String()
	return strings.ToUpper(s[:1]) + s[1:]
}

// country picks a country by weight.
func (g *gen) country() uint8 {
	r := g.rng.IntN(g.w.cumWeight[len(g.w.cumWeight)-1])
	for i, c := range g.w.cumWeight {
		if r < c {
			return uint8(i)
		}
	}
	return 0
}

// composeName joins a base name and a legal form the way the country writes it.
func composeName(c *country, base, legal string) string {
	switch {
	case legal == "":
		return base
	case c.legalFirst:
		if strings.Contains(base, " ") {
			return legal + " «" + base + "»"
		}
		return legal + " \"" + base + "\""
	case strings.HasPrefix(legal, "Co.,") || legal == "Corporation" || legal == "Group Co., Ltd.":
		return base + " " + legal
	case c.code == "US" || c.code == "GB" || c.code == "IN":
		if len(legal) > 0 && (legal == "Inc." || legal == "Ltd" || legal == "LLC") && len(base)%3 == 0 {
			return base + ", " + legal
		}
	}
	return base + " " + legal
}

// genericWords are words of generated names too common to be a brand on
// their own: a CRM holding only "Global" or "Point" names no company.
var genericWords = l("Global,United,First,Prime,Smart,Open,Next,High,Deep,True,Bright,Clear,Bold,Swift," +
	"North,South,East,West,Urban,Metro,Royal,Blue,Red,Green,Golden,Silver," +
	"Point,Path,Line,Works,Labs,Light,Star,Key,Circle,Square,Field,Gate,Tree,Leaf")

// distinctive returns the first of words that is not generic, or "".
func distinctive(words ...string) string {
	for _, w := range words {
		if w != "" && !slices.Contains(genericWords, w) {
			return w
		}
	}
	return ""
}

// mainWord returns the longest word of s ("Dijk" of "van Dijk").
func mainWord(s string) string {
	best := ""
	for _, w := range strings.Fields(s) {
		if len([]rune(w)) > len([]rune(best)) {
			best = w
		}
	}
	return best
}

// company generates one company.
func (g *gen) company(id string) (Company, companyMeta) {
	rng := g.rng
	ci := g.country()
	c := &countries[ci]
	m := companyMeta{country: ci, city: pick(rng, c.cities), pattern: uint8(skewed(rng, len(emailPatterns), 1.6))}
	surname := func() string { return g.surname(ci) }
	localWord := func() word {
		if len(c.words) > 0 && (c.script != latin || rng.IntN(3) > 0) {
			return pick(rng, c.words)
		}
		return pick(rng, sectors)
	}
	var base string
	switch r := rng.IntN(100); {
	case c.code == "CN" && r < 55:
		wd := localWord()
		city := pick(rng, c.cities)
		b := brand(rng)
		base = city + " " + b + " " + wd.w
		m.industry = wd.ind
		m.brand = b
	case r < 20: // surname-based
		switch rng.IntN(4) {
		case 0:
			if len(c.family) > 0 {
				sn := surname()
				base = sn + " " + pick(rng, c.family)
				m.brand = mainWord(sn)
				break
			}
			fallthrough
		case 1:
			wd := localWord()
			sn := surname()
			base = sn + " " + wd.w
			m.industry = wd.ind
			m.brand = mainWord(sn)
		case 2:
			sep := " & "
			if c.script == latin && rng.IntN(3) == 0 {
				sep = "-"
			}
			sn := surname()
			base = sn + sep + surname()
			m.brand = mainWord(sn)
		default:
			base = surname()
			if c.script == latin && rng.IntN(2) == 0 {
				m.brand = mainWord(base)
				base = c.first[rng.IntN(len(c.first))] + " " + base
			}
		}
	case r < 42: // English word combo
		wd := pick(rng, sectors)
		adj, noun := pick(rng, adjectives), pick(rng, nouns)
		base = adj + " " + noun + " " + wd.w
		if rng.IntN(6) == 0 {
			adj = pick(rng, adjectives)
			base, noun = adj+" "+wd.w, ""
		}
		m.industry = wd.ind
		m.brand = distinctive(noun, adj)
	case r < 54: // brand + local word
		wd := localWord()
		b := brand(rng)
		base = b + " " + wd.w
		m.industry = wd.ind
		m.brand = b
	case r < 61: // acronym
		n := 2 + rng.IntN(3)
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('A' + rng.IntN(26))
		}
		base = string(b)
		if rng.IntN(2) == 0 {
			wd := localWord()
			m.brand = base
			base += " " + wd.w
			m.industry = wd.ind
		}
	case r < 66: // The X Group
		x := pick(rng, []string{pick(rng, adjectives), surname(), brand(rng)})
		base = "The " + x + " " + pick(rng, groupWords)
		m.brand = distinctive(mainWord(x))
	case r < 86: // family of companies sharing a stem
		stem := g.w.stems[skewed(rng, len(g.w.stems), 1.7)]
		base = stem
		adj, noun, spaced := strings.Cut(stem, " ")
		if spaced {
			m.brand = distinctive(noun, adj)
		}
		if rng.IntN(5) > 0 {
			wd := pick(rng, subsidiary)
			base = stem + " " + wd.w
			m.industry = wd.ind
			if !spaced {
				m.brand = stem
			}
		}
	default: // invented brand
		base = brand(rng)
	}
	if m.industry == "" {
		m.industry = pick(rng, industryKeys)
	}
	m.base = base
	if rng.IntN(100) < 72 {
		m.legal = c.legal[skewed(rng, len(c.legal), 1.4)]
	}
	name := composeName(c, base, m.legal)

	website := ""
	if rng.IntN(100) < 85 {
		var label string
		switch r := rng.IntN(100); {
		case r < 58:
			label = slug(base, "")
			if c.code == "DE" {
				label = slugDE(base, "")
			}
		case r < 72:
			label = slug(base, "-")
			if c.code == "DE" {
				label = slugDE(base, "-")
			}
		case r < 80:
			label = strings.ToLower(foldASCII(translit(initials(base))))
		case r < 90: // a domain that does not match the name
			label = strings.ToLower(brand(rng))
		default:
			label = slug(strings.Fields(base)[0], "")
		}
		if len(label) < 2 {
			label = slug(base, "")
		}
		tld := pick(rng, genericTLDs)
		if rng.IntN(100) < 55 {
			tld = c.tlds[skewed(rng, len(c.tlds), 1.5)]
		}
		if tld == "рф" {
			tld = "ru"
		}
		m.domain = label + "." + tld
		switch r := rng.IntN(10); {
		case r < 5:
			website = "https://www." + m.domain
		case r < 8:
			website = m.domain
		default:
			website = "http://" + m.domain + "/"
		}
	}
	co := Company{
		ID:       id,
		Name:     name,
		Industry: industries[m.industry],
		Location: m.city + ", " + c.name,
		Website:  website,
	}
	if rng.IntN(100) < 8 {
		co.Industry = ""
	}
	if rng.IntN(100) < 6 {
		co.Location = c.name
	}
	return co, m
}

// emailPatterns build a mailbox name from a first and last name (ASCII, lower case).
var emailPatterns = []func(f, l string) string{
	func(f, l string) string { return f + "." + l },
	func(f, l string) string { return f[:1] + l },
	func(f, l string) string { return f + l[:1] },
	func(f, l string) string { return f },
	func(f, l string) string { return f[:1] + "." + l },
	func(f, l string) string { return l },
	func(f, l string) string { return f + "_" + l },
	func(f, l string) string { return l + f[:1] },
}

// mailbox makes an e-mail local part for a person, or "" if the name has no ASCII letter.
func (g *gen) mailbox(pattern int, first, last string) string {
	f, l := g.nameSlug(first), g.nameSlug(last)
	if f == "" || l == "" {
		return ""
	}
	return emailPatterns[pattern](f, l)
}

// femaleSurname adapts a surname to a woman where the language inflects it.
func femaleSurname(c *country, last string) string {
	switch c.script {
	case cyrillic:
		for _, suf := range []string{"ов", "ев", "ёв", "ин", "ын"} {
			if strings.HasSuffix(last, suf) {
				return last + "а"
			}
		}
	case greek:
		if s, ok := strings.CutSuffix(last, "ος"); ok {
			return s + "ου"
		}
		if s, ok := strings.CutSuffix(last, "ης"); ok {
			return s + "η"
		}
	}
	return last
}

// member generates one member. employer is the index of the company to work
// for, -1 for an employer outside the directory, -2 to choose.
func (g *gen) member(id string, employer int) (Member, memberMeta) {
	rng := g.rng
	w := g.w
	n := len(w.companies)
	if employer == -2 {
		employer = -1
		if n > 0 && rng.IntN(100) < 90 {
			employer = skewed(rng, n, 2.2)
		}
	}
	var m memberMeta
	m.company = employer
	var coName string
	if employer >= 0 {
		m.emp = &w.cmeta[employer]
		coName = w.companies[employer].Name
		if rng.IntN(100) < 25 {
			coName = m.emp.base
		}
	} else {
		co, cm := g.company("")
		m.emp = &cm
		coName = co.Name
	}
	m.country = m.emp.country
	if rng.IntN(100) < 12 {
		m.country = g.country()
	}
	c := &countries[m.country]
	first, female := g.givenName(m.country)
	m.female = female
	last := g.surname(m.country)
	if m.female {
		last = femaleSurname(c, last)
	}
	m.title = int32(rng.IntN(len(titles)))
	m.variant = 0
	if rng.IntN(100) < 20 {
		m.variant = int32(rng.IntN(len(titles[m.title])))
	}
	// Members mostly live where their employer is; some elsewhere in their own country.
	m.city, m.locCountry = m.emp.city, m.emp.country
	if m.country != m.emp.country || rng.IntN(100) < 20 {
		m.city, m.locCountry = pick(rng, c.cities), m.country
	}
	lc := &countries[m.locCountry]
	mem := Member{
		ID:        id,
		FirstName: first,
		LastName:  last,
		Company:   coName,
		Title:     titles[m.title][m.variant],
		Location:  m.city + ", " + lc.name,
	}
	if employer >= 0 {
		mem.CompanyID = w.companies[employer].ID
	}
	if rng.IntN(100) < 8 {
		mem.Title = ""
	}
	if rng.IntN(100) < 6 {
		mem.Location = ""
	}
	switch r := rng.IntN(100); {
	case r < 85 && m.emp.domain != "":
		p := int(m.emp.pattern)
		if rng.IntN(100) < 12 {
			p = rng.IntN(len(emailPatterns))
		}
		if lp := g.mailbox(p, first, last); lp != "" {
			mem.Email = lp + "@" + m.emp.domain
		}
	case r < 92:
		if lp := g.mailbox(rng.IntN(len(emailPatterns)), first, last); lp != "" {
			mem.Email = lp + strconv.Itoa(rng.IntN(100)) + "@" + pick(rng, personalDomains)
		}
	}
	return mem, m
}
