package normalize

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCompany(t *testing.T) {
	tests := []struct {
		in        string
		core      string
		legalForm string
		acronym   string
	}{
		{"Acme, Inc.", "acme", "inc", ""},
		{"ACME INCORPORATED", "acme", "inc", ""},
		{"Acme Corp.", "acme", "corp", ""},
		{"Acme Corporation", "acme", "corp", ""},
		{"Acme LLC", "acme", "llc", ""},
		{"Acme L.L.C.", "acme", "llc", ""},
		{"Acme Co Ltd", "acme", "coltd", ""},
		{"Acme Holdings Ltd. (UK)", "acme holdings", "ltd", "ah"},
		{"Acme Holdings Ltd. (UK", "acme holdings", "ltd", "ah"},                       // a field cut short
		{"Acme Holdings Ltd. (UK) Branch", "acme holdings ltd uk branch", "", "ahlub"}, // brackets that do not close the name are words
		{"Siemens Aktiengesellschaft", "siemens", "ag", ""},
		{"Volkswagen AG", "volkswagen", "ag", ""},
		{"Acme GmbH & Co. KG", "acme", "gmbhcokg", ""},
		{"Müller Gesellschaft mit beschränkter Haftung", "muller", "gmbh", ""},
		{"ООО Ромашка", "romashka", "ooo", ""},
		{"OOO Romashka", "romashka", "ooo", ""},
		{"ПАО Сбербанк", "sberbank", "pao", ""},
		{"PT Telkom Indonesia", "telkom indonesia", "pt", "ti"},
		{"Banco Santander, S.A.", "banco santander", "sa", "bs"},
		{"Royal Dutch Shell plc", "royal dutch shell", "plc", "rds"},
		{"Koninklijke Philips N.V.", "koninklijke philips", "nv", "kp"},
		{"International Business Machines Corp", "international business machines", "corp", "ibm"},
		{"Intl. Widgets Mfg. Co.", "international widgets manufacturing", "co", "iwm"},
		{"The Coca-Cola Company", "coca cola", "co", "cc"},
		{"The Home Depot, Inc.", "home depot", "inc", "hd"},
		{"Palm, The", "palm", "", ""},
		{"AT & T Labs", "att laboratories", "", "al"},
		{"E&Y", "ey", "", ""},
		{"Alcatel R&I France", "alcatel ri france", "", "arf"},
		{"Tom & Jo", "tom and jo", "", "tj"},
		{"Palm, The (Los Angeles)", "palm los angeles", "", "pa"},
		{"The Palm (Los Angeles)", "palm los angeles", "", "pa"},
		{"Spago (Los Angeles)", "spago los angeles", "", "sa"},
		{"APPLE INC /DE/", "apple", "inc", ""},
		{"INTERNATIONAL BUSINESS MACHINES CORP /NY/", "international business machines", "corp", "ibm"},
		{"Acme Corp /NEW/ /DE/", "acme", "corp", ""},
		{"Walt Disney Co/The", "walt disney", "co", "wd"},
		{"AMAZON COM INC", "amazon", "inc", ""},
		{"A/S/", "a s", "", ""},
		{"3Com", "3com", "", ""},
		{"apple pan  the", "apple pan", "", "ap"},
		{"The", "the", "", ""},
		{"AT&T Inc.", "att", "inc", ""}, // an initialism joined by "&" is one word
		{"Johnson & Johnson", "johnson and johnson", "", "jj"},
		{"Procter + Gamble", "procter and gamble", "", "pg"},
		{"Co-operative Bank plc", "cooperative bank", "plc", "cb"},
		{"Acme Tech Svcs", "acme technology services", "", "ats"},
		{"Company", "company", "", ""},
		{"Limited", "limited", "", ""},
		{"Inc.", "inc", "", ""},
		{"The", "the", "", ""},
		{"Made In Japan Ltd", "made in japan", "ltd", "mj"},
		{"Deutsche Bank AG London Branch", "deutsche bank ag london branch", "", "dbalb"},
		{"SA Power Networks", "sa power networks", "", "spn"},
		{"3M Company", "3m", "co", ""},
		{"ＡＣＭＥ Ｃｏｒｐ", "acme", "corp", ""},
		{"Start Up", "start up", "", "su"},
		{"Acme IP", "acme ip", "", "ai"},
		{"Let's Go", "lets go", "", "lg"},
		{"ГО Ромашка", "romashka", "go", ""},
		{"SAP SE", "sap", "se", ""},
		{"Bank of America, N.A.", "bank of america", "na", "ba"},
		{"Sberbank of Russia PJSC", "sberbank of russia", "pjsc", "sr"},
		{"Public Joint Stock Company Aeroflot", "aeroflot", "pjsc", ""},
		{"InPost Sp. z o.o.", "inpost", "spzoo", ""},
		{"Sp. z o.o. Inpost", "inpost", "spzoo", ""},
		{"Samsung Electronics Co., Ltd.", "samsung electronics", "coltd", "se"},
		{"Novo Nordisk A/S", "novo nordisk", "as", "nn"},
		{"Limited Brands", "limited brands", "", "lb"},
		{"Amazon.com, Inc.", "amazon", "inc", ""},
		{"Disney+", "disney", "", ""},
		{"C++ Labs", "c laboratories", "", "cl"},
		{"Booking.com B.V.", "booking", "bv", ""},
		{"acme.co.uk", "acme company uk", "", "acu"},
		{"", "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got := Company(tc.in)
			assert.Equal(t, tc.core, got.Core, "Company(%q).Core", tc.in)
			assert.Equal(t, tc.legalForm, got.LegalForm, "Company(%q).LegalForm", tc.in)
			assert.Equal(t, tc.acronym, got.Acronym, "Company(%q).Acronym", tc.in)
			assert.Equal(t, Fold(tc.in), got.Folded, "Company(%q).Folded", tc.in)
			if got.Core == "" {
				assert.Empty(t, got.Tokens)
			} else {
				assert.Equal(t, Tokens(got.Core), got.Tokens, "Company(%q).Tokens", tc.in)
			}
		})
	}
}

