package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/privacy"
)

// asViewer is the part shared by resolve, correct and reject: the flags, the store, the CRM,
// the record read from it and a Resolver checking the viewer's access to it.
type asViewer struct {
	cf   crmFlags
	sf   storeFlags
	vf   viewerFlags
	rf   recordFlags
	df   dirFlags
	conn *crmConn
	st   *override.Store
	ref  override.RecordRef
	rec  crmRecord
	res  *crmlink.Resolver
	who  crmlink.Viewer
}

// open opens everything after the flags are parsed. Without directory flags the engine has an
// empty directory: only stored mappings resolve.
func (a *asViewer) open(ctx context.Context, env *environment) error {
	ref, err := a.rf.ref(a.sf.org)
	if err != nil {
		return err
	}
	a.ref = ref
	if a.vf.viewer == "" {
		return usagef("-viewer (the CRM user ID acting) is required")
	}
	if _, err := parseDefaults(a.vf.defaults); err != nil {
		return err
	}
	if _, err := storeURL(a.sf.store, env.getenv); err != nil {
		return err
	}
	a.who = crmlink.Viewer{Org: a.sf.org, User: a.vf.viewer}
	if a.conn, err = openCRM(ctx, a.cf, env.getenv); err != nil {
		return err
	}
	if a.rec, err = fetchRecord(ctx, a.conn.src, ref); err != nil {
		if errors.Is(err, errNotInCRM) {
			return fmt.Errorf("record %s: %w", ref, err)
		}
		return fmt.Errorf("read record %s from the CRM: %w", ref, a.conn.readError(err))
	}
	access, err := a.vf.access(ctx, a.conn.src, a.sf.org, []override.RecordRef{ref}, []string{a.rec.owner})
	if err != nil {
		return a.conn.readError(err)
	}
	if a.st, err = openStore(ctx, a.sf, env.getenv); err != nil {
		return err
	}
	eng, err := a.df.engine(ctx)
	if err != nil {
		return err
	}
	a.res, err = crmlink.NewResolver(a.st, eng, crmlink.WithVisibility(access))
	return err
}

func (a *asViewer) close() {
	if a.st != nil {
		a.st.Close()
	}
}

// flowError explains the refusals of the Resolver in words.
func flowError(op string, err error) error {
	switch {
	case errors.Is(err, override.ErrOrgDisabled):
		return fmt.Errorf("%s refused: the org's integration is disabled (crmlink enable turns it back on): %w", op, err)
	case errors.Is(err, crmlink.ErrNoAccess):
		return fmt.Errorf("%s refused: %w", op, err)
	case errors.Is(err, crmlink.ErrKindMismatch):
		return badInput(err)
	case errors.Is(err, override.ErrInvalid):
		return badInput(err)
	}
	return err
}

func runResolve(ctx context.Context, args []string, env *environment, out io.Writer) error {
	fs := newFlagSet(env, "resolve", "-crm ... -org ORG -store STORE -object OBJECT -id ID -viewer USER [-companies C.csv] [-members M.csv]")
	var a asViewer
	a.cf.register(fs)
	a.sf.register(fs)
	a.vf.register(fs)
	a.rf.register(fs)
	a.df.register(fs)
	k := fs.Int("k", 5, "candidates to print for a fuzzy match")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := required(fs, "crm", "org", "store", "object", "id", "viewer"); err != nil {
		return err
	}
	defer a.close()
	if err := a.open(ctx, env); err != nil {
		return err
	}
	var res crmlink.Resolution
	var err error
	switch a.ref.Object {
	case override.Account, override.Opportunity:
		res, err = a.res.ResolveCompany(ctx, a.who, a.ref, a.rec.company)
	default:
		res, err = a.res.ResolveMember(ctx, a.who, a.ref, a.rec.member)
	}
	if errors.Is(err, matcher.ErrEmptyQuery) {
		err = nil
		res = crmlink.Resolution{Via: crmlink.ViaMatch}
	}
	if err != nil {
		return flowError("resolve", err)
	}
	fmt.Fprintf(out, "record: %s\n", a.ref)
	fmt.Fprintf(out, "via: %s\n", res.Via)
	if res.Found {
		fmt.Fprintf(out, "entity: %s\n", res.Entity)
	} else {
		fmt.Fprintln(out, "entity: none")
	}
	if res.Result != nil {
		fmt.Fprintf(out, "decision: %s\n", res.Result.Decision)
		for i, c := range res.Result.Candidates {
			if i >= *k {
				break
			}
			fmt.Fprintf(out, "candidate: %s/%s %.4f\n", c.Entity.Kind, c.Entity.ID, c.Score)
		}
	}
	return nil
}

