package synth

import "strings"

// script is the writing system of a country's names.
type script uint8

const (
	latin script = iota
	cyrillic
	greek
)

// country is the read-only generation table of one country.
type country struct {
	code, name string
	weight     int
	script     script
	tlds       []string // country domain suffixes, first is the usual one
	cities     []string
	legal      []string // legal forms, most common first
	legalFirst bool     // legal form precedes the name (ООО «...»)
	first      []string // given names, most common first
	female     int      // first[female:] are female names
	last       []string // surnames, most common first
	words      []word   // local business words
	family     []string // "& Söhne"-style family suffixes
}

// word is a business word and the industry it suggests.
type word struct {
	w   string
	ind string
}

// w parses "Word/ind|Word/ind" into words.
func w(s string) []word {
	var ws []word
	for _, f := range strings.Split(s, "|") {
		t, ind, _ := strings.Cut(f, "/")
		ws = append(ws, word{t, ind})
	}
	return ws
}

// l splits a list separated by "|" if it has one, else by ",".
func l(s string) []string {
	if strings.Contains(s, "|") {
		return strings.Split(s, "|")
	}
	return strings.Split(s, ",")
}

// industries maps an industry key to its LinkedIn-style label.
var industries = map[string]string{
	"sw": "Software Development", "it": "IT Services and IT Consulting", "fin": "Financial Services",
	"health": "Hospitals and Health Care", "log": "Transportation, Logistics, Supply Chain and Storage",
	"mfg": "Manufacturing", "cons": "Construction", "retail": "Retail", "re": "Real Estate",
	"ins": "Insurance", "pharma": "Pharmaceutical Manufacturing", "bio": "Biotechnology Research",
	"energy": "Renewable Energy", "oil": "Oil and Gas", "food": "Food and Beverage Manufacturing",
	"media": "Media Production", "adv": "Advertising Services", "tel": "Telecommunications",
	"biz": "Business Consulting and Services", "legal": "Legal Services", "edu": "Higher Education",
	"games": "Computer Games", "auto": "Motor Vehicle Manufacturing", "air": "Airlines and Aviation",
	"sec": "Security and Investigations", "arch": "Architecture and Planning",
	"mach": "Machinery Manufacturing", "whole": "Wholesale", "bank": "Banking",
	"staff": "Staffing and Recruiting", "agri": "Farming", "elec": "Appliances, Electrical, and Electronics Manufacturing",
	"trade": "International Trade and Development", "ship": "Maritime Transportation",
}

// industryKeys is industries' keys in a fixed order (map order is random).
var industryKeys = l("sw,it,fin,health,log,mfg,cons,retail,re,ins,pharma,bio,energy,oil,food,media,adv,tel,biz,legal,edu,games,auto,air,sec,arch,mach,whole,bank,staff,agri,elec,trade,ship")

// Generic English name parts, used in every country (brands are international).
var (
	adjectives      = l("Blue,Red,Green,Silver,Golden,North,South,East,West,Summit,Pacific,Atlantic,Granite,Cedar,Pine,Oak,River,Lake,Stone,Bright,Clear,True,Prime,Apex,Vertex,Quantum,Nova,Stellar,Global,United,First,Pioneer,Frontier,Horizon,Harbor,Eagle,Falcon,Lion,Iron,Crystal,Alpine,Coastal,Urban,Metro,Liberty,Heritage,Evergreen,Sterling,Royal,Swift,Bold,Smart,Open,Next,Deep,High,Silverline,Keystone,Blackstone,Redwood,Maple,Birch,Aspen,Sierra,Orion,Atlas,Titan,Polar,Solar,Lunar,Coral,Amber,Ivory,Cobalt,Indigo,Scarlet")
	nouns           = l("Ridge,Bridge,Point,Path,Peak,Wave,Field,Rock,Gate,Bay,Creek,Valley,Star,Light,Works,Labs,Line,Stream,Hill,Forge,Harbor,Crest,Grove,Haven,Port,Sky,Shore,Spring,Trail,Tree,Arrow,Anchor,Beacon,Compass,Circle,Square,Key,Leaf,Mountain,Ocean")
	sectors         = w("Analytics/it|Software/sw|Consulting/biz|Capital/fin|Partners/fin|Logistics/log|Health/health|Energy/energy|Foods/food|Media/media|Systems/it|Technologies/sw|Solutions/it|Networks/tel|Pharma/pharma|Biotech/bio|Robotics/mach|Realty/re|Insurance/ins|Security/sec|Marketing/adv|Design/arch|Engineering/mfg|Manufacturing/mfg|Motors/auto|Airlines/air|Retail/retail|Apparel/retail|Games/games|Learning/edu|Legal/legal|Staffing/staff|Data/it|Cloud/sw|Labs/bio|Ventures/fin|Advisors/biz|Industries/mfg|Trading/trade|Shipping/ship|Farms/agri|Electronics/elec|Telecom/tel|Bank/bank|Construction/cons|Properties/re|Group/biz|International/trade|Holdings/fin|Services/biz")
	syllables       = l("ac,al,am,an,ar,as,ax,be,bo,ca,ce,co,cor,da,de,di,do,el,en,ex,fa,fi,ga,ge,gi,in,io,is,ka,ki,ko,la,le,li,lo,lu,ma,me,mi,mo,na,ne,ni,no,nu,on,or,pa,pe,po,ra,re,ri,ro,ru,sa,se,si,so,ta,te,ti,to,tra,tri,va,ve,vi,vo,xa,xi,za,ze,zo")
	brandEnds       = l("ix,ex,on,ia,io,ara,ium,ant,ent,ics,ify,ly,era,ora,ta,va,yx,os,us,um")
	groupWords      = l("Group,Holdings,Holding,Partners,Company,Collective,Alliance,Consortium")
	subsidiary      = w("Software/sw|Holdings/fin|Capital/fin|Logistics/log|Services/biz|Technologies/sw|Energy/energy|Pharma/pharma|Insurance/ins|Realty/re|Systems/it|Consulting/biz|Retail/retail|Media/media|Labs/bio|Foods/food|Motors/auto|Bank/bank|Digital/it|Solutions/it|International/trade|Europe/trade|Americas/trade|Asia Pacific/trade|Research/bio|Ventures/fin")
	personalDomains = l("gmail.com,yahoo.com,hotmail.com,outlook.com,icloud.com,gmx.de,web.de,orange.fr,libero.it,mail.ru,yandex.ru,qq.com,163.com,protonmail.com,aol.com")
	genericTLDs     = l("com,com,com,net,io,co,org,biz,eu,global")
)

