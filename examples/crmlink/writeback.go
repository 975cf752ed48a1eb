package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
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
	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/privacy"
)

// activityLine is one activity of the input file with the line it came from.
type activityLine struct {
	line int
	act  crm.Activity
}

// activityJSON is one line of a JSON-lines activity file.
type activityJSON struct {
	ExternalKey string `json:"external_key"`
	Kind        string `json:"kind"`
	Object      string `json:"object"`
	RecordID    string `json:"record_id"`
	Subject     string `json:"subject"`
	Body        string `json:"body"`
	OccurredAt  string `json:"occurred_at"`
	Author      string `json:"author"`
}

// activityColumns are the columns of a CSV activity file; external_key, kind, object and
// record_id are required.
var activityColumns = []string{"external_key", "kind", "object", "record_id", "subject", "body", "occurred_at", "author"}

func runWriteback(ctx context.Context, args []string, env *environment, out io.Writer) error {
	fs := newFlagSet(env, "writeback", "-crm ... -org ORG -store STORE -viewer USER -activities FILE.csv|FILE.jsonl")
	var cf crmFlags
	var sf storeFlags
	var vf viewerFlags
	cf.register(fs)
	sf.register(fs)
	vf.register(fs)
	file := fs.String("activities", "", "the activities: a CSV file with a header ("+strings.Join(activityColumns, ",")+
		")\nor a JSON-lines file (.jsonl, .ndjson) of objects with the same keys (required)")
	format := fs.String("format", "", "csv or jsonl (default: from the file's extension)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := required(fs, "crm", "org", "store", "viewer", "activities"); err != nil {
		return err
	}
	if _, err := parseDefaults(vf.defaults); err != nil {
		return err
	}
	if _, err := storeURL(sf.store, env.getenv); err != nil {
		return err
	}
	if err := override.ValidateOrg(sf.org); err != nil {
		return usagef("-org: %v", err)
	}
	f := *format
	if f == "" {
		switch strings.ToLower(filepath.Ext(*file)) {
		case ".csv":
			f = "csv"
		case ".jsonl", ".ndjson", ".json":
			f = "jsonl"
		default:
			return usagef("-activities %s: cannot tell the format from the extension; pass -format csv or -format jsonl", *file)
		}
	}
	if f != "csv" && f != "jsonl" {
		return usagef("-format %q: want csv or jsonl", f)
	}
	b, err := os.ReadFile(*file)
	if err != nil {
		return badInput(fmt.Errorf("-activities: %w", err))
	}
	var acts []activityLine
	var bad []error
	if f == "csv" {
		acts, bad = readActivitiesCSV(*file, b, sf.org, vf.viewer)
	} else {
		acts, bad = readActivitiesJSONL(*file, b, sf.org, vf.viewer)
	}
	if len(bad) > 0 {
		for _, e := range bad[:len(bad)-1] {
			fmt.Fprintf(env.stderr, "crmlink writeback: %v\n", e)
		}
		return badInput(fmt.Errorf("%v (%d bad lines; nothing written)", bad[len(bad)-1], len(bad)))
	}
	if len(acts) == 0 {
		return badInput(fmt.Errorf("%s: no activity in the file", *file))
	}

	conn, err := openCRM(ctx, cf, env.getenv)
	if err != nil {
		return err
	}
	refs, owners, err := owners(ctx, conn.src, acts)
	if err != nil {
		return fmt.Errorf("read the records' owners from the CRM: %w", conn.readError(err))
	}
	access, err := vf.access(ctx, conn.src, sf.org, refs, owners)
	if err != nil {
		return conn.readError(err)
	}
	st, err := openStore(ctx, sf, env.getenv)
	if err != nil {
		return err
	}
	defer st.Close()
	wb, err := crmlink.NewWriteBack(st, conn.writer, crmlink.WithVisibility(access))
	if err != nil {
		return err
	}
	list := make([]crm.Activity, len(acts))
	for i, a := range acts {
		list[i] = a.act
	}
	results, err := wb.Write(ctx, crmlink.Viewer{Org: sf.org, User: vf.viewer}, list)
	if err != nil {
		return flowError("write back", privacy.Error(err, conn.secrets...))
	}
	failed := 0
	for i, r := range results {
		where := fmt.Sprintf("%s:%d", *file, acts[i].line)
		if r.Err != nil {
			failed++
			fmt.Fprintf(env.stderr, "crmlink writeback: %s: %v\n", where, privacy.Error(r.Err, conn.secrets...))
			continue
		}
		state := "already there"
		if r.Created {
			state = "created"
		}
		fmt.Fprintf(out, "%s\t%s\t%s\n", where, r.ID, state)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d activities not written (see the lines above)", failed, len(results))
	}
	return st.Close()
}

// parseActivity checks the fields of one activity and builds it; author defaults to the viewer.
func parseActivity(org, viewer string, key, kind, object, record, subject, body, occurred, author string) (crm.Activity, error) {
	a := crm.Activity{ExternalKey: strings.TrimSpace(key), Kind: crm.ActivityKind(strings.TrimSpace(kind)),
		Record:  crm.RecordRef{Org: org, Object: crm.Object(strings.TrimSpace(object)), ID: strings.TrimSpace(record)},
		Subject: subject, Body: body, Author: strings.TrimSpace(author)}
	switch {
	case a.ExternalKey == "":
		return a, errors.New("external_key is empty")
	case a.Kind != crm.InMail && a.Kind != crm.Message && a.Kind != crm.Note:
		return a, fmt.Errorf("kind %q: want inmail, message or note", kind)
	case !override.Object(a.Record.Object).Valid():
		return a, fmt.Errorf("object %q: want account, contact, lead or opportunity", object)
	case a.Record.ID == "":
		return a, errors.New("record_id is empty")
	}
	if a.Author == "" {
		a.Author = viewer
	}
	if s := strings.TrimSpace(occurred); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return a, errors.New("occurred_at: not an RFC 3339 time")
		}
		a.OccurredAt = t
	} else {
		a.OccurredAt = time.Now().UTC()
	}
	return a, nil
}

