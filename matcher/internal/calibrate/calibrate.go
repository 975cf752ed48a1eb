package main

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/crmlink/crmlink/internal/synth"
	"github.com/crmlink/crmlink/matcher"
)

// config fixes every input of the measurement: the synthetic world, the
// labelled queries behind M and the random pairs behind U.
type config struct {
	WorldSeed          uint64 // synth.Options.Seed
	Companies, Members int    // size of the synthetic world
	QuerySeed          uint64 // synth.QueryOptions.Seed of the labelled queries
	Queries            int    // labelled queries of each kind, for EstimateM
	Sample             int    // entities of each kind, from the start of the world, for EstimateU
	Pairs              int    // random pairs per kind, for EstimateU
	PairSeed           uint64 // EstimateU's seed
}

// defaultConfig returns the measurement that matcher.DefaultWeights documents.
func defaultConfig() config {
	return config{
		WorldSeed: 11, Companies: 20000, Members: 20000,
		QuerySeed: 3, Queries: 3000,
		Sample: 5000, Pairs: 200000, PairSeed: 1,
	}
}

// override is a value of the table that is set rather than estimated.
type override struct {
	Path  string  // the level, as levelPaths names it ("Website.Exact.U")
	Value float64 // the value set
	Why   string  // the reason, as DefaultWeights documents it
}

// overrides returns the values of matcher.DefaultWeights that no estimate
// gives, with the reasons its documentation states. They are applied after
// the estimates, in this order.
func overrides() []override {
	const unseen = "a level never observed keeps a small non-zero M so that real-world drift is not ruled out"
	return []override{
		{"Email.Exact.U", 1e-8, "two distinct people never share an address"},
		{"Website.Exact.U", 1e-6, "below what the sample can resolve"},
		{"Website.Disagree.M", 0.01, unseen},
		{"CompanyLocation.Disagree.M", 0.01, unseen},
		{"LegalForm.Exact.M", 0.95, "with LegalForm.Disagree.M"},
		{"LegalForm.Disagree.M", 0.05, "companies change legal form (VMware Inc. to LLC, Total S.A. to SE) and CRM records keep the old one, which the synthetic world never does (it measures 0.024, from spellings the normaliser reads as another form): 2 of the 19 true pairs of the hand-written set with two forms; fitting re-estimates it"},
		{"MemberLocation.Disagree.M", 0.01, unseen},
		{"ColleagueLocation.Disagree.M", 0.01, unseen + " (the M of MemberLocation)"},
		{"Employer.Equivalent.M", 0.01, unseen + " (the member queries never abbreviate the employer)"},
		{"EmailPattern.Exact.M", 0.30, "a documented estimate (directories hold no address in clear): a local part follows the names in a third of the addresses"},
		{"EmailPattern.Exact.U", 0.01, "a documented estimate"},
		{"EmailPattern.Disagree.M", 0.70, "a documented estimate"},
		{"EmailPattern.Disagree.U", 0.99, "a documented estimate"},
		{"EmailDomain.Exact.M", 0.75, "a documented estimate: a work address names the employer three times in four"},
		{"EmailDomain.Exact.U", 0.01, "a documented estimate"},
		{"EmailDomain.Disagree.M", 0.25, "a documented estimate"},
		{"EmailDomain.Disagree.U", 0.99, "a documented estimate"},
		{"FirstInitial.M", 0.03, "not estimated by EstimateM; an earlier value"},
		{"FirstInitial.U", 0.07, "not estimated by EstimateU; an earlier value"},
	}
}

// report is the outcome of one measurement.
type report struct {
	Config       config
	CompanyPairs int             // labelled company pairs given to EstimateM
	MemberPairs  int             // labelled member pairs given to EstimateM
	M            matcher.Weights // EstimateM's result, unrounded
	U            matcher.Weights // EstimateU's result on the sample, unrounded
	Colleague    matcher.Weights // EstimateU's result on every member, unrounded (for ColleagueLocation)
	Overrides    []override      // documented values set by hand, applied to Measured
	Measured     matcher.Weights // estimates rounded to two significant figures, then the overrides
	Pinned       []override      // committed values the code does not reproduce (none with fresh)
	Weights      matcher.Weights // Measured with the pins: the table DefaultWeights must return
}

