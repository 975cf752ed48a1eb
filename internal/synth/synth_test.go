package synth_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/internal/synth"
)

func TestDeterminism(t *testing.T) {
	o := synth.Options{Seed: 42, Companies: 2000, Members: 3000}
	a, b := synth.New(o), synth.New(o)
	assert.Equal(t, a.Companies(), b.Companies())
	assert.Equal(t, a.Members(), b.Members())
	qo := synth.QueryOptions{Seed: 7, AbsentRate: 0.2}
	assert.Equal(t, a.CompanyQueries(500, qo), b.CompanyQueries(500, qo))
	assert.Equal(t, a.MemberQueries(500, qo), b.MemberQueries(500, qo))
	brands := 0
	for _, q := range a.CompanyQueries(500, qo) {
		for _, n := range q.Noise {
			if n == "name:brand" {
				brands++
			}
		}
	}
	assert.Positive(t, brands, "the comparison covers brand-only names")

	c := synth.New(synth.Options{Seed: 43, Companies: 2000, Members: 3000})
	assert.NotEqual(t, a.Companies(), c.Companies(), "another seed gives another world")
	assert.NotEqual(t, a.CompanyQueries(100, qo), a.CompanyQueries(100, synth.QueryOptions{Seed: 8, AbsentRate: 0.2}))
}

func TestDirectoryShape(t *testing.T) {
	w := synth.New(synth.Options{Seed: 1, Companies: 20000, Members: 20000})
	cs, ms := w.Companies(), w.Members()
	require.Len(t, cs, 20000)
	require.Len(t, ms, 20000)

	ids := map[string]bool{}
	names := map[string]int{}
	var cyr, grk, diacritics, websites, legalFirst int
	for _, c := range cs {
		require.NotEmpty(t, c.ID)
		assert.False(t, ids[c.ID], "duplicate id %s", c.ID)
		ids[c.ID] = true
		assert.NotEmpty(t, c.Name, c.ID)
		names[c.Name]++
		for _, r := range c.Name {
			if unicode.Is(unicode.Cyrillic, r) {
				cyr++
				break
			}
			if unicode.Is(unicode.Greek, r) {
				grk++
				break
			}
			if r > 0x7f && unicode.Is(unicode.Latin, r) {
				diacritics++
				break
			}
		}
		if c.Website != "" {
			websites++
		}
		if strings.HasPrefix(c.Name, "ООО") || strings.HasPrefix(c.Name, "ТОВ") {
			legalFirst++
		}
	}
	n := float64(len(cs))
	assert.Greater(t, float64(cyr)/n, 0.02, "Cyrillic names")
	assert.Greater(t, float64(grk)/n, 0.005, "Greek names")
	assert.Greater(t, float64(diacritics)/n, 0.02, "Latin names with diacritics")
	assert.InDelta(t, 0.85, float64(websites)/n, 0.05, "share with a website")
	assert.Positive(t, legalFirst)

	// Shared stems: many names share their first word with another company.
	first := map[string]int{}
	for _, c := range cs {
		first[strings.Fields(c.Name)[0]]++
	}
	shared := 0
	for _, c := range cs {
		if first[strings.Fields(c.Name)[0]] > 1 {
			shared++
		}
	}
	assert.Greater(t, float64(shared)/n, 0.3, "near-duplicate stems")

	// Members: common names are ambiguous, employers exist, e-mails mostly at work.
	full := map[string]int{}
	var withEmail, inDir int
	for _, m := range ms {
		assert.NotEmpty(t, m.FirstName, m.ID)
		assert.NotEmpty(t, m.LastName, m.ID)
		full[m.FirstName+" "+m.LastName]++
		if m.Email != "" {
			withEmail++
			assert.Contains(t, m.Email, "@", m.ID)
		}
		if m.CompanyID != "" {
			inDir++
			assert.True(t, ids[m.CompanyID], "member %s employer %s", m.ID, m.CompanyID)
		}
	}
	maxSame := 0
	for _, c := range full {
		maxSame = max(maxSame, c)
	}
	assert.Greater(t, maxSame, 8, "the most common full name is shared by many members")
	assert.Greater(t, len(full), 20000/3, "but names have a long tail")
	assert.InDelta(t, 0.85, float64(withEmail)/n, 0.08)
	assert.InDelta(t, 0.9, float64(inDir)/n, 0.03)
}

