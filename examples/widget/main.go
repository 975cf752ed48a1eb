// Command widget serves the embedded profile widget over HTTPS, with a self-signed certificate
// for local use, against the sample directory (examples/quickstart/testdata), a bolt store and
// a demo CRM whose record pages embed it:
//
//	go run ./examples/widget
//	# then open https://127.0.0.1:8444/ (the demo CRM) and accept the certificate of both
//	# https://127.0.0.1:8443/ (the widget) and the CRM
//
// The admin console of the demo org (partner keys, on/off, purge, reports) runs on a third
// origin, https://127.0.0.1:8445/login, with the admin token printed once at start.
//
// The widget and the CRM run on two origins, as they would in production (the CRM page loads
// the script from the widget's origin, and CORS lets only the CRM origin call the API). The
// partner API key is printed once at start; the CRM's server mints viewer tokens with it.
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/crmlink/crmlink/widget"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "widget:", err)
		os.Exit(1)
	}
}

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("widget", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8443", "address of the widget (HTTPS)")
	crmAddr := fs.String("crm-addr", "127.0.0.1:8444", "address of the demo CRM (HTTPS)")
	adminAddr := fs.String("admin-addr", "127.0.0.1:8445", "address of the admin console (HTTPS)")
	companies := fs.String("companies", "examples/quickstart/testdata/companies.csv", "company directory CSV")
	members := fs.String("members", "examples/quickstart/testdata/members.csv", "member directory CSV")
	conns := fs.String("connections", "examples/widget/testdata/connections.csv", "member connections CSV (member_id,connection_id)")
	store := fs.String("store", "widget-demo.db", "bolt file of the overrides")
	crmDir := fs.String("crm", "examples/widget/testdata/crm", "directory of the demo CRM's opportunities and written-back activities (CSV), for the ROI report; empty for none")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	cert, err := selfSigned(time.Now())
	if err != nil {
		return err
	}
	widgetURL := "https://" + *addr
	crmURL := "https://" + *crmAddr
	d, err := newDemo(ctx, config{
		Companies: *companies, Members: *members, Connections: *conns, StorePath: *store, CRMDir: *crmDir,
		Env: widget.Production, Partner: "demo-partner",
	}, widget.WithOrigins(crmURL), widget.WithLogger(slog.New(slog.NewTextHandler(stderr, nil))))
	if err != nil {
		return err
	}
	defer d.Close()
	fmt.Fprintf(stderr, "partner API key %s (shown once): %s\n", d.KeyID, d.apiKey)
	console, adminToken, err := newConsole(d)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "widget:   %s/widget.js\ndemo CRM: %s/\n", widgetURL, crmURL)
	fmt.Fprintf(stderr, "admin console: https://%s/login (admin token of org %s, shown once: %s)\n", *adminAddr, DemoOrg, adminToken)

	tlsCfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	servers := []*http.Server{
		{Addr: *addr, Handler: d.Handler, TLSConfig: tlsCfg, ReadHeaderTimeout: 5 * time.Second},
		{Addr: *crmAddr, Handler: d.crmPage(widgetURL), TLSConfig: tlsCfg, ReadHeaderTimeout: 5 * time.Second},
		{Addr: *adminAddr, Handler: console, TLSConfig: tlsCfg, ReadHeaderTimeout: 5 * time.Second},
	}
	errc := make(chan error, len(servers))
	for _, s := range servers {
		go func() { errc <- s.ListenAndServeTLS("", "") }()
	}
	select {
	case err = <-errc:
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, s := range servers {
		s.Shutdown(sctx)
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// selfSigned returns a certificate for localhost and the loopback addresses, valid for 30 days,
// for local use only.
func selfSigned(now time.Time) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "crmlink widget (local)"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(30 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}