// parseEntity parses "kind/id", e.g. "member/m1".
func parseEntity(s string) (override.EntityRef, error) {
	kind, id, ok := strings.Cut(s, "/")
	e := override.EntityRef{Kind: override.EntityKind(kind), ID: id}
	if !ok {
		return e, usagef("-entity %q: want KIND/ID, e.g. company/c42 or member/m7", s)
	}
	if err := e.Validate(); err != nil {
		return e, usagef("-entity: %v", err)
	}
	return e, nil
}

func runCorrect(ctx context.Context, args []string, env *environment, out io.Writer) error {
	return runChoice(ctx, "correct", args, env, out)
}

func runReject(ctx context.Context, args []string, env *environment, out io.Writer) error {
	return runChoice(ctx, "reject", args, env, out)
}

// runChoice is correct and reject: a user's choice about one record.
func runChoice(ctx context.Context, op string, args []string, env *environment, out io.Writer) error {
	fs := newFlagSet(env, op, "-crm ... -org ORG -store STORE -object OBJECT -id ID -viewer USER -entity KIND/ID")
	var a asViewer
	a.cf.register(fs)
	a.sf.register(fs)
	a.vf.register(fs)
	a.rf.register(fs)
	entity := fs.String("entity", "", "the entity, KIND/ID: company/c42 or member/m7 (required)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := required(fs, "crm", "org", "store", "object", "id", "viewer", "entity"); err != nil {
		return err
	}
	e, err := parseEntity(*entity)
	if err != nil {
		return err
	}
	defer a.close()
	if err := a.open(ctx, env); err != nil {
		return err
	}
	if op == "correct" {
		err = a.res.Correct(ctx, a.who, a.ref, e)
	} else {
		err = a.res.Reject(ctx, a.who, a.ref, e)
	}
	if err != nil {
		return flowError(op, err)
	}
	verb := map[string]string{"correct": "manual mapping stored", "reject": "rejection stored"}[op]
	fmt.Fprintf(out, "%s: %s -> %s (by %s)\n", verb, a.ref, e, a.who.User)
	return a.st.Close()
}

func runList(ctx context.Context, args []string, env *environment, out io.Writer) error {
	fs := newFlagSet(env, "list", "-org ORG -store STORE [-object OBJECT -id ID]")
	var sf storeFlags
	var rf recordFlags
	sf.register(fs)
	rf.register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := required(fs, "org", "store"); err != nil {
		return err
	}
	if (rf.object == "") != (rf.id == "") {
		return usagef("-object and -id go together")
	}
	var ref override.RecordRef
	if rf.id != "" {
		var err error
		if ref, err = rf.ref(sf.org); err != nil {
			return err
		}
	}
	st, err := openStore(ctx, sf, env.getenv)
	if err != nil {
		return err
	}
	defer st.Close()
	n := 0
	show := func(m override.Mapping) {
		n++
		what := string(m.Source)
		if m.Rejected {
			what = "rejected"
		}
		line := fmt.Sprintf("%s/%s\t%s\t%s\t%s", m.Record.Object, m.Record.ID, what, m.Entity, m.UpdatedAt.UTC().Format(time.RFC3339))
		if m.UpdatedBy != "" {
			line += "\tby " + m.UpdatedBy
		}
		fmt.Fprintln(out, line)
	}
	if rf.id != "" {
		rec, err := st.Lookup(ctx, ref)
		if err != nil {
			return fmt.Errorf("list %s: %w", ref, privacy.Error(err))
		}
		for _, m := range rec.Mappings {
			show(m)
		}
	} else {
		for m, err := range st.Mappings(ctx, sf.org) {
			if err != nil {
				return fmt.Errorf("list %s: %w", sf.org, privacy.Error(err))
			}
			show(m)
		}
	}
	fmt.Fprintf(env.stderr, "crmlink list: %d stored\n", n)
	return st.Close()
}

