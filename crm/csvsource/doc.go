// Package csvsource reads and writes a CRM org as CSV files: a [crm.Source] for offline import,
// fixtures, tests and examples, and a [crm.Writer] that appends activities to a file.
//
// [Open] serves the files of one directory, one per object; a missing file is an empty object,
// but a directory holding none of them is an error ([ErrNoFiles]). [Create] makes a Source for
// a directory that receives activities only.
// [Write] writes a whole org to a directory and [Export] copies any [crm.Source] there. The
// Read* and Write* functions (such as [ReadContacts] and [WriteContacts]) handle one object on
// any io.Reader or io.Writer.
//
// # Files and headers
//
// Every file starts with a header row. When reading, columns may come in any order, names are
// matched case-insensitively, unknown columns are ignored and a missing optional column reads as
// empty; only the columns marked required must be present. Write uses the order below.
//
//	accounts.csv       id*,name,industry,website,city,country,owner_id,modified_at
//	contacts.csv       id*,account_id,first_name,last_name,title,email,city,country,owner_id,modified_at
//	leads.csv          id*,first_name,last_name,company,title,email,city,country,owner_id,modified_at
//	opportunities.csv  id*,name,account_id,stage,contact_ids,is_closed,owner_id,modified_at,
//	                   amount,currency,is_won,created_at,close_date,stage_history
//	stages.csv         name*,sort_order*,is_closed,is_won
//	users.csv          id*,name,email,role_id,business_unit_id,is_active*
//	roles.csv          id*,name,parent_id
//	activities.csv     external_key*,id*,kind,org,object,record_id,subject,body,occurred_at,author
//
// (* required). File names are matched without regard to case, and each object is also read
// from the names CRM exports give it: Account.csv, Contact.csv, Lead.csv, Opportunity.csv,
// Stage.csv or OpportunityStage(s).csv, User.csv or SystemUser(s).csv, Role.csv, UserRole(s).csv
// or BusinessUnit(s).csv (so Accounts.csv and ACCOUNT.CSV are accounts.csv too). A directory
// holding two names of one object is an error. activities.csv has that exact name. Values: times are RFC 3339 (modified_at, created_at, occurred_at; written in UTC, empty for
// none); booleans are true or false (also 1/0, yes/no; empty is false); contact_ids lists the
// opportunity's contact-role IDs separated by ";"; amount is a decimal number (a dot, no
// thousands separator; empty is 0) in the currency the currency column names (an ISO 4217
// code); close_date is a day (2006-01-02;
// an RFC 3339 time is cut to its UTC day); stage_history lists the stage changes separated by
// ";", each an RFC 3339 time, a space and the stage name ("2024-03-01T09:00:00Z Needs
// Analysis"). The opportunity columns after modified_at are optional, so files written before
// they existed still read; role_id and parent_id refer to roles.csv, which
// holds the role hierarchy or the business units; kind is inmail, message or note. Files are
// UTF-8; a leading byte order mark is ignored. Fields are quoted as RFC 4180 says, so values may
// hold commas, quotes and line breaks.
//
// # Errors
//
// Bad input yields a [*crm.ParseError] with the file name, line and column (encoding/csv's byte
// column), wrapping one of [ErrMissingColumn], [ErrDuplicateColumn], [ErrInvalidUTF8],
// [ErrInvalidTime], [ErrInvalidBool], [ErrInvalidInt], [ErrInvalidNumber], [ErrInvalidHistory],
// [ErrEmptyID], [ErrDuplicateID] or an encoding/csv error, and matching [crm.ErrInvalid]. The stream stops at the first bad record,
// after yielding the good ones before it. Errors name columns, never values.
//
// An ID seen twice in one file (a stage name in stages.csv; an org and external key in
// activities.csv) is bad input: two records claiming one ID cannot both be synced, and keeping
// either would hide the other. The read fails at the second record with [ErrDuplicateID] in an
// error naming the file and both lines ("accounts.csv:3:1: column \"id\": duplicate ID (first
// on line 2, again on line 3)"). The check holds every ID of the file being read in memory.
//
// # Activities and crashes
//
// [Source.WriteActivities] appends complete records and syncs before it acknowledges them, so a
// file it wrote ends with a line break. If activities.csv does not, a crash cut its last record
// short; that record was never acknowledged: readers ignore it and the next write cuts it off
// before appending. A last record written by hand without a final line break is taken for such a
// torn record too.
//
// # Caveats
//
// Filters are applied while reading: the whole file is scanned. Each iterator opens its file
// afresh, so ranging twice reads the current files twice. The idempotency index of activities is
// kept in memory by the [Source], loaded from activities.csv on the first write and reloaded when
// the file was changed by someone else; writes by several processes or Sources at the same
// instant are not coordinated, so keep one writer per directory.
package csvsource
