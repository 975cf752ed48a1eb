package normalize

import (
	_ "embed"
	"encoding/csv"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// CompanyName is a company name in the forms the matcher compares.
type CompanyName struct {
	// Folded is Fold(name).
	Folded string
	// Core is the distinctive part of the name: legal forms removed (at the
	// ends of the name, or anywhere for multi-word forms such as
	// "gesellschaft mit beschrankter haftung"), a trailing "(UK)"-style
	// country and a glued web suffix ("Amazon.com") dropped, a leading "the"
	// (or a trailing one, a catalogue's "Palm, The") dropped, "&" read as
	// "and", and common abbreviations expanded consistently
	// (intl→international, corp→corporation, co→company,
	// mfg→manufacturing, svcs→services, tech→technology ...). A legal-form
	// word is kept when it is the whole name ("Company"). At most
	// [MaxInput] bytes; "" only when the name has no letter or digit.
	Core string
	// Tokens are the words of Core (nil when Core is "").
	Tokens []string
	// LegalForm is the normalised legal form found ("llc", "gmbh", "inc",
	// "ag", "plc", "ooo" ...), "" if none. With several, the outermost one
	// at the end of the name wins.
	LegalForm string
	// InnerLegalForm is the legal form written just before LegalForm when
	// a name stacks two ("co" of "The Neioly Company, Inc.", "co" of
	// "Samsung Electronics Co., Ltd."), "" otherwise. Records drop the
	// outer one ("The Neioly Company"), so that the inner one is what
	// they then show.
	InnerLegalForm string
	// Acronym is made of the initials of Core's significant words
	// ("international business machines" → "ibm"); "" when Core has fewer
	// than two such words.
	Acronym string
}

// Company normalises a company name ("Acme, Inc.", "Siemens
// Aktiengesellschaft", "ООО Ромашка", "Acme Holdings Ltd. (UK)").
func Company(name string) CompanyName {
	if len(name) > MaxInput {
		name = name[:MaxInput]
	}
	name = TradeNameAsQualifier(name)
	c := CompanyName{Folded: Fold(name)}
	var toks []string
	if prepared := joinInitials(stripWebSuffix(stripCountryQualifier(stripFilingQualifier(stripStatusQualifier(name))))); prepared == name && !strings.Contains(name, "&") && !strings.Contains(name, " + ") {
		if c.Folded != "" {
			toks = expandTokens(strings.Split(c.Folded, " ")) // reuse the folding
		}
	} else {
		toks = companyTokens(prepared)
	}
	expandUniversityInitial(name, toks)
	ofConnectives(toks)
	toks = spellNumbers(toks)
	latin := !hasNonLatinLetter(name)
	toks, c.LegalForm, c.InnerLegalForm = stripLegalForms(toks, latin)
	k := ClosingWords(name, toks) // the words of a closing part, read once
	if k > 0 {
		// A form before a closing part: "Petróleo Brasileiro S.A. -
		// Petrobras", "Acme GmbH (Berlin)".
		if head, form, inner := stripLegalForms(toks[:len(toks)-k], latin); len(head) < len(toks)-k {
			toks = append(head, toks[len(toks)-k:]...)
			if c.LegalForm == "" {
				c.LegalForm, c.InnerLegalForm = form, inner
			}
		}
	}
	if len(toks) > 1 && toks[0] == "the" && significant(toks[1:]) {
		toks = toks[1:]
	}
	if n := len(toks); n > 1 && toks[n-1] == "the" && significant(toks[:n-1]) {
		// A catalogue's inverted article: "Palm, The", "Apple Pan the".
		toks = toks[:n-1]
	} else if k > 0 && n > k+1 && toks[n-k-1] == "the" && significant(toks[:n-k-1]) {
		// The same before a branch's qualifier: "Palm, The (Los Angeles)".
		toks = slices.Delete(toks, n-k-1, n-k)
	}
	if n := len(toks); n > 1 && toks[n-1] == "com" {
		// A web suffix written as a word, as filings spell
		// "Amazon.com, Inc.": "AMAZON COM INC".
		toks = toks[:n-1]
	}
	// Expansions can lengthen the name; keep at most MaxInput bytes of
	// whole words.
	for n, i := 0, 0; i < len(toks); i++ {
		if n += len(toks[i]) + 1; n > MaxInput+1 {
			toks = toks[:i]
			break
		}
	}
	c.Tokens = toks
	c.Core = strings.Join(toks, " ")
	c.Acronym = acronym(toks, false)
	return c
}

// ClosingWords returns how many of the last words of toks (a tokenised
// form of name) are the words of a parenthesised part closing name ("Los
// Angeles" of "Spago (Los Angeles)"; see [ClosingPart]), 0 when none or
// when toks is nothing else.
func ClosingWords(name string, toks []string) int {
	_, inner, ok := ClosingPart(name)
	if !ok {
		return 0
	}
	it := Tokens(Fold(inner))
	if len(it) == 0 || len(it) >= len(toks) || !slices.Equal(it, toks[len(toks)-len(it):]) {
		return 0
	}
	return len(it)
}

// stripFilingQualifier removes what registers append to a name as filed:
// state or status codes between slashes ("APPLE INC /CA/", "BERKSHIRE
// HATHAWAY INC /DE/", "ACME CORP /NEW/") and an inverted article after a
// slash ("Walt Disney Co/The").
func stripFilingQualifier(name string) string {
	s := strings.TrimRight(name, " \t")
	for {
		switch {
		case len(s) > 4 && strings.EqualFold(s[len(s)-4:], "/the"):
			s = strings.TrimRight(s[:len(s)-4], " \t")
			continue
		case strings.HasSuffix(s, "/"):
			i := strings.LastIndexByte(s[:len(s)-1], '/')
			if inner := s[i+1 : len(s)-1]; i > 0 && len(inner) >= 2 && len(inner) <= 4 && isLetters(strings.ToLower(inner)) {
				s = strings.TrimRight(s[:i], " \t")
				continue
			}
		}
		break
	}
	if s == "" || len(s) == len(strings.TrimRight(name, " \t")) {
		return name
	}
	return s
}

// stripStatusQualifier removes what a CRM or a register writes beside a
// name to mark the record's status or role rather than to name the
// company: a closing bracket or a part after " - " ("Acme Ltd (in
// liquidation)", "Acme Corp (Inactive)", "Acme - DO NOT USE", "Acme Inc -
// HQ", "Acme [Customer]") or a part before " - " ("DUPLICATE - Acme"),
// whose words are all status words, and a mailing note with what follows
// it ("Acme Inc c/o John Smith", "Acme Ltd, Attn: Accounts Payable").
func stripStatusQualifier(name string) string {
	s := strings.TrimSpace(name)
	if i := careOf(s); i > 0 {
		s = strings.TrimSpace(s[:i])
	}
	for {
		if head, inner, ok := ClosingPart(s); ok && statusWords(inner) && Fold(head) != "" {
			s = strings.TrimSpace(head)
			continue
		}
		if i := strings.LastIndexByte(s, '['); i > 0 && strings.HasSuffix(s, "]") && statusWords(s[i+1:len(s)-1]) && Fold(s[:i]) != "" {
			s = strings.TrimSpace(s[:i])
			continue
		}
		if i := strings.LastIndex(s, " - "); i > 0 && statusWords(s[i+3:]) && Fold(s[:i]) != "" {
			s = strings.TrimSpace(s[:i])
			continue
		}
		if i := strings.Index(s, " - "); i > 0 && statusWords(s[:i]) && Fold(s[i+3:]) != "" {
			s = strings.TrimSpace(s[i+3:])
			continue
		}
		break
	}
	if len(s) == len(strings.TrimSpace(name)) {
		return name
	}
	return s
}

// careOf returns where a mailing note begins in a company name ("Acme Inc
// c/o John Smith", "Acme Ltd, Attn: Accounts Payable"), -1 when there is
// none: the name is what comes before it. It does not allocate.
func careOf(s string) int {
	for i := 1; i < len(s); i++ {
		if s[i] != ' ' {
			continue
		}
		for _, note := range [...]string{" c/o ", " attn:", " attn.", " attn ", " attention:", " attention "} {
			if len(s)-i >= len(note) && strings.EqualFold(s[i:i+len(note)], note) && strings.TrimRight(s[:i], " ,-") != "" {
				return i
			}
		}
	}
	return -1
}

// statusWords reports whether the words of s all mark a record's status or
// role in a CRM ("Inactive", "HQ", "Billing", "Parent"), one of them more
// than a connective ("in", "do not").
func statusWords(s string) bool {
	strong := false
	for _, t := range Tokens(Fold(s)) {
		switch t {
		case "liquidation", "administration", "receivership", "dissolved", "inactive", "defunct",
			"closed", "duplicate", "dup", "deleted", "obsolete", "archived", "dormant", "bankrupt",
			"bankruptcy", "insolvent", "old", "use", "hq", "headquarters", "billing", "parent",
			"prospect", "customer", "vendor", "supplier", "office":
			strong = true
		case "in", "voluntary", "creditors", "members", "do", "not", "struck", "off", "dont",
			"account", "main", "head", "corporate":
		default:
			return false
		}
	}
	return strong
}

// NoEmployer reports whether core, the [CompanyName.Core] of a person's
// employer field, names no company: a placeholder ("N/A", "none",
// "unknown") or a status ("Self-employed", "Freelance", "Retired",
// "Student"). Compared as company names, two such fields would agree as if
// on one employer, and one of them would disagree with the employer the
// person's profile names.
func NoEmployer(core string) bool {
	switch core {
	case "n a", "na", "none", "nil", "null", "unknown", "tbd", "tba", "other", "various",
		"not applicable", "not employed", "unemployed", "between jobs", "self", "self employed",
		"selfemployed", "freelance", "freelancer", "independent", "retired", "student",
		"homemaker", "confidential", "private", "stealth", "stealth mode", "stealth startup":
		return true
	}
	return false
}

// stripCountryQualifier removes a trailing parenthesised country from name:
// "Acme Holdings Ltd. (UK)" → "Acme Holdings Ltd.", and one left open, as a
// field cut short leaves it ("Huawei Technologies Inc. (USA").
func stripCountryQualifier(name string) string {
	head, inner, ok := ClosingPart(name)
	if !ok || Fold(head) == "" {
		// Nothing named before the bracket ("!(AC"): the country is
		// the name.
		return name
	}
	inner = strings.TrimSpace(inner)
	g := geo()
	if _, ok := g.countryByName[placeLong(Fold(inner))]; ok {
		return head
	}
	if code, ok := upperCode(inner); ok {
		if _, ok := g.countryByCode[code]; ok {
			return head
		}
	}
	// A state of incorporation after the legal form ("Acme Inc.
	// (Delaware)", "Acme Corp (NY)"); a place after a name without one is
	// a branch's ("Spago (Los Angeles)") and stays.
	r, ok := g.regionByName[placeLong(Fold(inner))]
	if !ok {
		if code, isCode := upperCode(inner); isCode {
			r, ok = g.regionByCode[code]
		}
	}
	if ok && r.country == "US" && endsWithLegalForm(companyTokens(head)) {
		return head
	}
	return name
}

// endsWithLegalForm reports whether the words toks, of a Latin-script
// name, end with a legal form that leaves a name before it.
func endsWithLegalForm(toks []string) bool { return legalFormTable().covers(toks, 1, true) }

// covers reports whether the last n words of toks, for some n of least or
// more that leaves a word before them, are the alias of a legal form.
func (lf *legalForms) covers(toks []string, least int, latin bool) bool {
	for n := least; n <= lf.maxTokens && n < len(toks); n++ {
		if _, ok := lf.alias(toks[len(toks)-n:], latin); ok {
			return true
		}
	}
	return false
}

// alias returns the legal form whose alias is the words t, space-joined,
// without allocating; an alias known only in a non-Latin script does not
// count in a Latin name.
func (lf *legalForms) alias(t []string, latin bool) (legalForm, bool) {
	var buf [128]byte
	key := buf[:0]
	for i, s := range t {
		if i > 0 {
			key = append(key, ' ')
		}
		key = append(key, s...)
	}
	f, ok := lf.byAlias[string(key)] // no allocation for the lookup
	if ok && f.nonLatin && latin {
		return legalForm{}, false
	}
	return f, ok
}

// TradeNameAsQualifier writes a name that gives a second name after "dba"
// ("doing business as"), "d/b/a", "t/a", "trading as", "aka" or "a/k/a" with
// the second name in closing brackets: "Acme Holdings LLC dba Widget World"
// as "Acme Holdings LLC (Widget World)". Registers and CRMs hold a business
// under its legal name, its trade name or both, and a closing bracketed
// part is another name the name gives itself ([ClosingPart]), so that each
// of the two meets the whole. Other names are returned as they are,
// without allocating.
func TradeNameAsQualifier(name string) string {
	start := 0 // of the word being read
	for i := 0; i <= len(name); i++ {
		if i < len(name) && name[i] != ' ' {
			continue
		}
		w, next := name[start:i], i+1
		start = next
		if w == "" || next >= len(name) {
			continue
		}
		n := 0 // the separator's length in bytes, from the start of w
		switch {
		case tradeSeparator(w):
			n = len(w)
		case strings.EqualFold(w, "trading") && len(name) > next+3 && strings.EqualFold(name[next:next+3], "as "):
			n = len(w) + 3
		}
		if n == 0 {
			continue
		}
		head := strings.TrimRight(name[:i-len(w)], " ,;-")
		tail := strings.TrimSpace(name[i-len(w)+n:])
		if Fold(head) == "" || Fold(tail) == "" || strings.HasSuffix(tail, ")") {
			return name
		}
		return head + " (" + tail + ")"
	}
	return formDashQualifier(name)
}

// formDashQualifier writes a name whose legal form is followed by a dash
// and more words the same way, the words after the dash in closing
// brackets: "Petróleo Brasileiro S.A. - Petrobras" as "Petróleo
// Brasileiro S.A. (Petrobras)", "Acme Ltd - London" as "Acme Ltd
// (London)". A legal form ends a company's name, so what follows it is
// another name, a branch or a place. Names without a dash are returned as
// they are, without allocating.
func formDashQualifier(name string) string {
	for from := 0; from < len(name); {
		i, w := nextDash(name[from:])
		if i < 0 {
			return name
		}
		i += from
		head := strings.TrimSpace(name[:i])
		tail := strings.TrimSpace(name[i+w:])
		from = i + w
		if tail == "" || strings.ContainsAny(tail, "()") {
			continue
		}
		if endsWithLegalForm(companyTokens(head)) {
			return head + " (" + tail + ")"
		}
	}
	return name
}

// nextDash returns where the first dash written between spaces (" - ",
// " – ", " — ") starts in s and its length with the spaces, or -1.
func nextDash(s string) (int, int) {
	best, width := -1, 0
	for _, d := range [...]string{" - ", " – ", " — "} {
		if i := strings.Index(s, d); i >= 0 && (best < 0 || i < best) {
			best, width = i, len(d)
		}
	}
	return best, width
}

// tradeSeparator reports whether w introduces a business's other name.
func tradeSeparator(w string) bool {
	for _, sep := range [...]string{"dba", "d/b/a", "d.b.a.", "d.b.a", "t/a", "aka", "a/k/a", "a.k.a.", "a.k.a"} {
		if strings.EqualFold(w, sep) {
			return true
		}
	}
	return false
}

// ClosingPart splits a name that ends in a parenthesised part into what
// comes before the bracket and what is inside it: "Spago (Los Angeles)"
// gives "Spago " and "Los Angeles". A bracket left open at the end, as a
// field cut short leaves it ("China Academy of Telecommunication Research
// (CATR"), closes the name too. ok is false when the name has no such part
// or nothing before it.
func ClosingPart(name string) (head, inner string, ok bool) {
	s := strings.TrimSpace(name)
	i := strings.LastIndexByte(s, '(')
	if i <= 0 {
		return "", "", false
	}
	inner = s[i+1:]
	switch j := strings.IndexByte(inner, ')'); {
	case j >= 0 && j == len(inner)-1:
		inner = inner[:j]
	case j >= 0:
		return "", "", false
	}
	return s[:i], inner, true
}

// joinInitials writes an initialism spelt with full stops as one word:
// "I.B.M." and "I. B. M." as "IBM", "J.P. Morgan" and "J. P. Morgan" as
// "JP Morgan", "S.p.A." as "SpA", as the same names are also written.
// Read letter by letter, an initialism's last letters could pass for a
// legal form ("B M" of "I.B.M.") and its letters would each be a word of
// their own. A single initial ("John F. Kennedy Center") is left alone.
func joinInitials(name string) string {
	if !hasInitials(name) {
		return name // most names: no allocation
	}
	fields := strings.Fields(name)
	out := fields[:0] // in place: a run is read before its word is written
	changed := false
	var scratch [64]byte
	for i := 0; i < len(fields); {
		letters, tail, n := scratch[:0], "", 0
		for j := i; j < len(fields); j++ {
			l, t, ok := initials(letters, fields[j])
			if !ok || tail != "" { // punctuation after a run ends it
				break
			}
			letters, tail, n = l, t, n+1
		}
		if n == 0 || utf8.RuneCount(letters) < 2 {
			out = append(out, fields[i])
			i++
			continue
		}
		out = append(out, string(append(letters, tail...)))
		changed = true
		i += n
	}
	if !changed {
		return name
	}
	return strings.Join(out, " ")
}

// hasInitials reports whether name may hold an initialism joinInitials
// writes as one word: two letters, each alone between a start, a space or a
// full stop and a full stop ("I.B.M.", "J. P."). It does not allocate.
func hasInitials(name string) bool {
	n := 0
	for i := strings.IndexByte(name, '.'); i > 0; {
		r, size := utf8.DecodeLastRuneInString(name[:i])
		if unicode.IsLetter(r) {
			before := i - size
			if before == 0 || name[before-1] == ' ' || name[before-1] == '.' {
				if n++; n == 2 {
					return true
				}
			}
		}
		next := strings.IndexByte(name[i+1:], '.')
		if next < 0 {
			break
		}
		i += 1 + next
	}
	return false
}

// initials appends to dst the letters of f when f is letters each followed
// by a full stop ("I.", "U.C.", "S.p.A."; the last stop may be missing when
// there are several, "U.S.A"), and returns them with what punctuation
// follows ("," of "S.A.,"); ok is false otherwise.
func initials(dst []byte, f string) (letters []byte, tail string, ok bool) {
	end := len(strings.TrimRight(f, ",;:"))
	f, tail = f[:end], f[end:]
	stops := 0
	for i := 0; i < len(f); {
		r, size := utf8.DecodeRuneInString(f[i:])
		if !unicode.IsLetter(r) {
			return dst, "", false
		}
		dst = append(dst, f[i:i+size]...)
		i += size
		switch {
		case i < len(f) && f[i] == '.':
			stops++
			i++
		case i < len(f) || stops == 0:
			return dst, "", false // two letters in a row, or no stop at all
		}
	}
	if stops == 0 {
		return dst, "", false
	}
	return dst, tail, true
}

// stripWebSuffix removes a web suffix glued to a word, as in
// "Amazon.com, Inc." or "Booking.com": the brand is the word before it.
func stripWebSuffix(name string) string {
	for i := strings.IndexByte(name, '.'); i >= 0; {
		if i > 0 && isWordByte(name[i-1]) {
			end := i + 1
			for end < len(name) && asciiLetter(name[end]) {
				end++
			}
			if end == len(name) || (!isWordByte(name[end]) && name[end] != '.') {
				switch strings.ToLower(name[i+1 : end]) {
				case "com", "net", "org", "io", "ai", "co":
					if Fold(name[:i]) != "" {
						return name[:i] + " " + name[end:]
					}
				}
			}
		}
		next := strings.IndexByte(name[i+1:], '.')
		if next < 0 {
			break
		}
		i += 1 + next
	}
	return name
}

func asciiLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// isWordByte reports whether c is an ASCII letter or digit or part of a
// non-ASCII character.
func isWordByte(c byte) bool { return asciiLetter(c) || c >= '0' && c <= '9' || c >= utf8.RuneSelf }

// companyTokens folds name, reading "&" and a spaced "+" as "and", and
// expands abbreviations.
func companyTokens(name string) []string {
	if strings.Contains(name, "&") {
		// "&amp;" is an ampersand, not "and amp".
		name = strings.ReplaceAll(joinAmpInitials(unescapeEntities(name)), "&", " and ")
	}
	if strings.Contains(name, " + ") {
		name = strings.ReplaceAll(name, " + ", " and ") // not in "C++", "Disney+"
	}
	return expandTokens(Tokens(name))
}

// maxAmpInitials is the longest group of letters on either side of an
// ampersand that joins with the other into one initialism.
const maxAmpInitials = 2

// joinAmpInitials writes an initialism joined by an ampersand as one word:
// "AT&T" and "AT & T" as "ATT", "P&G" as "PG", "E&Y" as "EY", as the
// initialism is also written ("ATT Labs"); "Johnson & Johnson" stays.
func joinAmpInitials(name string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(name); i++ {
		if name[i] != '&' {
			continue
		}
		l := i
		if l > 0 && name[l-1] == ' ' {
			l--
		}
		ls := letterRunStart(name[:l])
		r := i + 1
		if r < len(name) && name[r] == ' ' {
			r++
		}
		re := r + letterRunEnd(name[r:])
		if ls < last || !shortRun(name[ls:l]) || !shortRun(name[r:re]) {
			continue
		}
		b.WriteString(name[last:ls])
		b.WriteString(name[ls:l])
		b.WriteString(name[r:re])
		last, i = re, re-1
	}
	if last == 0 {
		return name
	}
	b.WriteString(name[last:])
	return b.String()
}

// letterRunStart returns where the letters ending s begin.
func letterRunStart(s string) int {
	i := len(s)
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if !unicode.IsLetter(r) {
			break
		}
		i -= size
	}
	return i
}

