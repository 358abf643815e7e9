package plan

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/scenario"
	"github.com/trafficinator/trafficinator/schema"
)

// examplesDir is the repository's examples/ folder, from this package.
const examplesDir = "../../../examples"

var scenarioFile = regexp.MustCompile(`(?m)^apiVersion: trafficinator/`)

// exampleScenarios lists every scenario under examples/ (any depth).
func exampleScenarios(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(examplesDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
			return err
		}
		data, err := os.ReadFile(path)
		// At the start of a line: a Kubernetes ConfigMap holds a scenario
		// indented in its data (examples/k8s), which is not a scenario file.
		if err == nil && scenarioFile.Match(data) {
			files = append(files, path)
		}
		return err
	})
	if err != nil || len(files) == 0 {
		t.Fatalf("examples: %v %v", files, err)
	}
	return files
}

// Every example's plan, as plan --out writes it, is valid against
// schema/plan.v1.json, has its figures rounded, and the same digest when
// compiled again.
func TestExamplePlans(t *testing.T) {
	// Tokens get a value, as apply would have them; other variables keep
	// their defaults (examples/compose reads ${MATOMO_SITE_ID:-1}).
	lookup := func(name string) (string, bool) {
		if strings.Contains(name, "TOKEN") {
			return "value-of-" + name, true
		}
		return "", false
	}
	for _, path := range exampleScenarios(t) {
		compileOnce := func() map[string]any {
			t.Helper()
			res := scenario.LoadFile(path, scenario.Options{Lookup: lookup, CheckTarget: CheckTarget})
			if !res.Valid() {
				t.Fatalf("%s: %v", path, res.Diags)
			}
			p, err := Compile(res.Scenario, Options{RandomSeed: func() uint64 { return 0 }})
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			var buf bytes.Buffer
			if err := WriteJSON(&buf, p); err != nil {
				t.Fatal(err)
			}
			dec := json.NewDecoder(bytes.NewReader(buf.Bytes()))
			dec.UseNumber()
			var doc map[string]any
			if err := dec.Decode(&doc); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			return doc
		}
		doc := compileOnce()
		if v := schema.ValidatePlan(doc); v != nil {
			t.Errorf("%s: the plan is not valid against plan.v1.json: %v", path, v)
		}
		delete(doc, "scenario")
		walkNumbers(doc, "", false, func(at string, n json.Number, money bool) {
			s := string(n)
			if !strings.ContainsAny(s, ".eE") {
				return
			}
			if money {
				if i := strings.IndexByte(s, '.'); len(s)-i-1 > 2 {
					t.Errorf("%s%s: %s is money with more than cents", path, at, s)
				}
			} else if d := significant(s); d > SignificantDigits {
				t.Errorf("%s%s: %s has %d significant digits", path, at, s, d)
			}
		})
		again := compileOnce()
		if doc["digest"] != again["digest"] {
			t.Errorf("%s: digest %v, then %v", path, doc["digest"], again["digest"])
		}
	}
}