// titles lists job titles; each row is one title and its variant spellings.
var titles = [][]string{
	{"Chief Executive Officer", "CEO", "Chief Exec. Officer"},
	{"Chief Financial Officer", "CFO"},
	{"Chief Technology Officer", "CTO"},
	{"Chief Operating Officer", "COO"},
	{"Chief Marketing Officer", "CMO"},
	{"Chief Information Officer", "CIO"},
	{"Founder & CEO", "Founder and CEO", "Co-Founder & CEO"},
	{"Managing Director", "MD", "Managing Dir."},
	{"Vice President of Sales", "VP Sales", "VP, Sales", "Vice President Sales"},
	{"Vice President of Engineering", "VP Engineering", "VP of Engineering"},
	{"Vice President of Marketing", "VP Marketing", "VP, Marketing"},
	{"Senior Vice President, Operations", "SVP Operations", "Senior VP Operations"},
	{"Head of Sales", "Sales Lead", "Head Of Sales"},
	{"Head of Procurement", "Procurement Lead", "Head of Purchasing"},
	{"Head of Human Resources", "Head of HR", "HR Lead"},
	{"Director of Marketing", "Marketing Director", "Dir. Marketing"},
	{"Director of Finance", "Finance Director", "Dir. of Finance"},
	{"Director of IT", "IT Director", "Director, Information Technology"},
	{"Director of Operations", "Operations Director", "Ops Director"},
	{"Sales Manager", "Sales Mgr", "Manager, Sales"},
	{"Regional Sales Manager", "Regional Sales Mgr", "Area Sales Manager"},
	{"Account Executive", "AE", "Account Exec"},
	{"Senior Account Executive", "Sr. Account Executive", "Sr Account Exec"},
	{"Key Account Manager", "KAM", "Key Account Mgr"},
	{"Business Development Manager", "BD Manager", "Biz Dev Manager"},
	{"Software Engineer", "Software Developer", "SWE"},
	{"Senior Software Engineer", "Sr. Software Engineer", "Senior Developer"},
	{"Staff Engineer", "Staff Software Engineer"},
	{"Engineering Manager", "Eng Manager", "Manager, Engineering"},
	{"Product Manager", "PM", "Product Mgr"},
	{"Senior Product Manager", "Sr. Product Manager", "Sr PM"},
	{"Data Scientist", "Data Science Lead", "Sr. Data Scientist"},
	{"Marketing Manager", "Marketing Mgr", "Manager, Marketing"},
	{"Financial Controller", "Controller", "Finance Controller"},
	{"Accountant", "Senior Accountant", "Staff Accountant"},
	{"Procurement Manager", "Purchasing Manager", "Buyer"},
	{"Operations Manager", "Ops Manager", "Operations Mgr"},
	{"HR Business Partner", "HRBP", "Human Resources Business Partner"},
	{"Customer Success Manager", "CSM", "Client Success Manager"},
	{"Project Manager", "Project Mgr", "PMP Project Manager"},
	{"IT Manager", "IT Mgr", "Manager, IT"},
	{"General Counsel", "Chief Legal Officer", "GC"},
	{"Office Manager", "Office Administrator"},
	{"Consultant", "Senior Consultant", "Associate Consultant"},
	{"Partner", "Managing Partner", "Senior Partner"},
	{"Geschäftsführer", "Geschäftsführerin", "GF"},
	{"Directeur Commercial", "Directeur commercial", "Dir. Commercial"},
	{"Director General", "Director general", "DG"},
}

