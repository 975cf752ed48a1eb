package memdir_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

// candidateIDs returns the IDs of d's five best candidates for the company
// name q.
func candidateIDs(t *testing.T, d *memdir.Dir, q string) []string {
	t.Helper()
	p, err := matcher.NewCompanyQuery(matcher.CompanyQuery{Name: q})
	require.NoError(t, err)
	got, err := d.Candidates(context.Background(), p, 5, nil)
	require.NoError(t, err)
	var ids []string
	for _, e := range got {
		ids = append(ids, e.Ref.ID)
	}
	return ids
}

// TestVocabularyFindsTypos checks that a directory with a vocabulary finds
// entities through words with two typos, joined and split words, among
// many companies sharing the other words.
func TestVocabularyFindsTypos(t *testing.T) {
	d := memdir.New(memdir.WithVocabulary())
	require.NoError(t, d.AddCompany(matcher.Company{ID: "t1", Name: "Keystone Harbor Logistics"}))
	require.NoError(t, d.AddCompany(matcher.Company{ID: "t2", Name: "Data Dog Systems"}))
	require.NoError(t, d.AddCompany(matcher.Company{ID: "t3", Name: "Crystalgrove Cloud"}))
	require.NoError(t, d.AddCompany(matcher.Company{ID: "t6", Name: "Crystal Grove Logistics"}))
	for i := range 200 {
		require.NoError(t, d.AddCompany(matcher.Company{ID: fmt.Sprintf("f%03d", i), Name: fmt.Sprintf("Harbor Logistics Systems Cloud %c%c", 'a'+i%26, 'a'+i/26)}))
	}
	for _, tc := range []struct{ name, q, want string }{
		{"two typos in the rarest word", "Harbor Kyestoen Logistics", "t1"},
		{"joined words", "DataDog Systems", "t2"},
		{"split word with a typo", "Crys Talgrve Cloud", "t3"},
		{"the first two words joined, with a typo", "Crystlgrove Logistics", "t6"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ids := candidateIDs(t, d, tc.q)
			require.Contains(t, ids, tc.want, "Candidates(%q) = %v", tc.q, ids)
		})
	}
}

// TestVocabularyFindsShortWords checks, among companies that share every
// other word of the query and were added first (they win ties), that a
// word of six letters is found two edits away, a short form joined to a
// word with a typo as the long word and the word, and a word split in two
// long parts as the word.
func TestVocabularyFindsShortWords(t *testing.T) {
	d := memdir.New(memdir.WithVocabulary())
	for i := range 100 {
		require.NoError(t, d.AddCompany(matcher.Company{ID: fmt.Sprintf("f%03d", i), Name: fmt.Sprintf("Harbor Cloud E%c%c", 'a'+i%26, 'a'+i/26)}))
		require.NoError(t, d.AddCompany(matcher.Company{ID: fmt.Sprintf("g%03d", i), Name: fmt.Sprintf("Brothers %c%c", 'a'+i%26, 'a'+i/26)}))
	}
	require.NoError(t, d.AddCompany(matcher.Company{ID: "t1", Name: "Harbor Cloud Exseics"}))
	require.NoError(t, d.AddCompany(matcher.Company{ID: "t2", Name: "Vaslanby Brothers"}))
	require.NoError(t, d.AddCompany(matcher.Company{ID: "t3", Name: "Quinwalcombe Brothers"}))
	for _, tc := range []struct{ name, q, want string }{
		{"two typos in a word of six letters", "Harbor Cloud Exsesc", "t1"},
		{"a short form joined to a word with a typo", "CaslanbyBros", "t2"},
		{"a word split in two long parts, one with a typo", "Quonwal combe Brothers", "t3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ids := candidateIDs(t, d, tc.q)
			require.Contains(t, ids, tc.want, "Candidates(%q) = %v", tc.q, ids)
		})
	}
}

