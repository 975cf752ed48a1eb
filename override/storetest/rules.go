package storetest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/override"
)

// testWrite checks Store.Write: puts, deletes and unrejections of one batch land together,
// the later write of a key wins, and an invalid write anywhere in the batch writes nothing.
func testWrite(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := t.Context()
	org := newOrg("")
	r := rec(org, override.Account, "a1")
	old := mapping(r, override.Company, "c-old", override.Sync)
	rej := rejection(r, override.Company, "c-bad")
	mustPut(t, s, old, rej)

	var b override.Batch
	manual := mapping(r, override.Company, "c-new", override.Manual)
	b.Put(manual)
	b.Delete(r, override.Sync)
	b.Unreject(r, rej.Entity)
	// The same key twice: the later wins, whether put or delete.
	other := rec(org, override.Account, "a2")
	b.Put(mapping(other, override.Company, "first", override.Sync))
	b.Delete(other, override.Sync)
	third := rec(org, override.Account, "a3")
	b.Delete(third, override.Sync)
	last := mapping(third, override.Company, "last", override.Sync)
	b.Put(last)
	assert.Equal(t, 7, b.Len())
	require.NoError(t, s.Write(ctx, &b))
	assert.Equal(t, sorted([]override.Mapping{manual, last}), collect(t, s, org), "after Write")

	// An invalid write anywhere: nothing of the batch is written.
	b.Reset()
	assert.Zero(t, b.Len(), "Len after Reset")
	b.Delete(r, override.Manual)
	b.Put(mapping(rec(org, override.Lead, ""), override.Member, "m", override.Sync))
	err := s.Write(ctx, &b)
	require.ErrorIs(t, err, override.ErrInvalid)
	var ve *override.ValidationError
	if assert.ErrorAs(t, err, &ve) {
		assert.Equal(t, "[1].Record.ID", ve.Field)
	}
	b.Reset()
	b.Put(manual)
	b.Unreject(r, override.EntityRef{Kind: "school", ID: "x"})
	err = s.Write(ctx, &b)
	require.ErrorIs(t, err, override.ErrInvalid)
	if assert.ErrorAs(t, err, &ve) {
		assert.Equal(t, "[1].Entity.Kind", ve.Field)
	}
	assert.Equal(t, sorted([]override.Mapping{manual, last}), collect(t, s, org), "after refused Writes")
	require.NoError(t, s.Write(ctx, &override.Batch{}), "an empty Write")
}

// testLookup checks Lookup, Load and the rules of Record: Resolve skips rejected entities and
// what accept refuses, manual beats sync.
func testLookup(t *testing.T, h Harness) {
	s := open(t, h)
	ctx := t.Context()
	org := newOrg("")
	r := rec(org, override.Contact, "c1")
	manual := mapping(r, override.Member, "m-manual", override.Manual)
	syncM := mapping(r, override.Member, "m-sync", override.Sync)
	rej := rejection(r, override.Member, "m-manual")
	mustPut(t, s, syncM, manual, rej)

	got, err := s.Lookup(ctx, r)
	require.NoError(t, err)
	assert.Equal(t, r, got.Ref)
	assert.Equal(t, sorted([]override.Mapping{manual, syncM, rej}), got.Mappings, "Lookup gives the mappings in Compare order")
	m, ok := got.Effective()
	assert.True(t, ok)
	assertMapping(t, manual, m, "Effective: manual beats sync, rejections not consulted")
	m, ok = got.Resolve(nil)
	assert.True(t, ok)
	assertMapping(t, syncM, m, "Resolve: the manual mapping's entity is rejected, the sync one is next")
	_, ok = got.Resolve(func(m override.Mapping) bool { return m.Source != override.Sync })
	assert.False(t, ok, "Resolve without sync: nothing left")
	assert.Equal(t, []override.EntityRef{rej.Entity}, got.Rejections())
	assert.True(t, got.Rejected(rej.Entity))
	assert.False(t, got.Rejected(syncM.Entity))

	none := rec(org, override.Contact, "none")
	recs, err := s.Load(ctx, []override.RecordRef{none, r, none}, nil)
	require.NoError(t, err)
	require.Len(t, recs, 3)
	assert.Equal(t, []override.RecordRef{none, r, none}, []override.RecordRef{recs[0].Ref, recs[1].Ref, recs[2].Ref})
	assert.Empty(t, recs[0].Mappings)
	assert.Equal(t, got.Mappings, recs[1].Mappings)
	_, ok = recs[0].Resolve(nil)
	assert.False(t, ok, "Resolve of a record with nothing stored")

	_, err = s.Load(ctx, []override.RecordRef{r, rec(org, "robot", "x")}, nil)
	var ve *override.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "[1].Record.Object", ve.Field)
	recs, err = s.Load(ctx, nil, nil)
	require.NoError(t, err)
	assert.Empty(t, recs, "Load of no refs")
}