// letterRunEnd returns where the letters starting s end.
func letterRunEnd(s string) int {
	for i, r := range s {
		if !unicode.IsLetter(r) {
			return i
		}
	}
	return len(s)
}

// shortRun reports whether run holds 1 to maxAmpInitials letters.
func shortRun(run string) bool {
	n := utf8.RuneCountInString(run)
	return n >= 1 && n <= maxAmpInitials
}

// expandTokens joins "co" prefixes and expands abbreviations in place.
func expandTokens(toks []string) []string {
	for i := 0; i < len(toks); i++ {
		if toks[i] == "co" && i+1 < len(toks) && coPrefixed(toks[i+1]) {
			toks[i] += toks[i+1] // "co-operative" → "cooperative"
			toks = slices.Delete(toks, i+1, i+2)
		}
		toks[i] = expandCompanyWord(toks[i])
	}
	return toks
}

func coPrefixed(t string) bool {
	switch t {
	case "op", "ops", "operative", "operatives", "operation", "operations", "operativa",
		"operatie", "operator", "founder", "founders", "owner", "owners", "working", "packer":
		return true
	}
	return false
}

// companyWordLong is the word each short form of a company name stands for:
// normalisation writes the word ("hldgs" becomes "holdings"), except for
// the place words at the end of the table.
var companyWordLong = map[string]string{
	"intl": "international", "internat": "international", "int": "international",
	"corp": "corporation", "crop": "corporation",
	"co": "company", "cie": "company", "comp": "company",
	"mfg": "manufacturing", "mfrs": "manufacturing", "mfr": "manufacturing",
	"svcs": "services", "svc": "services", "servs": "services",
	"tech": "technology", "techs": "technology", "technologies": "technology",
	"assoc": "associates", "assocs": "associates", "assn": "association", "assns": "association",
	"bros": "brothers",
	"natl": "national", "nat": "national",
	"univ": "university", "uni": "university",
	"inst":  "institute",
	"grp":   "group",
	"hldgs": "holdings", "hldg": "holdings", "hlds": "holdings",
	"mgmt": "management", "mgt": "management",
	"sys": "systems", "syst": "systems",
	"inds": "industries", "ind": "industries", "indus": "industries",
	"labs": "laboratories",
	"lab":  "laboratory",
	"ctr":  "center", "centre": "center",
	"engg": "engineering", "engr": "engineering", "eng": "engineering",
	"cnslt": "consulting", "cnsltg": "consulting", "cnsltng": "consulting", "consult": "consulting", "cnsl": "consulting",
	"comms": "communications", "comm": "communications", "commns": "communications", "comns": "communications",
	"dept": "department",
	"sols": "solutions", "soln": "solutions", "solns": "solutions",
	"dev": "development", "devel": "development",
	"fin":    "financial",
	"ins":    "insurance",
	"pharma": "pharmaceuticals", "pharm": "pharmaceuticals",
	"und": "and", "et": "and", "y": "and",
	"med": "medical", "hosp": "hospital", "hosps": "hospitals", "hlth": "health",
	"meml": "memorial", "regl": "regional", "rgnl": "regional", "cmty": "community", "cmnty": "community",
	"ctrs": "centers", "centres": "centers", "clin": "clinic",
	// Place words the other way: "St." is Saint far more often than the
	// Street ("Main St Bakery") whose short form it also is, so both
	// spellings of a saint's name meet on the short one.
	"saint": "st", "sainte": "ste", "mount": "mt", "fort": "ft",
}

