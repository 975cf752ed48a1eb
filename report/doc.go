// Package report computes what an admin of a CRM org looks at: the match report of a sync run
// and the ROI report of the activities crmlink wrote back.
//
// # Match report
//
// A [MatchBuilder] is fed one outcome per record as a sync run goes ([MatchBuilder.Add]) and
// yields a [Match]: per object (accounts, contacts, leads) the records read, filtered out by the
// stage rule, linked via a manual or a sync mapping, rejected, ambiguous or matching none, and a
// histogram of the best candidate's score. [Match.Compare] gives the change since an earlier run.
// A Match encodes to JSON ([encoding/json]) and to CSV ([Match.WriteCSV],
// [Match.WriteHistogramCSV]).
//
// # ROI report
//
// [ComputeROI] takes opportunities (amount, stage, dates, stage history) and the activities
// written back to matched accounts and contacts, and returns the influenced pipeline, the won
// revenue, win rates and days to close with and without such an activity, overall and per month.
// It is computed when asked; only the aggregates are returned. [ROIFromSource] feeds it from a
// CRM: a [crm.Source] that reads back written activities ([crm.ActivityReader]) and the stored
// mappings ([MappingReader], such as an [override.Store]) that say which records are linked.
//
// # Privacy
//
// A report holds counts, sums, scores and CRM record IDs: no names, emails or titles. The IDs
// kept in a [Match] are those an admin may want to review (ambiguous, none, rejected), capped per
// object by [MatchBuilder.MaxIDs].
//
// # Concurrency
//
// A [MatchBuilder] is not safe for concurrent use; a [Match] and an [ROI] are plain values that
// are safe to read from many goroutines once built.
package report
