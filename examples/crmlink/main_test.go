package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/internal/testbin"
	"github.com/crmlink/crmlink/internal/testenv"
)

// bin is the command built once for every test.
var bin string

func TestMain(m *testing.M) { testbin.Main(m, "crmlink", &bin) }

// result is one run of the command.
type result struct {
	code           int
	stdout, stderr string
}

// call runs the command with args, the environment env (on top of PATH and HOME only, so that
// no credential of the machine leaks in) and stdin.
func call(t *testing.T, env []string, stdin string, args ...string) result {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), bin, args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}, env...)
	cmd.Stdin = strings.NewReader(stdin)
	var r result
	r.code, r.stdout, r.stderr = testbin.RunCmd(t, cmd)
	return r
}

// exe is call without environment or stdin.
func exe(t *testing.T, args ...string) result {
	t.Helper()
	return call(t, nil, "", args...)
}

// want checks the exit status, and that stderr holds each of msgs.
func (r result) want(t *testing.T, code int, msgs ...string) {
	t.Helper()
	require.Equalf(t, code, r.code, "exit status; stderr:\n%s\nstdout:\n%s", r.stderr, r.stdout)
	for _, m := range msgs {
		assert.Contains(t, r.stderr, m)
	}
}

const org = "00D1"

var (
	crmDir    = filepath.Join("testdata", "crm")
	companies = filepath.Join("testdata", "companies.csv")
	members   = filepath.Join("testdata", "members.csv")
)

func TestHelpAndUsage(t *testing.T) {
	for _, c := range commands() {
		r := exe(t, c.name, "-h")
		r.want(t, 0, "usage: crmlink "+c.name)
		assert.Empty(t, r.stdout)
	}
	exe(t, "-h").want(t, 0, "usage: crmlink <command>")
	exe(t).want(t, 2, "usage: crmlink <command>")
	exe(t, "frobnicate").want(t, 2, `unknown command "frobnicate"`)
}