// TestInnerLegalForm checks the form a name holds just within its last one:
// the form records show when they drop the last.
func TestInnerLegalForm(t *testing.T) {
	for _, tc := range []struct{ in, legal, inner string }{
		{"The Neioly Company, Inc.", "inc", "co"},
		{"Acme Co Inc", "inc", "co"},
		{"Samsung Electronics Co., Ltd.", "coltd", "co"},
		{"Acme Pte. Ltd.", "pteltd", "pte"},
		{"Acme Pvt. Ltd.", "pvtltd", ""},
		{"Toyota Motor Corp Ltd", "ltd", "corp"},
		{"Acme Holdings Company LLC", "llc", "co"},
		{"Acme Inc.", "inc", ""},
		{"Acme GmbH & Co. KG", "gmbhcokg", ""},
		// A partnership's "& Co." under a company's form.
		{"Mehta & Co. Private Limited", "pvtltd", "co"},
		{"Mehta & Co. Pvt. Ltd.", "pvtltd", "co"},
		{"Mehta Private Limited", "pvtltd", ""},
		{"Mehta (P) Ltd", "pvtltd", ""},
		{"Mehta P. Ltd.", "pvtltd", ""},
		{"Mehta Pvt Limited", "pvtltd", ""},
		{"Mehta & Co. (P) Ltd", "pvtltd", "co"},
		{"Smith & Co. Limited", "ltd", "co"},
		{"Acme", "", ""},
		{"Inc.", "", ""},
	} {
		got := Company(tc.in)
		assert.Equal(t, tc.legal, got.LegalForm, "Company(%q).LegalForm", tc.in)
		assert.Equal(t, tc.inner, got.InnerLegalForm, "Company(%q).InnerLegalForm", tc.in)
	}
}

