package matcher_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/matcher"
)

// scriptMembers are people written in their own scripts, their usual Latin
// spellings (a separate profile each, as a directory may hold both) and
// near namesakes in the same script.
var scriptMembers = []matcher.Member{
	{ID: "zh1", FirstName: "秀英", LastName: "王"},
	{ID: "zh2", FirstName: "伟", LastName: "汪"},
	{ID: "zh3", FirstName: "伟", LastName: "王"},
	{ID: "zh-lat", FirstName: "Xiuying", LastName: "Wang"},
	{ID: "ja1", FirstName: "タロウ", LastName: "ヤマダ"},
	{ID: "ja2", FirstName: "ハナコ", LastName: "ヤマダ"},
	{ID: "ja-lat", FirstName: "Taro", LastName: "Yamada"},
	{ID: "ko1", FirstName: "민수", LastName: "김"},
	{ID: "ko2", FirstName: "민준", LastName: "김"},
	{ID: "ar1", FirstName: "محمد", LastName: "عباس"},
	{ID: "ar2", FirstName: "أحمد", LastName: "عباس"},
	{ID: "ar-lat", FirstName: "Mohammed", LastName: "Abbas"},
	{ID: "he1", FirstName: "משה", LastName: "כהן"},
	{ID: "he2", FirstName: "דוד", LastName: "כהן"},
	{ID: "he-lat", FirstName: "Moshe", LastName: "Cohen"},
	{ID: "hi1", FirstName: "मोहन", LastName: "दास"},
	{ID: "hi2", FirstName: "राम", LastName: "दास"},
	{ID: "hi-lat", FirstName: "Mohan", LastName: "Das"},
	{ID: "th1", FirstName: "สมชาย", LastName: "ใจดี"},
	{ID: "th2", FirstName: "สมศักดิ์", LastName: "ใจดี"},
	{ID: "ru1", FirstName: "Алексей", LastName: "Иванов"},
	{ID: "ru2", FirstName: "Анна", LastName: "Иванова"},
	{ID: "ru-lat", FirstName: "Aleksei", LastName: "Ivanov"},
	{ID: "lat1", FirstName: "John", LastName: "Smith"},
	{ID: "lat2", FirstName: "Maria", LastName: "Garcia"},
}

// TestScriptsMembers checks that a name in any script finds and ranks first
// the profile written the same way, and finds the Latin profile where the
// transliteration is standard (a Latin query finds the native one too).
func TestScriptsMembers(t *testing.T) {
	e := newEngine(t, newDir(t, nil, scriptMembers))
	tests := []struct {
		name        string
		first, last string
		top         string // expected best candidate
		also        string // expected among the candidates, "" for none
	}{
		{"chinese", "秀英", "王", "zh1", "zh-lat"},
		{"chinese whole name in one field", "", "王秀英", "zh1", "zh-lat"},
		{"chinese homophone family name ranks second", "伟", "汪", "zh2", "zh3"},
		{"chinese latin to native", "Xiuying", "Wang", "zh-lat", "zh1"},
		{"japanese kana", "タロウ", "ヤマダ", "ja1", "ja-lat"},
		{"japanese latin to native", "Taro", "Yamada", "ja-lat", "ja1"},
		{"korean", "민수", "김", "ko1", ""},
		{"korean whole name", "김민수", "", "ko1", ""},
		// A query in an abjad finds Latin profiles through other fields
		// only (Latin entities are not indexed by consonant skeletons).
		{"arabic", "محمد", "عباس", "ar1", ""},
		{"arabic latin to native", "Muhammad", "Abbas", "ar-lat", "ar1"},
		{"hebrew", "משה", "כהן", "he1", ""},
		{"hebrew latin to native", "Moshe", "Cohen", "he-lat", "he1"},
		{"devanagari", "मोहन", "दास", "hi1", "hi-lat"},
		{"devanagari latin to native", "Mohan", "Das", "hi-lat", "hi1"},
		{"thai", "สมชาย", "ใจดี", "th1", ""},
		{"cyrillic", "Алексей", "Иванов", "ru1", "ru-lat"},
		{"cyrillic latin to native", "Aleksei", "Ivanov", "ru-lat", "ru1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := e.MatchMember(t.Context(), matcher.MemberQuery{FirstName: tc.first, LastName: tc.last})
			require.NoError(t, err)
			ids := candidateIDs(res)
			require.NotEmpty(t, ids, "MatchMember(%q, %q): no candidates", tc.first, tc.last)
			assert.Equal(t, tc.top, ids[0], "MatchMember(%q, %q) = %v", tc.first, tc.last, ids)
			if tc.also != "" {
				assert.Contains(t, ids, tc.also, "MatchMember(%q, %q) = %v", tc.first, tc.last, ids)
			}
		})
	}
}

