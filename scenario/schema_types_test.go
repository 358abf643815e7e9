package scenario_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/scenario"
	"github.com/trafficinator/trafficinator/schema"
)

// The schema must describe exactly the Go types of a scenario: the same
// YAML keys at every level, and compatible JSON types. A field added to
// scenario/types.go without a schema change (or the reverse) fails here.
// The test lives in scenario, which imports schema, so that schema's tests
// import nothing above schema.
func TestSchemaMatchesGoTypes(t *testing.T) {
	var raw map[string]any
	if err := json.Unmarshal(schema.ScenarioV1(), &raw); err != nil {
		t.Fatal(err)
	}
	m := typeMatcher{t: t, raw: raw}
	m.check("scenario", reflect.TypeFor[scenario.Scenario](), raw)
	if m.structs < 20 {
		t.Fatalf("only %d structs checked; the walk is broken", m.structs)
	}
}

// Types that decode from a scalar string (they keep the raw text).
var stringTypes = map[reflect.Type]bool{
	reflect.TypeFor[scenario.Duration](): true,
	reflect.TypeFor[scenario.Rate]():     true,
	reflect.TypeFor[scenario.Date]():     true,
}

// Types whose UnmarshalYAML also accepts a scalar: the JSON types of the
// schema's alternatives; the object alternative must match the struct.
var unionTypes = map[reflect.Type][]string{
	reflect.TypeFor[scenario.VisitsPerDay]():     {"number", "object"},
	reflect.TypeFor[scenario.URLSource]():        {"string", "object"},
	reflect.TypeFor[scenario.Feature]():          {"boolean", "object"},
	reflect.TypeFor[scenario.EcommerceFeature](): {"boolean", "object"},
	reflect.TypeFor[scenario.GeoFeature]():       {"boolean", "object"},
}

// Types that decode from one of several scalars: the JSON types of the
// schema's alternatives.
var scalarUnionTypes = map[reflect.Type][]string{
	reflect.TypeFor[scenario.BackfillRPS](): {"number", "string"},
}

type typeMatcher struct {
	t       *testing.T
	raw     map[string]any
	structs int
}

// resolve follows $ref (all local to this schema).
func (m *typeMatcher) resolve(s map[string]any) map[string]any {
	for {
		ref, ok := s["$ref"].(string)
		if !ok {
			return s
		}
		cur := any(m.raw)
		for _, tok := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			cur = cur.(map[string]any)[tok]
		}
		s = cur.(map[string]any)
	}
}

func (m *typeMatcher) check(path string, rt reflect.Type, s map[string]any) {
	for rt.Kind() == reflect.Pointer {
		rt = rt.Elem()
	}
	s = m.resolve(s)
	if stringTypes[rt] {
		m.wantType(path, s, "string")
		return
	}
	if alts, ok := scalarUnionTypes[rt]; ok {
		branches, _ := s["oneOf"].([]any)
		var got []string
		for _, b := range branches {
			typ, _ := m.resolve(b.(map[string]any))["type"].(string)
			got = append(got, typ)
		}
		if !slices.Equal(got, alts) {
			m.t.Errorf("%s: oneOf types %v, want %v", path, got, alts)
		}
		return
	}
	if alts, ok := unionTypes[rt]; ok {
		branches, _ := s["oneOf"].([]any)
		var got []string
		var object map[string]any
		for _, b := range branches {
			bs := m.resolve(b.(map[string]any))
			typ, _ := bs["type"].(string)
			got = append(got, typ)
			if typ == "object" {
				object = bs
			}
		}
		if !slices.Equal(got, alts) || object == nil {
			m.t.Errorf("%s: oneOf types %v, want %v", path, got, alts)
			return
		}
		m.checkStruct(path, rt, object)
		return
	}
	switch rt.Kind() {
	case reflect.Struct:
		m.wantType(path, s, "object")
		m.checkStruct(path, rt, s)
	case reflect.Slice:
		m.wantType(path, s, "array")
		items, _ := s["items"].(map[string]any)
		if items == nil {
			m.t.Errorf("%s: array without items", path)
			return
		}
		m.check(path+"[]", rt.Elem(), items)
	case reflect.Map:
		m.wantType(path, s, "object")
		add, _ := s["additionalProperties"].(map[string]any)
		if add == nil || s["properties"] != nil {
			m.t.Errorf("%s: a map needs additionalProperties with a schema and no properties", path)
			return
		}
		m.check(path+"{}", rt.Elem(), add)
	case reflect.String:
		m.wantType(path, s, "string")
	case reflect.Bool:
		m.wantType(path, s, "boolean")
	case reflect.Int, reflect.Int64:
		m.wantType(path, s, "integer")
	case reflect.Float64:
		m.wantType(path, s, "number")
	default:
		m.t.Errorf("%s: unexpected Go kind %s", path, rt.Kind())
	}
}

func (m *typeMatcher) checkStruct(path string, rt reflect.Type, s map[string]any) {
	m.structs++
	if s["additionalProperties"] != false {
		m.t.Errorf("%s: object must set additionalProperties false", path)
	}
	props, _ := s["properties"].(map[string]any)
	var keys []string
	for i := range rt.NumField() {
		f := rt.Field(i)
		key, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if key == "-" || key == "" {
			continue
		}
		keys = append(keys, key)
		ps, ok := props[key].(map[string]any)
		if !ok {
			m.t.Errorf("%s: Go field %s (yaml %q) missing from the schema", path, f.Name, key)
			continue
		}
		m.check(path+"."+key, f.Type, ps)
	}
	for key := range props {
		if !slices.Contains(keys, key) {
			m.t.Errorf("%s: schema property %q has no Go field", path, key)
		}
	}
}

func (m *typeMatcher) wantType(path string, s map[string]any, want string) {
	if got, _ := s["type"].(string); got != want {
		m.t.Errorf("%s: schema type %q, want %q", path, got, want)
	}
}
