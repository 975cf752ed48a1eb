// Package csvrec reads CSV files with a header row by column name, and
// reports bad input as a [*ParseError] naming the file, the line and the
// column, never the offending value.
//
// # Format
//
// The first row is the header. Columns may come in any order, unknown ones
// are ignored, missing optional ones read as "". Fields must be valid UTF-8.
// A byte-order mark is skipped.
//
// # Errors
//
// Every error of [NewReader] and [Reader.Read] (except io.EOF) is a
// *ParseError whose Err is one of the Err* classes, matched with errors.Is.
// Malformed CSV keeps the *csv.ParseError underneath for errors.As.
//
// # Privacy
//
// Error texts carry file names, line numbers and column names only, so they
// may be logged even when the file holds personal data.
package csvrec
