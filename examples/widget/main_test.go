package main

import (
	"bytes"
	"crypto/x509"
	"testing"
	"time"
)

func TestSelfSignedCoversLoopback(t *testing.T) {
	now := time.Now()
	cert, err := selfSigned(now)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(cert.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, host := range []string{"localhost", "127.0.0.1", "::1"} {
		if err := c.VerifyHostname(host); err != nil {
			t.Errorf("%s: %v", host, err)
		}
	}
	if err := c.VerifyHostname("example.com"); err == nil {
		t.Error("the certificate covers a public name")
	}
	if !c.NotAfter.After(now.Add(24*time.Hour)) || c.NotBefore.After(now) {
		t.Errorf("validity %v – %v", c.NotBefore, c.NotAfter)
	}
}

func TestRunHelpAndBadFiles(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-h"}, &out); err != nil {
		t.Fatalf("-h: %v", err)
	}
	if !bytes.Contains(out.Bytes(), []byte("-crm-addr")) {
		t.Fatalf("-h printed %q", out.String())
	}
	out.Reset()
	err := run([]string{"-companies", "testdata/missing.csv", "-store", t.TempDir() + "/o.db", "-addr", "127.0.0.1:0", "-crm-addr", "127.0.0.1:0"}, &out)
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte("testdata/missing.csv")) {
		t.Fatalf("a missing directory file: %v", err)
	}
}
