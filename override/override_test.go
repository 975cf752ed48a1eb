package override_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/override"
)

var (
	rec   = override.RecordRef{Org: "00D1", Object: override.Lead, ID: "00Q1"}
	ent   = override.EntityRef{Kind: override.Member, ID: "m1"}
	valid = override.Mapping{Record: rec, Entity: ent, Source: override.Sync}
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*override.Mapping)
		field  string // "" if valid
		reason string
	}{
		{"valid", func(*override.Mapping) {}, "", ""},
		{"valid rejection", func(m *override.Mapping) { m.Rejected = true }, "", ""},
		{"valid unicode", func(m *override.Mapping) { m.Record.ID = "réf-✓"; m.Entity.ID = "члены" }, "", ""},
		{"valid max len", func(m *override.Mapping) { m.Record.ID = strings.Repeat("é", override.MaxIDLen/2) }, "", ""},
		{"valid year 1", func(m *override.Mapping) { m.UpdatedAt = time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC) }, "", ""},
		{"empty org", func(m *override.Mapping) { m.Record.Org = "" }, "Record.Org", "empty"},
		{"long org", func(m *override.Mapping) { m.Record.Org = strings.Repeat("o", 256) }, "Record.Org", "longer than 255 bytes"},
		{"long multibyte", func(m *override.Mapping) { m.Record.ID = strings.Repeat("é", 128) }, "Record.ID", "longer than 255 bytes"},
		{"unknown object", func(m *override.Mapping) { m.Record.Object = "Lead" }, "Record.Object", "unknown object"},
		{"tab in id", func(m *override.Mapping) { m.Record.ID = "a\tb" }, "Record.ID", "contains a control character"},
		{"NUL in id", func(m *override.Mapping) { m.Record.ID = "a\x00" }, "Record.ID", "contains a control character"},
		{"C1 in id", func(m *override.Mapping) { m.Record.ID = "é\u009b" }, "Record.ID", "contains a control character"},
		{"invalid utf8", func(m *override.Mapping) { m.Record.ID = "a\xc3" }, "Record.ID", "not valid UTF-8"},
		{"unknown kind", func(m *override.Mapping) { m.Entity.Kind = "school" }, "Entity.Kind", "unknown kind"},
		{"empty entity", func(m *override.Mapping) { m.Entity.ID = "" }, "Entity.ID", "empty"},
		{"unknown source", func(m *override.Mapping) { m.Source = "import" }, "Source", "unknown source"},
		{"bad user", func(m *override.Mapping) { m.UpdatedBy = "u\n" }, "UpdatedBy", "contains a control character"},
		{"year 10000", func(m *override.Mapping) { m.UpdatedAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }, "UpdatedAt", "outside years 1 to 9999"},
		{"year 0", func(m *override.Mapping) { m.UpdatedAt = time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC) }, "UpdatedAt", "outside years 1 to 9999"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := valid
			tc.edit(&m)
			err := m.Validate()
			if tc.field == "" {
				assert.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, override.ErrInvalid)
			var ve *override.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.field, ve.Field)
			assert.Equal(t, tc.reason, ve.Reason)
			assert.Equal(t, "override: invalid "+tc.field+": "+tc.reason, err.Error())
		})
	}
}

func TestPrepare(t *testing.T) {
	now := time.Date(2026, 2, 3, 4, 5, 6, 789999999, time.FixedZone("X", 3600))
	m, err := override.Prepare(valid, now)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2026, 2, 3, 3, 5, 6, 789999000, time.UTC), m.UpdatedAt, "zero time set to now, µs, UTC")
	assert.Equal(t, time.UTC, m.UpdatedAt.Location())

	given := valid
	given.UpdatedAt = time.Date(2020, 1, 1, 0, 0, 0, 1500, time.UTC)
	m, err = override.Prepare(given, now)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2020, 1, 1, 0, 0, 0, 1000, time.UTC), m.UpdatedAt, "given time kept, truncated")

	bad := valid
	bad.Source = ""
	_, err = override.PrepareBatch([]override.Mapping{valid, valid, bad}, now)
	var ve *override.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "[2].Source", ve.Field)
	ms, err := override.PrepareBatch([]override.Mapping{valid, given}, now)
	require.NoError(t, err)
	assert.Len(t, ms, 2)
	assert.True(t, valid.UpdatedAt.IsZero(), "PrepareBatch changed its input")
}

