package synth

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// hardLegalVariants are spellings of one legal form a CRM may hold in place of
// another: the long form, the short form, with or without dots.
var hardLegalVariants = [][]string{
	{"GmbH", "Gesellschaft mit beschränkter Haftung", "G.m.b.H."},
	{"Ltd", "Limited", "Ltd."},
	{"Ltd.", "Limited", "Ltd"},
	{"Inc.", "Incorporated", "Inc"},
	{"Corp.", "Corporation", "Corp"},
	{"Corporation", "Corp.", "Corp"},
	{"Co.", "Company", "Co"},
	{"LLC", "L.L.C.", "Limited Liability Company"},
	{"AG", "Aktiengesellschaft"},
	{"PLC", "Public Limited Company", "plc"},
	{"SA", "S.A.", "Société Anonyme"},
	{"S.A.", "SA", "Sociedad Anónima"},
	{"B.V.", "BV", "Besloten Vennootschap"},
	{"N.V.", "NV", "Naamloze Vennootschap"},
	{"S.r.l.", "Srl", "SRL"},
	{"S.p.A.", "SpA", "Società per Azioni"},
	{"Pvt. Ltd.", "Private Limited", "Pvt Ltd"},
	{"Ltda.", "Limitada", "Ltda"},
	{"Sp. z o.o.", "Spółka z ograniczoną odpowiedzialnością", "sp. z o.o."},
	{"Co., Ltd.", "Company Limited", "Co. Ltd"},
}

// addedLegal are legal forms a CRM adds to a name that has none.
var addedLegal = []string{"Inc", "Inc.", "Ltd", "LLC", "Corp", "Co.", "GmbH", "Limited"}

// hardExtras are words a CRM account adds to a directory name (the directory
// name is then contained in the query's).
var hardExtras = []string{"Group", "Holdings", "International", "USA", "Europe", "Global",
	"Services", "Americas", "UK", "Worldwide", "Partners", "Solutions"}

// HardCompanyQueries returns n name-only CRM accounts for directory companies
// whose names are in Latin script and distinctive (no other company has the
// same name without legal form), corrupted harder than [World.CompanyQueries]:
// up to two typos a name (the rarest word of the name included, and both in
// one word), abbreviations (Intl, Mfg, Assoc, Svcs, Corp...), legal forms
// changed (GmbH and Gesellschaft mit beschränkter Haftung, Ltd and Limited),
// dropped or added, case and spacing changes, words joined or split
// ("Micro Soft", "DataDog"), a part of the name only or the name with words
// added. Every query has a TruthID; Noise names the corruptions.
//
// The same World and QueryOptions give the same queries (AbsentRate is
// ignored).
func (w *World) HardCompanyQueries(n int, o QueryOptions) []CompanyQuery {
	rng := rand.New(rand.NewPCG(o.Seed, 0x9e3779b97f4a7c15))
	// Only companies whose name without legal form no other company
	// holds: a CRM account names one of several same-named companies by
	// chance, and no name-only matcher can tell which.
	bases := make(map[string]int32, len(w.companies))
	for i := range w.cmeta {
		bases[strings.ToLower(w.cmeta[i].base)]++
	}
	var latin []int
	for i := range w.companies {
		if isLatin(w.companies[i].Name) && bases[strings.ToLower(w.cmeta[i].base)] == 1 {
			latin = append(latin, i)
		}
	}
	if len(latin) == 0 {
		return nil
	}
	// Word frequencies over the directory's names, to find a name's rarest word.
	freq := make(map[string]int32, len(w.companies))
	for i := range w.companies {
		for _, f := range strings.Fields(strings.ToLower(stripPunct(w.companies[i].Name))) {
			freq[f]++
		}
	}
	qs := make([]CompanyQuery, 0, n)
	for i := range n {
		j := latin[rng.IntN(len(latin))]
		co, m := &w.companies[j], &w.cmeta[j]
		name, noise := hardCorrupt(rng, co.Name, m, freq)
		q := CompanyQuery{ID: "h" + strconv.Itoa(i+1), Name: name, TruthID: co.ID, Noise: noise}
		if co.Website != "" && rng.IntN(100) < 5 {
			q.Website = m.domain
			q.Noise = append(q.Noise, "website")
		}
		qs = append(qs, q)
	}
	return qs
}