// TestNearCount checks that a word the directory does not hold counts as
// the words one edit away together, and that no count is known without
// the vocabulary, for a word with none one edit away, or for a short word.
func TestNearCount(t *testing.T) {
	ctx := context.Background()
	on, off := memdir.New(memdir.WithVocabulary()), memdir.New()
	for _, d := range []*memdir.Dir{on, off} {
		for i := range 30 {
			require.NoError(t, d.AddCompany(matcher.Company{ID: fmt.Sprintf("h%02d", i), Name: fmt.Sprintf("Harbor%c%c Holdings", 'a'+i%26, 'a'+i/26)}))
		}
		for i := range 5 {
			require.NoError(t, d.AddCompany(matcher.Company{ID: fmt.Sprintf("g%02d", i), Name: fmt.Sprintf("Harbor%c%c Holding", 'a'+i%26, 'a'+i/26)}))
		}
	}
	term := func(s string) matcher.Term {
		q, err := matcher.NewCompanyQuery(matcher.CompanyQuery{Name: s})
		require.NoError(t, err)
		terms := q.Terms(nil)
		require.Len(t, terms, 1)
		return terms[0]
	}
	for _, tc := range []struct {
		word string
		n    int
		ok   bool
	}{
		{"Holdinsg", 35, true}, // holdings (30) and holding (5)
		{"Holdin", 5, true},    // holding only
		{"Zyxwvut", 0, false},
		{"Hld", 0, false},
	} {
		n, ok := on.NearCount(ctx, term(tc.word))
		require.Equal(t, tc.ok, ok, tc.word)
		require.Equal(t, tc.n, n, tc.word)
		_, ok = off.NearCount(ctx, term(tc.word))
		require.False(t, ok, tc.word)
	}
}

// TestVocabularyCompletesCutLists checks that, with the vocabulary, the
// lists the posting budget cuts still count for the entities the budget
// found: of the companies holding the query's rarest word, the one that
// also holds its two common words is among the candidates, where without
// the vocabulary the budget is spent before the common words and leaves
// it tied with the others (added first, they win the ties).
func TestVocabularyCompletesCutLists(t *testing.T) {
	on := memdir.New(memdir.WithVocabulary(), memdir.WithPostingBudget(30))
	off := memdir.New(memdir.WithPostingBudget(30))
	for _, d := range []*memdir.Dir{on, off} {
		for i := range 60 {
			s := fmt.Sprintf("%c%c", 'a'+i%26, 'a'+i/26)
			if i < 15 {
				require.NoError(t, d.AddCompany(matcher.Company{ID: "s" + s, Name: "Systems Q" + s}))
			}
			require.NoError(t, d.AddCompany(matcher.Company{ID: "h" + s, Name: "Harbor Cloud Q" + s}))
		}
		require.NoError(t, d.AddCompany(matcher.Company{ID: "t1", Name: "Systems Harbor Cloud Qzz"}))
	}
	const q = "Cloud Harbor Systems"
	require.NotContains(t, candidateIDs(t, off, q), "t1")
	ids := candidateIDs(t, on, q)
	require.Contains(t, ids, "t1", "Candidates(%q) = %v", q, ids)
}

// TestVocabularyFindsTyposInTwoWords checks that a name whose first two
// words both have a typo is found through the joining of the words one
// edit from each, when the posting budget leaves out most of the many
// companies holding either word.
func TestVocabularyFindsTyposInTwoWords(t *testing.T) {
	d := memdir.New(memdir.WithVocabulary(), memdir.WithPostingBudget(100))
	for i := range 300 {
		require.NoError(t, d.AddCompany(matcher.Company{ID: fmt.Sprintf("f%03d", i), Name: fmt.Sprintf("Garcia Ex%c%c", 'a'+i%26, 'a'+i/26)}))
		require.NoError(t, d.AddCompany(matcher.Company{ID: fmt.Sprintf("g%03d", i), Name: fmt.Sprintf("Ex%c%c Foods", 'a'+i%26, 'a'+i/26)}))
	}
	require.NoError(t, d.AddCompany(matcher.Company{ID: "t1", Name: "Garcia Foods Trading"}))
	q := "Gaarcia Fodos"
	ids := candidateIDs(t, d, q)
	require.Contains(t, ids, "t1", "Candidates(%q) = %v", q, ids)
}

