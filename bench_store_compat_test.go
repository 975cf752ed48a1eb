package crmlink_test

import (
	bolt "go.etcd.io/bbolt"

	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/override/boltstore"
)

// storeForBench is what the store benchmarks hand to NewResolver and NewSyncer.
type storeForBench = *override.Store

type overrideSource = override.Source

const (
	overrideManual = override.Manual
	overrideSync   = override.Sync
)

func benchRecord(org, id string) override.RecordRef {
	return override.RecordRef{Org: org, Object: override.Account, ID: id}
}

func benchMapping(org, id string, src override.Source) override.Mapping {
	return override.Mapping{Record: benchRecord(org, id), Entity: override.EntityRef{Kind: override.Company, ID: "c1"}, Source: src}
}

// boltDB returns the bbolt database under a store opened by boltstore.Open.
func boltDB(st storeForBench) *bolt.DB {
	db, ok := boltstore.DB(st)
	if !ok {
		panic("not a bolt store")
	}
	return db
}
