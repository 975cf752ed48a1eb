package matcher

import (
	"slices"
	"strings"

	"github.com/crmlink/crmlink/internal/normalize"
	"github.com/crmlink/crmlink/privacy"
)

// Query is a prepared query: a [CompanyQuery] or [MemberQuery] normalised
// once by the [Engine] and handed to [Directory.Candidates]. A Directory reads
// it through [Query.Kind], [Query.Keys] and [Query.VariantGroups] (and, with
// a vocabulary, [Query.Terms]); it must not retain it after Candidates
// returns (the engine reuses queries).
type Query struct {
	kind   Kind
	keys   []Key   // lookup keys
	groups []uint8 // variant group of each key (VariantGroups)
	// company queries
	company    companyFeat
	domain     string
	label      string
	industry   string
	industries []string // values of a multi-valued industry, nil for one
	loc        locFeat
	// member queries
	person    personFeat
	employer  companyFeat
	title     titleFeat
	email     EmailHash
	hasEmail  bool
	mailLocal string
	mailLabel string // label of a non-free email domain
	mailFree  bool
	// term-frequency keys (see tf* indices) and their counts
	tfKeys [nTFSlots]Key
	nTF    int
	// tokKeys are the keys of the company name's tokens, whose counts
	// weigh the tokens by how rare they are (see scorer.tokW).
	tokKeys [maxTokens]Key
	nTok    int
}

// Kind returns the kind of entity the query looks for.
func (q *Query) Kind() Kind { return q.kind }

// Keys returns the lookup keys of the query, without duplicates. The slice
// belongs to the query: do not modify it.
func (q *Query) Keys() []Key { return q.keys }

// VariantGroups returns, aligned with [Query.Keys], the variant group of
// each key: 0 for a key that counts on its own, and a group from 1 up for
// the spelling variants ([Key.Variant]) that count once together, at their
// best (rarest) key. A company name's deletions form one group; a person's
// first name and last name one each, so that a member whose first and last
// names both agree counts both, while the dozen deletions of one name do
// not outweigh a street address or an employer. The slice belongs to the
// query: do not modify it.
func (q *Query) VariantGroups() []uint8 { return q.groups }

// MaxVariantGroups is the highest group [Query.VariantGroups] gives.
const MaxVariantGroups = 2

// setGroups sets q.groups from q.keys: a person-name deletion of the first
// name in group 1, of the last name in group 2, a company name's in 1.
func (q *Query) setGroups() {
	q.groups = q.groups[:0]
	var first []Key
	if q.kind == KindMember && q.person.first != "" {
		var buf [maxDelRunes + 1]Key
		first = appendDeletes(buf[:0], tagPersonDel, q.person.first)
	}
	for _, k := range q.keys {
		g := uint8(0)
		if k.Variant() {
			g = 1
			if byte(k) == tagPersonDel && !slices.Contains(first, k) {
				g = 2
			}
		}
		q.groups = append(q.groups, g)
	}
}

// CountKeys appends to dst the keys whose counts the engine asks of a
// [KeyCounter] for this query, in the order it asks them (a slot may hold
// the zero key), and returns dst. A directory may read their counts with
// the query's own to answer the engine's call without another lookup.
func (q *Query) CountKeys(dst []Key) []Key {
	return append(append(dst, q.tfKeys[:q.nTF]...), q.tokKeys[:q.nTok]...)
}

func (q *Query) reset() {
	keys, groups := q.keys[:0], q.groups[:0]
	*q = Query{keys: keys, groups: groups}
}

