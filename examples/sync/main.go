// Command sync runs the CRM sync of one org once: it reads the org's accounts, contacts and
// leads from a CRM export in CSV files, matches them against a directory of companies and
// members, stores a sync mapping for every match and prints the counts.
//
//	go run ./examples/sync -crm DIR -directory-companies C.csv -directory-members M.csv \
//		-store bolt:///tmp/x.db|mem: -org ORG [-stage NAME] [-since RFC3339] [-resume] [-incremental]
//		[-fit=false] [-progress=false]
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
// the default weights). Progress goes to stderr after each batch: on a terminal one line
// rewritten in place (records read per object, their rate, matched and written so far), and
// otherwise a structured log line at most every 5 seconds; -progress=false turns it off. The
// CSV export does not tell its size in advance, so no time left is shown.
//
// The work is done by [crmlink.Syncer]; this command only wires the parts. It prints one line
// per object ("accounts: read=16 ... written=12 ...") and "started: <time>", the value to pass
// to -since next time. Errors name files, lines, objects and IDs, never record data. -h or
// -help prints the usage to stderr and exits with status 0, like examples/match; bad flags exit
// with status 2, a failed run with status 1.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"time"

	"github.com/crmlink/crmlink"
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

// incrementalMargin is how far before the last complete run's start -incremental reads: it
// covers a CRM clock behind this machine's.
const incrementalMargin = time.Minute

// errUsage marks a bad command line (exit status 2).
var errUsage = errors.New("usage")

// run is the command: it parses args, syncs and prints the counts to stdout. It returns the
// exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if err := syncOnce(ctx, args, stdout, stderr); err != nil {
		switch {
		case errors.Is(err, flag.ErrHelp):
			return 0 // -h or -help: the usage was asked for, and printed
		case errors.Is(err, errUsage):
			return 2
		}
		fmt.Fprintln(stderr, "sync:", err)
		return 1
	}
	return 0
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
	progress := fs.Bool("progress", true, "report progress on stderr after each batch")
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
	var opts []crmlink.SyncOption
	if *fit {
		opts = append(opts, crmlink.WithFitting())
	}
	var prog *progressWriter
	if *progress {
		prog = newProgressWriter(stderr)
		opts = append(opts, crmlink.WithProgress(prog.report))
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
		return err
	}
	dir := memdir.New()
	if err := load(ctx, *companies, dir.LoadCompaniesCSV); err != nil {
		return err
	}
	if err := load(ctx, *members, dir.LoadMembersCSV); err != nil {
		return err
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
	stats, err := s.Run(ctx)
	if prog != nil {
		prog.done()
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
			return err
		}
	}
	return store.Close()
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

// progressWriter shows a Syncer's progress on w: a line rewritten in place when w is a
// terminal, else a structured log line at most every logEvery.
type progressWriter struct {
	w        io.Writer
	terminal bool
	log      *slog.Logger
	last     time.Time
	pending  *crmlink.Progress // the last report not logged yet
	wrote    bool              // a terminal line is open
}

// logEvery is the least time between two progress log lines.
const logEvery = 5 * time.Second

func newProgressWriter(w io.Writer) *progressWriter {
	p := &progressWriter{w: w, log: slog.New(slog.NewTextHandler(w, nil))}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.terminal = true
		}
	}
	return p
}

func (p *progressWriter) report(pr crmlink.Progress) {
	rate := 0.0
	if s := pr.Elapsed.Seconds(); s > 0 {
		rate = float64(pr.Stats.Read) / s
	}
	if p.terminal {
		fmt.Fprintf(p.w, "\r\033[K%ss: %d read (%.0f/s), %d matched, %d written", pr.Object, pr.Stats.Read, rate,
			pr.Stats.Matched, pr.Stats.Written)
		p.wrote = true
		return
	}
	if p.pending != nil && p.pending.Object != pr.Object {
		p.logged(*p.pending) // the last report of the object before
	}
	if now := time.Now(); now.Sub(p.last) >= logEvery {
		p.last = now
		p.logged(pr)
		return
	}
	p.pending = &pr
}

// logged writes the log line of pr.
func (p *progressWriter) logged(pr crmlink.Progress) {
	p.pending = nil
	rate := 0.0
	if s := pr.Elapsed.Seconds(); s > 0 {
		rate = float64(pr.Stats.Read) / s
	}
	p.log.Info("sync progress", "object", string(pr.Object), "read", pr.Stats.Read, "per_second", int(rate),
		"matched", pr.Stats.Matched, "written", pr.Stats.Written, "batches", pr.Batches)
}

// done ends the progress output: the terminal line is closed, and the last report not logged
// yet is logged.
func (p *progressWriter) done() {
	if p.wrote {
		fmt.Fprintln(p.w)
		return
	}
	if p.pending != nil {
		p.logged(*p.pending)
	}
}
