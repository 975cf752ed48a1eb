package widget

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// Env is the environment a partner key belongs to. A key of one environment reaches only that
// environment's data: the viewer tokens it mints carry its environment, and the handler serves
// each environment from its own [Backend].
type Env string

// The environments of a partner.
const (
	Development Env = "development"
	Test        Env = "test"
	Production  Env = "production"
)

// Valid reports whether e is one of Development, Test and Production.
func (e Env) Valid() bool { return e == Development || e == Test || e == Production }

// short is the environment's tag inside a key.
func (e Env) short() string {
	switch e {
	case Development:
		return "dev"
	case Test:
		return "test"
	case Production:
		return "live"
	}
	return ""
}

// KeyInfo describes a partner API key; it never holds the key itself.
type KeyInfo struct {
	ID      string    // public identifier of the key, part of the key and of every token it mints
	Partner string    // the partner the key was issued to
	Env     Env       // the environment whose data the key reaches
	Orgs    []string  // the CRM orgs the key may mint viewer tokens for
	Created time.Time // when the key was created or last rotated
	Revoked bool      // a revoked key authenticates nothing, and its tokens are refused
}

// Keys holds partner API keys as SHA-256 hashes: the key itself is returned once, by
// [Keys.Create] or [Keys.Rotate], and never stored. Keys are 256-bit random secrets, so a plain
// hash is enough; it is compared in constant time.
//
// A key reads "ck_<env>_<id>_<secret>", env being dev, test or live, so that a key pasted in
// the wrong place is recognisable. Keys is safe for concurrent use; the zero value is ready to
// use. It is in memory: a service that must keep keys across restarts persists the KeyInfo and
// hash returned by [Keys.Export] and feeds them to [Keys.Import].
type Keys struct {
	mu   sync.RWMutex
	byID map[string]*keyEntry
}

type keyEntry struct {
	info KeyInfo
	hash [sha256.Size]byte
}

// StoredKey is what a key store keeps of one key: its description and the SHA-256 of the key.
type StoredKey struct {
	Info KeyInfo
	Hash [sha256.Size]byte
}

// Create issues a new key for partner in env, allowed to mint viewer tokens for orgs, and
// returns it with its description. The key is shown only here: keep it on the partner's server.
func (k *Keys) Create(partner string, env Env, orgs []string, now time.Time) (key string, info KeyInfo, err error) {
	if partner == "" || !env.Valid() || len(orgs) == 0 {
		return "", KeyInfo{}, fmt.Errorf("widget: create key: %w: partner, a valid environment and at least one org are required", ErrInvalidRequest)
	}
	for _, o := range orgs {
		if o == "" {
			return "", KeyInfo{}, fmt.Errorf("widget: create key: %w: empty org", ErrInvalidRequest)
		}
	}
	id, err := randomID(9)
	if err != nil {
		return "", KeyInfo{}, fmt.Errorf("widget: create key: %w", err)
	}
	info = KeyInfo{ID: id, Partner: partner, Env: env, Orgs: slices.Clone(orgs), Created: now.UTC()}
	key, hash, err := newSecret(info)
	if err != nil {
		return "", KeyInfo{}, fmt.Errorf("widget: create key: %w", err)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.byID == nil {
		k.byID = make(map[string]*keyEntry)
	}
	k.byID[id] = &keyEntry{info: info, hash: hash}
	return key, cloneInfo(info), nil
}

// Rotate replaces the secret of key id and returns the new key: the old one stops working at
// once, and so do the viewer tokens it minted (they were minted before the rotation time).
func (k *Keys) Rotate(id string, now time.Time) (key string, err error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	e, ok := k.byID[id]
	if !ok || e.info.Revoked {
		return "", fmt.Errorf("widget: rotate key %s: %w", id, ErrUnknownKey)
	}
	info := e.info
	info.Created = now.UTC()
	key, hash, err := newSecret(info)
	if err != nil {
		return "", fmt.Errorf("widget: rotate key %s: %w", id, err)
	}
	e.info, e.hash = info, hash
	return key, nil
}

// Revoke revokes key id: it authenticates nothing from now on and its tokens are refused.
func (k *Keys) Revoke(id string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	e, ok := k.byID[id]
	if !ok {
		return fmt.Errorf("widget: revoke key %s: %w", id, ErrUnknownKey)
	}
	e.info.Revoked = true
	return nil
}

// Info returns the description of key id.
func (k *Keys) Info(id string) (KeyInfo, bool) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	e, ok := k.byID[id]
	if !ok {
		return KeyInfo{}, false
	}
	return cloneInfo(e.info), true
}

