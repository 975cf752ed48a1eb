package matcher

import "github.com/crmlink/crmlink/internal/normalize"

// Term is a word of a name with the key under which a directory indexes the
// entities holding it ([Entity.Keys] includes the key of every one of the
// entity's terms). A directory may keep the terms of its entities in a
// vocabulary and look the query's terms up in it with a tolerance for typos
// (edit distance), joined words ("DataDog" for "Data Dog") and split ones
// ("Micro Soft" for "Microsoft"), then visit the keys of the vocabulary
// words it found: retrieval that survives more than the one edit the
// deletion keys of [Query.Keys] cover, in every word of a name.
//
// Terms of different classes (a company name's words, a person's names, a
// member's employer's words) have keys with different tags: [Term.Class]
// tells them apart, so that a vocabulary is kept per class.
type Term struct {
	Text string // normalised word: folded, lower case
	Key  Key
}

// Class returns the class of t: terms of one class only are comparable.
func (t Term) Class() uint8 { return uint8(byte(t.Key)) }

// TermClasses is the number of term classes: [Term.Class] is below it.
const TermClasses = 256

// Terms appends the terms of e to dst and returns dst: the words of a
// company's name; a member's first and last names and the words of its
// employer's name. A company word that normalisation expanded from a short
// form ("holdings", "brothers") also comes with its short forms ("hldgs",
// "bros"), each under the word's key.
func (e Entity) Terms(dst []Term) []Term {
	if !e.ok() {
		return dst
	}
	switch e.Ref.Kind {
	case KindCompany:
		dst = appendTerms(dst, tagCoToken, e.c.company.tokens)
		dst = appendFormTerms(dst, tagCoToken, e.c.company.tokens)
		if t := e.c.company.tokens; len(t) > 1 && len(t[0])+len(t[1]) <= maxJoinedTerm {
			// The first two words joined, under the token key the
			// company's keys hold for them (companyFeat.appendKeys).
			dst = append(dst, Term{Text: t[0] + t[1], Key: makeKey2(tagCoToken, t[0], t[1])})
		}
		dst = appendWrittenTerms(dst, tagCoToken, &e.c.company)
	case KindMember:
		dst = e.m.person.appendTerms(dst)
		if e.m.employer != nil {
			dst = appendTerms(dst, tagMemberCo, e.m.employer.tokens)
			dst = appendFormTerms(dst, tagMemberCo, e.m.employer.tokens)
		}
	}
	return dst
}

// maxJoinedTerm is the longest joining of a company name's first two words
// that is a term.
const maxJoinedTerm = 24

// appendFormTerms appends, for each token of toks that the normaliser
// expanded from a short form ("holdings" of "Hldgs"), the short forms
// under the token's key (normalize.CompanyWordForms): a query holds its
// words expanded, but not the short forms it joins to a word
// ("VaslanbyBros") or misspells ("Hldsg"), which a vocabulary then finds
// as they are.
func appendFormTerms(dst []Term, tag byte, toks []string) []Term {
	for _, t := range toks {
		for _, f := range normalize.CompanyWordForms(t) {
			dst = append(dst, Term{Text: f, Key: makeKey(tag, t)})
		}
	}
	return dst
}

// Terms appends the terms of q to dst and returns dst, as [Entity.Terms]
// does for entities: the words the query's name has, under the keys
// entities holding the same words have.
func (q *Query) Terms(dst []Term) []Term {
	switch q.kind {
	case KindCompany:
		dst = appendTerms(dst, tagCoToken, q.company.tokens)
		dst = appendWrittenTerms(dst, tagCoToken, &q.company)
	case KindMember:
		dst = q.person.appendTerms(dst)
		dst = appendTerms(dst, tagMemberCo, q.employer.tokens)
	}
	return dst
}

// appendWrittenTerms appends the words of c as its name wrote them in
// camel case that its parted words do not hold ("riverstar" of
// "RiverStar Capital"), under the keys companyFeat.appendKeys gives them:
// a query that writes the word with typos across the joint ("RiverAtarr")
// is then looked up as one word, two edits from the name's.
func appendWrittenTerms(dst []Term, tag byte, c *companyFeat) []Term {
	for w := range c.writtenWords() {
		dst = append(dst, Term{Text: w, Key: makeKey(tag, w)})
	}
	return dst
}

func appendTerms(dst []Term, tag byte, toks []string) []Term {
	for _, t := range toks {
		if t != "" {
			dst = append(dst, Term{Text: t, Key: makeKey(tag, t)})
		}
	}
	return dst
}

func (p *personFeat) appendTerms(dst []Term) []Term {
	for _, s := range [2]string{p.first, p.last} {
		if s != "" {
			dst = append(dst, Term{Text: s, Key: makeKey(tagPerson, s)})
		}
	}
	return dst
}

// Variant reports whether k is a spelling variant of a word rather than
// the word itself: one of the deletion keys a word of a company name (the
// word with one or two letters removed) or a person's name (with one
// removed) yields, which meet the same word with a typo. A word agreeing
// exactly shares all its variants; a directory that sums the weights of
// shared keys should count the variants of one query word once (their
// best), or an exact word outweighs every other field however common it
// is. [Query.VariantGroups] says which of a query's variants go together.
func (k Key) Variant() bool { return byte(k) == tagCoDel || byte(k) == tagPersonDel }