// TestFormsWithConnectives checks that legal forms written with a Romance
// connective ("S.A. de C.V.") are still read whole, now that a name's "de"
// after its first word is read "of".
func TestFormsWithConnectives(t *testing.T) {
	for _, tc := range []struct{ in, core, form string }{
		{"Acme S.A. de C.V.", "acme", "sadecv"},
		{"Acme SA de CV", "acme", "sadecv"},
		{"Grupo Bimbo, S.A.B. de C.V.", "grupo bimbo", "sabdecv"},
		{"Acme S. de R.L. de C.V.", "acme", "sderldecv"},
		{"Banco de Chile", "banco of chile", ""},
	} {
		got := Company(tc.in)
		assert.Equal(t, tc.core, got.Core, "Company(%q).Core", tc.in)
		assert.Equal(t, tc.form, got.LegalForm, "Company(%q).LegalForm", tc.in)
	}
}

// TestStatusQualifier checks that what marks a record's status beside a
// name ("(in liquidation)", "- DO NOT USE") leaves the core, and that
// names made of such words, or brackets holding other words, keep them.
func TestStatusQualifier(t *testing.T) {
	for in, core := range map[string]string{
		"Acme Ltd (in liquidation)":      "acme",
		"Acme Ltd (In Administration)":   "acme",
		"Acme Ltd - in administration":   "acme",
		"Acme Corp (Inactive)":           "acme",
		"Acme (Dissolved)":               "acme",
		"Acme - DO NOT USE":              "acme",
		"DUPLICATE - Acme Inc":           "acme",
		"Acme Inc (old) (do not use)":    "acme",
		"Old Navy":                       "old navy",
		"Closed Loop Inc":                "closed loop",
		"The Old School (Bath)":          "old school bath",
		"Acme (In)":                      "acme in",
		"Inactive":                       "inactive",
		"Liquidation World - Closed Inc": "liquidation world closed",
		"Acme GmbH i.L.":                 "acme",
		"Acme Inc - HQ":                  "acme",
		"Acme Inc - Head Office":         "acme",
		"Acme Inc [Customer]":            "acme",
		"Acme (Parent Account)":          "acme",
		"Acme Inc c/o John Smith":        "acme",
		"Acme Ltd, Attn: Accounts":       "acme",
		"Acme - Customer Service":        "acme customer service",
		"Box Office Ltd":                 "box office",
		"Attention Deficit Labs":         "attention deficit laboratories",
		"Acme GmbH i. G.":                "acme",
		"IG Metall":                      "ig metall",
	} {
		assert.Equal(t, core, Company(in).Core, "Company(%q).Core", in)
	}
}

// TestIncorporationAndNumbers checks that a US state of incorporation in
// brackets after the legal form leaves the core where a branch's place
// after a bare name stays, and that a fund's roman number is part of its
// name, not a legal form.
func TestIncorporationAndNumbers(t *testing.T) {
	for in, core := range map[string]string{
		"Acme Incorporated (Delaware)": "acme",
		"Acme Corp (NY)":               "acme",
		"Acme (California)":            "acme california",
		"Acme Partners II, L.P.":       "acme partners ii",
		"Acme Fund III LP":             "acme fund iii",
	} {
		assert.Equal(t, core, Company(in).Core, "Company(%q).Core", in)
	}
}

// TestHTMLEntities checks that names exported through a web form or XML
// with HTML character references read as their characters.
func TestHTMLEntities(t *testing.T) {
	for in, core := range map[string]string{
		"Procter &amp; Gamble": "procter and gamble",
		"AT&amp;T":             "att",
		"M&uuml;ller GmbH":     "muller",
		"O&#39;Brien Ltd":      "obrien",
		"Ben & Jerry's":        "ben and jerrys",
	} {
		assert.Equal(t, core, Company(in).Core, "Company(%q).Core", in)
	}
	assert.Equal(t, "obrien", Person("Sean", "O&#39;Brien").Last)
	assert.Equal(t, "procter gamble", Fold("Procter &amp; Gamble"))
}

