package matcher_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

func fieldOf(c matcher.Candidate, field string) (matcher.FieldScore, bool) {
	for _, f := range c.Fields {
		if f.Field == field {
			return f, true
		}
	}
	return matcher.FieldScore{}, false
}

// TestAddressLevels checks that the parts of postal addresses are compared
// with graded levels, whatever their format.
func TestAddressLevels(t *testing.T) {
	dir := memdir.New()
	require.NoError(t, dir.AddMember(matcher.Member{ID: "m1", FirstName: "Dana", LastName: "Whitcombe",
		Location: "12 North Main Street, Springfield, IL 62701"}))
	require.NoError(t, dir.AddMember(matcher.Member{ID: "m2", FirstName: "Ilse", LastName: "Brandauer",
		Location: "Ansbacher Straße 23, 40213 Düsseldorf, Deutschland"}))
	require.NoError(t, dir.AddMember(matcher.Member{ID: "m3", FirstName: "Rory", LastName: "Tallis",
		Location: "Springfield, IL"}))
	eng, err := matcher.New(dir)
	require.NoError(t, err)
	tests := []struct {
		name, first, last, loc string
		want                   map[string]string // field → level; "" means not scored
	}{
		{"abbreviations", "Dana", "Whitcombe", "12 N. Main St, Springfield IL 62701",
			map[string]string{matcher.FieldStreet: matcher.LevelExact, matcher.FieldPostcode: matcher.LevelExact, matcher.FieldLocality: ""}},
		{"typo in street", "Dana", "Whitcombe", "12 N Mian St, Springfield, IL 62701",
			map[string]string{matcher.FieldStreet: matcher.LevelHigh, matcher.FieldPostcode: matcher.LevelExact}},
		{"no number, no postcode", "Dana", "Whitcombe", "Main Street, Springfeld, Illinois",
			map[string]string{matcher.FieldStreet: matcher.LevelMissing, matcher.FieldPostcode: "", matcher.FieldLocality: matcher.LevelHigh}},
		{"moved", "Dana", "Whitcombe", "400 Oak Ave, Chicago, IL 60601",
			map[string]string{matcher.FieldStreet: matcher.LevelDisagree, matcher.FieldPostcode: matcher.LevelDisagree, matcher.FieldLocality: matcher.LevelDisagree}},
		{"german in english order", "Ilse", "Brandauer", "23 Ansbacher Street, Dusseldorf 40213, Germany",
			map[string]string{matcher.FieldStreet: matcher.LevelExact, matcher.FieldPostcode: matcher.LevelExact}},
		{"the street line going on with a place", "Dana", "Whitcombe", "12 N Main St Springfield Plaza Mall, Springfield, IL",
			map[string]string{matcher.FieldStreet: matcher.LevelHigh}},
		{"street against a place", "Rory", "Tallis", "77 Elm St, Springfield, IL 62704",
			map[string]string{matcher.FieldStreet: "", matcher.FieldLocation: matcher.LevelExact}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := eng.MatchMember(t.Context(), matcher.MemberQuery{FirstName: tc.first, LastName: tc.last, Location: tc.loc})
			require.NoError(t, err)
			require.NotNil(t, res.Best)
			for field, want := range tc.want {
				f, ok := fieldOf(*res.Best, field)
				if want == "" {
					assert.False(t, ok, "%s of %q scored %+v, want not scored", field, tc.loc, f)
					continue
				}
				require.True(t, ok, "%s of %q not scored, want %s", field, tc.loc, want)
				assert.Equal(t, want, f.Level, "%s level of %q", field, tc.loc)
				if want == matcher.LevelExact || want == matcher.LevelHigh {
					if field == matcher.FieldPostcode {
						// The street agreeing leaves the postcode little to add.
						assert.GreaterOrEqual(t, f.Contribution, 0.0, "%s contribution of %q", field, tc.loc)
					} else {
						assert.Positive(t, f.Contribution, "%s contribution of %q", field, tc.loc)
					}
				}
				if want == matcher.LevelDisagree {
					assert.Negative(t, f.Contribution, "%s contribution of %q", field, tc.loc)
				}
			}
		})
	}
}

// TestAddressRetrieval checks that a record whose name changed but whose
// address agrees is a candidate, found through the address keys alone.
func TestAddressRetrieval(t *testing.T) {
	dir := memdir.New()
	require.NoError(t, dir.AddCompany(matcher.Company{ID: "c1", Name: "Facebook, Inc.",
		Location: "1 Hacker Way, Menlo Park, CA 94025"}))
	require.NoError(t, dir.AddCompany(matcher.Company{ID: "c2", Name: "Hacker Way Diner",
		Location: "Menlo Park, CA"}))
	require.NoError(t, dir.AddMember(matcher.Member{ID: "m1", FirstName: "Aiko", LastName: "Tanabe",
		Location: "Flat 2, 10 Downing St, London SW1A 2AA"}))
	eng, err := matcher.New(dir)
	require.NoError(t, err)

	res, err := eng.MatchCompany(t.Context(), matcher.CompanyQuery{Name: "Meta Platforms", Location: "1 Hacker Way, Menlo Park, California 94025"})
	require.NoError(t, err)
	require.NotEmpty(t, res.Candidates, "MatchCompany found no candidate through the address")
	assert.Equal(t, "c1", res.Candidates[0].Entity.ID)

	// A member query with only a street address (no name) still finds the
	// member; a place alone does not make a query.
	res, err = eng.MatchMember(t.Context(), matcher.MemberQuery{Location: "10 Downing Street, London, SW1A 2AA, UK"})
	require.NoError(t, err)
	require.NotEmpty(t, res.Candidates)
	assert.Equal(t, "m1", res.Candidates[0].Entity.ID)
	_, err = eng.MatchMember(t.Context(), matcher.MemberQuery{Location: "London, UK"})
	assert.ErrorIs(t, err, matcher.ErrEmptyQuery)
}

