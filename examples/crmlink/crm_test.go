package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// CRM records matched against the fixtures' directory: two accounts, two contacts, one lead.
const fakeTotal = "total: read=5 linked=5 ambiguous=0 none=0 linked_share=1.000"

func TestSalesforce(t *testing.T) {
	const secret = "s3cr3t-Client-Secret-9f2k"
	pub, keyFile := rsaKeyFile(t)
	f, ca := newSFFake(t, secret, pub)
	store := "bolt:" + filepath.Join(t.TempDir(), "sf.db")
	cc := []string{"CRMLINK_SF_CLIENT_ID=3MVG9cli", "CRMLINK_SF_CLIENT_SECRET=" + secret,
		"CRMLINK_SF_INSTANCE_URL=" + f.srv.URL, "CRMLINK_CA_FILE=" + ca}

	r := call(t, cc, "", syncArgs("salesforce", store)...)
	r.want(t, 0)
	assert.Contains(t, r.stdout, fakeTotal)
	assert.Contains(t, r.stdout, "accounts: read=2 ")
	assert.NotContains(t, r.stdout+r.stderr, secret)

	// JWT bearer, trusting the fake through SSL_CERT_FILE instead.
	jwt := []string{"CRMLINK_SF_CLIENT_ID=3MVG9jwt", "CRMLINK_SF_USERNAME=integration@acme.example",
		"CRMLINK_SF_JWT_KEY_FILE=" + keyFile, "CRMLINK_SF_TOKEN_URL=" + f.srv.URL + "/services/oauth2/token", "SSL_CERT_FILE=" + ca}
	contact := sfID("003", 1)
	r = call(t, jwt, "", "resolve", "-crm", "salesforce", "-org", org, "-store", store, "-object", "contact", "-id", contact, "-viewer", sfUser(1))
	r.want(t, 0)
	assert.Equal(t, "record: 00D1/contact/"+contact+"\nvia: sync\nentity: member/m1\n", r.stdout)
	r = call(t, jwt, "", "resolve", "-crm", "salesforce", "-org", org, "-store", store, "-object", "contact", "-id", contact, "-viewer", sfUser(2))
	r.want(t, 1, "may not see it")
	// The org-wide default makes contacts public.
	call(t, jwt, "", "resolve", "-crm", "salesforce", "-org", org, "-store", store, "-object", "contact", "-id", contact,
		"-viewer", sfUser(2), "-defaults", "contact=public-read").want(t, 0)
	r = call(t, jwt, "", "resolve", "-crm", "salesforce", "-org", org, "-store", store, "-object", "lead", "-id", sfID("00Q", 9), "-viewer", sfUser(1))
	r.want(t, 1, "00D1/lead/"+sfID("00Q", 9)+": not found in the CRM")

	// Write-back: InMails and messages become Tasks; a second run finds them by their marker.
	acts := writeTemp(t, "acts.csv", "external_key,kind,object,record_id,subject,body\n"+
		"im-1,inmail,contact,"+contact+",Hello,x\n"+
		"ms-1,message,account,"+sfID("001", 2)+",Follow-up,y\n")
	wb := []string{"writeback", "-crm", "salesforce", "-org", org, "-store", store, "-activities", acts}
	r = call(t, jwt, "", append(wb, "-viewer", sfUser(1))...)
	r.want(t, 0)
	assert.Regexp(t, `^`+acts+`:2\t00T\w{15}\tcreated\n`+acts+`:3\t00T\w{15}\tcreated\n$`, r.stdout)
	r = call(t, jwt, "", append(wb, "-viewer", sfUser(1))...)
	r.want(t, 0)
	assert.Equal(t, 2, strings.Count(r.stdout, "\talready there\n"), r.stdout)
	r = call(t, jwt, "", append(wb, "-viewer", sfUser(2))...)
	r.want(t, 1, acts+":2: ", acts+":3: ", "may not see it")
	f.mu.Lock()
	assert.Len(t, f.tasks, 2)
	f.mu.Unlock()

	// A wrong secret fails the run, and the secret appears nowhere.
	bad := []string{"CRMLINK_SF_CLIENT_ID=3MVG9cli", "CRMLINK_SF_CLIENT_SECRET=wrong-" + secret,
		"CRMLINK_SF_INSTANCE_URL=" + f.srv.URL, "CRMLINK_CA_FILE=" + ca}
	r = call(t, bad, "", syncArgs("salesforce", store)...)
	r.want(t, 1, "connect to salesforce")
	assert.NotContains(t, r.stderr, secret)
	assert.Equal(t, 1, strings.Count(r.stderr, "\n"), r.stderr)
	// Without the CA the fake's certificate is refused.
	r = call(t, cc[:3], "", syncArgs("salesforce", store)...)
	r.want(t, 1, "certificate")
	assert.NotContains(t, r.stderr, secret)
	// Secrets from a config file work the same.
	cfg := writeTemp(t, "sf.json", `{"salesforce": {"client_id": "3MVG9cli", "client_secret": "`+secret+`", "instance_url": "`+f.srv.URL+`"}, "ca_file": "`+ca+`"}`)
	r = exe(t, append(syncArgs("salesforce", store, "-full"), "-config", cfg)...)
	r.want(t, 0)
	assert.Contains(t, r.stdout, "accounts: read=2 ")
}

