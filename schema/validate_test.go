package schema_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/trafficinator/trafficinator/schema"
)

func TestReferenceScenarioIsValid(t *testing.T) {
	if got := schema.ValidateScenario(referenceDoc(t)); len(got) != 0 {
		t.Fatalf("reference scenario: %d violations, first %+v", len(got), got[0])
	}
}

// The same document arriving as JSON has float64 numbers where YAML gave
// int64; integers must still be accepted.
func TestReferenceScenarioAsJSONIsValid(t *testing.T) {
	b, err := json.Marshal(referenceDoc(t))
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if got := schema.ValidateScenario(doc); len(got) != 0 {
		t.Fatalf("reference scenario via JSON: %+v", got)
	}
}

// testdata holds a copy of the shared reference; it must not drift.
func TestReferenceCopyMatchesSpec(t *testing.T) {
	spec, err := os.ReadFile("/work/shared/spec/reference-scenario.yaml")
	if err != nil {
		t.Skip("shared spec not available:", err)
	}
	local, err := os.ReadFile("testdata/reference-scenario.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(spec, local) {
		t.Fatal("testdata/reference-scenario.yaml differs from the shared spec; copy it again")
	}
}

func TestSchemaIsValid2020_12(t *testing.T) {
	var doc any
	if err := json.Unmarshal(schema.ScenarioV1(), &doc); err != nil {
		t.Fatalf("ScenarioV1 is not JSON: %v", err)
	}
	m := doc.(map[string]any)
	if m["$schema"] != "https://json-schema.org/draft/2020-12/schema" || m["$id"] != schema.ScenarioV1ID || m["title"] == nil {
		t.Fatalf("$schema/$id/title: %v %v %v", m["$schema"], m["$id"], m["title"])
	}
	meta, err := jsonschema.NewCompiler().Compile("https://json-schema.org/draft/2020-12/schema")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema.ScenarioV1()))
	if err != nil {
		t.Fatal(err)
	}
	if err := meta.Validate(inst); err != nil {
		t.Fatalf("not a valid 2020-12 schema: %v", err)
	}
}

// Editors show descriptions on hover: every declared property has one.
func TestEveryPropertyHasDescription(t *testing.T) {
	var doc any
	if err := json.Unmarshal(schema.ScenarioV1(), &doc); err != nil {
		t.Fatal(err)
	}
	count := 0
	var walk func(v any, path string)
	walk = func(v any, path string) {
		switch x := v.(type) {
		case map[string]any:
			if props, ok := x["properties"].(map[string]any); ok {
				for name, p := range props {
					count++
					d, _ := p.(map[string]any)["description"].(string)
					if strings.TrimSpace(d) == "" {
						t.Errorf("%s/properties/%s has no description", path, name)
					}
				}
			}
			for k, e := range x {
				if k != "if" { // conditions test values, they declare nothing
					walk(e, path+"/"+k)
				}
			}
		case []any:
			for _, e := range x {
				walk(e, path+"/[]")
			}
		}
	}
	walk(doc, "#")
	if count < 100 {
		t.Fatalf("only %d properties found; the walk is broken", count)
	}
}

type wantV struct {
	Pointer string
	Kind    schema.Kind
	Field   string
	Frag    string // fragment of Message
	Suggest string
}

