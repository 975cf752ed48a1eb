package normalize

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIsNicknameInternational checks pairs the supplementary table
// (data/nicknames_intl.csv) adds, in both directions, and pairs it must not
// create.
func TestIsNicknameInternational(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		// One name spelt two ways.
		{"Steven", "Stephen", true},
		{"Jeffrey", "Geoffrey", true},
		{"Mohamed", "Muhammad", true},
		{"Mohammed", "Mohamed", true}, // shared root muhammad
		{"Shawn", "Sean", true},
		{"Kathryn", "Katherine", true},
		{"Kaitlyn", "Caitlin", true},
		{"Erik", "Eric", true},
		// Spanish diminutives.
		{"Paco", "Francisco", true},
		{"Pancho", "Francisco", true},
		{"Pepe", "José", true},
		{"Chema", "Jose", true},
		{"Lupita", "Guadalupe", true},
		{"Lupe", "Lupita", true}, // shared root guadalupe
		{"Nacho", "Ignacio", true},
		{"Concha", "Concepción", true},
		{"Charo", "Rosario", true},
		{"Lola", "Dolores", true},
		{"Pili", "Pilar", true},
		{"Quique", "Enrique", true},
		{"Chus", "Jesús", true},
		{"Memo", "Guillermo", true},
		{"Beto", "Alberto", true},
		{"Beto", "Roberto", true},
		{"Toño", "Antonio", true},
		{"Alex", "Alejandro", true},
		// Portuguese / Brazilian.
		{"Zé", "José", true},
		{"Tião", "Sebastião", true},
		// Italian.
		{"Beppe", "Giuseppe", true},
		{"Pino", "Giuseppe", true},
		{"Gigi", "Luigi", true},
		{"Franco", "Francesco", true},
		{"Sandro", "Alessandro", true},
		{"Nino", "Antonino", true},
		{"Gianni", "Giovanni", true},
		// French.
		{"Manu", "Emmanuel", true},
		{"Margot", "Marguerite", true},
		// German.
		{"Sepp", "Josef", true},
		{"Hansi", "Johannes", true},
		{"Uschi", "Ursula", true},
		{"Steffi", "Stefanie", true},
		{"Jörg", "Georg", true},
		{"Joerg", "Georg", true},
		{"Bine", "Sabine", true},
		// Dutch and Scandinavian.
		{"Henk", "Hendrik", true},
		{"Kees", "Cornelis", true},
		{"Lasse", "Lars", true},
		{"Stina", "Kristina", true},
		// Polish.
		{"Kasia", "Katarzyna", true},
		{"Gosia", "Małgorzata", true},
		{"Bartek", "Bartłomiej", true},
		{"Kuba", "Jakub", true},
		// Russian / Ukrainian, romanised and in Cyrillic.
		{"Sasha", "Alexander", true},
		{"Sasha", "Aleksandr", true},
		{"Sasha", "Alexandra", true},
		{"Саша", "Александр", true},
		{"Dima", "Dmitry", true},
		{"Dima", "Dmytro", true},
		{"Misha", "Mikhail", true},
		{"Kolya", "Mykola", true},
		{"Volodya", "Volodymyr", true},
		{"Vova", "Vladimir", true},
		{"Seryozha", "Sergey", true},
		{"Zhenya", "Evgeny", true},
		{"Zhenya", "Yevgenia", true},
		{"Lyosha", "Alexei", true},
		{"Natasha", "Natalia", true},
		{"Masha", "Maria", true},
		{"Katya", "Ekaterina", true},
		{"Olya", "Olga", true},
		{"Tanya", "Tetiana", true},
		{"Sveta", "Svetlana", true},
		{"Lena", "Elena", true},
		{"Yulia", "Julia", true},
		// Greek.
		{"Giannis", "Ioannis", true},
		{"Kostas", "Konstantinos", true},
		{"Γιώργος", "Georgios", true},
		// Cross-language forms of one name.
		{"Alejandro", "Alexander", true},
		{"Alejandro", "Aleksandr", true}, // shared root alexander
		{"Alessandro", "Alexandre", true},
		{"Giuseppe", "Joseph", true},
		{"José", "Giuseppe", true},
		{"Guillermo", "William", true},
		{"Guillaume", "Wilhelm", true},
		{"Juan", "John", true},
		{"Johann", "Giovanni", true},
		{"Ivan", "Juan", true},
		{"Francisco", "Frank", true}, // shared root francis
		{"Miguel", "Michael", true},
		{"Pierre", "Pedro", true},
		{"Jorge", "George", true},
		{"Enrique", "Henry", true},
		{"Catalina", "Catherine", true},
		{"Eleni", "Helen", true},
		// Deliberately not linked.
		{"Maria", "Mario", false},
		{"Jean", "John", false},
		{"Jean", "Juan", false},
		{"Alberto", "Roberto", false}, // both have the nickname beto
		{"Paco", "Pepe", false},
		{"Sasha", "Dima", false},
		{"Giuseppe", "Giovanni", false},
		{"Luigi", "Louise", false},
		{"Andrea", "Andreas", false}, // Andrea is a woman's name outside Italy
		{"Nicola", "Nikolai", false}, // likewise
		{"Ola", "Aleksandra", false}, // Ola is also a Scandinavian man's name
		{"Ira", "Irina", false},      // Ira is also an English man's name
		{"Isa", "Isabel", false},     // Isa is also an Arabic man's name
		{"Beppe", "Joseph", false},   // not transitive: beppe → giuseppe → joseph
		{"Paco", "Francis", false},
	}
	for _, tc := range tests {
		t.Run(tc.a+"/"+tc.b, func(t *testing.T) {
			assert.Equal(t, tc.want, IsNickname(tc.a, tc.b), "IsNickname(%q, %q)", tc.a, tc.b)
			assert.Equal(t, tc.want, IsNickname(tc.b, tc.a), "IsNickname(%q, %q)", tc.b, tc.a)
		})
	}
}

