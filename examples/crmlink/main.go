// Command crmlink runs crmlink's job against one CRM org and looks after what it stored.
//
//	crmlink sync      -crm salesforce|dynamics|csv:DIR -org ORG -store STORE -companies C.csv -members M.csv
//	crmlink resolve   -crm ... -org ORG -store STORE -object contact -id 003... -viewer 005...
//	crmlink correct   -crm ... -org ORG -store STORE -object contact -id 003... -viewer 005... -entity member/m1
//	crmlink reject    -crm ... -org ORG -store STORE -object contact -id 003... -viewer 005... -entity member/m1
//	crmlink list      -org ORG -store STORE [-object contact -id 003...]
//	crmlink audit     -org ORG -store STORE
//	crmlink disable   -org ORG -store STORE
//	crmlink enable    -org ORG -store STORE
//	crmlink purge     -org ORG -store STORE [-yes]
//	crmlink writeback -crm ... -org ORG -store STORE -viewer 005... -activities FILE.csv|FILE.jsonl
//
// The CRM's credentials come from the environment (CRMLINK_SF_* for Salesforce, CRMLINK_DYN_*
// for Dynamics 365) or from a JSON file given with -config, never from the command line, and
// are never printed. The store is "memory", "bolt:PATH" or "postgres:ENV" (the name of an
// environment variable holding the DSN, so that a password stays off the command line) or a
// postgres:// DSN without a password. See the README's section "Run it against your org".
//
// Every subcommand prints its usage with -h and exits 0. Exit status: 0 success, 1 a runtime
// failure (the CRM, the store, writing stdout), 2 a bad command line or bad input (with one
// line on stderr naming the flag, or the file and line). Batch matching of CSV files is
// examples/match, whose output contract is unchanged.
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
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	env := &environment{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	code := run(ctx, os.Args[1:], env)
	stop()
	os.Exit(code)
}

// environment is what a command reads and writes besides its arguments.
type environment struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

// Exit statuses.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// cliError is an error with the exit status it causes.
type cliError struct {
	code int
	err  error
}

func (e *cliError) Error() string { return e.err.Error() }
func (e *cliError) Unwrap() error { return e.err }

// usagef reports a bad command line or bad input (exit status 2).
func usagef(format string, args ...any) error {
	return &cliError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// badInput marks err as bad input (exit status 2).
func badInput(err error) error {
	if err == nil {
		return nil
	}
	return &cliError{code: exitUsage, err: err}
}

// errHelp is returned when -h was given: the usage is printed, the status is 0.
var errHelp = flag.ErrHelp

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, env *environment, out io.Writer) error
}

func commands() []command {
	return []command{
		{"sync", "read the org's records, match them and store the sync mappings; print the match report", runSync},
		{"resolve", "resolve one record as a CRM user: manual, sync or fuzzy match", runResolve},
		{"correct", "store a manual mapping of a record to an entity, as a CRM user", runCorrect},
		{"reject", "record that an entity is wrong for a record, as a CRM user", runReject},
		{"list", "list what is stored for an org or one record (IDs only)", runList},
		{"audit", "summarise what is stored for an org (IDs only)", runAudit},
		{"disable", "turn the org's integration off", runDisable},
		{"enable", "turn the org's integration back on", runEnable},
		{"purge", "remove everything stored for the org (asks for the org ID again)", runPurge},
		{"writeback", "write activities from a CSV or JSON-lines file to the CRM", runWriteback},
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: crmlink <command> [flags]   (crmlink <command> -h for its flags)")
	fmt.Fprintln(w)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Batch matching of CSV files: go run ./examples/match.")
}

// run runs one command and returns the exit status.
func run(ctx context.Context, args []string, env *environment) int {
	if len(args) == 0 {
		usage(env.stderr)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help", "help":
		usage(env.stderr)
		return exitOK
	}
	for _, c := range commands() {
		if c.name != name {
			continue
		}
		out := &checkedWriter{w: bufio.NewWriter(env.stdout)}
		err := c.run(ctx, args[1:], env, out)
		if ferr := out.flush(); err == nil && ferr != nil {
			err = ferr
		}
		return report(env.stderr, name, err)
	}
	fmt.Fprintf(env.stderr, "crmlink: unknown command %q\n", name)
	usage(env.stderr)
	return exitUsage
}

// report prints err as one line on stderr and returns the exit status it causes.
func report(stderr io.Writer, name string, err error) int {
	if err == nil {
		return exitOK
	}
	if errors.Is(err, errHelp) {
		return exitOK
	}
	code := exitFailure
	var ce *cliError
	if errors.As(err, &ce) {
		code = ce.code
	}
	msg := strings.ReplaceAll(err.Error(), "\n", "; ")
	fmt.Fprintf(stderr, "crmlink %s: %s\n", name, msg)
	return code
}

// checkedWriter buffers stdout and remembers the first write error, so that a full disk or a
// closed pipe fails the command instead of passing silently.
type checkedWriter struct {
	w   *bufio.Writer
	err error
}

func (c *checkedWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	if err != nil {
		c.err = err
	}
	return n, err
}

func (c *checkedWriter) flush() error {
	if c.err == nil {
		c.err = c.w.Flush()
	}
	if c.err != nil {
		return fmt.Errorf("write standard output: %w", c.err)
	}
	return nil
}

// flagSet is the flag set of one command and the printer of its usage.
type flagSet struct {
	*flag.FlagSet
	usage func()
}

// newFlagSet returns the flag set of one command. The flag package prints nothing itself: -h
// prints the usage to stderr, and a bad flag is one line naming it (see parse).
func newFlagSet(env *environment, name, synopsis string) *flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &flagSet{FlagSet: fs, usage: func() {
		fmt.Fprintf(env.stderr, "usage: crmlink %s %s\n\nflags:\n", name, synopsis)
		fs.SetOutput(env.stderr)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}}
}

// parse parses args into fs: -h prints the usage and gives errHelp (status 0), a bad flag or a
// positional argument a usage error (status 2).
func parse(fs *flagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.usage()
			return errHelp
		}
		return usagef("%v (see crmlink %s -h)", err, fs.Name())
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q (see crmlink %s -h)", fs.Arg(0), fs.Name())
	}
	return nil
}

// required reports the first of the named flags left empty.
func required(fs *flagSet, names ...string) error {
	for _, n := range names {
		if f := fs.Lookup(n); f != nil && f.Value.String() == "" {
			return usagef("-%s is required (see crmlink %s -h)", n, fs.Name())
		}
	}
	return nil
}
