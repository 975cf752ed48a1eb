package synth

import (
	"slices"
	"strings"
	"testing"
)

func TestHardCompanyQueries(t *testing.T) {
	w := New(Options{Seed: 3, Companies: 5000})
	qs := w.HardCompanyQueries(2000, QueryOptions{Seed: 4})
	if len(qs) != 2000 {
		t.Fatalf("HardCompanyQueries(2000) gave %d queries", len(qs))
	}
	again := w.HardCompanyQueries(2000, QueryOptions{Seed: 4})
	byID := map[string]Company{}
	for _, c := range w.Companies() {
		byID[c.ID] = c
	}
	tags := map[string]int{}
	changed, undone := 0, 0
	for i, q := range qs {
		if q.Name != again[i].Name || q.TruthID != again[i].TruthID {
			t.Fatalf("query %d differs between runs: %q and %q", i, q.Name, again[i].Name)
		}
		c, ok := byID[q.TruthID]
		if !ok {
			t.Fatalf("query %s: truth %q not in the directory", q.ID, q.TruthID)
		}
		if strings.TrimSpace(q.Name) == "" {
			t.Fatalf("query %s: empty name", q.ID)
		}
		if q.Name != c.Name {
			changed++
		}
		for _, n := range q.Noise {
			tags[n]++
		}
		if slices.Contains(q.Noise, "name:typo") && q.Name == c.Name {
			undone++ // a second typo may undo the first
		}
	}
	for _, tag := range []string{"name:typo", "name:abbrev", "legal:drop", "legal:variant", "legal:add",
		"name:join", "name:split", "name:part", "name:extra", "case:upper", "case:lower", "space:double"} {
		if tags[tag] == 0 {
			t.Errorf("no query has %s (tags %v)", tag, tags)
		}
	}
	if undone > len(qs)/100 {
		t.Errorf("%d names with a typo are unchanged", undone)
	}
	if changed < len(qs)*8/10 {
		t.Errorf("%d of %d names changed, want most", changed, len(qs))
	}
}