func TestBadCommandLines(t *testing.T) {
	bolt := "bolt:" + filepath.Join(t.TempDir(), "x.db")
	tests := []struct {
		name string
		env  []string
		args []string
		msg  string
	}{
		{"unknown flag", nil, []string{"sync", "-nope"}, "flag provided but not defined: -nope"},
		{"unknown flag of list", nil, []string{"list", "-org", org, "-store", bolt, "-verbose"}, "flag provided but not defined: -verbose"},
		{"positional argument", nil, []string{"audit", "-org", org, "-store", bolt, "extra"}, `unexpected argument "extra"`},
		{"sync without crm", nil, []string{"sync", "-org", org, "-store", bolt}, "-crm is required"},
		{"sync without org", nil, []string{"sync", "-crm", "csv:" + crmDir, "-store", bolt}, "-org is required"},
		{"sync without store", nil, []string{"sync", "-crm", "csv:" + crmDir, "-org", org}, "-store is required"},
		{"sync without directory", nil, []string{"sync", "-crm", "csv:" + crmDir, "-org", org, "-store", bolt}, "-companies and/or -members"},
		{"unknown crm", nil, []string{"sync", "-crm", "hubspot", "-org", org, "-store", bolt, "-companies", companies}, `-crm "hubspot"`},
		{"bad since", nil, []string{"sync", "-crm", "csv:" + crmDir, "-org", org, "-store", bolt, "-companies", companies, "-since", "yesterday"}, "not an RFC 3339 time"},
		{"bad store", nil, []string{"audit", "-org", org, "-store", "redis://x"}, "want memory, bolt:PATH"},
		{"password on the command line", nil, []string{"audit", "-org", org, "-store", "postgres://u:hunter2@127.0.0.1/db"}, "a password on the command line is refused"},
		{"empty dsn variable", nil, []string{"audit", "-org", org, "-store", "postgres:CRMLINK_NO_SUCH_VAR"}, "CRMLINK_NO_SUCH_VAR is empty"},
		{"list without store", nil, []string{"list", "-org", org}, "-store is required"},
		{"list with id only", nil, []string{"list", "-org", org, "-store", bolt, "-id", "001A"}, "-object and -id go together"},
		{"bad object", nil, []string{"correct", "-crm", "csv:" + crmDir, "-org", org, "-store", bolt, "-object", "case", "-id", "1", "-viewer", "005U1", "-entity", "member/m1"}, `-object "case"`},
		{"bad entity", nil, []string{"reject", "-crm", "csv:" + crmDir, "-org", org, "-store", bolt, "-object", "contact", "-id", "003A", "-viewer", "005U1", "-entity", "m1"}, "want KIND/ID"},
		{"resolve without viewer", nil, []string{"resolve", "-crm", "csv:" + crmDir, "-org", org, "-store", bolt, "-object", "contact", "-id", "003A"}, "-viewer is required"},
		{"bad defaults", nil, []string{"resolve", "-crm", "csv:" + crmDir, "-org", org, "-store", bolt, "-object", "contact", "-id", "003A", "-viewer", "005U1", "-defaults", "contact=everyone"}, `unknown access "everyone"`},
		{"missing directory file", nil, []string{"sync", "-crm", "csv:" + crmDir, "-org", org, "-store", bolt, "-companies", "testdata/nope.csv"}, "testdata/nope.csv"},
		{"salesforce without credentials", nil, []string{"sync", "-crm", "salesforce", "-org", org, "-store", bolt, "-companies", companies}, "CRMLINK_SF_CLIENT_ID"},
		{"salesforce plain http", []string{"CRMLINK_SF_CLIENT_ID=x", "CRMLINK_SF_CLIENT_SECRET=y", "CRMLINK_SF_INSTANCE_URL=http://example.com"},
			[]string{"sync", "-crm", "salesforce", "-org", org, "-store", bolt, "-companies", companies}, "CRMLINK_SF_INSTANCE_URL: want an https:// URL"},
		{"dynamics without tenant", []string{"CRMLINK_DYN_URL=https://x.crm.dynamics.com", "CRMLINK_DYN_CLIENT_ID=x", "CRMLINK_DYN_CLIENT_SECRET=y"},
			[]string{"sync", "-crm", "dynamics", "-org", org, "-store", bolt, "-companies", companies}, "CRMLINK_DYN_TENANT_ID is required"},
		{"config with unknown field", nil, []string{"sync", "-crm", "salesforce", "-config", writeTemp(t, "c.json", "{\n\"salesforce\": {\"secret\": \"x\"}\n}"), "-org", org, "-store", bolt, "-companies", companies}, "unknown field"},
		{"config not json", nil, []string{"sync", "-crm", "dynamics", "-config", writeTemp(t, "c.json", "{\n\"dynamics\": {\n}}}"), "-org", org, "-store", bolt, "-companies", companies}, "line 3: invalid JSON"},
		{"config bad type", nil, []string{"sync", "-crm", "dynamics", "-config", writeTemp(t, "c.json", "{\n\"dynamics\": {\n\"url\": 7}}"), "-org", org, "-store", bolt, "-companies", companies}, "line 3: field dynamics.url: want a string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, tt.env, "", tt.args...)
			r.want(t, 2, tt.msg)
			assert.NotContains(t, r.stderr, "hunter2")
			assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "one line per error: %q", r.stderr)
		})
	}
}

func TestStorePasswordNeverPrinted(t *testing.T) {
	env := []string{"CRMLINK_PG=postgres://crmlink:hunter2@127.0.0.1:1/crmlink?sslmode=disable&connect_timeout=2"}
	r := call(t, env, "", "audit", "-org", org, "-store", "postgres:CRMLINK_PG")
	r.want(t, 1, "open store")
	assert.NotContains(t, r.stderr, "hunter2")
	r = call(t, env, "", syncArgs("csv:"+crmDir, "postgres:CRMLINK_PG")...)
	r.want(t, 1, "open store")
	assert.NotContains(t, r.stderr, "hunter2")
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
	return p
}

// export copies the CSV fixtures into a fresh folder, under the names given (lower-case name
// -> name on disk; "" leaves the file out), and returns it.
func export(t *testing.T, names map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir(crmDir)
	require.NoError(t, err)
	for _, e := range entries {
		name := e.Name()
		if n, ok := names[name]; ok {
			name = n
		}
		if name == "" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(crmDir, e.Name()))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), b, 0o600))
	}
	return dir
}

