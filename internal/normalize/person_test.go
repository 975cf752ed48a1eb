package normalize

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPerson(t *testing.T) {
	tests := []struct {
		name        string
		first, last string
		want        PersonName
	}{
		{"plain", "John", "Smith", PersonName{First: "john", Last: "smith"}},
		{"upper case", "JOHN", "SMITH", PersonName{First: "john", Last: "smith"}},
		{"accents", "José", "Muñoz", PersonName{First: "jose", Last: "munoz"}},
		{"cyrillic", "Иван", "Петров", PersonName{First: "ivan", Last: "petrov"}},
		{"cyrillic whole name", "Иван Петров", "", PersonName{First: "ivan", Last: "petrov"}},
		{"greek", "Γιώργος", "Παπαδόπουλος", PersonName{First: "giorgos", Last: "papadopoulos"}},
		{"last comma first", "Smith, John", "", PersonName{First: "john", Last: "smith"}},
		{"last comma first in last field", "", "Smith, John A.", PersonName{First: "john", Middle: "a", Last: "smith"}},
		{"whole name in first", "John Smith", "", PersonName{First: "john", Last: "smith"}},
		{"whole name in last", "", "John Smith", PersonName{First: "john", Last: "smith"}},
		{"initial then middle", "J. Robert Smith", "", PersonName{First: "j", Middle: "robert", Last: "smith"}},
		{"middle name in first", "John Paul", "Jones", PersonName{First: "john", Middle: "paul", Last: "jones"}},
		{"initial", "J.", "Smith", PersonName{First: "j", Last: "smith"}},
		{"honorific", "Dr. Jane", "Doe", PersonName{First: "jane", Last: "doe"}},
		{"several honorifics", "Prof. Dr. Hans", "Müller", PersonName{First: "hans", Last: "muller"}},
		{"german honorific", "Frau Anna", "Schmidt", PersonName{First: "anna", Last: "schmidt"}},
		{"sir", "Sir Elton", "John", PersonName{First: "elton", Last: "john"}},
		{"suffix jr", "Martin", "Luther King, Jr.", PersonName{First: "martin", Last: "luther king", Suffix: "jr"}},
		{"suffix jr no comma", "Sammy", "Davis Jr.", PersonName{First: "sammy", Last: "davis", Suffix: "jr"}},
		{"suffix iii", "Thurston", "Howell III", PersonName{First: "thurston", Last: "howell", Suffix: "iii"}},
		{"saint written out", "John", "Saint John", PersonName{First: "john", Last: "st john"}},
		{"saint abbreviated", "John", "St. John", PersonName{First: "john", Last: "st john"}},
		{"sainte hyphened", "Marie", "Sainte-Marie", PersonName{First: "marie", Last: "ste marie"}},
		{"saint alone", "Eva Marie", "Saint", PersonName{First: "eva", Middle: "marie", Last: "saint"}},
		{"credential with full stops", "John", "Smith, M.D.", PersonName{First: "john", Last: "smith"}},
		{"credentials and a generation", "John", "Smith, Jr., Ph.D.", PersonName{First: "john", Last: "smith", Suffix: "jr"}},
		{"initials are no credential", "J. D.", "Salinger", PersonName{First: "j", Middle: "d", Last: "salinger"}},
		{"department in brackets", "John", "Smith (Sales)", PersonName{First: "john", Last: "smith"}},
		{"status in brackets", "John", "SMITH [DO NOT USE]", PersonName{First: "john", Last: "smith"}},
		{"former name in brackets", "Anna", "Smith (née Jones)", PersonName{First: "anna", Last: "smith"}},
		{"brackets only", "John", "(Sales)", PersonName{First: "john", Last: "sales"}},
		{"doctorate field", "Dr. med. Anna", "Schmidt", PersonName{First: "anna", Last: "schmidt"}},
		{"doctor named like a field", "Dr. Phil", "McGraw", PersonName{First: "phil", Last: "mcgraw"}},
		{"unknown last name", "Ann", "Unknown", PersonName{First: "ann"}},
		{"last name not provided", "Ann", "[not provided]", PersonName{First: "ann"}},
		{"first name n/a", "N/A", "Lee", PersonName{Last: "lee"}},
		{"na is a surname", "Ann", "Na", PersonName{First: "ann", Last: "na"}},
		{"degree", "Jane", "Doe, PhD", PersonName{First: "jane", Last: "doe"}},
		{"degrees whole name", "Dr. Jane Doe MD PhD", "", PersonName{First: "jane", Last: "doe"}},
		{"apostrophe", "Sean", "O'Brien", PersonName{First: "sean", Last: "obrien"}},
		{"o separated", "Sean", "O Brien", PersonName{First: "sean", Last: "obrien"}},
		{"mc separated", "Ronald", "Mc Donald", PersonName{First: "ronald", Last: "mcdonald"}},
		{"mac separated", "Angus", "Mac Donald", PersonName{First: "angus", Last: "macdonald"}},
		{"mcdonald", "Ronald", "McDonald", PersonName{First: "ronald", Last: "mcdonald"}},
		{"particles", "Maria", "de la Cruz", PersonName{First: "maria", Last: "de la cruz"}},
		{"particles whole name", "Ludwig van der Berg", "", PersonName{First: "ludwig", Last: "van der berg"}},
		{"particle von", "Ursula von der Leyen", "", PersonName{First: "ursula", Last: "von der leyen"}},
		{"hyphenated surname", "Anna", "Smith-Jones", PersonName{First: "anna", Last: "smith jones"}},
		{"double surname", "Gabriel", "García López", PersonName{First: "gabriel", Last: "garcia lopez"}},
		{"hyphenated first", "Jean-Pierre", "Dupont", PersonName{First: "jean", Middle: "pierre", Last: "dupont"}},
		{"given name don is not an honorific", "Don", "Draper", PersonName{First: "don", Last: "draper"}},
		{"surname ma is not a degree", "Jack", "Ma", PersonName{First: "jack", Last: "ma"}},
		{"honorific alone is kept", "Dr", "", PersonName{First: "dr"}},
		{"honorific as first name", "Mr.", "Smith", PersonName{Last: "smith"}},
		{"empty", "", "", PersonName{}},
		{"punctuation only", "--", ".", PersonName{}},
		{"turkish", "İbrahim", "Işık", PersonName{First: "ibrahim", Last: "isik"}},
		{"full width", "Ｊｏｈｎ", "Ｓｍｉｔｈ", PersonName{First: "john", Last: "smith"}},
		{"last comma first across fields", "Alexopoulos,", "Nastassia", PersonName{First: "nastassia", Last: "alexopoulos"}},
		{"last comma first across fields with middle", "Charney ,", "Peggie A.", PersonName{First: "peggie", Middle: "a", Last: "charney"}},
		{"trailing comma in last field", "John", "Smith,", PersonName{First: "john", Last: "smith"}},
		{"comma before suffix is no inversion", "", "Smith, Jr.", PersonName{Last: "smith", Suffix: "jr"}},
		{"suffix 2nd", "John", "Smith 2nd", PersonName{First: "john", Last: "smith", Suffix: "ii"}},
		{"suffix sr and degree", "Robert", "Smith Sr. MD", PersonName{First: "robert", Last: "smith", Suffix: "sr"}},
		{"suffix in whole name", "Robert Smith Jr", "", PersonName{First: "robert", Last: "smith", Suffix: "jr"}},
		{"honorific mrs", "Mrs. Susan", "Mooney", PersonName{First: "susan", Last: "mooney"}},
		{"honorific ms whole name", "", "Ms Jane Doe", PersonName{First: "jane", Last: "doe"}},
		{"honorific mme", "Mme Hélène", "Girard", PersonName{First: "helene", Last: "girard"}},
		{"honorific herr", "Herr Jürgen", "Klopp", PersonName{First: "jurgen", Last: "klopp"}},
		{"initials with dots", "J. R.", "Tolkien", PersonName{First: "j", Middle: "r", Last: "tolkien"}},
		{"initials without dots", "JR", "Tolkien", PersonName{First: "j", Middle: "r", Last: "tolkien"}},
		{"three initials", "JRR", "Tolkien", PersonName{First: "j", Middle: "r r", Last: "tolkien"}},
		{"two letters with a vowel are a name", "Al", "Gore", PersonName{First: "al", Last: "gore"}},
		{"consonants in lower case are a typo, not initials", "msx", "morrison", PersonName{First: "msx", Last: "morrison"}},
		{"middle initial in last field", "John", "R. Smith", PersonName{First: "john", Middle: "r", Last: "smith"}},
		{"surname repeated", "John Smith", "Smith", PersonName{First: "john", Last: "smith"}},
		{"chinese whole name family first", "", "王秀英", PersonName{First: "xiuying", Last: "wang"}},
		{"chinese in two fields", "伟", "王", PersonName{First: "wei", Last: "wang"}},
		{"korean whole name", "김민수", "", PersonName{First: "minsu", Last: "gim"}},
		{"japanese kana", "タロウ", "ヤマダ", PersonName{First: "tarou", Last: "yamada"}},
		{"arabic", "محمد", "عباس", PersonName{First: "mhmd", Last: "bs"}},
		{"hebrew", "משה", "כהן", PersonName{First: "mshh", Last: "khn"}},
		{"devanagari", "मोहन", "दास", PersonName{First: "mohn", Last: "daas"}},
		{"thai", "สมชาย", "ใจดี", PersonName{First: "smchaay", Last: "aicchdii"}},
		{"khmer", "តារា", "គឹម", PersonName{First: "taaraa", Last: "gym"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Person(tc.first, tc.last)
			assert.Equal(t, tc.want, got, "Person(%q, %q)", tc.first, tc.last)
		})
	}
}

