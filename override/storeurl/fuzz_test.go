package storeurl

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzParse checks that parse never panics and that no error repeats the
// password of the URL it was given.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"mem:", "bolt:///tmp/x.db?lock_timeout=1s", "postgres://u:pw@h:5432/db?sslmode=disable&crmlink_schema=s",
		"postgresql://u:p%40ss@h/db", "bolt://h/x", "postgres://u:secret@h:port/db", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		tg, err := parse(raw)
		if err == nil {
			if tg.scheme == "bolt" && !strings.HasPrefix(tg.path, "/") {
				t.Fatalf("parse(%q) accepted relative bolt path %q", raw, tg.path)
			}
			return
		}
		_, rest, ok := strings.Cut(raw, "://")
		if !ok {
			return
		}
		userinfo, _, ok := strings.Cut(rest, "@")
		if !ok {
			return
		}
		_, pw, ok := strings.Cut(userinfo, ":")
		if ok && len(pw) >= 4 && strings.Contains(err.Error(), pw) {
			t.Fatalf("parse error %q echoes the password %q", err, pw)
		}
		if dec, e := url.PathUnescape(pw); e == nil && len(dec) >= 4 && strings.Contains(err.Error(), dec) {
			t.Fatalf("parse error %q echoes the password %q", err, dec)
		}
	})
}
