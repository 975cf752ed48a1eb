package salesforce

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/crm/internal/httpx"
)

// JWTConfig is Salesforce's OAuth 2.0 JWT bearer flow: a connected app with an uploaded
// certificate and a pre-approved user. golang.org/x/oauth2/jwt does not fit it exactly (it names
// the issuer "Email" and expects Google's token fields), so this package signs the assertion
// itself: RS256, that is RSASSA-PKCS1-v1_5 with SHA-256 over base64url(header) "."
// base64url(claims), with the standard library (see [signJWT]).
type JWTConfig struct {
	ClientID   string          // the connected app's consumer key (claim iss)
	Username   string          // the Salesforce username to act as (claim sub)
	PrivateKey *rsa.PrivateKey // the key of the certificate uploaded to the connected app
	// Audience is "https://login.salesforce.com" (default), "https://test.salesforce.com" for
	// sandboxes, or a community URL.
	Audience string
	// TokenURL defaults to "https://login.salesforce.com/services/oauth2/token" (or the test host's
	// when Audience is the sandbox one). It must be HTTPS.
	TokenURL string
	// HTTPClient posts the assertion (default: a client with a 30s timeout).
	HTTPClient *http.Client
	// Lifetime is the assertion's validity, at most 3 minutes as Salesforce requires (default).
	Lifetime time.Duration
}

// String describes the configuration without the key.
func (c JWTConfig) String() string {
	return "salesforce.JWTConfig(" + c.ClientID + ", " + c.Username + ", key [redacted])"
}

// LogValue implements [slog.LogValuer] without the key.
func (c JWTConfig) LogValue() slog.Value {
	return slog.GroupValue(slog.String("client_id", c.ClientID), slog.String("username", c.Username), slog.String("key", "[redacted]"))
}

// ParseRSAPrivateKey parses a PEM "RSA PRIVATE KEY" (PKCS #1) or "PRIVATE KEY" (PKCS #8) block.
// The error never quotes the key.
func ParseRSAPrivateKey(pemBytes []byte) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode(pemBytes)
	if block == nil {
		return nil, fmt.Errorf("salesforce: parse key: %w: no PEM block", crm.ErrInvalid)
	}
	if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("salesforce: parse key: %w: not a PKCS #1 or #8 key", crm.ErrInvalid)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("salesforce: parse key: %w: not an RSA key", crm.ErrInvalid)
	}
	return rk, nil
}

// TokenSource returns a source that posts a freshly signed assertion on every call (Salesforce
// returns no refresh token and no expiry). ctx bounds the token requests. Use it as
// [Config.TokenSource].
func (c *JWTConfig) TokenSource(ctx context.Context) oauth2.TokenSource {
	return &jwtSource{ctx: ctx, c: *c}
}

type jwtSource struct {
	ctx context.Context
	c   JWTConfig
}

// String hides the key.
func (j *jwtSource) String() string { return "salesforce.JWT(" + j.c.ClientID + ", [redacted])" }

// Token posts a new assertion, bounded by the ctx given to TokenSource.
func (j *jwtSource) Token() (*oauth2.Token, error) { return j.tokenContext(j.ctx) }

// tokenContext posts a new assertion, bounded by ctx (the call's) and the TokenSource's ctx.
func (j *jwtSource) tokenContext(ctx context.Context) (*oauth2.Token, error) {
	if ctx != j.ctx {
		var stop context.CancelFunc
		ctx, stop = mergeDone(ctx, j.ctx)
		defer stop()
	}
	c := j.c
	if c.PrivateKey == nil || c.ClientID == "" || c.Username == "" {
		return nil, fmt.Errorf("salesforce: jwt: %w: ClientID, Username and PrivateKey are required", crm.ErrInvalid)
	}
	aud := c.Audience
	if aud == "" {
		aud = "https://login.salesforce.com"
	}
	tokenURL := c.TokenURL
	if tokenURL == "" {
		tokenURL = strings.TrimSuffix(aud, "/") + "/services/oauth2/token"
	}
	if _, err := httpx.CheckURL("salesforce: jwt", "token URL", tokenURL, false); err != nil {
		return nil, err
	}
	life := c.Lifetime
	if life <= 0 || life > 3*time.Minute {
		life = 3 * time.Minute
	}
	now := time.Now()
	assertion, err := signJWT(c.PrivateKey, jwtClaims{
		Iss: c.ClientID, Sub: c.Username, Aud: aud, Iat: now.Unix(), Exp: now.Add(life).Unix(),
	})
	if err != nil {
		return nil, fmt.Errorf("salesforce: jwt: sign assertion: %w", crm.ErrInvalid)
	}
	form := url.Values{
		"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"},
		"assertion":  {assertion},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("salesforce: jwt: %w", crm.ErrInvalid)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	hc := c.HTTPClient
	if hc == nil {
		hc = httpx.NewClient(30*time.Second, false)
	}
	resp, err := hc.Do(req)
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return nil, &crm.APIError{Op: "authenticate", Cause: cerr}
		}
		return nil, &crm.APIError{Op: "authenticate", Class: crm.ErrUnavailable, Cause: safeCause(err)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if cerr := ctx.Err(); cerr != nil {
		// A response cut short by the caller's deadline or cancellation
		// is that, not a malformed or unavailable server.
		return nil, &crm.APIError{Op: "authenticate", Cause: cerr}
	}
	if err != nil {
		return nil, &crm.APIError{Op: "authenticate", Status: resp.StatusCode, Class: crm.ErrUnavailable, Cause: safeCause(err)}
	}
	if resp.StatusCode != http.StatusOK {
		return nil, &crm.APIError{Op: "authenticate", Status: resp.StatusCode, Code: errorCode(body), Class: crm.ErrUnauthorized}
	}
	var raw map[string]any
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, &crm.APIError{Op: "authenticate", Status: resp.StatusCode, Class: crm.ErrMalformed, Cause: jsonCause(err)}
	}
	at, _ := raw["access_token"].(string)
	if at == "" {
		return nil, &crm.APIError{Op: "authenticate", Status: resp.StatusCode, Class: crm.ErrMalformed, Cause: errors.New("no access_token")}
	}
	tt, _ := raw["token_type"].(string)
	tok := &oauth2.Token{AccessToken: at, TokenType: tt}
	return tok.WithExtra(raw), nil
}

