package matcher

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	edlib "github.com/hbollon/go-edlib"

	"github.com/crmlink/crmlink/internal/normalize"
)

// Level names used in [FieldScore.Level].
const (
	LevelExact    = "exact"
	LevelNickname = "nickname"
	LevelAcronym  = "acronym"
	// LevelSpelledOut is a company name that spells out the other's
	// acronym ([FieldWeights].SpelledOut).
	LevelSpelledOut = "spelled_out"
	LevelDomain     = "label"   // same domain label, other suffix
	LevelCountry    = "country" // same country, city differs or unknown
	LevelPattern    = "pattern" // email local part follows the names
	LevelInitial    = "initial" // a first name given as its initial
	LevelPrefix     = "prefix"  // one company name within the other: a brand, or the words of one among the other's
	LevelHigh       = "high"
	LevelMedium     = "medium"
	LevelDisagree   = "disagree"
)

// Field names used in [FieldScore.Field].
const (
	FieldName         = "name"
	FieldWebsite      = "website"
	FieldIndustry     = "industry"
	FieldLocation     = "location"
	FieldFirstName    = "first_name"
	FieldLastName     = "last_name"
	FieldCompany      = "company"
	FieldTitle        = "title"
	FieldEmail        = "email"
	FieldEmailPattern = "email_pattern"
	FieldEmailDomain  = "email_domain"
	FieldLegalForm    = "legal_form"
)

// tokenMatchMin is the Jaro-Winkler similarity above which two tokens of a
// multi-word name count as the same token with a typo.
const tokenMatchMin = 0.88

// minSimilarity is the similarity under which no level cares about the
// exact value: jw reports 0 below it when a cheap bound proves the pair
// cannot reach it (go-edlib allocates; most candidate pairs are far apart).
const minSimilarity = 0.7

// jwWith is Jaro-Winkler similarity (go-edlib) on strings already
// capped, or 0 when a cheap bound (jaroWinklerBounds) proves it below
// minSimilarity. Names compared as they are given (across unset) take the
// loose bound, which leaves out their common prefix: the similarities
// below minSimilarity of the pairs it lets through order candidates equal
// at every level by how near their names come (reporting 0 for every pair
// below it lost such ties on people's names: dev_senzing_member recall@1
// 0.849 -> 0.830). Names compared across fields (a last name against a
// first name), which count only when they beat the names as given, take
// the tight bound, which counts the common prefix and rules out more pairs.
// (A flag, not a function value: an indirect call would make every string
// compared escape to the heap.)
func jwWith(a, b string, across bool) float64 {
	if a == b {
		return 1
	}
	if a == "" || b == "" {
		return 0
	}
	loose, tight := jaroWinklerBounds(a, b)
	if across && tight < minSimilarity || !across && loose < minSimilarity {
		return 0
	}
	return jaroWinkler(a, b)
}

// jw is jwWith for names compared as they are given.
func jw(a, b string) float64 { return jwWith(a, b, false) }

// jaroWinkler is go-edlib's Jaro-Winkler similarity, without allocating
// for ASCII names.
func jaroWinkler(a, b string) float64 {
	if s, ok := jaroWinklerASCII(a, b); ok {
		return s
	}
	return float64(edlib.JaroWinklerSimilarity(a, b))
}

// jaroWinklerASCII is go-edlib's JaroWinklerSimilarity, step for step and in
// float32 like it, for ASCII strings of at most maxCompareRunes bytes,
// without allocating; ok is false for other strings. FuzzJaroWinkler checks
// that both agree.
func jaroWinklerASCII(a, b string) (float64, bool) {
	la, lb := len(a), len(b)
	if la > maxCompareRunes || lb > maxCompareRunes || !isASCII(a) || !isASCII(b) {
		return 0, false
	}
	if a == b {
		return 1, true
	}
	var ta, tb [maxCompareRunes]bool
	maxDist := max(la, lb)/2 - 1
	match := 0
	for i := 0; i < la; i++ {
		for j := max(0, i-maxDist); j < min(lb, i+maxDist+1); j++ {
			if a[i] == b[j] && !tb[j] {
				ta[i], tb[j] = true, true
				match++
				break
			}
		}
	}
	if match == 0 {
		return 0, true
	}
	var t float32
	p := 0
	for i := 0; i < la; i++ {
		if ta[i] {
			for !tb[p] {
				p++
			}
			if a[i] != b[p] {
				t++
			}
			p++
		}
	}
	t /= 2
	m := float32(match)
	jaro := (m/float32(la) + m/float32(lb) + (m-t)/m) / 3.0
	if jaro == 0 || jaro == 1 {
		return float64(jaro), true
	}
	prefix := 0
	for i := 0; i < min(la, lb); i++ {
		if a[i] != b[i] {
			break
		}
		prefix++
	}
	prefix = min(prefix, 4)
	return float64(jaro + 0.1*float32(prefix)*(1-jaro)), true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// jaroWinklerBounds returns two upper bounds of the Jaro-Winkler
// similarity of a and b, in one pass over each and without allocating: a
// byte of a whose value (modulo 64) never occurs in b cannot be part of a
// Jaro match, and conversely, so the matches m are at most
// min(|a| - missA, |b| - missB) counted in bytes (runes of several bytes
// only lower the true value), and Jaro <= (m/|a| + m/|b| + 1)/3 with
// lengths in runes. Winkler's prefix bonus adds 0.1(1-Jaro) for each
// letter of the names' common prefix, up to four: the loose bound takes
// all four whatever the names' first letters, the tight one the common
// prefix in bytes (at least the one in runes). The similarity is computed
// in float32: both are raised by a margin far above its rounding.
//
// The lengths in runes are the lengths in bytes when no byte has its high
// bit set, which the passes that build the masks tell (most names).
func jaroWinklerBounds(a, b string) (loose, tight float64) {
	var ma, mb uint64
	var high byte
	for i := 0; i < len(a); i++ {
		ma |= 1 << (a[i] & 63)
		high |= a[i]
	}
	for i := 0; i < len(b); i++ {
		mb |= 1 << (b[i] & 63)
		high |= b[i]
	}
	missA, missB := 0, 0
	for i := 0; i < len(a); i++ {
		if mb&(1<<(a[i]&63)) == 0 {
			missA++
		}
	}
	for i := 0; i < len(b); i++ {
		if ma&(1<<(b[i]&63)) == 0 {
			missB++
		}
	}
	la, lb := len(a), len(b)
	if high >= utf8.RuneSelf {
		la, lb = runeLen(a), runeLen(b)
	}
	mm := float64(min(len(a)-missA, len(b)-missB, la, lb))
	j := (mm/float64(la) + mm/float64(lb) + 1) / 3
	prefix := 0
	for prefix < 4 && prefix < len(a) && prefix < len(b) && a[prefix] == b[prefix] {
		prefix++
	}
	return j + 0.4*(1-j) + 1e-6, j + 0.1*float64(prefix)*(1-j) + 1e-6
}

func runeLen(s string) int {
	n := 0
	for range s {
		n++
	}
	return n
}

// tokenSim is the similarity of two tokens of a name: 1 when equal, their
// Jaro-Winkler similarity when it reaches tokenMatchMin, tokenMatchMin for
// a token one edit from the other, 0 otherwise.
func tokenSim(x, y string) float64 {
	if x == y {
		return 1
	}
	if len(x) <= 2 || len(y) <= 2 {
		return 0
	}
	if truncated(x, y) || truncated(y, x) {
		return max(tokenMatchMin, jw(x, y))
	}
	loose, tight := jaroWinklerBounds(x, y)
	if loose < tokenMatchMin {
		// Not the bound with the common prefix alone: a pair one edit
		// apart whose first letters differ ("bank", "tank") is below
		// tokenMatchMin, yet counts at it.
		return 0
	}
	if tight >= tokenMatchMin {
		if s := jaroWinkler(x, y); s >= tokenMatchMin {
			return s
		}
	}
	if oneEdit(x, y) {
		return tokenMatchMin
	}
	return 0
}

// truncated reports whether x is y cut short after four letters or more,
// two or more before its end ("deli" of "delicatessen", "tech" of
// "technologies").
func truncated(x, y string) bool {
	return len(x) >= 4 && len(y) >= len(x)+2 && strings.HasPrefix(y, x)
}

// softDice is a token-set Sørensen–Dice coefficient where two tokens agree
// at their tokenSim. Each token of a is matched to its best unused token of
// b. It is weightedSoftDice with equal weights.
func softDice(a, b []string) float64 { return weightedSoftDice(a, b, nil) }

// weightedSoftDice is softDice with the tokens of a weighed by aw: the
// harmonic mean of the share of a's weight that b matches and the share of
// b's tokens that a matches, each match counted at its similarity. With
// equal weights (aw nil) it is 2·Σsim / (|a|+|b|), the soft Dice coefficient. Weighing a query's words by their rarity in
// the directory keeps "First National Bank of Pennsylvania" apart from
// "First National Bank of Omaha": four words of five agree, but the one
// that tells them apart weighs most.
func weightedSoftDice(a, b []string, aw []float64) float64 {
	return softDiceForms(a, b, aw, 0, 0)
}

// softDiceForms is weightedSoftDice where a token of a that agrees with no
// token of b is also compared with the short forms of b's words that the
// normaliser expands, and conversely (see formSim): af and bf have bit i
// set for the tokens of a and b that have short forms (companyFeat.forms).
func softDiceForms(a, b []string, aw []float64, af, bf uint16) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	var used uint64 // b has at most maxTokens tokens
	var sum, wsum, wtot float64
	for i, x := range a {
		w := 1.0
		if aw != nil {
			w = aw[i]
		}
		wtot += w
		best, bi := 0.0, -1
		for j, y := range b {
			if used&(1<<j) != 0 {
				continue
			}
			s := tokenSim(x, y)
			if s > best {
				best, bi = s, j
				if s == 1 {
					break
				}
			}
		}
		if bi < 0 && (af&(1<<i) != 0 || bf != 0) {
			for j, y := range b {
				if used&(1<<j) == 0 && (af&(1<<i) != 0 || bf&(1<<j) != 0) {
					if s := formSim(x, y); s > best {
						best, bi = s, j
					}
				}
			}
		}
		if bi >= 0 {
			used |= 1 << bi
			sum += best
			wsum += w * best
		}
	}
	if wtot <= 0 || sum == 0 {
		return 0
	}
	qa, cb := wsum/wtot, sum/float64(len(b))
	return 2 * qa * cb / (qa + cb)
}

// formSim is the similarity of a company name's tokens x and y when they
// are not alike: the best tokenSim of x with a short form of y's word
// (normalize.CompanyWordForms), or of y with one of x's. The normaliser
// expands the short forms it knows ("Hldgs" to "holdings", "Pharma" to
// "pharmaceuticals"), so that one with a typo ("Hldsg", "Pnarma") stays
// a short form and is compared with the long word, which it does not
// resemble; compared with the forms, it agrees as a typo does.
//
// A short form is a word of a closed list, so that a word one letter from
// it, however short, is that short form with a typo rather than another
// word ("Lans" of "Labs", which the normaliser wrote "laboratories"):
// it agrees at tokenMatchMin, as a longer word one edit away does.
func formSim(x, y string) float64 {
	best := 0.0
	for _, f := range normalize.CompanyWordForms(y) {
		best = max(best, formTokenSim(x, f))
	}
	for _, f := range normalize.CompanyWordForms(x) {
		best = max(best, formTokenSim(f, y))
	}
	return best
}

// formTokenSim is tokenSim of a word and a short form, and at least
// tokenMatchMin when the two are of equal length, minFormEditLen letters or
// more, and one substitution apart after the same first letter.
func formTokenSim(x, y string) float64 {
	s := tokenSim(x, y)
	if s < tokenMatchMin && len(x) == len(y) && len(x) >= minFormEditLen && oneSubstitution(x, y) {
		return tokenMatchMin
	}
	return s
}

