package synth

import (
	"math/rand/v2"
	"strings"
)

// Real name distributions have a long tail: the 50 most common US surnames
// cover under a tenth of people. The country tables hold the head; each
// World adds a tail of invented but plausible surnames per country, so that
// common names stay common (many Smiths) without a million-member directory
// being made only of them.

// surnameStyle invents surnames in a country's manner: a stem of one or two
// syllables and a typical ending.
type surnameStyle struct {
	syllables []string
	endings   []string
	prefixes  []string // optional particles ("van ", "de "), "" included
	headShare float64  // share of surnames drawn from the country's head list
}

var (
	latinSyllables    = l("bar,cal,den,fal,gar,hal,kes,lan,mar,nor,pel,ros,sal,tor,val,wal,bren,dor,fen,gil,hol,kor,lind,mor,ost,rad,sten,tal,wil,zan,ber,cas,dal,el,fer,gor,har,ing,jan,kel,lor,mil,nel,or,pal,quin,ren,sor,tem,ul,ver,wer,ash,brook,char,dun,east,mer,ral,ston")
	cyrillicSyllables = l("бор,вол,гор,дуб,жук,зор,кар,кос,лап,мал,мор,нос,пол,рад,сав,сок,тар,хол,чер,шap,бел,вер,гал,дем,ер,зим,кул,лес,мед,нов,пет,сит,тих,фил,шев")
	greekSyllables    = l("παπ,αδ,καρ,νικ,γεωργ,δημ,κωστ,μαυρ,λαμπρ,σταθ,χατζ,τσακ,βλαχ,ζαχ,ηλι,θεοδ,κυρ,μιχ,πετρ,σπυρ,τζαν,φωτ,χριστ,αντ")
	japaneseSyllables = l("ka,ki,ku,ko,sa,shi,su,ta,chi,tsu,to,na,ni,no,ha,hi,fu,ho,ma,mi,mo,ya,yo,ra,ri,ro,wa,ga,go,za,da,ba")
	pinyinSyllables   = l("an,bai,bo,chen,chun,da,fei,feng,gang,guo,hai,hao,hong,hua,jia,jian,jun,kai,lan,li,lin,ling,mei,ming,ning,peng,qing,rong,shan,tao,ting,wen,xia,xiao,xin,yang,yi,ying,yu,yun,zhen,zhi")
)

var surnameStyles = map[string]surnameStyle{
	"US": {latinSyllables, l("son,ton,ley,field,wood,man,er,ford,well,by,ham,worth,s,ing"), nil, 0.10},
	"GB": {latinSyllables, l("son,ton,ley,field,wood,man,er,ford,well,by,ham,worth,bridge,combe"), nil, 0.10},
	"DE": {latinSyllables, l("mann,er,berg,feld,hoff,bauer,meier,ke,ler,inger,hardt,stein,brück,häuser"), nil, 0.15},
	"FR": {latinSyllables, l("ier,eau,et,in,ard,ot,on,ault,elle,ais,ac,oux"), nil, 0.15},
	"ES": {latinSyllables, l("ez,es,ero,ado,illo,ón,ana,era,ueta"), nil, 0.3},
	"IT": {latinSyllables, l("ini,etti,ello,one,ari,ucci,otti,ese,ardi,elli"), nil, 0.15},
	"NL": {latinSyllables, l("man,ink,stra,ma,er,s,hof,kamp,huis"), l("|van |de |van der |van den "), 0.15},
	"SE": {latinSyllables, l("sson,berg,ström,lund,qvist,gren,blad"), nil, 0.2},
	"NO": {latinSyllables, l("sen,rud,stad,gaard,holm,vik,dal"), nil, 0.2},
	"DK": {latinSyllables, l("sen,gaard,holm,bæk,strup,lund"), nil, 0.3},
	"FI": {latinSyllables, l("nen,la,lä,inen,o,mäki,niemi"), nil, 0.2},
	"PL": {latinSyllables, l("ski,czyk,ak,ewicz,owski,ek,iak"), nil, 0.15},
	"RU": {cyrillicSyllables, l("ов,ев,ин,ский,енков"), nil, 0.15},
	"UA": {cyrillicSyllables, l("енко,чук,ук,ський,ич,ко"), nil, 0.2},
	"GR": {greekSyllables, l("ίδης,άκης,όπουλος,ίου,άτος,έλης"), nil, 0.2},
	"JP": {japaneseSyllables, l("da,moto,mura,shita,kawa,yama,no,saki,hara,bayashi"), nil, 0.3},
	"CN": {pinyinSyllables, l(""), nil, 0.75},
	"BR": {latinSyllables, l("eira,ão,es,inho,ares,ento,ado"), nil, 0.3},
	"IN": {latinSyllables, l("an,esh,war,ani,ari,ia,kar,wal"), nil, 0.25},
}

// tailSize is how many invented surnames a country gets in a world of n entities.
func tailSize(n, weight, totalWeight int) int {
	return min(300+n*weight/totalWeight/6, 60000)
}

// inventSurname makes one surname in style st.
func inventSurname(rng *rand.Rand, st *surnameStyle) string {
	var b strings.Builder
	if len(st.prefixes) > 0 {
		b.WriteString(pick(rng, st.prefixes))
	}
	start := b.Len()
	b.WriteString(pick(rng, st.syllables))
	if rng.IntN(2) == 0 || b.Len()-start < 3 {
		b.WriteString(pick(rng, st.syllables))
	}
	b.WriteString(pick(rng, st.endings))
	s := b.String()
	// Capitalise the stem's first letter.
	rs := []rune(s)
	i := len([]rune(s[:start]))
	rs[i] = []rune(strings.ToUpper(string(rs[i])))[0]
	return string(rs)
}

// buildSurnames makes the per-country surname tails of a world.
func buildSurnames(seed uint64, n int) [][]string {
	rng := rand.New(rand.NewPCG(seed, 0x2545f4914f6cdd1d))
	total := 0
	for _, c := range countries {
		total += c.weight
	}
	tails := make([][]string, len(countries))
	for i := range countries {
		c := &countries[i]
		st, ok := surnameStyles[c.code]
		if !ok {
			continue
		}
		size := tailSize(n, c.weight, total)
		seen := make(map[string]bool, size)
		for _, s := range c.last {
			seen[s] = true
		}
		for try := 0; len(tails[i]) < size && try < 4*size; try++ {
			s := inventSurname(rng, &st)
			if !seen[s] {
				seen[s] = true
				tails[i] = append(tails[i], s)
			}
		}
	}
	return tails
}

// surname draws a surname of country ci: from the head list (common names,
// very skewed) or from the world's tail (flatter).
func (g *gen) surname(ci uint8) string {
	c := &countries[ci]
	st := surnameStyles[c.code]
	tail := g.w.surnames[ci]
	if len(tail) == 0 || g.rng.Float64() < st.headShare {
		return c.last[skewed(g.rng, len(c.last), 1.8)]
	}
	return tail[skewed(g.rng, len(tail), 1.3)]
}

// givenName draws a given name of country ci; Chinese given names are often
// two syllables ("Xiaoming").
func (g *gen) givenName(ci uint8) (name string, female bool) {
	c := &countries[ci]
	fi := skewed(g.rng, len(c.first), 1.4)
	female = fi >= c.female
	name = c.first[fi]
	if c.code == "CN" && g.rng.IntN(2) == 0 {
		s := pick(g.rng, pinyinSyllables) + pick(g.rng, pinyinSyllables)
		name = strings.ToUpper(s[:1]) + s[1:]
	}
	return name, female
}
