package plan

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/trafficinator/trafficinator/scenario"
	"github.com/trafficinator/trafficinator/scenario/internal/testfiles"
)

// goldenScenarios are compiled as `trafficinator plan` would: paths as
// given, no random seed.
var goldenScenarios = map[string]string{
	"quickstart": "../../examples/quickstart.yaml",
	"reference":  "../../examples/reference.yaml",
	"shared-ref": "../../../shared/spec/reference-scenario.yaml",
	"optional":   "testdata/optional.yaml",
}

func compileFile(t *testing.T, path string) *Plan {
	t.Helper()
	res := scenario.LoadFile(path, scenario.Options{Lookup: func(string) (string, bool) { return "", false }})
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
			if _, err := os.Stat(path); err != nil {
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
			testfiles.Golden(t, filepath.Join("testdata", name+".plan.json"), js.Bytes())
			testfiles.Golden(t, filepath.Join("testdata", name+".plan.txt"), tbl.Bytes())
		})
	}
}
