package plan

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/scenario"
)

// goldenScenarios are compiled as `trafficinator plan` would: paths as
// given, no random seed. The paths are shown as they were when this
// package was runner/plan (the goldens name them); goldenFile finds them.
var goldenScenarios = map[string]string{
	"quickstart": "../../examples/quickstart.yaml",
	"reference":  "../../examples/reference.yaml",
	"shared-ref": "../../../shared/spec/reference-scenario.yaml",
	"optional":   "testdata/optional.yaml",
}

// goldenFile is where a path of goldenScenarios is from this folder.
func goldenFile(path string) string {
	if strings.HasPrefix(path, "../") {
		return filepath.Join("..", path)
	}
	return path
}

func compileFile(t *testing.T, path string) *Plan {
	t.Helper()
	data, err := os.ReadFile(goldenFile(path))
	if err != nil {
		t.Fatal(err)
	}
	res := scenario.Load(path, data, scenario.Options{Lookup: func(string) (string, bool) { return "", false }})
	if !res.Valid() {
		t.Fatalf("%s: %v", path, res.Diags)
	}
	p, err := Compile(res.Scenario, Options{RandomSeed: func() uint64 { return 0 }})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPlanGolden(t *testing.T) {
	for name, path := range goldenScenarios {
		t.Run(name, func(t *testing.T) {
			if _, err := os.Stat(goldenFile(path)); err != nil {
				t.Skipf("%s not present: %v", path, err)
			}
			p := compileFile(t, path)
			var js, tbl bytes.Buffer
			if err := WriteJSON(&js, p); err != nil {
				t.Fatal(err)
			}
			if err := WriteTable(&tbl, p); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", name+".plan.json"), js.Bytes())
			golden(t, filepath.Join("testdata", name+".plan.txt"), tbl.Bytes())
		})
	}
}

var update = flag.Bool("update", false, "rewrite the golden files")

// golden compares got with the file at path, or rewrites the file when
// the test runs with -update. (scenario/internal/testfiles has the same
// helper for the scenario's tests; Go's internal rule keeps each tree's
// test helpers to itself.)
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (run go test -update after checking the change):\n--- got ---\n%s", path, got)
	}
}
