// Package matchcli is the logic of the examples/match command, as a library
// so that tests reach it; the command's main only calls [Main].
//
//	match -kind company|member -directory DIR.csv -queries Q.csv [-k 10] [-stats] [-fit=false] [-vocab=false]
//
// # Input
//
// CSV files with a header row; columns in any order; unknown columns ignored;
// any field but id may be empty:
//
//	company directory: id,name,industry,location,website
//	member directory:  id,first_name,last_name,company,title,location,email
//	company queries:   id,name,industry,location,website
//	member queries:    id,first_name,last_name,company,title,email,location
//
// The member directory's email is hashed while loading and never kept. The
// directory is loaded into a [memdir.Dir], a company directory with its
// names' vocabulary ([memdir.WithVocabulary]) unless -vocab=false; queries
// are streamed (not held in memory) through [matcher.Engine.MatchCompanies]
// or MatchMembers.
//
// # Output
//
// One JSON object per query and line on stdout, in input order:
//
//	{"query_id":"q1","decision":"match","candidates":[{"id":"c9","score":0.97}]}
//
// decision is none, ambiguous or match; at most k candidates, best first, in
// the engine's order: equal scores are ordered by the engine's continuous
// similarity and then by id, so candidates whose rounded scores print alike
// keep the engine's ranking (deterministic for a given directory); scores are rounded to 4 decimals with trailing zeros dropped (see
// [FormatScore]); no candidate is "candidates":[]. A query with no usable
// field gets decision none.
//
// # Statistics
//
// -stats prints to stderr one "name: value" per line: entities, build
// (loading and indexing the directory), heap_mib (live heap after the build),
// queries, match (wall time of the batch), queries_per_second, and p50, p95,
// p99. Durations use Go's notation rounded to three significant digits.
// Batch matching overlaps queries, so the percentiles are measured afterwards
// by matching the first 2,000 queries again one at a time. When the model was
// fitted (the default), the fit follows: fit (its wall time), fit_queries,
// fit_pairs, fit_sampled_entities, fit_iterations, fit_converged,
// fit_in_directory, one fit_singleton line per name field (how many sampled
// entities hold a name no other holds, and one other, and the count a name
// held once is given), for companies one fit_near_names line per class of
// name length when the directory's names have near neighbours (how many
// sampled names of that length were looked up, the near neighbours they
// found, and the factor of the High level's U), for members fit_same_last_pairs (pairs of sampled
// members with one last name) and one fit_same_last line per first-name
// level (its chance agreement between people of one surname, and between
// random pairs), and one fit_level line per level (M and U before and
// after, its weight in bits, the true pairs expected at it).
//
// # Errors
//
// Bad flags or bad input (missing file, no id column, malformed CSV, invalid
// UTF-8, empty or duplicate id) print a message naming the file and line to
// stderr and exit with status 2 ([ExitBadInput]). So does a file whose header
// is that of the other kind than -kind (a member file has first_name,
// last_name, company, title or email and none of name, industry, website; a
// company file the reverse): matching members against companies would print
// none for every query, so the message says which file looks like which,
// before the directory is loaded. A failure to write the results exits
// with status 1 ([ExitFailure]). The results of queries
// before a bad query line are written; nothing is written for that line or
// after it. Messages never contain field values.
package matchcli