// openOrgStore parses the flags of a command that takes -org and -store only, both required,
// and opens the store, which the caller closes.
func openOrgStore(ctx context.Context, name string, args []string, env *environment) (org string, st *override.Store, err error) {
	fs := newFlagSet(env, name, "-org ORG -store STORE")
	var sf storeFlags
	sf.register(fs)
	if err := parse(fs, args); err != nil {
		return "", nil, err
	}
	if err := required(fs, "org", "store"); err != nil {
		return "", nil, err
	}
	st, err = openStore(ctx, sf, env.getenv)
	return sf.org, st, err
}

func runAudit(ctx context.Context, args []string, env *environment, out io.Writer) error {
	org, st, err := openOrgStore(ctx, "audit", args, env)
	if err != nil {
		return err
	}
	defer st.Close()
	a, err := privacy.NewAudit(ctx, st, org)
	if err != nil {
		return fmt.Errorf("audit %s: %w", org, privacy.Error(err))
	}
	if _, err := a.WriteTo(out); err != nil {
		return err
	}
	return st.Close()
}

func runDisable(ctx context.Context, args []string, env *environment, out io.Writer) error {
	return runOrgState(ctx, "disable", args, env, out)
}

func runEnable(ctx context.Context, args []string, env *environment, out io.Writer) error {
	return runOrgState(ctx, "enable", args, env, out)
}

// runOrgState is disable and enable.
func runOrgState(ctx context.Context, op string, args []string, env *environment, out io.Writer) error {
	org, st, err := openOrgStore(ctx, op, args, env)
	if err != nil {
		return err
	}
	defer st.Close()
	if op == "disable" {
		err = st.Disable(ctx, org)
	} else {
		err = st.Enable(ctx, org)
	}
	if err != nil {
		return fmt.Errorf("%s %s: %w", op, org, privacy.Error(err))
	}
	fmt.Fprintf(out, "org %s: %sd\n", org, op)
	return st.Close()
}

func runPurge(ctx context.Context, args []string, env *environment, out io.Writer) error {
	fs := newFlagSet(env, "purge", "-org ORG -store STORE [-yes]")
	var sf storeFlags
	sf.register(fs)
	yes := fs.Bool("yes", false, "do not ask for the org ID again on standard input")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := required(fs, "org", "store"); err != nil {
		return err
	}
	if _, err := storeURL(sf.store, env.getenv); err != nil {
		return err
	}
	if !*yes {
		fmt.Fprintf(env.stderr, "This removes every mapping and rejection of org %s. Type the org ID to confirm: ", sf.org)
		line, err := bufio.NewReader(env.stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("read the confirmation: %w", err)
		}
		if strings.TrimSpace(line) != sf.org {
			fmt.Fprintln(env.stderr)
			return errors.New("purge cancelled: the org ID typed does not match -org; nothing was removed")
		}
	}
	st, err := openStore(ctx, sf, env.getenv)
	if err != nil {
		return err
	}
	defer st.Close()
	removed, err := crmlink.PurgeOrg(ctx, st, sf.org)
	if err != nil {
		return fmt.Errorf("purge %s: %w", sf.org, privacy.Error(err))
	}
	fmt.Fprintf(out, "org %s: purged, %d removed\n", sf.org, removed)
	return st.Close()
}