// minFormEditLen is the shortest short form a substitution keeps
// recognisable ("labs", "intl", "mfg" is too short).
const minFormEditLen = 4

// oneSubstitution reports whether the equal-length strings a and b differ
// in exactly one byte after their first.
func oneSubstitution(a, b string) bool {
	if a[0] != b[0] {
		return false
	}
	diff := 0
	for i := 1; i < len(a); i++ {
		if a[i] != b[i] {
			diff++
		}
	}
	return diff == 1
}

// minOneEditLen is the shortest token that a single edit keeps
// recognisable: shorter ones ("red" and "ree") must pass Jaro-Winkler.
const minOneEditLen = 5

// oneEdit reports whether the ASCII tokens a and b, both at least
// minOneEditLen bytes long, are one substitution, insertion, deletion or
// adjacent transposition apart. Jaro-Winkler, which scores a shared
// prefix, rejects some of these pairs ("clnsulting" and "consulting":
// 0.87; "vrest" and "crest": 0.87); a token one edit away then counts at
// tokenMatchMin, the least a typo-level agreement is worth.
func oneEdit(a, b string) bool {
	return len(a) >= minOneEditLen && len(b) >= minOneEditLen && oneEditAny(a, b)
}

// oneEditAny is oneEdit of ASCII tokens of any length.
func oneEditAny(a, b string) bool {
	if !isASCII(a) || !isASCII(b) {
		return false
	}
	if len(a) < len(b) {
		a, b = b, a
	}
	if len(a)-len(b) > 1 {
		return false
	}
	i := 0
	for i < len(b) && a[i] == b[i] {
		i++
	}
	if i == len(b) {
		return true // equal, or a has one more byte at the end
	}
	if len(a) > len(b) {
		return a[i+1:] == b[i:] // one insertion
	}
	if a[i+1:] == b[i+1:] {
		return true // one substitution
	}
	// one adjacent transposition
	return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
}

// companySimW is the similarity of two company names: the highest of the
// soft token-set coefficient and two similarities of the names without
// spaces. The edit similarity (see editSim) keeps a name close whose typos
// spread over several words ("Swift Stteam Bamk" for "Swift Stream Bank")
// or whose spaces moved ("Micro Soft"). Jaro-Winkler, which rewards a
// shared start, counts for one-word names, and for a name that is the start
// of the other give or take a typo ("Siemens" of "Siemens Mobility",
// "Price Waterhouse Coopers" of "PricewaterhouseCoopers International"):
// between other names of different lengths it would put "Swift Company"
// nearer to "Swift Stteam Bamk" than "Swift Stream Bank" is. The tokens of
// a are weighed by aw (see weightedSoftDice); nil weighs them alike.
//
// Between names of several words, the similarities without spaces count
// in full only when no word of one name is missing from the other beyond a
// typo's reach (wordReplaced): a few letters that differ in one word are
// then more likely a different word than typos spread over the name, and
// the similarity stays below replacedCeil ("Munich University of Applied
// Sciences" and "Zurich University of Applied Sciences" share all but the
// word that tells them apart, two edits in 33 letters).
func companySimW(a, b *companyFeat, aw []float64) float64 {
	var s float64
	if len(aw) != len(a.tokens) {
		aw = nil
	}
	s = softDiceForms(a.tokens, b.tokens, aw, a.forms, b.forms)
	if s == 1 {
		return 1
	}
	if len(a.tokens) == 1 && len(b.tokens) == 1 {
		s = max(s, jw(a.joined, b.joined))
		return max(s, editSim(a.joined, b.joined, s))
	}
	c, prefix := 0.0, false
	if (len(a.tokens) != len(b.tokens) || wordsAdded(a, b)) && nearPrefix(a.joined, b.joined) {
		c, prefix = prefixSim(a, b, aw), true
	}
	c = max(c, editSim(a.joined, b.joined, max(s, c)))
	if c <= max(s, replacedCeil) {
		return max(s, c)
	}
	if prefix && len(a.joined) != len(b.joined) {
		// The shorter name is the start of the other: its words only.
		short, long := a, b
		if len(a.joined) > len(b.joined) {
			short, long = b, a
		}
		if wordReplaced(short.tokens, long.joined) {
			return max(s, min(c, replacedCeil))
		}
	} else if wordReplaced(a.tokens, b.joined) || wordReplaced(b.tokens, a.joined) {
		return max(s, min(c, replacedCeil))
	}
	return c
}

// wordsAdded reports whether, of two names with as many words once camel
// case is parted (see companyFeat.written) but spaced differently as
// written, the longer adds whole words to the shorter: its first words
// spell the shorter's letters and more words follow ("Price Waterhouse
// Coopers" and "PricewaterhouseCoopers International").
func wordsAdded(a, b *companyFeat) bool {
	if a.written == "" && b.written == "" {
		return false
	}
	short, long := a, b
	if len(a.joined) > len(b.joined) {
		short, long = b, a
	}
	if len(long.tokens) < 2 {
		return false
	}
	n := 0
	for i, t := range long.tokens[:len(long.tokens)-1] {
		if n += len(t); n >= len(short.joined) {
			return n == len(short.joined) && i+1 < len(long.tokens)
		}
	}
	return false
}

// replacedCeil is the highest similarity without spaces of two names one of
// whose words the other does not hold (companySimW): below the default
// High cut-off, within Medium.
const replacedCeil = 0.9

// wordReplaced reports whether a word of toks of four letters or more is
// not within joined (the other name without spaces) give or take one edit
// in six letters (at least one): another word in its place rather than a
// typo. The first word may carry the article joined to it. Names not in
// ASCII are never reported.
func wordReplaced(toks []string, joined string) bool {
	if !isASCII(joined) || len(joined) > maxCompareRunes {
		return false
	}
	for i, t := range toks {
		if len(t) < 4 || len(t) > maxCompareRunes || normalize.IsStopword(t) || strings.Contains(joined, t) || !isASCII(t) {
			continue
		}
		if i == 0 && len(t)-len(article) >= 4 && strings.HasPrefix(t, article) {
			// The article a name's core leaves out, joined to the
			// first word ("TheZeta").
			t = t[len(article):]
		}
		if !withinSubstring(t, joined, max(1, len(t)/6)) {
			return true
		}
	}
	return false
}

// article is the leading word a company name's core leaves out
// (normalize.Company).
const article = "the"

// withinSubstring reports whether some substring of s is within limit
// optimal-string-alignment edits of t (Sellers' approximate string
// matching: bitOSA with a match free to start anywhere in s). t and s are
// ASCII, t at most 64 bytes.
func withinSubstring(t, s string, limit int) bool {
	if len(t) <= limit {
		return true // the empty substring
	}
	var o bitOSA
	o.init(t)
	o.carry = 0
	return o.read(s, 1, limit)
}

// prefixSim is the Jaro-Winkler similarity of the names without spaces,
// one the start of the other (nearPrefix). When b, the shorter, is the start
// of a and a's tokens are weighed (aw), the agreement covers a's leading
// tokens only: it is bounded as weightedSoftDice would count it, the share
// q of a's weight in the leading tokens that cover b against all of b,
// 2q/(1+q) of the leading tokens' similarity to b. Jaro-Winkler rewards a
// shared start whatever follows it, so that a directory's "Global" (of
// "The Global Company") would otherwise stand as near to "Global Fiara
// Shipping" as "Fiara Shipping" does, and "Partners" to "Partners Onveify":
// the word they share is the query's most common.
func prefixSim(a, b *companyFeat, aw []float64) float64 {
	j := jw(a.joined, b.joined)
	if len(aw) != len(a.tokens) || len(b.joined) >= len(a.joined) {
		return j
	}
	// The leading tokens of a that reach b's length, give or take the two
	// letters nearPrefix allows.
	n, k := 0, 0
	for k < len(a.tokens) && n < len(b.joined)-2 {
		n += len(a.tokens[k])
		k++
	}
	if k == len(a.tokens) || n > len(a.joined) {
		return j
	}
	var lead, tot float64
	for i, w := range aw {
		tot += w
		if i < k {
			lead += w
		}
	}
	if tot <= 0 {
		return j
	}
	q := lead / tot
	return min(j, 2*q/(1+q)*jw(a.joined[:n], b.joined))
}

// nearPrefix reports whether the shorter of a and b is the start of the
// other with at most one edit in six letters: a start of the other's
// length, give or take two letters (a letter doubled or dropped moves the
// end), is that close. Names not in ASCII are always near (their
// Jaro-Winkler similarity counts as before).
//
// The distances of a to the starts b[:k] are the columns k of one
// alignment of a against b, so one bit-parallel pass over b yields them
// all (the starts tried are those osaASCII accepts: ASCII, at most
// maxCompareRunes bytes; any other start counts as near).
func nearPrefix(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	limit := max(1, len(a)/6)
	lo, hi := max(1, len(a)-2), min(len(b), len(a)+2)
	if lo > hi {
		return false
	}
	if len(a) > maxCompareRunes || hi > maxCompareRunes || !isASCII(a) || !isASCII(b[:hi]) {
		return true // the start b[:hi] is tried and not in ASCII or too long
	}
	if a == "" {
		return true // b[:1] is one insertion away
	}
	var o bitOSA
	o.init(a)
	return o.read(b[:hi], lo, limit)
}