func TestInvalidDocuments(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(t *testing.T, doc map[string]any)
		want   []wantV
	}{
		{"apiVersion const", func(t *testing.T, d map[string]any) { set(t, d, "/apiVersion", "trafficinator/v2") },
			[]wantV{{"/apiVersion", schema.KindConst, "", `must be "trafficinator/v1" (got "trafficinator/v2")`, ""}}},
		{"kind const", func(t *testing.T, d map[string]any) { set(t, d, "/kind", "Scenrio") },
			[]wantV{{"/kind", schema.KindConst, "", `must be "Scenario"`, ""}}},
		{"required at root", func(t *testing.T, d map[string]any) { del(t, d, "/metadata") },
			[]wantV{{"", schema.KindRequired, "metadata", `missing required field "metadata"`, ""}}},
		{"required nested", func(t *testing.T, d map[string]any) { del(t, d, "/metadata/name") },
			[]wantV{{"/metadata", schema.KindRequired, "name", `missing required field "name"`, ""}}},
		{"target site_id required", func(t *testing.T, d map[string]any) { del(t, d, "/targets/1/site_id") },
			[]wantV{{"/targets/1", schema.KindRequired, "site_id", `missing required field "site_id"`, ""}}},
		{"site_id type", func(t *testing.T, d map[string]any) { set(t, d, "/targets/0/site_id", "1") },
			[]wantV{{"/targets/0/site_id", schema.KindType, "", "expected integer, got string", ""}}},
		{"site_id fraction", func(t *testing.T, d map[string]any) { set(t, d, "/targets/0/site_id", 1.5) },
			[]wantV{{"/targets/0/site_id", schema.KindType, "", "expected integer, got 1.5", ""}}},
		{"site_id range", func(t *testing.T, d map[string]any) { set(t, d, "/targets/0/site_id", int64(0)) },
			[]wantV{{"/targets/0/site_id", schema.KindRange, "", "must be at least 1 (got 0)", ""}}},
		{"no targets", func(t *testing.T, d map[string]any) { set(t, d, "/targets", []any{}) },
			[]wantV{{"/targets", schema.KindItems, "", "must have at least 1 item (got 0)", ""}}},
		{"unknown field wieght", func(t *testing.T, d map[string]any) { rename(t, d, "/targets/0/weight", "wieght") },
			[]wantV{{"/targets/0", schema.KindUnknownField, "wieght", `unknown field "wieght"`, "weight"}}},
		{"unknown field concurency", func(t *testing.T, d map[string]any) { rename(t, d, "/run/concurrency", "concurency") },
			[]wantV{{"/run", schema.KindUnknownField, "concurency", `unknown field "concurency"`, "concurrency"}}},
		{"unknown root field", func(t *testing.T, d map[string]any) { rename(t, d, "/policies", "polices") },
			[]wantV{{"", schema.KindUnknownField, "polices", `unknown field "polices"`, "policies"}}},
		{"unknown field without suggestion", func(t *testing.T, d map[string]any) { set(t, d, "/traffic/colour", "blue") },
			[]wantV{{"/traffic", schema.KindUnknownField, "colour", `unknown field "colour"`, ""}}},
		{"unknown field in feature object", func(t *testing.T, d map[string]any) {
			set(t, d, "/targets/1/features/site_search", map[string]any{"probabilty": 0.3})
		}, []wantV{{"/targets/1/features/site_search", schema.KindUnknownField, "probabilty", `unknown field "probabilty"`, "probability"}}},
		{"target kind enum", func(t *testing.T, d map[string]any) { set(t, d, "/targets/3/kind", "prometheus") },
			[]wantV{{"/targets/3/kind", schema.KindEnum, "", `must be one of: file, matomo, sink (got "prometheus")`, ""}}},
		{"routing enum", func(t *testing.T, d map[string]any) { set(t, d, "/routing", "roundrobin") },
			[]wantV{{"/routing", schema.KindEnum, "", "must be one of: weighted, round-robin, random", ""}}},
		{"run mode enum", func(t *testing.T, d map[string]any) { set(t, d, "/run/mode", "live") },
			[]wantV{{"/run/mode", schema.KindEnum, "", "must be one of: realtime, backfill", ""}}},
		{"bad policy action", func(t *testing.T, d map[string]any) { set(t, d, "/policies/1/action", "explode") },
			[]wantV{{"/policies/1/action", schema.KindEnum, "", `must be one of: warn, fail, abort, disable_target (got "explode")`, ""}}},
		{"policy scope enum", func(t *testing.T, d map[string]any) { set(t, d, "/policies/0/scope", "global") },
			[]wantV{{"/policies/0/scope", schema.KindEnum, "", "must be one of: target, run", ""}}},
		{"policy when required", func(t *testing.T, d map[string]any) { del(t, d, "/policies/2/when") },
			[]wantV{{"/policies/2", schema.KindRequired, "when", `missing required field "when"`, ""}}},
		{"feature given a string", func(t *testing.T, d map[string]any) { set(t, d, "/traffic/features/ecommerce", "yes") },
			[]wantV{{"/traffic/features/ecommerce", schema.KindType, "", "expected boolean or object, got string", ""}}},
		{"feature given a number", func(t *testing.T, d map[string]any) { set(t, d, "/targets/2/features/geo", int64(1)) },
			[]wantV{{"/targets/2/features/geo", schema.KindType, "", "expected boolean or object, got number", ""}}},
		{"feature probability range", func(t *testing.T, d map[string]any) {
			set(t, d, "/traffic/features/outlinks", map[string]any{"probability": 1.5})
		}, []wantV{{"/traffic/features/outlinks/probability", schema.KindRange, "", "must be at most 1 (got 1.5)", ""}}},
		{"currency pattern", func(t *testing.T, d map[string]any) { set(t, d, "/traffic/features/ecommerce/currency", "usd") },
			[]wantV{{"/traffic/features/ecommerce/currency", schema.KindPattern, "", `must match ^[A-Z]{3}$ (got "usd")`, ""}}},
		{"hourly_weights of 23", func(t *testing.T, d map[string]any) {
			w := make([]any, 23)
			for i := range w {
				w[i] = 1.0
			}
			set(t, d, "/run/backfill/hourly_weights", w)
		}, []wantV{{"/run/backfill/hourly_weights", schema.KindItems, "", "must have exactly 24 items (got 23)", ""}}},
		{"hourly_weights negative", func(t *testing.T, d map[string]any) {
			w := make([]any, 24)
			for i := range w {
				w[i] = int64(1)
			}
			w[7] = -0.5
			set(t, d, "/run/backfill/hourly_weights", w)
		}, []wantV{{"/run/backfill/hourly_weights/7", schema.KindRange, "", "must be at least 0 (got -0.5)", ""}}},
		{"last_days range", func(t *testing.T, d map[string]any) { set(t, d, "/run/backfill/last_days", int64(181)) },
			[]wantV{{"/run/backfill/last_days", schema.KindRange, "", "must be at most 180 (got 181)", ""}}},
		{"rps exclusive minimum", func(t *testing.T, d map[string]any) { set(t, d, "/run/backfill/rps", int64(0)) },
			[]wantV{{"/run/backfill/rps", schema.KindRange, "", "must be greater than 0 (got 0)", ""}}},
		{"bulk range", func(t *testing.T, d map[string]any) { set(t, d, "/targets/0/bulk", int64(10001)) },
			[]wantV{{"/targets/0/bulk", schema.KindRange, "", "must be at most 10000 (got 10001)", ""}}},
		{"concurrency range", func(t *testing.T, d map[string]any) { set(t, d, "/run/concurrency", int64(0)) },
			[]wantV{{"/run/concurrency", schema.KindRange, "", "must be at least 1 (got 0)", ""}}},
		{"pageviews min range", func(t *testing.T, d map[string]any) { set(t, d, "/traffic/pageviews/min", int64(0)) },
			[]wantV{{"/traffic/pageviews/min", schema.KindRange, "", "must be at least 1 (got 0)", ""}}},
		{"weight negative", func(t *testing.T, d map[string]any) { set(t, d, "/targets/3/weight", -1.0) },
			[]wantV{{"/targets/3/weight", schema.KindRange, "", "must be greater than 0 (got -1)", ""}}},
		{"source share range", func(t *testing.T, d map[string]any) { set(t, d, "/traffic/sources/direct", 1.2) },
			[]wantV{{"/traffic/sources/direct", schema.KindRange, "", "must be at most 1 (got 1.2)", ""}}},
		{"rate as number", func(t *testing.T, d map[string]any) { set(t, d, "/run/rate", int64(10)) },
			[]wantV{{"/run/rate", schema.KindType, "", "expected string, got number", ""}}},
		{"stage rate required", func(t *testing.T, d map[string]any) { del(t, d, "/run/stages/1/rate") },
			[]wantV{{"/run/stages/1", schema.KindRequired, "rate", `missing required field "rate"`, ""}}},
		{"visits_per_day string", func(t *testing.T, d map[string]any) { set(t, d, "/run/backfill/visits_per_day", "many") },
			[]wantV{{"/run/backfill/visits_per_day", schema.KindType, "", "expected number or object, got string", ""}}},
		{"visits_per_day range object", func(t *testing.T, d map[string]any) {
			set(t, d, "/run/backfill/visits_per_day", map[string]any{"min": int64(100), "weekend": 0.5})
		}, []wantV{
			{"/run/backfill/visits_per_day", schema.KindRequired, "max", `missing required field "max"`, ""},
			{"/run/backfill/visits_per_day", schema.KindUnknownField, "weekend", `unknown field "weekend"`, "weekend_factor"},
		}},
		{"urls not builtin", func(t *testing.T, d map[string]any) { set(t, d, "/traffic/urls", "urls.txt") },
			[]wantV{{"/traffic/urls", schema.KindConst, "", `must be "builtin" (got "urls.txt")`, ""}}},
		{"urls file and list", func(t *testing.T, d map[string]any) {
			set(t, d, "/traffic/urls", map[string]any{"file": "u.txt", "list": []any{"/a"}})
		}, []wantV{{"/traffic/urls", schema.KindLength, "", "must set exactly one of: file, list", ""}}},
		{"label not a string", func(t *testing.T, d map[string]any) { set(t, d, "/metadata/labels/tier", int64(3)) },
			[]wantV{{"/metadata/labels/tier", schema.KindType, "", "expected string, got number", ""}}},
		{"geo country share", func(t *testing.T, d map[string]any) {
			set(t, d, "/traffic/features/geo", map[string]any{"countries": map[string]any{"US": "most"}})
		}, []wantV{{"/traffic/features/geo/countries/US", schema.KindType, "", "expected number, got string", ""}}},
		{"event step needs category", func(t *testing.T, d map[string]any) { del(t, d, "/traffic/funnels/0/steps/1/category") },
			[]wantV{{"/traffic/funnels/0/steps/1", schema.KindRequired, "category", `missing required field "category"`, ""}}},
		{"site_search step needs keyword", func(t *testing.T, d map[string]any) { del(t, d, "/traffic/funnels/0/steps/2/keyword") },
			[]wantV{{"/traffic/funnels/0/steps/2", schema.KindRequired, "keyword", `missing required field "keyword"`, ""}}},
		{"outlink step needs target", func(t *testing.T, d map[string]any) {
			set(t, d, "/traffic/funnels/0/steps/3", map[string]any{"type": "outlink"})
		}, []wantV{{"/traffic/funnels/0/steps/3", schema.KindRequired, "target", `missing required field "target"`, ""}}},
		{"download step needs target", func(t *testing.T, d map[string]any) {
			set(t, d, "/traffic/funnels/0/steps/3", map[string]any{"type": "download", "url": "/docs"})
		}, []wantV{{"/traffic/funnels/0/steps/3", schema.KindRequired, "target", `missing required field "target"`, ""}}},
		{"step type enum", func(t *testing.T, d map[string]any) { set(t, d, "/traffic/funnels/0/steps/0/type", "click") },
			[]wantV{{"/traffic/funnels/0/steps/0/type", schema.KindEnum, "", "must be one of: pageview, event, site_search, outlink, download, ecommerce", ""}}},
		{"funnel steps required", func(t *testing.T, d map[string]any) { del(t, d, "/traffic/funnels/0/steps") },
			[]wantV{{"/traffic/funnels/0", schema.KindRequired, "steps", `missing required field "steps"`, ""}}},
		{"funnel steps empty", func(t *testing.T, d map[string]any) { set(t, d, "/traffic/funnels/0/steps", []any{}) },
			[]wantV{{"/traffic/funnels/0/steps", schema.KindItems, "", "must have at least 1 item (got 0)", ""}}},
		{"funnel probability range", func(t *testing.T, d map[string]any) { set(t, d, "/traffic/funnels/0/probability", int64(2)) },
			[]wantV{{"/traffic/funnels/0/probability", schema.KindRange, "", "must be at most 1 (got 2)", ""}}},
		{"empty metadata name", func(t *testing.T, d map[string]any) { set(t, d, "/metadata/name", "") },
			[]wantV{{"/metadata/name", schema.KindLength, "", "must not be empty", ""}}},
		{"token_auth not a string", func(t *testing.T, d map[string]any) { set(t, d, "/targets/0/token_auth", int64(12345)) },
			[]wantV{{"/targets/0/token_auth", schema.KindType, "", "expected string, got number", ""}}},
		{"every required root field missing, one unknown", func(t *testing.T, d map[string]any) {
			for k := range d {
				delete(d, k)
			}
			d["x"] = nil
		}, []wantV{
			{"", schema.KindRequired, "apiVersion", "", ""},
			{"", schema.KindRequired, "kind", "", ""},
			{"", schema.KindRequired, "metadata", "", ""},
			{"", schema.KindRequired, "targets", "", ""},
			{"", schema.KindUnknownField, "x", `unknown field "x"`, ""},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := referenceDoc(t)
			tc.mutate(t, doc)
			assertViolations(t, schema.ValidateScenario(doc), tc.want)
		})
	}
}