// TestNoEmployer checks which employer fields name no company.
func TestNoEmployer(t *testing.T) {
	for _, in := range []string{"N/A", "n/a", "None", "Unknown", "Self-employed", "Self Employed", "Freelance", "Retired", "Student", "Stealth Startup"} {
		assert.True(t, NoEmployer(Company(in).Core), "NoEmployer(%q)", in)
	}
	for _, in := range []string{"Acme Inc", "Independent Bank", "Student Loan Corp", "Private Equity Partners", "Other World Computing"} {
		assert.False(t, NoEmployer(Company(in).Core), "NoEmployer(%q)", in)
	}
}

// TestPartnershipCore checks that the "&" of a partnership's "& Co." stays
// out of the core when the company's form after it is read with "Co." as
// one form ("Co. Ltd"), so that the name meets its records written without
// the form.
func TestPartnershipCore(t *testing.T) {
	for _, in := range []string{"Smith & Co. Ltd", "Smith & Co Ltd.", "Smith & Co. Limited", "Smith & Co.", "Smith and Co Ltd"} {
		got := Company(in)
		assert.Equal(t, "smith", got.Core, "Company(%q).Core", in)
	}
	// Not a form: the connective stays a word of the name.
	assert.Equal(t, "smith and", Company("Smith &").Core)
	// India's "(P) Ltd" leaves no letter in the core.
	assert.Equal(t, "acme infotech", Company("Acme Infotech (P) Ltd").Core)
}

// assertSameCores checks that the names of each group have one core.
func assertSameCores(t *testing.T, groups [][]string) {
	t.Helper()
	for _, g := range groups {
		want := Company(g[0]).Core
		for _, s := range g[1:] {
			assert.Equal(t, want, Company(s).Core, "Company(%q).Core vs Company(%q).Core", s, g[0])
		}
	}
}

// TestCompanySpellingsMeet checks that common spellings of one company give
// the same core.
func TestCompanySpellingsMeet(t *testing.T) {
	groups := [][]string{
		{"Acme Corporation", "ACME Corp.", "Acme Corp", "acme, inc.", "Acme Incorporated", "The Acme Company", "Acme Co.", "Acme LLC", "Acme Ltd"},
		{"International Widgets", "Intl. Widgets", "Int'l Widgets Inc."},
		{"Smith & Sons", "Smith and Sons", "Smith & Sons Ltd"},
		{"Siemens AG", "Siemens Aktiengesellschaft", "SIEMENS A.G."},
		{"Saint Joseph's Hospital", "St. Joseph's Hospital", "ST JOSEPHS HOSP"},
		{"Mount Sinai Medical Center", "Mt. Sinai Med Ctr", "MT SINAI MEDICAL CENTRE"},
		{"Fort Worth Community Health Center", "Ft Worth Cmty Hlth Ctr"},
	}
	assertSameCores(t, groups)
}

func TestIsAcronymOf(t *testing.T) {
	tests := []struct {
		short, name string
		want        bool
	}{
		{"IBM", "International Business Machines Corp", true},
		{"I.B.M.", "International Business Machines", true},
		{"ibm", "Intl Business Machines", true},
		{"ATT", "American Telephone and Telegraph", true},
		{"ATAT", "American Telephone and Telegraph", true},
		{"GE", "General Electric Company", true},
		{"GEC", "General Electric Company", true},
		{"BoA", "Bank of America", true}, // initials with connectives
		{"BA", "Bank of America", true},
		{"IBM", "IBM", false},
		{"X", "Xerox Research", false},
		{"ABC", "International Business Machines", false},
		{"", "International Business Machines", false},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, IsAcronymOf(tc.short, Company(tc.name)), "IsAcronymOf(%q, Company(%q))", tc.short, tc.name)
	}
}

