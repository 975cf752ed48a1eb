package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"io"
	"os"
	"reflect"
	"strconv"
	"strings"

	"github.com/crmlink/crmlink/matcher"
)

// print writes the report: the configuration, every level with its raw
// estimates and its value in the table, the overrides, and the table as the
// Go literal that DefaultWeights returns.
func (r *report) print(w io.Writer) error {
	var b bytes.Buffer
	c := r.Config
	fmt.Fprintf(&b, "# matcher weights, measured on internal/synth\n\n")
	fmt.Fprintf(&b, "world: seed %d, %d companies, %d members\n", c.WorldSeed, c.Companies, c.Members)
	fmt.Fprintf(&b, "M: EstimateM on %d company and %d member labelled pairs (%d queries of each kind, seed %d)\n",
		r.CompanyPairs, r.MemberPairs, c.Queries, c.QuerySeed)
	fmt.Fprintf(&b, "U: EstimateU on %d pairs of the first %d entities of each kind (seed %d); ColleagueLocation on every member\n",
		c.Pairs, c.Sample, c.PairSeed)
	fmt.Fprintf(&b, "values: estimates rounded to two significant figures, then the overrides below\n\n")

	fmt.Fprintf(&b, "%-30s %12s %12s %12s %12s\n", "level", "M estimated", "M table", "U estimated", "U table")
	mp, up, cp, tp := levelPaths(&r.M), levelPaths(&r.U), levelPaths(&r.Colleague), levelPaths(&r.Weights)
	for _, path := range levelOrder() {
		t := tp[path]
		if t.M == 0 && t.U == 0 {
			continue
		}
		u := up[path]
		if strings.HasPrefix(path, "ColleagueLocation.") {
			u = cp[path]
		}
		fmt.Fprintf(&b, "%-30s %12.4g %12s %12.4g %12s\n", path, mp[path].M, num(t.M), u.U, num(t.U))
	}
	fmt.Fprintf(&b, "\noverrides:\n")
	for _, o := range r.Overrides {
		fmt.Fprintf(&b, "  %-28s = %-6s %s\n", o.Path, num(o.Value), o.Why)
	}
	if len(r.Pinned) > 0 {
		fmt.Fprintf(&b, "\npinned (%s; run with -fresh to leave them out):\n", r.Pinned[0].Why)
		mf := floatPaths(&r.Measured)
		for _, o := range r.Pinned {
			fmt.Fprintf(&b, "  %-28s = %-8s measured %s\n", o.Path, num(o.Value), num(*mf[o.Path]))
		}
	}
	fmt.Fprintf(&b, "\nDefaultWeights:\n\n")
	lit, err := literal(r.Weights)
	if err != nil {
		return err
	}
	b.Write(lit)
	b.WriteByte('\n')
	_, err = w.Write(b.Bytes())
	return err
}

// levelOrder returns the paths of the levels of matcher.Weights in
// declaration order.
func levelOrder() []string {
	var out []string
	var w matcher.Weights
	walk(reflect.ValueOf(&w).Elem(), "", func(path string, v reflect.Value) {
		if v.Type() == levelType {
			out = append(out, path)
		}
	})
	return out
}

// num formats x as the weights file writes it: the shortest form that
// reads back as x, with exponents as 1e-8 rather than 1e-08.
func num(x float64) string {
	s := strconv.FormatFloat(x, 'g', -1, 64)
	s = strings.Replace(s, "e-0", "e-", 1)
	return strings.Replace(s, "e+0", "e+", 1)
}

