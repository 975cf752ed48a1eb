// Package salesforce reads a Salesforce org in bulk and writes activities back to it. Its
// [Source] implements [crm.Source], [crm.StageFilterer], [crm.Resumer] and [crm.Writer].
//
//	jc := &salesforce.JWTConfig{ClientID: consumerKey, Username: "integration@acme.example", PrivateKey: key}
//	src, err := salesforce.New(ctx, salesforce.Config{TokenSource: jc.TokenSource(ctx)})
//	for c, err := range src.Contacts(ctx, crm.Filter{}) { ... }
//
// Reads use SOQL through github.com/simpleforce/simpleforce over REST, or Bulk API 2.0 query jobs
// with [WithBulk]. Leads are read with IsConverted = false; contacts' City and Country are the
// mailing address's, accounts' the billing address's; an opportunity's ContactIDs are its
// OpportunityContactRole contacts; stages are the active OpportunityStage rows (Name is the
// ApiName stored in Opportunity.StageName); roles are UserRole rows (ParentID = ParentRoleId).
//
// For reports, an opportunity's Amount, IsWon, CreatedAt and CloseDate are Amount (null is 0),
// IsWon, CreatedDate and CloseDate; Currency is CurrencyIsoCode with [WithMultiCurrency] (the field
// exists only in orgs with multiple currencies), empty otherwise. History is built from the
// OpportunityHistory rows (an OpportunityHistories subquery over REST, one more Bulk job
// otherwise): sorted by CreatedDate, a row kept when its StageName differs from the previous
// row's, since a row is also written when only the amount, probability or close date changes.
// History is as complete as the org's OpportunityHistory (records imported with their stage
// set have no earlier rows).
//
// # Authentication
//
// Any [golang.org/x/oauth2.TokenSource] that returns a fresh token per call works. Two are
// provided for server-to-server access with a service account:
//
//   - [JWTConfig.TokenSource]: the JWT bearer flow (RS256 assertion with iss = consumer key,
//     sub = username, aud = login or test host, exp at most 3 minutes ahead), signed with the
//     standard library (crypto/rsa PKCS #1 v1.5 over SHA-256), because x/oauth2/jwt follows
//     Google's variant of the flow and x/oauth2/jws is deprecated.
//   - [ClientCredentials]: x/oauth2/clientcredentials against the org's My Domain token URL,
//     fetching a new token per call (the x/oauth2 source caches tokens forever, since Salesforce
//     sends no expires_in).
//
// The token response's instance_url says where the session is valid and is used in preference
// to [Config.InstanceURL]. The token and instance URL are handed to simpleforce with SetSidLoc.
// Salesforce tokens carry no expiry: when a call is answered 401 INVALID_SESSION_ID the Source
// fetches one new token (shared by concurrent callers) and retries the call once; a second
// refusal is a [*crm.APIError] of class [crm.ErrUnauthorized].
//
// Only HTTPS is spoken: an http:// instance or token URL is refused with [crm.ErrInsecure],
// unless [Config.AllowInsecureLoopback] is set and the host is a loopback address (tests).
//
// # Paging
//
// REST queries return up to 2,000 records per page; the Source follows nextRecordsUrl (queryMore)
// until done, decoding each page while yielding and releasing records as they go. A
// [crm.Filter] becomes SOQL: ModifiedSince is "LastModifiedDate >= <UTC second>", IDs an
// "Id IN (...)" clause in chunks of 200 (URIs stay far below Salesforce's 16 KB limit); IDs must
// look like Salesforce IDs (15 or 18 letters and digits), which also keeps them safe to inline.
//
// simpleforce takes no context.Context. The Source therefore builds a simpleforce client per call
// whose http.Client has a RoundTripper bound to that call's ctx: every request simpleforce sends
// carries the ctx, so canceling it aborts the request in flight, and the iterator checks ctx
// between records, so a stream stops mid-page. Nothing runs in the background; breaking out of a
// range loop leaves nothing open. A fresh client per call also avoids simpleforce's shared mutable
// state (makeURL and Tooling rewrite fields of the client).
//
// # Bulk
//
// With [WithBulk] (or [WithBulkThreshold], which counts the records first and switches to Bulk
// for large reads), leads, contacts, accounts and opportunities are read with Bulk API 2.0 query
// jobs written on net/http (simpleforce has no Bulk support): create the job, poll it with a
// growing interval ([WithBulkPolling]) until JobComplete, then stream the CSV results page by page
// ([WithBulkPageSize]) following Sforce-Locator until "null". CSV is parsed as it arrives. The
// SELECT list is the same as over REST, so both paths decode the same records. Bulk 2.0 has no
// parent-to-child subqueries, so opportunities' contact roles come from a first
// OpportunityContactRole job (IDs only, held in memory), then the opportunities job.
//
// Results are checked against the job, so that an import can never silently return nothing: a
// results page answered 204 No Content is an error of class [crm.ErrServer] (unless the job
// processed no record), and so is a read that ends with another number of lines than the job's
// numberRecordsProcessed. A results request answered 412 JOB_NOT_COMPLETE ([crm.ErrNotReady]) is
// retried under the backoff policy, then the job is polled again until complete (up to three
// times) and the page asked for again. A 409 (results asked for on another API version than the
// job's) is [crm.ErrConflict] and not retried.
//
// # Resuming
//
// Leads, contacts and accounts are read in Id order ("ORDER BY Id", over REST and Bulk alike),
// and [Source.AccountsAfter], [Source.ContactsAfter] and [Source.LeadsAfter] add
// "Id > '<after>'" to the same query, so that a sync stopped part-way goes on with the records it
// had not reached without reading the others again (with an ID list, the IDs up to after are
// dropped before querying). SOQL compares and orders IDs alike (by the 15-character
// case-sensitive ID: 0-9, A-Z, a-z). A deleted after record still marks the place: the records
// that follow it are read. Bulk API 2.0 accepts ORDER BY, but it turns off the automatic
// primary-key chunking of large query jobs, so a very large Bulk read takes longer in one job;
// REST reads are not affected (Salesforce indexes Id).
//
// # Errors
//
// Every failed call is a [*crm.APIError] with the operation ("query Contact", "create Task"), the
// HTTP status and Salesforce's errorCode, matched by class with errors.Is:
//
//   - REQUEST_LIMIT_EXCEEDED (403) for concurrent requests, 429: [crm.ErrRateLimited]; 502, 503,
//     504 and transport failures: [crm.ErrUnavailable]; 412 JOB_NOT_COMPLETE: [crm.ErrNotReady].
//     They are retried under the [crm.Backoff] policy ([WithBackoff]), honouring Retry-After,
//     then returned once the retries or the budget are spent.
//   - REQUEST_LIMIT_EXCEEDED whose message is "TotalRequests Limit exceeded": the org's rolling
//     24-hour API request limit, [crm.ErrQuotaExceeded], returned at once and never retried. The
//     message is the only thing that tells it from the concurrency throttle; it is read for that
//     and not kept.
//   - 409, and 412 with another code: [crm.ErrConflict].
//   - INVALID_SESSION_ID (after the one re-authentication), other 401 and 403: [crm.ErrUnauthorized].
//   - MALFORMED_QUERY, INVALID_FIELD, INVALID_TYPE and other 400s: [crm.ErrMalformedQuery].
//   - NOT_FOUND (404): [crm.ErrNotFound]; other 5xx, and Bulk results that do not match the
//     job (see # Bulk): [crm.ErrServer].
//   - A body that is not the JSON or CSV expected: [crm.ErrMalformed].
//
// A canceled context surfaces as an error matching context.Canceled (or DeadlineExceeded).
//
// # Writing
//
// [Source.WriteActivities] writes InMails and messages as completed Tasks ([WithTaskFields]) and
// notes as a ContentNote (base64 body) plus a ContentDocumentLink to the record, through sObject
// Collections (POST composite/sobjects, allOrNone=false, 200 records per request, sent through
// simpleforce's ApexREST). Per-record failures become that activity's WriteResult.Err, a
// [*crm.APIError] holding Salesforce's statusCode. An activity refused before any request (an
// empty or white-space ExternalKey, an unknown kind, a record that is not a lead, contact,
// account or opportunity, an ID that is not a Salesforce ID) gets an Err matching
// [crm.ErrInvalid] and nothing about it is sent. The call itself fails only when authentication
// fails or ctx ends while it has requests to make, the last one included: it then returns the
// results with the error, those not finished carrying it too.
//
// Idempotency: each ExternalKey is hashed (SHA-256, 24 hex digits) into a marker "crmlink:<hex>".
// By default the marker ends the Task subject or note title in brackets and existing activities
// are found with "Subject LIKE '%[crmlink:<hex>]'" before writing; activities found are reported
// with Created false and their ID. A note found this way is linked to its record if its link is
// missing (a link that failed, or a process that died between the two requests). Caveats: a
// user who edits the marker out of a subject makes the activity invisible to the check; the
// check and the write are not atomic, so two writers racing on the same key may both create it;
// and LIKE with a leading wildcard scans the org's Tasks. [WithExternalKeyField] instead stores the marker in a custom field the org defines (for
// example an External ID text field Crmlink_Key__c on Task and ContentNote), which is indexed,
// invisible to users and exact.
//
// # Privacy
//
// No record value, token or response body appears in an error or a log line. Error bodies are
// read only for their errorCode; messages (which quote field values) are dropped. simpleforce
// logs failed requests and their bodies to the global logger: the Source never lets it see one.
// Its RoundTripper runs the request itself and reads the whole answer; on any failure (a body
// cut off included) it keeps the typed error and hands simpleforce an empty 200 answer, so
// simpleforce's logging paths are never reached. Transport
// errors are reduced to their kind (their text quotes URLs, which hold SOQL). Token-endpoint
// failures keep only the OAuth error code.
//
// # Caveats
//
//   - Bulk jobs are left for Salesforce to delete (after 7 days); an abandoned stream does not
//     abort its job.
//   - A query locator goes stale after about 15 minutes without reads (INVALID_QUERY_LOCATOR,
//     reported as [crm.ErrMalformedQuery]): consume streams promptly.
//   - User.IsActive is false when the IsActive field is missing or null: an inactive user sees
//     nothing (the safe reading, the same as the Dynamics adapter's for isdisabled).
//   - The stage filter runs three small queries (stages, accounts, contact roles) and holds only
//     IDs. Opportunities whose account is missing are not counted, unlike an in-memory filter over
//     dangling references.
//   - oauth2.TokenSource takes no ctx. The sources from [JWTConfig.TokenSource] and
//     [ClientCredentials] also honour the ctx of the call that needs a token (as well as their
//     own); any other TokenSource is bounded only by its own ctx and HTTP client timeout.
//
// A Source is safe for concurrent use by multiple goroutines.
package salesforce
