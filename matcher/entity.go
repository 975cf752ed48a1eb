package matcher

import (
	"slices"

	"github.com/crmlink/crmlink/internal/normalize"
)

// Entity is a directory entity with its normalised features computed once, by
// [NewCompanyEntity] or [NewMemberEntity], so that scoring never normalises a
// candidate again. An Entity is a small value (a reference and a pointer to
// immutable features): directories store and copy it freely. The zero Entity
// is invalid. Entities are safe for concurrent use (they are never mutated).
//
// An Entity holds normalised forms only (a member's email as a hash), never
// the raw record it was built from.
type Entity struct {
	// Ref names the entity.
	Ref EntityRef
	c   *companyData // company entities
	m   *memberData  // member entities
}

type companyData struct {
	company  companyFeat
	domain   string
	label    string // DomainLabel(domain)
	industry string
	// industries are the values of a multi-valued industry, nil for one.
	industries []string
	loc        locFeat
}

type memberData struct {
	person personFeat
	// employer is nil when the member names none; members of one employer
	// may share it (see [Interner]), so it is never changed once made.
	employer *companyFeat
	title    titleFeat
	loc      locFeat
	email    EmailHash
	hasEmail bool
}

// NewCompanyEntity prepares a company profile for a directory.
func NewCompanyEntity(c Company) Entity {
	f := &companyData{
		company:    newCompanyFeat(c.Name),
		industry:   capRunes(normalize.Fold(c.Industry), maxCompareRunes),
		industries: splitIndustries(c.Industry),
		loc:        newLocFeat(c.Location),
	}
	if d, ok := normalize.Website(c.Website); ok {
		f.domain = d
		f.label = normalize.DomainLabel(d)
	}
	return Entity{Ref: EntityRef{Kind: KindCompany, ID: c.ID}, c: f}
}

// NewMemberEntity prepares a member profile for a directory.
func NewMemberEntity(m Member) Entity {
	f := &memberData{
		person:   newPersonFeat(m.FirstName, m.LastName),
		title:    newTitleFeat(m.Title),
		loc:      newLocFeat(m.Location),
		email:    m.EmailHash,
		hasEmail: m.EmailHash != EmailHash{},
	}
	if emp := newCompanyFeat(m.Company); !emp.empty() && !normalize.NoEmployer(emp.core) {
		// The legal form only orders company candidates: without it,
		// members naming "Acme" and "Acme Inc." share one employer.
		emp.legal, emp.inner = 0, 0
		f.employer = &emp
	}
	return Entity{Ref: EntityRef{Kind: KindMember, ID: m.ID}, m: f}
}

// Interner lets member entities share one copy of the prepared features of
// an employer they name alike, and of a title they hold alike: a directory
// of a million members holds far fewer employers and titles than members,
// and the features of a company name are the largest part of a member. The
// zero Interner is ready to use. It is not safe for concurrent use: a
// directory calls it where it indexes entities, under its own lock. It
// keeps every employer and title it has seen (a directory's employers and
// job titles, not its members), until it is dropped.
type Interner struct {
	employers map[string]*companyFeat // by core name
	titles    map[string]titleFeat    // by normalised title
}

// Share returns e with its employer's and its title's features replaced by
// equal copies an earlier entity holds, and remembers them for later
// entities when none does. Entities of other kinds are returned as they
// are. e must not be in use elsewhere yet (a directory calls Share before
// it indexes e).
func (in *Interner) Share(e Entity) Entity {
	if e.Ref.Kind != KindMember || e.m == nil {
		return e
	}
	if emp := e.m.employer; emp != nil {
		if in.employers == nil {
			in.employers = make(map[string]*companyFeat)
		}
		prev, ok := in.employers[emp.core]
		switch {
		case !ok:
			in.employers[emp.core] = emp
		case prev != emp && prev.equal(emp):
			e.m.employer = prev
		}
	}
	if t := e.m.title; t.norm != "" {
		if in.titles == nil {
			in.titles = make(map[string]titleFeat)
		}
		prev, ok := in.titles[t.norm]
		switch {
		case !ok:
			in.titles[t.norm] = t
		case slices.Equal(prev.tokens, t.tokens):
			e.m.title = prev
		}
	}
	return e
}

// Valid reports whether e was built by a constructor and has an ID.
func (e Entity) Valid() bool { return e.ok() && e.Ref.ID != "" }

// ok reports whether e has the features of its kind.
func (e Entity) ok() bool {
	return e.Ref.Kind == KindCompany && e.c != nil || e.Ref.Kind == KindMember && e.m != nil
}

// Keys appends to dst the index keys of e and returns dst. A [Directory]
// indexes an entity under these keys and finds it from [Query.Keys]. Keys
// carry no duplicates.
func (e Entity) Keys(dst []Key) []Key {
	if !e.ok() {
		return dst
	}
	start := len(dst)
	switch e.Ref.Kind {
	case KindCompany:
		f := e.c
		dst = f.company.appendKeys(dst, tagCoToken, tagCoDel, true)
		if k, ok := f.company.prefixKey(); ok {
			dst = append(dst, k)
		}
		if f.domain != "" {
			dst = append(dst, makeKey(tagDomain, f.domain))
		}
		if f.label != "" {
			dst = append(dst, makeKey(tagDomainLabel, f.label))
		}
		if k, ok := placeKey(f.industry, &f.loc); ok {
			dst = append(dst, k)
		}
		if f.industry != "" {
			dst = append(dst, makeKey(tagIndustry, f.industry))
		}
		for _, v := range f.industries {
			dst = append(dst, makeKey(tagIndustry, v))
		}
		dst = appendAddrKeys(dst, &f.loc)
	case KindMember:
		f := e.m
		dst = f.person.appendKeys(dst, false)
		if f.person.first != "" {
			dst = append(dst, makeKey(tagFirst, f.person.first))
		}
		if f.person.last != "" {
			dst = append(dst, makeKey(tagLast, f.person.last))
		}
		if k, ok := memberPlaceKey(&f.person, &f.loc); ok {
			dst = append(dst, k)
		}
		if !f.employer.empty() {
			dst = f.employer.appendKeys(dst, tagMemberCo, 0, false)
			dst = append(dst, makeKey(tagMemberCoCore, f.employer.core))
			if f.employer.acronym != "" {
				dst = append(dst, makeKey(tagMemberCo, f.employer.acronym))
			}
		}
		if f.hasEmail {
			dst = append(dst, makeKey(tagEmail, string(f.email[:])))
		}
		dst = appendAddrKeys(dst, &f.loc)
	}
	return append(dst[:start], dedupKeys(dst[start:])...)
}

// memberPlaceKey is the key of a member's last name in their city: among
// the namesakes a common name has by the thousand, those in the query's
// city are few, and they come first among the candidates as a record
// linkage blocking rule on surname and town would put them.
func memberPlaceKey(p *personFeat, l *locFeat) (Key, bool) {
	if p.last == "" || l.city == "" {
		return 0, false
	}
	return makeKey3(tagMemberPlace, p.last, "|", l.city), true
}

// placeKey is the key of a company's industry in its city: alone, each is
// common, together they find the few companies a CRM account that lost its
// name may be.
func placeKey(industry string, l *locFeat) (Key, bool) {
	if industry == "" || l.city == "" {
		return 0, false
	}
	return makeKey2(tagCoPlace, industry+"|", l.city), true
}
