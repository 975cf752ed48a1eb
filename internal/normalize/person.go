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

// PersonName is a person's name split into folded parts (see [Fold]), in
// Latin script (see [Latin]).
type PersonName struct {
	First  string // given name, e.g. "john"; may be an initial ("j")
	Middle string // middle names or initials, space separated; often ""
	Last   string // family name; may be multi-part ("van der berg", "garcia lopez")
	// Suffix is the generational suffix, "jr", "sr", "ii", "iii" or "iv"
	// ("2nd" and "3rd" read as "ii" and "iii"); "" when none. A father and
	// son of the same name differ only in it.
	Suffix string
}

// Full returns the non-empty parts joined by spaces.
func (p PersonName) Full() string {
	parts := make([]string, 0, 3)
	for _, s := range []string{p.First, p.Middle, p.Last} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " ")
}

// Person normalises a first and a last name as CRM fields hold them.
// Honorifics (mr, mrs, dr, prof, sir, frau, herr ...) are removed from the
// front, generational and degree suffixes (jr, sr, ii, iii, phd, md, mba ...)
// from the end, the generational one kept in Suffix. It handles a whole name
// in one field ("Smith, John" or "John Smith" in either argument), "Last,
// First" split across the fields ("Smith," as the first name and "John" as
// the last), the surname repeated at the end of a whole name in the first
// field, initials with or without dots ("J. R." and, for a first name of two
// or three consonants, "JR"), a middle name in first or a middle initial in
// front of the last name, hyphenated surnames ("Smith-Jones" → "smith
// jones"), surname particles ("de la Cruz", "van der Berg") and "Mc"/"Mac"
// written apart ("Mc Donald" → "mcdonald").
//
// Names in other scripts are transliterated to Latin (see [Latin]). A whole
// name in one field written in Han or Hangul without spaces ("王秀英") is read
// family name first, as those names are written: its first character is the
// surname and the rest the given name ("wang", "xiuying").
func Person(first, last string) PersonName {
	first, last = trimField(first), closingBracket(trimField(last))
	switch {
	case strings.HasSuffix(first, ",") && strings.TrimSpace(last) != "" && !strings.Contains(last, ","):
		// "Last, First" split across the fields at its comma: the surname
		// with the comma in the first field ("Alexopoulos," "Nastassia").
		first, last = last, first[:len(first)-1]
	case strings.TrimSpace(last) == "" && strings.Contains(first, ","):
		// "Last, First" in one field.
		if i := strings.IndexByte(first, ','); !onlySuffixes(first[i+1:]) {
			first, last = first[i+1:], first[:i]
		}
	case strings.TrimSpace(first) == "" && strings.Contains(last, ","):
		if i := strings.IndexByte(last, ','); !onlySuffixes(last[i+1:]) {
			first, last = last[i+1:], last[:i]
		}
	}
	if fam, given, ok := familyFirst(first, last); ok {
		first, last = given, fam
	}
	ft := latinTokens(first)
	lt := latinTokens(last)
	if placeholderName(ft) {
		ft = nil
	}
	if placeholderName(lt) {
		lt = nil
	}
	ft = stripHonorifics(ft)
	lt = stripHonorifics(lt)
	if len(ft) == 1 && len(lt) > 0 && isHonorific(ft[0]) {
		ft = nil // "Mr." in the first-name field
	}
	var suffix string
	ft, suffix = stripSuffixes(ft, suffix)
	lt, suffix = stripSuffixes(lt, suffix)
	for n := len(lt); ; n = len(lt) {
		// Suffixes with and without full stops, in any order ("Smith,
		// Jr., M.D.").
		if lt = stripDottedSuffixes(lt); len(lt) == n {
			break
		}
		lt, suffix = stripSuffixes(lt, suffix)
	}
	if len(lt) == 0 && len(ft) > 1 {
		// Whole name in the first field: the last word (with its particles)
		// is the surname.
		ft, lt = splitFull(ft)
	} else if len(ft) == 0 && len(lt) > 1 {
		ft, lt = splitFull(lt)
	} else if len(ft) > len(lt) && len(lt) > 0 && slices.Equal(ft[len(ft)-len(lt):], lt) {
		// The whole name in the first field and the surname again in the
		// last ("John Smith", "Smith").
		ft = ft[:len(ft)-len(lt)]
	} else if len(ft) > 0 && len(lt) > 1 && len(lt[0]) == 1 && lt[0] != "o" {
		// A middle initial in front of the surname ("John", "R. Smith").
		ft = append(ft[:len(ft):len(ft)], lt[0])
		lt = lt[1:]
	}
	if isCapitals(first) {
		ft = splitInitials(ft)
	}
	ft = joinMc(ft, false)
	lt = joinMc(lt, true)
	saintWords(lt)
	p := PersonName{Suffix: suffix}
	if len(ft) > 0 {
		p.First = ft[0]
		p.Middle = strings.Join(ft[1:], " ")
	}
	p.Last = strings.Join(lt, " ")
	return p
}