func syncArgs(crmSpec, store string, extra ...string) []string {
	return append([]string{"sync", "-crm", crmSpec, "-org", org, "-store", store, "-companies", companies, "-members", members, "-progress=false"}, extra...)
}

func TestCSVFolder(t *testing.T) {
	t.Run("no csv", func(t *testing.T) {
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o600))
		exe(t, syncArgs("csv:"+dir, "memory")...).want(t, 2, "holds no CSV file", "accounts.csv")
		require.NoError(t, os.WriteFile(filepath.Join(dir, "companies.csv"), []byte("id\n"), 0o600))
		exe(t, syncArgs("csv:"+dir, "memory")...).want(t, 2, "no recognised CSV file (found companies.csv)", "accounts.csv")
	})
	t.Run("missing folder", func(t *testing.T) {
		exe(t, syncArgs("csv:"+filepath.Join(t.TempDir(), "gone"), "memory")...).want(t, 2, "no such directory")
	})
	t.Run("misnamed file", func(t *testing.T) {
		dir := export(t, map[string]string{"accounts.csv": "accounts-2024.csv"})
		exe(t, syncArgs("csv:"+dir, "memory")...).want(t, 2, filepath.Join(dir, "accounts-2024.csv")+": not a CRM export file name", "accounts.csv")
	})
	t.Run("same file twice", func(t *testing.T) {
		dir := export(t, nil)
		b, err := os.ReadFile(filepath.Join(dir, "leads.csv"))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, "Leads.csv"), b, 0o600))
		exe(t, syncArgs("csv:"+dir, "memory")...).want(t, 2, "keep one")
	})
	t.Run("duplicate id", func(t *testing.T) {
		dir := export(t, nil)
		f, err := os.OpenFile(filepath.Join(dir, "contacts.csv"), os.O_APPEND|os.O_WRONLY, 0)
		require.NoError(t, err)
		_, err = f.WriteString("003B,001B,Hank,Other,CEO,,Springfield,United States,005U1,2024-03-06T10:00:00Z\n")
		require.NoError(t, err)
		require.NoError(t, f.Close())
		r := exe(t, syncArgs("csv:"+dir, "memory")...)
		r.want(t, 2, `contacts.csv:6:1: column "id": duplicate ID (first on line 3, again on line 6)`)
		assert.NotContains(t, r.stderr, "Scorpio")
		assert.NotContains(t, r.stderr, "003B", "the message names lines, not IDs")
		// The other commands reading the export take it for bad input too.
		exe(t, "resolve", "-crm", "csv:"+dir, "-org", org, "-store", "memory", "-object", "contact", "-id", "003A", "-viewer", "005U1").
			want(t, 2, `contacts.csv:6:1: column "id": duplicate ID`)
	})
	t.Run("bad row", func(t *testing.T) {
		dir := export(t, nil)
		f, err := os.OpenFile(filepath.Join(dir, "leads.csv"), os.O_APPEND|os.O_WRONLY, 0)
		require.NoError(t, err)
		_, err = f.WriteString("00QC,Ann,Other,,,,,,005U1,last tuesday\n")
		require.NoError(t, err)
		require.NoError(t, f.Close())
		r := exe(t, syncArgs("csv:"+dir, "memory")...)
		r.want(t, 2, "leads.csv:4:", "invalid time")
		assert.Equal(t, 1, strings.Count(strings.TrimSpace(r.stderr), "\n")+1, r.stderr)
	})
	t.Run("names in any case", func(t *testing.T) {
		dir := export(t, map[string]string{"accounts.csv": "Accounts.csv", "contacts.csv": "CONTACTS.CSV", "leads.csv": "Lead.csv"})
		r := exe(t, syncArgs("csv:"+dir, "memory")...)
		r.want(t, 0)
		assert.Contains(t, r.stdout, "accounts: read=4 ")
		assert.Contains(t, r.stdout, "contacts: read=4 ")
		assert.Contains(t, r.stdout, "leads: read=2 ")
	})
}

func TestStdoutWriteFailure(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skipf("no /dev/full on this system: %v", err)
	}
	defer full.Close()
	for _, args := range [][]string{
		syncArgs("csv:"+crmDir, "memory"),
		{"audit", "-org", org, "-store", "memory"},
	} {
		cmd := exec.CommandContext(t.Context(), bin, args...)
		cmd.Stdout = full
		code, _, stderr := testbin.RunCmd(t, cmd)
		require.NotZero(t, code, "a full stdout must fail the command: %v", args)
		assert.Equal(t, 1, code)
		assert.Contains(t, stderr, "write standard output")
	}
}