// companyWordCognates are the words that name a kind of institution in
// the languages of Europe, by the English word they are written as
// ("Universität Bremen" and "University of Bremen", "Politecnico di Bari"
// and "Polytechnic University of Bari"): registers and CRMs hold one
// organisation under its own language's name and under its English one.
// Only words that name nothing else are listed (not "Sociedad" or
// "Stiftung", which are legal forms, nor "Banco", which is also a brand's
// word); the keys are folded.
var companyWordCognates = map[string]string{
	"universitat": "university", "universidad": "university", "universidade": "university",
	"universite": "university", "universita": "university", "universiteit": "university",
	"uniwersytet": "university", "univerzita": "university", "universitet": "university",
	"universitatea": "university", "universiti": "university",
	"institut": "institute", "instituto": "institute", "istituto": "institute",
	"instituut": "institute", "instytut": "institute",
	"politecnico": "polytechnic", "politecnica": "polytechnic", "polytechnique": "polytechnic",
	"politechnika": "polytechnic", "politehnica": "polytechnic", "polytechnika": "polytechnic",
	"technische": "technical", "technischen": "technical",
	"laboratorio": "laboratory", "laboratoire": "laboratory", "laboratorium": "laboratory",
	"hochschule": "college", "fachhochschule": "college",
	"fundacion": "foundation", "fundacio": "foundation", "fundacao": "foundation",
	"fondation": "foundation", "fondazione": "foundation", "stiftung": "foundation",
	"stichting": "foundation", "fundacja": "foundation",
	"asociacion": "association", "associacao": "association", "associazione": "association",
	"associacio": "association",
	"centro":     "center", "centrum": "center", "zentrum": "center",
}

