package crmlink_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/csvsource"
	"github.com/crmlink/crmlink/internal/synth"
	"github.com/crmlink/crmlink/internal/testenv"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/override/boltstore"
	"github.com/crmlink/crmlink/override/pgstore"
)

// scaleOrg is the org of the scale fixtures.
const scaleOrg = "00Dscale"

// scaleWorld is the synthetic directory of the scale tests and benchmarks (2,000 companies and
// 2,000 members, so that matching weighs less against reading and storing), and an engine over
// it. It is deterministic: a child process builds the same.
func scaleWorld(tb testing.TB) (*synth.World, *matcher.Engine) {
	tb.Helper()
	return synthWorld(tb, 2_000)
}

// writeScaleCRM writes accounts.csv and leads.csv of n accounts and n leads to dir, corrupted
// copies of the world's entities (10% absent from it), in chunks so that the generator never
// holds more than one chunk.
func writeScaleCRM(tb testing.TB, dir string, w *synth.World, n int) {
	tb.Helper()
	const chunk = 10_000
	write := func(file string, each func(f io.Writer, start, k int, header bool) error) {
		f, err := os.Create(filepath.Join(dir, file))
		require.NoError(tb, err)
		bw := bufio.NewWriterSize(f, 1<<20)
		for start := 0; start < n; start += chunk {
			require.NoError(tb, each(bw, start, min(chunk, n-start), start == 0))
		}
		require.NoError(tb, bw.Flush())
		require.NoError(tb, f.Close())
	}
	modified := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	// withoutHeader writes what write(buf) produces, dropping the header line unless header.
	withoutHeader := func(f io.Writer, header bool, write func(io.Writer) error) error {
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			return err
		}
		b := buf.Bytes()
		if !header {
			b = b[bytes.IndexByte(b, '\n')+1:]
		}
		_, err := f.Write(b)
		return err
	}
	write(csvsource.AccountsFile, func(f io.Writer, start, k int, header bool) error {
		rs := make([]crm.Account, 0, k)
		for i, q := range w.CompanyQueries(k, synth.QueryOptions{Seed: uint64(start) + 1, AbsentRate: 0.1}) {
			rs = append(rs, crm.Account{ID: fmt.Sprintf("001%012d", start+i), Name: q.Name, Industry: q.Industry,
				Website: q.Website, Country: q.Location, OwnerID: "005U1", ModifiedAt: modified})
		}
		return withoutHeader(f, header, func(w io.Writer) error { return csvsource.WriteAccounts(w, rs) })
	})
	write(csvsource.LeadsFile, func(f io.Writer, start, k int, header bool) error {
		rs := make([]crm.Lead, 0, k)
		for i, q := range w.MemberQueries(k, synth.QueryOptions{Seed: uint64(start) + 2, AbsentRate: 0.1}) {
			rs = append(rs, crm.Lead{ID: fmt.Sprintf("00Q%012d", start+i), FirstName: q.FirstName, LastName: q.LastName,
				Company: q.Company, Title: q.Title, Email: q.Email, Country: q.Location, OwnerID: "005U1", ModifiedAt: modified})
		}
		return withoutHeader(f, header, func(w io.Writer) error { return csvsource.WriteLeads(w, rs) })
	})
}

// resumeChildEnv makes the re-executed test binary run TestSyncResumeChild with the
// configuration it holds (JSON of resumeChild).
const resumeChildEnv = "CRMLINK_SYNC_RESUME_CHILD"

// resumeChild is what a child process syncs: the CSV directory, the store's URL, the batch size.
type resumeChild struct {
	CRM   string `json:"crm"`
	Store string `json:"store"`
	Batch int    `json:"batch"`
}

// childDone is the last line of a child that finished its run.
type childDone struct {
	Resumed  bool      `json:"resumed"`
	Started  time.Time `json:"started"`
	Accounts int       `json:"accounts_read"`
	Leads    int       `json:"leads_read"`
	Written  int       `json:"written"`
}

func openStoreURL(ctx context.Context, u string) (*override.Store, error) {
	var reg override.Registry
	reg.Register("bolt", boltstore.OpenURL)
	reg.Register("postgres", pgstore.OpenURL)
	return reg.Open(ctx, u)
}

