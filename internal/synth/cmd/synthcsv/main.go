// Command synthcsv writes a synthetic world as the CSV files examples/match
// reads: companies.csv, members.csv, company_queries.csv and
// member_queries.csv (queries carry truth_id and noise columns, which the
// CLI ignores). The -out directory is created if needed.
//
//	go run ./internal/synth/cmd/synthcsv -out /tmp/w -companies 1000000 -members 1000000 -queries 2000
//
// Exit status: 0 on success, 1 when a file cannot be written, 2 for bad flags (a negative
// count, an absent share outside [0, 1], arguments).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/crmlink/crmlink/internal/synth"
)

func main() {
	out := flag.String("out", ".", "output directory")
	seed := flag.Uint64("seed", 1, "world seed")
	companies := flag.Int("companies", 10000, "directory companies")
	members := flag.Int("members", 10000, "directory members")
	queries := flag.Int("queries", 2000, "queries of each kind")
	absent := flag.Float64("absent", 0.1, "share of queries whose entity is absent")
	addresses := flag.Bool("addresses", false, "street addresses in locations (synth.Options.Addresses)")
	flag.Parse()
	switch {
	case flag.NArg() > 0:
		usage(fmt.Sprintf("unexpected argument %q", flag.Arg(0)))
	case *companies < 0 || *members < 0 || *queries < 0:
		usage("-companies, -members and -queries must not be negative")
	case !(*absent >= 0 && *absent <= 1):
		usage("-absent must be between 0 and 1")
	case *out == "":
		usage("-out must not be empty")
	}
	if err := run(*out, synth.Options{Seed: *seed, Companies: *companies, Members: *members, Addresses: *addresses}, *queries, *absent); err != nil {
		fmt.Fprintln(os.Stderr, "synthcsv:", err)
		os.Exit(1)
	}
}

// usage prints msg and the usage to stderr and exits with status 2.
func usage(msg string) {
	fmt.Fprintln(os.Stderr, "synthcsv:", msg)
	flag.Usage()
	os.Exit(2)
}

func run(out string, o synth.Options, queries int, absent float64) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	w := synth.New(o)
	qo := synth.QueryOptions{Seed: o.Seed + 1, AbsentRate: absent}
	files := []struct {
		name  string
		write func(*os.File) error
	}{
		{"companies.csv", func(f *os.File) error { return synth.WriteCompaniesCSV(f, w.Companies()) }},
		{"members.csv", func(f *os.File) error { return synth.WriteMembersCSV(f, w.Members()) }},
		{"company_queries.csv", func(f *os.File) error {
			return synth.WriteCompanyQueriesCSV(f, w.CompanyQueries(queries, qo))
		}},
		{"member_queries.csv", func(f *os.File) error {
			return synth.WriteMemberQueriesCSV(f, w.MemberQueries(queries, qo))
		}},
	}
	for _, fl := range files {
		f, err := os.Create(filepath.Join(out, fl.name))
		if err != nil {
			return err
		}
		if err := fl.write(f); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil { // a write error may show only now
			return err
		}
	}
	return nil
}