// expandCompanyWord returns the word the short form or the cognate t stands
// for, t itself when it is none.
func expandCompanyWord(t string) string {
	if w, ok := companyWordLong[t]; ok {
		return w
	}
	if w, ok := companyWordCognates[t]; ok {
		return w
	}
	return t
}

var (
	numberUnits = [...]string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
		"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"}
	numberTens     = [...]string{"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
	numberOrdinals = [...]string{"zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
		"tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth"}
	numberTenths = [...]string{"", "", "twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth", "seventieth", "eightieth", "ninetieth"}
)

// spellNumbers writes a word that is a number below 100, or its ordinal,
// in English words, as names also spell them: "7 Eleven" as "seven
// eleven", "1st National Bank" as "first national bank", "21st Century
// Fox" as "twenty first century fox" (the hyphen of "Twenty-First" folds
// to a space). A number of three digits or more, or with a leading zero,
// stays as written ("Studio 54" is spelt, "1-800-Flowers" keeps its 800).
// toks is returned, or a new slice when a number took two words.
func spellNumbers(toks []string) []string {
	var out []string
	for i, t := range toks {
		w1, w2 := numberWords(t)
		if w1 == "" {
			if out != nil {
				out = append(out, t)
			}
			continue
		}
		if out == nil {
			out = append(make([]string, 0, len(toks)+2), toks[:i]...)
		}
		out = append(out, w1)
		if w2 != "" {
			out = append(out, w2)
		}
	}
	if out == nil {
		return toks
	}
	return out
}

