// Package synth generates deterministic synthetic directories of companies
// and members, and corrupted CRM-style queries against them with their ground
// truth, for tests, accuracy measurements and benchmarks of the matcher.
//
// # Directory
//
// [New] builds a [World] from a seed. Companies come from about twenty
// countries with their scripts (Latin with diacritics, Cyrillic, Greek,
// romanised Japanese and Chinese), legal forms, cities and domains:
// surname-based names ("Müller & Söhne GmbH"), word combinations ("Blue Ridge
// Analytics"), acronyms, "The X Group", invented brands, and families of
// companies sharing a stem ("Acme Software", "Acme Holdings") that make hard
// near-duplicates. Websites use country or generic TLDs, hyphens,
// initials, and sometimes a domain unrelated to the name. Members have
// country-typical names: a head of real common names drawn so that they are
// very common (many John Smiths, many Müllers, many Wang Weis) and a long
// tail of invented surnames in each country's manner, sized with the world,
// as real name distributions have. Employers are drawn so that big companies
// have many employees; titles vary in seniority and spelling; e-mail
// addresses follow the company's pattern (first.last, flast, ...), German
// names spelling umlauts as "ue", and are sometimes personal.
//
// # Queries
//
// [World.CompanyQueries] and [World.MemberQueries] corrupt directory entities
// the way CRM data is kept: typos, nicknames, dropped or changed legal forms,
// abbreviations, acronyms, brand-only company names ("Bosch" for "Robert
// Bosch GmbH"), lost diacritics, transliteration, case, swapped
// names, middle initials, stale employers and titles, personal e-mail,
// decorated websites, locations as city, country or code, and many missing
// fields. Each query lists what was done in Noise. A share of queries
// (QueryOptions.AbsentRate) describes held-out entities generated like the
// real ones but absent from the directory; their TruthID is "".
//
// # Determinism
//
// The same Options (and QueryOptions) always give the same output: all
// randomness comes from seeded PCG streams and no map is iterated.
//
// # Concurrency
//
// A World is read-only once built and safe for concurrent use. The slices
// returned by [World.Companies] and [World.Members] are shared and must not be
// modified.
package synth
