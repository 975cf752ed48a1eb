package widget

// This file is the one place where the widget applies the privacy rules that live elsewhere:
// who may see a record (Access: CRM visibility and disabled orgs) and what of a record may be
// sent for matching (the privacy package's allowlists and email hashing). The handler calls
// nothing else for them.

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/crmlink/crmlink/crm"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/privacy"
)

// Access decides whether a CRM user may see a record through the widget. The handler asks it
// before every read and every write of a record, so that nobody sees or changes through the
// widget what they could not see in the CRM.
//
// Check returns nil when user may see rec; an error wrapping [ErrDisabled] when rec's org has
// the integration disabled; an error wrapping [ErrNotVisible] when user may not see rec, which
// must not depend on whether rec has a mapping. Implementations must be safe for concurrent use.
type Access interface {
	Check(ctx context.Context, user string, rec override.RecordRef) error
}

// OrgAccess is the in-memory [Access]: per org, the CRM's visibility rules ([crm.Visibility])
// and the owner of each record (record ID → owner user ID, IDs only), and whether the org is
// disabled. A record whose owner is unknown is not visible: what cannot be proven visible is
// hidden. An org never configured is not visible to anyone. The zero value is ready to use and
// it is safe for concurrent use.
type OrgAccess struct {
	mu   sync.RWMutex
	orgs map[string]*orgRules
}

type orgRules struct {
	vis      *crm.Visibility
	owners   map[string]string
	disabled bool
}

// SetOrg sets the visibility rules of org and the owners of its records (owners is copied).
// It keeps the org's disabled state.
func (a *OrgAccess) SetOrg(org string, vis *crm.Visibility, owners map[string]string) {
	cp := make(map[string]string, len(owners))
	for k, v := range owners {
		cp[k] = v
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.orgs == nil {
		a.orgs = make(map[string]*orgRules)
	}
	r := a.orgs[org]
	if r == nil {
		r = &orgRules{}
		a.orgs[org] = r
	}
	r.vis, r.owners = vis, cp
}

// SetDisabled disables (true) or enables (false) the integration for org.
func (a *OrgAccess) SetDisabled(org string, disabled bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.orgs == nil {
		a.orgs = make(map[string]*orgRules)
	}
	r := a.orgs[org]
	if r == nil {
		r = &orgRules{}
		a.orgs[org] = r
	}
	r.disabled = disabled
}

// Check implements [Access].
func (a *OrgAccess) Check(ctx context.Context, user string, rec override.RecordRef) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	a.mu.RLock()
	r := a.orgs[rec.Org]
	var (
		vis      *crm.Visibility
		owner    string
		known    bool
		disabled bool
	)
	if r != nil {
		vis, disabled = r.vis, r.disabled
		owner, known = r.owners[rec.ID]
	}
	a.mu.RUnlock()
	if disabled {
		return fmt.Errorf("widget: org %s: %w", rec.Org, ErrDisabled)
	}
	if vis == nil || !known || !vis.CanSee(user, owner, crm.Object(rec.Object)) {
		return fmt.Errorf("widget: %s for user %s: %w", rec, user, ErrNotVisible)
	}
	return nil
}

var _ Access = (*OrgAccess)(nil)

// emailHashParam is the member parameter that carries an email as its SHA-256 (hex), as
// [EmailHash] computes it, instead of the address.
const emailHashParam = "email_sha256"

// companyQuery builds the engine's query from a request's parameters, refusing any parameter
// outside the privacy allowlist of companies.
func companyQuery(params map[string]string) (matcher.CompanyQuery, error) {
	if err := checkAllowed(privacy.KindCompany, params, false); err != nil {
		return matcher.CompanyQuery{}, err
	}
	c := privacy.CompanyFromFields(params)
	if c.Empty() {
		return matcher.CompanyQuery{}, fmt.Errorf("widget: company parameters: %w: nothing to match on", ErrInvalidRequest)
	}
	return matcher.CompanyQuery{Name: c.Name, Industry: c.Industry, Location: c.Location, Website: c.Website}, nil
}

// memberQuery builds the engine's query from a request's parameters, refusing any parameter
// outside the privacy allowlist of members. With hashOnly, a clear email is refused and only
// email_sha256 is accepted.
//
// The engine's MemberQuery takes a clear address only, so a member sent with its email's hash
// alone is matched on its other fields; the hash is checked and then not used.
func memberQuery(params map[string]string, hashOnly bool) (matcher.MemberQuery, error) {
	if err := checkAllowed(privacy.KindMember, params, true); err != nil {
		return matcher.MemberQuery{}, err
	}
	if h, ok := params[emailHashParam]; ok && !isHexHash(h) {
		return matcher.MemberQuery{}, fmt.Errorf("widget: member parameters: %w: %s is not a SHA-256 in hex", ErrInvalidRequest, emailHashParam)
	}
	if hashOnly && params["email"] != "" {
		return matcher.MemberQuery{}, fmt.Errorf("widget: member parameters: %w: a clear email is refused, send %s", ErrInvalidRequest, emailHashParam)
	}
	m := privacy.MemberFromFields(params)
	if m.Empty() {
		return matcher.MemberQuery{}, fmt.Errorf("widget: member parameters: %w: nothing to match on", ErrInvalidRequest)
	}
	return matcher.MemberQuery{FirstName: m.FirstName, LastName: m.LastName, Company: m.Company, Title: m.Title, Email: m.Email, Location: m.Location}, nil
}

// checkAllowed refuses a parameter the allowlist of k does not name (and, for members, the
// email hash parameter when hashParam is true is allowed too). It names the parameter, never
// its value.
func checkAllowed(k privacy.Kind, params map[string]string, hashParam bool) error {
	if len(params) > 8 {
		return fmt.Errorf("widget: %s parameters: %w: too many", k, ErrInvalidRequest)
	}
	for name, v := range params {
		if !(privacy.Allowed(k, name) && name == strings.ToLower(name)) && !(hashParam && name == emailHashParam) {
			return fmt.Errorf("widget: %s parameters: %w: %q is not allowed", k, ErrInvalidRequest, name)
		}
		if len(v) > maxParamLen {
			return fmt.Errorf("widget: %s parameters: %w: %s is too long", k, ErrInvalidRequest, name)
		}
	}
	return nil
}

// maxParamLen bounds one parameter value, in bytes.
const maxParamLen = 256

func isHexHash(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// EmailHash returns the value a partner's page puts in a member tag's data-email-sha256
// attribute, so that the address never reaches the browser: the SHA-256, in hex, of the
// normalised address (privacy.HashEmail). ok is false when addr is not an email address.
func EmailHash(addr string) (hash string, ok bool) {
	h, ok := privacy.HashEmail(addr)
	if !ok {
		return "", false
	}
	return h.String(), true
}