// numberWords returns the English words of t, one or two ("twenty",
// "one"), when t is a number below 100 ("7", "42") or its ordinal ("1st",
// "23rd"); "" otherwise.
func numberWords(t string) (string, string) {
	if t == "" || t[0] < '0' || t[0] > '9' || len(t) > 4 {
		return "", ""
	}
	n, i := 0, 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		n = n*10 + int(t[i]-'0')
		i++
	}
	if i > 2 || i == 2 && t[0] == '0' {
		return "", ""
	}
	units, tens := numberUnits[:], numberTens[:] // cardinals
	switch suffix := t[i:]; {
	case suffix == ordinalSuffix(n):
		units, tens = numberOrdinals[:], numberTenths[:]
	case suffix != "":
		return "", ""
	}
	switch {
	case n < 20:
		return units[n], ""
	case n%10 == 0:
		return tens[n/10], ""
	}
	return numberTens[n/10], units[n%10]
}

// ordinalSuffix returns the suffix English writes after the ordinal n in
// digits ("st" of 21, "th" of 11).
func ordinalSuffix(n int) string {
	if n%100 >= 11 && n%100 <= 13 {
		return "th"
	}
	switch n % 10 {
	case 1:
		return "st"
	case 2:
		return "nd"
	case 3:
		return "rd"
	}
	return "th"
}

