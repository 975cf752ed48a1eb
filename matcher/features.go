package matcher

import (
	"iter"
	"slices"
	"strings"

	"github.com/crmlink/crmlink/internal/normalize"
)

// maxTokens caps the tokens a field contributes, so that pathological input
// (a 100 KB field) costs no more than a long real value.
const maxTokens = 12

// maxDelTokens is how many tokens of a company name get deletion keys.
const maxDelTokens = 1

// maxCompareRunes caps the runes handed to edit-distance functions.
const maxCompareRunes = 64

// companyFeat is a normalised company name.
type companyFeat struct {
	core    string   // core name: folded, legal form and noise removed
	tokens  []string // tokens of core
	acronym string   // acronym of the full name, "" when none
	// theAcronym is "t" + acronym for a name that began with "The" (which
	// the core drops), "" otherwise.
	theAcronym string
	// legalAcronyms are the acronym followed by the initial of one of the
	// first two legal-form words the core drops ("tsmc" of "Taiwan
	// Semiconductor Manufacturing Company Limited", "catl" of "Contemporary
	// Amperex Technology Co., Limited"), "" when none.
	legalAcronyms [maxLegalAcronyms]string
	// initials is the name's letters when it is only one-letter words
	// (and "and"): "jj" of "J&J"; "" otherwise.
	initials string
	joined   string // core without spaces, for whole-string similarity
	// written is the core as the name wrote it when it joined words in
	// camel case, which normalize.SplitCamel parted ("unitedpath media"
	// of "UnitedPath Media", whose core is "united path media"); ""
	// otherwise.
	written string
	// native is the core in its own script without spaces when the name
	// was written in a script that is transliterated (Han, Thai, Arabic
	// ...), "" otherwise; core, tokens and joined are then in Latin
	// script (see normalize.Latin). Its character bigrams are keys, so
	// that "大疆创新" finds "深圳市大疆创新科技有限公司".
	native string
	// latin is the name's words in Latin letters when it is written in two
	// scripts ("Tencent 腾讯": "Tencent"), nil otherwise
	// (normalize.LatinPart): its own Latin name, compared with a name in
	// Latin letters as any other name is.
	latin *companyFeat
	// legal stands for the name's legal form ("gmbh", "inc"), 0 when none
	// (normalize.LegalFormCode).
	legal uint16
	// inner stands for the legal form written just within legal
	// (normalize.CompanyName.InnerLegalForm), 0 when none.
	inner uint16
	// forms has bit i set when tokens[i] has short forms
	// (normalize.CompanyWordForms), so that comparisons look for them only
	// there.
	forms uint16
	// qual is how many of the last tokens came from a parenthesised
	// qualifier closing the name ("Spago (Los Angeles)", "Acme (Europe)"):
	// words that name a branch, not another company.
	qual uint8
	// scope has bit i set when tokens[i] says where or how widely the
	// company works, not which one it is (normalize.IsScopeWord): words a
	// CRM account adds to a name or drops from it.
	scope uint16
}

// maxLegalAcronyms is how many legal-form words give an acronym variant.
const maxLegalAcronyms = 2

// minLegalAcronym is the shortest acronym that gets legal-form variants:
// three-letter variants of two-word names are common keys that cost lookups
// for little (measured on 100,000 synthetic companies: a few percent more
// query time, and one query of 1,807 lost from the top ten).
const minLegalAcronym = 3

func (c *companyFeat) empty() bool { return c == nil || c.core == "" }

// equal reports whether c and o are the features of equivalent names.
func (c *companyFeat) equal(o *companyFeat) bool {
	return c.core == o.core && slices.Equal(c.tokens, o.tokens) && c.acronym == o.acronym &&
		c.theAcronym == o.theAcronym && c.legalAcronyms == o.legalAcronyms &&
		c.initials == o.initials && c.joined == o.joined && c.native == o.native && c.legal == o.legal && c.inner == o.inner && c.written == o.written &&
		(c.latin == nil) == (o.latin == nil) && (c.latin == nil || c.latin.equal(o.latin))
}