func TestDynamics(t *testing.T) {
	const secret = "dyn~Secret.Value_42"
	f, ca := newDynFake(t, secret)
	store := "bolt:" + filepath.Join(t.TempDir(), "dyn.db")
	env := []string{"CRMLINK_DYN_URL=" + f.srv.URL, "CRMLINK_DYN_CLIENT_ID=app-1", "CRMLINK_DYN_CLIENT_SECRET=" + secret,
		"CRMLINK_DYN_TENANT_ID=tenant-1", "CRMLINK_DYN_TOKEN_URL=" + f.srv.URL + "/tenant-1/oauth2/v2.0/token", "SSL_CERT_FILE=" + ca}
	r := call(t, env, "", syncArgs("dynamics", store)...)
	r.want(t, 0)
	assert.Contains(t, r.stdout, fakeTotal)
	assert.NotContains(t, r.stdout+r.stderr, secret)

	account := dynID(dynAccount, 2)
	r = call(t, env, "", "resolve", "-crm", "dynamics", "-org", org, "-store", store, "-object", "account", "-id", account, "-viewer", dynID(dynUser, 1))
	r.want(t, 0)
	assert.Equal(t, "record: 00D1/account/"+account+"\nvia: sync\nentity: company/c2\n", r.stdout)
	r = call(t, env, "", "reject", "-crm", "dynamics", "-org", org, "-store", store, "-object", "account", "-id", account,
		"-viewer", dynID(dynUser, 1), "-entity", "company/c2")
	r.want(t, 0)
	r = call(t, env, "", "resolve", "-crm", "dynamics", "-org", org, "-store", store, "-object", "account", "-id", account,
		"-viewer", dynID(dynUser, 1), "-companies", companies)
	r.want(t, 0)
	assert.Contains(t, r.stdout, "via: match\n")
	assert.NotContains(t, r.stdout, "company/c2")
	r = call(t, env, "", "resolve", "-crm", "dynamics", "-org", org, "-store", store, "-object", "account", "-id", account, "-viewer", dynID(dynUser, 2))
	r.want(t, 1, "may not see it")

	// Write-back: an InMail on a contact becomes a task, a note on an account an annotation.
	acts := writeTemp(t, "acts.jsonl",
		`{"external_key":"im-1","kind":"inmail","object":"contact","record_id":"`+dynID(dynContact, 1)+`","subject":"Hello","body":"x","occurred_at":"2024-04-01T10:00:00Z"}`+"\n"+
			`{"external_key":"nt-1","kind":"note","object":"account","record_id":"`+dynID(dynAccount, 2)+`","subject":"Call","body":"y"}`+"\n")
	wb := []string{"writeback", "-crm", "dynamics", "-org", org, "-store", store, "-activities", acts}
	r = call(t, env, "", append(wb, "-viewer", dynID(dynUser, 1))...)
	r.want(t, 0)
	assert.Regexp(t, `^`+acts+`:1\t00000009-\S+\tcreated\n`+acts+`:2\t00000009-\S+\tcreated\n$`, r.stdout)
	r = call(t, env, "", append(wb, "-viewer", dynID(dynUser, 1))...)
	r.want(t, 0)
	assert.Equal(t, 2, strings.Count(r.stdout, "\talready there\n"), r.stdout)
	r = call(t, env, "", append(wb, "-viewer", dynID(dynUser, 2))...)
	r.want(t, 1, acts+":1: ", acts+":2: ", "may not see it")
	f.mu.Lock()
	assert.Len(t, f.written, 2)
	f.mu.Unlock()

	bad := append(env[:2:2], "CRMLINK_DYN_CLIENT_SECRET=nope-"+secret, env[3], env[4], env[5])
	r = call(t, bad, "", syncArgs("dynamics", store)...)
	r.want(t, 1, "connect to dynamics")
	assert.NotContains(t, r.stderr, secret)
}
