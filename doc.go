// Package crmlink links CRM records — Salesforce and Microsoft Dynamics 365 leads, contacts,
// accounts and opportunities — to the member and company profiles of a professional network,
// the way Sales Navigator's CRM integration does.
//
// A CRM record is matched from a few parameters only: for a company, its name, industry,
// location and website; for a member, first and last name, company, title, email and location.
// The effective match of a record is resolved in a fixed order: a manual override a user made
// (corrected a match or picked one from the candidate list), then a CRM-sync mapping, and only
// when neither exists a fuzzy match ranked by the engine. Only the mapping of CRM record ID to
// entity ID is ever stored.
//
// # Packages
//
// The SDK is built in floors; lower floors never import higher ones.
//
//   - [github.com/crmlink/crmlink/matcher]: the Engine that scores, ranks, explains and decides
//     (match / ambiguous / none), the query and entity types and the Directory interface that
//     finds candidates. [github.com/crmlink/crmlink/matcher/memdir] is the embedded in-memory
//     Directory, [github.com/crmlink/crmlink/matcher/dirtest] the suite every Directory passes.
//   - [github.com/crmlink/crmlink/override]: the portable Store of manual and CRM-sync
//     mappings and rejections over a thin Driver interface, with an in-memory driver and a
//     Registry that opens a store by URL through the drivers a program registers;
//     [github.com/crmlink/crmlink/override/boltstore] (one embedded file) and
//     [github.com/crmlink/crmlink/override/pgstore] (PostgreSQL, shared by replicas) are the
//     durable drivers and [github.com/crmlink/crmlink/override/storetest] holds the driver
//     suite they pass.
//   - [github.com/crmlink/crmlink/crm]: CRM record types, the streaming Source and the
//     activity Writer, the opportunity-stage filter and CRM visibility;
//     [github.com/crmlink/crmlink/crm/salesforce], [github.com/crmlink/crmlink/crm/dynamics] and
//     [github.com/crmlink/crmlink/crm/csvsource] implement them and
//     [github.com/crmlink/crmlink/crm/sourcetest] is their conformance suite.
//
// The programs under examples/ compose the parts: examples/quickstart matches a few CRM-like
// records against an embedded sample directory; examples/match is a batch command-line matcher
// over CSV files whose output format other programs rely on; examples/sync runs a [Syncer]
// over a CRM export in CSV files.
//
// # Resolving a record
//
// A [Resolver] composes an [*override.Store] and a [matcher.Engine] into the real-time flow of
// one record: [Resolver.ResolveCompany] (accounts, opportunities) and
// [Resolver.ResolveMember] (leads, contacts) return the record's manual mapping if a user made
// one, else its CRM-sync mapping if sync is enabled for the org ([WithSyncEnabled]), else the
// engine's ranking with the entities users rejected for that record removed; the
// [Resolution] says which step answered (Via). [Resolver.Correct] stores a user's choice as a
// manual mapping; [Resolver.Reject] records "not this one", deletes a mapping that pointed at
// it and keeps the entity out of every later proposal and sync. Pairing an object with the
// wrong kind of entity (an account with a member) is a [*KindError].
//
// # Who sees what
//
// Every method of the Resolver takes the viewing CRM user, a [Viewer] of one org, and checks
// before it reads the store that the viewer belongs to the record's org, that the org is enabled
// ([override.Store.Disable]; else an error matching [override.ErrOrgDisabled]) and that the
// viewer may see the record in the CRM ([Access], filled by a Syncer made [WithAccess] and
// given to the Resolver [WithVisibility]; else an [*AccessError] matching [ErrNoAccess], the
// same whether or not a mapping exists). [WriteBack] applies the same checks to activities
// written back to the CRM. [PurgeOrg] removes everything of an org.
//
// # Syncing an org
//
// A [Syncer] is the bulk flow of one org: [Syncer.Run] streams the accounts, contacts and
// leads of a [crm.Source] (optionally only those tied to open opportunities at or past a stage,
// [WithStage], or modified since the last run, [WithModifiedSince]), minimises each record to
// the engine's query (a contact's company comes from its account, the location from city and
// country), matches them in batches ([WithBatchSize]) and stores a sync mapping for every
// record decided a match, except where a manual mapping exists (it stays authoritative) or the
// entity was rejected for the record. [SyncStats] counts what happened, per object. Record
// data lives in memory for one batch only and never reaches a log ([WithLogger]) or an error,
// so a run's memory does not grow with the org. [WithCheckpoints] keeps where a run stands in
// the store (IDs and times only), so that a run killed part-way resumes after its last written
// batch; [WithIncremental] then reads only the records modified since the last complete run.
//
// # Concurrency
//
// Resolver and Syncer are safe for concurrent use by multiple goroutines.
//
// # Privacy
//
// crmlink stores identifiers and times only. Only the allowlisted parameters of a record leave
// it for matching ([CompanyQuery], [MemberQuery], package privacy). Members' email addresses are
// held as SHA-256 hashes of the normalised address. No record value, token or secret is written
// to a log or placed in an error string.
package crmlink
