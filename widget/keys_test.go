package widget_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/crmlink/crmlink/widget"
)

func TestKeysStoreOnlyHashes(t *testing.T) {
	var keys widget.Keys
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	key, info, err := keys.Create("acme", widget.Test, []string{"00D1"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(key, "ck_test_"+info.ID+"_") || len(key) < 50 {
		t.Fatalf("key %q does not read ck_test_<id>_<secret>", key[:12])
	}
	// The secret is base64url and may itself hold "_": it is all that
	// follows the ID.
	secret := strings.TrimPrefix(key, "ck_test_"+info.ID+"_")
	for _, s := range keys.Export() {
		if strings.Contains(s.Info.ID+s.Info.Partner+strings.Join(s.Info.Orgs, ""), secret) || bytes.Contains(s.Hash[:], []byte(secret)) {
			t.Fatal("the exported key holds the secret")
		}
	}
	got, err := keys.Verify(key)
	if err != nil || got.ID != info.ID || got.Env != widget.Test || got.Partner != "acme" {
		t.Fatalf("Verify = %+v, %v", got, err)
	}
	// An imported copy verifies the same key, from hashes alone.
	var copied widget.Keys
	if err := copied.Import(keys.Export()); err != nil {
		t.Fatal(err)
	}
	if _, err := copied.Verify(key); err != nil {
		t.Fatalf("imported keys: %v", err)
	}
	for _, bad := range []string{"", "ck_test_", "ck_test_" + info.ID + "_", key + "x", strings.Replace(key, "ck_test_", "ck_live_", 1), "sk_" + key[3:]} {
		if _, err := keys.Verify(bad); !errors.Is(err, widget.ErrUnknownKey) {
			t.Errorf("Verify(%q...) = %v, want ErrUnknownKey", bad[:min(len(bad), 10)], err)
		} else if strings.Contains(err.Error(), secret) {
			t.Error("the error quotes the key")
		}
	}
	if _, _, err := keys.Create("acme", "staging", []string{"00D1"}, now); err == nil {
		t.Error("a key of an unknown environment was created")
	}
	if _, _, err := keys.Create("acme", widget.Production, nil, now); err == nil {
		t.Error("a key without orgs was created")
	}
	if l := keys.List(); len(l) != 1 || l[0].ID != info.ID {
		t.Fatalf("List = %+v", l)
	}
	if err := keys.Revoke("nope"); !errors.Is(err, widget.ErrUnknownKey) {
		t.Fatalf("Revoke of an unknown ID: %v", err)
	}
}

func TestConnectionsAndProfilesCSV(t *testing.T) {
	ctx := context.Background()
	var c widget.MemoryConnections
	n, err := c.LoadCSV(strings.NewReader("connection_id,member_id,note\nb,a,x\nc,b,\nd,c,\nc,a,\n"), "conns.csv")
	if err != nil || n != 4 {
		t.Fatalf("LoadCSV = %d, %v", n, err)
	}
	for _, tc := range []struct {
		to     string
		degree int
		shared int
		ok     bool
	}{{"b", 1, 1, true}, {"c", 1, 1, true}, {"d", 2, 1, true}, {"e", 0, 0, false}, {"a", 0, 0, false}} {
		got, ok, err := c.Connection(ctx, "a", tc.to)
		if err != nil || ok != tc.ok || got.Degree != tc.degree || got.Shared != tc.shared {
			t.Errorf("a -> %s = %+v %v %v, want degree %d shared %d", tc.to, got, ok, err, tc.degree, tc.shared)
		}
	}
	c.Connect("d", "e")
	if got, ok, _ := c.Connection(ctx, "a", "e"); !ok || got.Degree != 3 {
		t.Errorf("a -> e = %+v, want degree 3", got)
	}
	if _, err := c.LoadCSV(strings.NewReader("member_id,connection_id\na,\n"), "bad.csv"); err == nil || !strings.Contains(err.Error(), "bad.csv:2") {
		t.Errorf("empty connection: %v, want the file and line", err)
	}
	if _, err := c.LoadCSV(strings.NewReader("member,other\n"), "cols.csv"); err == nil || !strings.Contains(err.Error(), "cols.csv:1: no member_id column") {
		t.Errorf("missing column: %v", err)
	}
	var p widget.MemoryProfiles
	if _, err := p.LoadMembersCSV(strings.NewReader(membersCSV), "members.csv"); err != nil {
		t.Fatal(err)
	}
	got, ok, err := p.Profile(ctx, memberRef("m1"))
	if err != nil || !ok || got.Name != "Ada Lovelace" || got.Headline != "CTO" || got.Company != "Analytical Engines" {
		t.Fatalf("profile m1 = %+v %v %v", got, ok, err)
	}
	if strings.Contains(strings.ToLower(got.Name+got.Headline+got.Company+got.Location+got.Website), "@") {
		t.Fatal("a member profile kept the email")
	}
}
