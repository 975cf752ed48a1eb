// Package csvrec reads CSV files with a header row by column name, and
// reports bad input as a [*ParseError] naming the file, the line and the
// column, never the offending value. It is the one CSV header reader of the
// module: matcher/memdir and examples/match read directories and queries
// with it, crm/csvsource CRM objects ([crm.ParseError] is its ParseError).
//
// # Format
//
// The first row is the header. Columns may come in any order, unknown ones
// are ignored, missing optional ones read as "". Fields must be valid UTF-8.
// A byte-order mark is skipped. A short record reads its missing fields as
// "", unless [Reader.RequireFieldCount] asks for as many fields as the header.
//
// # Errors
//
// Every error of [NewReader] and [Reader.Read] (except io.EOF) is a
// *ParseError whose Err is one of the Err* classes, matched with errors.Is.
// Malformed CSV keeps the *csv.ParseError underneath for errors.As. A
// ParseError gives the line, the byte column of the field (as encoding/csv
// counts) and the column's header name; a caller may set its Class so that
// its own class of bad input matches too.
//
// # Privacy
//
// Error texts carry file names, line numbers and column names only, so they
// may be logged even when the file holds personal data.
package csvrec