// nicknames maps a given name to diminutives a CRM may hold instead.
var nicknames = map[string][]string{
	"James": {"Jim", "Jimmy", "Jamie"}, "John": {"Jack", "Johnny", "Jon"}, "Robert": {"Bob", "Rob", "Bobby", "Robbie"},
	"Michael": {"Mike", "Mick", "Mikey"}, "William": {"Bill", "Will", "Billy", "Liam"}, "David": {"Dave", "Davy"},
	"Richard": {"Rick", "Dick", "Rich", "Richie"}, "Joseph": {"Joe", "Joey"}, "Thomas": {"Tom", "Tommy"},
	"Christopher": {"Chris", "Kit"}, "Daniel": {"Dan", "Danny"}, "Matthew": {"Matt"}, "Anthony": {"Tony"},
	"Steven": {"Steve"}, "Andrew": {"Andy", "Drew"}, "Joshua": {"Josh"}, "Edward": {"Ed", "Eddie", "Ted"},
	"Henry": {"Harry", "Hank"}, "Alexander": {"Alex", "Sandy", "Xander"}, "Charles": {"Charlie", "Chuck"},
	"Mary": {"Molly", "Polly", "Mae"}, "Patricia": {"Pat", "Patty", "Trish"}, "Jennifer": {"Jen", "Jenny"},
	"Elizabeth": {"Liz", "Beth", "Betty", "Eliza"}, "Barbara": {"Barb", "Babs"}, "Susan": {"Sue", "Susie"},
	"Jessica": {"Jess", "Jessie"}, "Katherine": {"Kate", "Kathy", "Katie"}, "Catherine": {"Cathy", "Kate", "Cat"},
	"Margaret": {"Maggie", "Peggy", "Meg"}, "Emily": {"Em", "Emmy"}, "Charlotte": {"Lottie", "Charlie"},
	"Sophie": {"Soph"}, "Olivia": {"Liv", "Livvy"}, "Ashley": {"Ash"}, "Sarah": {"Sally", "Sadie"},
	"Stefan": {"Steffen"}, "Andreas": {"Andi"}, "Johannes": {"Hannes", "Jo"}, "Wolfgang": {"Wolf"},
	"Katharina": {"Kathi", "Katja"}, "Maximilian": {"Max"}, "Jürgen": {"Jogi"}, "Klaus": {"Klausi"},
	"Francesco": {"Franco", "Cesco"}, "Giuseppe": {"Beppe", "Pino"}, "Alessandro": {"Sandro", "Alex"},
	"Giovanni": {"Gianni", "Nino"}, "Roberto": {"Rob", "Berto"}, "Francesca": {"Franca", "Fran"},
	"José": {"Pepe", "Chema"}, "Francisco": {"Paco", "Pancho", "Fran"}, "Manuel": {"Manolo", "Manu"},
	"Antonio": {"Toni", "Toño"}, "Alejandro": {"Alex", "Ale"}, "Jesús": {"Chus", "Chuy"}, "Javier": {"Javi"},
	"Dolores": {"Lola"}, "Cristina": {"Cris"}, "Nicolas": {"Nico"}, "Sébastien": {"Seb"}, "Frédéric": {"Fred"},
	"Jan": {"Jantje"}, "Johanna": {"Jo", "Hanna"}, "Hendrik": {"Henk"}, "Cornelis": {"Kees"}, "Pieter": {"Piet"},
	"Willem": {"Wim"}, "Johan": {"Jonte"}, "Rasmus": {"Rasse"},
	"Piotr": {"Piotrek"}, "Krzysztof": {"Krzysiek"}, "Małgorzata": {"Gosia"}, "Katarzyna": {"Kasia"},
	"Łukasz": {"Łukasz"}, "Tomasz": {"Tomek"}, "Michał": {"Michałek"},
	"Александр": {"Саша", "Шура"}, "Дмитрий": {"Дима"}, "Алексей": {"Лёша", "Алёша"}, "Сергей": {"Серёжа"},
	"Михаил": {"Миша"}, "Евгений": {"Женя"}, "Иван": {"Ваня"}, "Наталья": {"Наташа"}, "Екатерина": {"Катя"},
	"Мария": {"Маша"}, "Татьяна": {"Таня"}, "Елена": {"Лена"}, "Ирина": {"Ира"}, "Ольга": {"Оля"},
	"Олександр": {"Сашко"}, "Володимир": {"Володя"}, "Γιώργος": {"Γιωργάκης"}, "Κώστας": {"Κωστής"},
	"Αικατερίνη": {"Κατερίνα"}, "Γιάννης": {"Γιαννάκης"}, "João": {"Joãozinho"}, "Antônio": {"Toninho", "Tonho"},
	"Francisca": {"Chica"}, "Rajesh": {"Raj"}, "Vikram": {"Vicky"}, "Deepak": {"Deep"}, "Priya": {"Pri"},
}

