package storeurl_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/override/storeurl"
)

// Open the embedded default from a URL, as a program's -store flag would.
func ExampleOpen() {
	dir, err := os.MkdirTemp("", "crmlink")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()

	s, err := storeurl.Open(ctx, "bolt://"+filepath.Join(dir, "overrides.db"))
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
	// Output: true company/c-1337
}

// Move from the embedded default to PostgreSQL when the program grows to
// several replicas: copy each org, then point the program at the new URL.
// (No Output: it needs a PostgreSQL server.)
func ExampleOpen_moveToPostgres() {
	ctx := context.Background()
	src, err := storeurl.Open(ctx, "bolt:///var/lib/myapp/overrides.db")
	if err != nil {
		log.Fatal(err)
	}
	defer src.Close()
	// The password comes from the environment or a .pgpass file, not the URL.
	dst, err := storeurl.Open(ctx, "postgres://crmlink@db.internal:5432/crm?sslmode=verify-full")
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
