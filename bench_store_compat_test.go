package crmlink_test

import "github.com/crmlink/crmlink/override"

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