func newCompanyFeat(name string) companyFeat {
	if strings.TrimSpace(name) == "" {
		return companyFeat{}
	}
	// The trade name of "X dba Y" closes the name, and camel-case words
	// part, for Company and for qualifierTokens alike.
	asWritten := name
	name = normalize.TradeNameAsQualifier(normalize.SplitCamel(name))
	cn := normalize.Company(name)
	toks := cn.Tokens
	if len(toks) > maxTokens {
		toks = toks[:maxTokens:maxTokens]
	}
	core := cn.Core
	if core == "" && len(toks) > 0 {
		core = strings.Join(toks, " ")
	}
	if core == "" {
		// A name that is only a legal form ("Ltd") still identifies nothing
		// better than its folded text.
		core = cn.Folded
		toks = normalize.Tokens(core)
		if len(toks) > maxTokens {
			toks = toks[:maxTokens:maxTokens]
		}
	}
	var native string
	var latin *companyFeat
	if normalize.HasOtherScript(core) {
		if lp := normalize.LatinPart(asWritten); lp != "" {
			if f := newCompanyFeat(lp); !f.empty() {
				latin = &f
			}
		}
		native = capRunes(strings.ReplaceAll(core, " ", ""), 4*maxCompareRunes)
		core = normalize.Latin(core)
		toks = normalize.Tokens(core)
		if len(toks) > maxTokens {
			toks = toks[:maxTokens:maxTokens]
		}
	}
	var theAcr string
	if cn.Acronym != "" && strings.HasPrefix(cn.Folded, "the ") && !strings.HasPrefix(core, "the ") {
		// normalize drops a leading "the" from the core, and so from the
		// acronym; CRMs abbreviate "The Leus Holdings" both as "LH" and
		// as "TLH": the longer form is kept as a second acronym.
		theAcr = "t" + cn.Acronym
	}
	return companyFeat{
		core:          capRunes(core, 4*maxCompareRunes),
		tokens:        toks,
		acronym:       cn.Acronym,
		theAcronym:    theAcr,
		legalAcronyms: legalAcronyms(cn),
		initials:      initialsOf(toks),
		joined:        capRunes(strings.Join(toks, ""), maxCompareRunes),
		native:        native,
		latin:         latin,
		legal:         normalize.LegalFormCode(cn.LegalForm),
		inner:         normalize.LegalFormCode(cn.InnerLegalForm),
		forms:         formMask(toks),
		qual:          qualifierTokens(name, toks),
		written:       writtenCore(asWritten, name, core),
		scope:         scopeMask(toks),
	}
}

// writtenCore returns the companyFeat.written of a name written as
// asWritten, name once normalize.SplitCamel parted it, whose core is core:
// the core of asWritten when it differs from core ("unitedpath media" for
// "united path media"; "alpinelabs insurance" for "alpine laboratories
// insurance", a parted word read as its long form), "" when SplitCamel
// parted nothing.
func writtenCore(asWritten, name, core string) string {
	if len(name) == len(asWritten) || core == "" {
		return ""
	}
	w := normalize.Company(normalize.TradeNameAsQualifier(asWritten)).Core
	if w == "" || w == core || len(w) > 4*maxCompareRunes {
		return ""
	}
	return w
}

// writtenWords yields the words of written that the parted words do not
// hold (the words camel case joined), among its first maxDelTokens words.
func (c *companyFeat) writtenWords() iter.Seq[string] {
	return func(yield func(string) bool) {
		rest := c.written
		for i := 0; rest != "" && i < maxDelTokens; i++ {
			w := rest
			if k := strings.IndexByte(rest, ' '); k >= 0 {
				w, rest = rest[:k], rest[k+1:]
			} else {
				rest = ""
			}
			if !slices.Contains(c.tokens, w) && !yield(w) {
				return
			}
		}
	}
}

