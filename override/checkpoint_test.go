package override_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/override"
)

// TestStoreCheckpoint checks what the portable Store adds to a driver's checkpoints: validation
// before the driver is reached, times in UTC to the microsecond, and ErrUnsupported over a
// driver without them.
func TestStoreCheckpoint(t *testing.T) {
	ctx := t.Context()
	s := override.NewMemory()
	defer s.Close()
	require.True(t, s.Checkpoints())
	run := time.Date(2026, 5, 1, 12, 0, 0, 123456789, time.FixedZone("UTC+2", 7200))
	c := override.Checkpoint{Org: "00D1", Object: override.Lead, Run: run, Since: run.Add(-time.Hour), After: "00Q1"}
	require.NoError(t, s.PutCheckpoint(ctx, c))
	got, ok, err := s.Checkpoint(ctx, "00D1", override.Lead)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, run.UTC().Truncate(time.Microsecond), got.Run, "Run in UTC, to the microsecond")
	assert.Equal(t, run.Add(-time.Hour).UTC().Truncate(time.Microsecond), got.Since)
	assert.Equal(t, "00Q1", got.After)

	bad := []struct {
		name  string
		c     override.Checkpoint
		field string
	}{
		{"empty org", override.Checkpoint{Object: override.Lead, Run: run}, "Checkpoint.Org"},
		{"unknown object", override.Checkpoint{Org: "00D1", Object: "user", Run: run}, "Checkpoint.Object"},
		{"zero run", override.Checkpoint{Org: "00D1", Object: override.Lead}, "Checkpoint.Run"},
		{"after with a control character", override.Checkpoint{Org: "00D1", Object: override.Lead, Run: run, After: "00Q\n1"}, "Checkpoint.After"},
		{"after too long", override.Checkpoint{Org: "00D1", Object: override.Lead, Run: run, After: strings.Repeat("x", override.MaxIDLen+1)}, "Checkpoint.After"},
		{"since beyond 9999", override.Checkpoint{Org: "00D1", Object: override.Lead, Run: run, Since: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}, "Checkpoint.Since"},
	}
	for _, tc := range bad {
		err := s.PutCheckpoint(ctx, tc.c)
		require.ErrorIs(t, err, override.ErrInvalid, tc.name)
		var ve *override.ValidationError
		require.ErrorAs(t, err, &ve, tc.name)
		assert.Equal(t, tc.field, ve.Field, tc.name)
	}
	_, _, err = s.Checkpoint(ctx, "00D1", "user")
	assert.ErrorIs(t, err, override.ErrInvalid)
	assert.ErrorIs(t, s.DeleteCheckpoint(ctx, "", override.Lead), override.ErrInvalid)
	require.NoError(t, s.DeleteCheckpoint(ctx, "00D1", override.Lead))
	_, ok, err = s.Checkpoint(ctx, "00D1", override.Lead)
	require.NoError(t, err)
	assert.False(t, ok)

	// A driver without the ability.
	plain := override.New(struct{ override.Driver }{override.NewMemory().Driver()})
	defer plain.Close()
	assert.False(t, plain.Checkpoints())
	assert.ErrorIs(t, plain.PutCheckpoint(ctx, c), override.ErrUnsupported)
	_, _, err = plain.Checkpoint(ctx, "00D1", override.Lead)
	assert.ErrorIs(t, err, override.ErrUnsupported)
	assert.ErrorIs(t, plain.DeleteCheckpoint(ctx, "00D1", override.Lead), override.ErrUnsupported)

	require.NoError(t, s.Close())
	assert.ErrorIs(t, s.PutCheckpoint(ctx, c), override.ErrClosed)
}
