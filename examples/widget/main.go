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
//
// Exit status: 0 when stopped by an interrupt (or for -h); 1 on a failure, such as an address
// in use; 2 for bad usage or bad input: bad flags, or a directory or connections CSV that
// cannot be read or holds bad records.
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

func main() { os.Exit(command(os.Args[1:], os.Stderr)) }

// errUsage marks a bad command line whose message was printed already.
var errUsage = errors.New("usage")

// badInput marks an input file that cannot be read or holds bad records.
type badInput struct{ err error }

func (e badInput) Error() string { return e.err.Error() }
func (e badInput) Unwrap() error { return e.err }

// command runs the program and returns its exit status: 0 when it ends normally (an interrupt,
// or -h), 1 on a failure (an address in use, the store), 2 for bad usage or bad input (bad flags,
// a directory or connections CSV that cannot be read or holds bad records).
func command(args []string, stderr io.Writer) int {
	err := run(args, stderr)
	var bi badInput
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage):
		return 2
	case errors.As(err, &bi):
		fmt.Fprintln(stderr, "widget:", err)
		return 2
	}
	fmt.Fprintln(stderr, "widget:", err)
	return 1
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
		return fmt.Errorf("%w: %w", errUsage, err) // the flag package printed it
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "widget: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errUsage
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
