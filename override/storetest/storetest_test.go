package storetest_test

import (
	"context"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/override/storetest"
)

// bugEnv selects the bug of the broken driver run by TestBrokenDriver and
// TestBrokenStore when the test binary re-executes itself.
const bugEnv = "CRMLINK_STORETEST_BUG"

// broken is the in-memory driver with one deliberate bug.
type broken struct {
	override.Driver
	bug string
}

func newBroken(bug string) *broken { return &broken{Driver: override.NewMemory().Driver(), bug: bug} }

func (b *broken) Load(ctx context.Context, refs []override.RecordRef, dst []override.Record) ([]override.Record, error) {
	n := len(dst)
	dst, err := b.Driver.Load(ctx, refs, dst)
	if err != nil {
		return dst, err
	}
	for i := n; i < len(dst); i++ {
		rec := &dst[i]
		switch b.bug {
		case "org-leak":
			// Also returns what an org whose ID extends this one's holds for the record.
			r := rec.Ref
			r.Org += "x"
			more, err := b.Driver.Load(ctx, []override.RecordRef{r}, nil)
			if err != nil {
				return dst, err
			}
			for _, m := range more[0].Mappings {
				m.Record = rec.Ref
				rec.Mappings = append(rec.Mappings, m)
			}
		case "drops-rejections":
			rec.Mappings = slices.DeleteFunc(rec.Mappings, func(m override.Mapping) bool { return m.Rejected })
		}
	}
	return dst, nil
}

func (b *broken) Apply(ctx context.Context, ops []override.Op) error {
	if b.bug == "partial-apply" {
		// One op at a time: readers in between see part of the batch.
		for _, op := range ops {
			if err := b.Driver.Apply(ctx, []override.Op{op}); err != nil {
				return err
			}
			runtime.Gosched()
		}
		return nil
	}
	return b.Driver.Apply(ctx, ops)
}

func (b *broken) Scan(ctx context.Context, org string, after *override.Mapping, limit int, dst []override.Mapping) ([]override.Mapping, error) {
	n := len(dst)
	dst, err := b.Driver.Scan(ctx, org, after, limit, dst)
	if err == nil && b.bug == "scan-unordered" && len(dst)-n > 1 {
		dst[n], dst[n+1] = dst[n+1], dst[n]
	}
	return dst, err
}

func (b *broken) Purge(ctx context.Context, org string) (int, error) {
	n, err := b.Driver.Purge(ctx, org)
	if b.bug == "purge-count" && n > 0 {
		n--
	}
	return n, err
}

func (b *broken) OrgDisabled(ctx context.Context, org string) (bool, error) {
	if b.bug == "org-state-global" {
		org = "all"
	}
	return b.Driver.(override.OrgStater).OrgDisabled(ctx, org)
}

func (b *broken) SetOrgDisabled(ctx context.Context, org string, disabled bool) error {
	if b.bug == "org-state-global" {
		// One switch for every org.
		org = "all"
	}
	return b.Driver.(override.OrgStater).SetOrgDisabled(ctx, org, disabled)
}

func (b *broken) Checkpoint(ctx context.Context, org string, obj override.Object) (override.Checkpoint, bool, error) {
	if b.bug == "checkpoint-per-org" {
		// One checkpoint per org whatever the object.
		c, ok, err := b.Driver.(override.Checkpointer).Checkpoint(ctx, org, override.Account)
		c.Object = obj
		return c, ok, err
	}
	return b.Driver.(override.Checkpointer).Checkpoint(ctx, org, obj)
}

func (b *broken) PutCheckpoint(ctx context.Context, c override.Checkpoint) error {
	if b.bug == "checkpoint-per-org" {
		c.Object = override.Account
	}
	return b.Driver.(override.Checkpointer).PutCheckpoint(ctx, c)
}

func (b *broken) DeleteCheckpoint(ctx context.Context, org string, obj override.Object) error {
	if b.bug == "checkpoint-per-org" {
		obj = override.Account
	}
	return b.Driver.(override.Checkpointer).DeleteCheckpoint(ctx, org, obj)
}

type brokenDriverHarness struct{ d *broken }

func (h brokenDriverHarness) Open(context.Context) (override.Driver, error) { return h.d, nil }
func (brokenDriverHarness) Durable() bool                                   { return false }

type brokenHarness struct{ bug string }

func (h brokenHarness) Open(context.Context) (*override.Store, error) {
	return override.New(newBroken(h.bug)), nil
}
func (brokenHarness) Durable() bool { return false }

// TestBrokenDriver and TestBrokenStore run the driver suite and the rule
// suite over a broken driver; they are only run by TestSuiteCatchesBugs, in a
// child process, and must fail there.
func TestBrokenDriver(t *testing.T) {
	bug := os.Getenv(bugEnv)
	if bug == "" {
		t.Skip("run by TestSuiteCatchesBugs")
	}
	storetest.RunDriver(t, func(*testing.T) storetest.DriverHarness { return brokenDriverHarness{newBroken(bug)} })
}

func TestBrokenStore(t *testing.T) {
	bug := os.Getenv(bugEnv)
	if bug == "" {
		t.Skip("run by TestSuiteCatchesBugs")
	}
	storetest.Run(t, func(*testing.T) storetest.Harness { return brokenHarness{bug: bug} })
}

// TestSuiteCatchesBugs shows that the suites can fail: each bug must make the
// named subtest fail, and the driver without a bug must pass both.
func TestSuiteCatchesBugs(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	tests := []struct {
		bug, test, failing string
	}{
		{"org-leak", "TestBrokenDriver", "TestBrokenDriver/Load"},
		{"org-leak", "TestBrokenStore", "TestBrokenStore/OrgIsolation"},
		{"drops-rejections", "TestBrokenDriver", "TestBrokenDriver/Load"},
		{"drops-rejections", "TestBrokenStore", "TestBrokenStore/Rejections"},
		{"partial-apply", "TestBrokenDriver", "TestBrokenDriver/ApplyAtomic"},
		{"scan-unordered", "TestBrokenDriver", "TestBrokenDriver/ScanOrder"},
		{"scan-unordered", "TestBrokenStore", "TestBrokenStore/MappingsOrder"},
		{"purge-count", "TestBrokenDriver", "TestBrokenDriver/CountPurge"},
		{"purge-count", "TestBrokenStore", "TestBrokenStore/CountPurge"},
		{"org-state-global", "TestBrokenDriver", "TestBrokenDriver/OrgState"},
		{"checkpoint-per-org", "TestBrokenDriver", "TestBrokenDriver/Checkpoints"},
		{"none", "TestBrokenDriver", ""},
		{"none", "TestBrokenStore", ""},
	}
	for _, tc := range tests {
		t.Run(tc.bug+"/"+tc.test, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^"+tc.test+"$", "-test.v")
			cmd.Env = append(os.Environ(), bugEnv+"="+tc.bug)
			out, err := cmd.CombinedOutput()
			if tc.failing == "" {
				require.NoError(t, err, "suite failed a driver without bugs:\n%s", out)
				return
			}
			require.Error(t, err, "suite passed a driver with bug %s", tc.bug)
			assert.Contains(t, string(out), "--- FAIL: "+tc.failing+" ", "bug %s", tc.bug)
		})
	}
}