// writtenOr returns the core as the name wrote it (written, or core).
func (c *companyFeat) writtenOr() string {
	if c.written != "" {
		return c.written
	}
	return c.core
}

// scopeMask returns the companyFeat.scope of toks.
func scopeMask(toks []string) uint16 {
	var m uint16
	for i, t := range toks {
		if i < 16 && normalize.IsScopeWord(t) {
			m |= 1 << i
		}
	}
	return m
}

// scopeSpellings are the words of scope (normalize.IsScopeWord) that
// misspeltScope looks for one edit away: those records add most, of five
// letters or more (words one edit from a shorter one, "usa", "asia",
// "intl", are more often other words).
var scopeSpellings = [...]string{"international", "worldwide", "americas", "america", "holdings", "holding", "europe", "global", "group"}

// misspeltScope reports whether t is one edit from one of scopeSpellings,
// words of scope other than a country's name ("intrnational",
// "ameriicas", "holdigns", "gruop"): a word a record adds to a name ("Acme
// Internatonal" for Acme) is misspelt as often as the name's own. Only a
// query's word that no name of the directory holds is read so (see
// Engine.score): "american" and "moldings" are one edit from words of
// scope too.
func misspeltScope(t string) bool {
	for _, w := range scopeSpellings {
		if oneEdit(t, w) {
			return true
		}
	}
	return false
}

// qualifierTokens returns how many of the last tokens of toks are the words
// of a parenthesised part closing name, 0 when none (or when normalising
// dropped it, as it drops a country). A part left open at the end of the
// name ("China Academy of Telecommunication Research (CATR", a field cut
// short) closes it too.
func qualifierTokens(name string, toks []string) uint8 {
	return uint8(normalize.ClosingWords(name, toks))
}

// formMask returns the companyFeat.forms of toks.
func formMask(toks []string) uint16 {
	var m uint16
	for i, t := range toks {
		if i < 16 && normalize.CompanyWordForms(t) != nil {
			m |= 1 << i
		}
	}
	return m
}

// maxCompanyGrams caps the n-gram keys of a company name in an unspaced
// script.
const maxCompanyGrams = 16

// legalAcronyms returns the acronym of cn (of at least minLegalAcronym
// letters) followed by the initial of each of the first legal-form words
// after its core: companies abbreviate their names with a legal word
// ("TSMC", "CATL") as often as without.
func legalAcronyms(cn normalize.CompanyName) [maxLegalAcronyms]string {
	var out [maxLegalAcronyms]string
	if len(cn.Acronym) < minLegalAcronym || cn.LegalForm == "" {
		return out
	}
	folded := normalize.Tokens(cn.Folded)
	n := len(cn.Tokens)
	if len(folded) <= n || n > maxTokens {
		return out
	}
	for i, t := range cn.Tokens {
		if t == "" || folded[i] == "" || folded[i][0] != t[0] {
			return out // the core is not the start of the name
		}
	}
	for i, t := range folded[n:] {
		if i == maxLegalAcronyms {
			break
		}
		out[i] = cn.Acronym + runePrefix(t, 1)
	}
	return out
}

// initialsOf returns the letters of a name made only of one-letter words
// and "and" (at least two letters: "jj" of "j and j"), or of words of one or
// two letters joined by "and" ("att" of "at and t", written "AT&T"); ""
// otherwise.
func initialsOf(toks []string) string {
	if len(toks) < 2 {
		return ""
	}
	var b []byte
	and, two := false, false
	for _, t := range toks {
		switch {
		case t == "and":
			and = true
		case len(t) == 1:
			b = append(b, t[0])
		case len(t) == 2:
			b, two = append(b, t...), true
		default:
			return ""
		}
	}
	if len(b) < 2 || two && !and {
		// "AT T" is not written for "AT&T" often enough to hold.
		return ""
	}
	return string(b)
}

