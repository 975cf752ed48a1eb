package boltstore_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/override/boltstore"
)

// Open the embedded default store in a file, write a correction, read it
// back after a restart.
func ExampleOpen() {
	dir, err := os.MkdirTemp("", "crmlink")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "overrides.db")
	ctx := context.Background()

	s, err := boltstore.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	contact := override.RecordRef{Org: "00D5e000000abcd", Object: override.Contact, ID: "0035e000002AbCd"}
	err = s.Put(ctx, override.Mapping{
		Record:    contact,
		Entity:    override.EntityRef{Kind: override.Member, ID: "m-42"},
		Source:    override.Manual,
		UpdatedBy: "0055e000003AbC",
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := s.Close(); err != nil {
		log.Fatal(err)
	}

	s, err = boltstore.Open(path) // the next run of the program
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	m, ok, err := s.Get(ctx, contact)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ok, m.Source, m.Entity, m.UpdatedBy)
	// Output: true manual member/m-42 0055e000003AbC
}
