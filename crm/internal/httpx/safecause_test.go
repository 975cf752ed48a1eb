package httpx

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/crmlink/crmlink/crm"
)

// TestSafeCauseKeepsMeaning: a cause that is neither a network nor a URL error keeps its words
// (it used to read "*fmt.wrapError"), without the secrets and values it quotes.
func TestSafeCauseKeepsMeaning(t *testing.T) {
	err := SafeCause(fmt.Errorf("salesforce: jwt: no private key for client_secret=abc123XYZ user %q: %w", "jane@acme.example", crm.ErrInvalid))
	assert.Contains(t, err.Error(), "salesforce: jwt: no private key")
	assert.NotContains(t, err.Error(), "abc123XYZ")
	assert.NotContains(t, err.Error(), "jane@acme")
	assert.NotContains(t, err.Error(), "wrapError")
	assert.True(t, errors.Is(err, crm.ErrInvalid))
}
