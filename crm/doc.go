// Package crm reads a customer's CRM in bulk and writes activities back to it.
//
// It holds the record types crmlink needs (Lead, Contact, Account, Opportunity,
// OpportunityStage, User, Role), the [Source] and [Writer] interfaces the CRM drivers implement,
// and the logic that is the same for every CRM: the opportunity-stage filter, record visibility,
// the mapping of CRM users to seat holders and the retry policy of the drivers.
//
// # Sources
//
// A [Source] streams the records of one org as iter.Seq2 values. Each call runs a fresh query;
// range over it and handle the error inside the loop:
//
//	for c, err := range src.Contacts(ctx, crm.Filter{ModifiedSince: lastSync}) {
//		if err != nil {
//			return fmt.Errorf("sync %s: %w", org, err)
//		}
//		// use c
//	}
//
// Breaking out of the loop is always safe, and canceling ctx ends the stream with an error
// matching context.Canceled. [Filter.ModifiedSince] gives incremental sync (inclusive, at second
// precision); [Filter.IDs] reads chosen records. [Collect] drains a stream for tests and small
// programs. The drivers are crm/salesforce, crm/dynamics and crm/csvsource; crm/sourcetest is the
// conformance suite they all pass. A [Writer] writes InMails, messages and notes back as
// [Activity] values, idempotently by [Activity.ExternalKey], with a [WriteResult] per activity.
//
// # Stage filter
//
// crmlink imports only the accounts and contacts related to open opportunities whose stage is at
// or past a chosen one. [TiedToStage] computes that set over slices: stages are ranked by
// SortOrder (equal ranks are equally far); an opportunity counts when it is open (IsClosed false,
// whatever its stage's flag) and its stage ranks at or past the chosen one; its account
// (AccountID) and its contact roles (ContactIDs) are then tied to it. Contacts of the account
// that play no role on the opportunity are not included. [FilterByStage] reads a Source and
// computes the same in memory; a driver that can ask the CRM (SOQL semi-joins, OData any())
// implements [StageFilterer], and [TiedToOpenOpportunities] prefers it. Every path returns the
// same sorted IDs for the same data, and an unknown stage is a [*StageError].
//
// # Visibility
//
// Nobody sees through crmlink what they could not see in the CRM. [NewVisibility] builds the rules
// of one org from its users, its role hierarchy (Salesforce) or business units (Dynamics), its
// org-wide defaults ([OrgDefaults]: [Private] unless set) and, where records can be owned by teams
// (Dataverse), its [Team] values from a [TeamLister]; [Visibility.CanSee] answers for one record
// owner and [FilterVisible] filters a stream. A team-owned record is visible to the team's members
// and, through the business-unit tree, to users whose unit is the team's or above it. Inactive or
// unknown users see nothing; every driver reads a missing or null active flag as inactive. Record
// sharing and manager hierarchies are not modelled: what cannot be proven visible is hidden.
// [MapSeats] maps CRM users to seat holders by email.
//
// # Errors
//
// Failures are classified by a few sentinels matched with errors.Is. Typed errors carry the
// "where": [*APIError] (operation, HTTP status, vendor code, Retry-After), [*ParseError] (file,
// line, column) and [*StageError]. The drivers map their CRM's answers to the classes as follows;
// a vendor code listed here decides over the status, and the drivers share one mapping of the
// statuses (crm/internal/httpx).
//
//	class               HTTP status                  vendor codes, answers                                retried
//	ErrRateLimited      429                          Salesforce REQUEST_LIMIT_EXCEEDED (concurrent         yes
//	                                                 requests), TXN_SECURITY_METERING_ERROR; Dataverse
//	                                                 0x80072322, 0x80072321, 0x80072326 (on 429)
//	ErrUnavailable      502, 503, 504                SERVER_UNAVAILABLE, UNABLE_TO_LOCK_ROW; transport     yes
//	                                                 errors (reads only; a write may have happened)
//	ErrNotReady         (412)                        Salesforce JOB_NOT_COMPLETE (Bulk results before      yes
//	                                                 the job completed; the adapter polls the job again)
//	ErrQuotaExceeded    (403)                        Salesforce REQUEST_LIMIT_EXCEEDED whose message is    no
//	                                                 "TotalRequests Limit exceeded" (the rolling
//	                                                 24-hour limit)
//	ErrUnauthorized     401, 403                     INVALID_SESSION_ID, INVALID_AUTH_HEADER,              no (a 401 or
//	                                                 invalid_grant, invalid_client, API_DISABLED_FOR_ORG;  INVALID_SESSION_ID
//	                                                 Dataverse PrivilegeDenied and other 403 codes         refreshes the token
//	                                                                                                       once)
//	ErrConflict         409, 412                     Bulk results on another API version (409);            no
//	                                                 Dataverse ConcurrencyVersionMismatch (412)
//	ErrNotFound         404                          NOT_FOUND, ENTITY_IS_DELETED                          no
//	ErrMalformedQuery   400, other 4xx               MALFORMED_QUERY, INVALID_FIELD, INVALID_TYPE,         no
//	                                                 INVALID_QUERY_LOCATOR, MALFORMED_ID, ...
//	ErrServer           500, 501, other 5xx          a Bulk results page answered 204 No Content, or       no
//	                                                 results short of the job's numberRecordsProcessed
//	ErrMalformed        1xx, 3xx                     an answer that cannot be decoded                      no
//	ErrInsecure         -                            an http:// endpoint that is not an allowed loopback   no
//	ErrInvalid          -                            bad input: configuration, IDs, CSV files              no
//
// The retry policy, [Backoff], retries the classes that [RetryAfter] calls retryable
// ([ErrRateLimited], [ErrUnavailable], [ErrNotReady]) within its retries and time budget,
// honouring the server's Retry-After, and then returns the last [*APIError] unchanged; the other
// classes are returned at once. [ErrQuotaExceeded] is deliberately not retryable: the daily limit
// is a rolling 24-hour window that no retry within minutes can pass, so a sync stops with that
// error instead of hammering the org. [RetryAfter] tells a caller whether an error is worth trying
// again later, like pgx's SafeToRetry; context errors never are.
//
// # Privacy
//
// Errors name operations, IDs, files, lines, columns, HTTP statuses and vendor codes, never a
// field value (names, emails, titles ...), a token or a secret, so they are safe to log. Nothing
// in this package logs.
//
// # Writing a driver
//
// A driver for another CRM is a package of its own (crm/<name>) that imports crm, never another
// driver. Its constructor takes the org's endpoint and credentials and returns a concrete type
// implementing [Source] (and [Writer] if it can write back), pinned with
//
//	var _ crm.Source = (*Source)(nil)
//
// Read with the CRM's bulk or paged API inside each iterator: run a fresh query per call, decode
// one page at a time, release it before yielding, honour ctx between pages and while decoding,
// and on failure yield one zero value with the error and stop; a consumer's break must leave
// nothing open. Apply [Filter] on the server where the API can (ModifiedSince inclusive, at second
// precision; IDs in chunks that keep URLs short) and use [Filter.Keep] where it must filter in
// memory, so that every driver returns the same records. Return errors as [*APIError] with one of
// the classes above, never with a record value, a token or a response body in the text; retry
// through a [Backoff] the caller can configure. Endpoints must be HTTPS (http only for loopback
// test servers, when explicitly allowed). Extra abilities are the optional interfaces:
// [StageFilterer] when the CRM can compute the stage filter itself, [TeamLister] when records can
// be owned by teams, [Resumer] when reads can go on after a record in a stable order (an
// interrupted sync then resumes mid-object).
//
// Then pass crm/sourcetest. In an external test package, give the suite a sourcetest.Harness
// whose Source method serves the given sourcetest.Dataset from a local httptest TLS server
// replaying the CRM's documented shapes (7 records per page, so that every stream spans pages),
// and call sourcetest.Run from a TestConformance; implement sourcetest.FailureHarness so that a
// mid-stream failure is checked too, sourcetest.BusinessUnitHarness if the CRM places users in
// business units rather than roles, and call sourcetest.RunWriter with a
// sourcetest.WriterHarness for a [Writer]. The suite checks records field by field, filters,
// the stage filter, visibility, break, cancellation, concurrent reads (run it with -race) and
// write-back idempotency; where drivers legitimately differ the harness says so, never a fork of
// the suite. Behaviours of the CRM beyond the suite (throttling, token expiry, error bodies) get
// tests of their own against the same fake.
//
// # Concurrency
//
// Sources and Writers are safe for concurrent use; an iterator belongs to the goroutine that
// ranges over it. [Visibility] is immutable and safe for concurrent use. A [Backoff] is a value
// safe to share; its [Retrier] is per call.
package crm