func TestNicknameRootsInternational(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Paco", []string{"paco", "francisco"}},
		{"Lupita", []string{"lupita", "guadalupe"}},
		{"Beto", []string{"beto", "alberto", "gilberto", "humberto", "norberto", "roberto"}},
		{"Alejandro", []string{"alejandro", "alexander"}},
		{"Jörg", []string{"jorg", "georg"}},
		{"Francisco", []string{"francisco", "francis"}},
		{"Mario", []string{"mario"}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			assert.Equal(t, tc.want, NicknameRoots(tc.in))
		})
	}
	// Roots the English table gives are kept.
	assert.Subset(t, NicknameRoots("Alex"), []string{"alex", "aleksandr", "alexander", "alexandra", "alexis", "alejandro"})
}

// TestNicknameIntlTable checks the shape of the supplementary table and that
// every row it holds takes effect.
func TestNicknameIntlTable(t *testing.T) {
	recs, err := csv.NewReader(strings.NewReader(nicknamesIntlCSV)).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, recs)
	require.Equal(t, []string{"name1", "relationship", "name2"}, recs[0])
	seen := make(map[[2]string]bool, len(recs))
	for i, rec := range recs[1:] {
		require.Len(t, rec, 3, "row %d", i+2)
		name, rel, nick := rec[0], rec[1], rec[2]
		assert.Equal(t, "has_nickname", rel, "row %d", i+2)
		assert.Equal(t, Fold(name), name, "row %d: name1 must be written folded", i+2)
		assert.Equal(t, Fold(nick), nick, "row %d: name2 must be written folded", i+2)
		assert.NotEqual(t, name, nick, "row %d links a name to itself", i+2)
		assert.False(t, seen[[2]string{name, nick}], "row %d repeats %s,%s", i+2, name, nick)
		assert.False(t, seen[[2]string{nick, name}], "row %d reverses an earlier row: %s,%s", i+2, name, nick)
		seen[[2]string{name, nick}] = true
		assert.Contains(t, NicknameRoots(nick), name, "row %d has no effect", i+2)
	}
}

// TestNicknameIndexNoCycles checks that no name is a root of its own root:
// "bob" has root "robert", so "robert" must not have root "bob".
func TestNicknameIndexNoCycles(t *testing.T) {
	idx := nicknameIndex()
	for nick, roots := range idx {
		for _, r := range roots {
			assert.NotContains(t, idx[r], nick, "%s and %s are each other's root", nick, r)
		}
	}
}

func TestParseNicknames(t *testing.T) {
	tests := []struct {
		name string
		data string
		want []nicknameEdge
	}{
		{"header only", "name1,relationship,name2\n", []nicknameEdge{}},
		{"empty", "", []nicknameEdge{}},
		{
			"folds and skips",
			"name1,relationship,name2\nJosé,has_nickname,Pepe\nx,other,y\nab,has_nickname,AB\n,has_nickname,z\n",
			[]nicknameEdge{{"jose", "pepe"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, parseNicknames("test.csv", tc.data))
		})
	}
	assert.PanicsWithValue(t,
		"normalize: embedded test.csv: record on line 2: wrong number of fields",
		func() { parseNicknames("test.csv", "a,b,c\nd,e\n") })
}
