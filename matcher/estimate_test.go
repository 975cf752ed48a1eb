package matcher_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/internal/synth"
	"github.com/crmlink/crmlink/matcher"
)

func TestEstimateM(t *testing.T) {
	w := synth.New(synth.Options{Seed: 3, Companies: 500, Members: 500})
	byID := map[string]matcher.Entity{}
	for _, c := range w.Companies() {
		byID[c.ID] = matcher.NewCompanyEntity(matcher.Company(c))
	}
	for _, m := range w.Members() {
		h, _ := matcher.HashEmail(m.Email)
		byID[m.ID] = matcher.NewMemberEntity(matcher.Member{ID: m.ID, FirstName: m.FirstName, LastName: m.LastName,
			Company: m.Company, Title: m.Title, Location: m.Location, EmailHash: h})
	}
	var pairs []matcher.LabeledPair
	for _, q := range w.CompanyQueries(400, synth.QueryOptions{Seed: 1}) {
		pairs = append(pairs, matcher.LabeledPair{Company: matcher.CompanyQuery{Name: q.Name, Industry: q.Industry,
			Location: q.Location, Website: q.Website}, Entity: byID[q.TruthID]})
	}
	for _, q := range w.MemberQueries(400, synth.QueryOptions{Seed: 1}) {
		pairs = append(pairs, matcher.LabeledPair{Member: matcher.MemberQuery{FirstName: q.FirstName, LastName: q.LastName,
			Company: q.Company, Title: q.Title, Email: q.Email, Location: q.Location}, Entity: byID[q.TruthID]})
	}
	def := matcher.DefaultWeights()
	got, err := matcher.EstimateM(t.Context(), def, pairs)
	require.NoError(t, err)
	// True pairs mostly agree: Exact is the most likely level, and the
	// estimates stay close to the documented defaults measured the same way.
	for name, fw := range map[string][2]matcher.FieldWeights{
		"company name": {got.CompanyName, def.CompanyName},
		"last name":    {got.LastName, def.LastName},
		"first name":   {got.FirstName, def.FirstName},
		"title":        {got.Title, def.Title},
	} {
		assert.Greater(t, fw[0].Exact.M, fw[0].Disagree.M, "%s: Exact M vs Disagree M", name)
		assert.InDelta(t, fw[1].Exact.M, fw[0].Exact.M, 0.15, "%s: Exact M far from the default", name)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = matcher.EstimateM(ctx, def, pairs)
	assert.ErrorIs(t, err, context.Canceled)
}
