// Command sync runs the CRM sync of one org once: it reads the org's accounts, contacts and
// leads from a CRM export in CSV files, matches them against a directory of companies and
// members, stores a sync mapping for every match and prints the counts.
//
//	go run ./examples/sync -crm DIR -directory-companies C.csv -directory-members M.csv \
//		-store bolt:///tmp/x.db|mem: -org ORG [-stage NAME] [-since RFC3339] [-resume] [-incremental]
//		[-fit=false] [-progress=false] [-progress-every 2s] [-audit]
//
// DIR holds the files of [csvsource.Open] (accounts.csv, contacts.csv, leads.csv,
// opportunities.csv, stages.csv ...); the directory CSVs are those of examples/match
// ([memdir.Dir.LoadCompaniesCSV], [memdir.Dir.LoadMembersCSV]); the store is opened by URL
// through an [override.Registry] holding the drivers this command links: "mem:",
// "bolt:///path/file.db" and "postgres://..." (see [stores]). With -stage only the accounts and contacts tied to an open opportunity at or
// past that stage are synced; with -since only the records modified since then.
//
// With -resume the run keeps checkpoints in the store ([crmlink.WithCheckpoints]): a run that
// was interrupted (Ctrl-C, a crash, kill -9) is resumed by the next run with -resume, after the
// last batch it wrote. -incremental (which implies -resume) reads only the records modified
// since the last complete run, less a margin of [incrementalMargin]. A resumed run prints
// "resumed: true".
//
// The engine fits its model to each batch of records ([crmlink.WithFitting]; -fit=false keeps
// the default weights). Progress goes to stderr, from the start (counting the CRM records,
// loading the directory) to the end: on a terminal one line rewritten in place (records read
// per object of their total, the rate, the time left), otherwise a structured log line every
// -progress-every (2s) and one with the final counts of each object; -progress=false turns it
// off. The totals come from a fast count of the CSV rows before the sync; with -since or
// -stage the records synced are fewer than the rows, so no total and no time left are shown,
// only the rate.
//
// The work is done by [crmlink.Syncer]; this command only wires the parts. It prints one line
// per object ("accounts: read=16 ... written=12 ...") and "started: <time>", the value to pass
// to -since next time. Errors name files, lines, objects and IDs, never record data.
//
// -crm takes a folder of CSV files only: to sync from Salesforce or Dynamics 365, use the
// crmlink command (go run ./examples/crmlink sync). The folder must hold at least one export
// file; names are matched without regard to case (Accounts.csv, Contact.csv, see
// [csvsource.Open]), and an ID twice in one file is an error naming both lines.
//
// Exit status: 0 on success (and for -h or -help, which print the usage to stderr); 1 when the
// run fails (the store cannot be reached, writing the counts to stdout fails); 2 for bad usage
// or bad input: bad flags, a store URL no driver takes, an unknown stage, a missing or
// unreadable CRM folder or directory file, and invalid records in them.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/csvsource"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/override/boltstore"
	"github.com/crmlink/crmlink/override/pgstore"
	"github.com/crmlink/crmlink/privacy"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit statuses of run.
const (
	exitOK       = 0 // the sync ran and its counts were written
	exitFailure  = 1 // the run failed
	exitBadInput = 2 // bad usage or bad input
)

// incrementalMargin is how far before the last complete run's start -incremental reads: it
// covers a CRM clock behind this machine's.
const incrementalMargin = time.Minute

// errUsage marks a bad command line whose message was printed already (exit status 2).
var errUsage = errors.New("usage")

// badInput marks an error caused by the command's input: its flags or files (exit status 2).
type badInput struct{ err error }

func (e badInput) Error() string { return e.err.Error() }
func (e badInput) Unwrap() error { return e.err }

// outputError is a failure to write the results to stdout (exit status 1).
type outputError struct{ err error }

func (e outputError) Error() string {
	return "the sync ran, but writing its results to stdout failed: " + e.err.Error()
}
func (e outputError) Unwrap() error { return e.err }

// isBadInput reports whether err is the fault of the command's input: a file or flag marked as
// such, a bad record in the CRM export ([crm.ErrInvalid]), an unknown stage or a store URL no
// driver takes.
func isBadInput(err error) bool {
	var bi badInput
	var ue *override.URLError
	return errors.As(err, &bi) || errors.As(err, &ue) || errors.Is(err, crm.ErrInvalid) ||
		errors.Is(err, crm.ErrUnknownStage)
}

// run is the command: it parses args, syncs and prints the counts to stdout. It returns the
// exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	out := bufio.NewWriter(stdout)
	err := syncOnce(ctx, args, out, stderr)
	if ferr := out.Flush(); ferr != nil && err == nil { // what was printed before a failure too
		err = outputError{ferr}
	}
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK // -h or -help: the usage was asked for, and printed
	case errors.Is(err, errUsage):
		return exitBadInput
	case isBadInput(err):
		fmt.Fprintln(stderr, "sync:", err)
		return exitBadInput
	}
	fmt.Fprintln(stderr, "sync:", err)
	return exitFailure
}