// prepareCompany fills q from cq. It reports false when no field is usable.
func (q *Query) prepareCompany(cq CompanyQuery) bool {
	q.reset()
	q.kind = KindCompany
	q.company = newCompanyFeat(cq.Name)
	q.industry = capRunes(normalize.Fold(cq.Industry), maxCompareRunes)
	q.industries = splitIndustries(cq.Industry)
	q.loc = newLocFeat(cq.Location)
	if d, ok := normalize.Website(cq.Website); ok {
		q.domain = d
		q.label = normalize.DomainLabel(d)
	}
	for i, t := range q.company.tokens {
		if i == maxTokens {
			break
		}
		q.tokKeys[i] = makeKey(tagCoToken, t)
		q.nTok = i + 1
	}
	k := q.company.appendKeys(q.keys, tagCoToken, tagCoDel, true)
	if t := q.company.tokens; len(t) > 2 && normalize.IsStopword(t[1]) {
		// "University of Leipzig": the first word with a connective is
		// the first word again, and its pair keys would rank every
		// "University of ..." above "Leipzig University" by the number
		// of keys they share rather than by what those keys tell. The
		// directory's names keep theirs (their keys do not change).
		var buf [4]Key
		drop := append(appendPairKeys(buf[:0], t[0], t[1]), makeKey2(tagCoToken, t[0], t[1]))
		k = slices.DeleteFunc(k, func(x Key) bool { return slices.Contains(drop, x) })
	}
	if len(q.company.tokens) > 0 {
		k = appendDeletes2(k, tagCoDel, q.company.tokens[0])
	}
	if q.domain != "" {
		k = append(k, makeKey(tagDomain, q.domain))
	}
	if q.label != "" {
		k = append(k, makeKey(tagDomainLabel, q.label))
	}
	if pk, ok := placeKey(q.industry, &q.loc); ok {
		k = append(k, pk)
	}
	if !q.company.empty() {
		// A query's single token may be the acronym of the directory's name.
		if len(q.company.tokens) == 1 {
			k = append(k, makeKey(tagCoAcronym, q.company.tokens[0]))
			// It may also be a brand, the start of a longer legal name.
			if pk, ok := q.company.prefixKey(); ok {
				k = append(k, pk)
			}
		} else if q.company.initials != "" {
			// "AT&T" may be held as "ATT".
			k = append(k, makeKey(tagCoToken, q.company.initials))
		} else if q.company.acronym != "" {
			// The directory may hold the name as its acronym, a word of
			// its own: "APNIC" for "Asia Pacific Network Information
			// Centre", "DT" for "Deutsche Telekom", "CDT" for "Center
			// for Democracy and Technology".
			k = append(k, makeKey(tagCoToken, q.company.acronym))
			q.tfKeys[tfAcronym] = makeKey(tagCoAcronym, q.company.acronym)
			q.tfKeys[tfAcronymWord] = k[len(k)-1]
		}
		q.tfKeys[tfCore] = makeKey(tagCoCore, q.company.core)
		q.nTF = 1
	}
	if q.industry != "" && !industryCodes(q.industry, q.industries) {
		// Codes are compared by prefix, never checked against the
		// directory's vocabulary.
		q.tfKeys[tfIndustry] = makeKey(tagIndustry, q.industry)
		q.nTF = 2
		if len(q.industries) > 0 {
			q.tfKeys[tfIndustry2] = makeKey(tagIndustry, q.industries[0])
			q.nTF = 3
		}
	}
	if q.tfKeys[tfAcronym] != 0 {
		q.nTF = tfAcronymWord + 1
	}
	k = appendAddrKeys(k, &q.loc)
	q.setAddrTF()
	q.keys = dedupKeys(k)
	q.setGroups()
	// Industry and city together may find a company; either alone cannot.
	return len(q.keys) > 0
}

