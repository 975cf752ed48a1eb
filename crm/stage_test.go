package crm_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"maps"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/crm"
)

var pipeline = []crm.OpportunityStage{
	{Name: "Proposal", SortOrder: 30},
	{Name: "Prospecting", SortOrder: 10},
	{Name: "Closed Won", SortOrder: 90, IsClosed: true, IsWon: true},
	{Name: "Qualification", SortOrder: 20},
	{Name: "Value Proposition", SortOrder: 20}, // same rank as Qualification
	{Name: "Closed Lost", SortOrder: 99, IsClosed: true},
}

func TestStagesAtOrPast(t *testing.T) {
	tests := []struct {
		stage string
		want  []string
	}{
		{"Prospecting", []string{"Prospecting", "Qualification", "Value Proposition", "Proposal", "Closed Won", "Closed Lost"}},
		{"Value Proposition", []string{"Qualification", "Value Proposition", "Proposal", "Closed Won", "Closed Lost"}},
		{"Proposal", []string{"Proposal", "Closed Won", "Closed Lost"}},
		{"Closed Lost", []string{"Closed Lost"}},
	}
	for _, tc := range tests {
		got, err := crm.StagesAtOrPast(pipeline, tc.stage)
		require.NoError(t, err)
		assert.Equal(t, tc.want, got, "StagesAtOrPast(%q)", tc.stage)
	}
	for _, bad := range []string{"", "proposal", "Nope"} {
		_, err := crm.StagesAtOrPast(pipeline, bad)
		assert.ErrorIs(t, err, crm.ErrUnknownStage, "StagesAtOrPast(%q)", bad)
		var se *crm.StageError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, bad, se.Stage)
	}
}

func TestTiedToStage(t *testing.T) {
	opps := []crm.Opportunity{
		{ID: "o1", AccountID: "a1", Stage: "Prospecting", ContactIDs: []string{"c1"}},
		{ID: "o2", AccountID: "a2", Stage: "Qualification", ContactIDs: []string{"c2", "c3"}},
		{ID: "o3", AccountID: "a3", Stage: "Proposal", ContactIDs: []string{"c3", ""}},
		{ID: "o4", AccountID: "a4", Stage: "Closed Won", IsClosed: true, ContactIDs: []string{"c4"}},
		{ID: "o5", AccountID: "a3", Stage: "Value Proposition"},
		{ID: "o6", Stage: "Proposal", ContactIDs: []string{"c6"}},          // no account
		{ID: "o7", AccountID: "a7", Stage: "Renamed Stage"},                // not in the picklist
		{ID: "o8", AccountID: "a8", Stage: "Proposal", IsClosed: true},     // closed
		{ID: "o9", AccountID: "a9", Stage: "Closed Lost", IsClosed: false}, // open at a closed stage
	}
	tests := []struct {
		stage              string
		accounts, contacts []string
		wantErr            bool
	}{
		{stage: "Prospecting", accounts: []string{"a1", "a2", "a3", "a9"}, contacts: []string{"c1", "c2", "c3", "c6"}},
		{stage: "Qualification", accounts: []string{"a2", "a3", "a9"}, contacts: []string{"c2", "c3", "c6"}},
		{stage: "Proposal", accounts: []string{"a3", "a9"}, contacts: []string{"c3", "c6"}},
		{stage: "Closed Won", accounts: []string{"a9"}, contacts: []string{}},
		{stage: "Unknown", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.stage, func(t *testing.T) {
			accounts, contacts, err := crm.TiedToStage(pipeline, opps, tc.stage)
			if tc.wantErr {
				assert.ErrorIs(t, err, crm.ErrUnknownStage)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.accounts, accounts, "accounts")
			assert.Equal(t, tc.contacts, contacts, "contacts")
		})
	}
}

// sliceSource is an in-memory crm.Source over slices (this package's own test driver).
type sliceSource struct {
	stages []crm.OpportunityStage
	opps   []crm.Opportunity
	err    error // yielded after the opportunities, when set
}

func seqOf[T any](ctx context.Context, rs []T, tail error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		for _, r := range rs {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			if !yield(r, nil) {
				return
			}
		}
		if tail != nil {
			yield(zero, tail)
		}
	}
}

