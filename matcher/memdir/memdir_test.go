package memdir_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/dirtest"
	"github.com/crmlink/crmlink/matcher/memdir"
)

func TestConformance(t *testing.T) {
	dirtest.Run(t, func(t *testing.T, cs []matcher.Company, ms []matcher.Member) matcher.Directory {
		d := memdir.New()
		for _, c := range cs {
			require.NoError(t, d.AddCompany(c))
		}
		for _, m := range ms {
			require.NoError(t, d.AddMember(m))
		}
		return d
	})
}

func TestAddErrors(t *testing.T) {
	d := memdir.New()
	require.NoError(t, d.AddCompany(matcher.Company{ID: "c1", Name: "Acme"}))
	require.NoError(t, d.AddMember(matcher.Member{ID: "c1", FirstName: "Jane", LastName: "Secretname"}))
	tests := []struct {
		name string
		add  func() error
		want error
	}{
		{"duplicate company", func() error { return d.AddCompany(matcher.Company{ID: "c1", Name: "Acme Two"}) }, memdir.ErrDuplicate},
		{"duplicate member", func() error { return d.AddMember(matcher.Member{ID: "c1", LastName: "Secretname"}) }, memdir.ErrDuplicate},
		{"empty company id", func() error { return d.AddCompany(matcher.Company{Name: "Acme"}) }, memdir.ErrNoID},
		{"empty member id", func() error { return d.UpsertMember(matcher.Member{LastName: "Secretname"}) }, memdir.ErrNoID},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.add()
			assert.ErrorIs(t, err, tc.want)
			var idErr *memdir.IDError
			assert.True(t, errors.As(err, &idErr), "error %T is not *IDError", err)
			// Privacy: no record data in the error text.
			assert.NotContains(t, err.Error(), "Secretname")
			assert.NotContains(t, err.Error(), "Acme")
		})
	}
	assert.Equal(t, 2, d.Len(), "Len after failed adds")
}

func TestUpsertRemoveLen(t *testing.T) {
	d := memdir.New()
	require.NoError(t, d.UpsertCompany(matcher.Company{ID: "c1", Name: "Acme"}))
	require.NoError(t, d.UpsertCompany(matcher.Company{ID: "c1", Name: "Acme Renamed"}))
	assert.Equal(t, 1, d.Len())
	ok, err := d.Remove(matcher.EntityRef{Kind: matcher.KindCompany, ID: "c1"})
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, 0, d.Len())
	// The slot is reused.
	require.NoError(t, d.AddCompany(matcher.Company{ID: "c2", Name: "Other"}))
	assert.Equal(t, 1, d.Len())
	ok, err = d.Remove(matcher.EntityRef{Kind: matcher.KindMember, ID: "c2"})
	require.NoError(t, err)
	assert.False(t, ok, "Remove with the wrong kind")
}
