package crm

import (
	"context"
	"iter"
)

// Resumer is an optional [Source] ability: reads of accounts, contacts and leads that can start
// after a given record, for a sync that stopped part-way and goes on where it stopped.
//
// A Resumer reads each object in one order that is the same from one read to the next while the
// records do not change (its plain reads use the same order), and a read with after yields the
// records that follow the record whose ID is after, in that order, filtered by f. When no record
// read with f has that ID (it was deleted, or the data were reordered), the read yields every
// record, as with after empty: the caller redoes the object instead of missing records; a source
// read in record-ID order may instead yield the records whose ID sorts after it, which are the
// ones a read stopped there had not reached. An empty after reads from the start.
//
// Consumers without it redo an interrupted object from its start. The CSV source has it (file
// order); the Salesforce and Dynamics drivers order by record ID and read with "Id > after".
type Resumer interface {
	AccountsAfter(ctx context.Context, f Filter, after string) iter.Seq2[Account, error]
	ContactsAfter(ctx context.Context, f Filter, after string) iter.Seq2[Contact, error]
	LeadsAfter(ctx context.Context, f Filter, after string) iter.Seq2[Lead, error]
}

// ResumeAfter implements a [Resumer] read over a source whose read order is stable: it runs read
// and skips the records up to and including the first whose ID (by id) is after, yielding the
// rest. When read ends without that ID, it runs read again and yields everything. An empty after
// yields read as it is. Records skipped are parsed but not yielded: the saving is in what the
// caller does with them.
func ResumeAfter[T any](read func() iter.Seq2[T, error], id func(T) string, after string) iter.Seq2[T, error] {
	return ResumeAfterFunc(read, id, after, nil)
}

// ResumeAfterFunc is [ResumeAfter] calling skipped, when not nil, with each record it skips, for
// a caller that needs something of every record (an owner for a visibility index) but processes
// only those after the record.
func ResumeAfterFunc[T any](read func() iter.Seq2[T, error], id func(T) string, after string, skipped func(T)) iter.Seq2[T, error] {
	if after == "" {
		return read()
	}
	return func(yield func(T, error) bool) {
		found := false
		for r, err := range read() {
			if err != nil {
				yield(r, err)
				return
			}
			if found {
				if !yield(r, nil) {
					return
				}
				continue
			}
			if skipped != nil {
				skipped(r)
			}
			found = id(r) == after
		}
		if found {
			return
		}
		for r, err := range read() {
			if !yield(r, err) || err != nil {
				return
			}
		}
	}
}
