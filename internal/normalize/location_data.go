package normalize

// countryData lists countries, one a line: alpha-2, alpha-3, English name,
// then aliases (native names, common short forms), separated by "|".
// Names are folded when the table is built.
const countryData = `US|USA|United States|United States of America|America|U.S.|U.S.A.|US of A|Estados Unidos|Vereinigte Staaten|Etats-Unis
GB|GBR|United Kingdom|UK|U.K.|Great Britain|Britain|England|Scotland|Wales|Northern Ireland|Royaume-Uni|Vereinigtes Königreich|Reino Unido
DE|DEU|Germany|Deutschland|Allemagne|Alemania|Germania|Niemcy|Германия
FR|FRA|France|Frankreich|Francia|Francja|Франция
ES|ESP|Spain|España|Espana|Spanien|Espagne|Spagna
IT|ITA|Italy|Italia|Italien|Italie
PT|PRT|Portugal
NL|NLD|Netherlands|The Netherlands|Holland|Nederland|Niederlande|Pays-Bas|Países Bajos
BE|BEL|Belgium|België|Belgique|Belgien|Belgie
LU|LUX|Luxembourg|Luxemburg|Lëtzebuerg
CH|CHE|Switzerland|Schweiz|Suisse|Svizzera|Suiza|Confoederatio Helvetica
AT|AUT|Austria|Österreich|Osterreich|Autriche
IE|IRL|Ireland|Republic of Ireland|Éire|Eire
DK|DNK|Denmark|Danmark|Dänemark
SE|SWE|Sweden|Sverige|Schweden|Suède
NO|NOR|Norway|Norge|Noreg|Norwegen|Norvège
FI|FIN|Finland|Suomi|Finnland
IS|ISL|Iceland|Ísland
PL|POL|Poland|Polska|Polen|Pologne
CZ|CZE|Czech Republic|Czechia|Česko|Česká republika|Tschechien
SK|SVK|Slovakia|Slovensko|Slowakei
HU|HUN|Hungary|Magyarország|Ungarn
RO|ROU|Romania|România|Rumänien
BG|BGR|Bulgaria|България|Bulgarien
GR|GRC|Greece|Hellas|Ελλάδα|Ελλάς|Griechenland|Grèce
TR|TUR|Turkey|Türkiye|Turkiye|Türkei
RU|RUS|Russia|Russian Federation|Россия|Rossiya|Российская Федерация|Russland
UA|UKR|Ukraine|Україна|Ukraina
BY|BLR|Belarus|Беларусь|Byelorussia
EE|EST|Estonia|Eesti|Estland
LV|LVA|Latvia|Latvija|Lettland
LT|LTU|Lithuania|Lietuva|Litauen
SI|SVN|Slovenia|Slovenija|Slowenien
HR|HRV|Croatia|Hrvatska|Kroatien
RS|SRB|Serbia|Србија|Srbija|Serbien
BA|BIH|Bosnia and Herzegovina|Bosnia|Bosna i Hercegovina
MK|MKD|North Macedonia|Macedonia|Северна Македонија
AL|ALB|Albania|Shqipëria
MT|MLT|Malta
CY|CYP|Cyprus|Κύπρος|Kibris
MC|MCO|Monaco
LI|LIE|Liechtenstein
MD|MDA|Moldova|Republic of Moldova
GE|GEO|Georgia|Sakartvelo|საქართველო
AM|ARM|Armenia|Hayastan|Հայաստան
AZ|AZE|Azerbaijan|Azərbaycan
KZ|KAZ|Kazakhstan|Қазақстан|Казахстан
UZ|UZB|Uzbekistan|O'zbekiston
CA|CAN|Canada
MX|MEX|Mexico|México|Estados Unidos Mexicanos
BR|BRA|Brazil|Brasil|Brasilien
AR|ARG|Argentina
CL|CHL|Chile
CO|COL|Colombia|Kolumbien
PE|PER|Peru|Perú
VE|VEN|Venezuela
EC|ECU|Ecuador
UY|URY|Uruguay
PY|PRY|Paraguay
BO|BOL|Bolivia
CR|CRI|Costa Rica
PA|PAN|Panama|Panamá
GT|GTM|Guatemala
DO|DOM|Dominican Republic|República Dominicana
PR|PRI|Puerto Rico
JM|JAM|Jamaica
CU|CUB|Cuba
CN|CHN|China|People's Republic of China|PRC|中国|中國|Zhongguo|Mainland China
HK|HKG|Hong Kong|香港|Hong Kong SAR
TW|TWN|Taiwan|台灣|台湾|Republic of China
JP|JPN|Japan|日本|Nippon|Nihon
KR|KOR|South Korea|Korea|Republic of Korea|대한민국|한국|Korea, Republic of
IN|IND|India|Bharat|भारत
PK|PAK|Pakistan
BD|BGD|Bangladesh
LK|LKA|Sri Lanka
NP|NPL|Nepal
SG|SGP|Singapore|新加坡|Singapura
MY|MYS|Malaysia
ID|IDN|Indonesia
TH|THA|Thailand|ประเทศไทย|Prathet Thai
VN|VNM|Vietnam|Viet Nam|Việt Nam
PH|PHL|Philippines|Pilipinas
AU|AUS|Australia
NZ|NZL|New Zealand|Aotearoa
IL|ISR|Israel|ישראל
AE|ARE|United Arab Emirates|UAE|U.A.E.|Emirates|الإمارات
SA|SAU|Saudi Arabia|KSA|Kingdom of Saudi Arabia|السعودية
QA|QAT|Qatar|قطر
KW|KWT|Kuwait
BH|BHR|Bahrain
OM|OMN|Oman
JO|JOR|Jordan
LB|LBN|Lebanon
IR|IRN|Iran|ایران
IQ|IRQ|Iraq
EG|EGY|Egypt|مصر|Misr
MA|MAR|Morocco|Maroc|المغرب
DZ|DZA|Algeria|Algérie
TN|TUN|Tunisia|Tunisie
NG|NGA|Nigeria
GH|GHA|Ghana
KE|KEN|Kenya
ET|ETH|Ethiopia
TZ|TZA|Tanzania
UG|UGA|Uganda
ZA|ZAF|South Africa|Suid-Afrika|RSA
CI|CIV|Côte d'Ivoire|Ivory Coast|Cote d'Ivoire
SN|SEN|Senegal|Sénégal
RW|RWA|Rwanda`