// editSim is 1 - d/n, d the optimal-string-alignment distance of a and b
// (go-edlib's OSADamerauLevenshteinDistance: edits, transpositions of
// adjacent letters included) and n the longer one's length in runes, or 0
// when that is certainly not above floor.
func editSim(a, b string, floor float64) float64 {
	if a == b {
		return 1
	}
	la, lb := runeLen(a), runeLen(b)
	n := max(la, lb)
	if n == 0 || 1-float64(abs(la-lb))/float64(n) <= floor {
		return 0 // the length difference alone costs more
	}
	d, ok := osaASCII(a, b)
	if !ok {
		d = edlib.OSADamerauLevenshteinDistance(a, b)
	}
	return 1 - float64(d)/float64(n)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// osaASCII is go-edlib's OSADamerauLevenshteinDistance for ASCII strings of
// at most maxCompareRunes bytes, bit-parallel (bitOSA) and without
// allocating; ok is false for other strings. TestOSABits and FuzzOSABits
// check it against the dynamic programme, FuzzEditSim against go-edlib.
func osaASCII(a, b string) (int, bool) {
	la, lb := len(a), len(b)
	if la > maxCompareRunes || lb > maxCompareRunes || !isASCII(a) || !isASCII(b) {
		return 0, false
	}
	if la == 0 {
		return lb, true
	}
	var o bitOSA
	o.init(a)
	o.read(b, lb+1, 0)
	return o.dist, true
}

// bitOSA is the optimal-string-alignment distance of an ASCII pattern of 1
// to 64 bytes against a text read a byte at a time: Myers' bit-vector edit
// distance with Hyyrö's extension for transpositions of adjacent letters
// (H. Hyyrö, "A bit-vector algorithm for computing Levenshtein and Damerau
// edit distances", Nordic Journal of Computing 10, 2003). Bit i of a
// vector is row i+1 of the dynamic programme's current column: vp and vn
// mark the rows one more and one less than the row above, d0 the rows
// equal to their upper-left neighbour. dist is the distance of the
// pattern to the text read so far.
//
// With carry 0 instead of 1 (row 0 of the programme all zeros rather than
// counting the text read), dist is the distance to the best substring of
// the text ending at the last byte read: a search for the pattern within
// the text.
type bitOSA struct {
	peq                          [128]uint64 // by byte: the rows whose pattern byte it is
	vp, vn, d0, pm0, last, carry uint64      // pm0: peq of the previous text byte
	dist                         int
}

// init starts a column walk for pattern a (ASCII, 1 to 64 bytes).
func (o *bitOSA) init(a string) {
	for i := 0; i < len(a); i++ {
		o.peq[a[i]&127] |= 1 << i
	}
	o.vp = ^uint64(0) >> (64 - len(a))
	o.last = 1 << (len(a) - 1)
	o.carry = 1
	o.dist = len(a)
}

// read reads the bytes of text (ASCII) and reports, as soon as it is
// true, whether the distance is at most limit after some k >= lo bytes;
// with lo > len(text) it reads them all. Bits above the pattern's length
// carry garbage, which only moves up and never reaches the pattern's rows.
func (o *bitOSA) read(text string, lo, limit int) bool {
	vp, vn, d0, pm0, last, carry, dist := o.vp, o.vn, o.d0, o.pm0, o.last, o.carry, o.dist
	for k := 0; k < len(text); k++ {
		pm := o.peq[text[k]&127]
		tr := ((^d0 & pm) << 1) & pm0
		d0 = (((pm & vp) + vp) ^ vp) | pm | vn | tr
		hp := vn | ^(d0 | vp)
		hn := d0 & vp
		if hp&last != 0 {
			dist++
		} else if hn&last != 0 {
			dist--
		}
		hp = hp<<1 | carry
		hn <<= 1
		vp = hn | ^(d0 | hp)
		vn = hp & d0
		pm0 = pm
		if k+1 >= lo && dist <= limit {
			o.vp, o.vn, o.d0, o.pm0, o.dist = vp, vn, d0, pm0, dist
			return true
		}
	}
	o.vp, o.vn, o.d0, o.pm0, o.dist = vp, vn, d0, pm0, dist
	return false
}

// gramDice is the Sørensen–Dice coefficient of the character bigrams of two
// names in their own script (normalize.AppendGrams).
func gramDice(a, b string) float64 {
	var ba, bb [maxCompanyGrams]string
	ga := normalize.AppendGrams(ba[:0], a, maxCompanyGrams)
	gb := normalize.AppendGrams(bb[:0], b, maxCompanyGrams)
	if len(ga) == 0 || len(gb) == 0 {
		return 0
	}
	var used uint32
	n := 0
	for _, x := range ga {
		for j, y := range gb {
			if used&(1<<j) == 0 && x == y {
				used |= 1 << j
				n++
				break
			}
		}
	}
	return 2 * float64(n) / float64(len(ga)+len(gb))
}

// isAcronym reports whether one name is the acronym of the other.
func isAcronym(a, b *companyFeat) bool {
	return acronymOf(a, b) || acronymOf(b, a) || initialsAre(a, b) || initialsAre(b, a) ||
		acronymAndWords(a, b) || acronymAndWords(b, a)
}

// acronymAndWords reports whether a is an acronym followed or preceded by
// words of b: a's other words are all b's, and one word of a is the
// initials of b's remaining words, connectives left out ("UT Austin" of
// "University of Texas at Austin", "GE Healthcare" of "General Electric
// Healthcare", "LMU Munich" of "Ludwig Maximilian University Munich").
func acronymAndWords(a, b *companyFeat) bool {
	if len(a.tokens) < 2 || len(b.tokens) < 3 || len(a.tokens) >= len(b.tokens) {
		return false
	}
	acr := -1
	var held uint64 // b's words (at most maxTokens) that a's other words are
	for i, t := range a.tokens {
		if j := slices.Index(b.tokens, t); j >= 0 && held&(1<<j) == 0 {
			held |= 1 << j
			continue
		}
		if acr >= 0 || len(t) < 2 || len(t) > 6 || normalize.IsStopword(t) {
			return false
		}
		acr = i
	}
	if acr < 0 {
		return false
	}
	t := a.tokens[acr]
	k := 0
	for j, w := range b.tokens {
		if held&(1<<j) != 0 || normalize.IsStopword(w) {
			continue
		}
		if k == len(t) || w == "" || w[0] != t[k] {
			return false
		}
		k++
	}
	return k == len(t) && k >= 2
}

// initialsAre reports whether the one-word name b is the letters of a,
// a name of one- or two-letter words joined by "and" ("ATT" of "AT&T").
func initialsAre(a, b *companyFeat) bool {
	return a.initials != "" && len(b.tokens) == 1 && b.tokens[0] == a.initials
}

// acronymOf reports whether the one-token name a, or the letters of a name
// of one-letter words ("J&J"), is an acronym of b: with or without the
// initial of a leading "The" or of a dropped legal word ("TSMC").
func acronymOf(a, b *companyFeat) bool {
	if b.acronym == "" || len(b.tokens) < 2 {
		return false
	}
	var t string
	switch {
	case len(a.tokens) == 1:
		t = a.tokens[0]
	case a.initials != "" && a.initials != b.initials:
		t = a.initials // "J&J"
	default:
		return false
	}
	if t == b.acronym || b.theAcronym != "" && t == b.theAcronym {
		return true
	}
	for _, l := range b.legalAcronyms {
		if l != "" && t == l {
			return true
		}
	}
	return false
}

// scorer computes the field scores of one query against candidates.
type scorer struct {
	w   *Weights
	q   *Query
	tfU [nTFSlots]float64 // term-frequency U of the query's exact values, 0 when unknown
	// acronymCount is how many names of the directory have the company
	// query's acronym or hold it as a word (tfAcronym, tfAcronymWord), 0
	// when unknown.
	acronymCount int
	// addrCount is how many entities share the query's street and house
	// number, 0 when unknown.
	addrCount int
	// emailU replaces the Exact U of an email held by several members
	// (0: the default U).
	emailU float64
	// prefix counts the companies a one-word company name is the brand
	// of, for the Prefix level's term-frequency U; zero when unknown.
	prefix prefixCounts
	// household is the chance that a member with the query's last name
	// who is not the query's person lives at its address ([Weights].
	// Household over the other holders of the name; 0 when unknown).
	household float64
	// tokW are the weights of the query's company name tokens, their
	// inverse document frequencies in the directory; nTokW is 0 when
	// unknown (the tokens then weigh alike).
	tokW  [maxTokens]float64
	nTokW int
	// foreignIndustry is set when the directory tells that no company
	// carries the query's industry label: industries are then compared in
	// different vocabularies and not at all.
	foreignIndustry bool
	// memo, when not nil, holds the employer and title comparisons of
	// this query (see memberMemo).
	memo *memberMemo
	// name, when its High level is set, replaces [Weights].CompanyName
	// for this query: High's U scaled by the length of the query's name
	// ([Weights].NearNameScale; see scaleNearName).
	name FieldWeights
	// levels, when not nil, remembers the weights of levels (see weight).
	levels *levelCache
}

// levelCache remembers the weights log2(M/U) of the levels a scorer met
// last, by M and U: a query weighs the same few levels for each of its
// candidates, and a logarithm costs as much as some fields' whole
// comparison. A direct-mapped table: a level whose place another took is
// computed again.
type levelCache [64]struct{ m, u, w float64 }

// weight returns l.Weight(), remembered in s.levels.
func (s *scorer) weight(l Level) float64 {
	c := s.levels
	if c == nil {
		return l.Weight()
	}
	h := (math.Float64bits(l.M) ^ math.Float64bits(l.U)*0x9e3779b97f4a7c15) * 0xff51afd7ed558ccd >> 58
	e := &c[h]
	// An empty entry is the level {0, 0}, whose weight is 0; a NaN never
	// equals the entry it was stored in, and is computed each time.
	if e.m == l.M && e.u == l.U {
		return e.w
	}
	e.m, e.u, e.w = l.M, l.U, l.Weight()
	return e.w
}

// scaleNearName sets s.name to the company name weights for the query's
// name when [Weights].NearNameScale scales them, so that company compares
// names with them; it does nothing for other queries.
func (s *scorer) scaleNearName() {
	if s.q == nil {
		return
	}
	f := s.w.nearScale(s.q)
	if f == 1 || s.w.CompanyName.High.M <= 0 {
		return
	}
	s.name = s.w.CompanyName
	s.name.High.U = min(1, s.name.High.U*f)
}

// companyNameWeights returns the weights company compares names with.
func (s *scorer) companyNameWeights() *FieldWeights {
	if s.name.High.M > 0 {
		return &s.name
	}
	return &s.w.CompanyName
}

// memoSize is how many candidate employers, and titles, a memberMemo
// holds: a query scores DefaultCandidateLimit candidates.
const memoSize = 32

// memberMemo remembers, for the scoring of one member query, the field
// scores of the query's employer against each employer met and of its
// title against each title met: members of one employer share its
// features, and members of one title its own (see [Interner]), and the
// candidates of a member query are often colleagues. Employers are keyed
// by the candidate's employer features, a pointer, so that an employer is
// only ever found for itself; titles by their normal form and words. Once
// full it computes the rest without remembering them. reset empties it.
type memberMemo struct {
	n    int
	emps [memoSize]*companyFeat
	fs   [memoSize]FieldScore

	nt     int
	titles [memoSize]titleFeat
	tfs    [memoSize]FieldScore
}

func (m *memberMemo) reset() {
	clear(m.emps[:m.n])
	clear(m.titles[:m.nt])
	m.n, m.nt = 0, 0
}

// employer compares the query's employer with c, both not empty: a
// companyName comparison, which depends on nothing but c for one query.
func (s *scorer) employer(c *companyFeat) FieldScore {
	m := s.memo
	if m != nil {
		for i, e := range m.emps[:m.n] {
			if e == c {
				return m.fs[i]
			}
		}
	}
	fs := s.companyName(FieldCompany, &s.w.Employer, &s.q.employer, c, s.tfU[tfEmployer], nil, nil)
	if m != nil && m.n < memoSize {
		m.emps[m.n], m.fs[m.n] = c, fs
		m.n++
	}
	return fs
}

// title compares the query's title with c, both not empty: a comparison
// that depends on nothing but c's title for one query, remembered in
// s.memo as employer's are.
func (s *scorer) title(c *titleFeat) FieldScore {
	m := s.memo
	if m != nil {
		for i, t := range m.titles[:m.nt] {
			// The norm is capped in length, the tokens are not: both
			// name the title.
			if t.norm == c.norm && slices.Equal(t.tokens, c.tokens) {
				return m.tfs[i]
			}
		}
	}
	fs := FieldScore{Field: FieldTitle}
	if s.q.title.norm == c.norm {
		fs.Level, fs.Similarity, fs.Contribution = LevelExact, 1, s.weight(s.w.Title.Exact)
	} else {
		fs.Similarity = softDice(s.q.title.tokens, c.tokens)
		fs.Level, fs.Contribution = s.level(&s.w.Title, fs.Similarity)
	}
	if m != nil && m.nt < memoSize {
		m.titles[m.nt], m.tfs[m.nt] = *c, fs
		m.nt++
	}
	return fs
}

// exact returns the Exact weight of fw, term-frequency adjusted by u when
// u > 0. The adjustment never takes it below the High level's weight: an
// exact agreement on a common value says at least as much as a near one.
func (s *scorer) exact(fw *FieldWeights, u float64) float64 {
	w := s.tfWeight(fw.Exact, u)
	if u <= 0 || fw.Exact.M <= 0 {
		return w
	}
	// Not below any partial agreement: a near match, a brand prefix or an
	// acronym (fitted weights can order these otherwise).
	for _, l := range []Level{fw.High, fw.Prefix, fw.Equivalent} {
		if l.M > 0 {
			w = math.Max(w, s.weight(l))
		}
	}
	return w
}

// prefixCounts are the counts behind the Prefix level's term-frequency U
// of a one-word company name.
type prefixCounts struct {
	word      int     // companies of the directory whose names hold the word
	start     int     // candidates whose names start with the word without holding it
	universe  float64 // the directory's size, as the prior takes it
	singleton float64 // [FieldWeights].Singleton of company names
	// tokN counts the directory's names that hold each of the query's
	// words (nTok of them; a word none holds counts the words one edit
	// away), for containedU.
	tokN [maxTokens]int
	nTok int
	// stop has bit i set when the query's word i is a connective ("of",
	// "de"): it goes with the words around it, and containedU leaves it
	// out of its product.
	stop uint64
	// typos has bit i set when no name of the directory holds the query's
	// word i but some hold a word one edit from it: a typo of a word the
	// directory knows.
	typos uint64
}

// containedU returns the chance that a name of the directory other than
// the candidate is, by chance, made of the query's words that used marks:
// the directory's names expected to hold them all, as if its words were
// held independently, less the candidate; a name no other is expected to
// hold counts as a name held once. Connectives are left out: "de" is not
// held apart from "Universidad", and counting it as if it were would
// make "Universidad de" a rare name.
func (p *prefixCounts) containedU(used uint64) float64 {
	est := p.universe
	for i := range p.nTok {
		if used&^p.stop&(1<<i) != 0 {
			est *= float64(p.tokN[i]) / p.universe
		}
	}
	g := p.singleton
	if g <= 0 {
		g = 1
	}
	return max(est-1, g) / p.universe
}

// u returns the chance that a company other than candidate c, at random,
// is also one the one-word name q is the brand of: the companies that hold
// q's word or whose names start with it, less c, over the universe. A name
// that is the brand of c alone counts as a name held once.
func (p *prefixCounts) u(q, c *companyFeat) float64 {
	n := p.word + p.start
	if slices.Contains(c.tokens, q.tokens[0]) || startsWithWord(c, q.tokens[0]) {
		n--
	}
	if n >= 1 {
		return float64(n) / p.universe
	}
	if p.singleton > 0 {
		return p.singleton / p.universe
	}
	return 1 / p.universe
}

// startsWithWord reports whether c's name without spaces starts with the
// word w, at least minPrefixRunes long, and goes on ("total" of
// "totalenergies"), without holding w as a word.
func startsWithWord(c *companyFeat, w string) bool {
	return runeLen(w) >= minPrefixRunes && len(c.joined) > len(w) && strings.HasPrefix(c.joined, w) &&
		!slices.Contains(c.tokens, w)
}

// tfWeight returns the weight of level l with its U replaced by the
// term-frequency U u when u > 0, at most [Weights.MaxTFAdjust] bits from
// l's own. Unlike [scorer.exact] it does not hold an Exact weight up to the
// near levels: an address several entities share is common however rare a
// typo of it would be.
func (s *scorer) tfWeight(l Level, u float64) float64 {
	base := s.weight(l)
	if u <= 0 || l.M <= 0 {
		return base
	}
	lim := s.w.MaxTFAdjust
	return math.Max(base-lim, math.Min(base+lim, math.Log2(l.M/u)))
}

func (s *scorer) level(fw *FieldWeights, sim float64) (string, float64) {
	switch {
	case sim >= s.w.HighSimilarity && fw.High.M > 0:
		return LevelHigh, s.weight(fw.High)
	case sim >= s.w.MediumSimilarity && fw.Medium.M > 0:
		return LevelMedium, s.weight(fw.Medium)
	default:
		return LevelDisagree, s.weight(fw.Disagree)
	}
}

// companyName compares two company names.
func (s *scorer) companyName(field string, fw *FieldWeights, q, c *companyFeat, tfU float64, qw []float64, prefix *prefixCounts) FieldScore {
	fs := s.companyNameLevel(field, fw, q, c, tfU, qw, prefix)
	if (q.written != "" || c.written != "" || (q.joined == c.joined && q.core != c.core)) && fs.Similarity > spacingGap {
		// Names parted from camel case compare by their words; of two
		// names alike but for their spacing ("CobaltGate Media" and
		// "Cobalt Gate Media"; "Cobaltgate Media" and either), the one
		// spaced as the query is nearer, by a margin that orders ties
		// and moves no level.
		if qw, cw := q.writtenOr(), c.writtenOr(); qw != cw {
			fs.Similarity -= spacingGap * (1 - editSim(qw, cw, -1))
		}
	}
	return fs
}

// spacingGap bounds how much nearer a name spaced as the query is than one
// spaced otherwise (companyName).
const spacingGap = 1e-4

// acronym compares q and c, one the acronym of the other: at SpelledOut
// when the query spells out the candidate's name (a company query's name
// of more words than the candidate's, not one-letter words as "AT&T" is,
// and fw has the level), at Equivalent otherwise. A spelled-out name
// weighs less the more names of the directory share its acronym
// (tfAcronym): an acronym that k names share agrees by chance k times as
// often as one that names one company ("DT" may stand for many of a
// million companies, "APNIC" for one).
func (s *scorer) acronym(field string, fw *FieldWeights, q, c *companyFeat) FieldScore {
	if field != FieldName || s.q.kind != KindCompany || fw.SpelledOut.M <= 0 || len(c.tokens) >= len(q.tokens) || q.initials != "" {
		return FieldScore{Field: field, Level: LevelAcronym, Similarity: 1, Contribution: s.weight(fw.Equivalent)}
	}
	w := s.weight(fw.SpelledOut)
	if s.acronymCount > 1 {
		w -= min(math.Log2(float64(s.acronymCount)), s.w.MaxTFAdjust)
	}
	return FieldScore{Field: field, Level: LevelSpelledOut, Similarity: 1, Contribution: w}
}

// companyNameLevel is companyName before the spacing of the names counts.
func (s *scorer) companyNameLevel(field string, fw *FieldWeights, q, c *companyFeat, tfU float64, qw []float64, prefix *prefixCounts) FieldScore {
	if (q.native == "") != (c.native == "") && fw.Medium.M > 0 {
		// A name written in two scripts gives its Latin name beside the
		// native one ("Tencent 腾讯"): that name compares with one in
		// Latin letters as any other does. The query's term frequencies
		// and word weights are of its whole name, and left out when
		// its Latin part stands for it.
		var latin FieldScore
		switch {
		case q.latin != nil:
			latin = s.companyNameLevel(field, fw, q.latin, c, 0, nil, nil)
		case c.latin != nil:
			latin = s.companyNameLevel(field, fw, q, c.latin, tfU, qw, prefix)
		}
		if latin.Level != "" && latin.Level != LevelDisagree && latin.Level != LevelMedium {
			return latin
		}
		// One name in Latin, the other transliterated (pinyin, kana ...):
		// a transliteration that agrees is weak evidence (homophones are
		// common, most native names are translated rather than
		// transliterated), at most the Medium level.
		sim := companySimW(q, c, qw)
		if sim >= s.w.MediumSimilarity {
			return FieldScore{Field: field, Level: LevelMedium, Similarity: sim, Contribution: s.weight(fw.Medium)}
		}
		return FieldScore{Field: field, Level: LevelDisagree, Similarity: sim, Contribution: s.weight(fw.Disagree)}
	}
	if q.core == c.core || (q.joined == c.joined && q.joined != "" && q.native == "" && c.native == "") {
		// The same words, or the same letters spaced otherwise ("PayPal"
		// and "Pay Pal", "PAYPAL"): camel case parts a name's words
		// (normalize.SplitCamel) where the same name in capitals cannot.
		// Of two such names, the one written as the query ranks first
		// (companyName).
		return FieldScore{Field: field, Level: LevelExact, Similarity: 1, Contribution: s.exact(fw, tfU)}
	}
	sim := companySimW(q, c, qw)
	if q.native != "" && c.native != "" {
		// Both in a transliterated script: their own letters say more
		// than the transliteration (homophones, words run together).
		if q.native == c.native {
			return FieldScore{Field: field, Level: LevelExact, Similarity: 1, Contribution: s.exact(fw, tfU)}
		}
		sim = max(min(sim, s.w.HighSimilarity-0.01), gramDice(q.native, c.native))
		if sim < s.w.HighSimilarity && fw.Prefix.M > 0 && runeLen(q.native) >= 2 && strings.Contains(c.native, q.native) {
			// A name contained in the other, as a brand in its legal
			// name ("大疆创新" in "深圳市大疆创新科技").
			return FieldScore{Field: field, Level: LevelPrefix, Similarity: sim, Contribution: s.weight(fw.Prefix)}
		}
	}
	if near := 1 - (1-s.w.HighSimilarity)/(2*NearNameBinCount); sim < near && sameUmlautSpelling(q.core, c.core) {
		// "Mueller Logistik" and "Müller Logistik": one name in two
		// spellings, in the middle of High's nearest bin
		// (Weights.NearNameBins) whatever the letters' similarity.
		sim = near
	}
	if sim < s.w.HighSimilarity && isAcronym(q, c) {
		return s.acronym(field, fw, q, c)
	}
	if sim < s.w.HighSimilarity && fw.Prefix.M > 0 && isPrefixName(q, c) {
		w := s.weight(fw.Prefix)
		if prefix != nil && prefix.universe > 0 {
			w = s.tfWeight(fw.Prefix, prefix.u(q, c))
		}
		if fw.High.M > 0 && !slices.Contains(c.tokens, q.tokens[0]) {
			// The start of a word, however rare, says no more than a
			// near spelling of the whole name: "Ondii" is as likely
			// "Ondiio" with a letter dropped as the start of
			// "Ondiioara", and orders with such names by similarity.
			// A word of the name ("HHI" of "HHI Group") keeps its
			// weight.
			w = min(w, max(s.weight(fw.High), s.weight(fw.Prefix)))
		}
		return FieldScore{Field: field, Level: LevelPrefix, Similarity: sim, Contribution: w}
	}
	if sim < s.w.HighSimilarity && fw.Prefix.M > 0 {
		used, ok, loose, typo := containedName(q, c)
		if loose && fw.Partial.M > 0 {
			return FieldScore{Field: field, Level: LevelPartial, Similarity: sim, Contribution: s.partialWeight(fw, prefix, q, used, typo)}
		}
		if ok && prefix != nil && len(c.tokens) < len(q.tokens) && prefix.nTok == len(q.tokens) &&
			nearNone(q, c, prefix.typos&^used&^uint64(q.scope)) != 0 {
			// A word of the query the directory's name leaves out is a
			// typo of a word other names hold ("Titaio Vapitall" for
			// "Titaio Capital", not "Titaio"): the query names more
			// than the name within it, and the names compare as less
			// alike ones do (not at Partial, which would still put
			// "Titaio" above the typo's own company).
			ok, loose = false, true
		}
		if loose && sim < s.w.MediumSimilarity && fw.Medium.M > 0 {
			return FieldScore{Field: field, Level: LevelMedium, Similarity: sim, Contribution: s.mediumWeight(fw, prefix, q, c)}
		}
		if ok {
			w := s.withinWeight(fw.Prefix, prefix, q, used)
			if fw.High.M > 0 {
				// The longer name's other words are unexplained: a
				// rare word does not make a name within the other
				// say more than a near spelling of the whole name,
				// whose typo would otherwise lose to the rare word's
				// namesake ("Alyx Consult" for "Alyx Consult Ores"),
				// unless the level itself says more (fitted to a
				// batch of name variants).
				w = min(w, max(s.weight(fw.High), s.weight(fw.Prefix)))
				if typo {
					// A word with a typo besides: no more than a near
					// spelling of the whole name.
					w = min(w, s.weight(fw.High))
				}
			}
			if (q.scope | c.scope) != 0 {
				// Names that differ by words of scope only are as alike
				// as their other words: "Gifion" is all of "Gifion USA".
				sim = max(sim, scopeFreeSim(q, c, qw))
			}
			return FieldScore{Field: field, Level: LevelPrefix, Similarity: sim, Contribution: w}
		}
		if loose || (q.scope|c.scope) == 0 {
			return s.nameLevel(field, fw, q, c, sim, prefix)
		}
		// Words of scope make the names differ more than their
		// spellings do ("Retaiium USA" for "Retatiium"): without them
		// a near spelling is a name within the other with a typo,
		// weighed as the query's other words would be within it, and
		// at most as a near spelling of a whole name.
		s2 := scopeFreeSim(q, c, qw)
		if s2 >= s.w.HighSimilarity {
			w := s.withinWeight(fw.Prefix, prefix, q, uint64(^q.scope)&(1<<len(q.tokens)-1))
			if fw.High.M > 0 {
				w = min(w, s.weight(fw.High))
			}
			return FieldScore{Field: field, Level: LevelPrefix, Similarity: s2, Contribution: w}
		}
		if s2 >= s.w.MediumSimilarity && sim < s.w.MediumSimilarity && fw.Medium.M > 0 {
			return FieldScore{Field: field, Level: LevelMedium, Similarity: s2, Contribution: s.mediumWeight(fw, prefix, q, c)}
		}
	}
	return s.nameLevel(field, fw, q, c, sim, prefix)
}

// partialWeight is the weight of a partial agreement of the names q and c
// (LevelPartial) on the query's words marked in used, typo set when one of
// them agrees with a typo: worth less when many names hold those words,
// and never more than the level's own weight (how much it says is the
// data's: fitting re-estimates the level).
func (s *scorer) partialWeight(fw *FieldWeights, prefix *prefixCounts, q *companyFeat, used uint64, typo bool) float64 {
	w := min(s.weight(fw.Partial), s.withinWeight(fw.Partial, prefix, q, used))
	if fw.High.M > 0 {
		// Never more than a name within the other says (see
		// companyName), whatever the fit made of the level, and less by
		// as much as true pairs show it less often: "Bell" among the
		// words of "Alcatel Lucent Bell Labs" says less than "Alcatel
		// Lucent" within them.
		lim := max(s.weight(fw.High), s.weight(fw.Prefix))
		if fw.Partial.M < fw.Prefix.M {
			lim += math.Log2(fw.Partial.M / fw.Prefix.M)
		}
		w = min(w, lim)
		if typo {
			w = min(w, s.weight(fw.High)) // and a word with a typo
		}
	}
	return w
}

// mediumWeight is the weight of the Medium level for the names q and c:
// the level's own, but never less than a partial agreement on the words of
// q that c holds would weigh. A name that holds the query's rare word and
// is near the rest ("Enix Servizi" for "Enix Servzi Trdaing Group") says
// at least what a name holding that word alone ("Enix LLC", a partial
// agreement weighed by how few names hold it) says; the flat weight of the
// level would put it below. Without the directory's counts (prefix nil)
// the level's weight stands.
func (s *scorer) mediumWeight(fw *FieldWeights, prefix *prefixCounts, q, c *companyFeat) float64 {
	w := s.weight(fw.Medium)
	if prefix == nil || fw.Partial.M <= 0 {
		return w
	}
	var held, used uint64
	sig := false
	for i, t := range q.tokens {
		if j := indexUnused(c.tokens, t, held); j >= 0 {
			held |= 1 << j
			used |= 1 << i
			sig = sig || q.scope&(1<<i) == 0 && !normalize.IsStopword(t)
		}
	}
	if !sig || distinctWordMissing(prefix, q, used, ownWord(c, held)) {
		return w
	}
	return max(w, s.partialWeight(fw, prefix, q, used, false))
}

// ownWord reports whether c holds a word other than a connective that the
// other name does not (held marks those it does).
func ownWord(c *companyFeat, held uint64) bool {
	for j, t := range c.tokens {
		if j < 64 && held&(1<<j) == 0 && !normalize.IsStopword(t) {
			return true
		}
	}
	return false
}

// distinctWordMissing reports whether the other name puts a word of its own
// (replaced) in the place of a word of q that it does not hold (used marks
// those it holds) and that is rarer in the directory than every significant
// word it does hold: the word that tells the names apart disagrees
// ("Georgia" of "Georgia Institute of Technology" against "California
// Institute of Technology"), and the shared words say only that both names
// are of a common kind. A word added to the other's ("Acme Germany", "Servi
// ces Fiera Textiles" for Fiera Textiles) replaces none, and a word the
// directory does not hold (a typo) tells nothing either way.
func distinctWordMissing(p *prefixCounts, q *companyFeat, used uint64, replaced bool) bool {
	if !replaced || p.nTok != len(q.tokens) || p.nTok == 0 {
		return false
	}
	least := -1
	for i := range p.nTok {
		if used&(1<<i) != 0 && p.stop&(1<<i) == 0 && q.scope&(1<<i) == 0 && (least < 0 || p.tokN[i] < least) {
			least = p.tokN[i]
		}
	}
	if least < 0 {
		return false
	}
	for i := range p.nTok {
		if used&(1<<i) == 0 && p.stop&(1<<i) == 0 && p.typos&(1<<i) == 0 &&
			p.tokN[i] > 0 && p.tokN[i] < least {
			return true
		}
	}
	return false
}

// nameLevel scores two company names by their similarity sim alone, a
// name with a typo or two of the other (typoName) at least at High, the
// Medium level weighed by mediumWeight.
func (s *scorer) nameLevel(field string, fw *FieldWeights, q, c *companyFeat, sim float64, prefix *prefixCounts) FieldScore {
	if sim < s.w.HighSimilarity && (typoName(q, c) || spacedTypo(q, c)) {
		sim = s.w.HighSimilarity
	}
	lv, w := s.level(fw, sim)
	if lv == LevelMedium {
		w = s.mediumWeight(fw, prefix, q, c)
	}
	return FieldScore{Field: field, Level: lv, Similarity: sim, Contribution: w}
}

// typoName reports whether the names q and c, of as many words, differ by
// one edit in one word of minOneEditLen letters or more, or by one edit in
// each of two words of minTwoTypoLen letters or more, their other words
// the same. The first is a typo of the name however early in the word it
// falls, which Jaro-Winkler, weighing a shared start, can put below the
// High level ("LunzrGate" and "LunarGate", "Fijitsu" and "Fujitsu"), as a
// name within the other with that typo is (containedIn); the second are
// typos spread over the name ("Swift Stteam Bamk" for "Swift Stream
// Bank"), which the similarity of the whole name puts below High however
// long the words. Shorter words one edit apart are other words as often as
// typos, and stay at their similarity. How often two names of the
// directory are this alike by chance is the High level's U to say (fitted
// by length, [Weights].NearNameScale, and by bin of similarity, the
// farthest of which such names take).
func typoName(q, c *companyFeat) bool {
	if len(q.tokens) != len(c.tokens) {
		return false
	}
	diff, shortest := 0, 0
	for i, t := range q.tokens {
		u := c.tokens[i]
		if t == u {
			continue
		}
		if diff++; diff > 2 || !oneEditAny(t, u) {
			return false
		}
		if n := min(len(t), len(u)); diff == 1 || n < shortest {
			shortest = n
		}
	}
	return diff == 1 && shortest >= minOneEditLen || diff == 2 && shortest >= minTwoTypoLen
}

// spacedTypo reports whether the names q and c, spaced otherwise, are one
// edit apart written without spaces, minSpacedTypoLen letters or more
// ("Sorffi eld" and "Sorfield", "VDGOsotware" and "VDGO Software"): a
// space added or dropped besides a typo, which the words' similarity puts
// below the High level, under a short name that holds a fragment ("ELD").
// It takes High's farthest bin, as typoName's names do.
func spacedTypo(q, c *companyFeat) bool {
	if min(len(q.joined), len(c.joined)) < minSpacedTypoLen || !oneEditAny(q.joined, c.joined) {
		return false
	}
	if len(q.tokens) != len(c.tokens) {
		return true
	}
	// As many words: spaced otherwise only if a word is more than a typo
	// from the other's ("vdg osotware" and "vdgo software"); words each
	// one edit apart are typoName's to judge.
	for i, t := range q.tokens {
		if t != c.tokens[i] && !oneEditAny(t, c.tokens[i]) {
			return true
		}
	}
	return false
}

// minSpacedTypoLen is the shortest name, without spaces, spacedTypo takes.
const minSpacedTypoLen = 6

// minTwoTypoLen is the shortest word typoName takes one of two typos in.
const minTwoTypoLen = 4

// withinWeight returns the weight of level l for a name within the other
// made of the query q's words that used marks: its U the chance that
// another of the directory's names is made of them too
// ([prefixCounts.containedU]) when p counts q's words, l's own otherwise.
func (s *scorer) withinWeight(l Level, p *prefixCounts, q *companyFeat, used uint64) float64 {
	if p == nil || p.universe <= 0 || p.nTok != len(q.tokens) {
		return s.weight(l)
	}
	return s.tfWeight(l, p.containedU(used))
}

// scopeFreeSim returns the similarity of the names q and c without their
// words of scope (companyFeat.scope), 0 when that leaves either with no
// word or fewer than minPrefixRunes letters, or changes neither. qw are
// q's word weights, as companySimW takes them.
func scopeFreeSim(q, c *companyFeat, qw []float64) float64 {
	var qb, cb [maxTokens]string
	var wb [maxTokens]float64
	qs, ok1 := withoutScope(q, qb[:0])
	cs, ok2 := withoutScope(c, cb[:0])
	if !ok1 && !ok2 || len(qs.tokens) == 0 || len(cs.tokens) == 0 ||
		runeLen(qs.joined) < minPrefixRunes || runeLen(cs.joined) < minPrefixRunes {
		return 0
	}
	var w []float64
	if len(qw) == len(q.tokens) {
		w = wb[:0]
		for i, x := range qw {
			if q.scope&(1<<i) == 0 {
				w = append(w, x)
			}
		}
	}
	return companySimW(&qs, &cs, w)
}

// withoutScope returns the tokens, joined name and word-form mask of f
// without its words of scope, and whether f held any. Words of scope that
// lead or close the name leave a part of f's own tokens and joined name;
// others have the tokens copied to buf and the name joined anew.
func withoutScope(f *companyFeat, buf []string) (companyFeat, bool) {
	if f.scope == 0 {
		return companyFeat{tokens: f.tokens, joined: f.joined, forms: f.forms}, false
	}
	i, j := 0, len(f.tokens)
	for i < j && f.scope&(1<<i) != 0 {
		i++
	}
	for j > i && f.scope&(1<<(j-1)) != 0 {
		j--
	}
	mid := uint16(1<<j-1) &^ uint16(1<<i-1)
	if f.scope&mid == 0 {
		// The words left are contiguous: a part of the joined name,
		// unless capping cut it.
		from := 0
		for _, t := range f.tokens[:i] {
			from += len(t)
		}
		to := from
		for _, t := range f.tokens[i:j] {
			to += len(t)
		}
		if to <= len(f.joined) {
			return companyFeat{tokens: f.tokens[i:j], joined: f.joined[from:to], forms: f.forms >> i & (1<<(j-i) - 1)}, true
		}
	}
	var forms uint16
	for k, t := range f.tokens {
		if f.scope&(1<<k) != 0 {
			continue
		}
		if f.forms&(1<<k) != 0 {
			forms |= 1 << len(buf)
		}
		buf = append(buf, t)
	}
	return companyFeat{tokens: buf, joined: capRunes(strings.Join(buf, ""), maxCompareRunes), forms: forms}, true
}

// containedName reports whether the words of the shorter of the names q
// and c are all among the longer one's, in any order, and the longer adds
// at most as many words as the shorter holds: the directory's "3Com" in a
// query's "3Com Europe", "AIST" in "AIST Japan", the query's "Thermo
// Fisher" in "Thermo Fisher Scientific". used has bit i set for the words
// of q that are the shorter name's. How much this says depends on how many
// of the directory's names hold those words ([prefixCounts.containedU]) and
// on the data (fitting re-estimates the level): a subsidiary named after
// its parent ("Siemens Energy" against "Siemens") meets the parent here,
// and only a directory that holds the subsidiary too tells them apart.
// loose reports a shorter name all of whose words the longer holds among
// more words than that ("AMS" in "AMS RFC Production Center"), used then
// marking its words as for a name within the other: a partial agreement,
// the Partial level ([FieldWeights].Partial; at Medium when the names are
// less alike if that level is unused). One word of the shorter name may be
// found in the longer one edit away (see oneEdit) when another word agrees
// or the word is long, and typo then reports it: "Aberdeen University"
// within "Unviersity of Aberdeen", "Ericsson" within "Ericssson Research".
func containedName(q, c *companyFeat) (used uint64, ok, loose, typo bool) {
	used, ok, loose, typo = containedIn(q, c, len(q.tokens), len(c.tokens))
	if !ok && !loose {
		// The query may write two of the name's words as one
		// ("ChinaUnicom Labs", "AlcatelLucent IP"): the name is within
		// the query with that word split.
		var buf [2 * maxTokens]string
		var masks [2 * maxTokens]uint64
		v, joined := splitView(q, c, buf[:0], masks[:0])
		if !joined {
			// And the other way ("Clear Haven Logistics" for the
			// directory's "ClearHaven").
			v, joined = joinedView(q, c, buf[:0], masks[:0])
		}
		if joined {
			u, k, l, ty := containedIn(&v, c, len(v.tokens), len(c.tokens))
			if k || l {
				// used marks the query's words the view's stand for.
				used = 0
				for i, m := range masks[:len(v.tokens)] {
					if u&(1<<i) != 0 {
						used |= m
					}
				}
				return used, k, l, ty
			}
		}
	}
	if !ok && (q.qual|c.qual) != 0 {
		// A closing parenthesised part names a branch: the shorter
		// name's need not be found in the longer ("Ritz-Carlton Dining
		// Room (San Francisco)" within "Ritz-Carlton Restaurant and
		// Dining Room").
		if u, k, l, ty := containedIn(q, c, len(q.tokens)-int(q.qual), len(c.tokens)-int(c.qual)); k {
			return u, k, l, ty
		}
	}
	return used, ok, loose, typo
}

// containedIn is containedName with the first nq words of q and the first
// nc of c as the names' own: the shorter name's words beyond them are not
// looked for in the longer.
func containedIn(q, c *companyFeat, nq, nc int) (used uint64, ok, loose, typo bool) {
	// Names hold at most maxTokens words, so the bit masks hold them all.
	// Which name is the shorter goes by the words that name something
	// ("University of Bremen" is within "University Bremen TZI"), then by
	// all words ("Aberdeen University" within "University of Aberdeen").
	if nq <= 0 || nc <= 0 {
		return 0, false, false, false
	}
	wq, wc := namingWords(q.tokens[:nq]), namingWords(c.tokens[:nc])
	if wq == wc {
		wq, wc = nq, nc
	}
	if wq == wc {
		return 0, false, false, false
	}
	short, long, ns := q, c, nq
	if wc < wq {
		short, long, ns = c, q, nc
	}
	if n := runeLen(short.joined); n < 3 && (n < 2 || len(short.tokens) != 1 || short.scope != 0 ||
		long.tokens[0] != short.tokens[0] || normalize.IsStopword(short.tokens[0])) {
		// A name of one or two letters ("K" of "K Line Holdings",
		// "UK") is a word of too many names, but for two letters that
		// start the other name, as a brand its units' names
		// ("BT" of "BT Research", "GE" of "GE Healthcare").
		return 0, false, false, false
	}
	var held uint64 // long's tokens that are short's
	typoLen := 0    // length of the word found one edit away
	for i, t := range short.tokens[:ns] {
		j := indexUnused(long.tokens, t, held)
		if j < 0 && !typo {
			// One word with a typo: the word one edit from it.
			if j = indexNearUnused(long.tokens, t, held); j >= 0 {
				typo, typoLen = true, len(t) // ASCII (oneEdit)
			} else if j = indexCutUnused(long.tokens, t, i == len(short.tokens)-1, held); j >= 0 {
				// Or cut short at the end of a field
				// ("California Institute of Technol").
				typo, typoLen = true, min(len(t), len(long.tokens[j]))
			}
		}
		if j < 0 && i > 0 && normalize.IsStopword(t) {
			// A connective ("of" of "University of Bremen") need not be
			// written; a first word is a name's own ("DI Inmobiliaria").
			continue
		}
		if j < 0 {
			return 0, false, false, false
		}
		held |= 1 << j
	}
	// Most of the longer name unexplained ("UK" or "Kion" within "Tri
	// Kion USA GmbH") says little next to a near spelling of it. Words
	// that name nothing ("of", "and") and a closing parenthesised
	// qualifier ("Spago (Los Angeles)", a branch) do not count.
	// Nor do words of scope ("USA", "Europe", "Group"), which CRM
	// accounts add to names.
	extra, sig := 0, 0
	for j, t := range long.tokens {
		if held&(1<<j) == 0 && long.scope&(1<<j) == 0 && !normalize.IsStopword(t) && j < len(long.tokens)-int(long.qual) {
			extra++
		}
	}
	for i, t := range short.tokens[:ns] {
		if short.scope&(1<<i) == 0 && !normalize.IsStopword(t) {
			sig++
		}
	}
	if sig == 0 {
		// A name of nothing but words of scope is named by its
		// countries' names ("Aruba" of "Aruba Networks", "Jordan"):
		// how many names hold them is the term frequency's to weigh.
		for _, t := range short.tokens[:ns] {
			if normalize.IsCountryWord(t) {
				sig++
			}
		}
	}
	if sig == 0 {
		// A name of words that name nothing ("ET", read as "and") is
		// within any name that joins two others, and one of region or
		// group words ("USA Corporation", "Global Holdings") within
		// any that adds them.
		return 0, false, false, false
	}
	if typo && sig < 2 && NearNameClass(typoLen) < 2 {
		// A short word with a typo needs another that agrees: a short
		// name one edit from a word of the other ("Chins" in "Madame
		// Chings", "CERNET" in "CESNET z.s.p.o.") is as often another
		// name. Names of eight letters or more are rarely one edit
		// apart ("Ericssson Research"; see NearNameClass).
		return 0, false, false, false
	}
	if n := int(long.qual); n > 0 && held == (1<<n-1)<<(len(long.tokens)-n) {
		// The shorter name is the longer one's closing parenthesised
		// part: the other name the longer gives itself ("CNNIC" of
		// "China Internet Network Information Center (CNNIC)").
		extra = 0
	}
	if extra > sig {
		if short == q {
			return 1<<ns - 1, false, true, typo
		}
		return held, false, true, typo
	}
	if short == q {
		return 1<<ns - 1, true, false, typo
	}
	return held, true, false, typo
}

// namingWords returns how many of toks are not connectives ("of", "de"):
// the first word always counts, as it is a name's own ("DI Inmobiliaria",
// "La Caixa").
func namingWords(toks []string) int {
	n := 0
	for i, t := range toks {
		if i == 0 || !normalize.IsStopword(t) {
			n++
		}
	}
	return n
}

// joinedView returns f with each two adjacent words that other holds
// joined as one word merged into that word ("clear haven logistics" seen
// from "clearhaven"), its tokens in buf and, in masks, the bits of f's
// tokens each of its tokens stands for; joined is false when there are
// none. The copy is for containedIn: its scope marks are its own words',
// and it keeps f's closing qualifier.
func joinedView(f, other *companyFeat, buf []string, masks []uint64) (v companyFeat, joined bool) {
	if len(f.tokens) < 2 || len(other.tokens) < 1 {
		return companyFeat{}, false
	}
	toks := buf
	for i := 0; i < len(f.tokens); i++ {
		if i+1 < len(f.tokens)-int(f.qual) && slices.ContainsFunc(other.tokens, func(t string) bool { return joins(t, f.tokens[i], f.tokens[i+1]) }) {
			toks = append(toks, f.tokens[i]+f.tokens[i+1])
			masks = append(masks, 3<<i)
			i++
			joined = true
			continue
		}
		toks = append(toks, f.tokens[i])
		masks = append(masks, 1<<i)
	}
	if !joined {
		return companyFeat{}, false
	}
	v = *f
	v.tokens = toks
	v.scope = scopeMask(toks)
	v.forms = 0
	return v, true
}

// splitView returns q with each word that is two adjacent words of c
// joined split into them ("chinaunicom labs" seen from "china unicom"),
// its tokens in buf and, in masks, the bit of q's token each of its tokens
// comes from; split is false when there are none. The copy is for
// containedIn, as joinedView's.
func splitView(q, c *companyFeat, buf []string, masks []uint64) (v companyFeat, split bool) {
	if len(c.tokens) < 2 {
		return companyFeat{}, false
	}
	toks := buf
	qual := q.qual
	for i, t := range q.tokens {
		a, b, ok := splitAs(t, c.tokens)
		if ok && len(toks)+2 <= maxTokens {
			toks = append(toks, a, b)
			masks = append(masks, 1<<i, 1<<i)
			split = true
			if i >= len(q.tokens)-int(q.qual) {
				qual++ // a word of the closing qualifier, now two
			}
			continue
		}
		toks = append(toks, t)
		masks = append(masks, 1<<i)
	}
	if !split || len(toks) > maxTokens {
		return companyFeat{}, false
	}
	v = *q
	v.tokens = toks
	v.scope = scopeMask(toks)
	v.forms = 0
	v.qual = qual
	return v, true
}

// splitAs returns the two adjacent words of ts that t joins, ok false
// when none.
func splitAs(t string, ts []string) (a, b string, ok bool) {
	for i := 0; i+1 < len(ts); i++ {
		if joins(t, ts[i], ts[i+1]) {
			return ts[i], ts[i+1], true
		}
	}
	return "", "", false
}

// joins reports whether t is the words a and b written as one, without
// building a+b.
func joins(t, a, b string) bool {
	return len(t) == len(a)+len(b) && strings.HasPrefix(t, a) && strings.HasSuffix(t, b)
}

// minCutWord is the shortest start of a word that counts as the word cut
// short at the end of a field.
const minCutWord = 5

// indexCutUnused returns the index of the first token of ts, whose bit is
// not set in used, of which t is the start (when t ends its name, tLast) or
// that is the start of t (when it ends ts), at least minCutWord bytes long:
// the last word of a name cut short by a field's length. -1 when none.
func indexCutUnused(ts []string, t string, tLast bool, used uint64) int {
	for j, u := range ts {
		if used&(1<<j) != 0 || u == t {
			continue
		}
		if tLast && len(t) >= minCutWord && len(u) > len(t) && strings.HasPrefix(u, t) ||
			j == len(ts)-1 && len(u) >= minCutWord && len(t) > len(u) && strings.HasPrefix(t, u) {
			return j
		}
	}
	return -1
}

// indexNearUnused returns the index of the first token of ts one edit from
// t (see oneEdit) whose bit is not set in used, or -1.
func indexNearUnused(ts []string, t string, used uint64) int {
	for j, u := range ts {
		if used&(1<<j) == 0 && oneEdit(u, t) {
			return j
		}
	}
	return -1
}

// nearNone returns the words of q marked in words that are not one edit
// from a word of c: a query word that repeats one of the name's words with
// a typo ("Luyx Soluions Aolutions" for "Luyx Solutions") names nothing
// the name does not.
func nearNone(q, c *companyFeat, words uint64) uint64 {
	for i, t := range q.tokens {
		if words&(1<<i) != 0 && indexNearUnused(c.tokens, t, 0) >= 0 {
			words &^= 1 << i
		}
	}
	return words
}

// indexUnused returns the index of the first token of ts equal to t whose
// bit is not set in used, or -1.
func indexUnused(ts []string, t string, used uint64) int {
	for j, u := range ts {
		if u == t && used&(1<<j) == 0 {
			return j
		}
	}
	return -1
}

// minPrefixRunes is the shortest one-word name that counts as the start of
// a longer name ([Weights].CompanyName.Prefix).
const minPrefixRunes = 4

// isPrefixName reports whether the one-word query name q (of two letters or
// more) is a word of the longer name c, or the start of c's name without
// spaces, at least minPrefixRunes long ("exxon" of "exxon mobil", "bosch"
// and "kpn" of "robert bosch" and "koninklijke kpn", "total" of
// "totalenergies"). Names of several words, and a directory's name within
// the query's, are containedName's.
func isPrefixName(q, c *companyFeat) bool {
	if len(q.tokens) != 1 {
		return false
	}
	t := q.tokens[0]
	if len(t) < 2 {
		return false
	}
	if len(c.tokens) > 1 {
		for _, ct := range c.tokens {
			if ct == t {
				return true
			}
		}
	}
	return runeLen(t) >= minPrefixRunes && len(c.joined) > len(t) && strings.HasPrefix(c.joined, t)
}

func (s *scorer) location(fw *FieldWeights, q, c *locFeat) (FieldScore, bool) {
	if q.empty() || c.empty() {
		return FieldScore{}, false
	}
	fs := FieldScore{Field: FieldLocation}
	switch {
	case q.city != "" && q.city == c.city && (q.country == "" || c.country == "" || q.country == c.country):
		fs.Level, fs.Similarity, fs.Contribution = LevelExact, 1, s.weight(fw.Exact)
	case q.country != "" && c.country != "" && q.country == c.country, q.inStateAlt(c), c.inStateAlt(q):
		// The same country, or a code alone read as a country that is
		// also the other's US state ("MA" and "Boston, MA"): at most the
		// state agrees, which is no more than the country says.
		fs.Level, fs.Similarity, fs.Contribution = LevelCountry, 0.5, s.weight(fw.Equivalent)
	case q.country != "" && c.country != "":
		fs.Level, fs.Contribution = LevelDisagree, s.weight(fw.Disagree)
	case q.city != "" && c.city != "":
		// Countries unknown on one side: only the cities can disagree.
		fs.Level, fs.Contribution = LevelDisagree, s.weight(fw.Disagree)
	default:
		return FieldScore{}, false
	}
	return fs, true
}

// sameLegalForm reports whether the legal forms of a and b agree: the same
// form, or one name's only form the other's inner one ("The Neioly
// Company" and "The Neioly Company, Inc.", "Samsung Electronics Co." and
// "Samsung Electronics Co., Ltd."): records drop the outer form of two.
func sameLegalForm(a, b *companyFeat) bool {
	return a.legal == b.legal ||
		a.inner == 0 && b.inner != 0 && a.legal == b.inner ||
		b.inner == 0 && a.inner != 0 && b.legal == a.inner
}

// company appends the field scores of company candidate c to dst.
func (s *scorer) company(dst []FieldScore, c *companyData) []FieldScore {
	q, w := s.q, s.w
	if !q.company.empty() && !c.company.empty() {
		fs := s.companyName(FieldName, s.companyNameWeights(), &q.company, &c.company, s.tfU[tfCore], s.tokW[:s.nTokW], &s.prefix)
		if fs.Level == LevelHigh {
			fs.Contribution += w.nearBinWeight(fs.Similarity)
		}
		dst = append(dst, fs)
		if q.company.legal != 0 && c.company.legal != 0 && w.LegalForm.Exact.M > 0 {
			// Both names give a legal form: the same one is what a
			// company's records mostly show, another most often a
			// different company of a similar name (a subsidiary in
			// another country, a namesake).
			if sameLegalForm(&q.company, &c.company) {
				dst = append(dst, FieldScore{Field: FieldLegalForm, Level: LevelExact, Similarity: 1, Contribution: s.weight(w.LegalForm.Exact)})
			} else {
				dst = append(dst, FieldScore{Field: FieldLegalForm, Level: LevelDisagree, Contribution: s.weight(w.LegalForm.Disagree)})
			}
		}
	}
	if q.domain != "" && c.domain != "" {
		fs := FieldScore{Field: FieldWebsite}
		switch {
		case q.domain == c.domain:
			fs.Level, fs.Similarity, fs.Contribution = LevelExact, 1, s.weight(w.Website.Exact)
		case q.label != "" && q.label == c.label:
			fs.Level, fs.Similarity, fs.Contribution = LevelDomain, 0.5, s.weight(w.Website.Equivalent)
		default:
			fs.Level, fs.Contribution = LevelDisagree, s.weight(w.Website.Disagree)
		}
		dst = append(dst, fs)
	}
	if q.industry != "" && c.industry != "" && !s.foreignIndustry {
		fs := FieldScore{Field: FieldIndustry}
		if industryAgree(q.industry, q.industries, c.industry, c.industries) {
			fs.Level, fs.Similarity, fs.Contribution = LevelExact, 1, s.weight(w.Industry.Exact)
		} else {
			// Industries come from a closed list: different is different.
			fs.Level, fs.Contribution = LevelDisagree, s.weight(w.Industry.Disagree)
		}
		dst = append(dst, fs)
	}
	n := len(dst)
	dst = s.place(dst, &w.CompanyLocation, &q.loc, &c.loc)
	if (q.company.qual|c.company.qual) != 0 && (branchIn(&c.company, q.loc.city) || branchIn(&q.company, c.loc.city)) {
		// A branch named after its city ("Spago (Los Angeles)") is in
		// that city, whatever its address's locality says ("W.
		// Hollywood"): the place agrees.
		for i := n; i < len(dst); i++ {
			f := &dst[i]
			if f.Level != LevelDisagree {
				continue
			}
			switch f.Field {
			case FieldLocality:
				f.Level, f.Similarity, f.Contribution = LevelExact, 1, s.weight(w.Address.Locality.Exact)
			case FieldLocation:
				f.Level, f.Similarity, f.Contribution = LevelExact, 1, s.weight(w.CompanyLocation.Exact)
			}
		}
	}
	return dst
}

// branchIn reports whether the closing parenthesised part of the name f is
// the place city ("los angeles" of "Spago (Los Angeles)").
func branchIn(f *companyFeat, city string) bool {
	n := int(f.qual)
	if n == 0 || city == "" {
		return false
	}
	rest := city
	for i, w := range f.tokens[len(f.tokens)-n:] {
		if i > 0 {
			if !strings.HasPrefix(rest, " ") {
				return false
			}
			rest = rest[1:]
		}
		if !strings.HasPrefix(rest, w) {
			return false
		}
		rest = rest[len(w):]
	}
	return rest == ""
}

// Orientations of a query's names against a candidate's (personPair).
const (
	asGiven      = iota // first against first, last against last
	swapped             // last against first, first against last
	middleAsLast        // first against first, the last middle name against last
)

// personPair scores first and last names in one orientation: q's first
// and last names against c's, or, when swapped, q's last name against c's
// first and q's first against c's last, or q's first name and the last word
// of its middle names against c's ("Susan Meyer" in the first-name field
// and another name in the last: the whole name was typed in one field).
func (s *scorer) personPair(q, c *personFeat, orient int) (f, l FieldScore, okF, okL bool) {
	w := s.w
	qFirst, qLast, qRoots, qGiven := q.first, q.last, q.roots, q.given()
	switch orient {
	case swapped:
		qFirst, qLast, qRoots, qGiven = q.last, q.first, nil, ""
	case middleAsLast:
		qLast, qGiven = q.middle[strings.LastIndexByte(q.middle, ' ')+1:], ""
	}
	abjad := q.abjad() || c.abjad()
	if qFirst != "" && c.first != "" {
		okF = true
		f.Field = FieldFirstName
		switch {
		case qFirst == c.first:
			f.Level, f.Similarity, f.Contribution = LevelExact, 1, s.exact(&w.FirstName, s.tfU[tfFirst])
		case sharesRoot(qFirst, qRoots, c) || orient == swapped && normalize.IsNickname(qFirst, c.first):
			f.Level, f.Similarity, f.Contribution = LevelNickname, 1, s.weight(w.FirstName.Equivalent)
		case isInitialOf(qFirst, c.first) || isInitialOf(c.first, qFirst):
			f.Level, f.Similarity, f.Contribution = LevelInitial, 0.5, s.weight(w.FirstInitial)
		default:
			f.Similarity = jwWith(qFirst, c.first, orient == swapped)
			if cGiven := c.given(); qGiven != "" || cGiven != "" {
				// A given name of two words written apart on one side
				// ("Xiu Ying", "Jean Pierre") and together on the other.
				f.Similarity = max(f.Similarity, jwGiven(qFirst, qGiven, c.first, cGiven))
			}
			if f.Similarity < w.HighSimilarity && (abjad && sameSkeleton(qFirst, c.first) || sameUmlautSpelling(qFirst, c.first)) {
				f.Similarity = w.HighSimilarity
			}
			if f.Similarity < w.MediumSimilarity && orient == asGiven &&
				(isWordOf(qFirst, c.middle) || isWordOf(c.first, q.middle)) {
				// A person known by a middle name ("Mai" of "Thi Mai",
				// "Edgar" of "John Edgar").
				f.Similarity = w.MediumSimilarity
			}
			f.Level, f.Contribution = s.level(&w.FirstName, f.Similarity)
		}
	}
	if qLast != "" && c.last != "" {
		okL = true
		l.Field = FieldLastName
		if qLast == c.last {
			l.Level, l.Similarity, l.Contribution = LevelExact, 1, s.exact(&w.LastName, s.tfU[tfLast])
		} else {
			l.Similarity = jwWith(qLast, c.last, orient != asGiven)
			if l.Similarity < w.HighSimilarity && (abjad && sameSkeleton(qLast, c.last) || sameUmlautSpelling(qLast, c.last) ||
				sameWithoutArticle(qLast, c.last)) {
				l.Similarity = w.HighSimilarity
			}
			if l.Similarity < w.MediumSimilarity && surnamePart(qLast, c.last) {
				// One of two surnames ("López" of "García López",
				// "Jones" of "Smith-Jones"): records often keep one.
				l.Similarity = w.MediumSimilarity
			}
			l.Level, l.Contribution = s.level(&w.LastName, l.Similarity)
		}
	}
	return f, l, okF, okL
}

// jwGiven is the best Jaro-Winkler similarity of two given names where one
// or both also have the form of their first and middle names joined.
func jwGiven(aFirst, aGiven, bFirst, bGiven string) float64 {
	best := 0.0
	if aGiven != "" {
		best = max(best, jw(aGiven, bFirst))
		if bGiven != "" {
			best = max(best, jw(aGiven, bGiven))
		}
	}
	if bGiven != "" {
		best = max(best, jw(aFirst, bGiven))
	}
	return best
}

// firstSameLast returns the weight of f, a first-name comparison between
// two members whose last names agree exactly, with the U measured on such
// pairs ([Weights].FirstNameSameLast) where one was. An exact agreement
// keeps its term-frequency adjustment, scaled by how much more often
// first names agree between people of one surname, and stays at least the
// weight of a nickname or a near agreement.
func (s *scorer) firstSameLast(f FieldScore) float64 {
	w := s.w
	u := &w.FirstNameSameLast
	cond := func(l Level, cu float64) float64 {
		if cu > 0 {
			l.U = cu
		}
		return s.weight(l)
	}
	switch f.Level {
	case LevelExact:
		if u.Exact <= 0 || w.FirstName.Exact.U <= 0 {
			return f.Contribution
		}
		x := f.Contribution - math.Log2(u.Exact/w.FirstName.Exact.U)
		return max(x, cond(w.FirstName.Equivalent, u.Nickname), cond(w.FirstName.High, u.High))
	case LevelNickname:
		return cond(w.FirstName.Equivalent, u.Nickname)
	case LevelInitial:
		return cond(w.FirstInitial, u.Initial)
	case LevelHigh:
		return cond(w.FirstName.High, u.High)
	case LevelMedium:
		return cond(w.FirstName.Medium, u.Medium)
	case LevelDisagree:
		return cond(w.FirstName.Disagree, u.Disagree)
	}
	return f.Contribution
}

// sameSkeleton reports whether two names have the same consonant skeleton
// (normalize.Skeleton) of at least minSkeleton letters: one of them was
// written in a script without vowels.
func sameSkeleton(a, b string) bool {
	sa := normalize.Skeleton(a)
	return len(sa) >= minSkeleton && sa == normalize.Skeleton(b)
}

// sameUmlautSpelling reports whether a and b, folded names, are one name
// with its umlauts written two ways: as the plain vowel (Fold's "muller"
// of "Müller") and as the vowel followed by "e" ("Mueller", as systems
// without those letters write it). An "e" after "a", "o" or "u" on one
// side only is passed over.
func sameUmlautSpelling(a, b string) bool {
	skips := false
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		ea := i < len(a) && a[i] == 'e' && i > 0 && umlautVowel(a[i-1])
		eb := j < len(b) && b[j] == 'e' && j > 0 && umlautVowel(b[j-1])
		switch {
		case ea && !(j < len(b) && b[j] == 'e'):
			i++
			skips = true
			continue
		case eb && !(i < len(a) && a[i] == 'e'):
			j++
			skips = true
			continue
		case i == len(a) || j == len(b) || a[i] != b[j]:
			return false
		}
		i++
		j++
	}
	return skips
}

