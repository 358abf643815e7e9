package schema_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/schema"
)

// splicePoints are where FuzzValidate also plants the fuzzed value inside
// the reference scenario, so that deep schema parts (oneOf features,
// if/then steps, string maps) see arbitrary values too.
var splicePoints = []string{
	"/metadata", "/metadata/labels", "/run", "/run/stages/0", "/run/backfill",
	"/run/backfill/visits_per_day", "/run/backfill/hourly_weights", "/targets/0",
	"/targets/0/token_auth", "/targets/2/headers", "/targets/1/features",
	"/targets/1/features/site_search", "/traffic/urls", "/traffic/pageviews",
	"/traffic/features/ecommerce", "/traffic/features/geo", "/traffic/funnels/0",
	"/traffic/funnels/0/steps/1", "/policies/0", "/routing",
}

var knownKinds = []schema.Kind{
	schema.KindType, schema.KindEnum, schema.KindConst, schema.KindRange, schema.KindRequired,
	schema.KindUnknownField, schema.KindPattern, schema.KindFormat, schema.KindLength,
	schema.KindItems, schema.KindOther,
}

func FuzzValidate(f *testing.F) {
	ref, err := json.Marshal(referenceDoc(f))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(ref, uint8(0))
	for _, seed := range []string{
		`null`, `{}`, `[]`, `"x"`, `1e999`, `-0`, `9223372036854775808`, `{"apiVersion":1}`,
		`{"targets":[{"wieght":1,"site_id":"1"}],"run":{"concurency":0}}`,
		`{"ecommerce":"yes","geo":{"countries":{"US":2}},"site_search":{"probabilty":1}}`,
		`{"type":"event"}`, `{"type":"outlink","target":""}`, `{"file":"a","list":[]}`,
		`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]`,
		`{"min":1e308,"max":-1e308,"weekend_factor":null}`,
		`{"Authorization":"Bearer 0123456789abcdef0123456789abcdef0123456789"}`,
	} {
		for i := range splicePoints {
			f.Add([]byte(seed), uint8(i))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, where uint8) {
		v, ok := jsonDoc(data)
		if !ok {
			return
		}
		checkInvariants(t, v, schema.ValidateScenario(v))

		doc := referenceDoc(t)
		set(t, doc, splicePoints[int(where)%len(splicePoints)], v)
		got := schema.ValidateScenario(doc)
		checkInvariants(t, doc, got)
		if again := schema.ValidateScenario(doc); !reflect.DeepEqual(got, again) {
			t.Fatalf("not deterministic:\n%v\n%v", got, again)
		}
	})
}

func checkInvariants(t *testing.T, doc any, vs []schema.Violation) {
	t.Helper()
	for i, v := range vs {
		if strings.HasPrefix(v.Message, "internal error") {
			t.Fatalf("internal error: %+v", v)
		}
		if !slices.Contains(knownKinds, v.Kind) || v.Message == "" {
			t.Fatalf("bad violation %+v", v)
		}
		if (v.Kind == schema.KindRequired && v.Field == "") ||
			(v.Field != "" && v.Kind != schema.KindRequired && v.Kind != schema.KindUnknownField) {
			t.Fatalf("Field does not fit the kind: %+v", v)
		}
		if v.Suggest != "" && v.Kind != schema.KindUnknownField {
			t.Fatalf("Suggest on kind %s: %+v", v.Kind, v)
		}
		if v.Pointer != "" && !strings.HasPrefix(v.Pointer, "/") {
			t.Fatalf("bad pointer %+v", v)
		}
		if i > 0 && vs[i-1] == v {
			t.Fatalf("duplicate %+v", v)
		}
		if strings.Contains(v.Message, "0123456789abcdef0123456789abcdef") {
			t.Fatalf("token in message: %+v", v)
		}
	}
	if len(vs) == 0 && doc != nil {
		if _, ok := doc.(map[string]any); !ok {
			t.Fatalf("non-object document %T accepted", doc)
		}
	}
}

func BenchmarkValidateReference(b *testing.B) {
	doc := referenceDoc(b)
	schema.ValidateScenario(doc) // compile outside the timing
	b.ReportAllocs()
	for b.Loop() {
		if vs := schema.ValidateScenario(doc); vs != nil {
			b.Fatal(vs)
		}
	}
}

func BenchmarkValidateManyErrors(b *testing.B) {
	doc := referenceDoc(b)
	set(b, doc, "/traffic/features/ecommerce", "yes")
	set(b, doc, "/targets/0/wieght", int64(1))
	set(b, doc, "/run/mode", "live")
	del(b, doc, "/traffic/funnels/0/steps/1/category")
	schema.ValidateScenario(doc)
	b.ReportAllocs()
	for b.Loop() {
		if vs := schema.ValidateScenario(doc); len(vs) != 4 {
			b.Fatal(vs)
		}
	}
}
