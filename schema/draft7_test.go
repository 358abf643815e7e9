package schema_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/trafficinator/trafficinator/schema"
)

// The checked-in draft-07 file, which modelines point at, is what the
// converter makes of the embedded schema (regenerate with
// `trafficinator schema --draft 7 > schema/scenario.v1.draft-07.json`).
func TestDraft7FileUpToDate(t *testing.T) {
	file, err := os.ReadFile(schema.ScenarioV1Draft7File)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(file, schema.ScenarioV1Draft7()) {
		t.Errorf("%s is stale: run `go run ./cmd/trafficinator schema --draft 7 > schema/%s`", schema.ScenarioV1Draft7File, schema.ScenarioV1Draft7File)
	}
}

// The draft-07 variant uses no keyword of 2019-09 or 2020-12: editors that
// know only draft-07 see every check.
func TestDraft7HasNoNewKeywords(t *testing.T) {
	var doc any
	if err := json.Unmarshal(schema.ScenarioV1Draft7(), &doc); err != nil {
		t.Fatal(err)
	}
	text := string(schema.ScenarioV1Draft7())
	for _, k := range []string{`"$defs"`, `"prefixItems"`, `"unevaluatedProperties"`, `"unevaluatedItems"`, `"dependentRequired"`, `"dependentSchemas"`, `"$dynamicRef"`, `"$anchor"`, "#/$defs/"} {
		if strings.Contains(text, k) {
			t.Errorf("the draft-07 schema still has %s", k)
		}
	}
	if !strings.Contains(text, `"$schema": "http://json-schema.org/draft-07/schema#"`) {
		t.Errorf("$schema is not draft-07")
	}
	// draft-07 ignores the siblings of a $ref: none may validate anything.
	var walk func(v any, ptr string)
	walk = func(v any, ptr string) {
		switch x := v.(type) {
		case map[string]any:
			if _, ok := x["$ref"]; ok {
				for k := range x {
					switch k {
					case "$ref", "description", "title", "default", "examples", "$comment":
					default:
						t.Errorf("%s: $ref beside %s, which draft-07 would ignore", ptr, k)
					}
				}
			}
			for k, e := range x {
				walk(e, ptr+"/"+k)
			}
		case []any:
			for i, e := range x {
				walk(e, fmt.Sprintf("%s/%d", ptr, i))
			}
		}
	}
	walk(doc, "")
}

// The converter rewrites each 2020-12 construct and refuses the ones
// draft-07 cannot say, rather than dropping a check.
func TestToDraft7Constructs(t *testing.T) {
	const head = `{"$schema": "https://json-schema.org/draft/2020-12/schema", `
	tests := []struct{ in, want, err string }{
		{in: `"$defs": {"a": {"type": "string"}}, "properties": {"x": {"$ref": "#/$defs/a"}}}`,
			want: `{"$schema":"http://json-schema.org/draft-07/schema#","definitions":{"a":{"type":"string"}},"properties":{"x":{"$ref":"#/definitions/a"}}}`},
		{in: `"properties": {"x": {"$ref": "#/$defs/a", "minimum": 1, "description": "d"}}, "$defs": {"a": {}}}`,
			want: `{"$schema":"http://json-schema.org/draft-07/schema#","definitions":{"a":{}},"properties":{"x":{"allOf":[{"$ref":"#/definitions/a"}],"description":"d","minimum":1}}}`},
		{in: `"prefixItems": [{"type": "string"}], "items": false}`,
			want: `{"$schema":"http://json-schema.org/draft-07/schema#","additionalItems":false,"items":[{"type":"string"}]}`},
		{in: `"dependentRequired": {"a": ["b"]}, "dependentSchemas": {"c": {"required": ["d"]}}}`,
			want: `{"$schema":"http://json-schema.org/draft-07/schema#","dependencies":{"a":["b"],"c":{"required":["d"]}}}`},
		{in: `"properties": {"a": {}}, "unevaluatedProperties": false}`,
			want: `{"$schema":"http://json-schema.org/draft-07/schema#","additionalProperties":false,"properties":{"a":{}}}`},
		{in: `"properties": {"a": {"const": {"$defs": 1}}}}`, // data is not rewritten
			want: `{"$schema":"http://json-schema.org/draft-07/schema#","properties":{"a":{"const":{"$defs":1}}}}`},
		{in: `"allOf": [{}], "unevaluatedProperties": false}`, err: "unevaluatedProperties beside allOf"},
		{in: `"items": {"$dynamicRef": "#x"}}`, err: "/items/$dynamicRef: draft-07 has no $dynamicRef"},
		{in: `"unevaluatedItems": false}`, err: "draft-07 has no unevaluatedItems"},
	}
	for _, tc := range tests {
		got, err := schema.ToDraft7([]byte(head+tc.in), "")
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, got); err != nil {
			t.Fatal(err)
		}
		if compact.String() != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.in, compact.String(), tc.want)
		}
	}
	if _, err := schema.ToDraft7([]byte(`{"$schema": "http://json-schema.org/draft-07/schema#"}`), ""); err == nil {
		t.Errorf("a draft-07 input is accepted as 2020-12")
	}
}