// sameWithoutArticle reports whether the last names a and b (folded)
// differ only by the Arabic article, written "al" or "el", apart, hyphened
// (folded to a space) or joined, or left out: "al sayed", "el sayed",
// "alsayed", "elsayed" and "sayed" are one name. A joined article is read
// only before a name of four letters or more ("alvarez" would be "varez"
// only against "el varez").
func sameWithoutArticle(a, b string) bool {
	sa, ca := withoutArticle(a)
	sb, cb := withoutArticle(b)
	return (ca || cb) && sa == sb && sa != ""
}

// withoutArticle returns s without a leading "al" or "el" and whether there
// was one.
func withoutArticle(s string) (string, bool) {
	if len(s) < 2 || (s[0] != 'a' || s[1] != 'l') && (s[0] != 'e' || s[1] != 'l') {
		return s, false
	}
	switch rest := s[2:]; {
	case len(rest) > 1 && rest[0] == ' ' && strings.IndexByte(rest[1:], ' ') < 0:
		return rest[1:], true
	case len(rest) >= 4 && strings.IndexByte(rest, ' ') < 0:
		return rest, true
	}
	return s, false
}

// surnamePart reports whether one of the last names a and b (folded) is a
// word, of three letters or more and not a particle ("de", "van"), of the
// other, which has several: one of a person's two surnames.
func surnamePart(a, b string) bool {
	if len(b) < len(a) {
		a, b = b, a
	}
	return len(a) >= 3 && strings.IndexByte(a, ' ') < 0 && strings.IndexByte(b, ' ') >= 0 &&
		!normalize.IsStopword(a) && isWordOf(a, b)
}

