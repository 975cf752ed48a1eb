package sourcetest

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/crm"
)

// FailureHarness is implemented by harnesses that can make a Source whose Contacts stream fails
// mid-stream: after at least one record was delivered and before the last one (a fake server
// answering the second page with an error, a corrupt line in a file). The suite then checks that
// the failure behaves alike in every driver.
type FailureHarness interface {
	Harness
	// FailingSource returns a Source serving ds whose Contacts stream fails mid-stream.
	FailingSource(t *testing.T, ds *Dataset) crm.Source
}

// testMidStreamError: records before the failure are delivered, then exactly one error, typed
// ([*crm.APIError] or [*crm.ParseError]), whose text holds no record value.
func testMidStreamError(t *testing.T, h Harness) {
	fh, ok := h.(FailureHarness)
	if !ok {
		t.Skip("the harness does not implement sourcetest.FailureHarness")
	}
	ds := Fixture()
	if bu, ok := h.(BusinessUnitHarness); ok && bu.BusinessUnits() {
		ds = ds.WithBusinessUnits()
	}
	src := fh.FailingSource(t, ds.Clone())
	require.NotNil(t, src, "FailingSource returned nil")
	n, errs := 0, 0
	var last error
	for _, err := range src.Contacts(t.Context(), crm.Filter{}) {
		if err != nil {
			errs++
			last = err
			continue
		}
		assert.Zero(t, errs, "a record after the error")
		n++
	}
	require.Error(t, last, "the stream must fail")
	assert.Equal(t, 1, errs, "errors yielded")
	assert.Positive(t, n, "records before the failure are delivered")
	assert.Less(t, n, len(ds.Contacts), "the failure is mid-stream")
	var apiErr *crm.APIError
	var parseErr *crm.ParseError
	assert.True(t, errors.As(last, &apiErr) || errors.As(last, &parseErr),
		"error %v (%T) is a *crm.APIError or a *crm.ParseError", last, last)
	msg := last.Error()
	for _, v := range recordValues(ds) {
		if strings.Contains(msg, v) {
			t.Errorf("error text holds a record value %q: %s", v, msg)
		}
	}
}

// recordValues returns the personal and business field values of ds worth looking for in error
// texts: names, emails, titles, companies, websites. IDs may appear in errors and are left out.
func recordValues(ds *Dataset) []string {
	var vs []string
	add := func(ss ...string) {
		for _, s := range ss {
			if len(s) >= 4 {
				vs = append(vs, s)
			}
		}
	}
	for _, c := range ds.Contacts {
		add(c.FirstName, c.LastName, c.Email, c.Title)
	}
	for _, l := range ds.Leads {
		add(l.FirstName, l.LastName, l.Email, l.Title, l.Company)
	}
	for _, a := range ds.Accounts {
		add(a.Name, a.Website)
	}
	for _, u := range ds.Users {
		add(u.Name, u.Email)
	}
	return vs
}
