// Package normalize turns the free-text fields of CRM records and directory
// entities into comparable forms: folded text, person names with nickname
// roots, company names without legal forms, canonical job titles, e-mail
// keys, registrable domains, parsed locations and postal addresses
// ([ParseAddress]: house number, street, unit, locality, region, postcode
// and country, street types and directions in canonical short forms).
//
// The matcher applies the same functions to the directory side and the query
// side, so two spellings meet when their normal forms are equal or close:
// "Bob O'Brien, Jr." and "Robert OBrien", "ACME Corp." and "Acme
// Corporation", "https://www.acme.co.uk/about" and "jane@acme.co.uk".
//
// # Folding
//
// [Fold] is the base of every normaliser: compatibility decomposition,
// combining marks removed, case and width folded, Cyrillic and Greek
// transliterated to Latin, punctuation to spaces. It has an allocation-free
// fast path for text that is already folded and an appending form,
// [AppendFold], for hot loops.
//
// # Other scripts
//
// [Latin] transliterates every other script to Latin with
// github.com/gosimple/unidecode (Han as pinyin, kana as romaji, Hangul,
// Arabic and Hebrew consonants, Devanagari, Thai, Khmer ...), joining the
// syllables of a run written without spaces into one word ("北京" →
// "beijing"). [Person] returns names in Latin script this way. Scripts
// written without spaces ([IsUnspaced]) are also cut into character bigrams
// ([AppendGrams]) for retrieval, and names from scripts without vowels
// ([HasAbjad]) are compared through their consonant skeletons ([Skeleton]:
// "Mohammed" and "محمد" are both "mhmd").
//
// # Data
//
// Nickname and legal-form tables are embedded (see data/README.md for their
// sources and licenses) and parsed once, on first use, into read-only maps.
// Country, region and city tables are compiled in. No function does I/O.
//
// Given-name nicknames come from two tables: the carltonnorthern/nicknames
// table of English names ("Bob" → "Robert") and a supplement written for
// this project, data/nicknames_intl.csv, with diminutives in other languages
// ("Paco" → "Francisco", "Sasha" → "Aleksandr", "Beppe" → "Giuseppe") and
// the forms one name takes across languages, linked through a common root
// ("Alejandro", "Alessandro" and "Aleksandr" through "Alexander"; "José" and
// "Giuseppe" through "Joseph"). Links are not transitive, and names that
// also belong to other people are deliberately not linked (Jean and John,
// Maria and Mario, Andrea and Andreas).
//
// # Limits
//
// Every function reads at most [MaxInput] bytes of each input and its output
// is bounded, so hostile or corrupted fields cost bounded work. Invalid UTF-8
// and NUL bytes are dropped; no input makes a function panic.
//
// # Caveats
//
// Folding is lossy by design: combining marks are removed in every script,
// so Arabic vowel marks disappear (wanted) and so do some Indic vowel signs;
// transliteration is one fixed scheme (й→y, х→kh, ου→ou), so a name
// romanised by another scheme ("Jurij" for "Юрий") folds differently and is
// left to fuzzy comparison. [Fold] keeps Hangul, Han and the other scripts
// as written; [Latin] transliterates them with one reading per character
// (Mandarin for Han, so Japanese kanji get Chinese readings: "東京" is
// "dongjing", not "tokyo"; Hangul by Revised Romanization, so "김" is "gim",
// not "kim"; abjads without vowels).
//
// # Concurrency
//
// All functions are pure and safe for concurrent use by multiple goroutines.
//
// # Privacy
//
// The functions return values derived from record data but never log them
// and return no errors that could carry them.
package normalize
