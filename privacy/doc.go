// Package privacy is where crmlink decides what may leave a CRM record, how an
// email address travels, what errors and logs may say, how HTTP reaches a CRM,
// and what an org can learn of what is stored for it.
//
// It sits on a low floor: it imports the standard library, internal/normalize
// and the override package's types (for the audit), never the flows, the
// matcher or a CRM adapter, so that every one of them can use it.
//
// # Allowlist
//
// [Company] and [Member] are the only shapes in which a CRM record's data may
// leave the CRM side for matching: company name, industry, location and
// website; member first name, last name, company, title, email (or only its
// hash, see [HashOnly]) and location. Anything else has no field to go in.
// [FilterFields] applies the same allowlist to field maps (CSV rows, JSON
// objects), and [CompanyFields] / [MemberFields] name it.
//
// # Email
//
// [NormalizeEmail] and [HashEmail] are the one normalisation and SHA-256 of an
// address: directories hold members' emails only as this hash, and a query
// built with [HashOnly] carries only the hash, so the clear address never
// leaves the CRM side.
//
// # Redaction
//
// [Scrub] removes secrets (passwords, tokens, keys, DSN passwords, bearer
// credentials, JWTs, PEM blocks) and record values (email addresses, quoted
// strings) from a text while keeping the words that say what happened;
// [Redact] also removes secrets the caller names. [Error] wraps an error with
// its scrubbed text and keeps it reachable with errors.Is and errors.As.
// [NewHandler] wraps a [log/slog.Handler] so that every message, attribute and
// error logged through it is scrubbed, and attributes whose key names a secret
// or a record field are replaced whole.
//
// # TLS
//
// [NewClient] and [NewTransport] make the one HTTP client the CRM adapters
// use: HTTPS only, TLS 1.2 or newer, no redirect to plain HTTP; plain HTTP to a
// loopback address only when the caller opts in with [AllowLoopbackHTTP], for
// local test servers. [CheckURL] is the same check for a configured endpoint.
//
// # Audit
//
// [NewAudit] reads what a store holds for an org, IDs only, and summarises
// it: counts per object, entity kind and source, rejections, the oldest and
// newest change, and which CRM users made manual ones.
package privacy