// ofConnectives writes "of" for the Romance words that mean it, after a
// name's first word ("Universidade de Aveiro" as "university of aveiro",
// "Politecnico di Bari", "Banco del Bajío"), so that an organisation's name
// in its own language and in English share their connective as they share
// their other words. A first word is left alone: there "De" or "Da" is
// most often a family name's particle ("De Vries Transport").
func ofConnectives(toks []string) {
	for i := 1; i < len(toks); i++ {
		switch toks[i] {
		case "de", "di", "da", "du", "des", "del", "della", "delle", "dei", "degli":
			toks[i] = "of"
		}
	}
}

// leadingInitialU reports whether name begins with "U. " (or "u. ").
func leadingInitialU(name string) bool {
	name = strings.TrimLeft(name, " \t")
	return len(name) >= 3 && (name[0] == 'U' || name[0] == 'u') && name[1] == '.' && name[2] == ' '
}

// expandUniversityInitial writes "university" for a "U" that stands for it
// in toks, the tokens of name: at the end of a name ("Columbia U",
// "Harvard U."), before "of" ("U of Michigan") and as a leading "U."
// before a word ("U. Delaware"). Elsewhere a lone U is too often a
// letter of its own ("U-Haul", "U.S. Steel").
func expandUniversityInitial(name string, toks []string) {
	n := len(toks)
	if n < 2 {
		return
	}
	word := func(t string) bool { return utf8.RuneCountInString(t) >= 2 }
	if toks[n-1] == "u" && word(toks[n-2]) && !isStopword(toks[n-2]) {
		toks[n-1] = "university"
	}
	if toks[0] == "u" && word(toks[1]) &&
		(toks[1] == "of" || leadingInitialU(name)) {
		toks[0] = "university"
	}
}

// companyWordForms are the short forms of four letters or more that
// expandCompanyWord takes to each word, by the word. A short form with a
// typo ("Hldsg", "Techh", "Pnarma") is not expanded, and compares with the
// forms rather than with the long word ("holdings", "technology").
var companyWordForms = func() map[string][]string {
	m := make(map[string][]string)
	for short, long := range companyWordLong {
		if len(short) >= 4 {
			m[long] = append(m[long], short)
		}
	}
	for _, forms := range m {
		slices.Sort(forms) // map order is random; comparisons take the first best
	}
	return m
}()

// CompanyWordForms returns the short forms (of four letters or more) that
// Company expands to the word w of a name's tokens ("hldgs" and "hlds" of
// "holdings"), nil when w is not such an expansion. The slice is shared:
// callers must not modify it.
func CompanyWordForms(w string) []string { return companyWordForms[w] }

// LegalFormCode returns a small number that stands for the legal form
// form (a CompanyName.LegalForm), the same for the same form within one
// process, written out or abbreviated; 0 for "" and for a string that is no
// legal form. The limited companies written with a qualifier ("Pvt Ltd",
// "Pty Ltd", "Pte Ltd", "Co., Ltd.") have the code of "Ltd": the lists
// read "Private Limited" and "Company Limited" as "Ltd", and records drop
// the qualifier.
func LegalFormCode(form string) uint16 {
	if form == "" {
		return 0
	}
	if f, ok := limitedForms[form]; ok {
		form = f
	}
	return legalFormTable().codes[form]
}

// qualifierForm returns the qualifier of a qualified limited-company form
// when it is a legal form itself ("co" of "coltd", written "Co., Ltd."),
// "" otherwise.
func qualifierForm(form string) string {
	if limitedForms[form] == "" {
		return ""
	}
	q := strings.TrimSuffix(form, "ltd")
	if legalFormTable().codes[q] == 0 {
		return ""
	}
	return q
}

// limitedForms maps the qualified limited-company forms to "ltd".
var limitedForms = map[string]string{"pvtltd": "ltd", "ptyltd": "ltd", "pteltd": "ltd", "coltd": "ltd"}

// legalForm describes one legal-form alias.
type legalForm struct {
	form    string // normalised legal form reported in LegalForm
	leading bool   // may be stripped at the start of a name
	single  bool   // one word: stripped only at the ends of a name
	// nonLatin: a short alias known only in a non-Latin script ("ГО", "УП"),
	// stripped only from names that are not all Latin, since its
	// transliteration ("go", "up") is an ordinary English word.
	nonLatin bool
}

// legalForms is the alias table, keyed by the space-joined expanded tokens of
// each alias.
type legalForms struct {
	byAlias   map[string]legalForm
	maxTokens int
	codes     map[string]uint16 // 1 + index of each form
}

//go:embed data/rigour_org_types.csv
var rigourCSV string

//go:embed data/cleanco_terms_by_type.csv
var cleancoTypeCSV string

//go:embed data/cleanco_terms_by_country.csv
var cleancoCountryCSV string

func readCSV(name, data string) [][]string {
	r := csv.NewReader(strings.NewReader(data))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		panic("normalize: embedded " + name + ": " + err.Error()) // embedded data, cannot happen
	}
	if len(recs) > 0 {
		recs = recs[1:] // header
	}
	return recs
}