// legalVariants maps a legal form to other spellings a CRM may hold.
var legalVariants = map[string][]string{
	"Inc.": {"Inc", "Incorporated", "INC"}, "LLC": {"L.L.C.", "Llc"}, "Corp.": {"Corp", "Corporation"},
	"Corporation": {"Corp.", "Corp"}, "Co.": {"Company", "Co"}, "Ltd": {"Ltd.", "Limited", "LTD"},
	"Limited": {"Ltd", "Ltd."}, "PLC": {"plc", "P.L.C."}, "LLP": {"L.L.P."},
	"GmbH": {"Gmbh", "G.m.b.H.", "mbH"}, "AG": {"A.G.", "Aktiengesellschaft"}, "GmbH & Co. KG": {"GmbH & Co KG", "GmbH u. Co. KG", "KG"},
	"KG": {"Kommanditgesellschaft"}, "SE": {"S.E."}, "SA": {"S.A.", "sa"}, "SAS": {"S.A.S.", "sas"}, "SARL": {"S.A.R.L.", "Sàrl"},
	"S.L.": {"SL", "S.L.U."}, "S.A.": {"SA"}, "S.p.A.": {"SpA", "S.P.A."}, "S.r.l.": {"Srl", "S.R.L."},
	"B.V.": {"BV", "B.V"}, "N.V.": {"NV"}, "AB": {"Aktiebolag", "(publ)"}, "AS": {"A/S", "ASA"}, "A/S": {"AS", "A.S."},
	"ApS": {"Aps"}, "Oy": {"OY", "Oyj"}, "Oyj": {"Oy"}, "Sp. z o.o.": {"sp. z o.o.", "Sp. z.o.o.", "spółka z o.o."},
	"ООО": {"Общество с ограниченной ответственностью", "OOO"}, "АО": {"ЗАО", "ПАО"}, "ТОВ": {"ТзОВ"},
	"Α.Ε.": {"ΑΕ", "Ανώνυμη Εταιρεία"}, "K.K.": {"KK", "Kabushiki Kaisha", "Co., Ltd."}, "Co., Ltd.": {"Co. Ltd.", "Co Ltd", "Company Limited"},
	"Ltda.": {"Ltda", "LTDA"}, "Pvt. Ltd.": {"Pvt Ltd", "Private Limited", "P. Ltd."}, "Private Limited": {"Pvt. Ltd.", "Pvt Ltd"},
}

// abbreviations are CRM shorthands: long form -> short form (applied both ways).
var abbreviations = [][2]string{
	{"International", "Intl"}, {"Corporation", "Corp"}, {"Company", "Co"}, {"Technologies", "Tech"},
	{"Technology", "Tech"}, {"Manufacturing", "Mfg"}, {"Services", "Svcs"}, {"Brothers", "Bros"},
	{"Associates", "Assoc"}, {"Systems", "Sys"}, {"Holdings", "Hldgs"}, {"Management", "Mgmt"},
	{"Engineering", "Eng"}, {"Solutions", "Solns"}, {"Laboratories", "Labs"}, {"Industries", "Inds"},
	{"Consulting", "Cnslt"}, {"Pharmaceuticals", "Pharma"}, {"Communications", "Comms"},
	{" and ", " & "}, {" & ", " and "}, {" und ", " & "}, {" et ", " & "}, {" y ", " & "},
}

