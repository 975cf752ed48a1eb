package salesforce

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSignJWTVerifiesWithPublicKey(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	claims := jwtClaims{Iss: "3MVG9fake", Sub: "integration@acme.example", Aud: "https://login.salesforce.com", Iat: 1716392812, Exp: 1716392992}
	tok, err := signJWT(key, claims)
	require.NoError(t, err)

	parts := strings.Split(tok, ".")
	require.Len(t, parts, 3, "compact JWS")
	hdr, err := base64.RawURLEncoding.DecodeString(parts[0])
	require.NoError(t, err)
	var h map[string]string
	require.NoError(t, json.Unmarshal(hdr, &h))
	assert.Equal(t, map[string]string{"alg": "RS256", "typ": "JWT"}, h)

	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	var got jwtClaims
	require.NoError(t, json.Unmarshal(payload, &got))
	assert.Equal(t, claims, got)

	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	require.NoError(t, err)
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	require.NoError(t, rsa.VerifyPKCS1v15(&key.PublicKey, crypto.SHA256, sum[:], sig), "signature verifies with the public key")

	// Any change to the signed part breaks the signature.
	tampered := sha256.Sum256([]byte(parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"iss":"3MVG9fake","sub":"admin@acme.example"}`))))
	assert.Error(t, rsa.VerifyPKCS1v15(&key.PublicKey, crypto.SHA256, tampered[:], sig))
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	assert.Error(t, rsa.VerifyPKCS1v15(&other.PublicKey, crypto.SHA256, sum[:], sig), "another key does not verify it")
}