func syncOnce(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	fs.SetOutput(stderr)
	crmDir := fs.String("crm", "", "directory of the CRM export (CSV files)")
	companies := fs.String("directory-companies", "", "CSV of the company directory")
	members := fs.String("directory-members", "", "CSV of the member directory")
	storeURL := fs.String("store", "mem:", "store URL: mem:, bolt:///path/file.db or postgres://...")
	org := fs.String("org", "", "CRM org ID")
	stage := fs.String("stage", "", "sync only accounts and contacts of open opportunities at or past this stage")
	since := fs.String("since", "", "sync only records modified at or after this time (RFC 3339)")
	audit := fs.Bool("audit", false, "after the sync, print what the store holds for the org (IDs only)")
	fit := fs.Bool("fit", true, "fit the engine's model to each batch of records before matching it")
	showProgress := fs.Bool("progress", true, "report progress on stderr: a line on a terminal, else log lines")
	every := fs.Duration("progress-every", 2*time.Second, "time between two progress log lines when stderr is not a terminal")
	resume := fs.Bool("resume", false, "keep checkpoints in the store, and resume an interrupted run")
	incremental := fs.Bool("incremental", false, "sync only records modified since the last complete run (implies -resume)")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %w", errUsage, err) // the flag package printed it
	}
	if *crmDir == "" || *org == "" || (*companies == "" && *members == "") || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "sync: -crm, -org and a directory (-directory-companies and/or -directory-members) are required")
		fs.Usage()
		return errUsage
	}
	if isURL(*crmDir) {
		// The URL is not repeated: it may hold credentials.
		fmt.Fprintln(stderr, "sync: -crm takes a folder of CSV files (a CRM export), not a URL: this example reads only CSV folders.\n"+
			"To sync from Salesforce or Dynamics 365, use the crmlink command: go run ./examples/crmlink sync -h")
		return errUsage
	}
	if *every <= 0 {
		fmt.Fprintln(stderr, "sync: -progress-every must be positive")
		return errUsage
	}
	var opts []crmlink.SyncOption
	if *fit {
		opts = append(opts, crmlink.WithFitting())
	}
	if *stage != "" {
		opts = append(opts, crmlink.WithStage(*stage))
	}
	switch {
	case *incremental:
		opts = append(opts, crmlink.WithIncremental(incrementalMargin))
	case *resume:
		opts = append(opts, crmlink.WithCheckpoints())
	}
	if *since != "" {
		t, err := time.Parse(time.RFC3339, *since)
		if err != nil {
			fmt.Fprintln(stderr, "sync: -since: not an RFC 3339 time")
			return errUsage
		}
		opts = append(opts, crmlink.WithModifiedSince(t))
	}

	src, err := csvsource.Open(*crmDir)
	if err != nil {
		return badInput{fmt.Errorf("-crm: %w", err)}
	}
	var prog *progress
	if *showProgress {
		prog = newProgress(stderr, isTerminal(stderr), *every)
		defer prog.finish()
		opts = append(opts, crmlink.WithProgress(prog.report))
		if *since != "" || *stage != "" {
			prog.setNoTotals("-since and -stage sync fewer records than the files hold")
		} else {
			prog.setPhase("counting CRM records")
			totals, err := countRecords(ctx, src)
			if err != nil {
				return err
			}
			prog.setTotals(totals)
		}
		prog.setPhase("loading directory")
	}
	// Company names keep their words for typo look-ups, as in
	// examples/match; people's names do without.
	dir := memdir.New(memdir.WithVocabulary(matcher.KindCompany))
	if err := load(ctx, *companies, dir.LoadCompaniesCSV); err != nil {
		return badInput{fmt.Errorf("-directory-companies: %w", err)}
	}
	if err := load(ctx, *members, dir.LoadMembersCSV); err != nil {
		return badInput{fmt.Errorf("-directory-members: %w", err)}
	}
	eng, err := matcher.New(dir)
	if err != nil {
		return err
	}
	store, err := stores().Open(ctx, *storeURL)
	if err != nil {
		return err
	}
	defer store.Close()
	s, err := crmlink.NewSyncer(src, eng, store, *org, opts...)
	if err != nil {
		return err
	}
	if prog != nil {
		prog.setPhase("syncing")
	}
	stats, err := s.Run(ctx)
	if prog != nil {
		prog.finish() // before the results, so that they do not mix on a terminal
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "accounts:", stats.Accounts)
	fmt.Fprintln(stdout, "contacts:", stats.Contacts)
	fmt.Fprintln(stdout, "leads:", stats.Leads)
	fmt.Fprintln(stdout, "started:", stats.Started.Format(time.RFC3339))
	if stats.Resumed {
		fmt.Fprintln(stdout, "resumed: true")
	}
	if *audit {
		a, err := privacy.NewAudit(ctx, store, *org)
		if err != nil {
			return err
		}
		if _, err := a.WriteTo(stdout); err != nil {
			return outputError{err}
		}
	}
	return store.Close()
}

// isURL reports whether the -crm value is a URL rather than a folder.
func isURL(s string) bool {
	scheme, _, ok := strings.Cut(s, "://")
	return ok && scheme != "" && !strings.ContainsAny(scheme, `/\.`)
}

// countRecords counts the records of the synced objects in the export, for the progress.
func countRecords(ctx context.Context, src *csvsource.Source) (map[override.Object]int, error) {
	totals := make(map[override.Object]int, len(syncedObjects))
	for _, o := range syncedObjects {
		n, err := src.Count(ctx, crm.Object(o))
		if err != nil {
			return nil, badInput{fmt.Errorf("-crm: %w", err)}
		}
		totals[o] = n
	}
	return totals, nil
}

// load reads one directory CSV with loader; an empty path loads nothing.
func load(ctx context.Context, path string, loader func(context.Context, io.Reader, string) (int, error)) error {
	if path == "" {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = loader(ctx, f, path)
	return err
}

// stores returns the registry of the store drivers this command links. A program that needs
// no PostgreSQL leaves pgstore out, and with it pgx.
func stores() *override.Registry {
	var reg override.Registry
	reg.Register("mem", override.OpenMemory)
	reg.Register("bolt", boltstore.OpenURL)
	reg.Register("postgres", pgstore.OpenURL)
	reg.Register("postgresql", pgstore.OpenURL)
	return &reg
}
