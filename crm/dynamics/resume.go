package dynamics

import (
	"context"
	"encoding/hex"
	"errors"
	"iter"
	"slices"
	"strings"

	"github.com/crmlink/crmlink/crm"
)

var _ crm.Resumer = (*Source)(nil)

// AccountsAfter implements [crm.Resumer]: the accounts [Source.Accounts] reads (in accountid
// order) that follow the account after, read with "accountid gt <after>" added to the same
// $filter, so that the accounts before it are not read again. Dataverse orders and compares a
// primary key alike (SQL Server's uniqueidentifier order, which is not the order of the GUIDs'
// text), so an after whose record was deleted since still marks the place. An after that is not
// an ID matches no record: every account is read. When Dataverse refuses the comparison (400),
// the read falls back to reading every account in the same order and skipping those up to
// after ([crm.ResumeAfter]).
func (s *Source) AccountsAfter(ctx context.Context, f crm.Filter, after string) iter.Seq2[crm.Account, error] {
	return s.accounts(ctx, f, after)
}

// ContactsAfter implements [crm.Resumer] for contacts; see [Source.AccountsAfter].
func (s *Source) ContactsAfter(ctx context.Context, f crm.Filter, after string) iter.Seq2[crm.Contact, error] {
	return s.contacts(ctx, f, after)
}

// LeadsAfter implements [crm.Resumer] for leads; see [Source.AccountsAfter].
func (s *Source) LeadsAfter(ctx context.Context, f crm.Filter, after string) iter.Seq2[crm.Lead, error] {
	return s.leads(ctx, f, after)
}

// readKeyed reads set in the order of its primary key ($orderby=key), one query per chunk of
// f.IDs (taken in that order too), and with after, only the rows whose key follows it. id returns
// a record's key.
func readKeyed[R, T any](s *Source, ctx context.Context, op, set, sel, key string, f crm.Filter, after string,
	conv func(*R) T, id func(T) string) iter.Seq2[T, error] {
	if !validID(after) {
		after = ""
	}
	read := func(after string) iter.Seq2[T, error] {
		return func(yield func(T, error) bool) {
			var zero T
			extra, rf := "", f // rf: this range's filter (f is shared by every range)
			if after != "" {
				extra = key + " gt " + after
				if len(f.IDs) > 0 {
					afterKey := guidSortKey(after)
					rf.IDs = slices.DeleteFunc(slices.Clone(f.IDs), func(id string) bool { return validID(id) && guidSortKey(id) <= afterKey })
					if len(rf.IDs) == 0 {
						return // every ID asked for is up to after; an empty list would read them all
					}
				}
			}
			filters, err := filterClauses(op, key, extra, rf)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, filter := range filters {
				for t, err := range query(s, ctx, op, s.collectionURL(set, sel, filter)+"&$orderby="+key, conv) {
					if !yield(t, err) || err != nil {
						return
					}
				}
			}
		}
	}
	if after == "" {
		return read("")
	}
	return func(yield func(T, error) bool) {
		started, refused := false, false
		for t, err := range read(after) {
			if err != nil && !started && errors.Is(err, crm.ErrMalformedQuery) && ctx.Err() == nil {
				s.opts.logger.WarnContext(ctx, "dynamics: primary key comparison refused; skipping to the record instead", "op", op)
				refused = true
				break
			}
			started = true
			if !yield(t, err) || err != nil {
				return
			}
		}
		if !refused {
			return
		}
		for t, err := range crm.ResumeAfter(func() iter.Seq2[T, error] { return read("") }, id, after) {
			if !yield(t, err) || err != nil {
				return
			}
		}
	}
}

// guidOrder lists the bytes of a GUID, as written (hex pairs left to right), from the most
// significant to the least in SQL Server's uniqueidentifier order: the last group first, then the
// fourth, then the first three groups with the bytes of each taken from its right end (they are
// stored little-endian).
var guidOrder = [16]int{10, 11, 12, 13, 14, 15, 8, 9, 7, 6, 5, 4, 3, 2, 1, 0}

// parseGUID reads "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (any case) into its 16 bytes as written.
func parseGUID(s string) ([16]byte, bool) {
	var b [16]byte
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return b, false
	}
	h := s[0:8] + s[9:13] + s[14:18] + s[19:23] + s[24:36]
	if _, err := hex.Decode(b[:], []byte(h)); err != nil {
		return b, false
	}
	return b, true
}

// compareGUIDs orders primary keys as Dataverse's $orderby and gt do: GUIDs in SQL Server's
// uniqueidentifier order; anything else (no Dataverse key) after them, by case-insensitive text.
func compareGUIDs(a, b string) int {
	return strings.Compare(guidSortKey(a), guidSortKey(b))
}

// guidSortKey returns a string whose byte order is [compareGUIDs]'s order of s: a GUID's bytes
// from the most significant to the least after a 0 byte, other text lowercased after a 1 byte.
func guidSortKey(s string) string {
	g, ok := parseGUID(s)
	if !ok {
		return "\x01" + strings.ToLower(s)
	}
	var k [17]byte
	for j, i := range guidOrder {
		k[j+1] = g[i]
	}
	return string(k[:])
}

// sortGUIDs sorts ids in [compareGUIDs] order, computing each one's key once.
func sortGUIDs(ids []string) {
	type keyed struct{ key, id string }
	ks := make([]keyed, len(ids))
	for i, id := range ids {
		ks[i] = keyed{guidSortKey(id), id}
	}
	slices.SortFunc(ks, func(a, b keyed) int { return strings.Compare(a.key, b.key) })
	for i := range ks {
		ids[i] = ks[i].id
	}
}
