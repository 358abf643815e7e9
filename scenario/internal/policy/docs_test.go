package policy

import (
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// exprNames lists the expr names of t's fields, embedded structs
// flattened; functions are listed in funcs, the rest in vars.
func exprNames(t reflect.Type) (vars, funcs []string) {
	for f := range t.Fields() {
		if f.Anonymous {
			v, fn := exprNames(f.Type)
			vars, funcs = append(vars, v...), append(funcs, fn...)
			continue
		}
		name := f.Tag.Get("expr")
		if name == "" {
			continue
		}
		if f.Type.Kind() == reflect.Func {
			funcs = append(funcs, name)
		} else {
			vars = append(vars, name)
		}
	}
	slices.Sort(vars)
	slices.Sort(funcs)
	return vars, funcs
}

// documented returns the names in backticks at the start of the rows of
// the table under heading in docs/policies.md (`window("1m")` is window).
func documented(t *testing.T, heading string) []string {
	t.Helper()
	data, err := os.ReadFile("../../../docs/policies.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "\n## "+heading+"\n")
	if !ok {
		t.Fatalf("docs/policies.md has no section %q", heading)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	name := regexp.MustCompile("`([a-z_0-9]+)")
	var out []string
	for line := range strings.SplitSeq(section, "\n") {
		first, _, ok := strings.Cut(strings.TrimPrefix(line, "| "), " |")
		if !ok || !strings.HasPrefix(line, "| `") {
			continue
		}
		for _, m := range name.FindAllStringSubmatch(first, -1) {
			out = append(out, m[1])
		}
	}
	slices.Sort(out)
	return out
}

// The variables and functions that docs/policies.md lists are exactly
// those a `when:` expression can read: adding one to Env without its row
// (or the reverse) fails here.
func TestDocsListEveryVariable(t *testing.T) {
	vars, funcs := exprNames(reflect.TypeFor[Env]())
	if got := documented(t, "Variables"); !slices.Equal(got, vars) {
		t.Errorf("docs/policies.md Variables lists %v, Env has %v", got, vars)
	}
	if got := documented(t, "Functions over a window"); !slices.Equal(got, funcs) {
		t.Errorf("docs/policies.md Functions over a window lists %v, Env has %v", got, funcs)
	}
}