// isWordOf reports whether w, of two letters or more, is one of the words
// of s.
func isWordOf(w, s string) bool {
	if len(w) < 2 || s == "" {
		return false
	}
	for x := range strings.SplitSeq(s, " ") {
		if x == w {
			return true
		}
	}
	return false
}

func umlautVowel(c byte) bool { return c == 'a' || c == 'o' || c == 'u' }

// capExact lowers an exact agreement to the High level: names whose
// transliterations agree but whose native spellings differ.
func (s *scorer) capExact(f *FieldScore, fw *FieldWeights) {
	if f.Level == LevelExact && fw.High.M > 0 {
		f.Level, f.Contribution = LevelHigh, s.weight(fw.High)
	}
}

// sharesRoot reports whether first names are nickname-equivalent.
func sharesRoot(first string, roots []string, c *personFeat) bool {
	for _, r := range roots {
		if r == c.first {
			return true
		}
		for _, cr := range c.roots {
			if r == cr {
				return true
			}
		}
	}
	for _, cr := range c.roots {
		if cr == first {
			return true
		}
	}
	return false
}

// generations returns the generational suffixes of the names a and b. A
// last middle initial "I" is read as the first of a line when the other
// name gives a later one ("Morris I" and "Morris II" are two men), and as
// an initial otherwise.
func generations(a, b *personFeat) (string, string) {
	ga, gb := a.suffix(), b.suffix()
	if ga == "" && isLaterGeneration(gb) && lastWord(a.middle) == "i" {
		ga = "i"
	}
	if gb == "" && isLaterGeneration(ga) && lastWord(b.middle) == "i" {
		gb = "i"
	}
	return ga, gb
}

