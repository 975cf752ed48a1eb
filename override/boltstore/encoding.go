package boltstore

import (
	"bytes"
	"encoding/binary"
	"errors"
	"time"

	"github.com/crmlink/crmlink/override"
)

// On-disk layout, schema version 1. All integers are big-endian.
//
//	bucket "crmlink.override"   key "schema" -> uint32 schema version
//	bucket "orgs"
//	  bucket <org ID>           one per org; deleting it purges the org
//	    key "n"                 -> uint64 number of mappings (rejections included)
//	    bucket "m"              mappings and rejections, in the order of override.Compare
//	      <obj> <record ID> 0x00 0x01 <src>                 -> <kind> <uvarint len> <entity ID> <int64 µs> <updated by>
//	      <obj> <record ID> 0x00 0x02 <kind> <entity ID>    -> <src> <int64 µs> <updated by>
//	    bucket "e"              reverse index of non-rejected mappings
//	      <kind> <entity ID> 0x00 <obj> <record ID> 0x00 <src> -> empty
//	bucket "orgstate"           <org ID> -> 1, one key per disabled org (see org.go)
//	bucket "checkpoints"        sync checkpoints (see checkpoint.go)
//	  bucket <org ID>
//	    <obj>                   -> <int64 µs run> <flags> [<int64 µs since>] <after record ID>
//
// <obj>, <src> and <kind> are one-byte codes in the byte order of their names.
// IDs hold no 0x00 (validation refuses control characters), so 0x00 ends an ID
// and byte order of keys is the order of override.Compare.
var (
	metaBucket  = []byte("crmlink.override")
	schemaKey   = []byte("schema")
	orgsBucket  = []byte("orgs")
	countKey    = []byte("n")
	mapBucket   = []byte("m")
	indexBucket = []byte("e")
)

const (
	tagMapping   = 0x01
	tagRejection = 0x02
)

var errDecode = errors.New("malformed key or value")

func objCode(o override.Object) byte {
	switch o {
	case override.Account:
		return 1
	case override.Contact:
		return 2
	case override.Lead:
		return 3
	case override.Opportunity:
		return 4
	}
	return 0
}

func objOf(c byte) (override.Object, bool) {
	switch c {
	case 1:
		return override.Account, true
	case 2:
		return override.Contact, true
	case 3:
		return override.Lead, true
	case 4:
		return override.Opportunity, true
	}
	return "", false
}

func srcCode(s override.Source) byte {
	if s == override.Manual {
		return 1
	}
	return 2
}

func srcOf(c byte) (override.Source, bool) {
	switch c {
	case 1:
		return override.Manual, true
	case 2:
		return override.Sync, true
	}
	return "", false
}

func kindCode(k override.EntityKind) byte {
	if k == override.Company {
		return 1
	}
	return 2
}

func kindOf(c byte) (override.EntityKind, bool) {
	switch c {
	case 1:
		return override.Company, true
	case 2:
		return override.Member, true
	}
	return "", false
}

// recordPrefix appends <obj> <record ID> 0x00.
func recordPrefix(dst []byte, r override.RecordRef) []byte {
	dst = append(dst, objCode(r.Object))
	dst = append(dst, r.ID...)
	return append(dst, 0)
}

// mappingKey appends the "m" key of a mapping (or rejection).
func mappingKey(dst []byte, m override.Mapping) []byte {
	if m.Rejected {
		return rejectionKey(dst, m.Record, m.Entity)
	}
	return sourceKey(dst, m.Record, m.Source)
}

func sourceKey(dst []byte, r override.RecordRef, s override.Source) []byte {
	dst = recordPrefix(dst, r)
	return append(dst, tagMapping, srcCode(s))
}

func rejectionKey(dst []byte, r override.RecordRef, e override.EntityRef) []byte {
	dst = recordPrefix(dst, r)
	dst = append(dst, tagRejection, kindCode(e.Kind))
	return append(dst, e.ID...)
}

// entityPrefix appends <kind> <entity ID> 0x00.
func entityPrefix(dst []byte, e override.EntityRef) []byte {
	dst = append(dst, kindCode(e.Kind))
	dst = append(dst, e.ID...)
	return append(dst, 0)
}

func indexKey(dst []byte, m override.Mapping) []byte {
	dst = entityPrefix(dst, m.Entity)
	dst = recordPrefix(dst, m.Record)
	return append(dst, srcCode(m.Source))
}

func mappingValue(dst []byte, m override.Mapping) []byte {
	if m.Rejected {
		dst = append(dst, srcCode(m.Source))
	} else {
		dst = append(dst, kindCode(m.Entity.Kind))
		dst = binary.AppendUvarint(dst, uint64(len(m.Entity.ID)))
		dst = append(dst, m.Entity.ID...)
	}
	dst = binary.BigEndian.AppendUint64(dst, uint64(m.UpdatedAt.UnixMicro()))
	return append(dst, m.UpdatedBy...)
}