func TestCompanyQueries(t *testing.T) {
	w := synth.New(synth.Options{Seed: 3, Companies: 10000, Members: 10})
	byID := map[string]synth.Company{}
	dirNames := map[string]bool{}
	for _, c := range w.Companies() {
		byID[c.ID] = c
		dirNames[strings.ToLower(c.Name)] = true
	}
	qs := w.CompanyQueries(4000, synth.QueryOptions{Seed: 9, AbsentRate: 0.25})
	require.Len(t, qs, 4000)
	tags := map[string]int{}
	absent, changed, collide, brands := 0, 0, 0, 0
	for i, q := range qs {
		assert.Equal(t, "q"+itoa(i+1), q.ID)
		for _, n := range q.Noise {
			tags[n]++
		}
		if q.TruthID == "" {
			absent++
			// Held-out companies never share a base name with the directory, but a
			// corruption (an acronym, a typo) may land on one now and then.
			if dirNames[strings.ToLower(q.Name)] && q.Name != "" {
				collide++
			}
			continue
		}
		c, ok := byID[q.TruthID]
		require.True(t, ok, "truth %s", q.TruthID)
		if q.Name != c.Name {
			changed++
		}
		if nameNoise(q.Noise) == "name:brand" {
			// Brand only, uncorrupted otherwise: one distinctive word of a
			// name of two or more.
			brands++
			words := strings.FieldsFunc(c.Name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
			assert.NotContains(t, q.Name, " ", q.ID)
			assert.Contains(t, words, q.Name, q.ID)
			assert.Greater(t, len(words), 1, q.ID)
			assert.NotContains(t, []string{"Global", "Solutions", "Group", "Holdings", "Analytics", "The", "&"}, q.Name, q.ID)
		}
		if len(q.Noise) == 0 {
			assert.Equal(t, c.Name, q.Name, q.ID)
			assert.Equal(t, c.Website, q.Website, q.ID)
		}
	}
	assert.InDelta(t, 0.25, float64(absent)/4000, 0.03)
	assert.Less(t, float64(collide)/float64(absent), 0.01, "absent queries naming a directory company")
	assert.Greater(t, float64(changed)/float64(4000-absent), 0.4, "most names are corrupted somehow")
	// The corruption mix: every kind shows up at a plausible rate.
	for tag, lo := range map[string]float64{
		"name:legal_drop": 0.1, "name:typo": 0.1, "name:abbrev": 0.01, "name:diacritics": 0.005,
		"name:translit": 0.005, "name:upper": 0.02, "name:punct": 0.05, "name:acronym": 0.001, "name:brand": 0.01,
		"industry:missing": 0.3, "location:missing": 0.2, "location:code": 0.02,
		"website:missing": 0.35, "website:decorated": 0.05, "website:other": 0.002,
	} {
		assert.Greater(t, float64(tags[tag])/4000, lo, tag)
	}
	assert.Less(t, float64(tags["name:missing"])/4000, 0.05)
	assert.Less(t, float64(tags["name:brand"])/4000, 0.05, "brand-only names are a modest share")
	assert.Positive(t, brands, "some brand-only names are otherwise clean")
}

// nameNoise joins the name corruptions of a query's noise tags.
func nameNoise(noise []string) string {
	var ns []string
	for _, n := range noise {
		if strings.HasPrefix(n, "name:") {
			ns = append(ns, n)
		}
	}
	return strings.Join(ns, ",")
}

func TestMemberQueries(t *testing.T) {
	w := synth.New(synth.Options{Seed: 4, Companies: 3000, Members: 20000})
	byID := map[string]synth.Member{}
	dirEmail := map[string]bool{}
	for _, m := range w.Members() {
		byID[m.ID] = m
		if m.Email != "" {
			dirEmail[m.Email] = true
		}
	}
	qs := w.MemberQueries(4000, synth.QueryOptions{Seed: 5, AbsentRate: 0.2})
	require.Len(t, qs, 4000)
	tags := map[string]int{}
	absent, sameEmail := 0, 0
	for _, q := range qs {
		for _, n := range q.Noise {
			tags[n]++
		}
		if q.TruthID == "" {
			absent++
			assert.False(t, q.Email != "" && dirEmail[q.Email], "absent query %s has a directory e-mail", q.ID)
			continue
		}
		m, ok := byID[q.TruthID]
		require.True(t, ok)
		if q.Email != "" && q.Email == m.Email {
			sameEmail++
		}
	}
	assert.InDelta(t, 0.2, float64(absent)/4000, 0.03)
	assert.Greater(t, sameEmail, 400, "work e-mail often kept")
	for tag, lo := range map[string]float64{
		"first:nickname": 0.03, "first:typo": 0.03, "last:typo": 0.04, "first:initial": 0.01,
		"first:middle_initial": 0.01, "name:swap": 0.005, "name:translit": 0.003, "name:diacritics": 0.01,
		"company:missing": 0.1, "company:stale": 0.03, "company:legal_drop": 0.05,
		"title:missing": 0.2, "title:stale": 0.02, "title:variant": 0.05,
		"email:missing": 0.25, "email:personal": 0.05, "email:other_pattern": 0.002,
		"location:missing": 0.2,
	} {
		assert.Greater(t, float64(tags[tag])/4000, lo, tag)
	}
}

func TestWriteCSV(t *testing.T) {
	w := synth.New(synth.Options{Seed: 5, Companies: 50, Members: 50})
	tests := []struct {
		name   string
		write  func(*bytes.Buffer) error
		header string
		rows   int
	}{
		{"companies", func(b *bytes.Buffer) error { return synth.WriteCompaniesCSV(b, w.Companies()) }, "id,name,industry,location,website", 50},
		{"members", func(b *bytes.Buffer) error { return synth.WriteMembersCSV(b, w.Members()) }, "id,first_name,last_name,company,title,location,email", 50},
		{"company queries", func(b *bytes.Buffer) error {
			return synth.WriteCompanyQueriesCSV(b, w.CompanyQueries(20, synth.QueryOptions{Seed: 1}))
		}, "id,name,industry,location,website,truth_id,noise", 20},
		{"member queries", func(b *bytes.Buffer) error {
			return synth.WriteMemberQueriesCSV(b, w.MemberQueries(20, synth.QueryOptions{Seed: 1}))
		}, "id,first_name,last_name,company,title,email,location,truth_id,noise", 20},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, tc.write(&buf))
			recs, err := csv.NewReader(&buf).ReadAll()
			require.NoError(t, err)
			require.Len(t, recs, tc.rows+1)
			assert.Equal(t, tc.header, strings.Join(recs[0], ","))
		})
	}
	var buf bytes.Buffer
	require.NoError(t, synth.WriteCompaniesCSV(&buf, w.Companies()[:1]))
	c := w.Companies()[0]
	recs, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, []string{c.ID, c.Name, c.Industry, c.Location, c.Website}, recs[1])
}

func itoa(i int) string {
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		synth.New(synth.Options{Seed: 1, Companies: 10000, Members: 10000})
	}
}