// TestCompanyLegalFormsStripped checks the legal forms CRMs commonly hold,
// after the name and, for the forms written first, before it.
func TestCompanyLegalFormsStripped(t *testing.T) {
	trailing := []string{"Inc.", "LLC", "Corp.", "Corporation", "Co.", "Ltd", "Limited", "PLC", "LLP",
		"GmbH", "AG", "GmbH & Co. KG", "KG", "e.K.", "SE", "SAS", "SA", "S.A.", "SARL", "SNC",
		"S.L.", "SLU", "S.r.l.", "S.p.A.", "S.a.s.", "B.V.", "N.V.", "AB", "AB (publ)", "AS", "ASA",
		"A/S", "ApS", "Oy", "Oyj", "Sp. z o.o.", "Ltda.", "EIRELI", "ME", "Pvt. Ltd.", "Private Limited",
		"Co., Ltd.", "K.K.", "Pty Ltd", "Sdn Bhd", "Kft.", "s.r.o.", "d.o.o.", "ООО", "АО", "ПАО", "ЗАО",
		"ТОВ", "ПАТ", "ПрАТ", "Α.Ε.", "Ε.Π.Ε.", "Ι.Κ.Ε."}
	for _, f := range trailing {
		c := Company("Nordlicht " + f)
		assert.Equal(t, "nordlicht", c.Core, "Company(%q).Core", "Nordlicht "+f)
		assert.NotEmpty(t, c.LegalForm, "Company(%q).LegalForm", "Nordlicht "+f)
	}
	leading := []string{"ООО", "АО", "ПАО", "ЗАО", "ТОВ", "ПАТ", "OOO", "PT", "CV"}
	for _, f := range leading {
		c := Company(f + " Nordlicht")
		assert.Equal(t, "nordlicht", c.Core, "Company(%q).Core", f+" Nordlicht")
	}
}

func TestCompanyAbbreviations(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Intl Mfg Svcs", "international manufacturing services"},
		{"Smith Bros", "smith brothers"},
		{"Acme Natl Labs", "acme national laboratories"},
		{"Acme Hldgs", "acme holdings"},
		{"Acme Mgmt Grp", "acme management group"},
		{"Acme Sys", "acme systems"},
		{"Acme Engg Ctr", "acme engineering center"},
		{"Acme Pharma", "acme pharmaceuticals"},
		{"Acme Ins", "acme insurance"},
		{"Acme Fin", "acme financial"},
		{"Acme Sols", "acme solutions"},
		{"Acme Dev", "acme development"},
		{"Acme Assoc", "acme associates"},
		{"State Univ", "state university"},
		{"Acme Inst", "acme institute"},
		{"Acme Inds", "acme industries"},
		{"Acme Dept Store", "acme department store"},
		{"Acme Centre", "acme center"},
		{"Uni of Cambridge", "university of cambridge"},
		{"Müller und Söhne", "muller and sohne"},
		{"Dupont et Fils", "dupont and fils"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, Company(tc.in).Core, "Company(%q).Core", tc.in)
	}
}

// TestCompanyCognates checks that the words naming a kind of institution
// in the languages of Europe are written as the English word, so that an
// organisation's own-language name and its English one share their words,
// and that the cognates are not short forms comparisons look for.
func TestCompanyCognates(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Universität Bremen", "university bremen"},
		{"Universidade de Aveiro", "university of aveiro"},
		{"Université catholique de Louvain", "university catholique of louvain"},
		{"Università di Bologna", "university of bologna"},
		{"Technische Universiteit Delft", "technical university delft"},
		{"Politecnico di Torino", "polytechnic of torino"},
		{"École Polytechnique", "ecole polytechnic"},
		{"Instituto de Telecomunicações", "institute of telecomunicacoes"},
		{"Fraunhofer-Institut für Offene Kommunikationssysteme", "fraunhofer institute fur offene kommunikationssysteme"},
		{"Laboratoire de Physique", "laboratory of physique"},
		{"Hochschule München", "college munchen"},
		{"Fundació i2CAT", "foundation i2cat"},
		{"Stichting NLnet", "foundation nlnet"},
		{"Associação Brasileira de Normas Técnicas", "association brasileira of normas tecnicas"},
		{"Centro de Investigación", "center of investigacion"},
		// "Of" in the Romance languages, after the first word only.
		{"Banco del Bajío", "banco of bajio"},
		{"Istituto degli Innocenti", "institute of innocenti"},
		{"De Vries Transport", "de vries transport"},
		{"Da Silva Engenharia", "da silva engenharia"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, Company(tc.in).Core, "Company(%q).Core", tc.in)
	}
	for cognate := range companyWordCognates {
		for w, forms := range companyWordForms {
			assert.NotContains(t, forms, cognate, "cognate %q among the short forms of %q", cognate, w)
		}
	}
}