func assertViolations(t *testing.T, got []schema.Violation, want []wantV) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d violations, want %d:\n%s", len(got), len(want), dump(got))
	}
	for i, w := range want {
		g := got[i]
		if g.Pointer != w.Pointer || g.Kind != w.Kind || g.Field != w.Field || g.Suggest != w.Suggest || !strings.Contains(g.Message, w.Frag) {
			t.Errorf("violation %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
}

func dump(vs []schema.Violation) string {
	var b strings.Builder
	for _, v := range vs {
		b.WriteString("  ")
		b.WriteString(strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(jsonString(v), "\n", " "), "  ", " ")))
		b.WriteByte('\n')
	}
	return b.String()
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// docs/scenario.md documents every field: each property name of the
// schema appears there in code style, alone or at the end of a dotted path.
func TestDocsCoverEveryField(t *testing.T) {
	md, err := os.ReadFile("../docs/scenario.md")
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(schema.ScenarioV1(), &doc); err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if props, ok := x["properties"].(map[string]any); ok {
				for name := range props {
					names[name] = true
				}
			}
			for k, e := range x {
				if k != "if" {
					walk(e)
				}
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(doc)
	if len(names) < 80 {
		t.Fatalf("only %d property names found; the walk is broken", len(names))
	}
	text := string(md)
	for name := range names {
		if !strings.Contains(text, "`"+name+"`") && !strings.Contains(text, "."+name+"`") {
			t.Errorf("docs/scenario.md does not mention `%s`", name)
		}
	}
	for _, must := range []string{"yaml-language-server: $schema=", "trafficinator schema > scenario.v1.json", "${VAR}", "${VAR:-default}", "${VAR:?message}", "`$$`"} {
		if !strings.Contains(text, must) {
			t.Errorf("docs/scenario.md does not mention %s", must)
		}
	}
}