// isCapitals reports whether the first word of s is written in ASCII
// capitals.
func isCapitals(s string) bool {
	n := 0
	for i := 0; i < len(s) && s[i] != ' '; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
		n++
	}
	return n > 0
}

// trimField cuts a field to the bytes the normalisers read and trims its
// spaces.
func trimField(s string) string {
	if len(s) > MaxInput {
		s = s[:MaxInput]
	}
	return strings.TrimSpace(s)
}

// closingBracket removes a bracketed part that closes a surname field
// ("Smith (Sales)", "Smith [old]", "Smith (née Jones)"): a department, a
// status or a former name, where the name before it is the one in use.
func closingBracket(s string) string {
	if !strings.HasSuffix(s, ")") && !strings.HasSuffix(s, "]") {
		return s
	}
	open := byte('(')
	if s[len(s)-1] == ']' {
		open = '['
	}
	i := strings.LastIndexByte(s, open)
	if i <= 0 || strings.TrimSpace(s[:i]) == "" {
		return s
	}
	return strings.TrimSpace(s[:i])
}

// onlySuffixes reports whether s holds only name suffixes ("Jr.", "PhD"):
// "King, Jr." is a surname with its suffix, not "Last, First".
func onlySuffixes(s string) bool {
	t := Tokens(s)
	for _, x := range t {
		if !isNameSuffix(x) {
			return false
		}
	}
	return len(t) > 0
}

// latinTokens returns the tokens of s in Latin script ([Latin]).
func latinTokens(s string) []string {
	if !HasOtherScript(s) {
		return Tokens(s)
	}
	return Tokens(Latin(s))
}

// familyFirst splits a whole name written in Han or Hangul without spaces
// in one field, the other empty, into the family name (its first
// character) and the given name. ok is false for any other input.
func familyFirst(first, last string) (fam, given string, ok bool) {
	s := first
	switch {
	case first == "" && last != "":
		s = last
	case first != "" && last == "":
	default:
		return "", "", false
	}
	n := 0
	for _, r := range s {
		if !unicode.In(r, unicode.Han, unicode.Hangul) {
			return "", "", false
		}
		n++
	}
	if n < 2 || n > 4 {
		return "", "", false
	}
	_, size := utf8.DecodeRuneInString(s)
	return s[:size], s[size:], true
}

// splitInitials splits a first name of two or three consonants ("JR",
// "TJ") into its initials: no given name is written so, and CRMs drop the
// dots of "J. R.". An honorific left alone ("Dr") stays as it is. Person
// calls it only for a first-name field written in capitals: in lower case
// such a word is more often a typo ("msx" for "max").
func splitInitials(t []string) []string {
	if len(t) == 0 || len(t[0]) < 2 || len(t[0]) > 3 || isHonorific(t[0]) {
		return t
	}
	w := t[0]
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case c < 'a' || c > 'z':
			return t
		case strings.IndexByte("aeiouy", c) >= 0:
			return t
		}
	}
	out := make([]string, 0, len(t)+len(w)-1)
	for i := 0; i < len(w); i++ {
		out = append(out, w[i:i+1])
	}
	return append(out, t[1:]...)
}

// splitFull splits a whole name into given names and a surname, keeping the
// particles in front of the last word with the surname.
func splitFull(t []string) (first, last []string) {
	i := len(t) - 1
	for i > 1 && isParticle(t[i-1]) {
		i--
	}
	return t[:i], t[i:]
}

func isParticle(s string) bool {
	switch s {
	case "van", "von", "der", "den", "de", "del", "della", "la", "le", "da", "das",
		"dos", "di", "du", "des", "ten", "ter", "zu", "bin", "ibn", "al", "el", "st":
		return true
	}
	return false
}

