package main

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/override/boltstore"
	"github.com/crmlink/crmlink/override/pgstore"
	"github.com/crmlink/crmlink/privacy"
)

// storeFlags are the flags naming the store and the org, shared by every command.
type storeFlags struct {
	store string
	org   string
}

func (s *storeFlags) register(fs *flagSet) {
	fs.StringVar(&s.org, "org", "", "the CRM org (tenant) ID (required)")
	fs.StringVar(&s.store, "store", "", "where mappings are kept: memory, bolt:PATH, postgres:ENV_VAR (an environment\n"+
		"variable holding the DSN) or postgres://user@host/db (no password on the command line) (required)")
}

// envName is what an environment variable's name looks like.
var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// storeURL turns the -store value into the URL of an override.Registry. It never returns a
// password in an error.
func storeURL(spec string, getenv func(string) string) (string, error) {
	switch {
	case spec == "memory" || spec == "mem" || spec == "mem:":
		return "mem:", nil
	case strings.HasPrefix(spec, "bolt:"):
		path := strings.TrimPrefix(spec, "bolt:")
		path = strings.TrimPrefix(path, "//")
		if path == "" {
			return "", usagef("-store bolt:PATH: the path is empty")
		}
		abs, err := filepath.Abs(path)
		if err != nil {
			return "", usagef("-store bolt:PATH: %v", err)
		}
		return (&url.URL{Scheme: "bolt", Path: filepath.ToSlash(abs)}).String(), nil
	case strings.HasPrefix(spec, "postgres://") || strings.HasPrefix(spec, "postgresql://"):
		u, err := url.Parse(spec)
		if err != nil {
			return "", usagef("-store: not a PostgreSQL URL")
		}
		if _, ok := u.User.Password(); ok {
			return "", usagef("-store: a password on the command line is refused; put the DSN in an environment variable and pass -store postgres:VAR")
		}
		if u.Query().Has("password") {
			return "", usagef("-store: a password on the command line is refused; put the DSN in an environment variable and pass -store postgres:VAR")
		}
		return spec, nil
	case strings.HasPrefix(spec, "postgres:"):
		name := strings.TrimPrefix(spec, "postgres:")
		if !envName.MatchString(name) {
			return "", usagef("-store postgres:ENV_VAR: %q is not an environment variable name", name)
		}
		dsn := getenv(name)
		if dsn == "" {
			return "", usagef("-store postgres:%s: the environment variable %s is empty", name, name)
		}
		if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
			return "", usagef("-store postgres:%s: the DSN must be a postgres:// URL", name)
		}
		return dsn, nil
	}
	return "", usagef("-store %q: want memory, bolt:PATH, postgres:ENV_VAR or postgres://...", spec)
}

// openStore opens the store of the flags, with the drivers this command links.
func openStore(ctx context.Context, s storeFlags, getenv func(string) string) (*override.Store, error) {
	if err := override.ValidateOrg(s.org); err != nil {
		return nil, usagef("-org: %v", err)
	}
	u, err := storeURL(s.store, getenv)
	if err != nil {
		return nil, err
	}
	var reg override.Registry
	reg.Register("mem", override.OpenMemory)
	reg.Register("bolt", boltstore.OpenURL)
	reg.Register("postgres", pgstore.OpenURL)
	reg.Register("postgresql", pgstore.OpenURL)
	st, err := reg.Open(ctx, u)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", privacy.Error(err))
	}
	return st, nil
}