// regionData lists US states (and DC), Canadian provinces and territories
// and Australian states and territories: country, code, name.
const regionData = `US|AL|Alabama
US|AK|Alaska
US|AZ|Arizona
US|AR|Arkansas
US|CA|California
US|CO|Colorado
US|CT|Connecticut
US|DE|Delaware
US|DC|District of Columbia
US|FL|Florida
US|GA|Georgia
US|HI|Hawaii
US|ID|Idaho
US|IL|Illinois
US|IN|Indiana
US|IA|Iowa
US|KS|Kansas
US|KY|Kentucky
US|LA|Louisiana
US|ME|Maine
US|MD|Maryland
US|MA|Massachusetts
US|MI|Michigan
US|MN|Minnesota
US|MS|Mississippi
US|MO|Missouri
US|MT|Montana
US|NE|Nebraska
US|NV|Nevada
US|NH|New Hampshire
US|NJ|New Jersey
US|NM|New Mexico
US|NY|New York
US|NC|North Carolina
US|ND|North Dakota
US|OH|Ohio
US|OK|Oklahoma
US|OR|Oregon
US|PA|Pennsylvania
US|RI|Rhode Island
US|SC|South Carolina
US|SD|South Dakota
US|TN|Tennessee
US|TX|Texas
US|UT|Utah
US|VT|Vermont
US|VA|Virginia
US|WA|Washington
US|WV|West Virginia
US|WI|Wisconsin
US|WY|Wyoming
CA|AB|Alberta
CA|BC|British Columbia
CA|MB|Manitoba
CA|NB|New Brunswick
CA|NL|Newfoundland and Labrador
CA|NS|Nova Scotia
CA|NT|Northwest Territories
CA|NU|Nunavut
CA|ON|Ontario
CA|PE|Prince Edward Island
CA|QC|Quebec
CA|SK|Saskatchewan
CA|YT|Yukon
AU|NSW|New South Wales
AU|VIC|Victoria
AU|QLD|Queensland
AU|WA|Western Australia
AU|SA|South Australia
AU|TAS|Tasmania
AU|ACT|Australian Capital Territory
AU|NT|Northern Territory`

