package pgstore_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/override/boltstore"
	"github.com/crmlink/crmlink/override/pgstore"
)

// Open a store shared by all replicas of a service, record a user's manual
// correction and resolve it. (No Output: it needs a PostgreSQL server.)
func ExampleOpen() {
	ctx := context.Background()
	s, err := pgstore.Open(ctx, os.Getenv("DATABASE_URL")) // e.g. postgres://crmlink@db:5432/crm?sslmode=verify-full
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	lead := override.RecordRef{Org: "00D5e000000abcd", Object: override.Lead, ID: "00Q5e00000AbCdE"}
	err = s.Put(ctx, override.Mapping{
		Record:    lead,
		Entity:    override.EntityRef{Kind: override.Member, ID: "m-48213"},
		Source:    override.Manual,
		UpdatedBy: "0055e000001XyZa", // the CRM user who corrected the match
	})
	if err != nil {
		log.Fatal(err)
	}
	m, ok, err := s.Get(ctx, lead)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ok, m.Source, m.Entity.ID)
}

// Share a pool configured in code with the rest of the program; each tenant
// gets its own schema.
func ExampleOpenPool() {
	ctx := context.Background()
	cfg, err := pgxpool.ParseConfig(os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	cfg.MaxConns = 16
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close() // the caller owns the pool: Store.Close leaves it open

	s, err := pgstore.OpenPool(ctx, pool, pgstore.WithSchema("tenant_acme"))
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	n, err := s.Count(ctx, "00D5e000000abcd")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(n, "mappings")
}

// Move from the embedded default to PostgreSQL when a service grows from one
// process to several replicas: copy each org's mappings and rejections from
// the bolt file in batches (each batch is one transaction), then check the
// counts. Copying again is harmless: writes are upserts. (No Output: it needs
// a PostgreSQL server.)
func Example_moveFromBolt() {
	ctx := context.Background()
	src, err := boltstore.Open("/var/lib/myapp/overrides.db")
	if err != nil {
		log.Fatal(err)
	}
	defer src.Close()
	dst, err := pgstore.Open(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	defer dst.Close()

	const batchSize = 10_000
	for _, org := range []string{"00D5e000000abcd", "00D5e000000wxyz"} { // the orgs the app serves
		batch := make([]override.Mapping, 0, batchSize)
		flush := func() {
			if err := dst.PutBatch(ctx, batch); err != nil {
				log.Fatal(err)
			}
			batch = batch[:0]
		}
		for m, err := range src.Mappings(ctx, org) {
			if err != nil {
				log.Fatal(err)
			}
			if batch = append(batch, m); len(batch) == batchSize {
				flush()
			}
		}
		flush()

		want, err := src.Count(ctx, org)
		if err != nil {
			log.Fatal(err)
		}
		got, err := dst.Count(ctx, org)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %d of %d mappings moved\n", org, got, want)
	}
	// Then point the program at PostgreSQL, e.g. with storeurl:
	// -store postgres://crmlink@db:5432/crm instead of -store bolt:///var/lib/myapp/overrides.db
}
