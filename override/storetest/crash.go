package storetest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/override"
)

// Environment variables that turn a re-executed test binary into a crash child.
const (
	envChild  = "CRMLINK_STORETEST_CRASH_CHILD"
	envTarget = "CRMLINK_STORETEST_CRASH_TARGET"
	envOrg    = "CRMLINK_STORETEST_CRASH_ORG"
	envSeed   = "CRMLINK_STORETEST_CRASH_SEED"
	envBatch  = "CRMLINK_STORETEST_CRASH_MAXBATCH"
)

// CrashConfig configures [RunCrash].
type CrashConfig struct {
	// Target tells the child which store to open: a file path, a DSN. It is
	// passed to the child in its environment, never on its command line or in
	// a log line.
	Target string
	// Open opens the same store in the test (parent) process after each kill.
	Open func(ctx context.Context) (*override.Store, error)
	// Rounds is how many children are started and killed; default 25.
	Rounds int
	// MaxKillDelay bounds the random time a child writes before it is killed;
	// default 150ms.
	MaxKillDelay time.Duration
	// MaxBatch bounds the size of the child's batches; default 300.
	MaxBatch int
}

// RunCrash proves that a durable store loses no acknowledged write when its
// process dies. Each round re-executes the test binary as a child (the test's
// TestMain must call [CrashChild] first) that opens cfg.Target and writes Puts
// and PutBatches to a fresh org, printing a line to its stdout after each call
// that returned nil. The parent kills it with SIGKILL at a random moment,
// re-opens the store with cfg.Open and checks that it opens cleanly, that every
// acknowledged write is present and that no batch is partially present. At the
// end it checks every round's org again.
func RunCrash(t *testing.T, cfg CrashConfig) {
	t.Helper()
	require.NotNil(t, cfg.Open, "CrashConfig.Open")
	if cfg.Rounds <= 0 {
		cfg.Rounds = 25
	}
	if cfg.MaxKillDelay <= 0 {
		cfg.MaxKillDelay = 150 * time.Millisecond
	}
	if cfg.MaxBatch < 2 {
		cfg.MaxBatch = 300
	}
	prefix := newOrg("-crash")
	type round struct {
		org   string
		seed  uint64
		acked int // ops 0..acked-1 were acknowledged
	}
	var rounds []round
	for i := range cfg.Rounds {
		r := round{org: fmt.Sprintf("%s-r%02d", prefix, i), seed: rand.Uint64()}
		r.acked = runChild(t, cfg, r.org, r.seed)
		rounds = append(rounds, r)

		s, err := cfg.Open(t.Context())
		require.NoError(t, err, "round %d: open after SIGKILL", i)
		verifyCrash(t, s, r.org, r.seed, r.acked, cfg.MaxBatch)
		require.NoError(t, s.Close(), "round %d: close", i)
		if t.Failed() {
			t.Fatalf("round %d (seed %d, %d ops acknowledged) failed", i, r.seed, r.acked)
		}
		t.Logf("round %d: %d ops acknowledged before SIGKILL", i, r.acked)
	}
	s, err := cfg.Open(t.Context())
	require.NoError(t, err, "final open")
	defer func() { assert.NoError(t, s.Close()) }()
	total := 0
	for _, r := range rounds {
		verifyCrash(t, s, r.org, r.seed, r.acked, cfg.MaxBatch)
		total += r.acked
		_, err := s.Purge(t.Context(), r.org)
		require.NoError(t, err)
	}
	assert.Positive(t, total, "no child acknowledged any write: kill delays too short?")
}

// runChild runs one child until it is killed; it returns how many ops were acknowledged.
func runChild(t *testing.T, cfg CrashConfig, org string, seed uint64) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(),
		envChild+"=1", envTarget+"="+cfg.Target, envOrg+"="+org,
		envSeed+"="+strconv.FormatUint(seed, 10),
		envBatch+"="+strconv.Itoa(cfg.MaxBatch))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	lines := make(chan string, 1024)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	acked := 0
	handle := func(l string) {
		if n, ok := strings.CutPrefix(l, "ack "); ok {
			k, err := strconv.Atoi(n)
			require.NoError(t, err, "child line %q", l)
			require.Equal(t, acked, k, "child acknowledged ops out of order")
			acked++
		}
	}
	// Wait for the child to open the store.
	timeout := time.After(60 * time.Second)
	for ready := false; !ready; {
		select {
		case l, ok := <-lines:
			if !ok {
				_ = cmd.Wait()
				t.Fatalf("crash child exited before it was ready (does TestMain call storetest.CrashChild?); stderr:\n%s", stderr.String())
			}
			ready = l == "ready"
		case <-timeout:
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			t.Fatalf("crash child not ready after 60s; stderr:\n%s", stderr.String())
		}
	}
	kill := time.After(rand.N(cfg.MaxKillDelay))
	for killed := false; !killed; {
		select {
		case l, ok := <-lines:
			if !ok {
				_ = cmd.Wait()
				t.Fatalf("crash child exited before SIGKILL; stderr:\n%s", stderr.String())
			}
			handle(l)
		case <-kill:
			require.NoError(t, cmd.Process.Kill())
			killed = true
		}
	}
	for l := range lines { // acks written before the kill are still in the pipe
		handle(l)
	}
	_ = cmd.Wait()
	return acked
}

