package csvsource_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/csvsource"
)

// crashChildEnv names the directory the re-executed test binary writes activities to.
const crashChildEnv = "CSVSOURCE_CRASH_CHILD_DIR"

// crashActivity is the i-th activity of the child: bodies of several lines and sizes, so that a
// kill may land inside a quoted field.
func crashActivity(key string, i int) crm.Activity {
	a := activity(key)
	a.Body = strings.Repeat(fmt.Sprintf("line %d, \"quoted\"\n", i), 1+i%200)
	if i%3 == 0 {
		a.Record.Org = "00D2"
	}
	return a
}

// TestMain runs the writer loop of TestWriteActivitiesKilled when the test binary is started as
// its child.
func TestMain(m *testing.M) {
	if dir := os.Getenv(crashChildEnv); dir != "" {
		crashChild(dir)
		return
	}
	os.Exit(m.Run())
}

// crashChild writes batches of activities until it is killed, printing "ack KEY" for every
// activity of a batch once WriteActivities returned.
func crashChild(dir string) {
	src, err := csvsource.Create(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	out := bufio.NewWriter(os.Stdout)
	for i := 0; ; i++ {
		batch := make([]crm.Activity, 1+i%4)
		for j := range batch {
			batch[j] = crashActivity(fmt.Sprintf("c%d-%d", i, j), i*4+j)
		}
		res, err := src.WriteActivities(crmContext(), batch)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		for _, r := range res {
			if r.Err != nil || !r.Created {
				fmt.Fprintln(os.Stderr, "unexpected result", r.ExternalKey, r.Created, r.Err)
				os.Exit(3)
			}
			fmt.Fprintln(out, "ack", r.ExternalKey)
		}
		if err := out.Flush(); err != nil {
			os.Exit(3)
		}
	}
}

// TestWriteActivitiesKilled kills a writing process with SIGKILL in the middle of its writes,
// then writes more with a new Source: every activity acknowledged before the kill is in the file
// exactly once, and the file parses.
func TestWriteActivitiesKilled(t *testing.T) {
	exe, err := os.Executable()
	require.NoError(t, err)
	for round := range 3 {
		t.Run(fmt.Sprint("round", round), func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.Command(exe, "-test.run=^$")
			cmd.Env = append(os.Environ(), crashChildEnv+"="+dir)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			stdout, err := cmd.StdoutPipe()
			require.NoError(t, err)
			require.NoError(t, cmd.Start())
			acked := map[string]bool{}
			sc := bufio.NewScanner(stdout)
			killAt := 40 + round*70
			killed := false
			for sc.Scan() {
				key, ok := strings.CutPrefix(sc.Text(), "ack ")
				require.True(t, ok, "child output %q", sc.Text())
				acked[key] = true
				if !killed && len(acked) >= killAt {
					require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
					killed = true
				}
			}
			err = cmd.Wait()
			require.True(t, killed, "child ended before the kill: %v, stderr: %s", err, stderr.String())
			var exitErr *exec.ExitError
			require.ErrorAs(t, err, &exitErr)
			ws, ok := exitErr.Sys().(syscall.WaitStatus)
			require.True(t, ok)
			require.True(t, ws.Signaled() && ws.Signal() == syscall.SIGKILL, "child: %v, stderr: %s", err, stderr.String())

			src, err := csvsource.Open(dir)
			require.NoError(t, err)
			var more []crm.Activity
			for i := range 10 {
				more = append(more, crashActivity(fmt.Sprint("after-", i), i))
			}
			res, err := src.WriteActivities(t.Context(), more)
			require.NoError(t, err)
			for _, r := range res {
				require.NoError(t, r.Err)
				assert.True(t, r.Created, r.ExternalKey)
			}
			// A fresh reader of the whole file: it parses, and holds each key once.
			fresh, err := csvsource.Open(dir)
			require.NoError(t, err)
			all, err := crm.Collect(fresh.Activities(t.Context()))
			require.NoError(t, err)
			count := map[string]int{}
			for _, a := range all {
				count[a.Record.Org+"/"+a.ExternalKey]++
			}
			for k, n := range count {
				assert.Equal(t, 1, n, "activity %s written %d times", k, n)
			}
			keys := map[string]bool{}
			for _, a := range all {
				keys[a.ExternalKey] = true
			}
			for k := range acked {
				assert.True(t, keys[k], "acknowledged activity %s lost", k)
			}
			for _, a := range more {
				assert.True(t, keys[a.ExternalKey], "activity %s written after the kill lost", a.ExternalKey)
			}
			b, err := os.ReadFile(filepath.Join(dir, csvsource.ActivitiesFile))
			require.NoError(t, err)
			assert.True(t, strings.HasSuffix(string(b), "\n"), "the file ends with a complete record")
			t.Logf("%d acknowledged before the kill, %d records in the file", len(acked), len(all))
		})
	}
}

// FuzzTornActivities cuts a file written by WriteActivities at any byte, as a crash may: readers
// must read a prefix of what was written without error, and a new write must succeed and leave
// a file that reads back whole.
func FuzzTornActivities(f *testing.F) {
	f.Add(uint16(0), uint8(3), "plain")
	f.Add(uint16(200), uint8(2), "a \"quoted\"\nbody, with commas")
	f.Add(uint16(95), uint8(1), "\n\n\"")
	f.Fuzz(func(t *testing.T, cut uint16, n uint8, body string) {
		if !utf8.ValidString(body) || strings.Contains(body, "\r") {
			t.Skip() // refused by the reader, or read back as \n: not what this test is about
		}
		dir := t.TempDir()
		src, err := csvsource.Create(dir)
		if err != nil {
			t.Fatal(err)
		}
		var acts []crm.Activity
		for i := range int(n%6) + 1 {
			a := activity(fmt.Sprint("k", i))
			a.Body = body
			acts = append(acts, a)
		}
		if _, err := src.WriteActivities(t.Context(), acts); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, csvsource.ActivitiesFile)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) == 0 {
			t.Fatal("empty file")
		}
		at := int(cut) % len(b)
		if err := os.WriteFile(path, b[:at], 0o644); err != nil {
			t.Fatal(err)
		}
		read, err := crm.Collect(src.Activities(t.Context()))
		if err != nil {
			t.Fatalf("reading a file cut at %d of %d: %v", at, len(b), err)
		}
		if len(read) > len(acts) {
			t.Fatalf("read %d activities, %d written", len(read), len(acts))
		}
		for i, a := range read {
			if a.Activity != acts[i] {
				t.Fatalf("activity %d reads back as %+v, want %+v", i, a.Activity, acts[i])
			}
		}
		res, err := src.WriteActivities(t.Context(), acts)
		if err != nil {
			t.Fatalf("writing after a cut at %d: %v", at, err)
		}
		for i, r := range res {
			if r.Created != (i >= len(read)) {
				t.Fatalf("activity %d: Created %v with %d read back", i, r.Created, len(read))
			}
		}
		again, err := crm.Collect(src.Activities(t.Context()))
		if err != nil || len(again) != len(acts) {
			t.Fatalf("after the write: %d activities, %v; want %d", len(again), err, len(acts))
		}
	})
}

// crmContext is the context of the child process, which has no test.
func crmContext() context.Context { return context.Background() }