// joinMc joins a separated "mc" prefix, and in a surname an "o" or "mac"
// prefix, to the following word ("mc donald" → "mcdonald").
func joinMc(t []string, surname bool) []string {
	for i := 0; i+1 < len(t); i++ {
		if t[i] == "mc" || (surname && (t[i] == "o" || t[i] == "mac")) {
			t[i] += t[i+1]
			t = slices.Delete(t, i+1, i+2)
		}
	}
	return t
}

// placeholderName reports whether the tokens of a name field say the name
// is not known ("Unknown", "N/A", "[not provided]"), as CRMs require a
// last name and forms fill one in.
func placeholderName(t []string) bool {
	switch len(t) {
	case 1:
		switch t[0] {
		case "unknown", "unk", "none", "null", "nil", "tbd", "tba", "notprovided", "anonymous":
			return true
		}
	case 2:
		switch t[0] {
		case "n":
			return t[1] == "a"
		case "not":
			return t[1] == "provided" || t[1] == "given" || t[1] == "known" || t[1] == "available"
		case "no":
			return t[1] == "name"
		}
	}
	return false
}

// saintWords writes a surname's "Saint" and "Sainte" before another word
// as their abbreviations ("Saint John" as "St. John", "Sainte-Marie" as
// "Ste-Marie"), so that records that abbreviate them, or join the
// abbreviation to the name ("StJohn"), meet them.
func saintWords(t []string) {
	for i := 0; i+1 < len(t); i++ {
		switch t[i] {
		case "saint":
			t[i] = "st"
		case "sainte":
			t[i] = "ste"
		}
	}
}

func stripHonorifics(t []string) []string {
	for len(t) > 1 && isHonorific(t[0]) {
		t = t[1:]
		// A German doctorate's field after "Dr." ("Dr. med.", "Dr. rer.
		// nat." read "rer" and "nat"): only the words no one is named.
		for len(t) > 1 && doctorateField(t[0]) {
			t = t[1:]
		}
	}
	return t
}

// doctorateField reports whether s abbreviates the field of a doctorate
// written after "Dr." and is no given name ("med", "jur"; not "phil").
func doctorateField(s string) bool {
	switch s {
	case "med", "rer", "jur", "dent", "vet", "habil", "oec", "techn", "sc":
		return true
	}
	return false
}

// stripSuffixes removes name suffixes from the end of t and returns the
// rest with the generational suffix found (or suffix, when none is).
func stripSuffixes(t []string, suffix string) ([]string, string) {
	for len(t) > 1 && isNameSuffix(t[len(t)-1]) {
		if g := generation(t[len(t)-1]); g != "" {
			suffix = g
		}
		t = t[:len(t)-1]
	}
	return t, suffix
}

// stripDottedSuffixes removes from the end of a surname's tokens t a
// credential written with full stops, which reads as letters ("M.D." as
// "m d", "Ph.D." as "ph d"), after any suffix stripSuffixes removed.
// Given names are left alone: "J. D." there is two initials.
func stripDottedSuffixes(t []string) []string {
	for {
		n := 0
		for k := 2; k <= 3 && k < len(t); k++ {
			var buf [8]byte
			joined := buf[:0]
			short := true
			for _, x := range t[len(t)-k:] {
				short = short && len(x) <= 2
				joined = append(joined, x...)
			}
			if short && isNameSuffix(string(joined)) && generation(string(joined)) == "" {
				n = k
				break
			}
		}
		if n == 0 {
			return t
		}
		t = t[:len(t)-n]
	}
}

// generation returns the canonical form of a generational suffix, "" for
// any other word.
func generation(s string) string {
	switch s {
	case "jr", "sr", "ii", "iii", "iv":
		return s
	case "2nd":
		return "ii"
	case "3rd":
		return "iii"
	}
	return ""
}

func isHonorific(s string) bool {
	switch s {
	case "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame",
		"lord", "lady", "rev", "herr", "frau", "fraulein", "hr", "mme", "mlle",
		"monsieur", "madame", "sr", "sra", "srta", "sig", "dott", "ing", "mag", "dipl",
		"capt", "col", "gen", "hon", "atty", "pani", "gospodin", "mister", "doctor",
		"dra", "messrs", "shri", "sri", "smt", "sheikh":
		return true
	}
	return false
}

