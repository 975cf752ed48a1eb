package main

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/dynamics"
	"github.com/crmlink/crmlink/crm/salesforce"
	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/privacy"
)

// crmFlags are the flags choosing the CRM.
type crmFlags struct {
	crm    string
	config string
}

func (c *crmFlags) register(fs *flagSet) {
	fs.StringVar(&c.crm, "crm", "", "the CRM: salesforce, dynamics or csv:DIR (a folder of CSV exports) (required)")
	fs.StringVar(&c.config, "config", "", "a JSON file of the CRM's settings and credentials (else the environment:\n"+
		"CRMLINK_SF_* or CRMLINK_DYN_*; see the README)")
}

// fileConfig is the JSON of -config. Every field can also come from the environment variable
// named in its tag's comment; the environment wins over the file.
type fileConfig struct {
	Salesforce struct {
		InstanceURL  string `json:"instance_url"`  // CRMLINK_SF_INSTANCE_URL
		TokenURL     string `json:"token_url"`     // CRMLINK_SF_TOKEN_URL
		ClientID     string `json:"client_id"`     // CRMLINK_SF_CLIENT_ID
		ClientSecret string `json:"client_secret"` // CRMLINK_SF_CLIENT_SECRET
		Username     string `json:"username"`      // CRMLINK_SF_USERNAME (JWT)
		JWTKeyFile   string `json:"jwt_key_file"`  // CRMLINK_SF_JWT_KEY_FILE (JWT)
		Audience     string `json:"audience"`      // CRMLINK_SF_AUDIENCE (JWT; default login.salesforce.com)
		APIVersion   string `json:"api_version"`   // CRMLINK_SF_API_VERSION
	} `json:"salesforce"`
	Dynamics struct {
		URL          string `json:"url"`           // CRMLINK_DYN_URL, e.g. https://contoso.crm.dynamics.com
		TenantID     string `json:"tenant_id"`     // CRMLINK_DYN_TENANT_ID
		ClientID     string `json:"client_id"`     // CRMLINK_DYN_CLIENT_ID
		ClientSecret string `json:"client_secret"` // CRMLINK_DYN_CLIENT_SECRET
		TokenURL     string `json:"token_url"`     // CRMLINK_DYN_TOKEN_URL (default from the tenant)
	} `json:"dynamics"`
	CAFile string `json:"ca_file"` // CRMLINK_CA_FILE: extra PEM roots for the CRM's TLS certificates
}

// loadConfig reads -config, if given, and lays the environment over it.
func loadConfig(path string, getenv func(string) string) (fileConfig, error) {
	var c fileConfig
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return c, badInput(fmt.Errorf("-config: %w", err))
		}
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			return c, badInput(fmt.Errorf("-config %s: %s", path, jsonWhere(b, err)))
		}
		if _, err := dec.Token(); !errors.Is(err, io.EOF) {
			return c, badInput(fmt.Errorf("-config %s: line %d: invalid JSON after the settings object", path, lineAt(b, dec.InputOffset())))
		}
	}
	set := func(dst *string, name string) {
		if v := getenv(name); v != "" {
			*dst = v
		}
	}
	sf, dy := &c.Salesforce, &c.Dynamics
	set(&sf.InstanceURL, "CRMLINK_SF_INSTANCE_URL")
	set(&sf.TokenURL, "CRMLINK_SF_TOKEN_URL")
	set(&sf.ClientID, "CRMLINK_SF_CLIENT_ID")
	set(&sf.ClientSecret, "CRMLINK_SF_CLIENT_SECRET")
	set(&sf.Username, "CRMLINK_SF_USERNAME")
	set(&sf.JWTKeyFile, "CRMLINK_SF_JWT_KEY_FILE")
	set(&sf.Audience, "CRMLINK_SF_AUDIENCE")
	set(&sf.APIVersion, "CRMLINK_SF_API_VERSION")
	set(&dy.URL, "CRMLINK_DYN_URL")
	set(&dy.TenantID, "CRMLINK_DYN_TENANT_ID")
	set(&dy.ClientID, "CRMLINK_DYN_CLIENT_ID")
	set(&dy.ClientSecret, "CRMLINK_DYN_CLIENT_SECRET")
	set(&dy.TokenURL, "CRMLINK_DYN_TOKEN_URL")
	set(&c.CAFile, "CRMLINK_CA_FILE")
	return c, nil
}

