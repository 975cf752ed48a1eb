package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/matcher/memdir"
	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/privacy"
)

func runSync(ctx context.Context, args []string, env *environment, out io.Writer) error {
	fs := newFlagSet(env, "sync", "-crm salesforce|dynamics|csv:DIR -org ORG -store STORE -companies C.csv -members M.csv [flags]")
	var cf crmFlags
	var sf storeFlags
	cf.register(fs)
	sf.register(fs)
	var d dirFlags
	d.register(fs)
	stage := fs.String("stage", "", "sync only the accounts and contacts of open opportunities at or past this stage")
	since := fs.String("since", "", "sync only the records modified at or after this time (RFC 3339)")
	resume := fs.Bool("resume", false, "keep checkpoints in the store, and resume an interrupted run after its last\n"+
		"written batch")
	incremental := fs.Bool("incremental", false, "sync only the records modified since the last complete run (less a\n"+
		"margin of "+incrementalMargin.String()+"; everything when there is none); implies -resume")
	full := fs.Bool("full", false, "sync every record as a new run: the checkpoints of an interrupted run are dropped\n"+
		"instead of resumed")
	fit := fs.Bool("fit", true, "fit the engine's model to each batch of records before matching it")
	batch := fs.Int("batch", crmlink.DefaultSyncBatch, "records matched and written at once")
	progress := fs.Bool("progress", true, "show progress on stderr: a bar on a terminal, log lines otherwise")
	logEvery := fs.Duration("log-every", 5*time.Second, "least time between two progress log lines when stderr is not a terminal")
	reportJSON := fs.String("report-json", "", "also write the match report as JSON to this file")
	reportCSV := fs.String("report-csv", "", "also write the match report as CSV to this file")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := required(fs, "crm", "org", "store"); err != nil {
		return err
	}
	if d.companies == "" && d.members == "" {
		return usagef("-companies and/or -members (the directory CSVs) are required")
	}
	if *batch < 1 {
		return usagef("-batch: want at least 1")
	}
	if *logEvery <= 0 {
		return usagef("-log-every: want a positive duration")
	}
	if *full && *since != "" {
		return usagef("-full and -since exclude each other")
	}
	if *full && *incremental {
		return usagef("-full and -incremental exclude each other (-full -resume keeps checkpoints of a full run)")
	}
	var sinceT time.Time
	if *since != "" {
		t, err := time.Parse(time.RFC3339, *since)
		if err != nil {
			return usagef("-since %q: not an RFC 3339 time such as 2024-03-01T00:00:00Z", *since)
		}
		sinceT = t
	}
	if _, err := storeURL(sf.store, env.getenv); err != nil {
		return err
	}

	// The CRM and the store first, so that a wrong credential fails before a large directory
	// is loaded.
	conn, err := openCRM(ctx, cf, env.getenv)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, sf, env.getenv)
	if err != nil {
		return err
	}
	defer st.Close()
	eng, err := d.engine(ctx)
	if err != nil {
		return err
	}

	if *full {
		// A new run: an interrupted one is not resumed, and a later -incremental run reads
		// since this one at most (or everything, should this one not finish either).
		if err := dropCheckpoints(ctx, st, sf.org); err != nil {
			return err
		}
	}
	opts := []crmlink.SyncOption{crmlink.WithBatchSize(*batch)}
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
	if !sinceT.IsZero() {
		opts = append(opts, crmlink.WithModifiedSince(sinceT))
		fmt.Fprintf(env.stderr, "crmlink sync: incremental: records modified since %s\n", sinceT.UTC().Format(time.RFC3339))
	}
	var prog *progressView
	if *progress {
		totals := conn.totals
		if *stage != "" || !sinceT.IsZero() || *incremental {
			totals = nil // the filtered counts are not known in advance
		}
		prog = newProgressView(env.stderr, totals, *logEvery)
		opts = append(opts, crmlink.WithProgress(prog.report))
	}
	s, err := crmlink.NewSyncer(conn.src, eng, st, sf.org, opts...)
	if err != nil {
		return err
	}
	stats, err := s.Run(ctx)
	if prog != nil {
		prog.done()
	}
	if err != nil {
		return syncError(conn, err)
	}
	if err := writeReports(stats, *reportJSON, *reportCSV); err != nil {
		return err
	}
	writeSummary(out, stats)
	return st.Close()
}

// syncError classifies a failed run: a bad CSV export and an unknown stage are bad input
// (status 2); the rest is a runtime failure, with secrets and record values scrubbed.
func syncError(conn *crmConn, err error) error {
	if errors.Is(err, crm.ErrUnknownStage) {
		return badInput(fmt.Errorf("-stage: %w", err))
	}
	return conn.readError(err)
}

