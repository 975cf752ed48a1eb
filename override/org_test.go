package override_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/override"
)

// noState is a driver without the OrgStater ability.
type noState struct{ override.Driver }

func TestDisableEnable(t *testing.T) {
	ctx := t.Context()
	s := override.NewMemory()
	t.Cleanup(func() { _ = s.Close() })
	require.NoError(t, s.CheckEnabled(ctx, "resolve", "00DA"))
	require.NoError(t, s.Disable(ctx, "00DA"))
	err := s.CheckEnabled(ctx, "resolve company", "00DA")
	require.ErrorIs(t, err, override.ErrOrgDisabled)
	var de *override.DisabledError
	require.True(t, errors.As(err, &de))
	assert.Equal(t, override.DisabledError{Op: "resolve company", Org: "00DA"}, *de)
	assert.Equal(t, "resolve company: org 00DA is disabled", err.Error())
	assert.NoError(t, s.CheckEnabled(ctx, "resolve", "00DB"), "another org")
	require.NoError(t, s.Enable(ctx, "00DA"))
	assert.NoError(t, s.CheckEnabled(ctx, "resolve", "00DA"))

	assert.ErrorIs(t, s.Disable(ctx, ""), override.ErrInvalid)
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	assert.ErrorIs(t, s.Disable(canceled, "00DA"), context.Canceled)

	plain := override.New(noState{override.NewMemory().Driver()})
	assert.ErrorIs(t, plain.Disable(ctx, "00DA"), override.ErrUnsupported)
	d, err := plain.Disabled(ctx, "00DA")
	assert.NoError(t, err)
	assert.False(t, d)

	require.NoError(t, s.Close())
	assert.ErrorIs(t, s.CheckEnabled(ctx, "resolve", "00DA"), override.ErrClosed, "closed: refuse, never pass")
}