// TestEstimateAddressU checks that EstimateU re-estimates the address
// levels from random pairs of entities with postal addresses.
func TestEstimateAddressU(t *testing.T) {
	streets := []string{"Main St", "Oak Avenue", "High Street", "Station Rd", "Elm Close"}
	cities := []string{"Springfield, IL 62701", "Riverton, WY 82501", "Salem, OR 97301"}
	var ents []matcher.Entity
	for i := range 300 {
		ents = append(ents, matcher.NewMemberEntity(matcher.Member{
			ID: string(rune('a'+i%26)) + string(rune('a'+i/26)), FirstName: "Al", LastName: "Bo",
			Location: fmt.Sprintf("%d %s, %s", 1+i%40, streets[i%len(streets)], cities[i%len(cities)]),
		}))
	}
	def := matcher.DefaultWeights()
	w, err := matcher.EstimateU(t.Context(), def, ents, 20000, 1)
	require.NoError(t, err)
	a := w.Address
	assert.NotEqual(t, def.Address.Street.Disagree.U, a.Street.Disagree.U, "Street.Disagree.U not re-estimated")
	assert.Greater(t, a.Street.Disagree.U, 0.5, "most random pairs live on other streets")
	assert.Greater(t, a.Locality.Exact.U, 0.0)
	assert.Less(t, a.Postcode.Exact.U, 0.5)
	assert.Equal(t, def.Address.Street.Exact.M, a.Street.Exact.M, "EstimateU changed an M")
}

// TestStreetWords checks how streets with the same name and other type or
// direction words compare.
func TestStreetWords(t *testing.T) {
	dir := memdir.New()
	require.NoError(t, dir.AddMember(matcher.Member{ID: "m1", FirstName: "Noor", LastName: "Haddad",
		Location: "123 E Main St, Henderson, NV 89002"}))
	eng, err := matcher.New(dir)
	require.NoError(t, err)
	for _, tc := range []struct{ loc, want string }{
		{"123 East Main Street, Henderson NV 89002", matcher.LevelExact},
		{"123 Main St, Henderson NV 89002", matcher.LevelExact},
		{"123 W Main St, Henderson NV 89002", matcher.LevelDisagree},
		{"123 E Main Ave, Henderson NV 89002", matcher.LevelHigh},
		// A quadrant one side adds after the street is no disagreement;
		// two quadrants that differ are two streets.
		{"123 E Main St NE, Henderson NV 89002", matcher.LevelExact},
	} {
		res, err := eng.MatchMember(t.Context(), matcher.MemberQuery{FirstName: "Noor", LastName: "Haddad", Location: tc.loc})
		require.NoError(t, err)
		require.NotNil(t, res.Best)
		f, ok := fieldOf(*res.Best, matcher.FieldStreet)
		require.True(t, ok, "street of %q not scored", tc.loc)
		assert.Equal(t, tc.want, f.Level, "street level of %q", tc.loc)
	}
}

// TestAustralianStates checks that a suburb and state written the
// Australian way, without a comma ("Perth WA", "Adelaide SA"), agree with
// the same place spelled out, where the state code was read as Washington
// or Saudi Arabia and the location disagreed.
func TestAustralianStates(t *testing.T) {
	e := newEngine(t, newDir(t, nil, []matcher.Member{
		{ID: "perth", FirstName: "Joan", LastName: "Baxter", Location: "Perth WA"},
		{ID: "adelaide", FirstName: "Tom", LastName: "Hardy", Location: "Adelaide SA 5000"},
	}))
	for _, q := range []matcher.MemberQuery{
		{FirstName: "Joan", LastName: "Baxter", Location: "Perth, Western Australia"},
		{FirstName: "Tom", LastName: "Hardy", Location: "Adelaide, South Australia"},
	} {
		assert.Equal(t, matcher.LevelExact, fieldLevel(t, topMember(t, e, q), matcher.FieldLocation), q.Location)
	}
}

// TestStateCodeAlone checks that a location that is only a code a US state
// and a country share ("MA": Morocco, or Massachusetts) agrees with a place
// in that state at the country's level, where it disagreed (-6.5 bits), and
// still disagrees with a place elsewhere.
func TestStateCodeAlone(t *testing.T) {
	e := newEngine(t, newDir(t, []matcher.Company{
		{ID: "boston", Name: "Quillfeather Ventures", Location: "100 Main St, Boston, MA 02110"},
		{ID: "paris", Name: "Brightmoor Analytics", Location: "Paris, France"},
	}, nil))
	for _, tc := range []struct{ name, loc, level string }{
		{"Quillfeather Ventures", "MA", matcher.LevelCountry},
		{"Quillfeather Ventures", "Boston", matcher.LevelExact},
		{"Brightmoor Analytics", "MA", matcher.LevelDisagree},
	} {
		res, err := e.MatchCompany(t.Context(), matcher.CompanyQuery{Name: tc.name, Location: tc.loc})
		require.NoError(t, err)
		require.NotEmpty(t, res.Candidates)
		f, ok := fieldOf(res.Candidates[0], matcher.FieldLocation)
		require.True(t, ok, "%s, %s: the location compared", tc.name, tc.loc)
		assert.Equal(t, tc.level, f.Level, "%s, %s", tc.name, tc.loc)
	}
}
