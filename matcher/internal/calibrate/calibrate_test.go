package main

import (
	"bytes"
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/crmlink/crmlink/matcher"
)

// TestDefaultWeightsReproduce fails when the committed matcher.DefaultWeights
// differ from the table the command measures: after a change to the scorer,
// the normaliser or internal/synth, re-run the command and commit its table
// (or explain the difference in the overrides).
func TestDefaultWeightsReproduce(t *testing.T) {
	r, err := measure(t.Context(), defaultConfig(), false)
	if err != nil {
		t.Fatal(err)
	}
	want := matcher.DefaultWeights()
	got, wantf := floatPaths(&r.Weights), floatPaths(&want)
	for path, p := range wantf {
		if *got[path] != *p {
			t.Errorf("DefaultWeights().%s = %s, the command measures %s", path, num(*p), num(*got[path]))
		}
	}
	if t.Failed() {
		t.Log("re-run: go run ./matcher/internal/calibrate -write matcher/weights.go")
	}
	measured := floatPaths(&r.Measured)
	for _, o := range r.Pinned {
		if *measured[o.Path] == o.Value {
			t.Errorf("pin %s = %s is what the code measures now: remove it from pinned", o.Path, num(o.Value))
		}
	}
}

// TestMeasureDeterministic runs a small measurement twice: the estimates
// must not depend on map iteration order or anything but the seeds.
func TestMeasureDeterministic(t *testing.T) {
	cfg := config{WorldSeed: 7, Companies: 1500, Members: 1500, QuerySeed: 2, Queries: 300, Sample: 600, Pairs: 20000, PairSeed: 3}
	a, err := measure(t.Context(), cfg, true)
	if err != nil {
		t.Fatal(err)
	}
	if a.CompanyPairs == 0 || a.MemberPairs == 0 {
		t.Fatalf("pairs = %d companies, %d members, want both > 0", a.CompanyPairs, a.MemberPairs)
	}
	for range 2 {
		b, err := measure(t.Context(), cfg, true)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			a, b matcher.Weights
		}{{"M", a.M, b.M}, {"U", a.U, b.U}, {"colleague U", a.Colleague, b.Colleague}, {"table", a.Weights, b.Weights}} {
			if !reflect.DeepEqual(c.a, c.b) {
				t.Errorf("%s differs between two runs with the same seeds:\n%+v\n%+v", c.name, c.a, c.b)
			}
		}
	}
}

func TestMeasureCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	cfg := config{WorldSeed: 7, Companies: 200, Members: 200, QuerySeed: 2, Queries: 20, Sample: 100, Pairs: 5000, PairSeed: 3}
	if _, err := measure(ctx, cfg, true); !errors.Is(err, context.Canceled) {
		t.Errorf("measure(canceled) error = %v, want context.Canceled", err)
	}
}

func TestRound2(t *testing.T) {
	for _, c := range []struct{ in, want float64 }{
		{0.67412, 0.67}, {3.4999e-5, 3.5e-5}, {0.99914, 1}, {0.0007701, 0.00077}, {0, 0}, {12345, 12000},
	} {
		if got := round2(c.in); got != c.want {
			t.Errorf("round2(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestApplyUnknownPath(t *testing.T) {
	var w matcher.Weights
	if err := apply(&w, []override{{Path: "CompanyName.Nickname.M", Value: 1}}); err == nil {
		t.Error("apply(unknown path) = nil, want an error")
	}
	if err := apply(&w, []override{{Path: "FirstInitial.U", Value: 0.5}}); err != nil || w.FirstInitial.U != 0.5 {
		t.Errorf("apply(FirstInitial.U) = %v, FirstInitial.U = %v, want nil, 0.5", err, w.FirstInitial.U)
	}
}

// TestReplaceLiteral rewrites the committed weights file with another table
// and reads the table back from the result.
func TestReplaceLiteral(t *testing.T) {
	const name = "../../weights.go"
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	w := matcher.DefaultWeights()
	w.FirstInitial = matcher.Level{M: 0.5, U: 0.25}
	w.CompanyName.Prefix = matcher.Level{}
	out, err := replaceLiteral(name, src, w)
	if err != nil {
		t.Fatal(err)
	}
	want, err := literal(w)
	if err != nil {
		t.Fatal(err)
	}
	if got := defaultLiteral(t, out); got != dedent(string(want)) {
		t.Errorf("literal after replaceLiteral:\n%s\nwant:\n%s", got, want)
	}
	// Everything outside the literal is kept.
	before, _, _ := strings.Cut(string(src), "return Weights{")
	if !strings.HasPrefix(string(out), before) {
		t.Error("replaceLiteral changed the file before the literal")
	}
	again, err := replaceLiteral(name, out, w)
	if err != nil || !bytes.Equal(again, out) {
		t.Errorf("replaceLiteral is not idempotent (err %v)", err)
	}
	if _, err := replaceLiteral("x.go", []byte("package matcher\n\nfunc DefaultWeights() Weights { var w Weights; return w }\n"), w); err == nil {
		t.Error("replaceLiteral without a literal = nil error, want one")
	}
}

// defaultLiteral returns the source of the literal DefaultWeights returns
// in src, each line without its leading tabs.
func defaultLiteral(t *testing.T, src []byte) string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "weights.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Name.Name == "DefaultWeights" {
			lit := fn.Body.List[0].(*ast.ReturnStmt).Results[0]
			return dedent(string(src[fset.Position(lit.Pos()).Offset:fset.Position(lit.End()).Offset]))
		}
	}
	t.Fatal("no DefaultWeights")
	return ""
}

func dedent(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimLeft(l, "\t")
	}
	return strings.Join(lines, "\n")
}