// appendKeys appends the index keys of a company name under the given tags;
// delTag 0 means no deletion keys.
func (c *companyFeat) appendKeys(dst []Key, tokTag, delTag byte, withCore bool) []Key {
	if c.empty() {
		return dst
	}
	if withCore {
		dst = append(dst, makeKey(tagCoCore, c.core))
	}
	for _, t := range c.tokens {
		dst = append(dst, makeKey(tokTag, t))
	}
	if delTag != 0 {
		for i, t := range c.tokens {
			if i == maxDelTokens {
				break
			}
			if n := runeLen(t); n > maxDelRunes {
				// Too long for deletion keys, but a long word is often
				// the joined spelling of a split name
				// ("pricewaterhousecoopers" and "Price Waterhouse
				// Coopers"): keep it so that it meets the other's
				// joined key.
				dst = append(dst, makeKey(delTag, t))
			} else {
				dst = appendDeletes(dst, delTag, t)
			}
		}
		if len(c.tokens) > 1 {
			dst = appendPairKeys(dst, c.tokens[0], c.tokens[1])
			// The first two words joined, as a word: a name written
			// with them joined ("MapleLine Capital") has it for a token,
			// and a vocabulary holds it (Entity.Terms), so that the
			// joined spelling with a typo ("Crystlgrove Cloud") meets it
			// one edit away rather than as two common words.
			dst = append(dst, makeKey2(tokTag, c.tokens[0], c.tokens[1]))
		}
		dst = c.appendWrittenKeys(dst, tokTag, delTag)
		if len(c.tokens) > 1 && c.joined != "" {
			// The name without spaces meets its joined or split spellings
			// ("Norton-Merlinds" and "nortonmerlinds"): the joined form of
			// one is a token (a deletion key of itself) of the other.
			dst = append(dst, makeKey(delTag, c.joined))
		}
	}
	if c.native != "" && withCore {
		var buf [maxCompanyGrams]string
		for _, g := range normalize.AppendGrams(buf[:0], c.native, maxCompanyGrams) {
			dst = append(dst, makeKey(tagCoGram, g))
		}
	}
	if c.initials != "" && withCore {
		// "AT&T" meets a query's "ATT", which looks its one word up
		// as an acronym.
		dst = append(dst, makeKey(tagCoAcronym, c.initials))
	}
	if c.acronym != "" && withCore {
		dst = append(dst, makeKey(tagCoAcronym, c.acronym))
		if c.theAcronym != "" {
			dst = append(dst, makeKey(tagCoAcronym, c.theAcronym))
		}
		for _, a := range c.legalAcronyms {
			if a != "" {
				dst = append(dst, makeKey(tagCoAcronym, a))
			}
		}
	}
	return dst
}

// appendWrittenKeys appends the token and deletion keys of each word of
// the name as written that its parted words do not hold ("unitedpath" of
// "UnitedPath Media", "alpinelabs" of "AlpineLabs Insurance"), so that the
// name in capitals or small letters ("UNIREDPATH MEDIA", a typo in it)
// meets it as it did before camel case was parted.
func (c *companyFeat) appendWrittenKeys(dst []Key, tokTag, delTag byte) []Key {
	for w := range c.writtenWords() {
		dst = append(dst, makeKey(tokTag, w))
		if runeLen(w) > maxDelRunes {
			dst = append(dst, makeKey(delTag, w))
		} else {
			dst = appendDeletes(dst, delTag, w)
		}
	}
	return dst
}

// prefixKey returns the prefix key of the name ([prefixKeyRunes]); ok is
// false when the name without spaces is shorter.
func (c *companyFeat) prefixKey() (Key, bool) {
	if runeLen(c.joined) < prefixKeyRunes {
		return 0, false
	}
	return makeKey(tagCoPrefix, runePrefix(c.joined, prefixKeyRunes)), true
}

// personFeat is a normalised person name, in Latin script.
type personFeat struct {
	first, middle, last string
	roots               []string // nickname roots of first (may include first)
	// x holds what few names have (a suffix, a middle name, another
	// script), nil for most: a directory holds a million of these.
	x *personExt
}

