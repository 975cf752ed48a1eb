// Package dynamics reads a Microsoft Dynamics 365 (Dataverse) org through the Dataverse Web API
// v9.2 and writes activities back to it. [*Source] implements [crm.Source],
// [crm.StageFilterer], [crm.Resumer] and [crm.Writer] on net/http and encoding/json, with no vendor SDK.
//
//	src, err := dynamics.New(ctx, dynamics.Config{
//		OrgURL: "https://contoso.crm.dynamics.com",
//		Credentials: &clientcredentials.Config{
//			ClientID:     clientID,
//			ClientSecret: secret,
//			TokenURL:     "https://login.microsoftonline.com/" + tenant + "/oauth2/v2.0/token",
//		},
//	})
//	for c, err := range src.Contacts(ctx, crm.Filter{ModifiedSince: lastSync}) { ... }
//
// # Authentication
//
// The Source authenticates as a Dataverse application user with the OAuth2 client-credentials
// grant of Microsoft Entra ID ([Config.Credentials], golang.org/x/oauth2/clientcredentials; the
// scope defaults to "<OrgURL>/.default"), or with any [oauth2.TokenSource]
// ([Config.TokenSource]) for certificates or managed identities. [New] fetches a first token
// so that wrong credentials fail early. The token is cached until it expires; a 401 answer
// makes the Source fetch a new token once and repeat the call, and a second 401 is
// [crm.ErrUnauthorized]. What the application user may read is decided by its security role.
//
// Only https:// URLs are used, for the org and the token endpoint; http:// is refused with
// [crm.ErrInsecure] unless [Config.AllowInsecureLoopback] is set and the host is a loopback
// address (local test servers). The token is never sent to a host other than the org's: an
// @odata.nextLink pointing elsewhere is an error.
//
// # Paging
//
// Every read sends $select with the columns crmlink needs, $filter when the [crm.Filter] asks
// for records modified since a time ("modifiedon ge ...", at second precision) or for IDs
// ("(contactid eq ... or ...)", 50 IDs per query), and
// Prefer: odata.maxpagesize=[Config.PageSize],odata.include-annotations="*". It follows
// @odata.nextLink unchanged until a page has none. Each page is decoded as a stream into a
// reused slice, its response body closed, and then its records are yielded; the context is
// checked for every record yielded and every 64 decoded, so cancelling stops a stream promptly,
// mid-page, and leaves no goroutine or connection behind. Iterators may be ranged over again:
// each range runs a fresh query.
//
// How Dataverse columns become [crm] records:
//
//   - Account.Industry is the formatted value (label) of the industrycode choice, never its
//     org-specific integer.
//   - Contact.AccountID is parentcustomerid when it points to an account.
//   - Opportunity.AccountID is parentaccountid, or customerid when that is an account and
//     parentaccountid is empty. ContactIDs (sorted) are parentcontactid, customerid when it
//     is a contact, and the contacts connected to the opportunity through connections
//     (record1 an opportunity, record2 a contact: the opportunity's stakeholders).
//     IsClosed is statecode != 0 (Won or Lost).
//   - Opportunity.Stage is the formatted value of salesstage for an open opportunity (or its
//     stepname with [WithPipelinePhases]) and of statuscode (the status reason, e.g. Won,
//     Canceled, Out-Sold) for a closed one.
//   - For reports: Opportunity.Amount is actualvalue for a won opportunity (estimatedvalue when
//     that is null) and estimatedvalue otherwise; Currency is the isocurrencycode of the
//     transactioncurrencyid lookup ($expand); IsWon is statecode 1 (Won); CreatedAt is
//     createdon; CloseDate is actualclosedate for a closed opportunity (estimatedclosedate when
//     that is null) and estimatedclosedate for an open one. A date column returned with a time
//     (user-local behaviour) is taken as its UTC day.
//   - Opportunity.History holds only the closing: a closed opportunity entered its closed stage
//     on its close date. Dataverse keeps no stage history in the row; the earlier changes live
//     in the audit log (when auditing is on) or the business process flow's tables, neither of
//     which is read. A report that needs the moment an open opportunity moved past a stage
//     cannot have it from this driver.
//   - Stages are read from metadata: the options of the salesstage choice, in their metadata
//     order (open stages; or the phases given to [WithPipelinePhases]), then the statuscode
//     options whose state is Won, then those whose state is Lost (closed stages; IsWon for
//     Won). SortOrder is the 1-based position in that list.
//   - Users are systemusers (IsActive = !isdisabled, Email = internalemailaddress,
//     BusinessUnitID = businessunitid); a missing or null isdisabled reads as disabled, so the
//     user is inactive and sees nothing (the safe reading, the same as the Salesforce adapter's
//     for a missing IsActive). Roles are the business units, ParentID the parent business unit,
//     so that [crm.NewVisibility] can walk the business-unit tree.
//   - Teams ([Source.Teams], [crm.TeamLister]) are the teams that can own records (teamtype 0
//     Owner, 2 and 3 Microsoft Entra group teams; access teams own nothing and are left out),
//     with their business unit and their members from teammembership. A record owned by a team
//     reports the team's ID as OwnerID; pass the teams to [crm.NewVisibility] so that the
//     team's members, and users whose business unit is the team's or above it, see it.
//
// [Source.TiedToOpenOpportunities] pushes the stage filter down to Dataverse with lambda
// operators: accounts with opportunity_parent_account/any(...) or
// opportunity_customer_accounts/any(...), contacts with opportunity_parent_contact/any(...) or
// opportunity_customer_contacts/any(...), plus the stakeholder connections, each condition
// being "statecode eq 0 and (salesstage eq v1 or ...)" over the option values of the stages at
// or past the chosen one. It returns the same sets as [crm.FilterByStage].
//
// # Resuming
//
// Leads, contacts and accounts are read in primary-key order ($orderby=leadid, contactid,
// accountid), and [Source.AccountsAfter], [Source.ContactsAfter] and [Source.LeadsAfter] add
// "<key> gt <after>" to the same $filter, so that a sync stopped part-way reads only the records
// it had not reached. Dataverse keeps keys as SQL Server uniqueidentifier values, whose order is
// not the order of their text (the last group of the GUID weighs most); $orderby and gt both use
// it, so they agree, and the Source sorts an ID list in that order too before cutting it into
// queries (the IDs up to after are dropped first). A deleted after record still marks the place.
// Should an org refuse gt on a key (400), the read falls back to reading from the start in the
// same order and skipping the records up to after.
//
// # Writing activities
//
// [Source.WriteActivities] writes InMails and messages as task records (regarding the record
// through regardingobjectid_<table>_task@odata.bind, then marked completed) and notes as
// annotation records (objectid_<table>@odata.bind), for contacts, leads, accounts and
// opportunities; Author, when set, becomes the owner (ownerid@odata.bind). Writes are
// idempotent by ExternalKey without any customisation of the org: the key's [Marker] is stored
// in the task's category column or on the last line of the note's text, and existing
// activities are looked up by it (25 markers per query) before anything is created. The
// ExternalKey is required: an activity without one is refused, alone, with [crm.ErrInvalid].
//
// # Options
//
// [WithLogger] logs retries and token refreshes (redacted), [WithBackoff] sets the retry
// policy for throttling, and [WithPipelinePhases] reads stages from stepname. Without options
// the Source logs nothing, retries 4 times within 2 minutes, and reads stages from salesstage.
//
// # Errors
//
// Every failure is a [*crm.APIError] with the operation ("query contacts", "create task"), the
// HTTP status and the Dataverse error code (e.g. 0x80072322), classed for [errors.Is]:
// 401 and 403 [crm.ErrUnauthorized], 404 [crm.ErrNotFound], 409 and 412 (ConcurrencyVersionMismatch)
// [crm.ErrConflict], other 4xx [crm.ErrMalformedQuery], 429 [crm.ErrRateLimited], 502/503/504 and
// transport failures [crm.ErrUnavailable], other 5xx [crm.ErrServer], an unreadable body
// [crm.ErrMalformed] (the table in the crm package documentation, # Errors). Throttled (429) and unavailable calls
// are retried under a [crm.Backoff] ([WithBackoff]) honouring Retry-After; when the retries or
// the budget are spent the error keeps the server's RetryAfter ([crm.RetryAfter]). A cancelled
// context surfaces as an error matching [context.Canceled] or [context.DeadlineExceeded].
//
// # Privacy
//
// Error texts and log lines ([WithLogger]) carry operations, HTTP statuses, Dataverse error
// codes, byte offsets and counts only: never a record value, a URL with filter values, a
// token, a client secret or a response body. Dataverse error messages are not kept (they can
// quote record values), vendor codes that do not look like codes are dropped, OAuth error
// bodies are reduced to their error code, and an idempotency key is sent only as its hash.
//
// # Caveats
//
//   - Leads, contacts and accounts are read in every state (statecode is not part of the crm
//     records); filter downstream if inactive rows must be skipped.
//   - Owners that are teams are reported as OwnerID like users; visibility needs the teams
//     from [Source.Teams] (held in memory, IDs only). Records shared with a team (rather than
//     owned by it) and access teams are not modelled.
//   - Orgs that drive their pipeline with a business process flow are supported through
//     stepname ([WithPipelinePhases]); the flow's own table (opportunitysalesprocesses,
//     active stage) is not read. Security roles are not read, only business units.
//   - Reading opportunities also reads their stakeholder connections first (all of them, or
//     those of Filter.IDs), whatever Filter.ModifiedSince says.
//   - The connections filter through record1id_opportunity and the combination of lambda
//     operators with or are taken from Dataverse's documented OData support but were tested
//     only against the local fake server.
//   - Two concurrent WriteActivities calls with the same ExternalKey may both create. A task
//     created whose completion failed is reported with its ID and the error; it stays open.
//   - $batch is not used: each activity costs a POST (and a PATCH for tasks) after the lookups.
//
// # Concurrency
//
// A Source is safe for concurrent use by multiple goroutines; each iterator belongs to the
// goroutine that ranges over it.
package dynamics