// TestVocabularyFindsTwoTyposHoldingAWord checks that a word with two
// typos that holds a known word ("bauer") is still looked up two edits
// away, among many companies holding the known word.
func TestVocabularyFindsTwoTyposHoldingAWord(t *testing.T) {
	d := memdir.New(memdir.WithVocabulary())
	for i := range 100 {
		require.NoError(t, d.AddCompany(matcher.Company{ID: fmt.Sprintf("f%03d", i), Name: fmt.Sprintf("Bauer Ex%c%c", 'a'+i%26, 'a'+i/26)}))
	}
	require.NoError(t, d.AddCompany(matcher.Company{ID: "t1", Name: "Rosnelbauer"}))
	q := "Tosnlbauer"
	ids := candidateIDs(t, d, q)
	require.Contains(t, ids, "t1", "Candidates(%q) = %v", q, ids)
}

// TestCamelCaseCandidates checks, among many companies sharing the other
// words, that a name written in camel case is found from the same name in
// capitals with a typo in the joined word (without a vocabulary, through
// the keys of the name as written), and, with a vocabulary, from a query
// that writes it in camel case with two typos across the joint.
func TestCamelCaseCandidates(t *testing.T) {
	for _, vocab := range []bool{false, true} {
		var opts []memdir.Option
		if vocab {
			opts = append(opts, memdir.WithVocabulary())
		}
		d := memdir.New(opts...)
		require.NoError(t, d.AddCompany(matcher.Company{ID: "t1", Name: "UnitedPath Media B.V."}))
		require.NoError(t, d.AddCompany(matcher.Company{ID: "t2", Name: "RiverStar Capital"}))
		for i := range 200 {
			require.NoError(t, d.AddCompany(matcher.Company{ID: fmt.Sprintf("f%03d", i), Name: fmt.Sprintf("Media Capital River %c%c", 'a'+i%26, 'a'+i/26)}))
		}
		cases := []struct{ q, want string }{{"UNIREDPATH MEDIA", "t1"}}
		if vocab {
			cases = append(cases, struct{ q, want string }{"RiverAtarr Capital", "t2"})
		}
		for _, tc := range cases {
			ids := candidateIDs(t, d, tc.q)
			require.Contains(t, ids, tc.want, "vocabulary %v: Candidates(%q) = %v", vocab, tc.q, ids)
		}
	}
}

// TestVocabularyFindsSplitWordWithTypo checks that a one-word name typed
// in two parts with a typo ("Teor Iomu" for Teorioum), whose joining is
// one edit from the name, is found among many names that hold a word one
// edit from the first part ("Teora …"): the joining stands for both
// query words and weighs as much, where each of those names meets only
// the first part, through its near word and its deletions.
func TestVocabularyFindsSplitWordWithTypo(t *testing.T) {
	d := memdir.New(memdir.WithVocabulary())
	forms := []string{"", " SA", " Ltd.", " GmbH", " Inc.", " ASA", " Corp.", " LLC"}
	for i := range 40 {
		require.NoError(t, d.AddCompany(matcher.Company{ID: fmt.Sprintf("f%03d", i), Name: fmt.Sprintf("Teora%s", forms[i%len(forms)])}))
		require.NoError(t, d.AddCompany(matcher.Company{ID: fmt.Sprintf("g%03d", i), Name: fmt.Sprintf("Teor Ex%c%c", 'a'+i%26, 'a'+i/26)}))
	}
	addOthers(t, d, 2000)
	require.NoError(t, d.AddCompany(matcher.Company{ID: "t1", Name: "Teorioum"}))
	q := "Teor Iomu"
	ids := candidateIDs(t, d, q)
	require.Contains(t, ids, "t1", "Candidates(%q) = %v", q, ids)
}