// personExt is the rarer part of a personFeat.
type personExt struct {
	// suffix is the generational suffix ("jr", "sr", "ii" ...), "" when none.
	suffix string
	// given is first and middle without spaces when there is a middle
	// name ("jeanpierre" of "Jean-Pierre", "xiuying" of "Xiu Ying"), "".
	given string
	// native is the folded name in its own script, without spaces, when
	// it was written in a script that is transliterated (Han, Arabic ...),
	// "" otherwise: its character n-grams are keys, and two names whose
	// native forms differ are not exact even when their transliterations
	// agree (homophones: 王伟 and 汪伟 are both "wang wei").
	native string
	// abjad is set when the name was written in Arabic, Hebrew or another
	// script without vowels: its first and last names are compared by
	// their consonant skeletons too (see normalize.Skeleton).
	abjad bool
}

func (p *personFeat) suffix() string {
	if p.x == nil {
		return ""
	}
	return p.x.suffix
}

func (p *personFeat) given() string {
	if p.x == nil {
		return ""
	}
	return p.x.given
}

func (p *personFeat) native() string {
	if p.x == nil {
		return ""
	}
	return p.x.native
}

func (p *personFeat) abjad() bool { return p.x != nil && p.x.abjad }

// maxNameGrams caps the n-gram keys of a name in an unspaced script.
const maxNameGrams = 8

func newPersonFeat(first, last string) personFeat {
	if strings.TrimSpace(first) == "" && strings.TrimSpace(last) == "" {
		return personFeat{}
	}
	p := normalize.Person(first, last)
	f := personFeat{
		first:  capRunes(p.First, maxCompareRunes),
		middle: capRunes(p.Middle, maxCompareRunes),
		last:   capRunes(p.Last, maxCompareRunes),
	}
	var x personExt
	x.suffix = p.Suffix
	if f.middle != "" && f.first != "" {
		x.given = capRunes(strings.ReplaceAll(p.First+p.Middle, " ", ""), maxCompareRunes)
	}
	if normalize.HasOtherScript(first) || normalize.HasOtherScript(last) {
		// Family name first, as the scripts of East Asia write a whole
		// name, so that the two fields and one field agree.
		x.native = capRunes(strings.ReplaceAll(normalize.Fold(last+" "+first), " ", ""), maxCompareRunes)
		x.abjad = normalize.HasAbjad(first) || normalize.HasAbjad(last)
	}
	if x != (personExt{}) {
		ext := x // only this copy escapes: common names allocate nothing
		f.x = &ext
	}
	if f.first != "" {
		f.roots = normalize.NicknameRoots(f.first)
		if len(f.roots) > maxTokens {
			f.roots = f.roots[:maxTokens:maxTokens]
		}
	}
	return f
}

func (p *personFeat) empty() bool { return p.first == "" && p.last == "" }