// isLaterGeneration reports whether the suffix g is a Roman numeral after
// the first ("ii", "iii", "iv").
func isLaterGeneration(g string) bool { return g == "ii" || g == "iii" || g == "iv" }

// lastWord returns the last space-separated word of s.
func lastWord(s string) string { return s[strings.LastIndexByte(s, ' ')+1:] }

// member appends the field scores of member candidate c to dst.
func (s *scorer) member(dst []FieldScore, c *memberData) []FieldScore {
	q, w := s.q, s.w
	f, l, okF, okL := s.personPair(&q.person, &c.person, asGiven)
	if q.person.first != "" && q.person.last != "" && q.person.first != q.person.last &&
		(f.Level != LevelExact || l.Level != LevelExact) {
		// CRM records often swap first and last names: keep the better
		// orientation. Term frequencies stay those of the query's fields.
		f2, l2, okF2, okL2 := s.personPair(&q.person, &c.person, swapped)
		if okF2 && okL2 && f2.Contribution+l2.Contribution > f.Contribution+l.Contribution {
			f, l = f2, l2
		}
	}
	if q.person.middle != "" && okL && l.Level != LevelExact && len(q.person.middle) > 1 {
		// The whole name in the first-name field and something else in
		// the last: the middle name may be the surname. Found in an
		// unexpected place, it agrees at most at the High level.
		f2, l2, okF2, okL2 := s.personPair(&q.person, &c.person, middleAsLast)
		if okF2 && okL2 {
			s.capExact(&l2, &w.LastName)
			if f2.Contribution+l2.Contribution > f.Contribution+l.Contribution {
				f, l = f2, l2
			}
		}
	}
	if q.person.native() != c.person.native() {
		// Homophones (one transliteration, two names), or one name in
		// Latin and the other transliterated: the transliteration agrees,
		// not the spelling, so the same spelling ranks first.
		s.capExact(&f, &w.FirstName)
		s.capExact(&l, &w.LastName)
	}
	if okF && okL && l.Level == LevelExact {
		f.Contribution = s.firstSameLast(f)
	}
	if qs, cs := generations(&q.person, &c.person); okF && qs != "" && cs != "" && qs != cs {
		// Father and son (Sr and Jr) share their names by custom: a first
		// name that agrees says nothing when the generations differ.
		f.Level, f.Contribution = LevelDisagree, s.weight(w.FirstName.Disagree)
	}
	if okF {
		dst = append(dst, f)
	}
	if okL {
		dst = append(dst, l)
	}
	locW := &w.MemberLocation
	if !q.employer.empty() && !c.employer.empty() {
		fs := s.employer(c.employer)
		if fs.Level == LevelExact && w.ColleagueLocation.Exact.U > 0 {
			// Colleagues share a city: see Weights.ColleagueLocation.
			locW = &w.ColleagueLocation
		}
		dst = append(dst, fs)
	}
	if q.title.norm != "" && c.title.norm != "" {
		dst = append(dst, s.title(&c.title))
	}
	emailExact := false
	if q.hasEmail && c.hasEmail {
		fs := FieldScore{Field: FieldEmail}
		if q.email == c.email {
			emailExact = true
			fs.Level, fs.Similarity, fs.Contribution = LevelExact, 1, s.weight(w.Email.Exact)
			if s.emailU > w.Email.Exact.U {
				fs.Contribution = math.Log2(w.Email.Exact.M / s.emailU)
			}
		} else {
			fs.Level, fs.Contribution = LevelDisagree, s.weight(w.Email.Disagree)
		}
		dst = append(dst, fs)
	}
	if q.hasEmail && !emailExact {
		if fs, ok := s.emailPattern(c); ok {
			dst = append(dst, fs)
		}
		if q.mailLabel != "" && !c.employer.empty() {
			// A work address names the employer: free-mail domains have no
			// label here and carry no company evidence.
			fs := FieldScore{Field: FieldEmailDomain}
			if employerHasLabel(c.employer, q.mailLabel) {
				fs.Level, fs.Similarity, fs.Contribution = LevelExact, 1, s.weight(w.EmailDomain.Exact)
			} else {
				fs.Level, fs.Contribution = LevelDisagree, s.weight(w.EmailDomain.Disagree)
			}
			dst = append(dst, fs)
		}
	}
	n := len(dst)
	dst = s.place(dst, locW, &q.loc, &c.loc)
	if s.household > 0 && (okL && l.Level == LevelExact || !okL && okF && f.Level == LevelDisagree) {
		// The same last name, or no last name to compare and another first
		// name: the candidate may be one of the household.
		householdCap(dst[n:], &w.Address.Street, s.household)
	}
	return dst
}