// countries is the country table, weights are relative shares of entities.
var countries = []country{
	{code: "US", name: "United States", weight: 28, tlds: l("com,us"),
		cities: l("New York,San Francisco,Chicago,Austin,Boston,Seattle,Atlanta,Denver,Dallas,Los Angeles,Miami,Phoenix"),
		legal:  l("Inc.,LLC,Corp.,Corporation,Co."),
		first:  l("James,John,Robert,Michael,William,David,Richard,Joseph,Thomas,Christopher,Daniel,Matthew,Anthony,Steven,Andrew,Joshua,Charles,Edward,Mary,Patricia,Jennifer,Linda,Elizabeth,Barbara,Susan,Jessica,Sarah,Karen,Katherine,Margaret,Emily,Ashley"), female: 18,
		last:  l("Smith,Johnson,Williams,Brown,Jones,Garcia,Miller,Davis,Rodriguez,Martinez,Hernandez,Lopez,Wilson,Anderson,Thomas,Taylor,Moore,Jackson,Martin,Lee,Thompson,White,Harris,Clark,Lewis,Robinson,Walker,Young,Allen,King,Wright,Scott,Nguyen,Hill,Green,Baker,Nelson,Carter,Mitchell,Roberts,O'Brien,McDonald,Kowalski,Schneider,Cohen,Murphy,Sullivan,Kim,Patel,Washington"),
		words: w("Analytics/it|Software/sw|Capital/fin|Health/health|Logistics/log|Consulting/biz"), family: l("& Sons,Brothers,& Associates,& Co.,Family Enterprises")},
	{code: "GB", name: "United Kingdom", weight: 10, tlds: l("co.uk,uk,com"),
		cities: l("London,Manchester,Birmingham,Edinburgh,Glasgow,Leeds,Bristol,Cambridge,Oxford,Cardiff"),
		legal:  l("Ltd,Limited,PLC,LLP"),
		first:  l("Oliver,George,Harry,Jack,Charlie,Thomas,William,James,Alexander,Edward,Henry,David,Olivia,Amelia,Isla,Emily,Sophie,Charlotte,Elizabeth,Margaret,Catherine,Sarah"), female: 12,
		last:  l("Smith,Jones,Taylor,Brown,Williams,Wilson,Johnson,Davies,Robinson,Wright,Thompson,Evans,Walker,White,Roberts,Green,Hall,Wood,Jackson,Clarke,Hughes,Edwards,Patel,Khan,Lewis,Harrison,Morgan,Cooper,Ward,Fraser-Smith"),
		words: w("Consulting/biz|Engineering/mfg|Estates/re|Insurance/ins|Publishing/media|Recruitment/staff"), family: l("& Sons,& Co.,Brothers,& Partners")},
	{code: "DE", name: "Germany", weight: 10, tlds: l("de,com,eu"),
		cities: l("Berlin,München,Hamburg,Köln,Frankfurt am Main,Stuttgart,Düsseldorf,Leipzig,Nürnberg,Dresden"),
		legal:  l("GmbH,GmbH,AG,GmbH & Co. KG,KG,SE,e.K."),
		first:  l("Thomas,Michael,Andreas,Stefan,Jürgen,Klaus,Peter,Wolfgang,Lukas,Jonas,Maximilian,Johannes,Jörg,Günter,Uwe,Sabine,Petra,Monika,Ursula,Anna,Katharina,Sophie,Birgit,Jutta,Lena"), female: 15,
		last:   l("Müller,Schmidt,Schneider,Fischer,Weber,Meyer,Wagner,Becker,Schulz,Hoffmann,Schäfer,Koch,Bauer,Richter,Klein,Wolf,Schröder,Neumann,Schwarz,Zimmermann,Braun,Krüger,Hofmann,Hartmann,Lange,Werner,Krause,Lehmann,Köhler,Groß,Meier,Maier,Mayer,Schmitt,Schmid"),
		words:  w("Logistik/log|Technik/mach|Maschinenbau/mach|Software/sw|Beratung/biz|Elektronik/elec|Immobilien/re|Versicherung/ins|Handel/whole|Bau/cons|Systeme/it|Anlagenbau/mach|Druckerei/media|Automobil/auto|Energie/energy|Pharma/pharma|Lebensmittel/food"),
		family: l("& Söhne,& Sohn,und Partner,& Co.,Gebrüder")},
	{code: "FR", name: "France", weight: 7, tlds: l("fr,com,eu"),
		cities: l("Paris,Lyon,Marseille,Toulouse,Nice,Nantes,Bordeaux,Lille,Strasbourg,Rennes"),
		legal:  l("SAS,SA,SARL,SE,SNC"),
		first:  l("Jean,Pierre,Michel,Philippe,Alain,Nicolas,François,Sébastien,Julien,Jérôme,Stéphane,Frédéric,Marie,Nathalie,Isabelle,Sylvie,Catherine,Céline,Amélie,Hélène,Léa,Chloé"), female: 12,
		last:   l("Martin,Bernard,Dubois,Thomas,Robert,Richard,Petit,Durand,Leroy,Moreau,Simon,Laurent,Lefèvre,Michel,Garcia,David,Bertrand,Roux,Vincent,Fournier,Girard,Lefebvre,Mercier,Dupont,Lambert,Fontaine,Rousseau,Blanc,Chevalier,Faure"),
		words:  w("Conseil/biz|Ingénierie/mfg|Solutions/it|Services/biz|Transports/log|Industries/mfg|Informatique/it|Distribution/whole|Énergie/energy|Immobilier/re|Assurances/ins|Bâtiment/cons"),
		family: l("et Fils,& Fils,Frères,et Associés")},
	{code: "ES", name: "Spain", weight: 5, tlds: l("es,com"),
		cities: l("Madrid,Barcelona,Valencia,Sevilla,Bilbao,Málaga,Zaragoza,Alicante"),
		legal:  l("S.L.,S.A.,SLU"),
		first:  l("José,Antonio,Manuel,Francisco,Juan,David,Javier,Carlos,Jesús,Alejandro,María,Carmen,Ana,Laura,Isabel,Lucía,Marta,Cristina,Pilar,Sofía,Dolores"), female: 10,
		last:   l("García,Rodríguez,González,Fernández,López,Martínez,Sánchez,Pérez,Gómez,Martín,Jiménez,Ruiz,Hernández,Díaz,Moreno,Muñoz,Álvarez,Romero,Alonso,Gutiérrez,Navarro,Torres,García López,Fernández-Díaz"),
		words:  w("Construcciones/cons|Servicios/biz|Ingeniería/mfg|Consultores/biz|Tecnologías/sw|Transportes/log|Inmobiliaria/re|Alimentación/food|Energía/energy"),
		family: l("Hermanos,e Hijos,y Asociados")},
	{code: "IT", name: "Italy", weight: 5, tlds: l("it,com"),
		cities: l("Milano,Roma,Torino,Napoli,Bologna,Firenze,Genova,Verona,Padova"),
		legal:  l("S.r.l.,S.p.A.,S.a.s."),
		first:  l("Giuseppe,Giovanni,Antonio,Mario,Luigi,Francesco,Alessandro,Andrea,Marco,Roberto,Niccolò,Maria,Anna,Giulia,Francesca,Chiara,Sara,Paola,Elena,Federica"), female: 11,
		last:   l("Rossi,Russo,Ferrari,Esposito,Bianchi,Romano,Colombo,Ricci,Marino,Greco,Bruno,Gallo,Conti,De Luca,Mancini,Costa,Giordano,Rizzo,Lombardi,Moretti,D'Angelo,Fontana"),
		words:  w("Costruzioni/cons|Servizi/biz|Ingegneria/mfg|Consulenza/biz|Tecnologie/sw|Trasporti/log|Meccanica/mach|Alimentari/food|Assicurazioni/ins|Moda/retail"),
		family: l("& Figli,Fratelli,e Figli")},
	{code: "NL", name: "Netherlands", weight: 4, tlds: l("nl,com,eu"),
		cities: l("Amsterdam,Rotterdam,Den Haag,Utrecht,Eindhoven,Groningen,Tilburg"),
		legal:  l("B.V.,B.V.,N.V."),
		first:  l("Jan,Pieter,Johannes,Hendrik,Willem,Cornelis,Daan,Sem,Lucas,Bram,Thijs,Joost,Maria,Anna,Johanna,Emma,Sophie,Julia,Femke,Sanne"), female: 12,
		last:   l("de Jong,Jansen,de Vries,van den Berg,van Dijk,Bakker,Janssen,Visser,Smit,Meijer,de Boer,Mulder,de Groot,Bos,Vos,Peters,Hendriks,van Leeuwen,Dekker,Brouwer,van der Meer"),
		words:  w("Techniek/mach|Bouw/cons|Logistiek/log|Advies/biz|Groep/biz|Installatietechniek/cons|Software/sw|Handel/whole|Verzekeringen/ins"),
		family: l("& Zonen,en Zn.,& Partners")},
	{code: "SE", name: "Sweden", weight: 2, tlds: l("se,com"),
		cities: l("Stockholm,Göteborg,Malmö,Uppsala,Linköping"), legal: l("AB,AB (publ)"),
		first: l("Erik,Lars,Karl,Anders,Johan,Per,Nils,Björn,Maria,Anna,Margareta,Elisabeth,Eva,Kristina,Åsa"), female: 8,
		last:  l("Andersson,Johansson,Karlsson,Nilsson,Eriksson,Larsson,Olsson,Persson,Svensson,Gustafsson,Lindqvist,Bergström,Åberg,Lindström"),
		words: w("Bygg/cons|Teknik/mach|Konsult/biz|Fastigheter/re|Logistik/log|Data/it|Energi/energy"), family: l("& Söner")},
	{code: "NO", name: "Norway", weight: 1, tlds: l("no,com"),
		cities: l("Oslo,Bergen,Trondheim,Stavanger,Tromsø"), legal: l("AS,ASA"),
		first: l("Ole,Lars,Jan,Per,Bjørn,Knut,Kari,Anne,Ingrid,Liv,Solveig"), female: 6,
		last:  l("Hansen,Johansen,Olsen,Larsen,Andersen,Pedersen,Nilsen,Kristiansen,Jensen,Karlsen,Løvås,Bråten"),
		words: w("Bygg/cons|Teknikk/mach|Rådgivning/biz|Eiendom/re|Shipping/ship|Energi/oil|Fisk/food"), family: l("& Sønner")},
	{code: "DK", name: "Denmark", weight: 1, tlds: l("dk,com"),
		cities: l("København,Aarhus,Odense,Aalborg"), legal: l("A/S,ApS"),
		first: l("Søren,Jens,Niels,Mads,Rasmus,Mette,Hanne,Anne,Kirsten,Line"), female: 5,
		last:  l("Jensen,Nielsen,Hansen,Pedersen,Andersen,Christensen,Larsen,Sørensen,Rasmussen,Jørgensen,Møller"),
		words: w("Byg/cons|Teknik/mach|Rådgivning/biz|Ejendomme/re|Shipping/ship|Energi/energy"), family: l("& Søn")},
	{code: "FI", name: "Finland", weight: 1, tlds: l("fi,com"),
		cities: l("Helsinki,Espoo,Tampere,Turku,Oulu"), legal: l("Oy,Oyj"),
		first: l("Juha,Timo,Matti,Mikko,Jari,Anne,Tuula,Päivi,Riitta,Sanna"), female: 5,
		last:  l("Korhonen,Virtanen,Mäkinen,Nieminen,Mäkelä,Hämäläinen,Laine,Heikkinen,Koskinen,Järvinen"),
		words: w("Rakennus/cons|Tekniikka/mach|Konsultointi/biz|Kiinteistöt/re|Logistiikka/log|Ohjelmistot/sw")},
	{code: "PL", name: "Poland", weight: 3, tlds: l("pl,com,com.pl"),
		cities: l("Warszawa,Kraków,Łódź,Wrocław,Poznań,Gdańsk,Katowice"), legal: l("Sp. z o.o.,Sp. z o.o.,S.A."),
		first: l("Piotr,Krzysztof,Andrzej,Tomasz,Paweł,Michał,Marcin,Łukasz,Grzegorz,Anna,Maria,Katarzyna,Małgorzata,Agnieszka,Barbara"), female: 9,
		last:  l("Nowak,Kowalski,Wiśniewski,Wójcik,Kowalczyk,Kamiński,Lewandowski,Zieliński,Szymański,Woźniak,Dąbrowski,Kozłowski,Jankowski,Mazur"),
		words: w("Budownictwo/cons|Usługi/biz|Technologie/sw|Transport/log|Handel/whole|Inżynieria/mfg|Systemy/it|Meble/mfg"), family: l("i Synowie,i Wspólnicy")},
	{code: "RU", name: "Россия", weight: 3, script: cyrillic, tlds: l("ru,com,рф"),
		cities: l("Москва,Санкт-Петербург,Новосибирск,Екатеринбург,Казань,Нижний Новгород"), legal: l("ООО,ООО,АО,ПАО,ЗАО"), legalFirst: true,
		first: l("Александр,Сергей,Дмитрий,Андрей,Алексей,Максим,Евгений,Иван,Михаил,Наталья,Елена,Ольга,Татьяна,Ирина,Анна,Мария,Екатерина"), female: 9,
		last:  l("Иванов,Смирнов,Кузнецов,Попов,Васильев,Петров,Соколов,Михайлов,Новиков,Фёдоров,Морозов,Волков,Алексеев,Лебедев,Семёнов"),
		words: w("Технологии/sw|Строй/cons|Логистика/log|Консалтинг/biz|Инвест/fin|Системы/it|Энерго/energy|Нефтегаз/oil|Агро/agri|Транс/log|Пром/mfg|Торг/whole")},
	{code: "UA", name: "Україна", weight: 2, script: cyrillic, tlds: l("ua,com.ua,com"),
		cities: l("Київ,Харків,Одеса,Дніпро,Львів"), legal: l("ТОВ,ТОВ,ПАТ,ПрАТ"), legalFirst: true,
		first: l("Олександр,Андрій,Сергій,Дмитро,Володимир,Олена,Наталія,Оксана,Ірина,Юлія"), female: 5,
		last:  l("Мельник,Шевченко,Бойко,Коваленко,Бондаренко,Ткаченко,Кравченко,Олійник,Шевчук,Коваль,Поліщук"),
		words: w("Технології/sw|Буд/cons|Логістик/log|Агро/agri|Енерго/energy|Інвест/fin|Софт/sw|Торг/whole")},
	{code: "GR", name: "Ελλάδα", weight: 2, script: greek, tlds: l("gr,com"),
		cities: l("Αθήνα,Θεσσαλονίκη,Πάτρα,Ηράκλειο,Πειραιάς"), legal: l("Α.Ε.,Ε.Π.Ε.,Ι.Κ.Ε."),
		first: l("Γιώργος,Δημήτρης,Κώστας,Γιάννης,Νίκος,Μαρία,Ελένη,Αικατερίνη,Βασιλική,Σοφία"), female: 5,
		last:  l("Παπαδόπουλος,Παπαδάκης,Γεωργίου,Οικονόμου,Βασιλείου,Νικολάου,Καραγιάννης,Παπανικολάου,Ιωάννου,Δημητρίου"),
		words: w("Τεχνική/cons|Κατασκευαστική/cons|Εμπορική/whole|Συμβουλευτική/biz|Ναυτιλιακή/ship|Πληροφορική/it|Ενέργεια/energy"), family: l("& Υιοί,& ΣΙΑ")},
	{code: "JP", name: "Japan", weight: 4, tlds: l("co.jp,jp,com"),
		cities: l("Tokyo,Osaka,Nagoya,Yokohama,Fukuoka,Kyoto,Sapporo"), legal: l("Co., Ltd.|K.K.|Corporation|Inc."),
		first: l("Hiroshi,Takashi,Kenji,Satoshi,Akira,Daisuke,Kazuo,Yuki,Yuko,Keiko,Haruka,Naoko"), female: 7,
		last:  l("Sato,Suzuki,Takahashi,Tanaka,Watanabe,Ito,Yamamoto,Nakamura,Kobayashi,Kato,Yoshida,Yamada,Sasaki,Matsumoto"),
		words: w("Shoji/trade|Kogyo/mfg|Denki/elec|Seisakusho/mach|Kensetsu/cons|Tsusho/trade|Sangyo/mfg|Holdings/fin|Electronics/elec|Systems/it|Pharmaceutical/pharma|Foods/food")},
	{code: "CN", name: "China", weight: 4, tlds: l("cn,com.cn,com"),
		cities: l("Beijing,Shanghai,Shenzhen,Guangzhou,Hangzhou,Chengdu,Wuhan"), legal: l("Co., Ltd.|Group Co., Ltd.|Co., Ltd."),
		first: l("Wei,Jie,Lei,Qiang,Ming,Jun,Li,Jing,Min,Yan,Hui,Xin,Fang"), female: 6,
		last:  l("Wang,Li,Zhang,Liu,Chen,Yang,Huang,Zhao,Wu,Zhou,Xu,Sun,Ma,Zhu"),
		words: w("Technology/sw|Electronics/elec|Trading/trade|Industrial/mfg|Pharmaceutical/pharma|Network/tel|Intelligent Manufacturing/mach|New Energy/energy|Logistics/log|Biotech/bio")},
	{code: "BR", name: "Brazil", weight: 4, tlds: l("com.br,com"),
		cities: l("São Paulo,Rio de Janeiro,Belo Horizonte,Curitiba,Porto Alegre,Brasília,Recife"), legal: l("Ltda.,Ltda.,S.A.,ME,EIRELI"),
		first: l("João,José,Antônio,Francisco,Carlos,Paulo,Pedro,Lucas,Maria,Ana,Francisca,Antônia,Adriana,Juliana,Márcia,Fernanda"), female: 8,
		last:   l("Silva,Santos,Oliveira,Souza,Rodrigues,Ferreira,Alves,Pereira,Lima,Gomes,Costa,Ribeiro,Martins,Carvalho,Araújo,da Silva,dos Santos"),
		words:  w("Comércio/whole|Serviços/biz|Engenharia/mfg|Tecnologia/sw|Transportes/log|Construtora/cons|Distribuidora/whole|Participações/fin|Alimentos/food|Agropecuária/agri"),
		family: l("& Filhos,e Filhos,Irmãos")},
	{code: "IN", name: "India", weight: 6, tlds: l("in,co.in,com"),
		cities: l("Mumbai,Bengaluru,New Delhi,Chennai,Hyderabad,Pune,Kolkata,Ahmedabad"), legal: l("Pvt. Ltd.,Private Limited,Ltd.,LLP"),
		first: l("Rahul,Amit,Rajesh,Suresh,Sanjay,Vikram,Arjun,Deepak,Anil,Priya,Anjali,Sunita,Pooja,Neha,Kavita"), female: 9,
		last:   l("Sharma,Patel,Singh,Kumar,Gupta,Reddy,Iyer,Nair,Shah,Mehta,Jain,Rao,Agarwal,Verma,Chatterjee"),
		words:  w("Infotech/it|Technologies/sw|Solutions/it|Enterprises/whole|Industries/mfg|Exports/trade|Software Services/it|Consultancy/biz|Pharma/pharma|Textiles/mfg|Motors/auto"),
		family: l("& Sons,& Co.,Brothers")},
}

// countryCodes maps a country's name to its ISO code and back, for location variants.
var countryLatin = map[string]string{"RU": "Russia", "UA": "Ukraine", "GR": "Greece"}