func (s sliceSource) Leads(ctx context.Context, _ crm.Filter) iter.Seq2[crm.Lead, error] {
	return seqOf[crm.Lead](ctx, nil, nil)
}
func (s sliceSource) Contacts(ctx context.Context, _ crm.Filter) iter.Seq2[crm.Contact, error] {
	return seqOf[crm.Contact](ctx, nil, nil)
}
func (s sliceSource) Accounts(ctx context.Context, _ crm.Filter) iter.Seq2[crm.Account, error] {
	return seqOf[crm.Account](ctx, nil, nil)
}
func (s sliceSource) Opportunities(ctx context.Context, _ crm.Filter) iter.Seq2[crm.Opportunity, error] {
	return seqOf(ctx, s.opps, s.err)
}
func (s sliceSource) Stages(ctx context.Context) iter.Seq2[crm.OpportunityStage, error] {
	return seqOf(ctx, s.stages, nil)
}
func (s sliceSource) Users(ctx context.Context) iter.Seq2[crm.User, error] {
	return seqOf[crm.User](ctx, nil, nil)
}
func (s sliceSource) Roles(ctx context.Context) iter.Seq2[crm.Role, error] {
	return seqOf[crm.Role](ctx, nil, nil)
}

type pushdown struct {
	sliceSource
	called *bool
}

func (p pushdown) TiedToOpenOpportunities(context.Context, string) ([]string, []string, error) {
	*p.called = true
	return []string{"pushed"}, nil, nil
}

func TestFilterByStage(t *testing.T) {
	opps := []crm.Opportunity{
		{ID: "o1", AccountID: "a1", Stage: "Proposal", ContactIDs: []string{"c1"}},
		{ID: "o2", AccountID: "a2", Stage: "Prospecting"},
	}
	src := sliceSource{stages: pipeline, opps: opps}
	accounts, contacts, err := crm.FilterByStage(t.Context(), src, "Qualification")
	require.NoError(t, err)
	assert.Equal(t, []string{"a1"}, accounts)
	assert.Equal(t, []string{"c1"}, contacts)

	_, _, err = crm.FilterByStage(t.Context(), src, "Nope")
	assert.ErrorIs(t, err, crm.ErrUnknownStage)

	boom := &crm.APIError{Op: "query Opportunity", Status: 500, Class: crm.ErrServer}
	_, _, err = crm.FilterByStage(t.Context(), sliceSource{stages: pipeline, opps: opps, err: boom}, "Prospecting")
	assert.ErrorIs(t, err, crm.ErrServer)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, _, err = crm.FilterByStage(ctx, src, "Prospecting")
	assert.ErrorIs(t, err, context.Canceled)

	called := false
	accounts, _, err = crm.TiedToOpenOpportunities(t.Context(), pushdown{src, &called}, "Prospecting")
	require.NoError(t, err)
	assert.True(t, called, "the StageFilterer ability is used")
	assert.Equal(t, []string{"pushed"}, accounts)
	accounts, _, err = crm.TiedToOpenOpportunities(t.Context(), src, "Qualification")
	require.NoError(t, err)
	assert.Equal(t, []string{"a1"}, accounts, "fallback computes in memory")
}

func TestCollect(t *testing.T) {
	got, err := crm.Collect(seqOf(t.Context(), []int{1, 2, 3}, nil))
	require.NoError(t, err)
	assert.Equal(t, []int{1, 2, 3}, got)

	boom := errors.New("boom")
	got, err = crm.Collect(seqOf(t.Context(), []int{1, 2}, boom))
	assert.ErrorIs(t, err, boom)
	assert.Equal(t, []int{1, 2}, got, "records before the error are returned")
}

func benchOpportunities() []crm.Opportunity {
	opps := make([]crm.Opportunity, 10000)
	for i := range opps {
		opps[i] = crm.Opportunity{ID: fmt.Sprint("006", i), AccountID: fmt.Sprint("001", i%3000),
			Stage: pipeline[i%len(pipeline)].Name, IsClosed: i%7 == 0, ContactIDs: []string{fmt.Sprint("003", i%5000)}}
	}
	return opps
}

func BenchmarkTiedToStage(b *testing.B) {
	opps := benchOpportunities()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := crm.TiedToStage(pipeline, opps, "Qualification"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTiedToStageNaive is the baseline: a linear stage lookup per opportunity and sets
// built in maps, sorted at the end.
func BenchmarkTiedToStageNaive(b *testing.B) {
	opps := benchOpportunities()
	b.ReportAllocs()
	for b.Loop() {
		from := 0
		for _, s := range pipeline {
			if s.Name == "Qualification" {
				from = s.SortOrder
			}
		}
		accounts, contacts := map[string]bool{}, map[string]bool{}
		for _, o := range opps {
			for _, s := range pipeline {
				if s.Name == o.Stage && s.SortOrder >= from && !o.IsClosed {
					accounts[o.AccountID] = true
					for _, c := range o.ContactIDs {
						contacts[c] = true
					}
				}
			}
		}
		a, c := slices.Sorted(maps.Keys(accounts)), slices.Sorted(maps.Keys(contacts))
		if len(a) == 0 || len(c) == 0 {
			b.Fatal("empty")
		}
	}
}
