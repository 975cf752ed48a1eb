package normalize

import (
	"slices"
	"strings"
)

// Title returns the canonical folded form of a job title, for comparison:
// abbreviations are spelled out (VP, EVP, SVP, AVP, Sr, Jr, Mgr, Dir, Eng,
// Exec, Asst, Mktg ...), C-level acronyms become their full form (CEO →
// "chief executive officer", CTO, CFO, COO, CMO, CIO, CISO, CRO, CPO, CDO,
// CHRO ...), "of", "and", "the", "&", "for" and "at" are dropped, and "Head
// of X" becomes "head x":
//
//	"Sr. VP of Sales & Marketing" → "senior vice president sales marketing"
func Title(s string) string {
	toks := Tokens(s)
	if len(toks) == 0 {
		return ""
	}
	out := make([]string, 0, len(toks)+4)
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if i+1 < len(toks) {
			switch next := toks[i+1]; {
			case t == "v" && next == "p":
				out = append(out, "vice", "president")
				i++
				continue
			case t == "co" && (next == "founder" || next == "owner" || next == "chair"):
				out = append(out, "co"+next)
				i++
				continue
			case t == "vice" && next == "pres":
				out = append(out, "vice", "president")
				i++
				continue
			}
		}
		switch t {
		case "of", "and", "the", "for", "at", "in", "to", "a", "an":
			continue
		}
		if exp := expandTitleWord(t); exp != "" {
			for w := range strings.SplitSeq(exp, " ") {
				out = append(out, w)
			}
			continue
		}
		out = append(out, t)
	}
	return capWords(strings.Join(dedupRepeats(out), " "), MaxInput)
}

// capWords truncates the space-separated s to at most n bytes of whole
// words.
func capWords(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n+1]
	if i := strings.LastIndexByte(s, ' '); i > 0 {
		return s[:i]
	}
	return ""
}

// dedupRepeats removes a run of words that repeats the run just before it,
// as in "Chief Executive Officer (CEO)" once CEO is spelled out.
func dedupRepeats(w []string) []string {
	for changed := true; changed; {
		changed = false
		for n := min(8, len(w)/2); n >= 1; n-- {
			for i := n; i+n <= len(w); {
				if slices.Equal(w[i-n:i], w[i:i+n]) {
					w = slices.Delete(w, i, i+n)
					changed = true
					continue
				}
				i++
			}
		}
	}
	return w
}

func expandTitleWord(t string) string {
	switch t {
	case "sr", "snr", "sen":
		return "senior"
	case "jr", "jnr":
		return "junior"
	case "vp", "vicepresident":
		return "vice president"
	case "evp":
		return "executive vice president"
	case "svp":
		return "senior vice president"
	case "avp":
		return "assistant vice president"
	case "gvp":
		return "group vice president"
	case "rvp":
		return "regional vice president"
	case "mgr", "mngr", "mgr.":
		return "manager"
	case "dir", "dirctr":
		return "director"
	case "eng", "engr", "enginer":
		return "engineer"
	case "exec":
		return "executive"
	case "asst", "ass't":
		return "assistant"
	case "assoc":
		return "associate"
	case "acct":
		return "account"
	case "mktg", "mkt", "mkting":
		return "marketing"
	case "ops":
		return "operations"
	case "hr":
		return "human resources"
	case "pres":
		return "president"
	case "gm":
		return "general manager"
	case "md":
		return "managing director"
	case "mgmt", "mgt":
		return "management"
	case "intl":
		return "international"
	case "natl":
		return "national"
	case "dept":
		return "department"
	case "sw":
		return "software"
	case "swe":
		return "software engineer"
	case "rep", "repr":
		return "representative"
	case "coord":
		return "coordinator"
	case "spec", "spclst":
		return "specialist"
	case "supv", "supvr":
		return "supervisor"
	case "admin":
		return "administrator"
	case "cust":
		return "customer"
	case "svc", "svcs":
		return "services"
	case "tech":
		return "technical"
	case "biz", "bus":
		return "business"
	case "dev", "devt":
		return "development"
	case "ceo":
		return "chief executive officer"
	case "cto":
		return "chief technology officer"
	case "cfo":
		return "chief financial officer"
	case "coo":
		return "chief operating officer"
	case "cmo":
		return "chief marketing officer"
	case "cio":
		return "chief information officer"
	case "ciso":
		return "chief information security officer"
	case "cso":
		return "chief security officer"
	case "cro":
		return "chief revenue officer"
	case "cpo":
		return "chief product officer"
	case "cdo":
		return "chief data officer"
	case "chro":
		return "chief human resources officer"
	case "cco":
		return "chief commercial officer"
	case "cao":
		return "chief administrative officer"
	case "clo":
		return "chief legal officer"
	case "cno":
		return "chief nursing officer"
	case "cxo":
		return "chief experience officer"
	}
	return ""
}
