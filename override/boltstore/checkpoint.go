package boltstore

import (
	"context"
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/crmlink/crmlink/override"
)

// checkpointBucket holds the sync checkpoints: one bucket per org, keyed by
// the one-byte object code. It is a top-level bucket apart from the orgs'
// trees, so that an org whose last mapping goes (its tree is deleted) keeps
// its checkpoints; Purge deletes the org's bucket in its transaction.
//
//	bucket "checkpoints"
//	  bucket <org ID>
//	    <obj> -> <int64 µs run> <flags> [<int64 µs since>] <after ID>
//
// flags: 0x01 done, 0x02 since is present.
var checkpointBucket = []byte("checkpoints")

const (
	cpDone  = 0x01
	cpSince = 0x02
)

var _ override.Checkpointer = (*Driver)(nil)

func encodeCheckpoint(c override.Checkpoint) []byte {
	v := make([]byte, 0, 17+len(c.After))
	v = binary.BigEndian.AppendUint64(v, uint64(c.Run.UnixMicro()))
	var flags byte
	if c.Done {
		flags |= cpDone
	}
	if !c.Since.IsZero() {
		flags |= cpSince
	}
	v = append(v, flags)
	if !c.Since.IsZero() {
		v = binary.BigEndian.AppendUint64(v, uint64(c.Since.UnixMicro()))
	}
	return append(v, c.After...)
}

func decodeCheckpoint(org string, obj override.Object, v []byte) (override.Checkpoint, error) {
	c := override.Checkpoint{Org: org, Object: obj}
	if len(v) < 9 || v[8]&^(cpDone|cpSince) != 0 {
		return c, fmt.Errorf("checkpoint of %s %s: %w", org, obj, errDecode)
	}
	c.Run = time.UnixMicro(int64(binary.BigEndian.Uint64(v))).UTC()
	flags := v[8]
	v = v[9:]
	c.Done = flags&cpDone != 0
	if flags&cpSince != 0 {
		if len(v) < 8 {
			return c, fmt.Errorf("checkpoint of %s %s: %w", org, obj, errDecode)
		}
		c.Since = time.UnixMicro(int64(binary.BigEndian.Uint64(v))).UTC()
		v = v[8:]
	}
	c.After = string(v)
	// What PutCheckpoint cannot have written is damage: an invalid checkpoint (a run out of
	// range, an After that is no valid ID), a since flagged but zero.
	if c.Validate() != nil || (flags&cpSince != 0 && c.Since.IsZero()) {
		return c, fmt.Errorf("checkpoint of %s %s: %w", org, obj, errDecode)
	}
	return c, nil
}

// Checkpoint implements [override.Checkpointer] in one read transaction.
func (d *Driver) Checkpoint(ctx context.Context, org string, obj override.Object) (c override.Checkpoint, ok bool, err error) {
	err = d.view(ctx, "checkpoint", func(tx *bolt.Tx) error {
		b := tx.Bucket(checkpointBucket)
		if b == nil {
			return nil
		}
		if b = b.Bucket([]byte(org)); b == nil {
			return nil
		}
		v := b.Get([]byte{objCode(obj)})
		if v == nil {
			return nil
		}
		var err error
		c, err = decodeCheckpoint(org, obj, v)
		ok = err == nil
		return err
	})
	return c, ok, err
}

// PutCheckpoint implements [override.Checkpointer] in one transaction,
// synced to disk before it returns.
func (d *Driver) PutCheckpoint(ctx context.Context, c override.Checkpoint) error {
	return d.update(ctx, "put checkpoint", func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(checkpointBucket)
		if err != nil {
			return err
		}
		if b, err = b.CreateBucketIfNotExists([]byte(c.Org)); err != nil {
			return err
		}
		return b.Put([]byte{objCode(c.Object)}, encodeCheckpoint(c))
	})
}

// DeleteCheckpoint implements [override.Checkpointer].
func (d *Driver) DeleteCheckpoint(ctx context.Context, org string, obj override.Object) error {
	return d.update(ctx, "delete checkpoint", func(tx *bolt.Tx) error {
		b := tx.Bucket(checkpointBucket)
		if b == nil {
			return nil
		}
		ob := b.Bucket([]byte(org))
		if ob == nil {
			return nil
		}
		if err := ob.Delete([]byte{objCode(obj)}); err != nil {
			return err
		}
		if k, _ := ob.Cursor().First(); k == nil {
			return b.DeleteBucket([]byte(org))
		}
		return nil
	})
}

// purgeCheckpoints deletes the checkpoints of org in tx.
func purgeCheckpoints(tx *bolt.Tx, org string) error {
	b := tx.Bucket(checkpointBucket)
	if b == nil || b.Bucket([]byte(org)) == nil {
		return nil
	}
	return b.DeleteBucket([]byte(org))
}