// List returns the descriptions of every key, ordered by ID.
func (k *Keys) List() []KeyInfo {
	k.mu.RLock()
	defer k.mu.RUnlock()
	out := make([]KeyInfo, 0, len(k.byID))
	for _, e := range k.byID {
		out = append(out, cloneInfo(e.info))
	}
	slices.SortFunc(out, func(a, b KeyInfo) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Export returns every key as stored: descriptions and hashes, never a key.
func (k *Keys) Export() []StoredKey {
	k.mu.RLock()
	defer k.mu.RUnlock()
	out := make([]StoredKey, 0, len(k.byID))
	for _, e := range k.byID {
		out = append(out, StoredKey{Info: cloneInfo(e.info), Hash: e.hash})
	}
	slices.SortFunc(out, func(a, b StoredKey) int { return strings.Compare(a.Info.ID, b.Info.ID) })
	return out
}

// Import adds keys exported by [Keys.Export], replacing any of the same ID.
func (k *Keys) Import(keys []StoredKey) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.byID == nil {
		k.byID = make(map[string]*keyEntry)
	}
	for _, s := range keys {
		if s.Info.ID == "" || !s.Info.Env.Valid() {
			return fmt.Errorf("widget: import keys: %w: a key without ID or environment", ErrInvalidRequest)
		}
		k.byID[s.Info.ID] = &keyEntry{info: cloneInfo(s.Info), hash: s.Hash}
	}
	return nil
}

// Verify returns the description of key, if it is a key of this set that is not revoked. The
// hash is compared in constant time; errors wrap [ErrUnknownKey] or [ErrRevokedKey] and never
// quote the key.
func (k *Keys) Verify(key string) (KeyInfo, error) {
	env, id, ok := parseKey(key)
	if !ok {
		return KeyInfo{}, fmt.Errorf("widget: verify key: %w", ErrUnknownKey)
	}
	k.mu.RLock()
	e, found := k.byID[id]
	var info KeyInfo
	var want [sha256.Size]byte
	if found {
		info, want = e.info, e.hash
	}
	k.mu.RUnlock()
	got := sha256.Sum256([]byte(key))
	if subtle.ConstantTimeCompare(got[:], want[:]) != 1 || !found || info.Env.short() != env {
		return KeyInfo{}, fmt.Errorf("widget: verify key: %w", ErrUnknownKey)
	}
	if info.Revoked {
		return KeyInfo{}, fmt.Errorf("widget: verify key %s: %w", id, ErrRevokedKey)
	}
	return cloneInfo(info), nil
}

// current returns the description of key id for a token check: the key must exist, not be
// revoked, and not have been rotated after the token was minted.
func (k *Keys) current(id string, minted time.Time) (KeyInfo, error) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	e, ok := k.byID[id]
	if !ok {
		return KeyInfo{}, ErrUnknownKey
	}
	if e.info.Revoked {
		return KeyInfo{}, ErrRevokedKey
	}
	if minted.Before(e.info.Created.Truncate(time.Second)) {
		return KeyInfo{}, ErrRevokedKey
	}
	return e.info, nil
}

func newSecret(info KeyInfo) (string, [sha256.Size]byte, error) {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return "", [sha256.Size]byte{}, err
	}
	key := "ck_" + info.Env.short() + "_" + info.ID + "_" + base64.RawURLEncoding.EncodeToString(secret)
	return key, sha256.Sum256([]byte(key)), nil
}

// parseKey splits "ck_<env>_<id>_<secret>".
func parseKey(key string) (env, id string, ok bool) {
	rest, ok := strings.CutPrefix(key, "ck_")
	if !ok || len(key) > 128 {
		return "", "", false
	}
	parts := strings.SplitN(rest, "_", 3)
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return "", "", false
	}
	return parts[0], parts[1], true
}

func randomID(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

func cloneInfo(i KeyInfo) KeyInfo {
	i.Orgs = slices.Clone(i.Orgs)
	return i
}
