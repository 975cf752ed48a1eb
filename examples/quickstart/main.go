// Command quickstart matches a few CRM-like records against a small embedded
// directory of companies and members, and prints the ranked candidates with
// the explanation of each score: per field, the agreement level, the raw
// similarity and its contribution (log2 Bayes factor) to the match odds.
// It then fits the engine's model to the directory and these records
// (unsupervised, as examples/match does for a batch) and prints the
// decisions again.
//
//	go run ./examples/quickstart
//
// It takes no flags and no arguments: any is refused with the usage and exit status 2 (-h and
// -help print the usage and exit with status 0). A failure, such as writing to stdout, prints a
// message to stderr and exits with status 1.
//
// The directory (testdata/*.csv, a few hundred entities made by
// internal/synth) is loaded with [memdir.Dir.LoadCompaniesCSV] and
// [memdir.Dir.LoadMembersCSV], the same loaders examples/match uses.
package main

import (
	"bufio"
	"context"
	_ "embed"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
)

var (
	//go:embed testdata/companies.csv
	companiesCSV string
	//go:embed testdata/members.csv
	membersCSV string
)

// The CRM records to match: accounts (companies) and contacts (members) as
// sales teams type them: abbreviated, misspelt, nicknamed, half empty.
var (
	accounts = []matcher.CompanyQuery{
		{Name: "Poium Robotics Corporation", Website: "poiumrobotics.us"},
		{Name: "DIYX MEDIA", Location: "NL"},
		{Name: "North Anaytics", Industry: "IT Services and IT Consulting", Location: "Ahmedabad"},
		{Name: "Garcia Hermanos SL", Website: "https://garcia-hermanos.es/contacto"},
		{Name: "East Marketing", Location: "Trondheim, Norway"}, // not in the directory
	}
	contacts = []matcher.MemberQuery{
		{FirstName: "Raj", LastName: "Nair", Company: "Sharma & Sons", Title: "Project Manager"},
		{FirstName: "Erik", LastName: "Gustafsson", Email: "Erik.Gustafsson@LuyxGames.se"},
		{FirstName: "PETER", LastName: "WEBERR", Company: "Urban Rock Data", Location: "DE"},
		{FirstName: "Niccolo", LastName: "Rossi", Company: "Miera Alimentari", Location: "Milan"},
	}
)

func main() {
	os.Exit(command(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// command is the program: it checks args (none are taken), runs and returns the exit status:
// 0 on success, 1 on a failure (such as writing stdout), 2 for bad usage.
func command(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: quickstart\n\nMatches a few CRM-like records against an embedded directory and explains the scores.\nIt takes no flags and no arguments.")
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2 // the flag package printed the error and the usage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "quickstart: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	out := bufio.NewWriter(stdout)
	err := run(ctx, out)
	if err == nil {
		if err = out.Flush(); err != nil {
			err = fmt.Errorf("write to stdout: %w", err)
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "quickstart:", err)
		return 1
	}
	return 0
}

// run loads the directory, matches the records and prints the results to w.
func run(ctx context.Context, w io.Writer) error {
	dir := memdir.New()
	if _, err := dir.LoadCompaniesCSV(ctx, strings.NewReader(companiesCSV), "companies.csv"); err != nil {
		return err
	}
	if _, err := dir.LoadMembersCSV(ctx, strings.NewReader(membersCSV), "members.csv"); err != nil {
		return err
	}
	eng, err := matcher.New(dir, matcher.WithLimit(3))
	if err != nil {
		return err
	}
	// Directories hold normalised features only; the display names come
	// from the CSVs.
	names, err := displayNames()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "directory: %d entities\n", dir.Len())
	for _, q := range accounts {
		res, err := eng.MatchCompany(ctx, q)
		if err != nil {
			return err
		}
		printResult(w, fmt.Sprintf("account %q website=%q location=%q", q.Name, q.Website, q.Location), res, names)
	}
	for _, q := range contacts {
		res, err := eng.MatchMember(ctx, q)
		if err != nil {
			return err
		}
		printResult(w, fmt.Sprintf("contact %q %q company=%q email=%q", q.FirstName, q.LastName, q.Company, q.Email), res, names)
	}
	return fitted(ctx, w, eng)
}

// fitted fits the engine's models to the directory and these records
// (without labels; see [matcher.Engine.FitCompanies]) and prints the
// decisions again: the default model assumes that half of a CRM's records
// have no profile, the fitted one learns how many do from the batch.
func fitted(ctx context.Context, w io.Writer, eng *matcher.Engine) error {
	cr, err := eng.FitCompanies(ctx, accounts, nil)
	if err != nil {
		return err
	}
	mr, err := eng.FitMembers(ctx, contacts, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nafter fitting the model to the directory and these records (in the directory: accounts %.2f, contacts %.2f):\n",
		cr.InDirectory, mr.InDirectory)
	for _, q := range accounts {
		res, err := eng.MatchCompany(ctx, q)
		if err != nil {
			return err
		}
		printDecision(w, fmt.Sprintf("account %q", q.Name), res)
	}
	for _, q := range contacts {
		res, err := eng.MatchMember(ctx, q)
		if err != nil {
			return err
		}
		printDecision(w, fmt.Sprintf("contact %q %q", q.FirstName, q.LastName), res)
	}
	return nil
}

// printDecision prints a decision with its best candidate and score.
func printDecision(w io.Writer, title string, res matcher.Result) {
	if len(res.Candidates) == 0 {
		fmt.Fprintf(w, "  %-40s %s\n", title, res.Decision)
		return
	}
	c := res.Candidates[0]
	fmt.Fprintf(w, "  %-40s %-9s %s %.4f\n", title, res.Decision, c.Entity.ID, c.Score)
}

// printResult prints a decision and its candidates with their explanations.
func printResult(w io.Writer, title string, res matcher.Result, names map[string]string) {
	fmt.Fprintf(w, "\n%s\n  decision: %s\n", title, res.Decision)
	for i, c := range res.Candidates {
		fmt.Fprintf(w, "  %d. %-5s %.4f  %s\n", i+1, c.Entity.ID, c.Score, names[c.Entity.ID])
		for _, f := range c.Fields {
			fmt.Fprintf(w, "       %-13s %-9s similarity %.2f  %+6.2f\n", f.Field, f.Level, f.Similarity, f.Contribution)
		}
	}
}

// displayNames maps entity IDs to readable names.
func displayNames() (map[string]string, error) {
	names := map[string]string{}
	for _, src := range []string{companiesCSV, membersCSV} {
		recs, err := csv.NewReader(strings.NewReader(src)).ReadAll()
		if err != nil {
			return nil, err
		}
		for _, r := range recs[1:] {
			if strings.HasPrefix(r[0], "c") {
				names[r[0]] = r[1]
			} else {
				title := r[4]
				if title == "" {
					title = "works"
				}
				names[r[0]] = r[1] + " " + r[2] + ", " + title + " at " + r[3]
			}
		}
	}
	return names, nil
}