// measure runs the estimation of cfg; with fresh, the table is what the code
// measures, without the pinned values. Only the structure of
// matcher.DefaultWeights is read (which levels are in use, the similarity
// cut-offs, the bound of term-frequency adjustment); its probabilities are
// replaced before anything is estimated, so the result does not depend on
// them.
func measure(ctx context.Context, cfg config, fresh bool) (*report, error) {
	base := skeleton(matcher.DefaultWeights())
	w := synth.New(synth.Options{Seed: cfg.WorldSeed, Companies: cfg.Companies, Members: cfg.Members})
	r := &report{Config: cfg, Overrides: overrides()}

	// M: labelled pairs of corrupted queries and their truth, companies
	// first, in the world's query order.
	companies := make(map[string]synth.Company, len(w.Companies()))
	for _, c := range w.Companies() {
		companies[c.ID] = c
	}
	members := make(map[string]synth.Member, len(w.Members()))
	for _, m := range w.Members() {
		members[m.ID] = m
	}
	var pairs []matcher.LabeledPair
	for _, q := range w.CompanyQueries(cfg.Queries, synth.QueryOptions{Seed: cfg.QuerySeed}) {
		c, ok := companies[q.TruthID]
		if !ok {
			continue
		}
		pairs = append(pairs, matcher.LabeledPair{
			Company: matcher.CompanyQuery{Name: q.Name, Industry: q.Industry, Location: q.Location, Website: q.Website},
			Entity:  matcher.NewCompanyEntity(matcher.Company(c)),
		})
		r.CompanyPairs++
	}
	for _, q := range w.MemberQueries(cfg.Queries, synth.QueryOptions{Seed: cfg.QuerySeed}) {
		m, ok := members[q.TruthID]
		if !ok {
			continue
		}
		pairs = append(pairs, matcher.LabeledPair{
			Member: matcher.MemberQuery{FirstName: q.FirstName, LastName: q.LastName, Company: q.Company, Title: q.Title, Email: q.Email, Location: q.Location},
			Entity: memberEntity(m, true),
		})
		r.MemberPairs++
	}
	var err error
	if r.M, err = matcher.EstimateM(ctx, base, pairs); err != nil {
		return nil, fmt.Errorf("estimate M: %w", err)
	}

	// U: random pairs of a sample of each kind, from the start of the world.
	var sample []matcher.Entity
	for _, c := range w.Companies()[:min(cfg.Sample, len(w.Companies()))] {
		sample = append(sample, matcher.NewCompanyEntity(matcher.Company(c)))
	}
	for _, m := range w.Members()[:min(cfg.Sample, len(w.Members()))] {
		sample = append(sample, memberEntity(m, true))
	}
	if r.U, err = matcher.EstimateU(ctx, base, sample, cfg.Pairs, cfg.PairSeed); err != nil {
		return nil, fmt.Errorf("estimate U: %w", err)
	}
	// ColleagueLocation's U: pairs of members with the same employer need
	// the whole world (a sample has too few colleagues).
	all := make([]matcher.Entity, 0, len(w.Members()))
	for _, m := range w.Members() {
		all = append(all, memberEntity(m, false))
	}
	if r.Colleague, err = matcher.EstimateU(ctx, base, all, cfg.Pairs, cfg.PairSeed); err != nil {
		return nil, fmt.Errorf("estimate colleague U: %w", err)
	}

	// The table: M from EstimateM, U from EstimateU, rounded.
	r.Measured = base
	mp, up, cp := levelPaths(&r.M), levelPaths(&r.U), levelPaths(&r.Colleague)
	for path, l := range levelPaths(&r.Measured) {
		if l.M == 0 {
			continue // a level not in use
		}
		l.M = round2(mp[path].M)
		if strings.HasPrefix(path, "ColleagueLocation.") {
			l.U = round2(cp[path].U)
		} else {
			l.U = round2(up[path].U)
		}
	}
	if err := apply(&r.Measured, r.Overrides); err != nil {
		return nil, err
	}
	// The postal-address levels are documented estimates (no labelled data
	// with postal addresses went into them): matcher.DefaultAddressWeights
	// gives them whole, and fitting re-estimates them on the data at hand.
	r.Measured.Address = matcher.DefaultAddressWeights()
	r.Weights = r.Measured
	if !fresh {
		r.Pinned = pinned()
		if err := apply(&r.Weights, r.Pinned); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// apply sets the values of os in *w, in order.
func apply(w *matcher.Weights, os []override) error {
	fs := floatPaths(w)
	for _, o := range os {
		p, ok := fs[o.Path]
		if !ok {
			return fmt.Errorf("override %s: no such value in matcher.Weights", o.Path)
		}
		*p = o.Value
	}
	return nil
}

// memberEntity is the directory entity of m, with its email hashed when
// withEmail is set.
func memberEntity(m synth.Member, withEmail bool) matcher.Entity {
	mm := matcher.Member{ID: m.ID, FirstName: m.FirstName, LastName: m.LastName, Company: m.Company, Title: m.Title, Location: m.Location}
	if withEmail {
		mm.EmailHash, _ = matcher.HashEmail(m.Email)
	}
	return matcher.NewMemberEntity(mm)
}

// skeleton returns w with every level in use set to M = U = 1 and every
// level not in use left zero: the structure of the model without its
// probabilities.
func skeleton(w matcher.Weights) matcher.Weights {
	for _, l := range levelPaths(&w) {
		if l.M > 0 {
			*l = matcher.Level{M: 1, U: 1}
		}
	}
	return w
}

// round2 rounds x to two significant figures.
func round2(x float64) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 2, 64), 64)
	return r
}

