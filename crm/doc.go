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
// of one org from its users, its role hierarchy (Salesforce) or business units (Dynamics), and its
// org-wide defaults ([OrgDefaults]: [Private] unless set); [Visibility.CanSee] answers for one
// record owner and [FilterVisible] filters a stream. Inactive or unknown users see nothing. Record
// sharing, teams and manager hierarchies are not modelled: what cannot be proven visible is
// hidden. [MapSeats] maps CRM users to seat holders by email.
//
// # Errors
//
// Failures are classified by a few sentinels matched with errors.Is: [ErrUnauthorized],
// [ErrRateLimited], [ErrUnavailable], [ErrNotFound], [ErrMalformedQuery], [ErrServer],
// [ErrInsecure], [ErrMalformed], [ErrUnknownStage] and [ErrInvalid]. Typed errors carry the
// "where": [*APIError] (operation, HTTP status, vendor code, Retry-After), [*ParseError] (file,
// line, column) and [*StageError]. Drivers retry throttling and unavailability with a [Backoff]
// policy within a budget and surface [ErrRateLimited] only when it is spent; [RetryAfter] tells
// whether an error is worth retrying, like pgx's SafeToRetry.
//
// # Privacy
//
// Errors name operations, IDs, files, lines, columns, HTTP statuses and vendor codes, never a
// field value (names, emails, titles ...), a token or a secret, so they are safe to log. Nothing
// in this package logs.
//
// # Concurrency
//
// Sources and Writers are safe for concurrent use; an iterator belongs to the goroutine that
// ranges over it. [Visibility] is immutable and safe for concurrent use. A [Backoff] is a value
// safe to share; its [Retrier] is per call.
package crm
