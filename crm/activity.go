package crm

import (
	"context"
	"time"
)

// ActivityKind is the kind of activity written back to the CRM.
type ActivityKind string

// The activity kinds.
const (
	InMail  ActivityKind = "inmail"
	Message ActivityKind = "message"
	Note    ActivityKind = "note"
)

// Activity is one InMail, message or note to write back to a CRM record.
type Activity struct {
	Kind        ActivityKind
	Record      RecordRef // the record the activity is attached to
	Subject     string
	Body        string
	OccurredAt  time.Time
	Author      string // CRM user ID
	ExternalKey string // idempotency key: an activity with the same key is written once
}

// WriteResult is the outcome of writing one activity.
type WriteResult struct {
	ExternalKey string
	ID          string // CRM ID of the created (or already existing) activity
	Created     bool   // false when it already existed
	Err         error  // the failure of this one activity, nil on success
}

// Writer writes activities back to the CRM, in batches, reporting a result per activity.
// WriteActivities returns one result per activity, in input order; its error is reserved for
// failures of the whole batch (canceled context, authentication). Safe for concurrent use.
type Writer interface {
	WriteActivities(ctx context.Context, acts []Activity) ([]WriteResult, error)
}
