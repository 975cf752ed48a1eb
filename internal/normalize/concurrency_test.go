package normalize

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestConcurrentUse runs every normaliser from several goroutines at once
// and checks they agree with a sequential run; under -race it also checks
// that the lazily built tables are shared safely.
func TestConcurrentUse(t *testing.T) {
	inputs := []string{"Bob O'Brien", "Acme GmbH & Co. KG", "Sr. VP Sales", "jane+x@acme.co.uk",
		"https://www.acme.com/", "München, Deutschland", "Иван Петров", "ООО Ромашка"}
	type result struct {
		fold    string
		company CompanyName
		person  PersonName
		roots   []string
		title   string
		email   Email
		domain  string
		loc     Location
	}
	run := func(s string) result {
		e, _ := ParseEmail(s)
		d, _ := Domain(s)
		return result{Fold(s), Company(s), Person(s, ""), NicknameRoots(s), Title(s), e, d, ParseLocation(s)}
	}
	want := make([]result, len(inputs))
	for i, s := range inputs {
		want[i] = run(s)
	}
	var wg sync.WaitGroup
	got := make([][]result, 8)
	for g := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, s := range inputs {
				got[g] = append(got[g], run(s))
			}
		}()
	}
	wg.Wait()
	for g := range got {
		assert.Equal(t, want, got[g], "goroutine %d", g)
	}
}
