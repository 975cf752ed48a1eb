package crm

import (
	"context"
	"iter"
	"time"
)

// WrittenActivity is an activity crmlink wrote back, as read from the CRM: the record it is
// attached to, its kind and when it occurred. Subject and body are not read.
type WrittenActivity struct {
	ID     string       // CRM ID of the activity (task, note ...)
	Kind   ActivityKind // Note for notes; InMail or Message otherwise (Message where the CRM keeps no difference)
	Record RecordRef    // the record it is attached to; Org is the Source's org where the driver knows it
	// OccurredAt is when the activity occurred as far as the CRM holds it: a Salesforce Task's
	// ActivityDate is a day; an activity that holds no date of its own reports its creation time.
	OccurredAt time.Time
}

// ActivityReader is an optional Source ability: reading back the activities crmlink wrote (those
// carrying its idempotency marker), for reports such as the ROI of written-back activities.
// WrittenActivities honours [Filter] as the other reads do: ModifiedSince against the activity's
// last modification (at or after its creation), IDs against the activity IDs. Activities written by anything else are not returned. A consumer whose Source
// lacks it has no activities to report on and says so.
type ActivityReader interface {
	WrittenActivities(ctx context.Context, f Filter) iter.Seq2[WrittenActivity, error]
}