func TestMemorySyncReports(t *testing.T) {
	dir := t.TempDir()
	js, cs := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.csv")
	r := exe(t, syncArgs("csv:"+crmDir, "memory", "-report-json", js, "-report-csv", cs)...)
	r.want(t, 0)
	for _, l := range []string{
		"accounts: read=4 invalid=0 empty=0 matched=3 ambiguous=0 none=1 written=3",
		"contacts: read=4 invalid=0 empty=0 matched=3 ambiguous=0 none=1 written=3",
		"leads: read=2 invalid=0 empty=0 matched=1 ambiguous=0 none=1 written=1",
		"report account: read=4 filtered=0 invalid=0 linked=3 (manual=0 sync=3)",
		"  review none: 001D",
		"total: read=10 linked=7 ambiguous=0 none=3 linked_share=0.700",
		"started: ",
	} {
		assert.Contains(t, r.stdout, l)
	}
	var m struct {
		Org     string `json:"org"`
		Objects []struct {
			Object string         `json:"object"`
			Counts map[string]int `json:"counts"`
		} `json:"objects"`
	}
	b, err := os.ReadFile(js)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &m))
	assert.Equal(t, org, m.Org)
	got := map[string]int{}
	for _, o := range m.Objects {
		got[o.Object] = o.Counts["sync"]
	}
	assert.Equal(t, map[string]int{"account": 3, "contact": 3, "lead": 1}, got)
	f, err := os.Open(cs)
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	assert.Greater(t, len(rows), 1)
	// Memory keeps nothing across runs: a second command sees an empty store.
	r = exe(t, "audit", "-org", org, "-store", "memory")
	r.want(t, 0)
	assert.Contains(t, r.stdout, "0 stored")
	// The progress log goes to stderr when it is not a terminal.
	r = exe(t, "sync", "-crm", "csv:"+crmDir, "-org", org, "-store", "memory", "-companies", companies, "-members", members)
	r.want(t, 0, `msg="sync progress" object=account read=4`, "total=4")
}

func TestStageAndSince(t *testing.T) {
	r := exe(t, syncArgs("csv:"+crmDir, "memory", "-stage", "Proposal")...)
	r.want(t, 0)
	// Only Acme's renewal is open at or past Proposal: its account and its contact.
	assert.Contains(t, r.stdout, "accounts: read=1 ")
	assert.Contains(t, r.stdout, "contacts: read=1 ")
	assert.Contains(t, r.stdout, "leads: read=0 ")
	exe(t, syncArgs("csv:"+crmDir, "memory", "-stage", "Signed")...).want(t, 2, "-stage", "Signed")
	r = exe(t, syncArgs("csv:"+crmDir, "memory", "-since", "2024-03-10T00:00:00Z")...)
	r.want(t, 0, "incremental: records modified since 2024-03-10T00:00:00Z")
	assert.Contains(t, r.stdout, "accounts: read=2 ")
	exe(t, syncArgs("csv:"+crmDir, "memory", "-since", "2024-03-10T00:00:00Z", "-full")...).want(t, 2, "exclude each other")
	exe(t, syncArgs("csv:"+crmDir, "memory", "-full", "-incremental")...).want(t, 2, "-full and -incremental exclude each other")
	// -since wins over -incremental, as WithModifiedSince does over WithIncremental.
	r = exe(t, syncArgs("csv:"+crmDir, "memory", "-incremental", "-since", "2024-03-10T00:00:00Z")...)
	r.want(t, 0)
	assert.Contains(t, r.stdout, "accounts: read=2 ")
	assert.Contains(t, r.stdout, "since: 2024-03-10T00:00:00Z\n")
}