var (
	levelType   = reflect.TypeFor[matcher.Level]()
	fieldType   = reflect.TypeFor[matcher.FieldWeights]()
	addressType = reflect.TypeFor[matcher.AddressWeights]()
	float64Typ  = reflect.TypeFor[float64]()
)

// levelPaths returns every Level of *w by its path ("CompanyName.Exact",
// "FirstInitial").
func levelPaths(w *matcher.Weights) map[string]*matcher.Level {
	out := map[string]*matcher.Level{}
	walk(reflect.ValueOf(w).Elem(), "", func(path string, v reflect.Value) {
		if v.Type() == levelType {
			out[path] = v.Addr().Interface().(*matcher.Level)
		}
	})
	return out
}

// floatPaths returns every float64 of *w by its path ("CompanyName.Exact.M",
// "HighSimilarity").
func floatPaths(w *matcher.Weights) map[string]*float64 {
	out := map[string]*float64{}
	walk(reflect.ValueOf(w).Elem(), "", func(path string, v reflect.Value) {
		if v.Type() == float64Typ {
			out[path] = v.Addr().Interface().(*float64)
		}
	})
	return out
}

// walk calls fn on v and on every field of v, depth first, in declaration
// order, with its dotted path.
func walk(v reflect.Value, path string, fn func(string, reflect.Value)) {
	if path != "" {
		fn(path, v)
	}
	if v.Kind() != reflect.Struct {
		return
	}
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		p := f.Name
		if path != "" {
			p = path + "." + f.Name
		}
		walk(v.Field(i), p, fn)
	}
}

// pinned returns the committed values of matcher.DefaultWeights that the
// current code does not reproduce: they were measured on earlier versions
// of internal/synth and of the scorer and were not re-measured since (the
// comment beside each gives what the measurement gives now). They are kept
// so that the command's table equals the committed one and the drift test
// guards every other value.
//
// To move the default model to what the code measures, run the command with
// -fresh -write matcher/weights.go, empty this list, and re-run the
// accuracy harnesses: the U of the first and last names in particular have
// moved a long way.
func pinned() []override {
	const why = "committed value, measured on an earlier synth world; not reproduced by the current code"
	pins := []struct {
		path  string
		value float64
	}{
		{"CompanyName.Exact.U", 3.5e-5},         // measured 1e-5
		{"CompanyName.Equivalent.U", 1e-5},      // measured 2.5e-5
		{"CompanyName.High.U", 3.5e-5},          // measured 3e-5
		{"CompanyName.Medium.U", 0.0012},        // measured 0.00077
		{"CompanyName.Disagree.U", 0.999},       // measured 1
		{"Website.Equivalent.U", 5e-5},          // measured 4.2e-5
		{"Website.Disagree.U", 0.99995},         // measured 1
		{"Industry.Exact.U", 0.038},             // measured 0.036
		{"CompanyLocation.Exact.U", 0.0092},     // measured 0.0097
		{"CompanyLocation.Equivalent.U", 0.107}, // measured 0.11
		{"CompanyLocation.Disagree.U", 0.884},   // measured 0.88
		{"FirstName.Exact.M", 0.78},             // measured 0.76
		{"FirstName.Exact.U", 0.0097},           // measured 0.0069
		{"FirstName.Equivalent.U", 0.00094},     // measured 0.0044
		{"FirstName.High.M", 0.068},             // measured 0.065
		{"FirstName.High.U", 0.0018},            // measured 0.00069
		{"FirstName.Medium.M", 0.03},            // measured 0.026
		{"FirstName.Medium.U", 0.0085},          // measured 0.0041
		{"FirstName.Disagree.M", 0.013},         // measured 0.051
		{"FirstName.Disagree.U", 0.979},         // measured 0.98
		{"LastName.Exact.M", 0.88},              // measured 0.84
		{"LastName.Exact.U", 0.0077},            // measured 0.00029
		{"LastName.High.M", 0.1},                // measured 0.098
		{"LastName.High.U", 0.0018},             // measured 0.00019
		{"LastName.Medium.M", 0.018},            // measured 0.015
		{"LastName.Medium.U", 0.0083},           // measured 0.0051
		{"LastName.Disagree.M", 0.005},          // measured 0.044
		{"LastName.Disagree.U", 0.982},          // measured 0.99
		{"Employer.Exact.U", 0.0003},            // measured 0.00022
		{"Employer.Equivalent.U", 1.5e-5},       // measured 2.5e-5
		{"Employer.High.U", 5e-5},               // measured 1.5e-5
		{"Employer.Medium.U", 0.0012},           // measured 0.00087
		{"Employer.Disagree.U", 0.9985},         // measured 1
		{"Title.High.U", 0.00065},               // measured 0.00067
		{"Title.Medium.U", 0.0039},              // measured 0.0045
		{"Title.Disagree.U", 0.977},             // measured 0.98
		{"MemberLocation.Equivalent.U", 0.109},  // measured 0.11
	}
	out := make([]override, len(pins))
	for i, p := range pins {
		out[i] = override{Path: p.path, Value: p.value, Why: why}
	}
	return out
}