func TestEffective(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	mk := func(id string, s override.Source, rejected bool, d time.Duration) override.Mapping {
		return override.Mapping{Record: rec, Entity: override.EntityRef{Kind: override.Member, ID: id}, Source: s, Rejected: rejected, UpdatedAt: at.Add(d)}
	}
	tests := []struct {
		name string
		ms   []override.Mapping
		want string // entity ID, "" for none
	}{
		{"none", nil, ""},
		{"only rejections", []override.Mapping{mk("a", override.Manual, true, 0)}, ""},
		{"sync", []override.Mapping{mk("a", override.Sync, false, 0)}, "a"},
		{"manual beats sync", []override.Mapping{mk("a", override.Sync, false, time.Hour), mk("b", override.Manual, false, 0)}, "b"},
		{"manual beats sync either order", []override.Mapping{mk("b", override.Manual, false, 0), mk("a", override.Sync, false, time.Hour)}, "b"},
		{"rejected manual skipped", []override.Mapping{mk("b", override.Manual, true, 0), mk("a", override.Sync, false, 0)}, "a"},
		{"later of same source", []override.Mapping{mk("a", override.Sync, false, 0), mk("b", override.Sync, false, time.Second)}, "b"},
		{"unknown source skipped", []override.Mapping{mk("a", "robot", false, 0)}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, ok := override.Effective(tc.ms...)
			assert.Equal(t, tc.want != "", ok, "Effective ok")
			assert.Equal(t, tc.want, m.Entity.ID)
		})
	}
	assert.Greater(t, override.Manual.Precedence(), override.Sync.Precedence())
	assert.Zero(t, override.Source("x").Precedence())
}

func TestCompare(t *testing.T) {
	r := func(o override.Object, id string) override.RecordRef {
		return override.RecordRef{Org: "o", Object: o, ID: id}
	}
	m := func(rr override.RecordRef, s override.Source, rej bool, k override.EntityKind, id string) override.Mapping {
		return override.Mapping{Record: rr, Source: s, Rejected: rej, Entity: override.EntityRef{Kind: k, ID: id}}
	}
	// In the order Mappings must walk.
	want := []override.Mapping{
		m(r(override.Account, "A"), override.Manual, false, override.Company, "z"),
		m(r(override.Account, "A"), override.Sync, false, override.Company, "a"),
		m(r(override.Account, "A"), override.Manual, true, override.Company, "b"),
		m(r(override.Account, "A"), override.Sync, true, override.Company, "c"),
		m(r(override.Account, "A"), override.Manual, true, override.Member, "a"),
		m(r(override.Account, "a"), override.Sync, false, override.Company, "a"),
		m(r(override.Account, "ab"), override.Sync, false, override.Company, "a"),
		m(r(override.Contact, "0"), override.Sync, false, override.Member, "a"),
		m(r(override.Lead, "0"), override.Sync, false, override.Member, "a"),
		m(r(override.Opportunity, "0"), override.Sync, false, override.Company, "a"),
	}
	got := slices.Clone(want)
	slices.Reverse(got)
	slices.SortFunc(got, override.Compare)
	assert.Equal(t, want, got)
	assert.Equal(t, override.Objects(), slices.Sorted(slices.Values(override.Objects())), "Objects in byte order")
	for _, o := range override.Objects() {
		assert.True(t, o.Valid())
	}
	assert.Zero(t, override.Compare(want[0], want[0]))
}

