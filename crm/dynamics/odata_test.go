package dynamics_test

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// A small OData $filter evaluator for the fake: comparisons (eq ne gt ge lt le) of properties,
// lookup paths and lambda variables with literals (numbers, 'strings', null, GUIDs, datetimes),
// and, or, not, parentheses, contains(), and collection/any(v:expr). It interprets the filters
// the client emits for real, so a wrong filter fails a test instead of being pattern-matched.

type node interface {
	eval(f *fakeOrg, set string, r row) any
}

type env struct {
	vars map[string]row // lambda variable -> bound row (entity set "opportunities")
}

type boolOp struct {
	op   string
	l, r node
}

type notOp struct{ x node }

type cmpOp struct {
	op   string
	path string
	lit  any
	e    *env
}

type anyOp struct {
	nav  string
	v    string
	body node
	e    *env
}

type containsOp struct {
	path, sub string
	e         *env
}

func truthy(v any) bool { b, _ := v.(bool); return b }

func (n boolOp) eval(f *fakeOrg, set string, r row) any {
	if n.op == "and" {
		return truthy(n.l.eval(f, set, r)) && truthy(n.r.eval(f, set, r))
	}
	return truthy(n.l.eval(f, set, r)) || truthy(n.r.eval(f, set, r))
}

func (n notOp) eval(f *fakeOrg, set string, r row) any { return !truthy(n.x.eval(f, set, r)) }

// resolve reads a property path from r, through a lambda variable or a single-valued lookup.
func resolve(f *fakeOrg, e *env, set string, r row, path string) (any, bool) {
	segs := strings.Split(path, "/")
	cur := r
	if b, ok := e.vars[segs[0]]; ok && len(segs) > 1 {
		cur, segs = b, segs[1:]
	}
	for len(segs) > 1 {
		next, ok := f.navigate(set, cur, segs[0]).(row)
		if !ok {
			return nil, false
		}
		cur, segs, set = next, segs[1:], "opportunities"
	}
	v, ok := cur[segs[0]]
	return v, ok
}

func num(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case float64:
		return x, true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

func (n cmpOp) eval(f *fakeOrg, set string, r row) any {
	v, _ := resolve(f, n.e, set, r, n.path)
	var c int
	switch lit := n.lit.(type) {
	case nil:
		switch n.op {
		case "eq":
			return v == nil
		case "ne":
			return v != nil
		}
		return false
	case float64:
		x, ok := num(v)
		if !ok {
			return false
		}
		c = cmpf(x, lit)
	case time.Time:
		s, _ := v.(string)
		x, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return false
		}
		c = x.Compare(lit)
	case string:
		s, ok := v.(string)
		if !ok {
			return false
		}
		c = compareKeys(s, lit)
	case bool:
		b, ok := v.(bool)
		if !ok {
			return false
		}
		c = map[bool]int{true: 0, false: 1}[b == lit]
		if n.op != "eq" && n.op != "ne" {
			return false
		}
	}
	switch n.op {
	case "eq":
		return c == 0
	case "ne":
		return c != 0
	case "gt":
		return c > 0
	case "ge":
		return c >= 0
	case "lt":
		return c < 0
	case "le":
		return c <= 0
	}
	return false
}

func cmpf(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (n anyOp) eval(f *fakeOrg, set string, r row) any {
	coll, _ := f.navigate(set, r, n.nav).([]row)
	for _, c := range coll {
		n.e.vars[n.v] = c
		ok := truthy(n.body.eval(f, set, r))
		delete(n.e.vars, n.v)
		if ok {
			return true
		}
	}
	return false
}

func (n containsOp) eval(f *fakeOrg, set string, r row) any {
	v, _ := resolve(f, n.e, set, r, n.path)
	s, _ := v.(string)
	return strings.Contains(strings.ToLower(s), strings.ToLower(n.sub))
}

// parser

type parser struct {
	toks []string
	pos  int
	e    *env
}

var errSyntax = errors.New("syntax error in $filter")

func tokenize(s string) ([]string, error) {
	var toks []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ':
			i++
		case strings.IndexByte("(),:", c) >= 0:
			toks = append(toks, string(c))
			i++
		case c == '\'':
			j := i + 1
			var b strings.Builder
			for {
				if j >= len(s) {
					return nil, errSyntax
				}
				if s[j] == '\'' {
					if j+1 < len(s) && s[j+1] == '\'' {
						b.WriteByte('\'')
						j += 2
						continue
					}
					break
				}
				b.WriteByte(s[j])
				j++
			}
			toks = append(toks, "'"+b.String())
			i = j + 1
		default:
			j := i
			for j < len(s) {
				d := rune(s[j])
				if unicode.IsLetter(d) || unicode.IsDigit(d) || strings.ContainsRune("_-./+", d) ||
					d == ':' && j+1 < len(s) && s[j+1] >= '0' && s[j+1] <= '9' {
					j++
					continue
				}
				break
			}
			if j == i {
				return nil, errSyntax
			}
			toks = append(toks, s[i:j])
			i = j
		}
	}
	return toks, nil
}