// TestUniversityInitial checks that a "U" is read as "university" where it
// stands for it, and left where it is a letter of its own (the letters of
// an initialism are one word).
func TestUniversityInitial(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Columbia U", "columbia university"},
		{"Harvard U.", "harvard university"},
		{"U. Delaware", "university delaware"},
		{"u. delaware", "university delaware"},
		{"U of Michigan", "university of michigan"},
		{"U. of North Carolina", "university of north carolina"},
		// A letter of its own.
		{"U-Haul", "u haul"},
		{"U Haul", "u haul"},
		{"U.S. Steel", "us steel"},
		{"U. S. Steel", "us steel"},
		{"U.C. Berkeley", "uc berkeley"},
		{"Club of U", "club of u"},
		{"U", "u"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, Company(tc.in).Core, "Company(%q).Core", tc.in)
	}
	assert.Equal(t, Company("Columbia University").Core, Company("Columbia U").Core)
}

// TestJoinInitials checks that an initialism spelt with full stops is one
// word, as the same name is written without them, and that a legal form so
// spelt is still read as one.
func TestJoinInitials(t *testing.T) {
	tests := []struct{ in, core, form string }{
		{"I.B.M.", "ibm", ""}, // not "i" with the legal form "B.M."
		{"I. B. M.", "ibm", ""},
		{"I.B.M. Corp", "ibm", "corp"},
		{"K.P.M.G.", "kpmg", ""},
		{"J.P. Morgan", "jp morgan", ""},
		{"J. P. Morgan & Co.", "jp morgan", "co"},
		{"H.J. Heinz Company", "hj heinz", "co"},
		{"Acme S.p.A.", "acme", "spa"},
		{"Acme S.A.", "acme", "sa"},
		{"Acme S. A.", "acme", "sa"},
		{"Acme S A", "acme", "sa"},
		{"Nordlicht S.L.", "nordlicht", "sl"},
		{"Acme S.A., Inc", "acme", "inc"},
		{"Acme EU", "acme eu", ""},
		// Not initialisms.
		{"John F. Kennedy Center", "john f kennedy center", ""},
		{"St. Jude", "st jude", ""},
		{"Ph.D. Consulting", "ph d consulting", ""},
		{"Amazon.com, Inc.", "amazon", "inc"},
	}
	for _, tc := range tests {
		c := Company(tc.in)
		assert.Equal(t, tc.core, c.Core, "Company(%q).Core", tc.in)
		assert.Equal(t, tc.form, c.LegalForm, "Company(%q).LegalForm", tc.in)
	}
	assert.Equal(t, Company("JP Morgan").Core, Company("J.P. Morgan").Core)
	assert.Equal(t, Company("IBM").Core, Company("I.B.M.").Core)
}

