package main

import (
	"bytes"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out))
	// Each record: its decision, then its best candidate.
	re := regexp.MustCompile(`(?m)^  decision: (\w+)\n  1\. (\w+)`)
	var got [][2]string
	for _, m := range re.FindAllStringSubmatch(out.String(), -1) {
		got = append(got, [2]string{m[1], m[2]})
	}
	require.Len(t, got, len(accounts)+len(contacts), out.String())
	wantTop := []string{"c250", "c182", "c271", "c210", "", "m11", "m4", "m241", "m111"}
	for i, w := range wantTop {
		if w == "" { // the absent account must not be matched
			assert.NotEqual(t, "match", got[i][0], "record %d", i)
			continue
		}
		assert.Equal(t, w, got[i][1], "record %d best candidate", i)
	}
	assert.Contains(t, out.String(), "directory: 600 entities")
	assert.Regexp(t, `website +exact +similarity 1\.00`, out.String(), "explanations printed")
}