// TestSyncResumeChild is the child process of TestSyncResumeAfterKill: it syncs the CSV
// directory into the store with checkpoints, printing one line per batch written
// ("progress <object> <read> <batches> <resumed>") and a JSON childDone line at the end.
func TestSyncResumeChild(t *testing.T) {
	cfgJSON := os.Getenv(resumeChildEnv)
	if cfgJSON == "" {
		t.Skip("the child process of TestSyncResumeAfterKill")
	}
	var cfg resumeChild
	require.NoError(t, json.Unmarshal([]byte(cfgJSON), &cfg))
	ctx := context.Background()
	_, eng := scaleWorld(t)
	src, err := csvsource.Open(cfg.CRM)
	require.NoError(t, err)
	st, err := openStoreURL(ctx, cfg.Store)
	require.NoError(t, err)
	defer st.Close()
	out := bufio.NewWriter(os.Stdout)
	s, err := crmlink.NewSyncer(src, eng, st, scaleOrg, crmlink.WithCheckpoints(), crmlink.WithBatchSize(cfg.Batch),
		crmlink.WithProgress(func(p crmlink.Progress) {
			fmt.Fprintf(out, "progress %s %d %d %t\n", p.Object, p.Stats.Read, p.Batches, p.Resumed)
			_ = out.Flush()
		}))
	require.NoError(t, err)
	stats, err := s.Run(ctx)
	require.NoError(t, err)
	b, err := json.Marshal(childDone{Resumed: stats.Resumed, Started: stats.Started, Accounts: stats.Accounts.Read,
		Leads: stats.Leads.Read, Written: stats.Total().Written})
	require.NoError(t, err)
	fmt.Fprintf(out, "done %s\n", b)
	require.NoError(t, out.Flush())
}

// startChild starts a child syncing cfg and returns it with its stdout lines.
func startChild(t *testing.T, cfg resumeChild) (*exec.Cmd, <-chan string) {
	t.Helper()
	b, err := json.Marshal(cfg)
	require.NoError(t, err)
	cmd := exec.Command(os.Args[0], "-test.run=^TestSyncResumeChild$", "-test.v")
	cmd.Env = append(os.Environ(), resumeChildEnv+"="+string(b))
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	lines := make(chan string, 1024)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
		if t.Failed() {
			t.Logf("child stderr:\n%s", stderr.String())
		}
	})
	return cmd, lines
}

// syncMappings returns the org's sync mappings in st, and how many mappings it holds.
func syncMappings(t *testing.T, st *override.Store) (map[override.RecordRef]override.EntityRef, int) {
	t.Helper()
	out := map[override.RecordRef]override.EntityRef{}
	for m, err := range st.Mappings(t.Context(), scaleOrg) {
		require.NoError(t, err)
		require.Equal(t, override.Sync, m.Source)
		_, dup := out[m.Record]
		require.False(t, dup, "record %s has two sync mappings", m.Record)
		out[m.Record] = m.Entity
	}
	n, err := st.Count(t.Context(), scaleOrg)
	require.NoError(t, err)
	return out, n
}