// appendKeys appends the keys of the name; query is set for a query, whose
// Latin names also look up the consonant skeletons of names that entities
// wrote in an abjad.
func (p *personFeat) appendKeys(dst []Key, query bool) []Key {
	if strings.IndexByte(p.last, ' ') > 0 {
		// Each of two surnames, as a record may keep either ("López" of
		// "García López").
		for w := range strings.SplitSeq(p.last, " ") {
			if len(w) >= 3 && !normalize.IsStopword(w) {
				dst = append(dst, makeKey(tagPerson, w))
			}
		}
	}
	for _, s := range [2]string{p.first, p.last} {
		if s == "" {
			continue
		}
		dst = append(dst, makeKey(tagPerson, s))
		dst = appendDeletes(dst, tagPersonDel, s)
		if p.abjad() || query {
			// A Latin query meets names written in an abjad through their
			// consonant skeletons. Latin entities are not indexed so:
			// their skeletons would crowd the candidates of Latin queries
			// (measured on dev_febrl3_member: recall@10 0.930 to 0.929),
			// so a query in an abjad finds a Latin profile through its
			// other fields only.
			var buf [maxCompareRunes]byte
			if sk := normalize.AppendSkeleton(buf[:0], s); len(sk) >= minSkeleton {
				dst = append(dst, skeletonKey(sk))
			}
		}
	}
	for _, r := range p.roots {
		dst = append(dst, makeKey(tagPerson, r))
	}
	if g := p.given(); g != "" {
		// "Xiu Ying" meets "Xiuying".
		dst = append(dst, makeKey(tagPerson, g))
	}
	if strings.IndexByte(p.last, ' ') >= 0 {
		// A last name of several words meets the same written as one
		// ("van der Berg", "Vanderberg"), and a compound given name put
		// in the last name's field ("Jean-Claude", whose given-name key
		// above is "jeanclaude").
		var buf [maxCompareRunes * 4]byte
		j := buf[:0]
		for i := 0; i < len(p.last); i++ {
			if p.last[i] != ' ' {
				j = append(j, p.last[i])
			}
		}
		dst = append(dst, makeKey(tagPerson, string(j)))
	}
	if n := p.native(); n != "" {
		var buf [maxNameGrams]string
		for _, g := range normalize.AppendGrams(buf[:0], n, maxNameGrams) {
			dst = append(dst, makeKey(tagPersonGram, g))
		}
	}
	return dst
}

// skeletonKey is makeKey(tagPersonGram, skeletonPrefix+string(sk)) without
// building the string.
func skeletonKey(sk []byte) Key {
	h := uint64(fnvOffset)
	h ^= uint64(tagPersonGram)
	h *= fnvPrime
	h ^= uint64(skeletonPrefix[0])
	h *= fnvPrime
	for _, c := range sk {
		h ^= uint64(c)
		h *= fnvPrime
	}
	return Key(h&^0xff | uint64(tagPersonGram))
}

// skeletonPrefix marks the consonant-skeleton keys among the n-gram keys of
// person names (a skeleton is ASCII, an n-gram is not).
const skeletonPrefix = "~"

// minSkeleton is the shortest consonant skeleton used as a key or compared:
// a skeleton of one consonant fits too many names.
const minSkeleton = 2

// locFeat is a parsed location: a place, and the postal parts of an
// address when it gives them.
type locFeat struct {
	// region is the location's region; for a code alone that a US state
	// and a country share ("MA": Morocco, or Massachusetts;
	// normalize.StateCode), country is the country's reading ("MA") and
	// region the state's ("US-MA").
	city, region, country string
	postal                *postalFeat // nil for a place without street, number, postcode or unit
}

func newLocFeat(s string) locFeat {
	if strings.TrimSpace(s) == "" {
		return locFeat{}
	}
	a := normalize.ParseAddress(s)
	l := locFeat{city: a.Locality, region: a.Region, country: a.Country, postal: newPostalFeat(&a)}
	if state, ok := normalize.StateCode(s); ok {
		l.region = state
	}
	return l
}

// inStateAlt reports whether l, a code alone read as a country, also names
// the US state of o, or a place in the US whose state is unknown.
func (l *locFeat) inStateAlt(o *locFeat) bool {
	return l.country != "US" && strings.HasPrefix(l.region, "US-") && o.country == "US" &&
		(o.region == "" || o.region == l.region)
}

func (l *locFeat) empty() bool {
	return l.city == "" && l.region == "" && l.country == "" && l.postal == nil
}

// titleFeat is a normalised job title.
type titleFeat struct {
	norm   string
	tokens []string
}

func newTitleFeat(s string) titleFeat {
	if strings.TrimSpace(s) == "" {
		return titleFeat{}
	}
	t := normalize.Title(s)
	toks := normalize.Tokens(t)
	if len(toks) > maxTokens {
		toks = toks[:maxTokens:maxTokens]
	}
	return titleFeat{norm: capRunes(t, 4*maxCompareRunes), tokens: toks}
}

// capRunes truncates s to at most n runes (at a rune boundary).
func capRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}