// CrashChild must be called first in TestMain of a package that uses
// [RunCrash]. In a normal run it returns at once. In a crash child it opens
// the store with open(ctx, target), writes until it is killed (or for at most
// two minutes) and exits; it never returns.
func CrashChild(open func(ctx context.Context, target string) (*override.Store, error)) {
	if os.Getenv(envChild) != "1" {
		return
	}
	fail := func(what string, err error) {
		fmt.Fprintf(os.Stderr, "crash child: %s: %v\n", what, err)
		os.Exit(3)
	}
	seed, err := strconv.ParseUint(os.Getenv(envSeed), 10, 64)
	if err != nil {
		fail("seed", err)
	}
	maxBatch, err := strconv.Atoi(os.Getenv(envBatch))
	if err != nil {
		fail("max batch", err)
	}
	org := os.Getenv(envOrg)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s, err := open(ctx, os.Getenv(envTarget))
	if err != nil {
		fail("open", err)
	}
	if _, err := os.Stdout.WriteString("ready\n"); err != nil {
		fail("write", err)
	}
	for k := 0; ctx.Err() == nil; k++ {
		ms := crashOp(org, seed, k, maxBatch)
		if len(ms) == 1 {
			err = s.Put(ctx, ms[0])
		} else {
			err = s.PutBatch(ctx, ms)
		}
		if err != nil {
			fail("op "+strconv.Itoa(k), err)
		}
		// One write(2) per line: the line is in the pipe once the call returns.
		if _, err := os.Stdout.WriteString("ack " + strconv.Itoa(k) + "\n"); err != nil {
			fail("write", err)
		}
	}
	os.Exit(0)
}

// crashOp returns the mappings op k of a child writes, the same in the parent
// and the child. Every op writes records of its own, named after k.
func crashOp(org string, seed uint64, k, maxBatch int) []override.Mapping {
	rnd := rand.New(rand.NewPCG(seed, uint64(k)))
	at := t0.Add(time.Duration(k) * time.Millisecond)
	if rnd.IntN(3) == 0 {
		src := override.Sync
		if rnd.IntN(2) == 0 {
			src = override.Manual
		}
		m := mapping(rec(org, override.Lead, fmt.Sprintf("p%06d", k)), override.Member, fmt.Sprintf("e%d", k), src)
		m.UpdatedAt = at
		return []override.Mapping{m}
	}
	n := 2 + rnd.IntN(maxBatch-1)
	ms := make([]override.Mapping, 0, n+1)
	for j := range n {
		m := mapping(rec(org, override.Contact, fmt.Sprintf("b%06d-%04d", k, j)), override.Member, fmt.Sprintf("e%d", k), override.Sync)
		m.UpdatedAt = at
		ms = append(ms, m)
	}
	rej := rejection(ms[0].Record, override.Member, fmt.Sprintf("r%d", k))
	rej.UpdatedAt = at
	return append(ms, rej)
}

// crashOpOf returns the op number a mapping written by a crash child belongs to.
func crashOpOf(m override.Mapping) (int, bool) {
	id := m.Record.ID
	if len(id) < 7 || (id[0] != 'p' && id[0] != 'b') {
		return 0, false
	}
	k, err := strconv.Atoi(id[1:7])
	return k, err == nil
}

func verifyCrash(t *testing.T, s *override.Store, org string, seed uint64, acked, maxBatch int) {
	t.Helper()
	found := map[int][]override.Mapping{}
	for m, err := range s.Mappings(t.Context(), org) {
		require.NoError(t, err, "Mappings after crash")
		k, ok := crashOpOf(m)
		require.True(t, ok, "unexpected mapping %v after crash", m.Record)
		found[k] = append(found[k], norm(m))
	}
	for k := range acked {
		want := sorted(crashOp(org, seed, k, maxBatch))
		assert.Equal(t, want, found[k], "acknowledged op %d (%d mappings) lost or changed", k, len(want))
		delete(found, k)
	}
	// Unacknowledged ops (at most the ones in flight) are all there or not at all.
	for k, got := range found {
		want := sorted(crashOp(org, seed, k, maxBatch))
		assert.Equal(t, want, got, "op %d in flight at SIGKILL is partially present (%d of %d mappings)", k, len(got), len(want))
		assert.LessOrEqual(t, k, acked, "op %d present but op %d was the last acknowledged", k, acked-1)
	}
}