// TestSyncResumeAfterKill syncs 2×n records in a child process with checkpoints, kills it with
// SIGKILL part-way through the leads, and starts it again: the second process resumes the run
// (accounts not read again, leads read from the checkpoint on) and the store ends with exactly
// the mappings of an uninterrupted run into another store, one per record.
func TestSyncResumeAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("kill test: -short")
	}
	const n, batch = 8_000, 200
	w, eng := scaleWorld(t)
	crmDir := t.TempDir()
	writeScaleCRM(t, crmDir, w, n)

	// The reference: one uninterrupted run, in this process, into its own bolt file.
	refStore, err := boltstore.Open(filepath.Join(t.TempDir(), "reference.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = refStore.Close() })
	src, err := csvsource.Open(crmDir)
	require.NoError(t, err)
	s, err := crmlink.NewSyncer(src, eng, refStore, scaleOrg, crmlink.WithBatchSize(batch))
	require.NoError(t, err)
	refStats, err := s.Run(t.Context())
	require.NoError(t, err)
	want, _ := syncMappings(t, refStore)
	require.Equal(t, refStats.Total().Written, len(want))
	require.Greater(t, len(want), n, "the fixture matches most records")

	stores := []struct {
		name string
		url  func(t *testing.T) string
	}{
		{"bolt", func(t *testing.T) string { return "bolt://" + filepath.Join(t.TempDir(), "overrides.db") }},
		{"postgres", func(t *testing.T) string {
			dsn, schema := testenv.PostgresSchema(t, "crmlink_resume_")
			sep := "?"
			if strings.Contains(dsn, "?") {
				sep = "&"
			}
			return dsn + sep + pgstore.SchemaParam + "=" + schema
		}},
	}
	for _, sk := range stores {
		t.Run("store="+sk.name, func(t *testing.T) {
			cfg := resumeChild{CRM: crmDir, Store: sk.url(t), Batch: batch}

			// First process: killed once it has written 5 batches of leads.
			cmd, lines := startChild(t, cfg)
			killedAt := ""
			for line := range lines {
				var obj string
				var read, batches int
				var resumed bool
				if _, err := fmt.Sscanf(line, "progress %s %d %d %t", &obj, &read, &batches, &resumed); err != nil {
					continue
				}
				if obj == string(override.Lead) && batches >= 5 {
					killedAt = line
					// A little later, so that the kill may land anywhere in a batch: reading,
					// matching, between its write and its checkpoint.
					time.Sleep(time.Duration(rand.IntN(40)) * time.Millisecond)
					require.NoError(t, cmd.Process.Kill()) // SIGKILL: no deferred call, no flush
					break
				}
			}
			require.NotEmpty(t, killedAt, "the child ended before it wrote 5 batches of leads")
			err := cmd.Wait()
			require.Error(t, err, "the child was killed")
			t.Logf("killed after %q", killedAt)

			// What the killed process left: accounts done, leads part-way.
			st, err := openStoreURL(t.Context(), cfg.Store)
			require.NoError(t, err)
			acc, ok, err := st.Checkpoint(t.Context(), scaleOrg, override.Account)
			require.NoError(t, err)
			require.True(t, ok)
			assert.True(t, acc.Done, "accounts done before the kill")
			lead, ok, err := st.Checkpoint(t.Context(), scaleOrg, override.Lead)
			require.NoError(t, err)
			require.True(t, ok)
			assert.False(t, lead.Done, "leads not done at the kill")
			assert.NotEmpty(t, lead.After, "the leads' checkpoint moved")
			require.NoError(t, st.Close())

			// Second process: resumes and finishes.
			cmd, lines = startChild(t, cfg)
			var done childDone
			var resumedLines int
			for line := range lines {
				if rest, ok := strings.CutPrefix(line, "done "); ok {
					require.NoError(t, json.Unmarshal([]byte(rest), &done))
				}
				if strings.HasPrefix(line, "progress lead ") && strings.HasSuffix(line, " true") {
					resumedLines++
				}
			}
			require.NoError(t, cmd.Wait(), "the resumed child")
			assert.True(t, done.Resumed, "the second process resumed the run")
			assert.True(t, done.Started.Equal(acc.Run), "same run: started %v, checkpoint %v", done.Started, acc.Run)
			assert.Zero(t, done.Accounts, "accounts not read again")
			assert.Greater(t, done.Leads, 0)
			assert.LessOrEqual(t, done.Leads, n-5*batch, "leads read from the checkpoint on")
			assert.Positive(t, resumedLines, "progress says the leads resumed")
			t.Logf("resumed run read %d of %d leads and no account", done.Leads, n)

			st, err = openStoreURL(t.Context(), cfg.Store)
			require.NoError(t, err)
			defer st.Close()
			got, count := syncMappings(t, st)
			assert.Equal(t, len(want), count, "one mapping per record, nothing else")
			assert.Equal(t, want, got, "the mappings of an uninterrupted run")
			for _, obj := range []override.Object{override.Account, override.Contact, override.Lead} {
				c, ok, err := st.Checkpoint(t.Context(), scaleOrg, obj)
				require.NoError(t, err)
				assert.True(t, ok && c.Done && c.Run.Equal(acc.Run), "%s done by the run: %+v", obj, c)
			}
		})
	}
}
