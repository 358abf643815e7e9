package schema_test

import (
	"encoding/json"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"
)

// defaultVar matches ${VAR:-default}; the tests use the default, as the
// loader does when VAR is unset.
var defaultVar = regexp.MustCompile(`\$\{[A-Za-z_][A-Za-z0-9_]*:-([^}]*)\}`)

// referenceDoc parses testdata/reference-scenario.yaml (a copy of
// /work/shared/spec/reference-scenario.yaml) into a fresh JSON-compatible
// document, so each caller may mutate its own copy.
func referenceDoc(t testing.TB) map[string]any {
	t.Helper()
	referenceOnce.Do(func() {
		referenceYAML, referenceErr = os.ReadFile("testdata/reference-scenario.yaml")
	})
	if referenceErr != nil {
		t.Fatal(referenceErr)
	}
	return yamlDoc(t, string(referenceYAML)).(map[string]any)
}

var (
	referenceOnce sync.Once
	referenceYAML []byte
	referenceErr  error
)

func yamlDoc(t testing.TB, src string) any {
	t.Helper()
	src = defaultVar.ReplaceAllString(src, "$1")
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(src), &n); err != nil {
		t.Fatal(err)
	}
	if n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		return fromNode(n.Content[0])
	}
	return nil
}

// fromNode converts YAML the way the scenario loader does: integers become
// int64, floats float64, and timestamps stay the strings they were written
// as ("from: 2026-10-01" is a date string to the schema).
func fromNode(n *yaml.Node) any {
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = fromNode(n.Content[i+1])
		}
		return m
	case yaml.SequenceNode:
		s := make([]any, len(n.Content))
		for i, c := range n.Content {
			s[i] = fromNode(c)
		}
		return s
	case yaml.AliasNode:
		return fromNode(n.Alias)
	}
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		var b bool
		if n.Decode(&b) == nil {
			return b
		}
	case "!!int":
		var i int64
		if n.Decode(&i) == nil {
			return i
		}
	case "!!float":
		var f float64
		if n.Decode(&f) == nil {
			return f
		}
	}
	return n.Value
}

// jsonDoc decodes JSON the way a JSON scenario would arrive: integers that
// fit become int64, other numbers float64.
func jsonDoc(data []byte) (any, bool) {
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	return fromNumbers(v), true
}

func fromNumbers(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = fromNumbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = fromNumbers(e)
		}
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64() // out of range gives ±Inf: the validator must cope
		return f
	}
	return v
}

// parent walks doc to the container holding the last token of ptr.
func parent(t testing.TB, doc any, ptr string) (any, string) {
	t.Helper()
	toks := strings.Split(ptr, "/")[1:]
	cur := doc
	for _, tok := range toks[:len(toks)-1] {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i >= len(c) {
				t.Fatalf("bad pointer %s", ptr)
			}
			cur = c[i]
		default:
			t.Fatalf("bad pointer %s", ptr)
		}
	}
	return cur, toks[len(toks)-1]
}

// set replaces the value at ptr (which must exist, or be a new map key).
func set(t testing.TB, doc any, ptr string, v any) {
	t.Helper()
	p, last := parent(t, doc, ptr)
	switch c := p.(type) {
	case map[string]any:
		c[last] = v
	case []any:
		i, err := strconv.Atoi(last)
		if err != nil || i >= len(c) {
			t.Fatalf("bad pointer %s", ptr)
		}
		c[i] = v
	default:
		t.Fatalf("bad pointer %s", ptr)
	}
}

// del removes the map key at ptr.
func del(t testing.TB, doc any, ptr string) {
	t.Helper()
	p, last := parent(t, doc, ptr)
	m, ok := p.(map[string]any)
	if !ok {
		t.Fatalf("bad pointer %s", ptr)
	}
	if _, ok := m[last]; !ok {
		t.Fatalf("no key at %s", ptr)
	}
	delete(m, last)
}

// rename moves the value at ptr to a sibling key.
func rename(t testing.TB, doc any, ptr, to string) {
	t.Helper()
	p, last := parent(t, doc, ptr)
	m := p.(map[string]any)
	v, ok := m[last]
	if !ok {
		t.Fatalf("no key at %s", ptr)
	}
	delete(m, last)
	m[to] = v
}
