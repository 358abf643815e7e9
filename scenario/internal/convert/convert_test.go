package convert

import (
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
)

// appendStep is a converter that appends a marker, so that a test sees
// which converters ran and in which order.
func appendStep(from, to string) Converter {
	return Converter{From: from, To: to, Convert: func(doc Document, _ Options) Result {
		return Result{
			Doc:     Document{Data: append(append([]byte{}, doc.Data...), []byte(" → "+to)...)},
			Diags:   diag.List{{File: doc.File, Severity: diag.Info, Message: from + " to " + to}},
			Sources: map[string][]byte{doc.File: doc.Data},
			Env:     map[string]string{"FROM_" + strings.ToUpper(strings.TrimPrefix(from, "t/")): "1"},
		}
	}}
}

func TestUpgradeRunsTheChainInOrder(t *testing.T) {
	r := NewRegistry()
	for _, c := range []Converter{appendStep("t/v1", "t/v2"), appendStep("t/legacy", "t/v1"), appendStep("t/v2", "t/v3")} {
		if err := r.Register(c); err != nil {
			t.Fatal(err)
		}
	}
	res, err := r.Upgrade(Document{APIVersion: "t/legacy", File: "in.env", Data: []byte("doc")}, "t/v3", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(res.Doc.Data); got != "doc → t/v1 → t/v2 → t/v3" {
		t.Errorf("data %q", got)
	}
	if res.Doc.APIVersion != "t/v3" || res.Doc.File != "in.env" {
		t.Errorf("doc %+v", res.Doc)
	}
	if len(res.Diags) != 3 || res.Diags[0].Message != "t/legacy to t/v1" || res.Diags[2].Message != "t/v2 to t/v3" {
		t.Errorf("diags %v", res.Diags)
	}
	if len(res.Env) != 3 {
		t.Errorf("env %v", res.Env)
	}
	// A document already at the target version goes through untouched.
	res, err = r.Upgrade(Document{APIVersion: "t/v3", Data: []byte("x")}, "t/v3", Options{})
	if err != nil || string(res.Doc.Data) != "x" || len(res.Diags) != 0 {
		t.Errorf("same version: %+v, %v", res, err)
	}
	if got := strings.Join(r.Versions(), ","); got != "t/legacy,t/v1,t/v2,t/v3" {
		t.Errorf("versions %s", got)
	}
}

func TestUpgradeStopsAtAnError(t *testing.T) {
	r := NewRegistry()
	r.MustRegister(Converter{From: "a", To: "b", Convert: func(doc Document, _ Options) Result {
		return Result{Diags: diag.List{{Severity: diag.Error, Message: "bad input"}}}
	}})
	ran := false
	r.MustRegister(Converter{From: "b", To: "c", Convert: func(doc Document, _ Options) Result { ran = true; return Result{Doc: doc} }})
	res, err := r.Upgrade(Document{APIVersion: "a"}, "c", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ran || res.Doc.Data != nil || res.Doc.APIVersion != "" || !res.Diags.HasErrors() {
		t.Errorf("the chain went on after an error: ran=%t res=%+v", ran, res)
	}
}

func TestRegisterRejects(t *testing.T) {
	r := NewRegistry()
	r.MustRegister(appendStep("a", "b"))
	r.MustRegister(appendStep("b", "c"))
	for _, c := range []struct {
		conv Converter
		want string
	}{
		{appendStep("a", "x"), "a already converts to b"},
		{appendStep("c", "a"), "would make a loop"},
		{appendStep("d", "d"), "to itself"},
		{Converter{From: "e", To: "f"}, "no Convert func"},
		{Converter{To: "f", Convert: appendStep("", "f").Convert}, "needs both From and To"},
	} {
		if err := r.Register(c.conv); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Register(%s → %s) = %v, want %q", c.conv.From, c.conv.To, err, c.want)
		}
	}
	if _, err := r.Upgrade(Document{APIVersion: "zz"}, "c", Options{}); err == nil || !strings.Contains(err.Error(), "no converter from zz (known versions: a, b, c)") {
		t.Errorf("unknown version: %v", err)
	}
	if _, err := r.Chain("a", "q"); err == nil || !strings.Contains(err.Error(), "the chain stops at c") {
		t.Errorf("unreachable target: %v", err)
	}
}

func TestDetect(t *testing.T) {
	r := NewRegistry()
	r.RegisterDetector(func(file string, data []byte) (string, bool) {
		return "t/env", strings.HasSuffix(file, ".env")
	})
	for _, c := range []struct{ file, data, want string }{
		{"s.yaml", "apiVersion: trafficinator/v1\nkind: Scenario\n", "trafficinator/v1"},
		{"s.env", "apiVersion: trafficinator/v2\n", "trafficinator/v2"}, // the document says
		{"s.env", "A=1\n", "t/env"},
		{"s.yaml", "kind: Scenario\n", ""},
		{"s.yaml", "[1, 2]", ""},
		{"s.yaml", ": : bad yaml ::", ""},
	} {
		if got := r.Detect(c.file, []byte(c.data)); got != c.want {
			t.Errorf("Detect(%s, %q) = %q, want %q", c.file, c.data, got, c.want)
		}
	}
}

// FuzzDetect: detection reads arbitrary bytes without panicking, and a
// YAML mapping's apiVersion always wins over the detectors.
func FuzzDetect(f *testing.F) {
	for _, s := range []string{"apiVersion: x\n", "A=1\n", "", "- a\n", "{a: [", "apiVersion: [1]\n", "&a [*a]"} {
		f.Add("f.env", []byte(s))
	}
	r := NewRegistry()
	r.RegisterDetector(func(string, []byte) (string, bool) { return "t/env", true })
	f.Fuzz(func(t *testing.T, file string, data []byte) {
		got := r.Detect(file, data)
		if v, ok := YAMLVersion(data); ok && got != v {
			t.Fatalf("Detect = %q, apiVersion %q", got, v)
		}
	})
}
