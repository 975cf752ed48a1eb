// Package matcher links CRM records to directory entities (company and member
// profiles): it finds candidates through a [Directory], scores each one with
// a Fellegi–Sunter model, ranks and explains them, and decides whether the
// best is a match.
//
// Users hold an [*Engine] made by [New] over a Directory (the in-memory
// matcher/memdir, or another implementation passing matcher/dirtest) and
// call [Engine.MatchCompany] or [Engine.MatchMember] for one query, or
// [Engine.MatchCompanies] and [Engine.MatchMembers] for a stream.
//
// # Model
//
// The engine normalises a query once (Unicode folding, legal forms,
// nicknames, titles, emails, domains, locations) into a [Query]; directory
// entities are normalised once when built ([NewCompanyEntity],
// [NewMemberEntity]). Each field of a candidate is compared at a level:
// exact after normalisation; nickname or acronym equivalence; for company
// names, a one-word query name that is a word or the start of the
// candidate's longer name (a brand: "Exxon", "Bosch", "Total" for "Exxon
// Mobil", "Robert Bosch", "TotalEnergies"); high or medium similarity
// (Jaro-Winkler from go-edlib for person names, a soft token-set
// Sørensen–Dice coefficient for company names and titles, where two words
// of at least five letters one edit apart always count as similar);
// disagreement.
// (For ASCII names the engine runs an allocation-free copy of go-edlib's
// Jaro-Winkler, fuzzed to agree with it exactly; similarities proven below
// 0.7 by a cheap bound are reported as 0.) A field missing on either side
// adds nothing. Names in scripts other than Latin, Cyrillic and Greek are
// compared in Latin transliteration (and, written the same way, on their own
// letters: character bigrams for Han, kana, Hangul and Thai, consonant
// skeletons for Arabic and Hebrew); an agreement that holds only through a
// transliteration stops at High (people) or Medium (companies). Swapped
// first and last names are compared in both orders, the better kept; a Sr
// and a Jr of the same name disagree on the first name. Each level has an m probability
// (true matches at that level) and a u probability (chance agreement of
// non-matches); it adds log2(m/u) bits of evidence ([Weights],
// [DefaultWeights]).
//
// Candidate keys ([Key]) are derived here for every directory: company name
// words, the one-rune deletions of the first word (and, on the query side
// only, the two-rune deletions of a first word of 7 to 12 letters, so that
// two typos in it still meet the entity), pair keys of the first two words
// with one of them cut to a prefix or suffix (a typo in one word keeps the
// other's company apart from its look-alikes), the name without spaces (so
// that "Price Waterhouse Coopers" meets "PricewaterhouseCoopers"), the first
// five letters of the name without spaces (which a one-word query looks up:
// "Pepsi" finds "PepsiCo"), the name's acronym (also with the initial of a
// leading "The": "TLH" for "The Leus Holdings", and for names of three
// words or more with the initial of a dropped legal word: "TSMC" for "Taiwan
// Semiconductor Manufacturing Company Limited"; a name of one-letter words
// such as "J&J" is compared as an acronym), website domains, nickname roots
// and email hashes. Company abbreviations are expanded on both sides
// ("Intl", "Hldgs", "Mfg" by the normaliser; "Cnslt", "Comms", "Eng" by the
// matcher).
//
// Term-frequency adjustment: when the directory implements [KeyCounter], the
// u of an exact agreement on a company name, a first name, a last name or an
// employer is the value's frequency in the directory, so agreeing on
// "Zyxel" is worth more than on "Global Solutions" or "Smith".
//
// Dependent fields: colleagues mostly work in one city, so when the
// employers agree exactly, a location is weighed with
// [Weights].ColleagueLocation (chance agreement measured on pairs of
// colleagues, [EstimateU]) instead of as an independent field.
//
// Postal addresses: a location with a street, number, postcode or unit is
// split into its parts ([AddressWeights]); when both sides give one, street
// and number, postcode and locality are compared with graded levels
// (exact, a typo, partial, disagree; a part missing on either side adds
// nothing), the exact street and postcode weighted by their frequency in
// the directory; a postcode agreement counts little once the street and
// number agree, and the locality is not compared once the postcodes agree
// (the parts are not independent). Entities are also indexed by number +
// street, postcode + street, postcode + number and street + locality, so
// that a record whose name changed is found by its address.
//
// Multi-valued industries ("Software; IT Services", "5112, 5415") compare
// as sets: one shared value, or a code starting the other, agrees.
//
// Vocabularies: an industry label that no company of the directory carries
// ([KeyCounter]) comes from another taxonomy (a CRM picklist's "Technology"
// against a directory's "Software Development"); it is not compared, as its
// disagreement with the directory's label says nothing about the match.
//
// Email: an equal email hash is near-decisive (about 26 bits); a work email
// whose domain names the member's employer and a local part following the
// candidate's names (first.last, flast, ...) are evidence; free-mail domains
// carry no company evidence.
//
// The prior odds of one candidate are 1/N for a directory of N entities of
// the kind, N at least [MinUniverse] ([KeyCounter]; [DefaultPrior]
// otherwise): the query's entity is one of N. A candidate's posterior odds
// are its prior odds times 2^evidence; the candidates exclude each other
// (a query is at most one entity), so the score of candidate i is
// odds(i) / (1 + sum of all candidates' odds), in [0,1], and the scores of a
// result sum to at most 1.
//
// # Decision
//
// The result is [Match] when the best candidate reaches
// [Thresholds].Match and leads the second by MinMargin, [Ambiguous] when the
// best reaches [Thresholds].Candidate or the candidates' scores together do
// (the record is likely one of them, but which is unclear), [None]
// otherwise. Candidates are
// ordered by score; equal scores by the sum of their fields' similarities (a
// continuous measure: levels are coarse, so near-identical entities often
// tie), then by entity ID; the same input gives the same output.
// Each [Candidate] explains itself with one [FieldScore] per compared field:
// level, similarity and contribution in bits.
//
// # Errors
//
// A query with no usable field returns [ErrEmptyQuery]. Directory errors are
// wrapped; context cancellation stays reachable with errors.Is. Error
// strings never contain field values.
//
// # Concurrency
//
// An Engine is safe for concurrent use. Batch matching runs at most
// [WithConcurrency] queries at once and yields results in input order.
//
// # Privacy
//
// Members hold their email only as a SHA-256 of the normalised address
// ([HashEmail]); entities and queries keep normalised forms only, and
// nothing of a record appears in an error.
package matcher
