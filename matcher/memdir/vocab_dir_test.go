package memdir_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

// TestVocabularyFindsTypos checks that a directory with a vocabulary finds
// entities through words with two typos, joined and split words, among
// many companies sharing the other words.
func TestVocabularyFindsTypos(t *testing.T) {
	d := memdir.New(memdir.WithVocabulary())
	require.NoError(t, d.AddCompany(matcher.Company{ID: "t1", Name: "Keystone Harbor Logistics"}))
	require.NoError(t, d.AddCompany(matcher.Company{ID: "t2", Name: "Data Dog Systems"}))
	require.NoError(t, d.AddCompany(matcher.Company{ID: "t3", Name: "Crystalgrove Cloud"}))
	for i := range 200 {
		require.NoError(t, d.AddCompany(matcher.Company{ID: fmt.Sprintf("f%03d", i), Name: fmt.Sprintf("Harbor Logistics Systems Cloud %c%c", 'a'+i%26, 'a'+i/26)}))
	}
	for _, tc := range []struct{ name, q, want string }{
		{"two typos in the rarest word", "Harbor Kyestoen Logistics", "t1"},
		{"joined words", "DataDog Systems", "t2"},
		{"split word with a typo", "Crys Talgrve Cloud", "t3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q, err := matcher.NewCompanyQuery(matcher.CompanyQuery{Name: tc.q})
			require.NoError(t, err)
			got, err := d.Candidates(context.Background(), q, 5, nil)
			require.NoError(t, err)
			var ids []string
			for _, e := range got {
				ids = append(ids, e.Ref.ID)
			}
			require.Contains(t, ids, tc.want, "Candidates(%q) = %v", tc.q, ids)
		})
	}
}
