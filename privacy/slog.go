package privacy

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
)

// HandlerOption configures [NewHandler].
type HandlerOption func(*handlerOptions)

type handlerOptions struct {
	secrets []string
	keys    map[string]bool
}

// WithSecrets makes the handler remove every occurrence of these exact
// strings (a client secret, a DSN password) from messages and values, on top
// of what [Scrub] finds by itself.
func WithSecrets(secrets ...string) HandlerOption {
	return func(o *handlerOptions) { o.secrets = append(o.secrets, secrets...) }
}

// WithSensitiveKeys adds attribute keys whose values are replaced whole by
// [Redacted], on top of [SensitiveKeys].
func WithSensitiveKeys(keys ...string) HandlerOption {
	return func(o *handlerOptions) {
		for _, k := range keys {
			o.keys[keyForm(k)] = true
		}
	}
}

// SensitiveKeys returns the attribute keys whose values a [NewHandler] handler
// replaces whole: those that name a secret (password, secret, token,
// authorization, assertion, api_key, private_key ...) and those that name a
// record field (name, first_name, last_name, email, title, company, website,
// industry, phone, street, city, country, location, description, subject,
// body). Keys are compared ignoring case, '_' and '-'.
func SensitiveKeys() []string {
	return []string{
		"password", "passwd", "pwd", "passphrase", "secret", "client_secret", "token", "access_token",
		"refresh_token", "id_token", "session_id", "authorization", "assertion", "api_key", "private_key",
		"signature", "credentials", "cookie",
		"name", "first_name", "last_name", "full_name", "email", "email_address", "title", "company",
		"website", "industry", "phone", "mobile", "street", "address", "city", "country", "location",
		"description", "subject", "body", "value", "values", "query", "record",
	}
}

func keyForm(k string) string {
	return strings.ToLower(strings.NewReplacer("_", "", "-", "", " ", "").Replace(k))
}

// NewHandler returns a [slog.Handler] that passes every record on to h with
// its message and attribute values scrubbed ([Redact] with the secrets of
// [WithSecrets]): a value whose key is in [SensitiveKeys] becomes [Redacted];
// strings, errors and any other value are scrubbed as text; [slog.LogValuer]s
// are resolved first; groups are walked. Numbers, booleans, times and
// durations pass unchanged, and every key stays, so that a log line still
// says what happened, to what ID, and how many. The handler is safe for
// concurrent use when h is.
func NewHandler(h slog.Handler, opts ...HandlerOption) slog.Handler {
	o := handlerOptions{keys: make(map[string]bool)}
	for _, k := range SensitiveKeys() {
		o.keys[keyForm(k)] = true
	}
	for _, opt := range opts {
		opt(&o)
	}
	return &handler{next: h, o: &o}
}

type handler struct {
	next slog.Handler
	o    *handlerOptions
}

// Enabled reports whether the wrapped handler handles level.
func (h *handler) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

// Handle scrubs r and passes it on.
func (h *handler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, Redact(r.Message, h.o.secrets...), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

// WithAttrs scrubs as and hands them to the wrapped handler.
func (h *handler) WithAttrs(as []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(as))
	for i, a := range as {
		clean[i] = h.attr(a)
	}
	return &handler{next: h.next.WithAttrs(clean), o: h.o}
}

// WithGroup opens a group on the wrapped handler.
func (h *handler) WithGroup(name string) slog.Handler {
	return &handler{next: h.next.WithGroup(name), o: h.o}
}

func (h *handler) attr(a slog.Attr) slog.Attr {
	a.Value = a.Value.Resolve()
	if h.o.keys[keyForm(a.Key)] && a.Value.Kind() != slog.KindGroup {
		if a.Value.Kind() == slog.KindString && a.Value.String() == "" {
			return a // an empty value says "none", which is no secret
		}
		return slog.String(a.Key, Redacted)
	}
	switch a.Value.Kind() {
	case slog.KindString:
		return slog.String(a.Key, Redact(a.Value.String(), h.o.secrets...))
	case slog.KindGroup:
		g := a.Value.Group()
		clean := make([]slog.Attr, len(g))
		for i, ga := range g {
			clean[i] = h.attr(ga)
		}
		return slog.Attr{Key: a.Key, Value: slog.GroupValue(clean...)}
	case slog.KindAny:
		v := a.Value.Any()
		var text string
		if err, ok := v.(error); ok {
			text = err.Error()
		} else {
			text = fmt.Sprint(v)
		}
		return slog.String(a.Key, Redact(text, h.o.secrets...))
	default:
		return a
	}
}
