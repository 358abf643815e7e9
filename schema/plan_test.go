package schema_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/schema"
)

// planGoldens are real plans: the plan compiler's golden files (the
// examples, compiled as `trafficinator plan --out` writes them).
func planGoldens(t *testing.T) map[string]map[string]any {
	t.Helper()
	files, err := filepath.Glob("../runner/internal/plan/testdata/*.plan.json")
	if err != nil || len(files) < 3 {
		t.Fatalf("plan goldens: %v %v", files, err)
	}
	out := map[string]map[string]any{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, ok := jsonDoc(data)
		if !ok {
			t.Fatalf("%s is not JSON", f)
		}
		out[filepath.Base(f)] = doc.(map[string]any)
	}
	return out
}

func TestPlanSchemaIsDraft2020WithID(t *testing.T) {
	var m map[string]any
	if err := json.Unmarshal(schema.PlanV1(), &m); err != nil {
		t.Fatal(err)
	}
	if m["$schema"] != "https://json-schema.org/draft/2020-12/schema" || m["$id"] != schema.PlanV1ID {
		t.Fatalf("$schema %v $id %v", m["$schema"], m["$id"])
	}
}

func TestRealPlansAreValid(t *testing.T) {
	for name, doc := range planGoldens(t) {
		if v := schema.ValidatePlan(doc); v != nil {
			t.Errorf("%s: %v", name, v)
		}
	}
}

// The schema refuses what is not a v1 plan, and a plan that holds a token.
func TestPlanSchemaRefuses(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(doc map[string]any)
		want   string // pointer: message
	}{
		{"no apiVersion", func(d map[string]any) { delete(d, "apiVersion") }, `: missing required field "apiVersion"`},
		{"a scenario", func(d map[string]any) { d["kind"] = "Scenario" }, "/kind: "},
		{"a token", func(d map[string]any) {
			d["targets"].([]any)[0].(map[string]any)["token_auth"] = "0123456789abcdef0123456789abcdef"
		}, "/targets/0/token_auth: "},
		{"a digest of something else", func(d map[string]any) { d["digest"] = "md5:abc" }, "/digest: "},
		{"a share above 1", func(d map[string]any) { d["targets"].([]any)[0].(map[string]any)["share"] = 1.5 }, "/targets/0/share: "},
	} {
		doc := planGoldens(t)["reference.plan.json"]
		tc.mutate(doc)
		v := schema.ValidatePlan(doc)
		if len(v) == 0 {
			t.Errorf("%s: valid", tc.name)
			continue
		}
		if got := v[0].Pointer + ": " + v[0].Message; !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s: %q, want it to start %q", tc.name, got, tc.want)
		}
	}
}