// TestSpellNumbers checks that numbers below 100 and their ordinals are
// written in words, as names also spell them, and that other numbers stay.
func TestSpellNumbers(t *testing.T) {
	groups := [][]string{
		{"First National Bank of Omaha", "1st National Bank of Omaha"},
		{"Seven Eleven Inc", "7-Eleven", "7 Eleven, Inc."},
		{"Twenty-First Century Fox", "21st Century Fox", "Twenty First Century Fox"},
		{"Three Rivers Health", "3 Rivers Health"},
		{"The Eleventh Hour", "11th Hour"},
		{"Second Cup", "2nd Cup"},
		{"Studio Fifty-Four", "Studio 54"},
	}
	assertSameCores(t, groups)
	for in, want := range map[string]string{
		"3M":         "3m", // a number within a word stays
		"Route 007":  "route 007",
		"123 Main":   "123 main", // three digits or more stay
		"Area 51":    "area fifty one",
		"22nd Ave":   "twenty second ave",
		"12th Floor": "twelfth floor",
		"2st Street": "2st street", // not an ordinal's suffix
	} {
		assert.Equal(t, want, Company(in).Core, "Company(%q).Core", in)
	}
	assert.Equal(t, "fnbo", Company("1st National Bank of Omaha").Acronym, "the acronym of the words")
}

// TestTradeNameAsQualifier checks that the second name a business gives
// after "dba" and its kin closes the name in brackets, and that names
// without one are left alone.
func TestTradeNameAsQualifier(t *testing.T) {
	for in, want := range map[string]string{
		"Acme Holdings LLC dba Widget World":     "Acme Holdings LLC (Widget World)",
		"Acme Holdings LLC, DBA Widget World":    "Acme Holdings LLC (Widget World)",
		"Acme d/b/a Widgets":                     "Acme (Widgets)",
		"Acme Inc. a/k/a Acme Tools":             "Acme Inc. (Acme Tools)",
		"Jones trading as Jones Plumbing":        "Jones (Jones Plumbing)",
		"AKA Brands":                             "AKA Brands", // a name of its own
		"Acme dba":                               "Acme dba",
		"dba Widgets":                            "dba Widgets",
		"Acme (UK) dba Widgets (Europe)":         "Acme (UK) dba Widgets (Europe)", // already closed by a bracket
		"Trading Post Inc":                       "Trading Post Inc",
		"Smith & Co trading as":                  "Smith & Co trading as",
		"Blue Ridge Dental Group DBA Blue Ridge": "Blue Ridge Dental Group (Blue Ridge)",
	} {
		assert.Equal(t, want, TradeNameAsQualifier(in), "TradeNameAsQualifier(%q)", in)
	}
	assert.Zero(t, testing.AllocsPerRun(10, func() { _ = TradeNameAsQualifier("Acme Holdings LLC") }))
}

func TestCompanyWordFormsExpand(t *testing.T) {
	for w, forms := range companyWordForms {
		for _, f := range forms {
			if got := expandCompanyWord(f); got != w {
				t.Errorf("expandCompanyWord(%q) = %q, want %q", f, got, w)
			}
			if len(f) < 4 {
				t.Errorf("form %q of %q: shorter than four letters", f, w)
			}
		}
	}
	if got := CompanyWordForms("holdings"); !slices.Equal(got, []string{"hldg", "hldgs", "hlds"}) {
		t.Errorf("CompanyWordForms(holdings) = %v", got)
	}
	if got := CompanyWordForms("systems"); !slices.Equal(got, []string{"syst"}) {
		t.Errorf("CompanyWordForms(systems) = %v: forms under four letters are left out", got)
	}
	if CompanyWordForms("acme") != nil {
		t.Error("CompanyWordForms(acme) not nil")
	}
}

func TestLegalFormCode(t *testing.T) {
	gmbh := Company("Acme GmbH").LegalForm
	if gmbh == "" || LegalFormCode(gmbh) == 0 {
		t.Fatalf("Acme GmbH: legal form %q, code %d", gmbh, LegalFormCode(gmbh))
	}
	if LegalFormCode(Company("Beta G.m.b.H.").LegalForm) != LegalFormCode(gmbh) {
		t.Error("GmbH and G.m.b.H.: different codes")
	}
	if LegalFormCode(Company("Acme Inc.").LegalForm) == LegalFormCode(gmbh) {
		t.Error("Inc. and GmbH: same code")
	}
	ltd := LegalFormCode(Company("Acme Ltd").LegalForm)
	for _, name := range []string{"Acme Limited", "Acme Pvt. Ltd.", "Acme Private Limited", "Acme Pty Ltd",
		"Acme Pte. Ltd.", "Acme Co., Ltd.", "Acme Company Limited"} {
		if got := LegalFormCode(Company(name).LegalForm); got != ltd || got == 0 {
			t.Errorf("%s: code %d, want Ltd's %d", name, got, ltd)
		}
	}
	if LegalFormCode(Company("Acme plc").LegalForm) == ltd {
		t.Error("a public limited company has the code of a private one")
	}
	if LegalFormCode("") != 0 || LegalFormCode("no such form") != 0 {
		t.Error("no legal form: code not 0")
	}
}

