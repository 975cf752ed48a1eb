// Package memdir is the embedded default [matcher.Directory]: an in-memory
// inverted index over the lookup keys [matcher] derives from entities (name
// tokens and their one-edit deletions, acronyms (a query's long first word
// also looks up its two-edit deletions),
// nickname roots, website domains and labels, email hashes).
//
// A query visits the posting lists of its keys rarest first, within a
// posting budget, scores every entity it touches by the inverse document
// frequency of the keys they share (an email hash or website domain adds a
// large boost), and returns the best: a query touches a small fraction of
// the directory. Keys that are spelling variants of one query word (its
// deletions, [matcher.Key.Variant]) count once, at their best: once for a
// company's name, once for each of a person's first and last names
// ([matcher.Query.VariantGroups]). A member query's lists of a thousand
// postings or more (a common first name, a large city), once the rarer
// lists have found as many members as the candidates asked for, only add
// to those members, as a search engine's common-terms query scores its
// frequent terms only for the documents its rare terms found: they order
// the members the last name and employer found instead of bringing
// thousands of namesakes in. A company query reads them in full, since a
// company is often found by the meeting of common words alone.
//
// # Vocabulary
//
// With [WithVocabulary], Dir also keeps the words of its entities' names ([matcher.Entity.Terms]),
// per class of word, in a forward and a reversed byte trie
// (WithVocabulary(matcher.KindCompany) keeps company names' words only,
// and only company queries look words up). A query word
// the directory does not hold is looked up in it: first the words one edit
// away (substitution, insertion, deletion or adjacent transposition), then
// the two known words it joins ("KalyHealth": "kaly" and "health", one of
// them possibly one edit away), then the words two edits away; two
// adjacent query words also look up the known word they split ("Micro
// Soft") and the known word one edit from their joining ("Lix Retail" of
// "Leix Retail"). A rare word the directory holds (or a rare known word two
// adjacent query words join into) also looks up the words one edit from it,
// at a lower weight: a typo may make another company's word ("Sova" for
// "Dova"). The joining of a split first word with the next query word, or
// a word near it, is looked up as the name's first two words ("Red wood
// Annchor": "redwoodanchor"). The words found add their posting lists at a
// reduced weight. Then the lists the posting budget cut are read on for the
// best entities found within it only (a query of three common words ranks
// the entity that holds all three), and the last third of the candidates
// are chosen from a wider window of the best by their name's similarity to
// the query's ([matcher.NameSimilarity]). A Levenshtein automaton is walked
// over the tries, allowing one edit less in the first half of the word in
// each direction, so a search walks tens to hundreds of nodes; a query
// walks at most a fixed number of them. The vocabulary only grows: words of
// removed entities stay, without postings.
//
// Scoring, explanations and decisions are the
// [matcher.Engine]'s; Dir also implements [matcher.KeyCounter], which gives
// the engine term frequencies and the directory size.
//
//	d := memdir.New()
//	_ = d.AddCompany(matcher.Company{ID: "c42", Name: "Acme Corporation", Website: "acme.com"})
//	eng, _ := matcher.New(d)
//
// # Options
//
// [WithPostingBudget] trades speed for recall on queries made only of
// common words; [WithCapacity] pre-sizes the maps for a bulk load.
// [Dir.AddCompanies] and [Dir.AddMembers] load in bulk, normalising on all
// cores.
//
// # Concurrency
//
// A Dir is safe for concurrent use. Add, Upsert and Remove take a write lock
// for the index update only (entities are normalised before the lock), and
// queries share a read lock, so changes are visible to the next query.
//
// # Caveats
//
// Everything lives in the Go heap: measured on synthetic companies, about
// 0.9 KiB per company with its index (1,000,000 companies: under 850 MiB,
// built by AddCompanies in 13 s on 2 loaded cores). Removing an entity
// costs a scan of each of its keys' posting lists, proportional to the
// frequency of its most common key; an upsert scans only the lists of the
// keys the entity loses (none when a refreshed title, say, leaves its keys
// as they were). Slots of removed entities are reused, never returned to
// the system.
//
// # Privacy
//
// A Dir holds normalised names, titles and locations and member emails only
// as hashes; errors name IDs, never field values.
package memdir