// leadingShort are the short legal forms commonly written before the name.
func leadingShort(alias string) bool {
	switch alias {
	case "pt", "cv", "ud", "ooo", "oao", "zao", "pao", "ao", "tov", "tob", "jsc",
		"ojsc", "cjsc", "pjsc", "ip", "chp", "gup", "mup", "fgup", "kt", "pp":
		return true
	}
	return false
}

// deniedAlias are aliases in the source lists, written in Latin script,
// that are ordinary words or too ambiguous to strip at all. (The same
// letters transliterated from a non-Latin alias, such as "ГО", still apply
// to non-Latin names.)
func deniedAlias(alias string) bool {
	switch alias {
	case "in", "at", "et", "ent", "term", "type", "and", "the", "of", "a", "i", "de",
		"la", "le", "el", "y", "the company", "ok", "so", "uk", "usa", "us", "up", "ip",
		"vat", "ep", "ee", "ei", "ll", "lt", "fa", "da", "og", "xt", "yu", "pr", "go", "do",
		"or", "op", "po", "st", "to", "no", "on", "it", "is", "be", "eu",
		"ii", "iii", "iv", "vi": // a fund's or a generation's number, not Moldova's "II"
		return true
	}
	return false
}

var legalFormTable = sync.OnceValue(func() *legalForms {
	lf := &legalForms{byAlias: make(map[string]legalForm, 3000), codes: make(map[string]uint16, 1000)}
	addTokens := func(toks []string, alias, form string, cyrillic bool) {
		if len(toks) == 0 {
			return
		}
		key := strings.Join(toks, " ")
		raw := strings.ReplaceAll(Fold(alias), " ", "")
		short := len(raw) <= 3
		nonLatin := short && !hasLatin(alias)
		if deniedAlias(key) && !nonLatin {
			return
		}
		if prev, dup := lf.byAlias[key]; dup {
			if prev.nonLatin && !nonLatin {
				prev.nonLatin = false // also written in Latin script
				lf.byAlias[key] = prev
			}
			return
		}
		if _, ok := lf.codes[form]; !ok {
			lf.codes[form] = uint16(len(lf.codes) + 1)
		}
		lf.byAlias[key] = legalForm{
			form:     form,
			single:   len(toks) == 1 || short,
			leading:  cyrillic || leadingShort(raw) || (len(toks) > 1 && !short),
			nonLatin: nonLatin,
		}
		lf.maxTokens = max(lf.maxTokens, len(toks))
	}
	// An alias's words are read as a name's are, so that its key is the
	// words Company strips: "S.A. de C.V." is "sa of cv" in a name, whose
	// Romance connectives become "of" (ofConnectives).
	tokens := func(alias string) []string {
		toks := companyTokens(alias)
		ofConnectives(toks)
		return toks
	}
	add := func(alias, form string, cyrillic bool) {
		addTokens(tokens(alias), alias, form, cyrillic)
		if joined := joinInitials(alias); joined != alias {
			// "S.L." is read "s l" and, as Company joins initials, "sl".
			addTokens(tokens(joined), alias, form, cyrillic)
		}
	}
	rigour := readCSV("rigour_org_types.csv", rigourCSV)
	formOf := func(rec []string) string {
		for _, s := range rec[1:4] { // display, compare, generic
			if form := strings.ReplaceAll(Fold(s), " ", ""); form != "" {
				return form
			}
		}
		return strings.ReplaceAll(Fold(rec[4]), " ", "")
	}
	for _, rec := range rigour {
		if len(rec) == 5 {
			add(rec[4], formOf(rec), hasCyrillic(rec[4]))
		}
	}
	// The display and compare forms ("PJSC", "SAB de CV") are aliases too,
	// after the aliases proper, which win on a clash.
	for _, rec := range rigour {
		if len(rec) == 5 {
			for _, s := range rec[1:3] {
				add(s, formOf(rec), hasCyrillic(s))
			}
		}
	}
	for _, data := range [...]struct{ name, csv string }{
		{"cleanco_terms_by_type.csv", cleancoTypeCSV},
		{"cleanco_terms_by_country.csv", cleancoCountryCSV},
	} {
		for _, rec := range readCSV(data.name, data.csv) {
			if len(rec) != 2 {
				continue
			}
			add(rec[1], strings.ReplaceAll(Fold(rec[1]), " ", ""), hasCyrillic(rec[1]))
		}
	}
	// A few forms the lists miss, written by hand.
	for _, a := range [...][2]string{
		{"AB (publ)", "ab"}, {"SLU", "slu"}, {"S.L.U.", "slu"}, {"ME", "me"}, {"Tbk", "tbk"},
		{"S.A.B. de C.V.", "sabdecv"}, {"SAB de CV", "sabdecv"}, {"Kabushiki Kaisha", "kk"},
		{"Sdn Bhd", "sdnbhd"}, {"Sdn. Bhd.", "sdnbhd"}, {"Pty Ltd", "ptyltd"}, {"Pte Ltd", "pteltd"},
		// India's form written out or cut short: one form, so that a form
		// stacked before it ("& Co. Private Limited") is the inner one,
		// not "private", and "(P) Ltd" leaves no "p" in the core.
		{"Private Limited", "pvtltd"}, {"Private Ltd", "pvtltd"}, {"Pvt Limited", "pvtltd"},
		{"P Ltd", "pvtltd"}, {"P Limited", "pvtltd"},
	} {
		add(a[0], a[1], false)
	}
	return lf
})

func hasLatin(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Latin, r) {
			return true
		}
	}
	return false
}

func hasCyrillic(s string) bool {
	for _, r := range s {
		if r >= 0x400 && r <= 0x52F {
			return true
		}
	}
	return false
}

// hasNonLatinLetter reports whether s has a letter of a script other than
// Latin.
func hasNonLatinLetter(s string) bool {
	for _, r := range s {
		if r >= utf8.RuneSelf && unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
			return true
		}
	}
	return false
}

