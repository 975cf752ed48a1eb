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
		{"suffix jr", "Martin", "Luther King, Jr.", PersonName{First: "martin", Last: "luther king"}},
		{"suffix jr no comma", "Sammy", "Davis Jr.", PersonName{First: "sammy", Last: "davis"}},
		{"suffix iii", "Thurston", "Howell III", PersonName{First: "thurston", Last: "howell"}},
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