// jsonWhere describes a JSON decoding error with its line, never the value it was at.
func jsonWhere(b []byte, err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	off := int64(-1)
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		return fmt.Sprintf("line %d: field %s: want a %s", lineAt(b, te.Offset), te.Field, te.Type)
	}
	if off >= 0 {
		return fmt.Sprintf("line %d: invalid JSON", lineAt(b, off))
	}
	if strings.HasPrefix(err.Error(), "json: unknown field") {
		return err.Error()
	}
	return "invalid JSON"
}

func lineAt(b []byte, off int64) int {
	n := 1
	for i := int64(0); i < off && i < int64(len(b)); i++ {
		if b[i] == '\n' {
			n++
		}
	}
	return n
}

// crmConn is an open CRM: its Source, its Writer, and the secrets errors must never show.
type crmConn struct {
	kind    string // "salesforce", "dynamics", "csv"
	src     crm.Source
	writer  crm.Writer
	secrets []string
	// totals are the records per object when known in advance (CSV files), else nil.
	totals map[override.Object]int
}

// readError classifies an error of reading the CRM: a bad CSV export (a bad row, an ID on two
// rows, two files of one object) is bad input (status 2); the rest is a runtime failure, with
// secrets and record values scrubbed.
func (c *crmConn) readError(err error) error {
	if c.kind == "csv" && errors.Is(err, crm.ErrInvalid) {
		return badInput(err)
	}
	return privacy.Error(err, c.secrets...)
}

// openCRM opens the CRM of the flags.
func openCRM(ctx context.Context, f crmFlags, getenv func(string) string) (*crmConn, error) {
	switch {
	case f.crm == "":
		return nil, usagef("-crm is required: salesforce, dynamics or csv:DIR")
	case strings.HasPrefix(f.crm, "csv:"):
		dir := strings.TrimPrefix(f.crm, "csv:")
		if dir == "" {
			return nil, usagef("-crm csv:DIR: the folder is empty")
		}
		src, totals, err := openCSVFolder(ctx, dir)
		if err != nil {
			return nil, err
		}
		return &crmConn{kind: "csv", src: src, writer: src, totals: totals}, nil
	case f.crm != "salesforce" && f.crm != "dynamics":
		return nil, usagef("-crm %q: want salesforce, dynamics or csv:DIR", f.crm)
	}
	cfg, err := loadConfig(f.config, getenv)
	if err != nil {
		return nil, err
	}
	hc, err := httpClient(cfg.CAFile)
	if err != nil {
		return nil, err
	}
	ctx = context.WithValue(ctx, oauth2.HTTPClient, hc)
	if f.crm == "salesforce" {
		return openSalesforce(ctx, cfg, hc)
	}
	return openDynamics(ctx, cfg, hc)
}

// httpClient is the TLS-only client of the CRM adapters, trusting the system roots and, with a
// CA file, its certificates too.
func httpClient(caFile string) (*http.Client, error) {
	opts := []privacy.TLSOption{privacy.WithTimeout(2 * time.Minute)}
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, badInput(fmt.Errorf("CRMLINK_CA_FILE: %w", err))
		}
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, badInput(fmt.Errorf("CRMLINK_CA_FILE %s: no PEM certificate in it", caFile))
		}
		opts = append(opts, privacy.WithRootCAs(pool))
	}
	return privacy.NewClient(opts...), nil
}