// writeSummary prints the text match report: one line per object, the totals, the time to
// pass to -since next time, the modification bound the run read with (since:), and whether it
// resumed an interrupted run.
func writeSummary(w io.Writer, stats crmlink.SyncStats) {
	fmt.Fprintln(w, "accounts:", stats.Accounts)
	fmt.Fprintln(w, "contacts:", stats.Contacts)
	fmt.Fprintln(w, "leads:", stats.Leads)
	m := stats.Report
	for _, o := range m.SortedObjects() {
		c := o.Counts
		fmt.Fprintf(w, "report %s: read=%d filtered=%d invalid=%d linked=%d (manual=%d sync=%d) rejected=%d ambiguous=%d none=%d linked_share=%.3f\n",
			o.Object, c.Read, c.Filtered, c.Invalid, c.Linked(), c.Manual, c.Sync, c.Rejected, c.Ambiguous, c.None, c.LinkedShare())
		for _, out := range []string{"ambiguous", "none", "rejected"} {
			if ids := o.Review[out]; len(ids) > 0 {
				more := ""
				if n := o.Omitted[out]; n > 0 {
					more = fmt.Sprintf(" (+%d more)", n)
				}
				fmt.Fprintf(w, "  review %s: %s%s\n", out, strings.Join(ids, " "), more)
			}
		}
	}
	t := m.Total()
	fmt.Fprintf(w, "total: read=%d linked=%d ambiguous=%d none=%d linked_share=%.3f\n", t.Read, t.Linked(), t.Ambiguous, t.None, t.LinkedShare())
	fmt.Fprintln(w, "started:", stats.Started.UTC().Format(time.RFC3339))
	if !stats.Since.IsZero() {
		fmt.Fprintln(w, "since:", stats.Since.UTC().Format(time.RFC3339))
	}
	if stats.Resumed {
		fmt.Fprintln(w, "resumed: true")
	}
}

// incrementalMargin is how far before the last complete run's start -incremental reads: it
// covers a CRM clock somewhat behind this machine's, and records saved while that run read.
const incrementalMargin = time.Minute

// dropCheckpoints removes the sync checkpoints of org from st (IDs and times only), so that
// the next run is a new one. A store without checkpoints has none to drop.
func dropCheckpoints(ctx context.Context, st *override.Store, org string) error {
	if !st.Checkpoints() {
		return nil
	}
	for _, obj := range []override.Object{override.Account, override.Contact, override.Lead} {
		if err := st.DeleteCheckpoint(ctx, org, obj); err != nil {
			return fmt.Errorf("-full: drop the checkpoints of %s: %w", org, privacy.Error(err))
		}
	}
	return nil
}

// writeReports writes the JSON and CSV reports asked for.
func writeReports(stats crmlink.SyncStats, jsonPath, csvPath string) error {
	m := stats.Report
	if jsonPath != "" {
		if err := writeFile(jsonPath, func(w io.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(&m)
		}); err != nil {
			return fmt.Errorf("-report-json: %w", err)
		}
	}
	if csvPath != "" {
		if err := writeFile(csvPath, func(w io.Writer) error { return m.WriteCSV(w, nil) }); err != nil {
			return fmt.Errorf("-report-csv: %w", err)
		}
	}
	return nil
}

// writeFile writes path through a temporary file renamed over it, so that a failure leaves no
// half-written file.
func writeFile(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("%s: %w", path, unwrapPath(err))
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", path, unwrapPath(err))
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, unwrapPath(err))
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("%s: %w", path, unwrapPath(err))
	}
	return nil
}

// dirFlags name the directory CSVs.
type dirFlags struct {
	companies string
	members   string
}

func (d *dirFlags) register(fs interface {
	StringVar(*string, string, string, string)
}) {
	fs.StringVar(&d.companies, "companies", "", "CSV of the company directory: id,name,industry,location,website")
	fs.StringVar(&d.members, "members", "", "CSV of the member directory: id,first_name,last_name,company,title,location,email")
}

// engine loads the directory and returns the engine over it.
func (d *dirFlags) engine(ctx context.Context) (*matcher.Engine, error) {
	// Company names keep their words for typo look-ups, as in
	// examples/match; people's names do without.
	dir := memdir.New(memdir.WithVocabulary(matcher.KindCompany))
	load := func(path string, loader func(context.Context, io.Reader, string) (int, error)) error {
		if path == "" {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return badInput(fmt.Errorf("%s: %w", path, unwrapPath(err)))
		}
		defer f.Close()
		if _, err := loader(ctx, f, path); err != nil {
			if ctx.Err() != nil {
				return err
			}
			return badInput(err)
		}
		return nil
	}
	if err := load(d.companies, dir.LoadCompaniesCSV); err != nil {
		return nil, err
	}
	if err := load(d.members, dir.LoadMembersCSV); err != nil {
		return nil, err
	}
	return matcher.New(dir)
}