// stripLegalForms removes legal forms from toks (see [CompanyName.Core]) and
// returns the remaining tokens, the legal form found and the one written
// just before it at the end of the name ([CompanyName.InnerLegalForm]).
func stripLegalForms(toks []string, latin bool) ([]string, string, string) {
	lf := legalFormTable()
	form, inner := "", ""
	if n := len(toks); n > 2 && (toks[n-1] == "il" || toks[n-1] == "ig") && endsWithLegalForm(toks[:n-1]) {
		// A German company's status after its form: "i.L." (in
		// liquidation), "i.G." (being founded).
		toks = toks[:n-1]
	}
	if n := len(toks); n > 3 && toks[n-1] == "cv" && toks[n-2] == "of" && !lf.covers(toks, 3, latin) && endsWithLegalForm(toks[:n-2]) {
		// Mexico's "de C.V." (variable capital) after any form: "S.A.S.
		// de C.V.", where the table holds only some forms with it.
		toks = toks[:n-2]
	}
	// Trailing forms, repeatedly ("Acme Co. Ltd").
	for changed := true; changed; {
		changed = false
		for n := min(lf.maxTokens, len(toks)-1); n >= 1; n-- {
			if f, ok := lf.alias(toks[len(toks)-n:], latin); ok && significant(toks[:len(toks)-n]) {
				toks = toks[:len(toks)-n]
				switch {
				case form == "":
					form = f.form
					inner = qualifierForm(f.form)
				case inner == "":
					inner = f.form
				}
				changed = true
				break
			}
		}
	}
	if form != "" && len(toks) > 1 && toks[len(toks)-1] == "and" {
		// The "&" of a partnership's "& Co." read with the form after it
		// ("Smith & Co. Ltd", "Co. Ltd" a form of its own): no name ends
		// with it.
		toks = toks[:len(toks)-1]
	}
	// Leading forms ("ООО Ромашка", "PT Telkom").
	for changed := true; changed; {
		changed = false
		for n := min(lf.maxTokens, len(toks)-1); n >= 1; n-- {
			if f, ok := lf.alias(toks[:n], latin); ok && f.leading && significant(toks[n:]) {
				toks = toks[n:]
				if form == "" {
					form = f.form
				}
				changed = true
				break
			}
		}
	}
	// Multi-word forms in the middle.
	for i := 1; i < len(toks)-1; i++ {
		for n := min(lf.maxTokens, len(toks)-1-i); n >= 2; n-- {
			f, ok := lf.alias(toks[i:i+n], latin)
			if !ok || f.single {
				continue
			}
			rest := append(append([]string(nil), toks[:i]...), toks[i+n:]...)
			if significant(rest) {
				toks = rest
				if form == "" {
					form = f.form
				}
				i--
				break
			}
		}
	}
	return toks, form, inner
}

// significant reports whether toks hold a word that is not a connective, so
// that they can name a company on their own.
func significant(toks []string) bool {
	for _, t := range toks {
		if !isStopword(t) {
			return true
		}
	}
	return false
}

// IsStopword reports whether the folded word t is an article, a
// preposition or a conjunction that names nothing on its own ("and", "of",
// "de", "van" ...).
func IsStopword(t string) bool { return isStopword(t) }

// IsCountryWord reports whether the folded word t is a country's one-word
// name as CLDR gives it ("aruba", "jordan", "germany"), one of the words
// [IsScopeWord] counts. A company may be named after one ("Aruba Networks"
// as "Aruba"), where the region and group words name none.
func IsCountryWord(t string) bool {
	if len(t) < 4 || strings.IndexByte(t, ' ') >= 0 {
		return false
	}
	_, ok := geo().countryByName[t]
	return ok
}

// IsScopeWord reports whether the folded word t says where or how widely a
// company works rather than which company it is: a country's one-word name
// or common short form ("germany", "usa", "uk"), a region ("europe",
// "americas", "emea") or a word of group scope ("international", "global",
// "worldwide", "group", "holdings"). CRM accounts add and drop such words
// ("Siemens USA" for "Siemens", "3Com Europe"), and a name made of nothing
// else ("Global Holdings", "USA Corporation") names no one company.
func IsScopeWord(t string) bool {
	switch t {
	case "us", "usa", "uk", "europe", "americas", "america", "asia", "africa", "oceania", "emea",
		"apac", "latam", "mena", "nordic", "nordics", "benelux", "dach", "international", "intl",
		"global", "worldwide", "group", "holding", "holdings":
		return true
	}
	return IsCountryWord(t)
}

func isStopword(t string) bool {
	switch t {
	case "and", "of", "the", "for", "a", "an", "in", "on", "at", "to", "de", "la", "le",
		"les", "du", "des", "der", "die", "das", "von", "van", "und", "y", "e", "et", "di",
		"del", "da", "do", "dos", "el", "los", "las":
		return true
	}
	return false
}

// acronym returns the initials of toks, skipping stopwords unless all is
// set; "" when fewer than two initials.
func acronym(toks []string, all bool) string {
	var b []byte
	n := 0
	for _, t := range toks {
		if !all && isStopword(t) {
			continue
		}
		_, size := utf8.DecodeRuneInString(t)
		b = append(b, t[:size]...)
		n++
	}
	if n < 2 {
		return ""
	}
	return string(b)
}

// IsAcronymOf reports whether short (any form: "IBM", "I.B.M.") is an
// acronym of the company c: the initials of its core words, with or without
// connectives ("at and t" → "att"), optionally followed by the initial of
// its legal form.
func IsAcronymOf(short string, c CompanyName) bool {
	s := strings.ReplaceAll(Fold(short), " ", "")
	if utf8.RuneCountInString(s) < 2 || c.Acronym == "" {
		return false
	}
	if s == c.Acronym || s == acronym(c.Tokens, true) {
		return true
	}
	if c.LegalForm != "" && strings.HasPrefix(s, c.Acronym) {
		return s[len(c.Acronym):] == c.LegalForm[:1]
	}
	return false
}
