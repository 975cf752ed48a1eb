package boltstore

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/override"
)

func TestEncodingRoundTrip(t *testing.T) {
	at := time.Date(2026, 5, 6, 7, 8, 9, 123456000, time.UTC)
	r := override.RecordRef{Org: "o", Object: override.Lead, ID: "00Q1"}
	tests := []struct {
		name string
		m    override.Mapping
	}{
		{"sync member", override.Mapping{Record: r, Entity: override.EntityRef{Kind: override.Member, ID: "m1"}, Source: override.Sync, UpdatedAt: at, UpdatedBy: "005"}},
		{"manual company no user", override.Mapping{Record: r, Entity: override.EntityRef{Kind: override.Company, ID: "c1"}, Source: override.Manual, UpdatedAt: at}},
		{"rejection", override.Mapping{Record: r, Entity: override.EntityRef{Kind: override.Company, ID: "c\u00e91"}, Source: override.Manual, Rejected: true, UpdatedAt: at, UpdatedBy: "u"}},
		{"year 1", override.Mapping{Record: r, Entity: override.EntityRef{Kind: override.Member, ID: "m"}, Source: override.Sync, UpdatedAt: time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{"year 9999", override.Mapping{Record: r, Entity: override.EntityRef{Kind: override.Member, ID: "m"}, Source: override.Sync, UpdatedAt: time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeMapping(r.Org, mappingKey(nil, tc.m), mappingValue(nil, tc.m))
			require.NoError(t, err)
			assert.Equal(t, tc.m, got)
			if !tc.m.Rejected {
				e, rr, src, err := decodeIndexKey(r.Org, indexKey(nil, tc.m))
				require.NoError(t, err)
				assert.Equal(t, tc.m.Entity, e)
				assert.Equal(t, tc.m.Record, rr)
				assert.Equal(t, tc.m.Source, src)
			}
		})
	}
}

// FuzzDecode feeds arbitrary keys and values to the decoders: they never panic,
// and whatever decodes re-encodes to the same bytes.
func FuzzDecode(f *testing.F) {
	at := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	m := override.Mapping{Record: override.RecordRef{Org: "o", Object: override.Lead, ID: "00Q1"},
		Entity: override.EntityRef{Kind: override.Member, ID: "m1"}, Source: override.Sync, UpdatedAt: at, UpdatedBy: "005"}
	f.Add(mappingKey(nil, m), mappingValue(nil, m))
	m.Rejected = true
	f.Add(mappingKey(nil, m), mappingValue(nil, m))
	m.Rejected = false
	f.Add(indexKey(nil, m), []byte{})
	f.Add([]byte{3, 0, 1, 2}, []byte{2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, k, v []byte) {
		if got, err := decodeMapping("o", k, v); err == nil {
			assert.Equal(t, k, mappingKey(nil, got), "key round trip")
			assert.Equal(t, v, mappingValue(nil, got), "value round trip")
		}
		if e, r, src, err := decodeIndexKey("o", k); err == nil {
			assert.Equal(t, k, indexKey(nil, override.Mapping{Record: r, Entity: e, Source: src}), "index key round trip")
		}
	})
}

// FuzzDecodeCheckpoint feeds arbitrary values to the checkpoint decoder: it never panics, and
// whatever decodes is a valid checkpoint that re-encodes to the same bytes.
func FuzzDecodeCheckpoint(f *testing.F) {
	at := time.Date(2026, 5, 6, 7, 8, 9, 123000, time.UTC)
	for _, c := range []override.Checkpoint{
		{Org: "o", Object: override.Lead, Run: at},
		{Org: "o", Object: override.Lead, Run: at, Since: at.Add(-time.Hour), After: "00Q1", Done: true},
		{Org: "o", Object: override.Lead, Run: at, After: "r\u00e9"},
	} {
		f.Add(encodeCheckpoint(c))
	}
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 1, cpSince})
	f.Fuzz(func(t *testing.T, v []byte) {
		c, err := decodeCheckpoint("o", override.Lead, v)
		if err != nil {
			return
		}
		require.NoError(t, c.Validate(), "a decoded checkpoint is valid")
		assert.Equal(t, v, encodeCheckpoint(c), "value round trip")
	})
}