func readActivitiesCSV(path string, b []byte, org, viewer string) ([]activityLine, []error) {
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, []error{fmt.Errorf("%s: empty file, want a header line", path)}
		}
		return nil, []error{csvError(path, err)}
	}
	col := map[string]int{}
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff")
		}
		h = strings.ToLower(strings.TrimSpace(h))
		if _, dup := col[h]; dup {
			return nil, []error{fmt.Errorf("%s:1: column %s twice", path, h)}
		}
		col[h] = i
	}
	for _, c := range activityColumns[:4] {
		if _, ok := col[c]; !ok {
			return nil, []error{fmt.Errorf("%s:1: missing column %s", path, c)}
		}
	}
	var acts []activityLine
	var bad []error
	seen := map[string]int{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			bad = append(bad, csvError(path, err))
			break
		}
		line, _ := r.FieldPos(0)
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return rec[i]
			}
			return ""
		}
		a, err := parseActivity(org, viewer, get("external_key"), get("kind"), get("object"), get("record_id"),
			get("subject"), get("body"), get("occurred_at"), get("author"))
		if err == nil {
			err = duplicateKey(seen, a.ExternalKey, line)
		}
		if err != nil {
			bad = append(bad, fmt.Errorf("%s:%d: %v", path, line, err))
			continue
		}
		acts = append(acts, activityLine{line: line, act: a})
	}
	return acts, bad
}

// duplicateKey reports an external key seen on an earlier line.
func duplicateKey(seen map[string]int, key string, line int) error {
	if first, ok := seen[key]; ok {
		return fmt.Errorf("external_key repeated (first on line %d)", first)
	}
	seen[key] = line
	return nil
}

func readActivitiesJSONL(path string, b []byte, org, viewer string) ([]activityLine, []error) {
	var acts []activityLine
	var bad []error
	seen := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		var j activityJSON
		dec := json.NewDecoder(bytes.NewReader(text))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&j); err != nil {
			msg := "not a JSON object with string values"
			if strings.HasPrefix(err.Error(), "json: unknown field") {
				msg = err.Error()
			}
			bad = append(bad, fmt.Errorf("%s:%d: %s", path, line, msg))
			continue
		}
		if dec.More() {
			bad = append(bad, fmt.Errorf("%s:%d: more than one JSON value on the line", path, line))
			continue
		}
		a, err := parseActivity(org, viewer, j.ExternalKey, j.Kind, j.Object, j.RecordID, j.Subject, j.Body, j.OccurredAt, j.Author)
		if err == nil {
			err = duplicateKey(seen, a.ExternalKey, line)
		}
		if err != nil {
			bad = append(bad, fmt.Errorf("%s:%d: %v", path, line, err))
			continue
		}
		acts = append(acts, activityLine{line: line, act: a})
	}
	if err := sc.Err(); err != nil {
		bad = append(bad, fmt.Errorf("%s:%d: %v", path, line+1, err))
	}
	return acts, bad
}

// owners reads the owner of every record the activities are attached to, one read per object.
// A record the CRM does not return gets no owner, and its activities are refused by the
// visibility check.
func owners(ctx context.Context, src crm.Source, acts []activityLine) ([]override.RecordRef, []string, error) {
	ids := map[crm.Object][]string{}
	seen := map[crm.RecordRef]bool{}
	for _, a := range acts {
		if !seen[a.act.Record] {
			seen[a.act.Record] = true
			ids[a.act.Record.Object] = append(ids[a.act.Record.Object], a.act.Record.ID)
		}
	}
	var refs []override.RecordRef
	var out []string
	org := acts[0].act.Record.Org
	add := func(obj crm.Object, id, owner string) {
		refs = append(refs, override.RecordRef{Org: org, Object: override.Object(obj), ID: id})
		out = append(out, owner)
	}
	for obj, list := range ids {
		f := crm.Filter{IDs: list}
		var err error
		switch obj {
		case crm.ObjectAccount:
			err = collectOwners(src.Accounts(ctx, f), func(r crm.Account) { add(obj, r.ID, r.OwnerID) })
		case crm.ObjectContact:
			err = collectOwners(src.Contacts(ctx, f), func(r crm.Contact) { add(obj, r.ID, r.OwnerID) })
		case crm.ObjectLead:
			err = collectOwners(src.Leads(ctx, f), func(r crm.Lead) { add(obj, r.ID, r.OwnerID) })
		case crm.ObjectOpportunity:
			err = collectOwners(src.Opportunities(ctx, f), func(r crm.Opportunity) { add(obj, r.ID, r.OwnerID) })
		}
		if err != nil {
			return nil, nil, err
		}
	}
	return refs, out, nil
}

func collectOwners[T any](seq func(func(T, error) bool), add func(T)) error {
	for r, err := range seq {
		if err != nil {
			return err
		}
		add(r)
	}
	return nil
}