// householdCap bounds the evidence of an agreeing postal address between
// two people of the same last name: members of one household share street,
// postcode and locality, so together these parts say no more than that
// the candidate lives where the query's person does, which a relative
// does with probability u. The positive contributions among fs (the
// address parts) are scaled down so that they sum to at most
// log2(M/u) of the street's Exact level.
func householdCap(fs []FieldScore, street *FieldWeights, u float64) {
	limit := math.Max(0, math.Log2(street.Exact.M/u))
	sum := 0.0
	for _, f := range fs {
		if isAddressField(f.Field) && f.Contribution > 0 {
			sum += f.Contribution
		}
	}
	if sum <= limit {
		return
	}
	scale := limit / sum
	for i := range fs {
		if isAddressField(fs[i].Field) && fs[i].Contribution > 0 {
			fs[i].Contribution *= scale
		}
	}
}

// isAddressField reports whether field is a part of a postal address.
func isAddressField(field string) bool {
	return field == FieldStreet || field == FieldPostcode || field == FieldLocality
}

// employerHasLabel reports whether a domain label names the employer: its
// core without spaces, its acronym or its first token.
func employerHasLabel(c *companyFeat, label string) bool {
	if label == c.joined || label == c.acronym {
		return true
	}
	return len(c.tokens) > 0 && len(c.tokens[0]) > 2 && label == c.tokens[0]
}

// isInitialOf reports whether a is a one-letter initial of name b.
func isInitialOf(a, b string) bool {
	return len(a) == 1 && len(b) > 1 && a[0] == b[0]
}

// emailPattern compares the query email's local part with the candidate's
// names. It reports false when there is nothing to compare, or when the
// local part only repeats the query's own names that already agree with the
// candidate's (no new evidence: the fields are not independent).
func (s *scorer) emailPattern(c *memberData) (FieldScore, bool) {
	q, w := s.q, s.w
	if q.mailLocal == "" || c.person.empty() {
		return FieldScore{}, false
	}
	fs := FieldScore{Field: FieldEmailPattern}
	if !emailLocalMatches(q.mailLocal, c.person.first, c.person.last) {
		fs.Level, fs.Contribution = LevelDisagree, s.weight(w.EmailPattern.Disagree)
		return fs, true
	}
	if emailLocalMatches(q.mailLocal, q.person.first, q.person.last) &&
		(q.person.first == c.person.first || q.person.last == c.person.last) {
		return FieldScore{}, false
	}
	fs.Level, fs.Similarity, fs.Contribution = LevelPattern, 1, s.weight(w.EmailPattern.Exact)
	return fs, true
}