var scriptCompanies = []matcher.Company{
	{ID: "dji", Name: "深圳市大疆创新科技有限公司", Location: "深圳, 中国"},
	{ID: "dji-lat", Name: "DJI"},
	{ID: "hw", Name: "华为技术有限公司", Location: "深圳, 中国"},
	{ID: "hw-lat", Name: "Huawei"},
	{ID: "xm", Name: "小米科技有限责任公司"},
	{ID: "bj", Name: "北京银行"},
	{ID: "uniqlo", Name: "株式会社ユニクロ"},
	{ID: "toyota", Name: "トヨタ自動車株式会社"},
	{ID: "toyota-lat", Name: "Toyota"},
	{ID: "samsung", Name: "삼성전자"},
	{ID: "ptt", Name: "ปตท."},
	{ID: "scg", Name: "ปูนซิเมนต์ไทย"},
	{ID: "teva", Name: "טבע תעשיות פרמצבטיות"},
	{ID: "aramco", Name: "أرامكو السعودية"},
	{ID: "tata", Name: "टाटा मोटर्स"},
	{ID: "yandex", Name: "ООО «Яндекс»"},
	{ID: "yandex-lat", Name: "Yandex"},
}

// TestScriptsCompanies checks company names in their own scripts: a brand
// written without spaces finds the legal name that contains it, and a name
// with a standard transliteration finds its Latin profile.
func TestScriptsCompanies(t *testing.T) {
	e := newEngine(t, newDir(t, scriptCompanies, nil))
	tests := []struct {
		name, query string
		top, also   string
	}{
		{"chinese brand in legal name", "大疆创新", "dji", ""},
		{"chinese brand", "华为", "hw", "hw-lat"},
		{"chinese latin", "Huawei", "hw-lat", "hw"},
		{"chinese xiaomi", "小米", "xm", ""},
		{"chinese city", "北京", "bj", ""},
		{"japanese katakana brand", "ユニクロ", "uniqlo", ""},
		{"japanese brand in legal name", "トヨタ", "toyota", "toyota-lat"},
		{"japanese latin to native", "Toyota", "toyota-lat", "toyota"},
		{"korean", "삼성", "samsung", ""},
		{"thai", "ปูนซิเมนต์ไทย", "scg", ""},
		{"hebrew", "טבע", "teva", ""},
		{"arabic", "أرامكو", "aramco", ""},
		{"devanagari", "टाटा मोटर्स", "tata", ""},
		{"cyrillic", "Яндекс", "yandex", "yandex-lat"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := e.MatchCompany(t.Context(), matcher.CompanyQuery{Name: tc.query})
			require.NoError(t, err)
			ids := candidateIDs(res)
			require.NotEmpty(t, ids, "MatchCompany(%q): no candidates", tc.query)
			assert.Equal(t, tc.top, ids[0], "MatchCompany(%q) = %v", tc.query, ids)
			if tc.also != "" {
				assert.Contains(t, ids, tc.also, "MatchCompany(%q) = %v", tc.query, ids)
			}
		})
	}
}

func candidateIDs(res matcher.Result) []string {
	ids := make([]string, 0, len(res.Candidates))
	for _, c := range res.Candidates {
		ids = append(ids, c.Entity.ID)
	}
	return slices.Clip(ids)
}

// TestTwoScriptNames checks a name written in two scripts, as CRMs in Asia
// and the Middle East hold many ("Tencent 腾讯"): its Latin words are its
// Latin name, which agrees exactly with the profile of that name, either
// side; a name in one script keeps comparing by its transliteration.
func TestTwoScriptNames(t *testing.T) {
	e := newEngine(t, newDir(t, []matcher.Company{
		{ID: "tc", Name: "Tencent"},
		{ID: "sony", Name: "Sony Corporation"},
		{ID: "bii", Name: "BII"},
		{ID: "hw", Name: "华为 Huawei Technologies"},
		{ID: "x1", Name: "Tencent Music Entertainment"},
		{ID: "x2", Name: "Sonya Pictures"},
	}, nil))
	for q, want := range map[string]string{
		"Tencent 腾讯":          "tc",
		"Sony ソニー株式会社":        "sony",
		"BII | 天地互连":          "bii",
		"Huawei Technologies": "hw",
	} {
		assertTopName(t, e, q, want, matcher.LevelExact)
	}
}