func parseFilter(s string) (node, error) {
	toks, err := tokenize(s)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks, e: &env{vars: map[string]row{}}}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.pos != len(p.toks) {
		return nil, errSyntax
	}
	return n, nil
}

func (p *parser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

func (p *parser) next() string { t := p.peek(); p.pos++; return t }

func (p *parser) expect(t string) error {
	if p.next() != t {
		return errSyntax
	}
	return nil
}

func (p *parser) or() (node, error) {
	l, err := p.and()
	for err == nil && p.peek() == "or" {
		p.next()
		var r node
		if r, err = p.and(); err == nil {
			l = boolOp{"or", l, r}
		}
	}
	return l, err
}

func (p *parser) and() (node, error) {
	l, err := p.unary()
	for err == nil && p.peek() == "and" {
		p.next()
		var r node
		if r, err = p.unary(); err == nil {
			l = boolOp{"and", l, r}
		}
	}
	return l, err
}

func (p *parser) unary() (node, error) {
	if p.peek() == "not" {
		p.next()
		x, err := p.unary()
		return notOp{x}, err
	}
	return p.primary()
}

func (p *parser) primary() (node, error) {
	t := p.next()
	switch {
	case t == "(":
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		return n, p.expect(")")
	case t == "contains":
		if p.expect("(") != nil {
			return nil, errSyntax
		}
		path := p.next()
		if p.expect(",") != nil {
			return nil, errSyntax
		}
		lit := p.next()
		if !strings.HasPrefix(lit, "'") {
			return nil, errSyntax
		}
		return containsOp{path: path, sub: lit[1:], e: p.e}, p.expect(")")
	case strings.HasSuffix(t, "/any") && p.peek() == "(":
		p.next()
		v := p.next()
		if p.expect(":") != nil {
			return nil, errSyntax
		}
		body, err := p.or()
		if err != nil {
			return nil, err
		}
		return anyOp{nav: strings.TrimSuffix(t, "/any"), v: v, body: body, e: p.e}, p.expect(")")
	case t == "" || strings.HasPrefix(t, "'") || strings.ContainsAny(t, "(),:"):
		return nil, errSyntax
	}
	op := p.next()
	switch op {
	case "eq", "ne", "gt", "ge", "lt", "le":
	default:
		return nil, errSyntax
	}
	lit, err := literal(p.next())
	if err != nil {
		return nil, err
	}
	return cmpOp{op: op, path: t, lit: lit, e: p.e}, nil
}

func literal(t string) (any, error) {
	switch {
	case t == "":
		return nil, errSyntax
	case t == "null":
		return nil, nil
	case t == "true" || t == "false":
		return t == "true", nil
	case strings.HasPrefix(t, "'"):
		return t[1:], nil
	}
	if tm, err := time.Parse(time.RFC3339Nano, t); err == nil {
		return tm, nil
	}
	if n, err := strconv.ParseFloat(t, 64); err == nil {
		return n, nil
	}
	for _, c := range t {
		if !(unicode.IsLetter(c) || unicode.IsDigit(c) || c == '-') {
			return nil, errSyntax
		}
	}
	return t, nil // an unquoted GUID (the fixture's IDs are opaque alphanumerics)
}

// uniqueidentifierKey rewrites a GUID so that comparing the results as text orders GUIDs as SQL
// Server orders uniqueidentifier values: the last group (6 bytes) is the most significant, then
// the fourth group, then the third, second and first groups, each of those three read from its
// last byte to its first (.NET's SqlGuid order). ok is false for anything but a GUID.
func uniqueidentifierKey(s string) (key string, ok bool) {
	g := strings.Split(strings.ToLower(s), "-")
	if len(g) != 5 || len(g[0]) != 8 || len(g[1]) != 4 || len(g[2]) != 4 || len(g[3]) != 4 || len(g[4]) != 12 {
		return "", false
	}
	for _, c := range strings.Join(g, "") {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return "", false
		}
	}
	reversePairs := func(h string) string {
		var b strings.Builder
		for i := len(h) - 2; i >= 0; i -= 2 {
			b.WriteString(h[i : i+2])
		}
		return b.String()
	}
	return g[4] + g[3] + reversePairs(g[2]) + reversePairs(g[1]) + reversePairs(g[0]), true
}

// compareKeys compares two string values as Dataverse does: GUIDs in uniqueidentifier order,
// other text case-insensitively.
func compareKeys(a, b string) int {
	ka, okA := uniqueidentifierKey(a)
	kb, okB := uniqueidentifierKey(b)
	if okA && okB {
		return strings.Compare(ka, kb)
	}
	return strings.Compare(strings.ToLower(a), strings.ToLower(b))
}