// literal returns the gofmt'd Go composite literal of w, as it is written in
// package matcher: levels in use and non-zero settings, in declaration order.
func literal(w matcher.Weights) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("Weights{\n")
	v := reflect.ValueOf(w)
	for i := range v.NumField() {
		f, fv := v.Type().Field(i), v.Field(i)
		switch fv.Type() {
		case fieldType:
			if fv.IsZero() {
				continue
			}
			fmt.Fprintf(&b, "%s: FieldWeights{\n", f.Name)
			for j := range fv.NumField() {
				switch x := fv.Field(j).Interface().(type) {
				case matcher.Level:
					if x != (matcher.Level{}) {
						fmt.Fprintf(&b, "%s: Level{%s, %s},\n", fv.Type().Field(j).Name, num(x.M), num(x.U))
					}
				case float64:
					if x != 0 {
						fmt.Fprintf(&b, "%s: %s,\n", fv.Type().Field(j).Name, num(x))
					}
				default:
					return nil, fmt.Errorf("literal: field %s.%s of type %T is not handled", f.Name, fv.Type().Field(j).Name, x)
				}
			}
			b.WriteString("},\n")
		case levelType:
			if l := fv.Interface().(matcher.Level); l != (matcher.Level{}) {
				fmt.Fprintf(&b, "%s: Level{%s, %s},\n", f.Name, num(l.M), num(l.U))
			}
		case addressType:
			// Documented estimates, written as the call that gives them.
			if fv.Interface().(matcher.AddressWeights) != matcher.DefaultAddressWeights() {
				return nil, fmt.Errorf("literal: %s differs from matcher.DefaultAddressWeights()", f.Name)
			}
			fmt.Fprintf(&b, "%s: DefaultAddressWeights(),\n", f.Name)
		case reflect.TypeFor[[matcher.NearNameClasses]float64]():
			// NearNameScale is measured on the directory by FitCompanies:
			// the defaults scale nothing.
			if !fv.IsZero() {
				return nil, fmt.Errorf("literal: %s is set by fitting, not by the defaults", f.Name)
			}
		case reflect.TypeFor[[matcher.NearNameBinCount]matcher.Level]():
			// NearNameBins are fitted on a batch by FitCompanies: the
			// defaults leave the High level one.
			if !fv.IsZero() {
				return nil, fmt.Errorf("literal: %s is set by fitting, not by the defaults", f.Name)
			}
		case reflect.TypeFor[matcher.FirstNameU]():
			// Measured on the directory by FitMembers: the defaults keep
			// the names independent.
			if !fv.IsZero() {
				return nil, fmt.Errorf("literal: %s is set by fitting, not by the defaults", f.Name)
			}
		case float64Typ:
			if x := fv.Float(); x != 0 {
				fmt.Fprintf(&b, "%s: %s,\n", f.Name, num(x))
			}
		default:
			return nil, fmt.Errorf("literal: field %s of type %s is not handled", f.Name, fv.Type())
		}
	}
	b.WriteString("}")
	return format.Source(b.Bytes())
}

// writeLiteral replaces the composite literal returned by DefaultWeights in
// the Go file at path with the literal of w, and gofmts the file.
func writeLiteral(path string, w matcher.Weights) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, err := replaceLiteral(path, src, w)
	if err != nil {
		return err
	}
	return os.WriteFile(path, out, 0o644)
}

// replaceLiteral returns src with the literal that DefaultWeights returns
// replaced by the literal of w. name is the file name for errors.
func replaceLiteral(name string, src []byte, w matcher.Weights) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	var lit *ast.CompositeLit
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Name.Name != "DefaultWeights" || fn.Recv != nil || fn.Body == nil || len(fn.Body.List) != 1 {
			continue
		}
		if ret, ok := fn.Body.List[0].(*ast.ReturnStmt); ok && len(ret.Results) == 1 {
			lit, _ = ret.Results[0].(*ast.CompositeLit)
		}
	}
	if lit == nil {
		return nil, fmt.Errorf("%s: no func DefaultWeights() whose body is one return of a composite literal", name)
	}
	gen, err := literal(w)
	if err != nil {
		return nil, err
	}
	start, end := fset.Position(lit.Pos()).Offset, fset.Position(lit.End()).Offset
	out := append(append(append([]byte{}, src[:start]...), gen...), src[end:]...)
	return format.Source(out)
}