func TestPurgeConfirmation(t *testing.T) {
	store := "bolt:" + filepath.Join(t.TempDir(), "x.db")
	exe(t, syncArgs("csv:"+crmDir, store)...).want(t, 0)
	r := call(t, nil, "00D2\n", "purge", "-org", org, "-store", store)
	r.want(t, 1, "purge cancelled", "nothing was removed")
	r = call(t, nil, "", "purge", "-org", org, "-store", store)
	r.want(t, 1, "purge cancelled")
	r = exe(t, "audit", "-org", org, "-store", store)
	r.want(t, 0)
	assert.Contains(t, r.stdout, "7 stored")
	r = call(t, nil, org+"\n", "purge", "-org", org, "-store", store)
	r.want(t, 0)
	assert.Contains(t, r.stdout, "purged, 7 removed")
}

// lifecycle is the whole life of an org's data in one store, through the command: sync,
// correct, reject, list, audit, disable (resolve refused), enable, purge.
func lifecycle(t *testing.T, env []string, store string) {
	c := func(args ...string) result {
		t.Helper()
		return call(t, env, "", args...)
	}
	st := []string{"-org", org, "-store", store}
	incremental := []string{"-incremental"}
	who := append([]string{"-crm", "csv:" + crmDir, "-viewer", "005U1"}, st...)

	// No complete run yet: -incremental reads everything.
	r := c(append(syncArgs("csv:"+crmDir, store), incremental...)...)
	r.want(t, 0)
	assert.Contains(t, r.stdout, "total: read=10 linked=7")
	assert.NotContains(t, r.stdout, "since:")
	started := regexp.MustCompile(`(?m)^started: (\S+)$`).FindStringSubmatch(r.stdout)
	require.NotNil(t, started, r.stdout)
	first, err := time.Parse(time.RFC3339, started[1])
	require.NoError(t, err)
	// The next run reads since the first one's start, less the margin: nothing was modified since.
	r = c(append(syncArgs("csv:"+crmDir, store), incremental...)...)
	r.want(t, 0)
	assert.Contains(t, r.stdout, "total: read=0 ")
	assert.Contains(t, r.stdout, "since: "+first.Add(-incrementalMargin).Format(time.RFC3339)+"\n")
	// -full reads everything again, and keeps checkpoints with -resume.
	r = c(append(syncArgs("csv:"+crmDir, store), "-full", "-resume")...)
	r.want(t, 0)
	assert.Contains(t, r.stdout, "total: read=10 ")
	r = c(append(syncArgs("csv:"+crmDir, store), incremental...)...)
	r.want(t, 0)
	assert.Contains(t, r.stdout, "total: read=0 ")

	r = c(append([]string{"resolve", "-object", "contact", "-id", "003A"}, who...)...)
	r.want(t, 0)
	assert.Equal(t, "record: 00D1/contact/003A\nvia: sync\nentity: member/m1\n", r.stdout)
	// A user of another branch of the role hierarchy may not see the record.
	r = c("resolve", "-crm", "csv:"+crmDir, "-viewer", "005U2", "-object", "contact", "-id", "003A", "-org", org, "-store", store)
	r.want(t, 1, "resolve refused", "viewer 00D1/005U2 may not see it")
	assert.NotContains(t, r.stdout, "member/m1")

	r = c(append([]string{"correct", "-object", "contact", "-id", "003D", "-entity", "member/m5"}, who...)...)
	r.want(t, 0)
	assert.Contains(t, r.stdout, "manual mapping stored: 00D1/contact/003D -> member/m5 (by 005U1)")
	r = c(append([]string{"reject", "-object", "account", "-id", "001A", "-entity", "company/c1"}, who...)...)
	r.want(t, 0)
	r = c(append([]string{"correct", "-object", "account", "-id", "001A", "-entity", "member/m1"}, who...)...)
	r.want(t, 2, "account records map to company entities")

	r = c(append([]string{"resolve", "-object", "contact", "-id", "003D"}, who...)...)
	r.want(t, 0)
	assert.Contains(t, r.stdout, "via: manual\nentity: member/m5\n")
	r = c(append([]string{"resolve", "-object", "account", "-id", "001A", "-companies", companies}, who...)...)
	r.want(t, 0)
	assert.Contains(t, r.stdout, "via: match\n")
	assert.NotContains(t, r.stdout, "company/c1")

	// An opportunity resolves through its account's parameters.
	r = c(append([]string{"resolve", "-object", "opportunity", "-id", "006B", "-companies", companies}, who...)...)
	r.want(t, 0)
	assert.Contains(t, r.stdout, "via: match\nentity: company/c2\ndecision: match\ncandidate: company/c2 ")

	r = c(append([]string{"list"}, st...)...)
	r.want(t, 0, "8 stored")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	require.Len(t, lines, 8, r.stdout)
	assert.Regexp(t, `^account/001A\trejected\tcompany/c1\t\S+\tby 005U1$`, lines[0])
	assert.Regexp(t, `^contact/003D\tmanual\tmember/m5\t\S+\tby 005U1$`, lines[6])
	r = c(append([]string{"list", "-object", "contact", "-id", "003A"}, st...)...)
	r.want(t, 0)
	assert.Regexp(t, `^contact/003A\tsync\tmember/m1\t\S+\n$`, r.stdout)

	r = c(append([]string{"audit"}, st...)...)
	r.want(t, 0)
	assert.Contains(t, r.stdout, "org 00D1 (enabled): 8 stored")
	assert.Contains(t, r.stdout, "manual by 005U1")

	c(append([]string{"disable"}, st...)...).want(t, 0)
	r = c(append([]string{"resolve", "-object", "contact", "-id", "003A"}, who...)...)
	r.want(t, 1, "resolve refused: the org's integration is disabled")
	assert.Empty(t, r.stdout)
	r = c(append(syncArgs("csv:"+crmDir, store), incremental...)...)
	r.want(t, 1, "disabled")
	r = c(append([]string{"audit"}, st...)...)
	assert.Contains(t, r.stdout, "org 00D1 (disabled): 8 stored")
	c(append([]string{"enable"}, st...)...).want(t, 0)
	c(append([]string{"resolve", "-object", "contact", "-id", "003A"}, who...)...).want(t, 0)

	r = call(t, env, "00D1\n", append([]string{"purge"}, st...)...)
	r.want(t, 0)
	assert.Contains(t, r.stdout, "org 00D1: purged, 8 removed")
	r = c(append([]string{"audit"}, st...)...)
	assert.Contains(t, r.stdout, "org 00D1 (enabled): 0 stored")
	r = c(append([]string{"list"}, st...)...)
	r.want(t, 0, "0 stored")
	assert.Empty(t, r.stdout)
	// The purge removed the checkpoints too: the next -incremental sync reads everything again.
	r = c(append(syncArgs("csv:"+crmDir, store), incremental...)...)
	r.want(t, 0)
	assert.Contains(t, r.stdout, "total: read=10 linked=7")
	assert.NotContains(t, r.stdout, "since:")
}