func compileBoth(t *testing.T) (canonical, draft7 *jsonschema.Schema) {
	t.Helper()
	compile := func(id string, src []byte, draft *jsonschema.Draft) *jsonschema.Schema {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(src))
		if err != nil {
			t.Fatal(err)
		}
		c := jsonschema.NewCompiler()
		c.DefaultDraft(draft)
		if err := c.AddResource(id, doc); err != nil {
			t.Fatal(err)
		}
		s, err := c.Compile(id)
		if err != nil {
			t.Fatalf("%s does not compile: %v", id, err)
		}
		return s
	}
	return compile(schema.ScenarioV1ID, schema.ScenarioV1(), jsonschema.Draft2020),
		compile(schema.ScenarioV1Draft7ID, schema.ScenarioV1Draft7(), jsonschema.Draft7)
}

// corpus is every scenario the repository ships or tests with: the
// valid files (examples, the reference scenario, the migration goldens)
// and, from each, an invalid corpus made by mutating every value and every
// object (wrong types, bounds, empty and huge values, an unknown field,
// each property removed).
func corpus(t *testing.T) map[string]any {
	t.Helper()
	docs := map[string]any{}
	var files []string
	for _, pattern := range []string{"../examples/*.yaml", "../examples/*/*.yaml", "testdata/*.yaml", "../scenario/internal/legacy/testdata/*.golden.yaml"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 10 {
		t.Fatalf("only %d corpus files: %v", len(files), files)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc := yamlDoc(t, envRef.ReplaceAllString(string(data), "secret-value"))
		docs[f] = doc
		for name, m := range mutations(doc) {
			docs[f+" "+name] = m
		}
	}
	return docs
}

// mutations returns, by a name that says what changed, copies of doc with
// one change each.
func mutations(doc any) map[string]any {
	out := map[string]any{}
	var walk func(v any, ptr string)
	replace := func(ptr string, with any) any { return setAt(deepCopy(doc), ptr, with) }
	walk = func(v any, ptr string) {
		switch x := v.(type) {
		case map[string]any:
			out[ptr+" +unknown"] = replace(ptr+"/no_such_field", true)
			for k := range x {
				out[ptr+"/"+k+" removed"] = removeAt(deepCopy(doc), ptr+"/"+k)
				walk(x[k], ptr+"/"+k)
			}
		case []any:
			out[ptr+" empty"] = replace(ptr, []any{})
			for i, e := range x {
				walk(e, fmt.Sprintf("%s/%d", ptr, i))
			}
		default:
			for i, alt := range []any{nil, true, "", "x", int64(-1), int64(0), int64(1), 0.5, int64(1 << 40), -0.5, []any{}, map[string]any{}} {
				out[fmt.Sprintf("%s=%d", ptr, i)] = replace(ptr, alt)
			}
		}
	}
	walk(doc, "")
	return out
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = deepCopy(e)
		}
		return s
	}
	return v
}

// setAt sets the value at a JSON pointer (whose parent exists) and returns doc.
func setAt(doc any, ptr string, v any) any {
	if ptr == "" {
		return v
	}
	i := strings.LastIndex(ptr, "/")
	switch p := pointerGet(doc, ptr[:i]).(type) {
	case map[string]any:
		p[ptr[i+1:]] = v
	case []any:
		var n int
		fmt.Sscan(ptr[i+1:], &n)
		p[n] = v
	}
	return doc
}

func removeAt(doc any, ptr string) any {
	i := strings.LastIndex(ptr, "/")
	if p, ok := pointerGet(doc, ptr[:i]).(map[string]any); ok {
		delete(p, ptr[i+1:])
	}
	return doc
}

func pointerGet(doc any, ptr string) any {
	cur := doc
	for _, tok := range strings.Split(ptr, "/")[1:] {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[tok]
		case []any:
			var n int
			fmt.Sscan(tok, &n)
			cur = c[n]
		}
	}
	return cur
}

// envRef is a ${VAR} without a default: a secret the test fills in.
var envRef = regexp.MustCompile(`\$\{[A-Za-z_][A-Za-z0-9_]*\}`)

// Both schemas reach the same verdict on every document of the corpus.
func TestDraft7SameVerdicts(t *testing.T) {
	canonical, draft7 := compileBoth(t)
	docs := corpus(t)
	names := make([]string, 0, len(docs))
	for n := range docs {
		names = append(names, n)
	}
	sort.Strings(names)
	valid, invalid := 0, 0
	for _, n := range names {
		e1, e2 := canonical.Validate(docs[n]), draft7.Validate(docs[n])
		if (e1 == nil) != (e2 == nil) {
			t.Errorf("%s: 2020-12 says %v, draft-07 says %v", n, e1, e2)
		}
		if e1 == nil {
			valid++
		} else {
			invalid++
		}
	}
	t.Logf("%d documents: %d valid, %d invalid", len(docs), valid, invalid)
	if valid < 50 || invalid < 1000 {
		t.Errorf("corpus too small: %d valid, %d invalid", valid, invalid)
	}
}

// ToDraft7 never panics, and what it returns is JSON.
func FuzzToDraft7(f *testing.F) {
	f.Add(schema.ScenarioV1())
	f.Add(schema.ReportV3())
	f.Add([]byte(`{"$schema": "https://json-schema.org/draft/2020-12/schema", "prefixItems": [true], "$defs": {"a": {"$ref": "#/$defs/a", "minimum": 1}}}`))
	f.Add([]byte(`{"$schema": "https://json-schema.org/draft/2020-12/schema", "properties": 5, "allOf": {}, "items": [1]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := schema.ToDraft7(data, "x")
		if err == nil && !json.Valid(out) {
			t.Fatalf("not JSON: %s", out)
		}
	})
}
