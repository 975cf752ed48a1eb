package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWritebackCSV(t *testing.T) {
	dir := export(t, nil)
	store := "bolt:" + filepath.Join(t.TempDir(), "x.db")
	base := []string{"writeback", "-crm", "csv:" + dir, "-org", org, "-store", store, "-viewer", "005U1"}

	bad := writeTemp(t, "acts.csv", "external_key,kind,object,record_id,subject,body,occurred_at\n"+
		"k1,inmail,contact,003A,Hello,Secret body text,2024-04-01T10:00:00Z\n"+
		"k2,fax,contact,003A,Hello,Secret body text,\n"+
		"k3,note,contact,,Hello,Secret body text,\n"+
		"k1,note,lead,00QA,Hello,Secret body text,\n")
	r := exe(t, append(base, "-activities", bad)...)
	r.want(t, 2, bad+`:3: kind "fax"`, bad+":4: record_id is empty", bad+":5: external_key repeated (first on line 2)", "3 bad lines; nothing written")
	assert.NotContains(t, r.stderr, "Secret body")
	_, err := os.Stat(filepath.Join(dir, "activities.csv"))
	assert.ErrorIs(t, err, os.ErrNotExist, "nothing may be written when a line is bad")

	good := writeTemp(t, "acts.csv", "external_key,kind,object,record_id,subject,body,occurred_at\n"+
		"k1,inmail,contact,003A,Hello,Secret body text,2024-04-01T10:00:00Z\n"+
		"k2,note,lead,00QA,Met at the fair,Secret body text,\n"+
		"k3,message,contact,003Z,Hi,Secret body text,\n")
	r = exe(t, append(base, "-activities", good)...)
	r.want(t, 1, good+":4: crmlink: write back 00D1/contact/003Z: viewer 00D1/005U1 may not see it", "1 of 3 activities not written")
	assert.NotContains(t, r.stderr, "Secret body")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	require.Len(t, lines, 2, r.stdout)
	assert.Regexp(t, `^`+good+`:2\tact-[0-9a-f]{16}\tcreated$`, lines[0])
	assert.Regexp(t, `^`+good+`:3\tact-[0-9a-f]{16}\tcreated$`, lines[1])
	b, err := os.ReadFile(filepath.Join(dir, "activities.csv"))
	require.NoError(t, err)
	assert.Equal(t, 3, strings.Count(string(b), "\n"), string(b))

	// JSON lines: the same keys again are already there; a viewer who may not see is refused.
	jl := writeTemp(t, "acts.jsonl", `{"external_key":"k1","kind":"inmail","object":"contact","record_id":"003A","subject":"Hello","body":"x"}`+"\n\n"+
		`{"external_key":"k4","kind":"note","object":"account","record_id":"001B","subject":"Call","body":"x","occurred_at":"2024-04-02T10:00:00Z"}`+"\n")
	r = exe(t, append(base, "-activities", jl)...)
	r.want(t, 0)
	assert.Regexp(t, `^`+jl+`:1\tact-[0-9a-f]{16}\talready there\n`+jl+`:3\tact-[0-9a-f]{16}\tcreated\n$`, r.stdout)
	r = exe(t, "writeback", "-crm", "csv:"+dir, "-org", org, "-store", store, "-viewer", "005U2", "-activities", jl)
	r.want(t, 1, jl+":1: ", jl+":3: ", "may not see it", "2 of 2 activities not written")

	badJSON := writeTemp(t, "bad.jsonl", `{"external_key":"k9","kind":"note","object":"account","record_id":"001B"}`+"\n"+`{"external_key":`+"\n"+
		`{"external_key":"k8","kind":"note","object":"account","record_id":"001B","color":"red"}`+"\n")
	r = exe(t, append(base, "-activities", badJSON)...)
	r.want(t, 2, badJSON+":2: not a JSON object", badJSON+`:3: json: unknown field "color"`)

	// An activities file named in another case is not written next to a new one.
	other := export(t, nil)
	require.NoError(t, os.WriteFile(filepath.Join(other, "Activities.csv"), []byte("external_key,id\n"), 0o600))
	exe(t, "writeback", "-crm", "csv:"+other, "-org", org, "-store", store, "-viewer", "005U1", "-activities", jl).
		want(t, 2, "Activities.csv: rename it to activities.csv")

	// A disabled org writes nothing.
	exe(t, "disable", "-org", org, "-store", store).want(t, 0)
	r = exe(t, append(base, "-activities", jl)...)
	r.want(t, 1, "disabled")
	exe(t, append(base, "-activities", filepath.Join(t.TempDir(), "none.csv"))...).want(t, 2, "-activities")
	exe(t, append(base, "-activities", writeTemp(t, "a.txt", "x"))...).want(t, 2, "pass -format csv or -format jsonl")
}
