package pgstore_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/crmlink/crmlink/override"
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
