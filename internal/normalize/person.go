package normalize

import (
	_ "embed"
	"encoding/csv"
	"slices"
	"strings"
	"sync"
)

// PersonName is a person's name split into folded parts (see [Fold]).
type PersonName struct {
	First  string // given name, e.g. "john"; may be an initial ("j")
	Middle string // middle names or initials, space separated; often ""
	Last   string // family name; may be multi-part ("van der berg", "garcia lopez")
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
// from the end. It handles a whole name in one field ("Smith, John" or
// "John Smith" in either argument), initials ("J. Robert Smith"), a middle
// name in first, hyphenated surnames ("Smith-Jones" → "smith jones"), surname
// particles ("de la Cruz", "van der Berg") and "Mc"/"Mac" written apart
// ("Mc Donald" → "mcdonald").
func Person(first, last string) PersonName {
	ft := Tokens(first)
	lt := Tokens(last)
	switch {
	case len(lt) == 0 && strings.Contains(first, ","):
		// "Last, First" in one field.
		i := strings.IndexByte(first, ',')
		lt, ft = Tokens(first[:i]), Tokens(first[i+1:])
	case len(ft) == 0 && strings.Contains(last, ","):
		i := strings.IndexByte(last, ',')
		lt, ft = Tokens(last[:i]), Tokens(last[i+1:])
	}
	ft = stripHonorifics(ft)
	lt = stripHonorifics(lt)
	if len(ft) == 1 && len(lt) > 0 && isHonorific(ft[0]) {
		ft = nil // "Mr." in the first-name field
	}
	ft = stripSuffixes(ft)
	lt = stripSuffixes(lt)
	if len(lt) == 0 && len(ft) > 1 {
		// Whole name in the first field: the last word (with its particles)
		// is the surname.
		ft, lt = splitFull(ft)
	} else if len(ft) == 0 && len(lt) > 1 {
		ft, lt = splitFull(lt)
	}
	ft = joinMc(ft, false)
	lt = joinMc(lt, true)
	var p PersonName
	if len(ft) > 0 {
		p.First = ft[0]
		p.Middle = strings.Join(ft[1:], " ")
	}
	p.Last = strings.Join(lt, " ")
	return p
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

func stripHonorifics(t []string) []string {
	for len(t) > 1 && isHonorific(t[0]) {
		t = t[1:]
	}
	return t
}

func stripSuffixes(t []string) []string {
	for len(t) > 1 && isNameSuffix(t[len(t)-1]) {
		t = t[:len(t)-1]
	}
	return t
}

func isHonorific(s string) bool {
	switch s {
	case "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame",
		"lord", "lady", "rev", "herr", "frau", "fraulein", "hr", "mme", "mlle",
		"monsieur", "madame", "sr", "sra", "srta", "sig", "dott", "ing", "mag", "dipl",
		"capt", "col", "gen", "hon", "atty", "pani", "gospodin":
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
