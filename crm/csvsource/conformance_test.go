package csvsource_test

import (
	"os"
	"path/filepath"
	"strings"
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

// FailingSource corrupts contacts.csv on the tenth record: its modified_at holds a record value,
// which the error must not repeat.
func (h harness) FailingSource(t *testing.T, ds *sourcetest.Dataset) crm.Source {
	src := h.Source(t, ds).(*csvsource.Source)
	path := filepath.Join(src.Dir(), csvsource.ContactsFile)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := strings.SplitAfter(string(b), "\n")
	require.Greater(t, len(lines), 12)
	lines[10] = strings.Replace(lines[10], "Z\n", "Z "+ds.Contacts[0].Email+"\n", 1)
	require.NoError(t, os.WriteFile(path, []byte(strings.Join(lines, "")), 0o644))
	return src
}

func TestConformance(t *testing.T) { sourcetest.Run(t, harness{}) }

type buHarness struct{ harness }

func (buHarness) BusinessUnits() bool { return true }

func TestConformanceBusinessUnits(t *testing.T) { sourcetest.Run(t, buHarness{}) }

type writerHarness struct{}

func (writerHarness) Writer(t *testing.T, ds *sourcetest.Dataset) (crm.Writer, func() []sourcetest.Stored) {
	dir := t.TempDir()
	require.NoError(t, csvsource.Write(dir, dataOf(ds)))
	src, err := csvsource.Open(dir)
	require.NoError(t, err)
	return src, func() []sourcetest.Stored {
		acts, err := crm.Collect(src.Activities(t.Context()))
		require.NoError(t, err)
		var out []sourcetest.Stored
		for _, a := range acts {
			out = append(out, sourcetest.Stored{ID: a.ID, RecordID: a.Record.ID})
		}
		return out
	}
}

func TestWriterConformance(t *testing.T) { sourcetest.RunWriter(t, writerHarness{}) }

func TestROIFromSource(t *testing.T) { sourcetest.RunROI(t, harness{}) }
