package storetest_test

import (
	"context"
	"iter"
	"os"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/override/storetest"
)

// bugEnv selects the bug of the broken store run by TestBrokenStore when the
// test binary re-executes itself.
const bugEnv = "CRMLINK_STORETEST_BUG"

// broken is the in-memory store with one deliberate bug.
type broken struct {
	*override.Memory
	bug string
}

func (b *broken) Get(ctx context.Context, r override.RecordRef) (override.Mapping, bool, error) {
	if b.bug == "sync-beats-manual" {
		if m, ok, err := b.Memory.GetSource(ctx, r, override.Sync); ok || err != nil {
			return m, ok, err
		}
	}
	if b.bug == "org-leak" {
		for _, org := range []string{r.Org, r.Org + "x"} {
			rr := r
			rr.Org = org
			if m, ok, err := b.Memory.Get(ctx, rr); ok || err != nil {
				return m, ok, err
			}
		}
	}
	return b.Memory.Get(ctx, r)
}

func (b *broken) PutBatch(ctx context.Context, ms []override.Mapping) error {
	if b.bug == "partial-batch" {
		for _, m := range ms {
			if err := b.Memory.Put(ctx, m); err != nil {
				return err
			}
		}
		return nil
	}
	return b.Memory.PutBatch(ctx, ms)
}

func (b *broken) Purge(ctx context.Context, org string) (int, error) {
	n, err := b.Memory.Purge(ctx, org)
	if b.bug == "purge-count" && n > 0 {
		n--
	}
	return n, err
}

func (b *broken) Mappings(ctx context.Context, org string) iter.Seq2[override.Mapping, error] {
	if b.bug != "ignores-cancel" {
		return b.Memory.Mappings(ctx, org)
	}
	return b.Memory.Mappings(context.Background(), org)
}

func (b *broken) Close() error {
	if b.bug == "close-noop" {
		return nil
	}
	return b.Memory.Close()
}

type brokenHarness struct{ bug string }

func (h brokenHarness) Open(context.Context) (override.Store, error) {
	return &broken{Memory: override.NewMemory(), bug: h.bug}, nil
}
func (brokenHarness) Durable() bool { return false }

// TestBrokenStore runs the suite on a broken store; it is only run by
// TestSuiteCatchesBugs, in a child process, and must fail there.
func TestBrokenStore(t *testing.T) {
	bug := os.Getenv(bugEnv)
	if bug == "" {
		t.Skip("run by TestSuiteCatchesBugs")
	}
	storetest.Run(t, func(*testing.T) storetest.Harness { return brokenHarness{bug: bug} })
}

// TestSuiteCatchesBugs shows that the suite can fail: each bug must make the
// named subtest fail, and the store without a bug must pass.
func TestSuiteCatchesBugs(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	tests := []struct {
		bug, failing string
	}{
		{"sync-beats-manual", "TestBrokenStore/Precedence"},
		{"org-leak", "TestBrokenStore/OrgIsolation"},
		{"partial-batch", "TestBrokenStore/PutBatchAtomic"},
		{"purge-count", "TestBrokenStore/CountPurge"},
		{"ignores-cancel", "TestBrokenStore/Canceled"},
		{"close-noop", "TestBrokenStore/AfterClose"},
		{"none", ""},
	}
	for _, tc := range tests {
		t.Run(tc.bug, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestBrokenStore$", "-test.v")
			cmd.Env = append(os.Environ(), bugEnv+"="+tc.bug)
			out, err := cmd.CombinedOutput()
			if tc.failing == "" {
				require.NoError(t, err, "suite failed a store without bugs:\n%s", out)
				return
			}
			require.Error(t, err, "suite passed a store with bug %s", tc.bug)
			assert.Contains(t, string(out), "--- FAIL: "+tc.failing+" ", "bug %s", tc.bug)
		})
	}
}