func TestStrings(t *testing.T) {
	assert.Equal(t, "00D1/lead/00Q1", rec.String())
	assert.Equal(t, "member/m1", ent.String())
}

func TestCopy(t *testing.T) {
	ctx := t.Context()
	src, dst := override.NewMemory(), override.NewMemory()
	var ms []override.Mapping
	for i := range 25 {
		r := override.RecordRef{Org: "a", Object: override.Contact, ID: fmt.Sprintf("c%02d", i)}
		ms = append(ms, override.Mapping{Record: r, Entity: ent, Source: override.Sync, UpdatedAt: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)})
		if i%5 == 0 {
			ms = append(ms, override.Mapping{Record: r, Entity: override.EntityRef{Kind: override.Member, ID: "no"}, Source: override.Manual, Rejected: true})
		}
	}
	require.NoError(t, src.PutBatch(ctx, ms))
	require.NoError(t, src.Put(ctx, override.Mapping{Record: override.RecordRef{Org: "b", Object: override.Lead, ID: "x"}, Entity: ent, Source: override.Sync}))

	for _, batch := range []int{0, 1, 7, 30} {
		n, err := override.Copy(ctx, dst, src, "a", batch)
		require.NoError(t, err)
		assert.Equal(t, 30, n, "Copy(batch %d)", batch)
	}
	want, got := collectAll(t, src, "a"), collectAll(t, dst, "a")
	assert.Equal(t, want, got, "copied mappings, times kept")
	nb, err := dst.Count(ctx, "b")
	require.NoError(t, err)
	assert.Zero(t, nb, "Copy copied another org")

	_, err = override.Copy(ctx, dst, src, "", 0)
	require.ErrorIs(t, err, override.ErrInvalid)
	require.NoError(t, dst.Close())
	_, err = override.Copy(ctx, dst, src, "a", 0)
	require.ErrorIs(t, err, override.ErrClosed)
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = override.Copy(canceled, override.NewMemory(), src, "a", 0)
	require.ErrorIs(t, err, context.Canceled)
}

func collectAll(t *testing.T, s *override.Store, org string) []override.Mapping {
	t.Helper()
	var ms []override.Mapping
	for m, err := range s.Mappings(t.Context(), org) {
		require.NoError(t, err)
		ms = append(ms, m)
	}
	return ms
}

// validIDRef is the plain statement of the ID rules ValidateID implements.
func validIDRef(id string) bool {
	if id == "" || len(id) > override.MaxIDLen || !utf8.ValidString(id) {
		return false
	}
	return !strings.ContainsFunc(id, unicode.IsControl)
}

func FuzzValidateID(f *testing.F) {
	for _, s := range []string{"", "a", "00Q5e000001XyZ", "a\x00", "é", "\u0085", "\xff", strings.Repeat("x", 256), "a\x7f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		err := override.ValidateID("Record.ID", id)
		if got, want := err == nil, validIDRef(id); got != want {
			t.Fatalf("ValidateID(%q) = %v, want valid = %v", id, err, want)
		}
		if err != nil {
			if !errors.Is(err, override.ErrInvalid) {
				t.Fatalf("ValidateID(%q) = %v, not ErrInvalid", id, err)
			}
			if len(id) >= 4 && strings.Contains(err.Error(), id) {
				t.Fatalf("ValidateID error %q echoes the ID", err)
			}
		}
	})
}

func BenchmarkValidateID(b *testing.B) {
	ids := []string{"00Q5e000001XyZaEAK", "urn:li:member:123456789", "réf-ünïcode"}
	b.Run("ValidateID", func(b *testing.B) {
		for b.Loop() {
			for _, id := range ids {
				if override.ValidateID("f", id) != nil {
					b.Fatal("invalid")
				}
			}
		}
	})
	b.Run("baseline/utf8+IsControl", func(b *testing.B) {
		for b.Loop() {
			for _, id := range ids {
				if !validIDRef(id) {
					b.Fatal("invalid")
				}
			}
		}
	})
}
