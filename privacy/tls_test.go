package privacy_test

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmlink/crmlink/privacy"
)

func TestClientTLSOnly(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "ok") })
	tlsSrv := httptest.NewTLSServer(ok)
	t.Cleanup(tlsSrv.Close)
	plain := httptest.NewServer(ok)
	t.Cleanup(plain.Close)
	pool := x509.NewCertPool()
	pool.AddCert(tlsSrv.Certificate())

	get := func(c *http.Client, url string) error {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
		require.NoError(t, err)
		resp, err := c.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		assert.Equal(t, "ok", string(b))
		return nil
	}
	c := privacy.NewClient(privacy.WithRootCAs(pool))
	assert.True(t, privacy.Secure(c))
	assert.False(t, privacy.Secure(http.DefaultClient))
	assert.NoError(t, get(c, tlsSrv.URL))
	err := get(c, plain.URL)
	assert.ErrorIs(t, err, privacy.ErrInsecure, "plain http to loopback without opt-in")
	assert.ErrorIs(t, get(c, "http://crm.example.com/x"), privacy.ErrInsecure)

	lb := privacy.NewClient(privacy.AllowLoopbackHTTP())
	assert.NoError(t, get(lb, plain.URL))
	assert.ErrorIs(t, get(lb, "http://crm.example.com/x"), privacy.ErrInsecure, "opt-in is for loopback only")

	// A redirect from HTTPS to plain HTTP is refused.
	redir := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://crm.example.com/leak", http.StatusFound)
	}))
	t.Cleanup(redir.Close)
	pool.AddCert(redir.Certificate())
	assert.ErrorIs(t, get(c, redir.URL), privacy.ErrInsecure)

	// A server offering only TLS 1.1 is refused by the TLS floor.
	old := httptest.NewUnstartedServer(ok)
	old.TLS = &tls.Config{MaxVersion: tls.VersionTLS11}
	old.StartTLS()
	t.Cleanup(old.Close)
	pool.AddCert(old.Certificate())
	err = get(c, old.URL)
	require.Error(t, err)
	assert.NotErrorIs(t, err, privacy.ErrInsecure, "refused by the handshake, not the scheme")
	// The base transport's lower floor is raised.
	weak := &http.Transport{TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS10}}
	c2 := privacy.NewClient(privacy.WithBaseTransport(weak), privacy.WithRootCAs(pool))
	assert.Error(t, get(c2, old.URL))
	assert.NoError(t, get(c2, tlsSrv.URL))
	assert.Equal(t, uint16(tls.VersionTLS10), weak.TLSClientConfig.MinVersion, "base transport changed")
}

func TestCheckURL(t *testing.T) {
	cases := []struct {
		raw      string
		loopback bool
		ok       bool
	}{
		{"https://x.my.salesforce.com", false, true},
		{"http://x.my.salesforce.com", false, false},
		{"http://x.my.salesforce.com", true, false},
		{"http://127.0.0.1:8080/", true, true},
		{"http://[::1]:8080/", true, true},
		{"http://localhost/", true, true},
		{"http://localhost/", false, false},
		{"ftp://x", true, false},
		{"x.my.salesforce.com", false, false},
	}
	for _, tc := range cases {
		var opts []privacy.TLSOption
		if tc.loopback {
			opts = append(opts, privacy.AllowLoopbackHTTP())
		}
		_, err := privacy.CheckURL("org URL", tc.raw, opts...)
		assert.Equal(t, tc.ok, err == nil, "CheckURL(%q, loopback=%v) = %v", tc.raw, tc.loopback, err)
	}
	_, err := privacy.CheckURL("org URL", "http://u:pw123@crm.example.com/a?b=c")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "pw123")
	assert.NotContains(t, err.Error(), "b=c")
}