// ClientCredentials returns a source for Salesforce's client-credentials flow (a connected app
// with a "run as" user), posting to cfg.TokenURL, which is the org's My Domain
// "https://MyDomainName.my.salesforce.com/services/oauth2/token". Unlike cfg.TokenSource, it
// fetches a new token on every call, as re-authentication after INVALID_SESSION_ID requires.
// The token response's instance_url is kept in the token's extras.
func ClientCredentials(ctx context.Context, cfg *clientcredentials.Config) oauth2.TokenSource {
	return ccSource{ctx: ctx, cfg: cfg}
}

type ccSource struct {
	ctx context.Context
	cfg *clientcredentials.Config
}

// String hides the secret.
func (c ccSource) String() string {
	return "salesforce.ClientCredentials(" + c.cfg.ClientID + ", [redacted])"
}

// Token fetches a new token, bounded by the ctx given to ClientCredentials.
func (c ccSource) Token() (*oauth2.Token, error) { return c.tokenContext(c.ctx) }

// tokenContext fetches a new token bounded by ctx (the call's) and the source's ctx, whose
// oauth2.HTTPClient value, if any, still selects the HTTP client.
func (c ccSource) tokenContext(ctx context.Context) (*oauth2.Token, error) {
	if ctx != c.ctx {
		var stop context.CancelFunc
		ctx, stop = mergeDone(ctx, c.ctx)
		defer stop()
		if hc := c.ctx.Value(oauth2.HTTPClient); hc != nil {
			ctx = context.WithValue(ctx, oauth2.HTTPClient, hc)
		}
	}
	if _, err := httpx.CheckURL("salesforce: client credentials", "token URL", c.cfg.TokenURL, false); err != nil {
		return nil, err
	}
	tok, err := c.cfg.Token(ctx)
	if err != nil {
		return nil, httpx.TokenError(ctx, "authenticate", err)
	}
	return tok, nil
}

// mergeDone returns a ctx derived from call that is also canceled when base is done.
func mergeDone(call, base context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(call)
	stop := context.AfterFunc(base, func() { cancel(context.Cause(base)) })
	return ctx, func() {
		stop()
		cancel(nil)
	}
}

// jwtClaims are the claims of Salesforce's JWT bearer assertion.
type jwtClaims struct {
	Iss string `json:"iss"` // the connected app's consumer key
	Sub string `json:"sub"` // the username
	Aud string `json:"aud"` // the login host
	Iat int64  `json:"iat"`
	Exp int64  `json:"exp"` // at most 3 minutes ahead
}

// jwtHeader is the JOSE header of an RS256 JWT.
var jwtHeader = base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"RS256","typ":"JWT"}`))

// signJWT returns the compact JWS of claims signed with RS256 (RFC 7515, RFC 7518 §3.3):
// base64url(header) "." base64url(claims) "." base64url(RSASSA-PKCS1-v1_5(SHA-256(first two))).
func signJWT(key *rsa.PrivateKey, claims jwtClaims) (string, error) {
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	signed := jwtHeader + "." + base64.RawURLEncoding.EncodeToString(payload)
	sum := sha256.Sum256([]byte(signed))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		return "", err
	}
	return signed + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}