func openSalesforce(ctx context.Context, cfg fileConfig, hc *http.Client) (*crmConn, error) {
	sf := cfg.Salesforce
	conn := &crmConn{kind: "salesforce", secrets: []string{sf.ClientSecret}}
	if sf.ClientID == "" {
		return nil, usagef("salesforce: CRMLINK_SF_CLIENT_ID (or salesforce.client_id in -config) is required")
	}
	if err := checkHTTPS("CRMLINK_SF_INSTANCE_URL", sf.InstanceURL, true); err != nil {
		return nil, err
	}
	var ts oauth2.TokenSource
	switch {
	case sf.JWTKeyFile != "":
		if sf.Username == "" {
			return nil, usagef("salesforce JWT: CRMLINK_SF_USERNAME is required with CRMLINK_SF_JWT_KEY_FILE")
		}
		pem, err := os.ReadFile(sf.JWTKeyFile)
		if err != nil {
			return nil, badInput(fmt.Errorf("CRMLINK_SF_JWT_KEY_FILE: %w", err))
		}
		key, err := salesforce.ParseRSAPrivateKey(pem)
		if err != nil {
			return nil, badInput(fmt.Errorf("CRMLINK_SF_JWT_KEY_FILE %s: %w", sf.JWTKeyFile, err))
		}
		if err := checkHTTPS("CRMLINK_SF_TOKEN_URL", sf.TokenURL, true); err != nil {
			return nil, err
		}
		jc := &salesforce.JWTConfig{ClientID: sf.ClientID, Username: sf.Username, PrivateKey: key,
			Audience: sf.Audience, TokenURL: sf.TokenURL, HTTPClient: hc}
		ts = jc.TokenSource(ctx)
	case sf.ClientSecret != "":
		tokenURL := sf.TokenURL
		if tokenURL == "" {
			if sf.InstanceURL == "" {
				return nil, usagef("salesforce: CRMLINK_SF_INSTANCE_URL (your My Domain URL) or CRMLINK_SF_TOKEN_URL is required")
			}
			tokenURL = strings.TrimSuffix(sf.InstanceURL, "/") + "/services/oauth2/token"
		}
		if err := checkHTTPS("CRMLINK_SF_TOKEN_URL", tokenURL, false); err != nil {
			return nil, err
		}
		ts = salesforce.ClientCredentials(ctx, &clientcredentials.Config{ClientID: sf.ClientID, ClientSecret: sf.ClientSecret, TokenURL: tokenURL})
	default:
		return nil, usagef("salesforce: set CRMLINK_SF_CLIENT_SECRET (client credentials) or CRMLINK_SF_JWT_KEY_FILE and CRMLINK_SF_USERNAME (JWT bearer)")
	}
	src, err := salesforce.New(ctx, salesforce.Config{InstanceURL: sf.InstanceURL, APIVersion: sf.APIVersion, TokenSource: ts, HTTPClient: hc})
	if err != nil {
		return nil, fmt.Errorf("connect to salesforce: %w", privacy.Error(err, conn.secrets...))
	}
	conn.src, conn.writer = src, src
	return conn, nil
}

func openDynamics(ctx context.Context, cfg fileConfig, hc *http.Client) (*crmConn, error) {
	dy := cfg.Dynamics
	conn := &crmConn{kind: "dynamics", secrets: []string{dy.ClientSecret}}
	switch {
	case dy.URL == "":
		return nil, usagef("dynamics: CRMLINK_DYN_URL (the environment URL, https://ORG.crm.dynamics.com) is required")
	case dy.ClientID == "":
		return nil, usagef("dynamics: CRMLINK_DYN_CLIENT_ID is required")
	case dy.ClientSecret == "":
		return nil, usagef("dynamics: CRMLINK_DYN_CLIENT_SECRET is required")
	case dy.TenantID == "" && dy.TokenURL == "":
		return nil, usagef("dynamics: CRMLINK_DYN_TENANT_ID is required")
	}
	if err := checkHTTPS("CRMLINK_DYN_URL", dy.URL, false); err != nil {
		return nil, err
	}
	tokenURL := dy.TokenURL
	if tokenURL == "" {
		tokenURL = "https://login.microsoftonline.com/" + url.PathEscape(dy.TenantID) + "/oauth2/v2.0/token"
	}
	if err := checkHTTPS("CRMLINK_DYN_TOKEN_URL", tokenURL, false); err != nil {
		return nil, err
	}
	src, err := dynamics.New(ctx, dynamics.Config{OrgURL: dy.URL, HTTPClient: hc,
		Credentials: &clientcredentials.Config{ClientID: dy.ClientID, ClientSecret: dy.ClientSecret, TokenURL: tokenURL}})
	if err != nil {
		return nil, fmt.Errorf("connect to dynamics: %w", privacy.Error(err, conn.secrets...))
	}
	conn.src, conn.writer = src, src
	return conn, nil
}

// checkHTTPS refuses a URL that is not https:// (empty is fine when optional).
func checkHTTPS(name, raw string, optional bool) error {
	if raw == "" {
		if optional {
			return nil
		}
		return usagef("%s is required", name)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return usagef("%s: want an https:// URL", name)
	}
	return nil
}