// decodeMapping decodes an "m" key and value of org; it never keeps k or v.
func decodeMapping(org string, k, v []byte) (override.Mapping, error) {
	var m override.Mapping
	if len(k) < 4 {
		return m, errDecode
	}
	obj, ok := objOf(k[0])
	if !ok {
		return m, errDecode
	}
	end := bytes.IndexByte(k[1:], 0)
	if end <= 0 {
		return m, errDecode
	}
	m.Record = override.RecordRef{Org: org, Object: obj, ID: string(k[1 : 1+end])}
	rest := k[2+end:]
	if len(rest) < 2 {
		return m, errDecode
	}
	switch rest[0] {
	case tagMapping:
		if len(rest) != 2 {
			return m, errDecode
		}
		src, ok := srcOf(rest[1])
		if !ok {
			return m, errDecode
		}
		return decodeSourceValue(m.Record, src, v)
	case tagRejection:
		m.Rejected = true
		if m.Entity.Kind, ok = kindOf(rest[1]); !ok {
			return m, errDecode
		}
		m.Entity.ID = string(rest[2:])
		if len(v) < 1 {
			return m, errDecode
		}
		if m.Source, ok = srcOf(v[0]); !ok {
			return m, errDecode
		}
		v = v[1:]
	default:
		return m, errDecode
	}
	if len(v) < 8 {
		return m, errDecode
	}
	m.UpdatedAt = time.UnixMicro(int64(binary.BigEndian.Uint64(v))).UTC()
	m.UpdatedBy = string(v[8:])
	if err := m.Validate(); err != nil {
		return m, errDecode
	}
	return m, nil
}

// decodeSourceValue decodes the value of the non-rejected mapping of (r, src),
// whose key the caller built or checked.
func decodeSourceValue(r override.RecordRef, src override.Source, v []byte) (override.Mapping, error) {
	m := override.Mapping{Record: r, Source: src}
	var ok bool
	if len(v) < 1 {
		return m, errDecode
	}
	if m.Entity.Kind, ok = kindOf(v[0]); !ok {
		return m, errDecode
	}
	n, w := binary.Uvarint(v[1:])
	if w <= 0 || n == 0 || n > uint64(len(v)-1-w) {
		return m, errDecode
	}
	m.Entity.ID = string(v[1+w : 1+w+int(n)])
	v = v[1+w+int(n):]
	if len(v) < 8 {
		return m, errDecode
	}
	m.UpdatedAt = time.UnixMicro(int64(binary.BigEndian.Uint64(v))).UTC()
	m.UpdatedBy = string(v[8:])
	if err := m.Validate(); err != nil {
		return m, errDecode
	}
	return m, nil
}

// decodeIndexKey decodes an "e" key into its record and source.
func decodeIndexKey(org string, k []byte) (override.EntityRef, override.RecordRef, override.Source, error) {
	var (
		e   override.EntityRef
		r   override.RecordRef
		src override.Source
		ok  bool
	)
	if len(k) < 6 {
		return e, r, src, errDecode
	}
	if e.Kind, ok = kindOf(k[0]); !ok {
		return e, r, src, errDecode
	}
	end := bytes.IndexByte(k[1:], 0)
	if end <= 0 {
		return e, r, src, errDecode
	}
	e.ID = string(k[1 : 1+end])
	rest := k[2+end:]
	if len(rest) < 4 {
		return e, r, src, errDecode
	}
	obj, ok := objOf(rest[0])
	if !ok {
		return e, r, src, errDecode
	}
	end = bytes.IndexByte(rest[1:], 0)
	if end <= 0 || 2+end != len(rest)-1 {
		return e, r, src, errDecode
	}
	r = override.RecordRef{Org: org, Object: obj, ID: string(rest[1 : 1+end])}
	if src, ok = srcOf(rest[len(rest)-1]); !ok {
		return e, r, src, errDecode
	}
	return e, r, src, nil
}

// indexKeyOf returns the "e" key of the non-rejected mapping stored under the
// "m" key k with value v, without decoding it.
func indexKeyOf(k, v []byte) ([]byte, error) {
	if len(k) < 4 || k[len(k)-2] != tagMapping || len(v) < 2 {
		return nil, errDecode
	}
	n, w := binary.Uvarint(v[1:])
	if w <= 0 || n == 0 || n > uint64(len(v)-1-w) {
		return nil, errDecode
	}
	eid := v[1+w : 1+w+int(n)]
	ik := make([]byte, 0, 1+len(eid)+len(k))
	ik = append(ik, v[0])
	ik = append(ik, eid...)
	ik = append(ik, 0)
	ik = append(ik, k[:len(k)-2]...)
	return append(ik, k[len(k)-1]), nil
}