func TestIsScopeWord(t *testing.T) {
	for _, w := range []string{"usa", "uk", "germany", "deutschland", "japan", "europe", "americas", "emea",
		"international", "global", "worldwide", "group", "holdings"} {
		assert.True(t, IsScopeWord(w), w)
	}
	// Words that name a company, short words and names of several words
	// are not: a country's name of several words is never one token.
	for _, w := range []string{"siemens", "bank", "labs", "and", "de", "it", "can", "united states", ""} {
		assert.False(t, IsScopeWord(w), w)
	}
}

func TestClosingPart(t *testing.T) {
	tests := []struct {
		name, head, inner string
		ok                bool
	}{
		{"Spago (Los Angeles)", "Spago ", "Los Angeles", true},
		{"China Academy of Telecommunication Research (CATR", "China Academy of Telecommunication Research ", "CATR", true},
		{"Acme (", "Acme ", "", true},
		{"Acme (UK) Branch", "", "", false},
		{"(Acme)", "", "", false},
		{"Acme", "", "", false},
		{"x(", "x", "", true},
	}
	for _, tt := range tests {
		head, inner, ok := ClosingPart(tt.name)
		assert.Equal(t, tt.ok, ok, tt.name)
		assert.Equal(t, tt.head, head, tt.name)
		assert.Equal(t, tt.inner, inner, tt.name)
	}
}

// TestFormBeforeQualifier checks that a legal form followed by a second
// name, a branch or a place ("Petróleo Brasileiro S.A. - Petrobras",
// "Acme GmbH (Berlin)") leaves the core as it does at the end of a name,
// and that Mexico's "de C.V." (variable capital) after any form does too.
func TestFormBeforeQualifier(t *testing.T) {
	for in, core := range map[string]string{
		"Petróleo Brasileiro S.A. - Petrobras": "petroleo brasileiro petrobras",
		"Petróleo Brasileiro S.A. (Petrobras)": "petroleo brasileiro petrobras",
		"Acme GmbH (Berlin)":                   "acme berlin",
		"Acme Ltd - London":                    "acme london",
		"Acme Corp - London":                   "acme london",
		"Acme Co. - London":                    "acme london",
		"Acme Inc. – Widget World":             "acme widget world",
		"Acme S.A.S. de C.V.":                  "acme",
		"Acme SAS de CV":                       "acme",
		"Acme S. de R.L. de C.V.":              "acme",
		"Acme S.A. de C.V.":                    "acme",
		"Acme S.A.B. de C.V.":                  "acme",
		"Acme - Ltd":                           "acme",
		"Smith - Jones":                        "smith jones",
		"Co-op Ltd (Bath)":                     "coop bath",
		"Ltd (Bath)":                           "ltd bath",
	} {
		assert.Equal(t, core, Company(in).Core, "Company(%q).Core", in)
	}
	const dashed = "Petróleo Brasileiro S.A. - Petrobras"
	assert.Equal(t, "Petróleo Brasileiro S.A. (Petrobras)", TradeNameAsQualifier(dashed))
	assert.Equal(t, 1, ClosingWords(TradeNameAsQualifier(dashed), Company(dashed).Tokens))
	assert.Equal(t, "Smith - Jones", TradeNameAsQualifier("Smith - Jones"))
}
