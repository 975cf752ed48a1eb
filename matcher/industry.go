package matcher

import (
	"strings"

	"github.com/crmlink/crmlink/internal/normalize"
)

// maxIndustries is how many values of a multi-valued industry are kept.
const maxIndustries = 4

// tfIndustry2 is the term-frequency slot of the first value of a
// multi-valued industry in company queries (vocabulary check).
const tfIndustry2 = 2

// minCodeDigits is the shortest industry code that agrees with a longer
// code it starts (NAICS and SIC codes are hierarchical: "5112" and
// "511210").
const minCodeDigits = 3

// splitIndustries returns the folded values of an industry field given as
// several codes or labels ("Software; IT Services", "5112, 5415",
// "Banking | Insurance"), or nil when it holds one value. A comma alone
// splits only codes, since single labels hold commas ("Technology,
// Information and Internet"; CRM multi-select fields join with ";"); the
// whole field is still compared as one label as well.
func splitIndustries(raw string) []string {
	if !strings.ContainsAny(raw, ";|/,\n") {
		return nil
	}
	if len(raw) > normalize.MaxInput {
		raw = raw[:normalize.MaxInput]
	}
	hard := strings.ContainsAny(raw, ";|/\n")
	var out []string
	for p := range strings.FieldsFuncSeq(raw, func(r rune) bool {
		switch r {
		case ';', '|', '/', '\n', ',':
			return true
		}
		return false
	}) {
		f := capRunes(normalize.Fold(p), maxCompareRunes)
		if f == "" {
			continue
		}
		out = append(out, f)
		if len(out) == maxIndustries {
			break
		}
	}
	if len(out) < 2 {
		return nil
	}
	if !hard && strings.Contains(raw, ",") {
		codes := false
		for _, v := range out {
			if isCode(v) {
				codes = true
				break
			}
		}
		if !codes {
			// "Technology, Information and Internet", "Transportation,
			// Logistics, Supply Chain and Storage": one label.
			return nil
		}
	}
	return out
}

// isCode reports whether v is an industry code (digits only).
func isCode(v string) bool {
	if v == "" {
		return false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return true
}

// industryCodes reports whether an industry is given only as codes.
func industryCodes(v string, vs []string) bool {
	if vs == nil {
		return isCode(v)
	}
	for _, x := range vs {
		if !isCode(x) {
			return false
		}
	}
	return true
}

// industryAgree reports whether two industries share a value: the whole
// labels, any of their values, or two codes one of which starts the other.
func industryAgree(q string, qs []string, c string, cs []string) bool {
	if q == c {
		return true
	}
	if qs == nil && cs == nil {
		return codesAgree(q, c)
	}
	one := [1]string{q}
	if qs == nil {
		qs = one[:]
	}
	two := [1]string{c}
	if cs == nil {
		cs = two[:]
	}
	for _, a := range qs {
		for _, b := range cs {
			if a == b || codesAgree(a, b) {
				return true
			}
		}
	}
	return false
}

// codesAgree reports whether a and b are industry codes and the shorter,
// of at least minCodeDigits digits, starts the longer.
func codesAgree(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	return len(a) >= minCodeDigits && isCode(a) && isCode(b) && strings.HasPrefix(b, a)
}