// hardCorrupt returns the CRM spelling of a directory name and the
// corruptions applied.
func hardCorrupt(rng *rand.Rand, name string, m *companyMeta, freq map[string]int32) (string, []string) {
	var noise []string
	add := func(tag string) { noise = append(noise, tag) }
	base, legal := m.base, m.legal
	if !strings.Contains(name, base) {
		// A composed name that does not hold its base verbatim (quoted
		// forms): corrupt it as a whole.
		base, legal = name, ""
	}

	// Legal form: dropped, changed to another spelling, or added.
	switch r := rng.IntN(100); {
	case legal != "" && r < 30:
		legal = ""
		add("legal:drop")
	case legal != "" && r < 60:
		for _, v := range hardLegalVariants {
			if v[0] == legal {
				legal = v[1+rng.IntN(len(v)-1)]
				add("legal:variant")
				break
			}
		}
	case legal == "" && r < 20:
		legal = addedLegal[rng.IntN(len(addedLegal))]
		add("legal:add")
	}

	words := strings.Fields(base)
	// Abbreviations, both ways.
	if rng.IntN(100) < 35 {
		for k, wd := range words {
			for _, a := range abbreviations {
				if strings.TrimSpace(a[0]) == "" || strings.Contains(a[0], " ") {
					continue
				}
				switch {
				case wd == a[0]:
					words[k] = a[1]
					add("name:abbrev")
				case wd == a[1] && rng.IntN(2) == 0:
					words[k] = a[0]
					add("name:expand")
				default:
					continue
				}
				break
			}
		}
	}
	// Containment: a part of the name only, or the name with words added.
	switch r := rng.IntN(100); {
	case r < 10 && len(words) > 2:
		rare := rarestWord(words, freq)
		if rare < len(words)-1 {
			words = words[:len(words)-1]
		} else {
			words = words[1:]
		}
		add("name:part")
	case r < 20:
		extra := hardExtras[rng.IntN(len(hardExtras))]
		if rng.IntN(3) == 0 {
			words = append([]string{extra}, words...)
		} else {
			words = append(words, extra)
		}
		add("name:extra")
	}
	// Joined or split words.
	switch r := rng.IntN(100); {
	case r < 12 && len(words) > 1:
		k := rng.IntN(len(words) - 1)
		a, b := words[k], words[k+1]
		if rng.IntN(2) == 0 {
			b = strings.ToLower(b)
		}
		words = append(words[:k], append([]string{a + b}, words[k+2:]...)...)
		add("name:join")
	case r < 24:
		for k, wd := range words {
			rs := []rune(wd)
			if len(rs) >= 7 {
				cut := 3 + rng.IntN(len(rs)-5)
				second := string(rs[cut:])
				if rng.IntN(2) == 0 {
					second = upperFirst(second)
				}
				words = append(words[:k], append([]string{string(rs[:cut]), second}, words[k+1:]...)...)
				add("name:split")
				break
			}
		}
	}
	// Up to two typos, often in the rarest word, both in one word only
	// when it is long; one typo at most next to a joined or split word.
	nt := 0
	switch r := rng.IntN(100); {
	case r < 45:
		nt = 1
	case r < 75:
		nt = 2
	}
	if nt == 2 && (slices.Contains(noise, "name:join") || slices.Contains(noise, "name:split")) {
		nt = 1
	}
	var hit [2]int
	for t := 0; t < nt && len(words) > 0; t++ {
		k := rng.IntN(len(words))
		if rng.IntN(2) == 0 {
			k = rarestWord(words, freq)
		}
		rs := utf8.RuneCountInString(words[k])
		if rs < 4 || t == 1 && hit[0] == k && rs < 6 {
			continue
		}
		hit[t] = k
		before := words[k]
		words[k] = hardTypo(rng, words[k])
		if words[k] != before {
			add("name:typo")
		}
	}
	out := strings.Join(words, " ")
	if legal != "" {
		if rng.IntN(4) == 0 {
			out += ", " + legal
		} else {
			out += " " + legal
		}
	}
	// Case and spacing.
	switch r := rng.IntN(100); {
	case r < 15:
		out = strings.ToUpper(out)
		add("case:upper")
	case r < 30:
		out = strings.ToLower(out)
		add("case:lower")
	}
	switch r := rng.IntN(100); {
	case r < 8:
		out = strings.ReplaceAll(out, " ", "  ")
		add("space:double")
	case r < 14:
		out = strings.ReplaceAll(out, "-", " ")
		out = strings.ReplaceAll(out, ".", "")
		add("space:punct")
	}
	return out, noise
}

// rarestWord returns the index of the word of words held by the fewest
// directory names (the first on ties); letters-only words first.
func rarestWord(words []string, freq map[string]int32) int {
	best, bf := 0, int32(-1)
	for k, wd := range words {
		f, ok := freq[strings.ToLower(stripPunct(wd))]
		if !ok || utf8.RuneCountInString(wd) < 3 {
			continue
		}
		if bf < 0 || f < bf {
			best, bf = k, f
		}
	}
	return best
}

// hardTypo applies one typing error to a word of at least four letters:
// [typo]'s errors, and one time in ten a substituted first letter.
func hardTypo(rng *rand.Rand, s string) string {
	rs := []rune(s)
	if len(rs) < 4 {
		return s
	}
	if rng.IntN(10) == 0 && unicode.IsLetter(rs[0]) {
		if k := adjacentKey(rng, rs[0]); k != rs[0] {
			rs[0] = k
			return string(rs)
		}
	}
	return typo(rng, s)
}
