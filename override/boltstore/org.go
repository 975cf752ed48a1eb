package boltstore

import (
	"context"

	bolt "go.etcd.io/bbolt"

	"github.com/crmlink/crmlink/override"
)

// orgStateBucket holds one key per disabled org (value 1). It is a top-level
// bucket apart from the orgs' trees, so that Purge leaves it.
var orgStateBucket = []byte("orgstate")

var (
	_ override.OrgStater   = (*Driver)(nil)
	_ override.StateLoader = (*Driver)(nil)
)

// OrgDisabled implements [override.OrgStater].
func (d *Driver) OrgDisabled(ctx context.Context, org string) (disabled bool, err error) {
	err = d.view(ctx, "org state", func(tx *bolt.Tx) error {
		if b := tx.Bucket(orgStateBucket); b != nil {
			disabled = b.Get([]byte(org)) != nil
		}
		return nil
	})
	return disabled, err
}

// SetOrgDisabled implements [override.OrgStater] in one transaction, synced
// to disk before it returns.
func (d *Driver) SetOrgDisabled(ctx context.Context, org string, disabled bool) error {
	return d.update(ctx, "set org state", func(tx *bolt.Tx) error {
		if !disabled {
			if b := tx.Bucket(orgStateBucket); b != nil {
				return b.Delete([]byte(org))
			}
			return nil
		}
		b, err := tx.CreateBucketIfNotExists(orgStateBucket)
		if err != nil {
			return err
		}
		return b.Put([]byte(org), []byte{1})
	})
}

// LoadEnabled implements [override.StateLoader] in one read transaction.
func (d *Driver) LoadEnabled(ctx context.Context, org string, refs []override.RecordRef, dst []override.Record) (recs []override.Record, disabled bool, err error) {
	recs = dst
	err = d.view(ctx, "load", func(tx *bolt.Tx) error {
		if b := tx.Bucket(orgStateBucket); b != nil && b.Get([]byte(org)) != nil {
			disabled = true
			return nil
		}
		var err error
		recs, err = loadTx(tx, refs, dst)
		return err
	})
	return recs, disabled, err
}
