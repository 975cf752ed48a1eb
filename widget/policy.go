package widget

// This file is the one place where the widget meets the privacy rules that live elsewhere: who
// may see a record (the Resolver's viewer check: CRM visibility and disabled orgs, whose errors
// are classified here) and what of a record may be sent for matching (the privacy package's
// allowlists and email hashing). The handler calls nothing else for them.

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/crmlink/crmlink"
	"github.com/crmlink/crmlink/matcher"
	"github.com/crmlink/crmlink/override"
	"github.com/crmlink/crmlink/privacy"
)

// viewerOf is the viewer the Resolver checks: the token's org and CRM user. The Resolver
// refuses, before it reads the store, a record of a disabled org and a record the viewer could
// not see in the CRM (crmlink.WithVisibility).
func viewerOf(v Viewer) crmlink.Viewer {
	return crmlink.Viewer{Org: v.Org, User: v.CRMUser}
}

// classify gives the Resolver's refusals the widget's classes: a viewer who may not see the
// record is ErrNotVisible, a disabled org ErrDisabled. Both errors stay reachable with errors.Is
// and errors.As; the answer is the same whether or not the record has a mapping.
func classify(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, override.ErrOrgDisabled):
		return fmt.Errorf("%w: %w", ErrDisabled, err)
	case errors.Is(err, crmlink.ErrNoAccess):
		return fmt.Errorf("%w: %w", ErrNotVisible, err)
	case errors.Is(err, matcher.ErrEmptyQuery):
		return fmt.Errorf("%w: %w", ErrInvalidRequest, err)
	}
	return err
}

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
// The hash finds and scores the member as the clear address would (matcher.MemberQuery's
// EmailHash).
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
	if m.Empty() && params[emailHashParam] == "" {
		return matcher.MemberQuery{}, fmt.Errorf("widget: member parameters: %w: nothing to match on", ErrInvalidRequest)
	}
	q := matcher.MemberQuery{FirstName: m.FirstName, LastName: m.LastName, Company: m.Company, Title: m.Title, Email: m.Email, Location: m.Location}
	if h, ok := params[emailHashParam]; ok && q.Email == "" {
		if _, err := hex.Decode(q.EmailHash[:], []byte(h)); err != nil {
			return matcher.MemberQuery{}, fmt.Errorf("widget: member parameters: %w: %s is not a SHA-256 in hex", ErrInvalidRequest, emailHashParam)
		}
	}
	return q, nil
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