// cityData lists major cities: country, canonical English name, then
// aliases (native and former names).
const cityData = `US|New York|New York City|NYC|Manhattan|Brooklyn
US|Los Angeles|L.A.
US|Chicago
US|Houston
US|Phoenix
US|Philadelphia|Philly
US|San Antonio
US|San Diego
US|Dallas
US|San Jose
US|Austin
US|Jacksonville
US|Fort Worth
US|Columbus
US|Charlotte
US|San Francisco|SF
US|Indianapolis
US|Seattle
US|Denver
US|Washington|Washington DC|Washington D.C.
US|Boston
US|Nashville
US|Detroit
US|Portland
US|Las Vegas
US|Memphis
US|Louisville
US|Baltimore
US|Milwaukee
US|Albuquerque
US|Tucson
US|Fresno
US|Sacramento
US|Kansas City
US|Atlanta
US|Miami
US|Raleigh
US|Omaha
US|Minneapolis
US|Oakland
US|Tulsa
US|Cleveland
US|Tampa
US|New Orleans
US|Pittsburgh
US|Cincinnati
US|St. Louis|Saint Louis
US|Orlando
US|Salt Lake City
US|Palo Alto
US|Mountain View
US|Menlo Park
US|Sunnyvale
US|Santa Clara
US|Cupertino
US|Redmond
US|Bellevue
US|Irvine
US|Honolulu
US|Anchorage
US|Boise
US|Richmond
US|Hartford
US|Newark
US|Jersey City
US|Stamford
US|Princeton
US|Ann Arbor
US|Boulder
US|Scottsdale
US|Plano
US|Durham
CA|Toronto
CA|Montreal|Montréal
CA|Vancouver
CA|Calgary
CA|Edmonton
CA|Ottawa
CA|Winnipeg
CA|Quebec City|Québec|Ville de Québec
CA|Hamilton
CA|Halifax
CA|Victoria
CA|Waterloo
CA|Mississauga
MX|Mexico City|Ciudad de México|CDMX|Ciudad de Mexico|Mexico DF
MX|Guadalajara
MX|Monterrey
MX|Puebla
MX|Tijuana
MX|Cancun|Cancún
BR|São Paulo|Sao Paulo
BR|Rio de Janeiro|Rio
BR|Brasília|Brasilia
BR|Belo Horizonte
BR|Salvador
BR|Curitiba
BR|Porto Alegre
BR|Recife
BR|Fortaleza
AR|Buenos Aires
AR|Córdoba|Cordoba
AR|Rosario
CL|Santiago|Santiago de Chile
CO|Bogotá|Bogota
CO|Medellín|Medellin
CO|Cali
PE|Lima
VE|Caracas
EC|Quito
EC|Guayaquil
UY|Montevideo
PY|Asunción|Asuncion
BO|La Paz
PA|Panama City|Ciudad de Panamá
GT|Guatemala City
DO|Santo Domingo
PR|San Juan
JM|Kingston
CU|Havana|La Habana
GB|London|Londres|Londra
GB|Manchester
GB|Birmingham
GB|Liverpool
GB|Leeds
GB|Glasgow
GB|Edinburgh
GB|Bristol
GB|Sheffield
GB|Newcastle|Newcastle upon Tyne
GB|Nottingham
GB|Leicester
GB|Cardiff
GB|Belfast
GB|Cambridge
GB|Oxford
GB|Reading
GB|Southampton
GB|Aberdeen
GB|Brighton
IE|Dublin|Baile Átha Cliath
IE|Cork
IE|Galway
IE|Limerick
FR|Paris
FR|Marseille|Marseilles
FR|Lyon|Lyons
FR|Toulouse
FR|Nice
FR|Nantes
FR|Strasbourg|Straßburg
FR|Montpellier
FR|Bordeaux
FR|Lille
FR|Rennes
FR|Grenoble
FR|Sophia Antipolis
DE|Berlin
DE|Hamburg
DE|Munich|München|Muenchen|Monaco di Baviera
DE|Cologne|Köln|Koeln
DE|Frankfurt|Frankfurt am Main
DE|Stuttgart
DE|Düsseldorf|Duesseldorf
DE|Leipzig
DE|Dortmund
DE|Essen
DE|Bremen
DE|Dresden
DE|Hanover|Hannover
DE|Nuremberg|Nürnberg|Nuernberg
DE|Duisburg
DE|Bonn
DE|Karlsruhe
DE|Mannheim
DE|Wiesbaden
DE|Walldorf
DE|Heidelberg
AT|Vienna|Wien|Vienne
AT|Graz
AT|Linz
AT|Salzburg
AT|Innsbruck
CH|Zurich|Zürich|Zuerich
CH|Geneva|Genève|Geneve|Genf|Ginevra
CH|Basel|Bâle|Basle
CH|Bern|Berne
CH|Lausanne
CH|Lugano
CH|Zug
NL|Amsterdam
NL|Rotterdam
NL|The Hague|Den Haag|'s-Gravenhage
NL|Utrecht
NL|Eindhoven
NL|Groningen
BE|Brussels|Bruxelles|Brussel
BE|Antwerp|Antwerpen|Anvers
BE|Ghent|Gent|Gand
BE|Liège|Liege|Luik
BE|Leuven|Louvain
LU|Luxembourg City|Luxembourg|Luxemburg
MC|Monte Carlo
ES|Madrid
ES|Barcelona
ES|Valencia
ES|Seville|Sevilla
ES|Zaragoza|Saragossa
ES|Málaga|Malaga
ES|Bilbao
ES|Palma|Palma de Mallorca
ES|Las Palmas
ES|Alicante
PT|Lisbon|Lisboa|Lissabon
PT|Porto|Oporto
IT|Rome|Roma|Rom
IT|Milan|Milano|Mailand
IT|Naples|Napoli|Neapel
IT|Turin|Torino
IT|Palermo
IT|Genoa|Genova
IT|Bologna
IT|Florence|Firenze|Florenz
IT|Venice|Venezia|Venedig
IT|Verona
IT|Bari
DK|Copenhagen|København|Kobenhavn|Kopenhagen
DK|Aarhus|Århus
SE|Stockholm
SE|Gothenburg|Göteborg|Goteborg
SE|Malmö|Malmo
SE|Uppsala
NO|Oslo
NO|Bergen
NO|Trondheim
NO|Stavanger
FI|Helsinki|Helsingfors
FI|Espoo
FI|Tampere
FI|Turku
IS|Reykjavik|Reykjavík
PL|Warsaw|Warszawa|Warschau
PL|Kraków|Krakow|Cracow|Krakau
PL|Wrocław|Wroclaw|Breslau
PL|Łódź|Lodz
PL|Poznań|Poznan
PL|Gdańsk|Gdansk|Danzig
CZ|Prague|Praha|Prag
CZ|Brno
SK|Bratislava
HU|Budapest
RO|Bucharest|București|Bucuresti|Bukarest
RO|Cluj-Napoca|Cluj
RO|Iași|Iasi
RO|Timișoara|Timisoara
BG|Sofia|София
BG|Plovdiv|Пловдив
BG|Varna|Варна
GR|Athens|Αθήνα|Athina|Athen
GR|Thessaloniki|Θεσσαλονίκη|Salonica
TR|Istanbul|İstanbul
TR|Ankara
TR|Izmir|İzmir
TR|Bursa
TR|Antalya
RU|Moscow|Москва|Moskva|Moskau|Moscou
RU|Saint Petersburg|St Petersburg|St. Petersburg|Санкт-Петербург|Sankt-Peterburg|Petersburg|Leningrad
RU|Novosibirsk|Новосибирск
RU|Yekaterinburg|Екатеринбург|Ekaterinburg
RU|Kazan|Казань
RU|Nizhny Novgorod|Нижний Новгород
RU|Samara|Самара
RU|Rostov-on-Don|Ростов-на-Дону
RU|Krasnodar|Краснодар
RU|Vladivostok|Владивосток
UA|Kyiv|Kiev|Київ|Киев|Kyyiv
UA|Kharkiv|Kharkov|Харків|Харьков
UA|Odesa|Odessa|Одеса|Одесса
UA|Lviv|Lvov|Lemberg|Львів|Львов
UA|Dnipro|Dnipropetrovsk|Дніпро
BY|Minsk|Мінск|Минск
EE|Tallinn
EE|Tartu
LV|Riga|Rīga
LT|Vilnius
LT|Kaunas
SI|Ljubljana
HR|Zagreb
HR|Split
RS|Belgrade|Beograd|Београд
BA|Sarajevo
MK|Skopje|Скопје
AL|Tirana|Tiranë
MT|Valletta
CY|Nicosia|Λευκωσία|Lefkosia
CY|Limassol
MD|Chișinău|Chisinau
GE|Tbilisi|თბილისი
AM|Yerevan|Երևան
AZ|Baku|Bakı
KZ|Almaty|Алматы|Alma-Ata
KZ|Astana|Астана|Nur-Sultan
UZ|Tashkent|Toshkent
CN|Beijing|北京|Peking
CN|Shanghai|上海
CN|Guangzhou|广州|Canton
CN|Shenzhen|深圳
CN|Chengdu|成都
CN|Hangzhou|杭州
CN|Wuhan|武汉
CN|Nanjing|南京
CN|Tianjin|天津
CN|Xi'an|西安|Xian
CN|Chongqing|重庆
CN|Suzhou|苏州
CN|Qingdao|青岛
CN|Dalian|大连
CN|Xiamen|厦门
HK|Hong Kong|香港|Kowloon
TW|Taipei|台北|臺北
TW|Kaohsiung|高雄
TW|Hsinchu|新竹
TW|Taichung|台中
JP|Tokyo|東京|Tōkyō
JP|Osaka|大阪|Ōsaka
JP|Yokohama|横浜
JP|Nagoya|名古屋
JP|Kyoto|京都
JP|Kobe|神戸
JP|Fukuoka|福岡
JP|Sapporo|札幌
KR|Seoul|서울
KR|Busan|부산|Pusan
KR|Incheon|인천
KR|Daejeon|대전
KR|Seongnam|Pangyo
IN|Mumbai|Bombay|मुंबई
IN|Delhi|New Delhi|दिल्ली|NCR
IN|Bengaluru|Bangalore
IN|Hyderabad
IN|Chennai|Madras
IN|Kolkata|Calcutta
IN|Pune|Poona
IN|Ahmedabad
IN|Gurgaon|Gurugram
IN|Noida
IN|Jaipur
IN|Kochi|Cochin
IN|Chandigarh
IN|Lucknow
IN|Indore
IN|Coimbatore
PK|Karachi
PK|Lahore
PK|Islamabad
BD|Dhaka|Dacca
LK|Colombo
NP|Kathmandu
SG|Singapore|新加坡
MY|Kuala Lumpur|KL
MY|Penang|George Town
MY|Johor Bahru
ID|Jakarta
ID|Surabaya
ID|Bandung
ID|Bali|Denpasar
TH|Bangkok|กรุงเทพมหานคร|Krung Thep
TH|Chiang Mai
TH|Phuket
VN|Ho Chi Minh City|Saigon|Thành phố Hồ Chí Minh|HCMC
VN|Hanoi|Hà Nội|Ha Noi
VN|Da Nang|Đà Nẵng
PH|Manila
PH|Quezon City
PH|Makati
PH|Cebu|Cebu City
PH|Taguig
AU|Sydney
AU|Melbourne
AU|Brisbane
AU|Perth
AU|Adelaide
AU|Canberra
AU|Gold Coast
AU|Hobart
AU|Darwin
NZ|Auckland
NZ|Wellington
NZ|Christchurch
IL|Tel Aviv|Tel Aviv-Yafo|תל אביב
IL|Jerusalem|ירושלים
IL|Haifa|חיפה
IL|Herzliya
AE|Dubai|دبي
AE|Abu Dhabi|أبو ظبي
AE|Sharjah
SA|Riyadh|الرياض
SA|Jeddah|Jiddah|جدة
SA|Dammam
QA|Doha|الدوحة
KW|Kuwait City
BH|Manama
OM|Muscat
JO|Amman
LB|Beirut|Beyrouth
IR|Tehran|Teheran|تهران
IQ|Baghdad
EG|Cairo|القاهرة|Le Caire
EG|Alexandria|الإسكندرية
MA|Casablanca|الدار البيضاء
MA|Rabat
MA|Marrakesh|Marrakech
DZ|Algiers|Alger
TN|Tunis
NG|Lagos
NG|Abuja
GH|Accra
KE|Nairobi
KE|Mombasa
ET|Addis Ababa
TZ|Dar es Salaam
UG|Kampala
ZA|Johannesburg|Joburg|Jozi
ZA|Cape Town|Kaapstad
ZA|Durban
ZA|Pretoria
CI|Abidjan
SN|Dakar
RW|Kigali
IT|Padua|Padova
NL|Tilburg
SE|Linköping|Linkoping
NO|Tromsø|Tromso
DK|Odense
DK|Aalborg|Ålborg
FI|Oulu|Uleåborg
PL|Katowice
GR|Patras|Πάτρα|Patra
GR|Heraklion|Ηράκλειο|Iraklio
GR|Piraeus|Πειραιάς|Peiraias
DE|Bochum
DE|Münster|Muenster
DE|Aachen
DE|Freiburg|Freiburg im Breisgau
DE|Augsburg
IT|Trieste
IT|Brescia
ES|Murcia
ES|Valladolid
ES|Granada
UA|Zaporizhzhia|Zaporozhye|Запоріжжя
RU|Chelyabinsk|Челябинск
RU|Omsk|Омск
RU|Ufa|Уфа
RU|Perm|Пермь
RU|Voronezh|Воронеж
RU|Volgograd|Волгоград
CN|Shenyang|沈阳
CN|Harbin|哈尔滨
JP|Sendai|仙台
JP|Hiroshima|広島
IN|Surat
IN|Nagpur
IN|Visakhapatnam|Vizag
IN|Thiruvananthapuram|Trivandrum
BR|Manaus
BR|Belém|Belem
BR|Goiânia|Goiania
BR|Campinas
BR|Florianópolis|Florianopolis
US|Charleston
US|Providence
US|Madison
US|Des Moines
US|Spokane
US|Tacoma
US|Buffalo
US|Rochester
US|Syracuse
US|Albany`