// prepareMember fills q from mq. It reports false when no field is usable.
func (q *Query) prepareMember(mq MemberQuery) bool {
	q.reset()
	q.kind = KindMember
	q.person = newPersonFeat(mq.FirstName, mq.LastName)
	if emp := newCompanyFeat(mq.Company); !normalize.NoEmployer(emp.core) {
		q.employer = emp
	}
	q.title = newTitleFeat(mq.Title)
	q.loc = newLocFeat(mq.Location)
	if e, ok := normalize.ParseEmail(mq.Email); ok {
		q.email = EmailHash(privacy.HashNormalized(e.Address))
		q.hasEmail = true
		q.mailLocal = capRunes(e.Local, maxCompareRunes)
		q.mailFree = e.Free
		if !e.Free {
			q.mailLabel = normalize.DomainLabel(e.Domain)
		}
	} else if mq.EmailHash != (EmailHash{}) {
		q.email, q.hasEmail = mq.EmailHash, true
	}
	k := q.person.appendKeys(q.keys, true)
	k = q.employer.appendKeys(k, tagMemberCo, 0, false)
	if q.employer.acronym != "" {
		k = append(k, makeKey(tagMemberCo, q.employer.acronym))
	}
	if len(q.employer.tokens) == 1 {
		k = append(k, makeKey(tagMemberCo, q.employer.tokens[0]))
	}
	if q.mailLabel != "" {
		k = append(k, makeKey(tagMemberCo, q.mailLabel))
	}
	if q.hasEmail {
		k = append(k, makeKey(tagEmail, string(q.email[:])))
	}
	if pk, ok := memberPlaceKey(&q.person, &q.loc); ok {
		k = append(k, pk)
	}
	k = appendAddrKeys(k, &q.loc)
	q.keys = dedupKeys(k)
	q.setGroups()
	if q.person.first != "" {
		q.tfKeys[tfFirst] = makeKey(tagFirst, q.person.first)
	}
	if q.person.last != "" {
		q.tfKeys[tfLast] = makeKey(tagLast, q.person.last)
	}
	if !q.employer.empty() {
		q.tfKeys[tfEmployer] = makeKey(tagMemberCoCore, q.employer.core)
	}
	q.nTF = 3
	q.setAddrTF()
	if q.hasEmail {
		q.tfKeys[tfEmail] = makeKey(tagEmail, string(q.email[:]))
		q.nTF = tfEmail + 1
	}
	// A title or a place alone cannot find a member; a street address can.
	return !q.person.empty() || !q.employer.empty() || q.hasEmail || q.hasAddrKeys()
}

// Indices into Query.tfKeys.
const (
	tfCore     = 0 // company queries
	tfIndustry = 1 // company queries: vocabulary check, not TF
	tfFirst    = 0 // member queries
	tfLast     = 1
	tfEmployer = 2
	// tfAcronym (company queries of two words or more) counts the
	// directory's names whose acronym is the query's, and tfAcronymWord
	// those that hold it as a word ("DT", "DT Group"): the names a query
	// that spells out an acronym may stand for (the SpelledOut level).
	tfAcronym     = tfEmail
	tfAcronymWord = 6
)

// HashEmail returns the SHA-256 of the normalised address (lower case,
// plus-addressing removed, see the normalisation rules); ok is false when
// addr is not an email address. Directories hold member emails only in this
// form. It is [privacy.HashEmail], the one hash of an email in crmlink.
func HashEmail(addr string) (EmailHash, bool) {
	h, ok := privacy.HashEmail(addr)
	return EmailHash(h), ok
}

// emailLocalMatches reports whether local follows a common corporate pattern
// of the names first and last: first.last, firstlast, first_last, first-last,
// flast, f.last, firstl, first.l, last.first, lastfirst, lastf, last, first.
func emailLocalMatches(local, first, last string) bool {
	if local == "" || (first == "" && last == "") {
		return false
	}
	first = asciiAlnum(first)
	last = asciiAlnum(last)
	l := local
	if first != "" && last != "" {
		for _, sep := range [4]string{"", ".", "_", "-"} {
			if cat3(l, first, sep, last) || cat3(l, last, sep, first) ||
				cat3(l, first[:1], sep, last) || cat3(l, first, sep, last[:1]) ||
				cat3(l, last, sep, first[:1]) {
				return true
			}
		}
	}
	return (len(first) > 2 && l == first) || (len(last) > 2 && l == last)
}

// asciiAlnum drops everything but ASCII letters and digits (names are
// already folded and transliterated).
func asciiAlnum(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// cat3 reports whether l == a+sep+b, without allocating.
func cat3(l, a, sep, b string) bool {
	return len(l) == len(a)+len(sep)+len(b) && strings.HasPrefix(l, a) &&
		l[len(a):len(a)+len(sep)] == sep && strings.HasSuffix(l, b)
}

// NewCompanyQuery prepares q as the engine does, for directory
// implementations, their tests and benchmarks. It returns [ErrEmptyQuery]
// when q has no usable field.
func NewCompanyQuery(q CompanyQuery) (*Query, error) {
	p := new(Query)
	if !p.prepareCompany(q) {
		return nil, ErrEmptyQuery
	}
	return p, nil
}

// NewMemberQuery prepares q as the engine does; see [NewCompanyQuery].
func NewMemberQuery(q MemberQuery) (*Query, error) {
	p := new(Query)
	if !p.prepareMember(q) {
		return nil, ErrEmptyQuery
	}
	return p, nil
}
