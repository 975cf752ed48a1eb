package csvsource_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/csvsource"
	"github.com/crmlink/crmlink/crm/sourcetest"
)

type harness struct{}

func (harness) Source(t *testing.T, ds *sourcetest.Dataset) crm.Source {
	dir := t.TempDir()
	require.NoError(t, csvsource.Write(dir, dataOf(ds)))
	src, err := csvsource.Open(dir)
	require.NoError(t, err)
	return src
}

func dataOf(ds *sourcetest.Dataset) *csvsource.Data {
	return &csvsource.Data{
		Accounts: ds.Accounts, Contacts: ds.Contacts, Leads: ds.Leads, Opportunities: ds.Opportunities,
		Stages: ds.Stages, Users: ds.Users, Roles: ds.Roles,
	}
}

func TestConformance(t *testing.T) { sourcetest.Run(t, harness{}) }

type buHarness struct{ harness }

func (buHarness) BusinessUnits() bool { return true }

func TestConformanceBusinessUnits(t *testing.T) { sourcetest.Run(t, buHarness{}) }
