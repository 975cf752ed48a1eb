package admin

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/crmlink/crmlink/widget"
)

// Option configures a [Handler] beyond its [Config].
type Option func(*Handler)

// WithKeys shows the partner keys of the credential's org in the console, per environment, and
// lets the admin create and revoke them in keys, the store the widget's handler
// ([widget.New]) authenticates partners with. A created key is shown once, on the page that
// answers the creation; the console lists only descriptions (ID, partner, environment, date,
// state), never a key. A key that also reaches other orgs is listed but cannot be revoked from
// one org's console.
func WithKeys(keys *widget.Keys) Option {
	return func(h *Handler) { h.keys = keys }
}

// WithClock sets the clock new keys are dated with (default time.Now).
func WithClock(now func() time.Time) Option {
	return func(h *Handler) { h.now = now }
}

// keyEnvs are the environments the console lists keys for, in order.
var keyEnvs = []widget.Env{widget.Production, widget.Test, widget.Development}

// envKeys is the list of one environment's keys on the page.
type envKeys struct {
	Env  widget.Env
	Keys []keyRow
}

// keyRow is one key's description on the page.
type keyRow struct {
	widget.KeyInfo
	Shared bool // the key reaches other orgs too: not revocable from this console
}

// orgKeys returns the keys that reach org, per environment.
func (h *Handler) orgKeys(org string) []envKeys {
	out := make([]envKeys, 0, len(keyEnvs))
	for _, env := range keyEnvs {
		out = append(out, envKeys{Env: env})
	}
	for _, k := range h.keys.List() {
		if !slices.Contains(k.Orgs, org) {
			continue
		}
		i := slices.Index(keyEnvs, k.Env)
		if i < 0 {
			continue
		}
		out[i].Keys = append(out[i].Keys, keyRow{KeyInfo: k, Shared: len(k.Orgs) > 1})
	}
	return out
}

// createKey serves POST /keys: a key for the org in the chosen environment, shown once.
func (h *Handler) createKey(w http.ResponseWriter, r *http.Request, org string) {
	if h.keys == nil {
		http.NotFound(w, r)
		return
	}
	partner := strings.TrimSpace(r.FormValue("partner"))
	env := widget.Env(r.FormValue("env"))
	if partner == "" || len(partner) > 100 || !env.Valid() {
		h.answer(w, r, org, http.StatusBadRequest, "No key was created: name the partner (at most 100 characters) and choose an environment.", "")
		return
	}
	key, _, err := h.keys.Create(partner, env, []string{org}, h.now())
	if err != nil {
		h.fail(w, r, "create key", err)
		return
	}
	h.answer(w, r, org, http.StatusOK, "Key created for "+string(env)+". Copy it now from the partner keys below: it is shown only this once.", key)
}

// revokeKey serves POST /revoke-key (form field id) for a key of the org only. The path is at
// the console's root so that the page it answers keeps the relative links and forms working.
func (h *Handler) revokeKey(w http.ResponseWriter, r *http.Request, org string) {
	if h.keys == nil {
		http.NotFound(w, r)
		return
	}
	id := r.FormValue("id")
	info, ok := h.keys.Info(id)
	if !ok || !slices.Contains(info.Orgs, org) {
		// Another org's key is answered like an unknown one: nothing about it is disclosed.
		h.answer(w, r, org, http.StatusNotFound, "No such key for this org.", "")
		return
	}
	if len(info.Orgs) > 1 {
		h.answer(w, r, org, http.StatusForbidden, "Key "+id+" also reaches other orgs: it is revoked by its issuer, not from one org's console.", "")
		return
	}
	if err := h.keys.Revoke(id); err != nil && !errors.Is(err, widget.ErrUnknownKey) {
		h.fail(w, r, "revoke key", err)
		return
	}
	h.answer(w, r, org, http.StatusOK, "Key "+id+" revoked: it mints nothing from now on and its viewer tokens are refused.", "")
}

// answer renders the page with a message, and a new key to show once when key is not empty.
func (h *Handler) answer(w http.ResponseWriter, r *http.Request, org string, status int, msg, key string) {
	v, err := h.view(r, org)
	if err != nil {
		h.fail(w, r, "read org state", err)
		return
	}
	v.Message, v.NewKey = msg, key
	var buf strings.Builder
	if err := pageTmpl.Execute(&buf, v); err != nil {
		h.fail(w, r, "render page", err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write([]byte(buf.String()))
}