// TestVocabularyKeepsRareNeighbours checks that a word with more
// neighbours one edit away than are kept of a common word's finds them all
// when together they are rare: a made-up name's typo ("Seteium") is no
// nearer the name it was made in (Zeteium) than the made-up names around
// it are, and the walk meets these first (setaium, setbium, ...). The
// rescoring by name, not the walk's order, is to tell them apart. Among
// two thousand other names, as in a large directory, the names the walk
// keeps outweigh the one that shares no more than a deletion ("eteium")
// with the query; in a directory of the sixty-one alone they do not.
func TestVocabularyKeepsRareNeighbours(t *testing.T) {
	d := memdir.New(memdir.WithVocabulary())
	for c := 'a'; c < 'a'+13; c++ {
		if c == 'e' {
			continue
		}
		for i := range 5 {
			require.NoError(t, d.AddCompany(matcher.Company{ID: fmt.Sprintf("n%c%d", c, i), Name: fmt.Sprintf("Set%cium", c)}))
		}
	}
	require.NoError(t, d.AddCompany(matcher.Company{ID: "truth", Name: "Zeteium"}))
	addOthers(t, d, 2000)
	p, err := matcher.NewCompanyQuery(matcher.CompanyQuery{Name: "Seteium"})
	require.NoError(t, err)
	got, err := d.Candidates(context.Background(), p, 40, nil)
	require.NoError(t, err)
	var ids []string
	for _, e := range got {
		ids = append(ids, e.Ref.ID)
	}
	require.Contains(t, ids, "truth")
}

// TestVocabularyFindsTwoTyposNearAnotherName checks that a one-word name
// with two typos is looked up two edits away even though a word one edit
// away exists, when that word is rare: a made-up name with two typos is
// often one edit from another made-up name ("Garhoson" is one edit from
// Garholson, two from Garhalson).
func TestVocabularyFindsTwoTyposNearAnotherName(t *testing.T) {
	d := memdir.New(memdir.WithVocabulary())
	require.NoError(t, d.AddCompany(matcher.Company{ID: "near", Name: "Garholson"}))
	require.NoError(t, d.AddCompany(matcher.Company{ID: "truth", Name: "Garhalson"}))
	q := "Garhoson"
	ids := candidateIDs(t, d, q)
	require.Contains(t, ids, "truth", "Candidates(%q) = %v", q, ids)
}

// TestVocabularyFindsTypoBeforeJoinedWords checks that a typo in a name's
// first word, its next two words joined ("Rvier Mountainairlines" for
// River Mountain Airlines), finds the name through the joining of its
// first two words ("rivermountain"), among many names that hold each of
// its words.
func TestVocabularyFindsTypoBeforeJoinedWords(t *testing.T) {
	d := memdir.New(memdir.WithVocabulary())
	for i := range 300 {
		suffix := letters(i)
		for j, w := range []string{"River", "Mountain", "Airlines"} {
			require.NoError(t, d.AddCompany(matcher.Company{ID: fmt.Sprintf("o%d%03d", j, i), Name: fmt.Sprintf("%s Zo%s", w, suffix)}))
		}
		require.NoError(t, d.AddCompany(matcher.Company{ID: fmt.Sprintf("p%03d", i), Name: fmt.Sprintf("Mountain Airlines Ex%s", suffix)}))
	}
	require.NoError(t, d.AddCompany(matcher.Company{ID: "truth", Name: "River Mountain Airlines LLC"}))
	q := "Rvier Mountainairlines"
	ids := candidateIDs(t, d, q)
	require.Contains(t, ids, "truth", "Candidates(%q) = %v", q, ids)
}

// addOthers adds n companies named "Other Ex" and letters that tell them
// apart, which share no word with the names a test looks for.
func addOthers(t *testing.T, d *memdir.Dir, n int) {
	t.Helper()
	for i := range n {
		require.NoError(t, d.AddCompany(matcher.Company{ID: fmt.Sprintf("h%04d", i), Name: "Other Ex" + letters(i)}))
	}
}

// letters returns three letters that tell i apart from other numbers
// below 26³.
func letters(i int) string {
	return fmt.Sprintf("%c%c%c", 'a'+i%26, 'a'+i/26%26, 'a'+i/676)
}
