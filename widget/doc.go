// Package widget is the embedded profile widget: an [http.Handler] a partner service mounts to
// show, inside a CRM record page (lead, contact, account, opportunity), the network profile the
// record is linked to, with the other candidates to pick from.
//
// The Handler serves a plain JavaScript file (no build step, nothing fetched from elsewhere)
// that a CRM page embeds with one script tag, and the JSON API it calls. The script finds the
// page's tags (elements with data-crmlink, carrying the record's object, ID and allowlisted
// parameters as data attributes), sends only those parameters, and renders in each tag the best
// profile, how it was found (manual choice, CRM sync, match), its score with the engine's
// explanation in words, the other candidates (choosing one stores a manual mapping; "not this
// one" stores a rejection), and the viewer's connection degree to each member; or a clear state
// for loading, no match, ambiguous, not visible, disabled org, an expired session and errors.
// It uses buttons, headings and a status region, so it works with a keyboard and a screen
// reader.
//
// # Partners, keys and viewers
//
// [Keys] holds partner API keys per environment ([Development], [Test], [Production]) as
// SHA-256 hashes: a key is shown once, at [Keys.Create] or [Keys.Rotate], compared in constant
// time, and can be revoked. The browser never holds a key: the partner's server mints a
// short-lived signed viewer token (org, CRM user, environment, expiry) with [Handler.Mint] or
// POST /v1/tokens, and puts it on the script tag. A token reaches only its key's environment
// ([WithEnvironment] serves each from its own [Backend]) and orgs; revoking or rotating the key
// voids its tokens.
//
// # What is checked
//
// HTTPS only (plain HTTP from loopback with [WithLoopbackHTTP]), HSTS, a Content-Security-Policy
// allowing only the handler's own script, frame-ancestors and CORS limited to the CRM origins
// of [WithOrigins], a request size limit, a rate limit per key, unknown JSON fields and
// parameters outside the privacy allowlist refused, and every read or write of a record made
// through the Resolver for the token's viewer, which checks the org's disabled state and the
// CRM's visibility for that user before it reads anything ([ErrDisabled], [ErrNotVisible]).
// Refusals are JSON {"error": code, "message": text}; [StatusOf] lists them. Nothing of a
// record's parameters, no key and no token is logged.
//
// # Personalisation
//
// [Seats] finds the viewer's own member profile from the CRM user's seat, and [Connections]
// tells the degree of connection and the shared connections to each member candidate. The card
// shows them; matching never uses them. [MemoryConnections], [SeatMap] and [MemoryProfiles] are
// the in-memory implementations, with CSV loaders where data comes as files.
package widget
