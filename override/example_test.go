package override_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/crmlink/crmlink/override"
)

func ExampleNewMemory() {
	ctx := context.Background()
	s := override.NewMemory()
	defer s.Close()

	lead := override.RecordRef{Org: "00D5e000000abcd", Object: override.Lead, ID: "00Q5e000001XyZ"}
	// The sync job matched the lead; a user then corrected the match.
	err := s.PutBatch(ctx, []override.Mapping{{
		Record: lead, Entity: override.EntityRef{Kind: override.Member, ID: "m-17"}, Source: override.Sync,
	}})
	if err != nil {
		log.Fatal(err)
	}
	err = s.Put(ctx, override.Mapping{
		Record: lead, Entity: override.EntityRef{Kind: override.Member, ID: "m-42"}, Source: override.Manual,
		UpdatedBy: "0055e000003AbC",
	})
	if err != nil {
		log.Fatal(err)
	}
	// And said the sync match was wrong.
	err = s.Put(ctx, override.Mapping{
		Record: lead, Entity: override.EntityRef{Kind: override.Member, ID: "m-17"}, Source: override.Manual,
		Rejected: true,
	})
	if err != nil {
		log.Fatal(err)
	}

	m, ok, err := s.Get(ctx, lead)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ok, m.Source, m.Entity)
	rejected, err := s.Rejected(ctx, lead, override.EntityRef{Kind: override.Member, ID: "m-17"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("m-17 rejected:", rejected)
	n, err := s.Purge(ctx, "00D5e000000abcd")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("purged", n)
	// Output:
	// true manual member/m-42
	// m-17 rejected: true
	// purged 3
}

func ExampleEffective() {
	r := override.RecordRef{Org: "o", Object: override.Contact, ID: "003A"}
	m, ok := override.Effective(
		override.Mapping{Record: r, Entity: override.EntityRef{Kind: override.Member, ID: "from-sync"}, Source: override.Sync},
		override.Mapping{Record: r, Entity: override.EntityRef{Kind: override.Member, ID: "from-user"}, Source: override.Manual},
	)
	fmt.Println(ok, m.Entity.ID)
	// Output: true from-user
}

func ExampleValidationError() {
	s := override.NewMemory()
	defer s.Close()
	err := s.Put(context.Background(), override.Mapping{
		Record: override.RecordRef{Org: "o", Object: override.Contact, ID: "Jane Doe\n"},
		Entity: override.EntityRef{Kind: override.Member, ID: "m1"},
		Source: override.Manual,
	})
	var ve *override.ValidationError
	if errors.As(err, &ve) {
		fmt.Println(ve.Field, "-", ve.Reason)
	}
	fmt.Println(errors.Is(err, override.ErrInvalid), strings.Contains(err.Error(), "Jane"))
	// Output:
	// Record.ID - contains a control character
	// true false
}