func TestPersonNameFull(t *testing.T) {
	assert.Equal(t, "john paul jones", PersonName{First: "john", Middle: "paul", Last: "jones"}.Full())
	assert.Equal(t, "john jones", PersonName{First: "john", Last: "jones"}.Full())
	assert.Equal(t, "", PersonName{}.Full())
}

func TestNicknameRoots(t *testing.T) {
	tests := []struct {
		in       string
		contains []string
		exact    []string
	}{
		{in: "Bob", contains: []string{"bob", "robert"}},
		{in: "Robert", exact: []string{"robert"}},
		{in: "BILL", contains: []string{"bill", "william"}},
		{in: "Liz", contains: []string{"liz", "elizabeth"}},
		{in: "Peggy", contains: []string{"peggy", "margaret"}},
		{in: "Zyxwv", exact: []string{"zyxwv"}},
		{in: "", exact: nil},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got := NicknameRoots(tc.in)
			if tc.contains != nil {
				assert.Subset(t, got, tc.contains, "NicknameRoots(%q)", tc.in)
				assert.Equal(t, tc.contains[0], got[0], "NicknameRoots(%q)[0] must be the name itself", tc.in)
				return
			}
			assert.Equal(t, tc.exact, got, "NicknameRoots(%q)", tc.in)
		})
	}
}

func TestNicknameRootsResultIsACopy(t *testing.T) {
	a := NicknameRoots("bob")
	a[1] = "mutated"
	assert.NotContains(t, NicknameRoots("bob"), "mutated")
}

func TestIsNickname(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"bob", "robert", true},
		{"Robert", "Bob", true},
		{"bob", "rob", true},   // shared root robert
		{"bill", "will", true}, // shared root william
		{"liz", "beth", true},  // shared root elizabeth
		{"peggy", "margaret", true},
		{"john", "john", true},
		{"JOHN", "john", true},
		{"john", "robert", false},
		{"maria", "mary", true}, // the table lists mary as a nickname of maria
		{"michael", "david", false},
		{"", "", false},
		{"bob", "", false},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, IsNickname(tc.a, tc.b), "IsNickname(%q, %q)", tc.a, tc.b)
	}
}