func TestLifecycleBolt(t *testing.T) {
	dir := t.TempDir()
	lifecycle(t, nil, "bolt:"+filepath.Join(dir, "crmlink.db"))
	// The checkpoints live in the store: no file besides it.
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.Equal(t, []string{"crmlink.db"}, names)
}

func TestLifecyclePostgres(t *testing.T) {
	dsn, schema := testenv.PostgresSchema(t, "crmlink_cli_")
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	env := []string{"CRMLINK_PG=" + dsn + sep + "crmlink_schema=" + schema}
	lifecycle(t, env, "postgres:CRMLINK_PG")
}

func TestSeats(t *testing.T) {
	store := "bolt:" + filepath.Join(t.TempDir(), "x.db")
	exe(t, syncArgs("csv:"+crmDir, store)...).want(t, 0)
	resolve := func(seats string) result {
		return exe(t, "resolve", "-crm", "csv:"+crmDir, "-org", org, "-store", store, "-object", "lead", "-id", "00QA",
			"-viewer", "005U1", "-seats", seats)
	}
	r := resolve(writeTemp(t, "seats.txt", "# seat holders\nBlake.Other@corp.example\n"))
	r.want(t, 1, "may not see it")
	r = resolve(writeTemp(t, "seats.txt", "blake.other@corp.example\n\n ALEX.OWNER@corp.example \n"))
	r.want(t, 0)
	assert.Equal(t, "record: 00D1/lead/00QA\nvia: sync\nentity: member/m4\n", r.stdout)
	bad := writeTemp(t, "seats.txt", "alex.owner@corp.example\nnot an address\n")
	resolve(bad).want(t, 2, bad+":2: not an email address")
}