func isNameSuffix(s string) bool {
	switch s {
	case "jr", "sr", "ii", "iii", "iv", "2nd", "3rd", "phd", "md", "dds", "dmd",
		"rn", "esq", "mba", "cpa", "jd", "llm", "msc", "bsc", "pmp", "cfa", "frcs",
		"obe", "mbe", "cbe":
		return true
	}
	return false
}

//go:embed data/nicknames_names.csv
var nicknamesCSV string

// nicknamesIntlCSV is the supplementary table of international diminutives
// and cross-language equivalents, written for this project (see
// data/README.md). It lists each pair once, root first.
//
//go:embed data/nicknames_intl.csv
var nicknamesIntlCSV string

// nicknameEdge is one "name has_nickname nick" row, both sides folded.
type nicknameEdge struct{ name, nick string }

// parseNicknames parses a name1,relationship,name2 table with a header row
// into folded edges, skipping rows that are not has_nickname, that fold to
// "" or that link a name to itself. It panics on malformed CSV: the tables
// are embedded, so that cannot happen in a released build (tests cover it).
func parseNicknames(file, data string) []nicknameEdge {
	r := csv.NewReader(strings.NewReader(data))
	r.FieldsPerRecord = 3
	recs, err := r.ReadAll()
	if err != nil {
		panic("normalize: embedded " + file + ": " + err.Error()) // embedded data, cannot happen
	}
	edges := make([]nicknameEdge, 0, len(recs))
	for _, rec := range recs[min(1, len(recs)):] {
		if rec[1] != "has_nickname" {
			continue
		}
		name, nick := Fold(rec[0]), Fold(rec[2])
		if name == "" || nick == "" || name == nick {
			continue
		}
		edges = append(edges, nicknameEdge{name, nick})
	}
	return edges
}

// nicknameIndex maps a folded given name to the canonical names it can stand
// for (itself excluded), sorted.
//
// The carltonnorthern table lists some pairs both ways ("bob has_nickname
// robert" and "robert has_nickname bob"); from it a name y counts as a root
// of x only if y lists x as a nickname and y has more nicknames than x in
// that table, so "robert" has no root and "bob" has "robert". The
// supplementary table lists each pair once, root first, and is taken as
// written ("francisco has_nickname paco": "paco" has root "francisco"); its
// rows do not change the degrees used for the first table, so adding to it
// never removes a root the first table gives.
var nicknameIndex = sync.OnceValue(func() map[string][]string {
	base := parseNicknames("nicknames_names.csv", nicknamesCSV)
	intl := parseNicknames("nicknames_intl.csv", nicknamesIntlCSV)
	outdeg := make(map[string]int, 1500)
	for _, e := range base {
		outdeg[e.name]++
	}
	idx := make(map[string][]string, 2000)
	add := func(e nicknameEdge) {
		if !slices.Contains(idx[e.nick], e.name) {
			idx[e.nick] = append(idx[e.nick], e.name)
		}
	}
	for _, e := range base {
		if outdeg[e.name] > outdeg[e.nick] {
			add(e)
		}
	}
	for _, e := range intl {
		add(e)
	}
	for k, v := range idx {
		slices.Sort(v)
		idx[k] = slices.Clip(v)
	}
	return idx
})

// NicknameRoots returns the folded canonical given names that first can
// stand for, first itself (folded) included and first in the list:
// "Bob" → ["bob", "robert"], "Robert" → ["robert"]. Used as index keys so
// that Bob and Robert meet. The result is a new slice; it is nil when first
// folds to "".
func NicknameRoots(first string) []string {
	f := Fold(first)
	if f == "" {
		return nil
	}
	roots := nicknameIndex()[f]
	out := make([]string, 0, 1+len(roots))
	out = append(out, f)
	return append(out, roots...)
}

// IsNickname reports whether the given names a and b (any form; they are
// folded) are the same name through the nickname table: equal, one a nickname
// of the other in either direction, or both nicknames of a common name.
func IsNickname(a, b string) bool {
	a, b = Fold(a), Fold(b)
	if a == "" || b == "" {
		return false
	}
	if a == b {
		return true
	}
	idx := nicknameIndex()
	ra, rb := idx[a], idx[b]
	if slices.Contains(ra, b) || slices.Contains(rb, a) {
		return true
	}
	for _, x := range ra {
		if slices.Contains(rb, x) {
			return true
		}
	}
	return false
}
