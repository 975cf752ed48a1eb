package override_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/override/boltstore"
	"github.com/crmlink/crmlink/override/pgstore"
)

// Open the embedded default from a URL, as a program's -store flag would. The
// program registers the drivers it links; there is no global registry.
func ExampleRegistry() {
	var reg override.Registry
	reg.Register("mem", override.OpenMemory)
	reg.Register("bolt", boltstore.OpenURL)

	dir, err := os.MkdirTemp("", "crmlink")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()

	s, err := reg.Open(ctx, "bolt://"+filepath.Join(dir, "overrides.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	account := override.RecordRef{Org: "00D5e000000abcd", Object: override.Account, ID: "0015e000004XyZ"}
	err = s.Put(ctx, override.Mapping{Record: account, Entity: override.EntityRef{Kind: override.Company, ID: "c-1337"}, Source: override.Sync})
	if err != nil {
		log.Fatal(err)
	}
	m, ok, err := s.Get(ctx, account)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ok, m.Entity)

	_, err = reg.Open(ctx, "postgres://db.internal/crm")
	fmt.Println(err)
	// Output:
	// true company/c-1337
	// override: postgres URL: no driver registered (want bolt, mem)
}

// Move from the embedded default to PostgreSQL when the program grows to
// several replicas: copy each org, then point the program at the new URL.
// (No Output: it needs a PostgreSQL server.)
func ExampleCopy_moveToPostgres() {
	var reg override.Registry
	reg.Register("bolt", boltstore.OpenURL)
	reg.Register("postgres", pgstore.OpenURL)
	ctx := context.Background()
	src, err := reg.Open(ctx, "bolt:///var/lib/myapp/overrides.db")
	if err != nil {
		log.Fatal(err)
	}
	defer src.Close()
	// The password comes from the environment or a .pgpass file, not the URL.
	dst, err := reg.Open(ctx, "postgres://crmlink@db.internal:5432/crm?sslmode=verify-full")
	if err != nil {
		log.Fatal(err)
	}
	defer dst.Close()

	for _, org := range []string{"00D5e000000abcd", "00D5e000000wxyz"} { // the orgs the program serves
		n, err := override.Copy(ctx, dst, src, org, 0)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(org, n, "mappings copied")
	}
	// From now on: -store postgres://crmlink@db.internal:5432/crm?sslmode=verify-full
}
